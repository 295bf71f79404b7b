"""The Lambda rules (issue 4, lambda-permissions.md §3-§4): one test per rule and per failure message."""

from __future__ import annotations

import json

import pytest

from policyengine.environment import Environment
from policyengine.lambda_rules import (RuleInputError, access_denied_message, add_permission, check_create_function,
                                       check_dead_letter, check_destination, check_event_source_mapping,
                                       check_function_targets, check_invoke, execution_session, function_can,
                                       get_policy, remove_permission)
from policyengine.lambda_rules.result import AwsError, Check, CheckResult

A, B = "111122223333", "444455556666"
FN = f"arn:aws:lambda:us-east-1:{A}:function:resize"
OTHER_FN = f"arn:aws:lambda:us-east-1:{A}:function:thumbs"
ROLE = f"arn:aws:iam::{A}:role/fn-exec"
BARE_ROLE = f"arn:aws:iam::{A}:role/bare"
NO_TRUST_ROLE = f"arn:aws:iam::{A}:role/ec2-only"
COND_TRUST_ROLE = f"arn:aws:iam::{A}:role/cond-trust"
FOREIGN_ROLE = f"arn:aws:iam::{B}:role/fn-exec"
DLQ = f"arn:aws:sqs:us-east-1:{A}:dlq"
TOPIC = f"arn:aws:sns:us-east-1:{A}:alerts"
QUEUE = f"arn:aws:sqs:us-east-1:{A}:jobs"
STREAM = f"arn:aws:kinesis:us-east-1:{A}:stream/clicks"
DDB_STREAM = f"arn:aws:dynamodb:us-east-1:{A}:table/orders/stream/2024-01-01T00:00:00.000"
BUS = f"arn:aws:events:us-east-1:{A}:event-bus/default"


def user(name: str, account: str = A) -> str:
    return f"arn:aws:iam::{account}:user/{name}"


def allow(action, resource="*", condition=None):
    st = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition:
        st["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [st]}


def deny(action, resource="*"):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": action, "Resource": resource}]}


LAMBDA_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                        "Action": "sts:AssumeRole"}]}
COND_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                      "Action": "sts:AssumeRole",
                                                      "Condition": {"StringEquals": {"aws:SourceAccount": A}}}]}
