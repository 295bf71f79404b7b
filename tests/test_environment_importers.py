"""Importing an environment from AWS CLI outputs (fixtures in tests/data/aws, in AWS's exact shapes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyengine.environment import Environment, EnvironmentError
from policyengine.environment.importers import from_aws, from_aws_files, levels_from_listings
from policyengine.environment.importers.common import document
from policyengine.environment.importers.lambda_functions import import_functions
from policyengine.environment.importers.organizations import import_organization

DATA = Path(__file__).parent / "data" / "aws"
A = "111122223333"
ALICE = f"arn:aws:iam::{A}:user/alice"
BOB = f"arn:aws:iam::{A}:user/contractors/bob"
EXEC = f"arn:aws:iam::{A}:role/service-role/resize-exec"
EXEC_SESSION = f"arn:aws:sts::{A}:assumed-role/resize-exec/resize"
ADMIN = f"arn:aws:iam::{A}:role/admin"
FN = f"arn:aws:lambda:us-east-1:{A}:function:resize"
THUMBS = f"arn:aws:lambda:us-east-1:{A}:function:thumbs"
PARTNER = "arn:aws:iam::444455556666:user/partner"


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text())


@pytest.fixture(scope="module")
def env() -> Environment:
    return from_aws(
        authorization_details=load("authorization-details.json"),
        function_configurations=[load("get-function-configuration-resize.json"),
                                 load("get-function-configuration-resize-3.json"), load("get-function-thumbs.json")],
        function_policies={FN: load("get-policy-resize.json"), f"{FN}:live": load("get-policy-resize-live.json")},
        organization_policies=load("organization-policies.json"),
        function_aliases={FN: load("list-aliases-resize.json")},
    )


CASES = [
    ("inline user policy", ALICE, "s3:ListBucket", "arn:aws:s3:::reports", {}, "allowed"),
    ("attached managed policy, default version v2", ALICE, "logs:FilterLogEvents", "*", {}, "allowed"),
    ("non-default version v1 is not used", ALICE, "logs:DeleteLogGroup", "*", {}, "implicitDeny"),
    ("group from GroupList", ALICE, "lambda:GetFunction", FN, {}, "allowed"),
    ("URL-encoded inline policy, boundary from PermissionsBoundaryArn", BOB, "s3:GetObject",
     "arn:aws:s3:::reports/a", {}, "allowed"),
    ("boundary caps", BOB, "ec2:RunInstances", "*", {}, "implicitDeny"),
    ("role inline policy", EXEC_SESSION, "s3:GetObject", "arn:aws:s3:::uploads/cat.png", {}, "allowed"),
    ("AWS managed policy from Policies", EXEC_SESSION, "logs:PutLogEvents", "*", {}, "allowed"),
    ("trust policy as a dict", "lambda.amazonaws.com", "sts:AssumeRole", EXEC, {}, "allowed"),
    ("URL-encoded trust policy with its condition", ALICE, "sts:AssumeRole", ADMIN,
     {"aws:MultiFactorAuthPresent": "true"}, "allowed"),
    ("URL-encoded trust policy condition fails", ALICE, "sts:AssumeRole", ADMIN, {}, "implicitDeny"),
    ("role boundary", ADMIN, "ec2:RunInstances", "*", {}, "implicitDeny"),
    ("get-policy of the function", "s3.amazonaws.com", "lambda:InvokeFunction", FN,
     {"aws:SourceArn": "arn:aws:s3:::uploads", "aws:SourceAccount": A}, "allowed"),
    ("get-policy of an alias, merged, keeps its qualified Resource", PARTNER, "lambda:InvokeFunction",
     f"{FN}:live", {}, "implicitDeny"),  # the partner's own account grants nothing (not in the snapshot)
    ("SCP from describe-policy, OU level deny", ALICE, "iam:CreateUser", "*", {}, "explicitDeny"),
    ("RCP from describe-policy", "arn:aws:iam::777788889999:root", "sqs:SendMessage",
     f"arn:aws:sqs:us-east-1:{A}:resize-dlq", {}, "explicitDeny"),
]


@pytest.mark.parametrize(("behaviour", "principal", "action", "resource", "context", "decision"), CASES,
                         ids=[c[0] for c in CASES])
def test_imported_environment_decides(env: Environment, behaviour: str, principal: str, action: str,
                                      resource: str, context: dict[str, Any], decision: str) -> None:
    assert env.authorize(principal, action, resource, context).decision == decision


def test_imported_records(env: Environment) -> None:
    alice = env.user(ALICE)
    assert alice.tags == {"team": "data"} and alice.groups == ["devs"]
    assert alice.policies[1] == f"arn:aws:iam::{A}:policy/ReadLogs"
    assert env.user(BOB).permissions_boundary == f"arn:aws:iam::{A}:policy/S3Only"
    assert env.role(EXEC).tags == {"app": "resize"}
    fn = env.function(FN)
    assert fn.role == EXEC and fn.memory_size == 512 and fn.timeout == 30.0  # $LATEST wins over version 3
    assert fn.handler == "app:handler" and fn.versions == ["3"] and fn.aliases == {"live": "3"}
    assert fn.vpc_config.subnet_ids == ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
    assert fn.vpc_config.security_group_ids == ["sg-0123456789abcdef0"]
    assert fn.vpc_config.vpc_id == "vpc-0abcdef1234567890"
    assert fn.layers == [f"arn:aws:lambda:us-east-1:{A}:layer:pillow:7"]
    assert fn.dead_letter_target == f"arn:aws:sqs:us-east-1:{A}:resize-dlq"
    assert [s["Sid"] for s in fn.resource_policy["Statement"]] == ["s3-invoke", "partner"]
    thumbs = env.function(THUMBS)  # a get-function output: Configuration and Tags
    assert thumbs.handler == "handlers.thumbs:main" and thumbs.tags == {"env": "prod"}
    assert thumbs.vpc_config is None and thumbs.resource_policy is None
    org = env.data.organization
    assert (org.id, org.management_account) == ("o-a1b2c3d4e5", "999988887777")
    assert [len(level) for level in org.accounts[A].scps] == [1, 2, 1]
    assert org.accounts["444455556666"].rcps is None


def test_org_ids_come_from_describe_organization(env: Environment) -> None:
    ctx = env.context_for(ALICE, FN, {})
    assert ctx["aws:PrincipalOrgID"] == ctx["aws:ResourceOrgID"] == "o-a1b2c3d4e5"


def test_from_aws_files_is_the_same(env: Environment) -> None:
    from_files = Environment.from_aws_files(
        authorization_details=DATA / "authorization-details.json",
        function_configurations=[DATA / "get-function-configuration-resize.json",
                                 DATA / "get-function-configuration-resize-3.json", DATA / "get-function-thumbs.json"],
        function_policies=[DATA / "get-policy-resize.json", DATA / "get-policy-resize-live.json"],  # ARNs inferred
        organization_policies=DATA / "organization-policies.json",
        function_aliases={FN: DATA / "list-aliases-resize.json"},
    )
    assert from_files.data == env.data
    assert Environment.from_aws(authorization_details=load("authorization-details.json")).user(ALICE) is not None


def test_levels_from_listings() -> None:
    listings = load("list-policies-for-target-scp.json")
    described = {d["Policy"]["PolicySummary"]["Id"]: d for d in
                 (load(f"describe-policy-{n}.json") for n in ("FullAWSAccess", "DenyIamUsers"))}
    levels = levels_from_listings(["r-ab12", "ou-ab12-workload1", A], listings, described)
    assert [[p["Policy"]["PolicySummary"]["Name"] for p in level] for level in levels] == [
        ["FullAWSAccess"], ["FullAWSAccess", "DenyIamUsers"], ["FullAWSAccess"]]
    org = import_organization({"id": "o-a1b2c3d4e5", "scps": {A: levels}})
    assert org["accounts"][A]["scps"][1][1]["Statement"][0]["Effect"] == "Deny"
    with pytest.raises(EnvironmentError, match="no `describe-policy` output for `p-FullAWSAccess` attached to `ou-ab12-workload1`"):
        levels_from_listings(["ou-ab12-workload1"], listings, {})
    with pytest.raises(EnvironmentError, match="no `list-policies-for-target` output for `ou-x`"):
        levels_from_listings(["ou-x"], listings, described)


def test_policy_documents_in_every_shape() -> None:
    doc = {"Version": "2012-10-17", "Statement": []}
    assert document(doc, ()) == doc
    assert document(json.dumps(doc), ()) == doc
    assert document("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D", ()) == doc
    with pytest.raises(EnvironmentError, match="invalid policy JSON at `Policies\\[0\\]`"):
        document("{not json", ("Policies", 0))


# -- errors -----------------------------------------------------------------------------------


def test_attached_policy_missing_from_the_output() -> None:
    details = load("authorization-details.json")
    details["Policies"] = [p for p in details["Policies"] if p["PolicyName"] != "ReadLogs"]
    with pytest.raises(EnvironmentError, match="ReadLogs` at `users.0.policies.1` is not listed"):
        from_aws(authorization_details=details)


def test_wrong_policy_type_in_a_slot() -> None:
    with pytest.raises(EnvironmentError, match="is a RESOURCE_CONTROL_POLICY, listed under `scps`"):
        import_organization({"scps": {A: [[load("describe-policy-RCPFullAWSAccess.json")]]}})
    with pytest.raises(EnvironmentError, match="unknown key `accounts`"):
        import_organization({"accounts": {}})


def test_function_policy_for_an_unknown_function() -> None:
    with pytest.raises(EnvironmentError, match="is not a function of `function_configurations`"):
        import_functions([], {FN: load("get-policy-resize.json")}, {})


def test_missing_fields_are_located() -> None:
    details = load("authorization-details.json")
    del details["RoleDetailList"][1]["Arn"]
    with pytest.raises(EnvironmentError) as info:
        from_aws(authorization_details=details)
    assert info.value.path == ("RoleDetailList", 1, "Arn")
    details = load("authorization-details.json")
    details["Policies"][0]["PolicyVersionList"][0]["IsDefaultVersion"] = False
    details["Policies"][0]["DefaultVersionId"] = "v9"
    with pytest.raises(EnvironmentError, match="lists no default version"):
        from_aws(authorization_details=details)


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentError, match="cannot read AWS output"):
        from_aws_files(authorization_details=tmp_path / "missing.json")
    bad = tmp_path / "details.json"
    bad.write_text('{"UserDetailList": [}')
    with pytest.raises(EnvironmentError) as info:
        from_aws_files(authorization_details=bad)
    assert info.value.file == str(bad) and info.value.line == 1
    bad.write_text(json.dumps({"UserDetailList": [{"UserName": "x"}]}))
    with pytest.raises(EnvironmentError) as info:
        from_aws_files(authorization_details=bad)
    assert info.value.file == str(bad) and info.value.path == ("UserDetailList", 0, "Arn")
