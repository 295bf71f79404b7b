"""`Environment.authorize` finds every policy that applies, as AWS would, from the snapshot alone.

One environment (written to a temporary folder, with policy files beside it) spans three
member accounts of one organization, its management account and an outside account. Each
row of the table names the AWS behaviour it pins down.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyengine.environment import Environment, EnvironmentData, EnvironmentError
from policyengine.errors import ScenarioError

A = "111122223333"  # member account: users, roles, the function, the bucket
B = "444455556666"  # member account: a cross-account caller
C = "777788889999"  # outside the organization
M = "999988887777"  # the organization's management account
ORG = "o-a1b2c3d4e5"

ALICE = f"arn:aws:iam::{A}:user/alice"
BOB = f"arn:aws:iam::{A}:user/bob"
EVE = f"arn:aws:iam::{A}:user/eve"
FRANK = f"arn:aws:iam::{A}:user/frank"
CAROL = f"arn:aws:iam::{B}:user/carol"
DAVE = f"arn:aws:iam::{B}:user/dave"
OSCAR = f"arn:aws:iam::{C}:user/oscar"
MALLORY = f"arn:aws:iam::{M}:user/mallory"
EXEC_ROLE = f"arn:aws:iam::{A}:role/service/fn-exec"
EXEC_SESSION = f"arn:aws:sts::{A}:assumed-role/fn-exec/resize"
ADMIN_ROLE = f"arn:aws:iam::{A}:role/admin"
FN = f"arn:aws:lambda:us-east-1:{A}:function:resize"
JOBS = f"arn:aws:sqs:us-east-1:{A}:jobs"
SCRATCH = f"arn:aws:sqs:us-east-1:{A}:scratch"
INBOX_B = f"arn:aws:sqs:us-east-1:{B}:inbox"
QUEUE_M = f"arn:aws:sqs:us-east-1:{M}:audit"
BUCKET = "arn:aws:s3:::reports"
READ_LOGS = f"arn:aws:iam::{A}:policy/ReadLogs"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


FULL = policy(allow("*"))
RCP_FULL = policy(allow("*", Principal="*"))  # RCPFullAWSAccess


def environment_dict() -> dict[str, Any]:
    return {
        "managed_policies": {
            READ_LOGS: policy(allow("logs:GetLogEvents")),
            S3_READ: "policies/s3-read.json",  # a managed policy may itself live in a file
        },
        "users": [
            {"arn": ALICE, "policies": [policy(allow("s3:ListBucket")), READ_LOGS],
             "groups": ["devs", f"arn:aws:iam::{A}:group/teams/ops"], "tags": {"team": "data"}},
            {"arn": BOB, "policies": [FULL], "permissions_boundary": "policies/boundary.json"},
            {"arn": EVE, "policies": [FULL]},
            {"arn": FRANK, "groups": ["devs"]},
            {"arn": CAROL, "policies": [policy(allow(["lambda:InvokeFunction", "lambda:GetFunction",
                                                      "s3:GetObject", "ec2:DescribeInstances"]))]},
            {"arn": DAVE},
            {"arn": OSCAR, "policies": [FULL]},
            {"arn": MALLORY, "policies": [FULL]},
        ],
        "groups": [
            {"arn": f"arn:aws:iam::{A}:group/devs", "policies": [policy(
                allow("dynamodb:GetItem"),
                allow("s3:PutObject", f"{BUCKET}/*", Condition={"StringEquals": {"aws:PrincipalTag/team": "data"}}),
            )]},
            {"arn": f"arn:aws:iam::{A}:group/teams/ops", "policies": [policy(allow("sqs:SendMessage"))]},
        ],
        "roles": [
            {"arn": EXEC_ROLE,
             "trust_policy": policy({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                     "Action": "sts:AssumeRole"}),
             "policies": [S3_READ, policy(
                 allow(["sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]),
                 allow("sqs:ReceiveMessage", Condition={"StringEquals": {"aws:ResourceTag/env": "prod"}}),
             )],
             "permissions_boundary": policy(allow(["s3:*", "sqs:ReceiveMessage", "sqs:DeleteMessage"])),
             "tags": {"team": "data"}},
            {"arn": ADMIN_ROLE,
             "trust_policy": policy({"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sts:AssumeRole"}),
             "policies": [FULL]},
        ],
        "functions": [
            {"arn": FN, "role": EXEC_ROLE, "versions": ["1", "2", "3"], "aliases": {"live": "3"},
             "tags": {"env": "prod"},
             "resource_policy": policy(
                 {"Sid": "s3-invoke", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                  "Action": "lambda:InvokeFunction", "Resource": FN,
                  "Condition": {"StringEquals": {"AWS:SourceAccount": A},
                                "ArnLike": {"AWS:SourceArn": BUCKET}}},
                 {"Sid": "b-live", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
                  "Action": "lambda:InvokeFunction", "Resource": f"{FN}:live"},
                 {"Sid": "org-read", "Effect": "Allow", "Principal": "*", "Action": "lambda:GetFunction",
                  "Resource": FN, "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}},
             )},
        ],
        "resources": [
            {"arn": BUCKET, "account": A, "tags": {"classification": "internal"},
             "policy": policy({"Effect": "Allow", "Principal": {"AWS": CAROL}, "Action": "s3:GetObject",
                               "Resource": f"{BUCKET}/*"})},
            {"arn": JOBS, "tags": {"env": "prod"},
             "policy": policy({"Effect": "Allow", "Principal": {"AWS": C}, "Action": "sqs:SendMessage",
                               "Resource": JOBS})},
            {"arn": SCRATCH, "tags": {"env": "dev"}},
            {"arn": INBOX_B, "policy": policy({"Effect": "Allow", "Principal": {"AWS": A},
                                               "Action": "sqs:SendMessage", "Resource": INBOX_B})},
            {"arn": QUEUE_M},
        ],
        "organization": {
            "id": ORG,
            "management_account": M,
            "accounts": {
                # root, OU, account: every level must allow; a deny anywhere denies
                A: {"scps": [[FULL], [FULL, policy(deny("dynamodb:DeleteTable"))], [FULL]],
                    "rcps": [[RCP_FULL], [RCP_FULL, policy(deny("sqs:*", Principal="*", Condition={
                        "StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORG},
                        "Bool": {"aws:PrincipalIsAWSService": "false"}}))]]},
                # the account level allows only Lambda and S3; its RCP level has no Allow
                B: {"scps": [[FULL], [policy(allow(["lambda:*", "s3:*"]))]],
                    "rcps": [[RCP_FULL], [policy(deny("sqs:DeleteQueue", Principal="*"))]]},
                M: {"scps": [[policy(deny("*"))]], "rcps": [[policy(deny("*", Principal="*"))]]},
            },
        },
    }


@pytest.fixture(scope="module")
def env_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("env")
    (root / "policies").mkdir()
    (root / "policies" / "s3-read.json").write_text(json.dumps(policy(allow(["s3:Get*", "s3:List*"]))))
    (root / "policies" / "boundary.json").write_text(json.dumps(policy(allow("s3:*"))))
    path = root / "env.json"
    path.write_text(json.dumps(environment_dict(), indent=2))
    return path


@pytest.fixture(scope="module")
def env(env_file: Path) -> Environment:
    return Environment.load(env_file)


# (behaviour, principal, action, resource, context, decision, code)
CASES: list[tuple[str, str, str, str, dict[str, Any], str, str]] = [
    # identity policies: the user's own, managed references, and its groups'
    ("user inline policy", ALICE, "s3:ListBucket", BUCKET, {}, "allowed", "ALLOWED"),
    ("user managed policy by ARN", ALICE, "logs:GetLogEvents", "*", {}, "allowed", "ALLOWED"),
    ("group policy, group named by name", ALICE, "dynamodb:GetItem", "*", {}, "allowed", "ALLOWED"),
    ("group policy, group named by ARN (with path)", ALICE, "sqs:SendMessage", JOBS, {}, "allowed", "ALLOWED"),
    ("nothing grants it", ALICE, "ec2:RunInstances", "*", {}, "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("group policies belong to members only", EVE, "sqs:SendMessage", JOBS, {}, "allowed", "ALLOWED"),
    ("a principal the environment does not know has no policies", f"arn:aws:iam::{A}:user/ghost",
     "s3:ListBucket", BUCKET, {}, "implicitDeny", "NO_IDENTITY_ALLOW"),
    # permissions boundaries
    ("user boundary (a file) allows", BOB, "s3:GetObject", f"{BUCKET}/x", {}, "allowed", "ALLOWED"),
    ("user boundary caps Allow *", BOB, "ec2:RunInstances", "*", {}, "implicitDeny", "NO_BOUNDARY_ALLOW"),
    ("role boundary allows", EXEC_SESSION, "sqs:DeleteMessage", JOBS, {}, "allowed", "ALLOWED"),
    ("role boundary caps the role's policy", EXEC_SESSION, "sqs:ChangeMessageVisibility", JOBS, {},
     "implicitDeny", "NO_BOUNDARY_ALLOW"),
    # role sessions get the role's policies; the role ARN works as principal too
    ("assumed-role session: managed policy from a file", EXEC_SESSION, "s3:GetObject", f"{BUCKET}/k", {},
     "allowed", "ALLOWED"),
    ("role ARN as principal", EXEC_ROLE, "s3:ListBucket", BUCKET, {}, "allowed", "ALLOWED"),
    ("role session lacks what the role lacks", EXEC_SESSION, "s3:PutObject", f"{BUCKET}/k", {},
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    # function policies: qualified and unqualified ARNs matched as Lambda matches them
    ("function policy grants a service principal", "s3.amazonaws.com", "lambda:InvokeFunction", FN,
     {"aws:SourceArn": BUCKET, "aws:SourceAccount": A}, "allowed", "ALLOWED"),
    ("function policy: confused-deputy condition fails", "s3.amazonaws.com", "lambda:InvokeFunction", FN,
     {"aws:SourceArn": BUCKET, "aws:SourceAccount": C}, "implicitDeny", "NO_RESOURCE_POLICY_ALLOW"),
    ("unqualified statement does not cover an alias", "s3.amazonaws.com", "lambda:InvokeFunction", f"{FN}:live",
     {"aws:SourceArn": BUCKET, "aws:SourceAccount": A}, "implicitDeny", "NO_RESOURCE_POLICY_ALLOW"),
    ("alias statement, cross-account caller with identity allow", CAROL, "lambda:InvokeFunction", f"{FN}:live",
     {}, "allowed", "ALLOWED"),
    ("alias statement does not cover the unqualified ARN", CAROL, "lambda:InvokeFunction", FN, {},
     "implicitDeny", "NO_RESOURCE_POLICY_ALLOW"),
    ("alias statement does not cover the version behind it", CAROL, "lambda:InvokeFunction", f"{FN}:3", {},
     "implicitDeny", "NO_RESOURCE_POLICY_ALLOW"),
    # cross-account: both sides must allow
    ("cross-account: resource policy names the account, identity side missing", DAVE, "lambda:InvokeFunction",
     f"{FN}:live", {}, "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("cross-account: bucket policy applies to object ARNs", CAROL, "s3:GetObject", f"{BUCKET}/q1.csv", {},
     "allowed", "ALLOWED"),
    ("cross-account: neither side allows", CAROL, "s3:ListBucket", BUCKET, {},
     "implicitDeny", "NO_RESOURCE_POLICY_ALLOW"),
    ("cross-account: identity allows, resource policy silent", OSCAR, "s3:GetObject", f"{BUCKET}/q1.csv", {},
     "implicitDeny", "NO_RESOURCE_POLICY_ALLOW"),
    # the role's trust policy is the resource policy of sts:AssumeRole*, and only of that
    ("trust policy names the user", ALICE, "sts:AssumeRole", ADMIN_ROLE, {}, "allowed", "ALLOWED"),
    ("trust policy must allow, Allow * is not enough", EVE, "sts:AssumeRole", ADMIN_ROLE, {},
     "implicitDeny", "NO_TRUST_POLICY_ALLOW"),
    ("trust policy lets Lambda assume the execution role", "lambda.amazonaws.com", "sts:AssumeRole", EXEC_ROLE,
     {}, "allowed", "ALLOWED"),
    ("iam:PassRole ignores the trust policy (identity decides)", EVE, "iam:PassRole", EXEC_ROLE, {},
     "allowed", "ALLOWED"),
    ("iam:PassRole: a trust policy naming the caller grants nothing", ALICE, "iam:PassRole", ADMIN_ROLE, {},
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    # SCPs: the caller's account, level by level
    ("SCP deny at the OU level", EVE, "dynamodb:DeleteTable", "*", {}, "explicitDeny", "EXPLICIT_DENY"),
    ("SCP: account level does not allow", CAROL, "ec2:DescribeInstances", "*", {}, "implicitDeny",
     "NO_SCP_ALLOW"),
    ("SCP: every level allows", CAROL, "s3:GetObject", f"{BUCKET}/q1.csv", {}, "allowed", "ALLOWED"),
    ("SCPs do not apply to the management account", MALLORY, "ec2:RunInstances", "*", {}, "allowed", "ALLOWED"),
    ("SCPs do not apply to an account outside the organization", OSCAR, "ec2:RunInstances", "*", {},
     "allowed", "ALLOWED"),
    # RCPs: the resource's account, level by level
    ("RCP of the resource's account denies outsiders", OSCAR, "sqs:SendMessage", JOBS, {}, "explicitDeny",
     "EXPLICIT_DENY"),
    ("RCP: caller in the organization passes", ALICE, "sqs:SendMessage", JOBS, {}, "allowed", "ALLOWED"),
    ("RCP: a level without Allow blocks (resource's account, not the caller's)", EVE, "sqs:SendMessage",
     INBOX_B, {}, "implicitDeny", "NO_RCP_ALLOW"),
    ("RCPs do not apply to management-account resources", MALLORY, "sqs:SendMessage", QUEUE_M, {},
     "allowed", "ALLOWED"),
    # tags and organization ids come from the environment
    ("principal tags fill aws:PrincipalTag/*", ALICE, "s3:PutObject", f"{BUCKET}/a", {}, "allowed", "ALLOWED"),
    ("untagged member of the same group", FRANK, "s3:PutObject", f"{BUCKET}/a", {}, "implicitDeny",
     "NO_IDENTITY_ALLOW"),
    ("the caller's context wins over the environment's tags", ALICE, "s3:PutObject", f"{BUCKET}/a",
     {"aws:PrincipalTag/team": "web"}, "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("resource tags fill aws:ResourceTag/*", EXEC_SESSION, "sqs:ReceiveMessage", JOBS, {}, "allowed", "ALLOWED"),
    ("resource tag does not match", EXEC_SESSION, "sqs:ReceiveMessage", SCRATCH, {}, "implicitDeny",
     "NO_IDENTITY_ALLOW"),
    ("aws:PrincipalOrgID from the organization", CAROL, "lambda:GetFunction", FN, {}, "allowed", "ALLOWED"),
    ("no aws:PrincipalOrgID outside the organization", OSCAR, "lambda:GetFunction", FN, {}, "implicitDeny",
     "NO_RESOURCE_POLICY_ALLOW"),
]


@pytest.mark.parametrize(("behaviour", "principal", "action", "resource", "context", "decision", "code"), CASES,
                         ids=[c[0] for c in CASES])
def test_authorize(env: Environment, behaviour: str, principal: str, action: str, resource: str,
                   context: dict[str, Any], decision: str, code: str) -> None:
    result = env.authorize(principal, action, resource, context)
    assert (result.decision, result.code.value) == (decision, code), result.headline


def test_the_yaml_file_decides_the_same(env_file: Path, tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    (tmp_path / "policies").mkdir()
    for f in (env_file.parent / "policies").iterdir():
        (tmp_path / "policies" / f.name).write_text(f.read_text())
    path = tmp_path / "env.yaml"
    path.write_text(yaml.safe_dump(environment_dict()))
    yaml_env = Environment.load(path)
    for _, principal, action, resource, context, decision, code in CASES:
        result = yaml_env.authorize(principal, action, resource, context)
        assert (result.decision, result.code.value) == (decision, code)


def test_context_for_fills_tags_and_org_ids(env: Environment) -> None:
    ctx = env.context_for(ALICE, FN, {})
    assert ctx == {"aws:PrincipalTag/team": "data", "aws:ResourceTag/env": "prod",
                   "aws:PrincipalOrgID": ORG, "aws:ResourceOrgID": ORG}
    # a bucket's account comes from its record; outsiders get no org id
    assert env.context_for(OSCAR, f"{BUCKET}/k", {})["aws:ResourceOrgID"] == ORG
    assert "aws:PrincipalOrgID" not in env.context_for(OSCAR, BUCKET, {})
    # keys are case-insensitive: the caller's own spelling is kept, not doubled
    assert env.context_for(ALICE, BUCKET, {"AWS:principaltag/TEAM": "x"}) == {
        "AWS:principaltag/TEAM": "x", "aws:ResourceTag/classification": "internal",
        "aws:PrincipalOrgID": ORG, "aws:ResourceOrgID": ORG}


def test_resource_account(env: Environment) -> None:
    assert env.resource_account(f"{BUCKET}/k") == A
    assert env.resource_account(FN) == A
    assert env.resource_account("arn:aws:s3:::unknown/k", CAROL) == B


def test_lookups(env: Environment) -> None:
    assert env.user(ALICE).tags == {"team": "data"}
    assert env.role(EXEC_ROLE) is env.role(f"arn:aws:iam::{A}:role/fn-exec")  # by account and name
    assert env.function(f"{FN}:live") is env.function(FN)
    assert env.resource(BUCKET).account == A
    assert env.resource(f"{BUCKET}/k") is None and env.resource_record(f"{BUCKET}/k") is env.resource(BUCKET)


def test_session_policies_cap_a_role_session(env: Environment) -> None:
    session = [policy(allow("s3:ListBucket"))]
    assert env.authorize(EXEC_SESSION, "s3:ListBucket", BUCKET, session_policies=session).decision == "allowed"
    result = env.authorize(EXEC_SESSION, "s3:GetObject", f"{BUCKET}/k", session_policies=session)
    assert result.code.value == "NO_SESSION_ALLOW"
    # a new session policy with the same id() as a dead one must not hit a stale cache entry
    for action in ("s3:GetObject", "s3:ListBucket"):
        fresh = [policy(allow(action))]
        assert env.authorize(EXEC_SESSION, action, f"{BUCKET}/k", session_policies=fresh).decision == "allowed"


def test_explain_names_the_policies_used(env: Environment) -> None:
    result = env.authorize(ALICE, "logs:GetLogEvents", "*", explain=True)
    assert any(ref.policy_name == READ_LOGS for ref in result.matched_statements)


# -- caching ----------------------------------------------------------------------------------


def test_policy_set_is_cached(env: Environment) -> None:
    first = env.policy_set(CAROL, "lambda:InvokeFunction", f"{FN}:live")
    assert env.policy_set(CAROL, "lambda:InvokeFunction", f"{FN}:live") is first
    # another qualifier of the same function shares the function's policy
    assert env.policy_set(CAROL, "lambda:InvokeFunction", f"{FN}:3") is first
    assert env.policy_set(CAROL, "lambda:InvokeFunction", "*") is not first


def test_changed_drops_the_cache_and_a_new_function_policy_takes_effect(env_file: Path) -> None:
    env = Environment.load(env_file)
    before = env.policy_set(DAVE, "lambda:InvokeFunction", FN)
    assert env.authorize("sns.amazonaws.com", "lambda:InvokeFunction", FN).decision == "implicitDeny"
    fn = env.function(FN)
    statement = {"Sid": "sns", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                 "Action": "lambda:InvokeFunction", "Resource": FN}
    new_policy = policy(*fn.resource_policy["Statement"], statement)
    data = env.data.model_copy(update={"functions": [fn.model_copy(update={"resource_policy": new_policy})]})
    env.changed(data)
    assert env.policy_set(DAVE, "lambda:InvokeFunction", FN) is not before
    assert env.authorize("sns.amazonaws.com", "lambda:InvokeFunction", FN).decision == "allowed"


# -- load errors ------------------------------------------------------------------------------


def _write(tmp_path: Path, value: Any, name: str = "env.json") -> Path:
    path = tmp_path / name
    path.write_text(value if isinstance(value, str) else json.dumps(value, indent=2))
    return path


def test_unknown_key_is_located_in_a_json_file(tmp_path: Path) -> None:
    path = _write(tmp_path, {"users": [{"arn": ALICE, "polices": []}]})
    with pytest.raises(EnvironmentError) as info:
        Environment.load(path)
    err = info.value
    assert (err.file, err.line, err.column, err.path) == (str(path), 5, 7, ("users", 0, "polices"))
    assert "extra inputs are not permitted" in err.message
    assert isinstance(err, ScenarioError)  # callers catching scenario errors keep working


def test_unknown_top_level_key_and_missing_arn(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentError) as info:
        Environment.load(_write(tmp_path, {"lambdas": []}))
    assert (info.value.line, info.value.path) == (2, ("lambdas",))
    with pytest.raises(EnvironmentError) as info:
        Environment.load(_write(tmp_path, {"roles": [{"policies": []}]}))
    assert info.value.path == ("roles", 0, "arn") and info.value.line == 3  # the record that lacks it


def test_yaml_errors_are_located(tmp_path: Path) -> None:
    path = _write(tmp_path, "users:\n  - arn: arn:aws:iam::111122223333:user/a\n    tagz: {}\n", "env.yaml")
    with pytest.raises(EnvironmentError) as info:
        Environment.load(path)
    assert (info.value.line, info.value.column, info.value.path) == (3, 5, ("users", 0, "tagz"))
    broken = _write(tmp_path, "users: [\n", "broken.yml")
    with pytest.raises(EnvironmentError) as info:
        Environment.load(broken)
    assert info.value.message.startswith("invalid YAML") and info.value.line is not None


def test_unreadable_and_non_object_files(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentError, match="cannot read environment file"):
        Environment.load(tmp_path / "missing.json")
    with pytest.raises(EnvironmentError, match="one object"):
        Environment.load(_write(tmp_path, "[]"))
    with pytest.raises(EnvironmentError) as info:
        Environment.load(_write(tmp_path, '{"users": [,]}'))
    assert info.value.line == 1


def test_unknown_managed_policy_is_located(tmp_path: Path) -> None:
    path = _write(tmp_path, {"roles": [{"arn": EXEC_ROLE, "policies": [f"arn:aws:iam::{A}:policy/Nope"]}]})
    with pytest.raises(EnvironmentError, match="not listed under `managed_policies`") as info:
        Environment.load(path)
    assert (info.value.line, info.value.path) == (6, ("roles", 0, "policies", 0))


def test_invalid_inline_policy_is_located(tmp_path: Path) -> None:
    bad = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resorce": "*"}]}
    path = _write(tmp_path, {"functions": [{"arn": FN, "role": EXEC_ROLE, "resource_policy": bad}]})
    with pytest.raises(EnvironmentError, match="invalid policy at `functions.0.resource_policy`") as info:
        Environment.load(path)
    assert info.value.path[:3] == ("functions", 0, "resource_policy")
    assert info.value.file == str(path) and info.value.line is not None


def test_policy_file_errors(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentError, match="cannot read policy file `nope.json`") as info:
        Environment.load(_write(tmp_path, {"users": [{"arn": ALICE, "policies": ["nope.json"]}]}))
    assert info.value.path == ("users", 0, "policies", 0) and info.value.line == 6
    (tmp_path / "bad.json").write_text('{"Version": "2012-10-17",\n "Statement": {"Effect": "Maybe"}}')
    with pytest.raises(EnvironmentError, match="invalid policy file `bad.json`") as info:
        Environment.load(_write(tmp_path, {"users": [{"arn": ALICE, "permissions_boundary": "bad.json"}]}))
    assert info.value.file == str(tmp_path / "bad.json") and info.value.line == 2


WITH_PRINCIPAL = policy(allow("s3:GetObject", Principal={"AWS": ALICE}))
NO_PRINCIPAL = policy(allow("s3:GetObject"))


@pytest.mark.parametrize("where,value,path,words", [
    # AWS refuses to attach these: each is an error at load, located, not at the first request
    ("users", {"arn": ALICE, "policies": [WITH_PRINCIPAL]}, ("users", 0, "policies", 0, "Statement", 0, "Principal"),
     "cannot be used as an identity policy"),
    ("groups", {"arn": f"arn:aws:iam::{A}:group/devs", "policies": [WITH_PRINCIPAL]},
     ("groups", 0, "policies", 0, "Statement", 0, "Principal"), "cannot be used as an identity policy"),
    ("roles", {"arn": EXEC_ROLE, "permissions_boundary": WITH_PRINCIPAL},
     ("roles", 0, "permissions_boundary", "Statement", 0, "Principal"), "cannot be used as a permissions boundary"),
    ("roles", {"arn": EXEC_ROLE, "trust_policy": NO_PRINCIPAL}, ("roles", 0, "trust_policy", "Statement", 0),
     "cannot be used as a resource policy"),
    ("functions", {"arn": FN, "role": EXEC_ROLE, "resource_policy": NO_PRINCIPAL},
     ("functions", 0, "resource_policy", "Statement", 0), "cannot be used as a resource policy"),
    ("resources", {"arn": BUCKET, "policy": NO_PRINCIPAL}, ("resources", 0, "policy", "Statement", 0),
     "cannot be used as a resource policy"),
])
def test_a_policy_its_type_forbids_is_refused_at_load(tmp_path: Path, where: str, value: dict[str, Any],
                                                       path: tuple[Any, ...], words: str) -> None:
    with pytest.raises(EnvironmentError, match=words) as info:
        Environment.load(_write(tmp_path, {where: [value]}))
    assert info.value.path == path and info.value.line is not None


def test_organization_policies_are_checked_as_their_type_at_load(tmp_path: Path) -> None:
    rcp_without_principal = {"organization": {"id": ORG, "accounts": {A: {"rcps": [[NO_PRINCIPAL]]}}}}
    with pytest.raises(EnvironmentError, match="cannot be used as an RCP: a statement of an RCP needs a `Principal`") as info:
        Environment.load(_write(tmp_path, rcp_without_principal))
    assert info.value.path == ("organization", "accounts", A, "rcps", 0, 0, "Statement", 0)
    scp_with_principal = {"organization": {"id": ORG, "accounts": {A: {"scps": [[WITH_PRINCIPAL]]}}}}
    with pytest.raises(EnvironmentError, match="cannot be used as an SCP") as info:
        Environment.load(_write(tmp_path, scp_with_principal))
    assert info.value.line is not None


def test_a_policy_file_its_type_forbids_is_located_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "trust.json").write_text(json.dumps(NO_PRINCIPAL, indent=2))
    with pytest.raises(EnvironmentError, match="roles.0.trust_policy` cannot be used as a resource policy") as info:
        Environment.load(_write(tmp_path, {"roles": [{"arn": EXEC_ROLE, "trust_policy": "trust.json"}]}))
    assert info.value.file == str(tmp_path / "trust.json") and info.value.path == ("Statement", 0)
    assert info.value.line == 4


def test_unknown_group(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentError, match="unknown group `admins`") as info:
        Environment.load(_write(tmp_path, {"users": [{"arn": ALICE, "groups": ["admins"]}]}))
    assert info.value.line == 5


def test_from_dict_without_a_file() -> None:
    env = Environment.from_dict({"users": [{"arn": ALICE, "policies": [policy(allow("s3:*"))]}]})
    assert env.authorize(ALICE, "s3:GetObject", f"{BUCKET}/k").decision == "allowed"
    with pytest.raises(EnvironmentError) as info:
        Environment.from_dict({"users": [{"arn": ALICE, "policies": ["arn:aws:iam::aws:policy/X"]}]})
    assert info.value.file is None and info.value.line is None and info.value.path == ("users", 0, "policies", 0)
    assert isinstance(EnvironmentData().users, list)


def test_policy_names_survive_a_change_and_a_bad_change_is_refused(env_file: Path) -> None:
    env = Environment.load(env_file)
    names = [s.policy_name for s in env.authorize(EVE, "s3:GetObject", f"{BUCKET}/k").matched_statements]
    env.set_function_policy(FN, policy({"Effect": "Allow", "Principal": {"AWS": CAROL},
                                        "Action": "lambda:InvokeFunction", "Resource": FN}))
    assert [s.policy_name for s in env.authorize(EVE, "s3:GetObject", f"{BUCKET}/k").matched_statements] == names
    with pytest.raises(EnvironmentError, match="cannot be used as a resource policy"):
        env.set_function_policy(FN, policy({"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FN}))
    assert env.check_invoke(CAROL, FN).allowed  # the environment is as it was before the bad change