FUNCTION_POLICY = {"Version": "2012-10-17", "Id": "default", "Statement": [
    {"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
     "Resource": FN, "Condition": {"StringEquals": {"AWS:SourceAccount": A},
                                   "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}}},
    {"Sid": "partner", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
     "Action": "lambda:InvokeFunction", "Resource": f"{FN}:live"},
    {"Sid": "frank", "Effect": "Allow", "Principal": {"AWS": user("frank")},
     "Action": "lambda:InvokeFunction", "Resource": FN},
    {"Sid": "url", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl", "Resource": FN,
     "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}},
]}


def env_dict() -> dict:
    return {
        "users": [
            {"arn": user("alice"), "policies": [
                allow(["lambda:InvokeFunction", "lambda:CreateFunction", "lambda:UpdateFunctionConfiguration",
                       "lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy",
                       "lambda:CreateEventSourceMapping", "lambda:PutFunctionEventInvokeConfig",
                       "lambda:InvokeFunctionUrl",
                       "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]),
                allow("iam:PassRole", "arn:aws:iam::*:role/*",
                      {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}})]},
            {"arn": user("bob")},
            {"arn": user("dave"), "policies": [allow("lambda:*"), deny("lambda:InvokeFunction")]},
            {"arn": user("erin"), "policies": [allow("lambda:InvokeFunction", f"{FN}:*")]},
            {"arn": user("frank")},
            {"arn": user("gina"), "policies": [allow("lambda:InvokeFunction", FN)]},
            {"arn": user("hank"), "policies": [allow("lambda:InvokeFunction", f"{FN}*")]},
            {"arn": user("ivy"), "policies": [allow("lambda:*"), allow("iam:PassRole", ROLE)]},
            {"arn": user("jack"), "policies": [allow(["lambda:CreateFunction", "iam:PassRole"])]},
            {"arn": user("kim"), "policies": [allow("lambda:CreateFunction", "*",
                                                    {"ForAllValues:StringEquals": {"lambda:SubnetIds": ["subnet-1"]}}),
                                              allow("iam:PassRole"), allow("ec2:Describe*")]},
            {"arn": user("carol", B), "policies": [allow("lambda:InvokeFunction")]},
            {"arn": user("dan", B)},
        ],
        "roles": [
            {"arn": ROLE, "trust_policy": LAMBDA_TRUST, "policies": [
                allow(["sqs:SendMessage", "sns:Publish", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                       "sqs:GetQueueAttributes", "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                       "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                       "ec2:UnassignPrivateIpAddresses", "ec2:DescribeSubnets", "events:PutEvents",
                       "s3:GetObject"]),
                allow("lambda:InvokeFunction", OTHER_FN),
                allow("dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/orders",
                      {"StringEquals": {"lambda:SourceFunctionArn": FN}})]},
            {"arn": BARE_ROLE, "trust_policy": LAMBDA_TRUST},
            {"arn": NO_TRUST_ROLE, "trust_policy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}},
            {"arn": COND_TRUST_ROLE, "trust_policy": COND_TRUST},
            {"arn": FOREIGN_ROLE, "trust_policy": LAMBDA_TRUST},
        ],
        "functions": [
            {"arn": FN, "role": ROLE, "resource_policy": FUNCTION_POLICY, "versions": ["1", "2"],
             "aliases": {"live": "2"}, "dead_letter_target": DLQ,
             "destinations": {"on_failure": TOPIC, "on_success": OTHER_FN}},
            {"arn": OTHER_FN, "role": BARE_ROLE},
        ],
    }


@pytest.fixture
def env() -> Environment:
    return Environment.from_dict(env_dict())


def err(r: CheckResult) -> tuple[str, str] | None:
    return (r.error.code, r.error.message) if r.error else None


# -- result and messages --------------------------------------------------------------------------------

def test_to_dict_shape(env):
    r = check_invoke(env, user("alice"), FN)
    d = r.to_dict()
    assert d["allowed"] is True and d["error"] is None
    assert set(d["checks"][0]) == {"name", "action", "principal", "resource", "decision", "reasons"}
    assert d["checks"][0]["decision"] == "allowed" and d["checks"][0]["reasons"]
    json.dumps(d)


@pytest.mark.parametrize("who, tail", [
    ("bob", "because no identity-based policy allows the lambda:InvokeFunction action"),
    ("dave", "with an explicit deny in an identity-based policy"),
])
def test_access_denied_message_tail(env, who, tail):
    r = check_invoke(env, user(who), FN)
    assert r.error.code == "AccessDeniedException" and r.error.http_status == 403
    assert r.error.message == (f"User: {user(who)} is not authorized to perform: lambda:InvokeFunction "
                               f"on resource: {FN} {tail}")


def test_access_denied_message_other_tails(env):
    with_boundary = env_dict()
    with_boundary["users"].append({"arn": user("lee"), "policies": [allow("lambda:InvokeFunction")],
                                   "permissions_boundary": allow("s3:*")})
    with_boundary["organization"] = {"accounts": {A: {"scps": [[allow("s3:*")]]}, B: {"scps": [[deny("lambda:*"), allow("*")]]}}}
    e = Environment.from_dict(with_boundary)
    assert check_invoke(e, user("alice"), FN).error.message.endswith(
        "because no service control policy allows the lambda:InvokeFunction action")
    assert check_invoke(e, user("carol", B), f"{FN}:live").error.message.endswith(
        "with an explicit deny in a service control policy")
    del with_boundary["organization"]
    e = Environment.from_dict(with_boundary)
    assert check_invoke(e, user("lee"), FN).error.message.endswith(
        "because no permissions boundary allows the lambda:InvokeFunction action")
    assert access_denied_message("*", "a:B", "r") == "User: anonymous is not authorized to perform: a:B on resource: r"


# -- invoke -------------------------------------------------------------------------------------------------

INVOKE_CASES = [
    # caller, function ARN, options, expected error (None = allowed)
    ("alice", FN, {}, None),
    ("alice", FN, {"invocation_type": "Event"}, None),
    ("alice", FN, {"invocation_type": "DryRun"}, None),
    ("bob", FN, {}, "AccessDeniedException"),
    ("frank", FN, {}, None),  # same account: the function policy names the user directly
    ("frank", f"{FN}:live", {}, "AccessDeniedException"),  # unqualified statement does not cover the alias
    ("gina", FN, {}, None),
    ("gina", f"{FN}:1", {}, "AccessDeniedException"),  # `function:f` in a policy: unqualified only
    ("gina", f"{FN}:live", {}, "AccessDeniedException"),
    ("erin", FN, {}, "AccessDeniedException"),  # `function:f:*`: qualified only
    ("erin", f"{FN}:1", {}, None),
    ("erin", f"{FN}:live", {}, None),
    ("hank", FN, {}, None),  # `function:f*`: both
    ("hank", f"{FN}:live", {}, None),
    ("gina", f"{FN}:$LATEST", {}, "AccessDeniedException"),  # $LATEST is qualified for matching
    ("gina", f"{FN}:$LATEST", {"latest_as_unqualified": True}, None),
    ("erin", f"{FN}:$LATEST", {}, None),
    ("erin", f"{FN}:7", {}, "ResourceNotFoundException"),  # allowed, but no version 7
    ("bob", f"{FN}:7", {}, "AccessDeniedException"),  # authorization before existence
    ("alice", f"arn:aws:lambda:us-east-1:{A}:function:nope", {}, "ResourceNotFoundException"),
    ("alice", FN, {"qualifier": "live"}, None),
    ("alice", f"{FN}:1", {"qualifier": "live"}, "InvalidParameterValueException"),
    # cross-account: the function policy grants account B on the alias only; carol's identity allows
    (user("carol", B), f"{FN}:live", {}, None),
    (user("carol", B), FN, {}, "AccessDeniedException"),
    (user("dan", B), f"{FN}:live", {}, "AccessDeniedException"),  # B's identity side grants nothing
    # service principals with aws:SourceArn / aws:SourceAccount
    ("s3.amazonaws.com", FN, {"source_arn": "arn:aws:s3:::uploads", "source_account": A}, None),
    ("s3.amazonaws.com", FN, {"source_arn": "arn:aws:s3:::other", "source_account": A}, "AccessDeniedException"),
    ("s3.amazonaws.com", FN, {"source_arn": "arn:aws:s3:::uploads", "source_account": B}, "AccessDeniedException"),
    ("s3.amazonaws.com", FN, {}, "AccessDeniedException"),
    ("sns.amazonaws.com", FN, {"source_arn": "arn:aws:s3:::uploads", "source_account": A}, "AccessDeniedException"),
    ("s3.amazonaws.com", FN, {"context": {"aws:SourceArn": "arn:aws:s3:::uploads", "aws:SourceAccount": A}}, None),
]


@pytest.mark.parametrize("caller, arn, options, expected", INVOKE_CASES)
def test_invoke(env, caller, arn, options, expected):
    caller = caller if ":" in caller or "." in caller else user(caller)
    r = check_invoke(env, caller, arn, **options)
    assert (r.error.code if r.error else None) == expected, r.to_dict()
    assert r.allowed is (expected is None)


def test_invoke_messages(env):
    assert err(check_invoke(env, user("erin"), f"{FN}:7")) == ("ResourceNotFoundException", f"Function not found: {FN}:7")
    assert check_invoke(env, user("erin"), f"{FN}:7").error.http_status == 404
    missing = f"arn:aws:lambda:us-east-1:{A}:function:nope"
    assert err(check_invoke(env, user("alice"), missing)) == ("ResourceNotFoundException", f"Function not found: {missing}")
    assert err(check_invoke(env, user("alice"), f"{FN}:1", qualifier="live")) == (
        "InvalidParameterValueException",
        "The derived qualifier from the function name does not match the specified qualifier.")
    r = check_invoke(env, user("erin"), f"{FN}:live")
    assert [c.resource for c in r.checks] == [f"{FN}:live"]


def test_invoke_bad_input(env):
    with pytest.raises(RuleInputError):
        check_invoke(env, user("alice"), "resize")
    with pytest.raises(RuleInputError):
        check_invoke(env, user("alice"), FN, invocation_type="Sync")


@pytest.mark.parametrize("caller, auth, requires, expected", [
    ("anyone", "NONE", False, None),  # `*` InvokeFunctionUrl with FunctionUrlAuthType NONE
    ("anyone", "NONE", True, "AccessDeniedException"),  # new URLs also need InvokeFunction via URL
    ("alice", "AWS_IAM", True, None),
    ("bob", "AWS_IAM", False, "AccessDeniedException"),
])
def test_invoke_url(env, caller, auth, requires, expected):
    r = check_invoke(env, user(caller), FN, url=True, url_auth_type=auth, url_requires_invoke_function=requires)
    assert (r.error.code if r.error else None) == expected
    if expected:
        assert (r.error.message, r.error.http_status) == ("Forbidden", 403)
    assert r.checks[0].action == "lambda:InvokeFunctionUrl"
    if auth == "NONE":
        assert r.checks[0].principal == "*"


def test_env_methods_delegate(env):
    assert env.check_invoke(user("alice"), FN).allowed
    assert env.check_create_function(user("alice"), f"arn:aws:lambda:us-east-1:{A}:function:new", ROLE).allowed
    assert env.function_can(FN, "sqs:SendMessage", DLQ).allowed


# -- create / update ------------------------------------------------------------------------------------

NEW = f"arn:aws:lambda:us-east-1:{A}:function:new"
VPC = {"subnet_ids": ["subnet-1", "subnet-2"], "security_group_ids": ["sg-1"], "vpc_id": "vpc-1"}
CANNOT_ASSUME = ("InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.")
NO_ENI = ("InvalidParameterValueException",
          "The provided execution role does not have permissions to call CreateNetworkInterface on EC2")

CREATE_CASES = [
    ("alice", NEW, ROLE, {}, None),
    ("alice", NEW, ROLE, {"vpc_config": VPC, "dead_letter_target": DLQ}, None),
    ("bob", NEW, ROLE, {}, ("AccessDeniedException",
                            f"User: {user('bob')} is not authorized to perform: lambda:CreateFunction on resource: "
                            f"{NEW} because no identity-based policy allows the lambda:CreateFunction action")),
    ("ivy", NEW, BARE_ROLE, {}, ("AccessDeniedException",
                                 f"User: {user('ivy')} is not authorized to perform: iam:PassRole on resource: "
                                 f"{BARE_ROLE} because no identity-based policy allows the iam:PassRole action")),
    ("alice", NEW, FOREIGN_ROLE, {}, ("AccessDeniedException",
                                      f"User: {user('alice')} is not authorized to perform: iam:PassRole on "
                                      f"resource: {FOREIGN_ROLE}")),
    ("alice", NEW, NO_TRUST_ROLE, {}, CANNOT_ASSUME),
    ("alice", NEW, f"arn:aws:iam::{A}:role/missing", {}, CANNOT_ASSUME),
    ("alice", NEW, COND_TRUST_ROLE, {}, None),  # aws:SourceAccount set by Lambda (the switch is on)
    ("alice", NEW, BARE_ROLE, {"vpc_config": VPC}, NO_ENI),
    ("alice", NEW, BARE_ROLE, {"dead_letter_target": DLQ},
     ("InvalidParameterValueException", "The provided execution role does not have permissions to call SendMessage on SQS")),
    ("alice", NEW, BARE_ROLE, {"dead_letter_target": TOPIC},
     ("InvalidParameterValueException", "The provided execution role does not have permissions to call Publish on SNS")),
    ("alice", NEW, ROLE, {"dead_letter_target": DLQ + ".fifo"}, "InvalidParameterValueException"),
    ("alice", FN, ROLE, {}, ("ResourceConflictException", "Function already exist: resize")),
    ("bob", NEW, ROLE, {"vpc_config": VPC}, "AccessDeniedException"),
    ("jack", NEW, ROLE, {"vpc_config": VPC},  # no ec2:Describe* for the caller
     ("AccessDeniedException", f"User: {user('jack')} is not authorized to perform: ec2:DescribeSecurityGroups on "
                               "resource: * because no identity-based policy allows the ec2:DescribeSecurityGroups action")),
    ("kim", NEW, ROLE, {"vpc_config": {"subnet_ids": ["subnet-1"], "security_group_ids": ["sg-1"]}}, None),
    ("kim", NEW, ROLE, {"vpc_config": VPC}, "AccessDeniedException"),  # subnet-2 not allowed by ForAllValues
]


@pytest.mark.parametrize("caller, arn, role, options, expected", CREATE_CASES)
def test_create_function(env, caller, arn, role, options, expected):
    r = check_create_function(env, user(caller), arn, role, **options)
    got = err(r)
    if isinstance(expected, str):
        got = got[0] if got else None
    assert got == expected, r.to_dict()


def test_create_function_checks_and_context(env):
    r = check_create_function(env, user("alice"), NEW, ROLE, vpc_config=VPC, layers=["arn:aws:lambda:us-east-1:1:layer:x:1"])
    names = [c.name for c in r.checks]
    assert names[:3] == ["create_function", "pass_role", "trust_policy"]
    assert "vpc_caller" in names and "vpc_execution_role" in names
    eni = [c for c in r.checks if c.name == "vpc_execution_role"]
    assert {c.resource.rsplit(":", 1)[-1] for c in eni} == {"network-interface/*", "subnet/subnet-1",
                                                            "subnet/subnet-2", "security-group/sg-1"}
    assert eni[0].principal == f"arn:aws:sts::{A}:assumed-role/fn-exec/new"
    trust = r.checks[2]
    assert (trust.principal, trust.action, trust.resource) == ("lambda.amazonaws.com", "sts:AssumeRole", ROLE)


def test_create_condition_keys(env):
    d = env_dict()
    d["users"].append({"arn": user("vpc-only"), "policies": [
        allow(["lambda:CreateFunction", "iam:PassRole", "ec2:Describe*"]),
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "lambda:CreateFunction", "Resource": "*",
                                                  "Condition": {"Null": {"lambda:VpcIds": "true"}}}]},
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "lambda:CreateFunction", "Resource": "*",
                                                  "Condition": {"ForAnyValue:StringLike": {"lambda:Layer": "*:layer:bad:*"}}}]}]})
    e = Environment.from_dict(d)
    who = user("vpc-only")
    assert check_create_function(e, who, NEW, ROLE).error.message.endswith(
        "with an explicit deny in an identity-based policy")
    assert check_create_function(e, who, NEW, ROLE, vpc_config=VPC).allowed
    assert not check_create_function(e, who, NEW, ROLE, vpc_config=VPC,
                                     layers=["arn:aws:lambda:us-east-1:1:layer:bad:3"]).allowed


def test_trust_switch(env):
    d = env_dict()
    d["lambda_sets_source_keys_on_assume_role"] = False
    e = Environment.from_dict(d)
    assert err(check_create_function(e, user("alice"), NEW, COND_TRUST_ROLE)) == CANNOT_ASSUME


def test_update_function_configuration(env):
    r = check_create_function(env, user("alice"), FN, None, update=True)
    assert r.allowed and r.checks[0].action == "lambda:UpdateFunctionConfiguration"
    assert "pass_role" not in [c.name for c in r.checks]  # role unchanged: no PassRole
    missing = f"arn:aws:lambda:us-east-1:{A}:function:nope"
    assert err(check_create_function(env, user("alice"), missing, ROLE, update=True)) == (
        "ResourceNotFoundException", f"Function not found: {missing}")
    assert err(check_create_function(env, user("alice"), FN, BARE_ROLE, update=True)) == (
        "InvalidParameterValueException", "The provided execution role does not have permissions to call SendMessage on SQS")


def test_strict_vpc(env):
    d = env_dict()
    d["roles"].append({"arn": f"arn:aws:iam::{A}:role/eni-only", "trust_policy": LAMBDA_TRUST,
                       "policies": [allow("ec2:CreateNetworkInterface")]})
    e = Environment.from_dict(d)
    role = f"arn:aws:iam::{A}:role/eni-only"
    assert check_create_function(e, user("alice"), NEW, role, vpc_config=VPC).allowed
    assert err(check_create_function(e, user("alice"), NEW, role, vpc_config=VPC, strict_vpc=True)) == (
        "InvalidParameterValueException",
        "The provided execution role does not have permissions to call DescribeNetworkInterfaces on EC2")


# -- function_can ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("action, resource, context, allowed", [
    ("sqs:SendMessage", DLQ, None, True),
    ("s3:PutObject", "arn:aws:s3:::uploads/x", None, False),
    ("dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/orders", None, True),  # lambda:SourceFunctionArn set
    ("dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/orders",
     {"lambda:SourceFunctionArn": OTHER_FN}, False),
])
def test_function_can(env, action, resource, context, allowed):
    r = function_can(env, FN, action, resource, context)
    assert r.allowed is allowed
    assert r.checks[0].principal == f"arn:aws:sts::{A}:assumed-role/fn-exec/resize"
    if not allowed:
        assert r.error.message == (f"User: arn:aws:sts::{A}:assumed-role/fn-exec/resize is not authorized to "
                                   f"perform: {action} on resource: {resource} because no identity-based policy "
                                   f"allows the {action} action")


def test_function_can_unknown_function(env):
    missing = f"arn:aws:lambda:us-east-1:{A}:function:nope"
    assert err(function_can(env, missing, "s3:GetObject", "*")) == ("ResourceNotFoundException",
                                                                     f"Function not found: {missing}")
    assert execution_session(f"arn:aws:iam::{A}:role/path/x", f"{FN}:live") == f"arn:aws:sts::{A}:assumed-role/x/resize"


# -- AddPermission / RemovePermission / GetPolicy ------------------------------------------------------------

def test_add_permission_writes_aws_statement_and_takes_effect(env):
    assert not check_invoke(env, "sns.amazonaws.com", FN, source_arn=TOPIC).allowed
    r = add_permission(env, user("alice"), FN, "sns", "lambda:InvokeFunction", "sns.amazonaws.com",
                       source_arn=TOPIC, source_account=A)
    assert r.allowed
    statement = json.loads(r.value["Statement"])
    assert statement == {"Sid": "sns", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                         "Action": "lambda:InvokeFunction", "Resource": FN,
                         "Condition": {"StringEquals": {"AWS:SourceAccount": A}, "ArnLike": {"AWS:SourceArn": TOPIC}}}
    assert check_invoke(env, "sns.amazonaws.com", FN, source_arn=TOPIC, source_account=A).allowed
    assert env.function_policy_document(FN)["Id"] == "default"


@pytest.mark.parametrize("principal, element", [
    (B, {"AWS": f"arn:aws:iam::{B}:root"}),
    ("*", "*"),
    (user("zed", B), {"AWS": user("zed", B)}),
    ("events.amazonaws.com", {"Service": "events.amazonaws.com"}),
])
def test_add_permission_principal_shapes(env, principal, element):
    r = add_permission(env, user("alice"), FN, "x", "lambda:InvokeFunction", principal, qualifier="live",
                       principal_org_id="o-abc123", function_url_auth_type="AWS_IAM")
    st = json.loads(r.value["Statement"])
    assert st["Principal"] == element and st["Resource"] == f"{FN}:live"
    assert st["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-abc123", "lambda:FunctionUrlAuthType": "AWS_IAM"}}


@pytest.mark.parametrize("args, options, expected", [
    (("s3", "lambda:InvokeFunction", "s3.amazonaws.com"), {},
     ("ResourceConflictException", "The statement id (s3) provided already exists. Please choose a new statement id, "
                                   "or remove the existing statement.")),
    (("s3", "lambda:InvokeFunction", "s3.amazonaws.com"), {"qualifier": "live"}, None),  # Sids are per qualifier
    (("n", "lambda:InvokeFunction", B), {"qualifier": "$LATEST"},
     ("InvalidParameterValueException", "We currently do not support adding policies for $LATEST.")),
    (("n", "lambda:InvokeFunction", "not a principal"), {},
     ("InvalidParameterValueException", "The provided principal was invalid. Please check the principal and try again.")),
    (("n", "lambda:InvokeFunction", B), {"qualifier": "9"}, ("ResourceNotFoundException", f"Function not found: {FN}:9")),
    (("bad sid", "lambda:InvokeFunction", B), {}, "ValidationException"),
    (("n", "s3:GetObject", B), {}, "ValidationException"),
    (("n", "lambda:InvokeFunction", B), {"revision_id": "stale"}, "PreconditionFailedException"),
])
def test_add_permission_errors(env, args, options, expected):
    r = add_permission(env, user("alice"), FN, *args, **options)
    got = err(r)
    if isinstance(expected, str):
        got = got[0] if got else None
    assert got == expected


def test_add_permission_needs_caller_permission(env):
    r = add_permission(env, user("bob"), FN, "n", "lambda:InvokeFunction", B)
    assert r.error.message == (f"User: {user('bob')} is not authorized to perform: lambda:AddPermission on resource: "
                               f"{FN} because no identity-based policy allows the lambda:AddPermission action")
    assert r.checks[0].decision.decision == "implicitDeny"
    assert env.function_policy_document(FN) == FUNCTION_POLICY


def test_add_permission_principal_condition_key(env):
    d = env_dict()
    d["users"].append({"arn": user("ops"), "policies": [allow("lambda:AddPermission", "*",
                                                              {"StringEquals": {"lambda:Principal": "s3.amazonaws.com"}})]})
    e = Environment.from_dict(d)
    assert add_permission(e, user("ops"), FN, "n", "lambda:InvokeFunction", "s3.amazonaws.com").allowed
    assert not add_permission(e, user("ops"), FN, "m", "lambda:InvokeFunction", B).allowed


def test_policy_size_limit(env):
    for i in range(200):
        r = add_permission(env, user("alice"), FN, f"sid{i}", "lambda:InvokeFunction", "s3.amazonaws.com",
                           source_arn=f"arn:aws:s3:::bucket-with-a-long-name-{i}", source_account=A)
        if not r.allowed:
            break
    assert r.error.code == "PolicyLengthExceededException"
    assert r.error.message.startswith("The final policy size (") and r.error.message.endswith("is bigger than the limit (20480).")


def test_get_and_remove_permission(env):
    got = get_policy(env, user("alice"), FN)
    policy = json.loads(got.value["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["s3", "frank", "url"]
    live = json.loads(get_policy(env, user("alice"), FN, qualifier="live").value["Policy"])
    assert [s["Sid"] for s in live["Statement"]] == ["partner"]
    assert err(get_policy(env, user("alice"), f"{FN}:1")) == ("ResourceNotFoundException",
                                                              "The resource you requested does not exist.")
    assert err(get_policy(env, user("bob"), FN))[0] == "AccessDeniedException"

    assert err(remove_permission(env, user("alice"), FN, "partner")) == (
        "ResourceNotFoundException", "Statement partner is not found in resource policy.")
    assert err(remove_permission(env, user("bob"), f"{FN}:live", "partner"))[0] == "AccessDeniedException"
    assert err(remove_permission(env, user("alice"), FN, "x", revision_id="stale"))[0] == "PreconditionFailedException"
    assert check_invoke(env, user("carol", B), f"{FN}:live").allowed
    rev = got.value["RevisionId"]
    assert remove_permission(env, user("alice"), f"{FN}:live", "partner", revision_id=rev).allowed
    assert not check_invoke(env, user("carol", B), f"{FN}:live").allowed  # cache dropped
    for sid in ("s3", "frank", "url"):
        assert remove_permission(env, user("alice"), FN, sid).allowed
    assert env.function(FN).resource_policy is None  # last statement gone: no policy


def test_env_permission_methods(env):
    assert env.add_permission(user("alice"), FN, "n", "lambda:InvokeFunction", B).allowed
    assert env.get_policy(user("alice"), FN).allowed
    assert env.remove_permission(user("alice"), FN, "n").allowed


# -- event sources, destinations, DLQs ------------------------------------------------------------------------

@pytest.mark.parametrize("function, source, options, expected", [
    (FN, QUEUE, {}, None),
    (OTHER_FN, QUEUE, {}, "The provided execution role does not have permissions to call ReceiveMessage on SQS"),
    (OTHER_FN, STREAM, {}, "The provided execution role does not have permissions to call GetRecords on Kinesis"),
    (OTHER_FN, DDB_STREAM, {}, "The provided execution role does not have permissions to call GetRecords on DynamoDB"),
    (FN, STREAM, {}, "The provided execution role does not have permissions to call GetRecords on Kinesis"),
    (FN, QUEUE, {"on_failure": TOPIC}, "Unsupported DestinationConfig parameter for given event source mapping type."),
])
def test_event_source_mapping(env, function, source, options, expected):
    r = check_event_source_mapping(env, user("alice"), function, source, **options)
    assert (r.error.message if r.error else None) == expected
    if expected:
        assert r.error.code == "InvalidParameterValueException"


def test_event_source_mapping_actions(env):
    r = check_event_source_mapping(env, user("alice"), FN, QUEUE)
    assert [c.action for c in r.checks] == ["lambda:CreateEventSourceMapping", "sqs:ReceiveMessage",
                                            "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    d = env_dict()
    d["roles"][0]["policies"].append(allow(["kinesis:Get*", "kinesis:Describe*", "kinesis:List*",
                                            "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                                            "dynamodb:DescribeStream", "dynamodb:ListStreams"]))
    e = Environment.from_dict(d)
    assert check_event_source_mapping(e, user("alice"), FN, STREAM, on_failure=DLQ).allowed
    assert check_event_source_mapping(e, user("alice"), FN, DDB_STREAM).allowed
    assert err(check_event_source_mapping(e, user("alice"), FN, STREAM, enhanced_fan_out=True)) == (
        "InvalidParameterValueException",
        "The provided execution role does not have permissions to call SubscribeToShard on Kinesis")
    assert err(check_event_source_mapping(e, user("bob"), FN, QUEUE))[0] == "AccessDeniedException"


@pytest.mark.parametrize("function, target, on, expected", [
    (FN, DLQ, "failure", None),
    (FN, TOPIC, "success", None),
    (FN, OTHER_FN, "success", None),
    (FN, BUS, "failure", None),
    (FN, FN + "x", "success", "The provided execution role does not have permissions to call InvokeFunction on Lambda"),
    (OTHER_FN, BUS, "failure", "The provided execution role does not have permissions to call PutEvents on EventBridge"),
    (OTHER_FN, "arn:aws:s3:::failures", "failure", "The provided execution role does not have permissions to call PutObject on S3"),
])
def test_destinations(env, function, target, on, expected):
    r = check_destination(env, function, target, on=on)
    assert (r.error.message if r.error else None) == expected


def test_destination_target_kinds(env):
    assert check_destination(env, FN, "arn:aws:s3:::b", on="success").error.code == "InvalidParameterValueException"
    assert check_destination(env, FN, DLQ + ".fifo").error.code == "InvalidParameterValueException"
    assert err(check_destination(env, FN, DLQ, caller=user("bob")))[0] == "AccessDeniedException"
    assert check_dead_letter(env, FN, ROLE, BUS).error.code == "InvalidParameterValueException"
    r = check_function_targets(env, FN)
    assert r.allowed and [c.action for c in r.checks] == ["sqs:SendMessage", "sns:Publish", "lambda:InvokeFunction"]


def test_check_result_helpers():
    assert AwsError.of("ResourceConflictException", "m").http_status == 409
    assert not CheckResult(False, AwsError.of("X", "m"))
    assert Check.__slots__
