"""Lint inputs: files, folders and stdin -> policy documents, with positions and policy types."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

import policyengine.limits

from policyengine.errors import PolicyEngineError, PolicySyntaxError, PolicyValidationError
from policyengine.lint import inputs
from policyengine.lint.inputs import (
    InputError,
    Intrinsic,
    LintTarget,
    NoPolicyFoundError,
    UnreadableInputError,
    infer_policy_type,
    is_intrinsic,
    read_targets,
    template_placeholders,
)
from policyengine.limits import DEFAULT_LIMITS, LimitExceededError, Limits
from policyengine.lint.yaml_positions import load_yaml

MAX_DEPTH = DEFAULT_LIMITS.max_yaml_depth

DATA = Path(__file__).parent / "data" / "lint"


def read(*names: str, **options: Any) -> tuple[list[LintTarget], list[PolicyEngineError]]:
    return read_targets([str(DATA / name) for name in names], **options)


def only_targets(*names: str, **options: Any) -> list[LintTarget]:
    targets, errors = read(*names, **options)
    assert errors == []
    return targets


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


# -- shapes: one fixture per shape ---------------------------------------------------------------

RES = ("Resources",)
PLAN = ("planned_values", "root_module")

# fixture -> [(document_path, policy_type, words of the reason, resource_kind, label)]
SHAPES: dict[str, list[tuple[tuple[Any, ...], str, str, str | None, str]]] = {
    "bare.json": [((), "identity", "inferred: no statement names a principal", None, "policy")],
    "trust.json": [((), "trust", "inferred: statements name principals and allow only sts:AssumeRole*",
                    None, "policy")],
    "queue-policy.yaml": [((), "resource", "inferred: statements name principals", None, "policy")],
    "list-of-policies.json": [
        ((0,), "identity", "inferred", None, "policy 0"),
        ((1,), "resource", "inferred: statements name principals", None, "policy 1"),
    ],
    "url-encoded.txt": [((), "resource", "inferred", None, "policy")],
    "policy-version.json": [
        (("PolicyVersion", "Document"), "identity", "aws iam get-policy-version", None,
         "policy version v3 (default)"),
    ],
    "policy-version-urlencoded.json": [
        (("PolicyVersion", "Document"), "identity", "aws iam get-policy-version", None,
         "policy version v1"),
    ],
    "authorization-details.json": [
        (("UserDetailList", 0, "UserPolicyList", 0, "PolicyDocument"), "identity",
         "get-account-authorization-details: user inline policy", None,
         "user alice inline policy alice-s3"),
        (("GroupDetailList", 0, "GroupPolicyList", 0, "PolicyDocument"), "identity",
         "group inline policy", None, "group devs inline policy devs-logs"),
        (("RoleDetailList", 0, "AssumeRolePolicyDocument"), "trust", "role trust policy",
         "iam:role", "role app trust policy"),
        (("RoleDetailList", 0, "RolePolicyList", 0, "PolicyDocument"), "identity",
         "role inline policy", None, "role app inline policy app-sqs"),
        (("Policies", 0, "PolicyVersionList", 0, "Document"), "identity", "managed policy", None,
         "managed policy ci-deploy v2 (default)"),
        (("Policies", 0, "PolicyVersionList", 1, "Document"), "identity", "managed policy", None,
         "managed policy ci-deploy v1"),
        (("Policies", 1, "PolicyVersionList", 0, "Document"), "boundary",
         "used only as a permissions boundary", None, "managed policy dev-boundary v1 (default)"),
    ],
    "cfn-template.yaml": [
        (RES + ("MyRole", "Properties", "AssumeRolePolicyDocument"), "trust",
         "CloudFormation AWS::IAM::Role AssumeRolePolicyDocument", "iam:role", "MyRole trust policy"),
        (RES + ("MyRole", "Properties", "Policies", 0, "PolicyDocument"), "identity",
         "CloudFormation AWS::IAM::Role Policies", None, "MyRole inline policy root"),
        (RES + ("Boundary", "Properties", "PolicyDocument"), "boundary",
         "used as the PermissionsBoundary of MyRole", None, "Boundary managed policy"),
        (RES + ("BucketPolicy", "Properties", "PolicyDocument"), "resource",
         "CloudFormation AWS::S3::BucketPolicy PolicyDocument", "s3:bucket",
         "BucketPolicy bucket policy"),
        (RES + ("Perm", "Properties"), "resource", "CloudFormation AWS::Lambda::Permission",
         "lambda:function", "Perm Lambda permission"),
        (RES + ("Key", "Properties", "KeyPolicy"), "resource", "AWS::KMS::Key KeyPolicy",
         "kms:key", "Key key policy"),
        (RES + ("Devs", "Properties", "Policies", 0, "PolicyDocument"), "identity",
         "AWS::IAM::Group Policies", None, "Devs inline policy read-logs"),
        # `Optional`'s PolicyDocument is `!Ref PolicyParameter`: nothing to lint.
    ],
    "cfn-template.json": [
        (RES + ("QueuePolicy", "Properties", "PolicyDocument"), "resource",
         "AWS::SQS::QueuePolicy", "sqs:queue", "QueuePolicy queue policy"),
        (RES + ("TopicPolicy", "Properties", "PolicyDocument"), "resource",
         "AWS::SNS::TopicPolicy", "sns:topic", "TopicPolicy topic policy"),
        (RES + ("DenyLeave", "Properties", "Content"), "scp",
         "AWS::Organizations::Policy of Type SERVICE_CONTROL_POLICY", None, "DenyLeave SCP"),
        (RES + ("EnforceTls", "Properties", "Content"), "rcp", "RESOURCE_CONTROL_POLICY", None,
         "EnforceTls RCP"),
        # CostTags is a TAG_POLICY: not an IAM policy.
        (RES + ("UrlPermission", "Properties"), "resource", "AWS::Lambda::Permission",
         "lambda:function", "UrlPermission Lambda permission"),
        (RES + ("CrossAccount", "Properties"), "resource", "AWS::Lambda::Permission",
         "lambda:function", "CrossAccount Lambda permission"),
        (RES + ("Search", "Properties", "AccessPolicies"), "resource",
         "AWS::OpenSearchService::Domain AccessPolicies; inferred: statements name principals",
         None, "Search AccessPolicies"),
    ],
    "terraform-plan.json": [
        (PLAN + ("resources", 0, "values", "assume_role_policy"), "trust",
         "Terraform aws_iam_role.assume_role_policy", "iam:role", "aws_iam_role.app trust policy"),
        (PLAN + ("resources", 0, "values", "inline_policy", 0, "policy"), "identity",
         "Terraform aws_iam_role.inline_policy", None, "aws_iam_role.app inline policy logs"),
        (PLAN + ("resources", 1, "values", "policy"), "resource",
         "Terraform aws_s3_bucket_policy.policy", "s3:bucket", "aws_s3_bucket_policy.site bucket policy"),
        (PLAN + ("resources", 2, "values"), "resource", "Terraform aws_lambda_permission",
         "lambda:function", "aws_lambda_permission.from_s3 Lambda permission"),
        (PLAN + ("resources", 3, "values", "access_policies"), "resource",
         "Terraform aws_opensearch_domain.access_policies; inferred: statements name principals",
         None, "aws_opensearch_domain.search access_policies"),
        (PLAN + ("child_modules", 0, "resources", 0, "values", "content"), "scp",
         "aws_organizations_policy of type SERVICE_CONTROL_POLICY", None,
         "module.org.aws_organizations_policy.deny_leave SCP"),
        (PLAN + ("child_modules", 0, "resources", 2, "values", "policy"), "identity",
         "Terraform aws_iam_policy.policy", None, "module.org.aws_iam_policy.ci policy"),
        (("prior_state", "values", "root_module", "resources", 0, "values", "json"), "trust",
         "Terraform aws_iam_policy_document.json; inferred: statements name principals and allow "
         "only sts:AssumeRole*", None, "data.aws_iam_policy_document.assume policy document"),
    ],
    "config.tf.json": [
        (("resource", "aws_iam_policy", "literal", "policy"), "identity",
         "Terraform aws_iam_policy.policy", None, "aws_iam_policy.literal policy"),
    ],
    "get-role.json": [
        (("Role", "AssumeRolePolicyDocument"), "trust", "aws iam get-role", "iam:role",
         "role deployer trust policy"),
    ],
    "get-bucket-policy.json": [
        (("Policy",), "resource", "aws s3api get-bucket-policy", "s3:bucket", "bucket policy"),
    ],
    "lambda-get-policy.json": [
        (("Policy",), "resource", "aws lambda get-policy", "lambda:function", "function policy"),
    ],
    "sns-topic-attributes.json": [
        (("Attributes", "Policy"), "resource", "aws sns get-topic-attributes", "sns:topic",
         "topic policy"),
    ],
    "organizations-describe-policy.json": [
        (("Policy", "Content"), "rcp", "aws organizations describe-policy", None, "RCP enforce-tls"),
    ],
}


@pytest.mark.parametrize("fixture", sorted(SHAPES))
def test_shapes(fixture: str) -> None:
    targets = only_targets(fixture)
    got = [(t.document_path, t.policy_type, t.resource_kind, t.label) for t in targets]
    want = [(path, ptype, kind, label) for path, ptype, _, kind, label in SHAPES[fixture]]
    assert got == want
    for target, (_, _, reason, _, _) in zip(targets, SHAPES[fixture]):
        assert reason in target.policy_type_reason
        assert target.file == str(DATA / fixture)
        # Every recognised document is a policy the parser accepts.
        document = target.lint_document()
        assert document.policy_type == target.policy_type
        assert document.document_path == target.document_path


# -- positions ------------------------------------------------------------------------------------

# fixture, index of the target, path inside the document -> (line, column) in the file
POSITIONS = [
    ("bare.json", 0, ("Statement", 1), (13, 5)),
    ("bare.json", 0, ("Statement", 0, "Action", 1), (7, 34)),
    ("bare.json", 0, ("Statement", 0, "Resource", 1), (10, 9)),
    ("queue-policy.yaml", 0, ("Statement", 0), (4, 5)),
    ("queue-policy.yaml", 0, ("Statement", 0, "Effect"), (5, 5)),
    ("queue-policy.yaml", 0, ("Statement", 0, "Condition", "Null", "aws:SourceAccount"), (16, 9)),
    ("policy-version.json", 0, ("Statement", 0), (6, 17)),
    ("policy-version.json", 0, ("Statement", 0, "Action"), (8, 21)),
    ("policy-version.json", 0, (), (3, 9)),
    ("cfn-template.yaml", 0, ("Statement", 0, "Principal", "Service"), (14, 25)),
    ("cfn-template.yaml", 1, ("Statement", 0, "Action", 0), (23, 26)),
    # The `!If` statement: at the `!If` item; its content at the chosen branch.
    ("cfn-template.yaml", 1, ("Statement", 1), (25, 17)),
    ("cfn-template.yaml", 1, ("Statement", 1, "Action"), (28, 19)),
    # The `!Ref AWS::NoValue` branch is gone; the next statement follows at index 2.
    ("cfn-template.yaml", 1, ("Statement", 2, "Action"), (32, 17)),
    ("cfn-template.yaml", 3, ("Statement", 0, "Resource", 1), (54, 44)),
    # Lambda permission: elements point at the properties they come from.
    ("cfn-template.yaml", 4, ("Statement", 0), (58, 5)),
    ("cfn-template.yaml", 4, ("Statement", 0, "Action"), (59, 7)),
    ("cfn-template.yaml", 4, ("Statement", 0, "Resource"), (60, 7)),
    ("cfn-template.yaml", 4, ("Statement", 0, "Principal", "Service"), (61, 7)),
    ("cfn-template.yaml", 4, ("Statement", 0, "Condition", "StringEquals", "AWS:SourceAccount"), (62, 7)),
    ("cfn-template.yaml", 4, ("Statement", 0, "Condition", "ArnLike", "AWS:SourceArn"), (63, 7)),
    ("cfn-template.yaml", 4, ("Statement", 0, "Condition"), (62, 7)),
    ("cfn-template.json", 0, ("Statement", 0, "Resource"), (17, 15)),
    ("cfn-template.json", 4, ("Statement", 0, "Condition", "StringEquals", "lambda:FunctionUrlAuthType"),
     (71, 9)),
    # Documents stored as JSON text: the string's own position, for every path inside.
    ("terraform-plan.json", 0, (), (15, 13)),
    ("terraform-plan.json", 0, ("Statement", 0, "Action"), (15, 13)),
    ("terraform-plan.json", 3, ("Statement", 0, "Condition", "ArnLike", "AWS:SourceArn"), (61, 13)),
    ("policy-version-urlencoded.json", 0, ("Statement", 0), (3, 9)),
    ("authorization-details.json", 1, ("Statement", 0), (40, 21)),
    ("authorization-details.json", 2, ("Statement", 0, "Principal"), (63, 25)),
    ("url-encoded.txt", 0, ("Statement",), (1, 1)),
]


@pytest.mark.parametrize("fixture,index,path,where", POSITIONS,
                         ids=[f"{f}-{i}-{'.'.join(map(str, p))}" for f, i, p, _ in POSITIONS])
def test_positions(fixture: str, index: int, path: tuple[Any, ...], where: tuple[int, int]) -> None:
    target = only_targets(fixture)[index]
    assert target.location_of(path) == where
    assert target.parse().location_of(path) == where
    line = (DATA / fixture).read_text(encoding="utf-8").splitlines()[where[0] - 1]
    assert line[where[1] - 1:].strip()  # the column points at text


def test_positions_point_at_the_key_or_item() -> None:
    lines = (DATA / "bare.json").read_text().splitlines()
    target = only_targets("bare.json")[0]
    line, column = target.location_of(("Statement", 1, "Sid"))
    assert lines[line - 1][column - 1:].startswith('"Sid": "DenyDelete"')
    line, column = target.location_of(("Statement", 0, "Action", 1))
    assert lines[line - 1][column - 1:].startswith('"s3:ListBucket"')
    lines = (DATA / "cfn-template.yaml").read_text().splitlines()
    trust = only_targets("cfn-template.yaml")[0]
    line, column = trust.location_of(("Statement", 0, "Action"))
    assert lines[line - 1][column - 1:].startswith("Action: sts:AssumeRole")


def test_locations_are_rerooted_to_the_document() -> None:
    target = only_targets("authorization-details.json")[2]  # role trust policy
    assert target.locations is not None
    assert all(not path or path[0] in ("Version", "Statement") for path in target.locations)


def test_yaml_columns_count_characters() -> None:
    document = load_yaml("a: é\nb: [é, x]\n")
    assert document.locations[("b", 1)] == (2, 8)


# -- values as the rules see them -------------------------------------------------------------------


def test_yaml_scalars_keep_policy_text() -> None:
    document = load_yaml(
        "Version: 2012-10-17\n"
        "Condition:\n"
        "  Null: {aws:TokenIssueTime: true}\n"
        "  DateGreaterThan: {aws:CurrentTime: 2024-01-01T00:00:00Z}\n"
        "  StringEquals: {aws:SourceAccount: 012345670123, n: 12, f: 1.5, h: 0x1F, s: 1_000}\n"
        "  Bool: {aws:SecureTransport: false, x: ~}\n"
    )
    value = document.value
    assert value["Version"] == "2012-10-17"
    assert "Null" in value["Condition"]  # a key stays its text
    assert value["Condition"]["DateGreaterThan"]["aws:CurrentTime"] == "2024-01-01T00:00:00Z"
    assert value["Condition"]["StringEquals"] == {
        "aws:SourceAccount": "012345670123", "n": 12, "f": 1.5, "h": "0x1F", "s": "1_000",
    }
    assert value["Condition"]["Bool"] == {"aws:SecureTransport": False, "x": None}


CFN_TAGS = [
    ("!Ref Bucket", {"Ref": "Bucket"}, "!Ref Bucket"),
    ("!GetAtt Role.Arn", {"Fn::GetAtt": ["Role", "Arn"]}, "!GetAtt Role.Arn"),
    ("!GetAtt [Role, Arn]", {"Fn::GetAtt": ["Role", "Arn"]}, "!GetAtt Role.Arn"),
    ("!ImportValue SharedRoleArn", {"Fn::ImportValue": "SharedRoleArn"}, "!ImportValue SharedRoleArn"),
    ("!Select [0, !GetAZs '']", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}, '!Select [0,{"Fn::GetAZs":""}]'),
    ("!FindInMap [Map, !Ref AWS::Region, Arn]",
     {"Fn::FindInMap": ["Map", {"Ref": "AWS::Region"}, "Arn"]}, "!FindInMap"),
    ("!Split [',', !Ref List]", {"Fn::Split": [",", {"Ref": "List"}]}, "!Split"),
    ("!Base64 text", {"Fn::Base64": "text"}, "!Base64 text"),
    ("!Cidr [!Ref Cidr, 6, 5]", {"Fn::Cidr": [{"Ref": "Cidr"}, 6, 5]}, "!Cidr"),
    ("!If [IsProd, a, b]", {"Fn::If": ["IsProd", "a", "b"]}, "!If"),
    ("!Equals [a, b]", {"Fn::Equals": ["a", "b"]}, "!Equals"),
    ("!And [!Condition A, !Not [!Condition B]]",
     {"Fn::And": [{"Condition": "A"}, {"Fn::Not": [{"Condition": "B"}]}]}, "!And"),
    ("!Or [!Condition A, !Condition B]", {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]}, "!Or"),
    ("!Condition IsProd", {"Condition": "IsProd"}, "!Condition IsProd"),
    # Templates: strings with CloudFormation's placeholders.
    ("!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${!aws:username}/*'",
     {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/${!aws:username}/*"},
     "arn:${AWS::Partition}:s3:::${Bucket}/${aws:username}/*"),
    ("!Sub ['arn:aws:s3:::${Name}/*', {Name: my-bucket}]",
     {"Fn::Sub": ["arn:aws:s3:::${Name}/*", {"Name": "my-bucket"}]}, "arn:aws:s3:::my-bucket/*"),
    ("!Join ['', ['arn:aws:s3:::', !Ref Bucket, '/*']]",
     {"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bucket"}, "/*"]]}, "arn:aws:s3:::${Bucket}/*"),
    ("!Join [':', [a, b]]", {"Fn::Join": [":", ["a", "b"]]}, "a:b"),
]


@pytest.mark.parametrize("text,long_form,linted", CFN_TAGS, ids=[t for t, _, _ in CFN_TAGS])
def test_cfn_tags(tmp_path: Path, text: str, long_form: Any, linted: str) -> None:
    assert load_yaml(f"x: {text}\n").value == {"x": long_form}
    file = write(tmp_path, "t.yaml", (
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      PolicyDocument:\n"
        "        Version: '2012-10-17'\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: s3:GetObject\n"
        f"            Resource: {text}\n"
    ))
    (target,), errors = read_targets([file])
    assert errors == []
    resource = target.value["Statement"][0]["Resource"]
    assert isinstance(resource, str) and resource.startswith(linted)
    assert is_intrinsic(resource) or resource == linted
    assert target.location_of(("Statement", 0, "Resource")) == (10, 13)
    target.lint_document()  # the parser takes placeholders where strings go


def test_intrinsic_helpers() -> None:
    placeholder = Intrinsic("!Ref Bucket", "Ref", "Bucket")
    assert is_intrinsic(placeholder) and not placeholder.template
    assert is_intrinsic("!GetAtt Role.Arn")  # the text a model keeps
    assert not is_intrinsic("arn:aws:s3:::bucket") and not is_intrinsic("!not-a-function")
    template = Intrinsic("arn:aws:s3:::${Bucket}/${aws:username}", "Fn::Sub", "")
    assert is_intrinsic(template) and template.template
    assert template_placeholders("arn:${AWS::Partition}:s3:::${Bucket}/${Res.Arn}/${aws:username}/${*}") == [
        "AWS::Partition", "Bucket", "Res.Arn"]


def test_cfn_json_and_yaml_agree(tmp_path: Path) -> None:
    yaml_file = write(tmp_path, "t.yaml", (
        "Resources:\n"
        "  Role:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      AssumeRolePolicyDocument:\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}\n"
        "            Action: sts:AssumeRole\n"
        "            Condition: !If [HasId, {StringEquals: {sts:ExternalId: !Ref Id}}, !Ref AWS::NoValue]\n"
    ))
    json_file = write(tmp_path, "t.json", json.dumps({"Resources": {"Role": {
        "Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [{
            "Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}},
            "Action": "sts:AssumeRole",
            "Condition": {"Fn::If": ["HasId", {"StringEquals": {"sts:ExternalId": {"Ref": "Id"}}},
                                     {"Ref": "AWS::NoValue"}]}}]}}}}}, indent=2))
    (from_yaml,), _ = read_targets([yaml_file])
    (from_json,), _ = read_targets([json_file])
    assert from_yaml.value == from_json.value == {"Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${AWS::AccountId}:root"},
        "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "!Ref Id"}}}]}
    assert from_yaml.policy_type == from_json.policy_type == "trust"


def test_no_value_and_parameter_documents_are_left_out(tmp_path: Path) -> None:
    file = write(tmp_path, "t.yaml", (
        "Resources:\n"
        "  A:\n"
        "    Type: AWS::IAM::Policy\n"
        "    Properties:\n"
        "      PolicyDocument: !Ref Document\n"
        "  B:\n"
        "    Type: AWS::IAM::Policy\n"
        "    Properties:\n"
        "      PolicyDocument: !If [C, !Ref AWS::NoValue, !Ref AWS::NoValue]\n"
        "  C:\n"
        "    Type: AWS::IAM::Policy\n"
        "    Properties:\n"
        "      PolicyDocument: !Sub '{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::${B}\"}]}'\n"
    ))
    (target,), errors = read_targets([file])
    assert errors == []
    assert target.label == "C policy" and isinstance(target.value, str)
    assert target.locations == {(): (13, 7)}
    assert target.parse().statements[0].resource == ["arn:aws:s3:::${B}"]


def test_lambda_permission_statement() -> None:
    url, cross = only_targets("cfn-template.json")[4:6]
    assert url.value == {"Version": "2012-10-17", "Statement": [{
        "Sid": "UrlPermission", "Effect": "Allow", "Principal": "*",
        "Action": "lambda:InvokeFunctionUrl",
        "Resource": "arn:aws:lambda:us-east-1:111122223333:function:web",
        "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}}]}
    statement = cross.value["Statement"][0]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::444455556666:root"}
    assert statement["Resource"] == "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:worker"
    assert is_intrinsic(statement["Resource"]) and "Condition" not in statement
    plan = only_targets("terraform-plan.json")[3]
    assert plan.value["Statement"][0] == {
        "Sid": "AllowS3Invoke", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Resource": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:thumbnailer",
        "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::example-uploads"}}}


def test_text_documents_keep_their_text() -> None:
    target = only_targets("policy-version-urlencoded.json")[0]
    assert isinstance(target.value, str) and target.value.startswith("%7B")
    assert target.document()["Statement"][0]["Action"] == "ec2:Describe*"
    whole = only_targets("url-encoded.txt")[0]
    assert whole.value == (DATA / "url-encoded.txt").read_text().strip()
    assert whole.parse().statements[0].action == ["kms:Decrypt"]


# -- policy types -----------------------------------------------------------------------------------

P = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
INFER = [
    ({"Statement": [P]}, "identity"),
    ({"Statement": P}, "identity"),
    ({"Statement": [dict(P, Principal="*")]}, "resource"),
    ({"Statement": [dict(P, NotPrincipal={"AWS": "x"})]}, "resource"),
    ({"Statement": [P, dict(P, Principal="*")]}, "resource"),
    ({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                     "Action": "sts:AssumeRole"}]}, "trust"),
    ({"Statement": [{"Effect": "Allow", "Principal": {"Federated": "x"},
                     "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"]}]},
     "trust"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
                     dict(P, Principal="*")]}, "resource"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "NotAction": "sts:AssumeRole"}]}, "resource"),
    ({}, "identity"),
]


@pytest.mark.parametrize("document,expected", INFER)
def test_infer_policy_type(document: dict[str, Any], expected: str) -> None:
    policy_type, reason = infer_policy_type(document)
    assert policy_type == expected and reason.startswith("inferred: ")


def test_policy_type_argument_overrides_everything() -> None:
    targets = only_targets("cfn-template.yaml", "bare.json", policy_type="boundary")
    assert {t.policy_type for t in targets} == {"boundary"}
    trust = targets[0]
    assert trust.policy_type_reason == (
        "--policy-type boundary (the file's shape says trust: CloudFormation AWS::IAM::Role "
        "AssumeRolePolicyDocument)")
    assert targets[-1].policy_type_reason == "--policy-type boundary"


def test_invalid_arguments_raise() -> None:
    with pytest.raises(InputError) as caught:
        read_targets([str(DATA / "bare.json")], policy_type="session")
    assert caught.value.code == "INVALID_ARGUMENT" and "identity, resource, trust" in caught.value.message
    with pytest.raises(InputError) as caught:
        read_targets([str(DATA / "bare.json")], select="a[")
    assert caught.value.code == "INVALID_ARGUMENT"


# -- --select -----------------------------------------------------------------------------------------

SELECT = [
    # expression, [(document_path, label)]
    ("bundles[].iam.policy", [(("bundles", 0, "iam", "policy"), "--select bundles[0].iam.policy"),
                              (("bundles", 1, "iam", "policy"), "--select bundles[1].iam.policy")]),
    ("bundles[1].iam.policy", [(("bundles", 1, "iam", "policy"), "--select bundles[1].iam.policy")]),
    ("bundles[-2].iam.policy", [(("bundles", 1, "iam", "policy"), "--select bundles[1].iam.policy")]),
    ("bundles[?name=='reader'].iam.policy | [0]",
     [(("bundles", 0, "iam", "policy"), "--select bundles[0].iam.policy")]),
    ("[bundles[0].iam.policy]", [(("bundles", 0, "iam", "policy"), "--select bundles[0].iam.policy")]),
    ("merge(bundles[0].iam.policy, {Id: 'copy'})",
     [(("<select>", 0), "--select result 0 (its place in the file is unknown)")]),
]


@pytest.mark.parametrize("expression,expected", SELECT, ids=[e for e, _ in SELECT])
def test_select(expression: str, expected: list[tuple[Any, str]]) -> None:
    targets = only_targets("custom-shape.json", select=expression)
    assert [(t.document_path, t.label) for t in targets] == expected
    for target in targets:
        assert target.origin == "select"
        assert target.policy_type == "identity"
        assert target.policy_type_reason == "--select; inferred: no statement names a principal"
        target.parse()


def test_select_positions() -> None:
    first, second = only_targets("custom-shape.json", select="bundles[].iam.policy")
    assert first.location_of(("Statement", 0, "Action")) == (11, 15)
    assert second.locations == {(): (21, 9)}  # JSON text: the string's position
    unknown = only_targets("custom-shape.json", select="merge(bundles[0].iam.policy, {Id: 'x'})")[0]
    assert unknown.locations is None


def test_select_keeps_what_the_shape_knows() -> None:
    (target,) = only_targets("authorization-details.json", select="RoleDetailList[].AssumeRolePolicyDocument")
    assert target.policy_type == "trust" and target.resource_kind == "iam:role"
    assert target.document_path == ("RoleDetailList", 0, "AssumeRolePolicyDocument")


def test_select_on_a_template_makes_intrinsics_lintable() -> None:
    targets = only_targets("cfn-template.yaml", select="Resources.BucketPolicy.Properties.PolicyDocument")
    (target,) = targets
    assert target.value["Statement"][0]["Resource"] == ["!GetAtt Bucket.Arn", "${Bucket.Arn}/*"]
    assert target.policy_type == "resource" and target.resource_kind == "s3:bucket"
    assert target.location_of(("Statement", 0, "Condition")) == (55, 13)


def test_select_finding_nothing_is_an_error() -> None:
    targets, errors = read("custom-shape.json", select="bundles[].name")
    assert targets == []
    (error,) = errors
    assert isinstance(error, NoPolicyFoundError)
    assert error.message == "--select `bundles[].name` found no policy document in this file"
    assert (error.line, error.column) == (1, 1)


# -- stdin and folders ---------------------------------------------------------------------------------


def test_stdin_json_and_yaml() -> None:
    (target,), errors = read_targets(["-"], stdin=io.StringIO('{"Statement": {"Effect": "Allow", '
                                                              '"Action": "*", "Resource": "*"}}'))
    assert errors == [] and target.file == "<stdin>" and target.document_path == ()
    assert target.location_of(("Statement", "Action")) == (1, 35)
    (target,), errors = read_targets(["-"], stdin=io.StringIO("Statement:\n  Effect: Allow\n"
                                                              "  Action: '*'  # policyengine: ignore X\n"
                                                              "  Resource: '*'\n"))
    assert errors == [] and target.location_of(("Statement", "Resource")) == (4, 3)
    assert target.ignores == {3: {"X"}}


def test_stdin_bytes_and_url_encoded() -> None:
    class Binary(io.StringIO):
        buffer = io.BytesIO((DATA / "url-encoded.txt").read_bytes())

    (target,), errors = read_targets(["-"], stdin=Binary())
    assert errors == [] and target.policy_type == "resource"
    assert target.value.startswith("%7B")


def test_folders(tmp_path: Path) -> None:
    policy = json.dumps({"Statement": [P]})
    write(tmp_path, "b.json", policy)
    write(tmp_path, "a/nested/c.yaml", "Statement:\n  - Effect: Allow\n    Action: '*'\n    Resource: '*'\n")
    write(tmp_path, "a/d.yml", "Statement: []\n")
    write(tmp_path, "a/e.template", policy)
    write(tmp_path, "a/f.tf.json", json.dumps({"resource": {"aws_iam_policy": {"p": {"policy": policy}}}}))
    write(tmp_path, "a/notes.txt", policy)  # not a policy file name
    write(tmp_path, ".hidden/g.json", policy)
    write(tmp_path, "a/.h.json", policy)
    write(tmp_path, "node_modules/x/h.json", policy)
    write(tmp_path, ".git/i.json", policy)
    write(tmp_path, "a/package.json", '{"name": "x"}')
    targets, errors = read_targets([str(tmp_path), str(tmp_path / "b.json")])
    names = [os.path.relpath(t.file, tmp_path) for t in targets]
    assert names == ["b.json", "a/d.yml", "a/e.template", "a/f.tf.json", "a/nested/c.yaml"]
    (error,) = errors
    assert isinstance(error, NoPolicyFoundError) and error.walked
    assert error.file == str(tmp_path / "a" / "package.json")


def test_empty_folder_and_missing_path(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write(tmp_path, "empty/readme.md", "# nothing")
    targets, errors = read_targets([str(tmp_path / "empty"), str(tmp_path / "missing.json"),
                                    str(DATA / "bare.json")])
    assert len(targets) == 1
    folder, missing = errors
    assert isinstance(folder, NoPolicyFoundError) and folder.file == str(tmp_path / "empty")
    assert isinstance(missing, UnreadableInputError)
    assert str(missing) == f"{tmp_path / 'missing.json'}: no such file or folder"


# -- inline suppressions -----------------------------------------------------------------------------


def test_inline_ignores_in_fixture() -> None:
    target = only_targets("queue-policy.yaml")[0]
    # Line 5: end of line; line 13 alone applies to line 15 (line 14 is blank); the text inside
    # the quoted string on line 12 is not a comment.
    assert target.ignores == {5: {"MISSING_VERSION", "REDUNDANT_ACTION"}, 15: {"PUBLIC_ACCESS"}}
    assert only_targets("bare.json")[0].ignores == {}


IGNORES = [
    ("a: 1  # policyengine: ignore A\n", {1: {"A"}}),
    ("a: 1  #policyengine:ignore A,B , c\n", {1: {"A", "B", "C"}}),
    ("# policyengine: ignore A\n# another comment\n\n  b: 2\n", {4: {"A"}}),
    ("# policyengine: ignore A\n# policyengine: ignore B\nb: 2\n", {3: {"A", "B"}}),
    ("b: 2\n# policyengine: ignore A\n", {}),
    ("a: 'x # policyengine: ignore A'\n", {}),
    ("a: x#policyengine:ignore A\n", {}),  # `#` inside a plain scalar is text
    ("a: 1  # policyengine: ignore A -- reviewed\n", {1: {"A"}}),
    ("a: 1  # policyengine: ignore\n", {}),
]


@pytest.mark.parametrize("text,expected", IGNORES)
def test_inline_ignores(text: str, expected: dict[int, set[str]]) -> None:
    assert load_yaml(text).ignores == expected


# -- errors ---------------------------------------------------------------------------------------------

ERRORS = [
    # file name, content, error class, (line, column) or None, words of the message
    ("bad.json", '{\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}\n', PolicySyntaxError, (3, 23),
     "trailing comma"),
    ("bad.yaml", "Statement:\n  - Effect: Allow\n   Action: x\n", PolicySyntaxError, (3, 4),
     "the YAML is not valid"),
    ("tabs.yaml", "Statement:\n\t- Effect: Allow\n", PolicySyntaxError, (2, 1), "the YAML is not valid"),
    ("dup.yaml", "Statement:\n  Effect: Allow\n  Effect: Deny\n", PolicySyntaxError, (3, 3),
     "duplicate key `Effect`; it already appears at line 2, column 3"),
    ("two.yaml", "Statement: []\n---\nStatement: []\n", PolicySyntaxError, (2, 1),
     "more than one YAML document"),
    ("python.yaml", "Statement: !!python/object/apply:os.system ['true']\n", PolicySyntaxError, (1, 12),
     "unsupported YAML tag"),
    ("set.yaml", "Statement: !!set {a: null}\n", PolicySyntaxError, (1, 12), "unsupported YAML tag"),
    ("key.yaml", "? [a, b]\n: c\n", PolicySyntaxError, (1, 3), "a mapping key must be a plain scalar"),
    ("alias.yaml", "a: *nowhere\n", PolicySyntaxError, (1, 4), "names no anchor defined before it"),
    ("utf16.json", '{"Statement": []}'.encode("utf-16"), PolicySyntaxError, (1, 1),
     "not valid UTF-8"),
    ("latin1.yaml", "Statement:\n  Sid: caf\xe9\n".encode("latin-1"), PolicySyntaxError, (2, 11),
     "not valid UTF-8"),
    ("empty.json", "", PolicySyntaxError, None, ""),
    ("empty.yaml", "# nothing here\n", NoPolicyFoundError, (1, 1), inputs.NO_POLICY),
    ("yaml-in.json", "Statement: []\n", PolicySyntaxError, (1, 1), ""),
    ("package.json", '{"name": "x", "version": "1.0.0"}', NoPolicyFoundError, (1, 1), inputs.NO_POLICY),
    ("statement.json", '{"Effect": "Allow", "Action": "*"}', NoPolicyFoundError, (1, 1),
     inputs.NO_POLICY),
    ("template.yaml", "Resources:\n  B: {Type: AWS::S3::Bucket}\n", NoPolicyFoundError, (1, 1),
     "the file's shape is recognised but it holds no policy document"),
    ("bad-url.txt", "%7B%22a%22%3A%7D", PolicySyntaxError, None, ""),
    ("number.json", "12", NoPolicyFoundError, (1, 1), inputs.NO_POLICY),
]


@pytest.mark.parametrize("name,content,kind,where,words", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(tmp_path: Path, name: str, content: str | bytes, kind: type, where: Any, words: str) -> None:
    file = write(tmp_path, name, content)
    targets, errors = read_targets([file, str(DATA / "bare.json")])
    assert len(targets) == 1  # the other file is still read
    (error,) = errors
    assert type(error) is kind
    assert error.file == file
    assert words in error.message
    if where is not None:
        assert (error.line, error.column) == where


def test_statement_only_hint() -> None:
    (error,) = read("statement-only.json")[1]
    assert "single statement" in (error.help or "")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    file = write(tmp_path, "secret.json", json.dumps({"Statement": [P]}))
    os.chmod(file, 0)
    try:
        targets, errors = read_targets([file])
    finally:
        os.chmod(file, 0o600)
    assert targets == []
    (error,) = errors
    assert isinstance(error, UnreadableInputError) and "permission denied" in error.message


@pytest.mark.parametrize("problem,words", [
    (PermissionError(13, "Permission denied"), "permission denied"),
    (IsADirectoryError(21, "Is a directory"), "this is a folder"),
    (OSError(5, "Input/output error"), "the file cannot be read: input/output error"),
])
def test_read_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: OSError,
                       words: str) -> None:
    file = write(tmp_path, "p.json", json.dumps({"Statement": [P]}))

    def failing_open(*args: Any, **kwargs: Any) -> Any:
        raise problem

    monkeypatch.setattr(policyengine.limits, "open", failing_open, raising=False)
    targets, errors = read_targets([file])
    assert targets == []
    (error,) = errors
    assert isinstance(error, UnreadableInputError) and words in error.message
    assert error.file == file


def test_huge_file() -> None:
    """A file over Limits.max_file_bytes is refused unread, named, as LIMIT_EXCEEDED."""
    file = str(DATA / "bare.json")
    size = Path(file).stat().st_size
    (error,) = read_targets([file], limits=Limits(max_file_bytes=size - 1))[1]
    assert isinstance(error, UnreadableInputError) and isinstance(error, LimitExceededError)
    assert error.code == "LIMIT_EXCEEDED" and error.file == file
    assert f"more than {size - 1:,} bytes (max_file_bytes)" in error.message
    assert read_targets([file], limits=Limits(max_file_bytes=size)) == (read_targets([file])[0], [])


def test_huge_stdin() -> None:
    data = json.dumps({"Statement": [P] * 10})
    (error,) = read_targets(["-"], stdin=io.StringIO(data), limits=Limits(max_file_bytes=100))[1]
    assert isinstance(error, LimitExceededError) and error.file == "<stdin>"


DEEP = [
    ("deep.json", "[" * 100_000),
    ("deep-flow.yaml", "a: " + "[" * 100_000),
    ("deep-block.yaml", "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "x\n"),
    ("deep-seq.yaml", "".join("  " * i + "-\n" for i in range(MAX_DEPTH + 5))),
]


@pytest.mark.parametrize("name,content", DEEP, ids=[d[0] for d in DEEP])
def test_deep_nesting(tmp_path: Path, name: str, content: str) -> None:
    file = write(tmp_path, name, content)
    targets, errors = read_targets([file])
    assert targets == []
    (error,) = errors
    assert isinstance(error, PolicySyntaxError) and isinstance(error, LimitExceededError)
    assert error.line is not None


def test_alias_bomb(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    file = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    (error,) = read_targets([file])[1]
    assert isinstance(error, PolicySyntaxError) and "nodes" in error.message


def test_aliases_and_merge_keys(tmp_path: Path) -> None:
    file = write(tmp_path, "anchors.yaml", (
        "Version: '2012-10-17'\n"
        "Statement:\n"
        "  - &read\n"
        "    Effect: Allow\n"
        "    Action: s3:GetObject\n"
        "    Resource: '*'\n"
        "  - <<: *read\n"
        "    Effect: Deny\n"
        "  - *read\n"
    ))
    (target,), errors = read_targets([file])
    assert errors == []
    assert target.value["Statement"][1] == {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
    assert target.value["Statement"][2] == target.value["Statement"][0]
    assert target.location_of(("Statement", 1, "Effect")) == (8, 5)
    assert target.location_of(("Statement", 1, "Action")) == (5, 5)  # where the merged value is
    assert target.location_of(("Statement", 2)) == (9, 5)


# -- documents stored as text: errors placed in the file -----------------------------------------------


def test_text_document_errors_are_placed_at_the_string(tmp_path: Path) -> None:
    plan = json.loads((DATA / "terraform-plan.json").read_text())
    values = plan["planned_values"]["root_module"]["resources"][1]["values"]
    values["policy"] = '{"Statement": [{"Effect": "Allow", "Action": "s3:*"}, ]}'
    file = write(tmp_path, "plan.json", json.dumps(plan, indent=2))
    targets, errors = read_targets([file])
    assert errors == []
    bucket = next(t for t in targets if t.label == "aws_s3_bucket_policy.site bucket policy")
    assert bucket.policy_type == "resource"
    with pytest.raises(PolicySyntaxError) as caught:
        bucket.parse()
    assert (caught.value.file, caught.value.line, caught.value.column) == (file, 41, 13)
    assert "line 1, column 53 of the policy text" in (caught.value.help or "")

    values["policy"] = '{"Statement": [{"Effect": "Allow", "Acton": "s3:*", "Resource": "*"}]}'
    write(tmp_path, "plan.json", json.dumps(plan, indent=2))
    bucket = next(t for t in read_targets([file])[0] if t.label.endswith("bucket policy"))
    with pytest.raises(PolicyValidationError) as invalid:
        bucket.parse()
    assert all((e.line, e.column) == (41, 13) for e in invalid.value.errors)
    assert ("Statement", 0, "Acton") in [e.path for e in invalid.value.errors]


def test_invalid_dict_documents_are_located_in_the_file(tmp_path: Path) -> None:
    file = write(tmp_path, "t.yaml", (
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      PolicyDocument:\n"
        "        Statement:\n"
        "          - Effect: Permit\n"
        "            Action: s3:GetObject\n"
        "            Resource: '*'\n"
    ))
    (target,), _ = read_targets([file])
    with pytest.raises(PolicyValidationError) as caught:
        target.parse()
    error = caught.value.errors[0]
    assert (error.file, error.line, error.column, error.path) == (file, 7, 13, ("Statement", 0, "Effect"))


def test_corpus_shape_reads_quickly() -> None:
    corpus = Path(__file__).parents[2] / "shared" / "corpus" / "aws-managed-policies"
    if not corpus.is_dir():
        pytest.skip("corpus not present")
    files = sorted(corpus.glob("*.json"))[:50]
    targets, errors = read_targets([str(f) for f in files])
    assert errors == [] and len(targets) == len(files)
    assert {t.document_path for t in targets} == {("PolicyVersion", "Document")}


# -- robustness: any JSON shape, made of the keys the recognisers look for -------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KEYS = [
    "Statement", "Version", "Effect", "Action", "Principal", "Resource", "Condition", "Document",
    "PolicyVersion", "VersionId", "IsDefaultVersion", "UserDetailList", "GroupDetailList",
    "RoleDetailList", "Policies", "PolicyVersionList", "UserPolicyList", "RolePolicyList",
    "PolicyDocument", "PolicyName", "RoleName", "AssumeRolePolicyDocument", "PermissionsBoundary",
    "PermissionsBoundaryArn", "AttachmentCount", "Arn", "Resources", "Type", "Properties",
    "AWSTemplateFormatVersion", "Ref", "Fn::If", "Fn::Sub", "Fn::Join", "Fn::GetAtt", "Content",
    "KeyPolicy", "FunctionName", "SourceArn", "planned_values", "prior_state", "values",
    "root_module", "child_modules", "resources", "type", "mode", "address", "policy", "json",
    "inline_policy", "resource", "Policy", "RevisionId", "Attributes", "TopicArn",
    "PolicySummary", "Roles", "format_version", "content", "function_name", "principal",
]
STRINGS = st.sampled_from([
    "AWS::IAM::Role", "AWS::Lambda::Permission", "AWS::Organizations::Policy", "AWS::NoValue",
    "SERVICE_CONTROL_POLICY", "aws_iam_role", "aws_lambda_permission", "aws_iam_policy_document",
    "data", "2012-10-17", "%7B%22Statement%22%3A%5B%5D%7D", '{"Statement": []}', "{", "*",
    "s3:GetObject", "sts:AssumeRole", "123456789012", "${AWS::Region}", "",
]) | st.text(max_size=5)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | STRINGS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=3), children, max_size=5),
    max_leaves=40,
)


CFN_TYPES = st.sampled_from(sorted(inputs.cloudformation.RESOURCE_DOCUMENTS) + [
    "AWS::Lambda::Permission", "AWS::Organizations::Policy", "AWS::IAM::User", "AWS::X::Y"])
CFN_PROPERTIES = st.dictionaries(st.sampled_from([
    "AssumeRolePolicyDocument", "PolicyDocument", "Policies", "KeyPolicy", "Content", "Type",
    "Action", "Principal", "FunctionName", "SourceArn", "PermissionsBoundary", "Roles",
    "AccessPolicies"]), JSON, max_size=5)
TEMPLATES = st.fixed_dictionaries({
    "AWSTemplateFormatVersion": st.just("2010-09-09"),
    "Resources": st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.fixed_dictionaries({"Type": CFN_TYPES, "Properties": CFN_PROPERTIES}) | JSON,
        max_size=4),
})
TF_RESOURCES = st.fixed_dictionaries({
    "address": STRINGS, "mode": st.sampled_from(["managed", "data"]),
    "type": st.sampled_from(sorted(inputs.terraform.RESOURCE_DOCUMENTS) + [
        "aws_lambda_permission", "aws_organizations_policy", "aws_x"]),
    "values": st.dictionaries(st.sampled_from([
        "policy", "assume_role_policy", "inline_policy", "json", "content", "type", "action",
        "principal", "function_name", "x_policy"]), JSON, max_size=5),
}) | JSON
PLANS = st.fixed_dictionaries({
    "format_version": st.just("1.2"),
    "planned_values": st.fixed_dictionaries({"root_module": st.fixed_dictionaries({
        "resources": st.lists(TF_RESOURCES, max_size=3),
        "child_modules": st.lists(st.fixed_dictionaries({
            "resources": st.lists(TF_RESOURCES, max_size=2)}) | JSON, max_size=2),
    })}) | JSON,
    "prior_state": JSON,
})
DETAILS = st.fixed_dictionaries({
    "UserDetailList": st.lists(st.dictionaries(st.sampled_from(
        ["UserName", "UserPolicyList", "PermissionsBoundary"]), JSON), max_size=2),
    "RoleDetailList": st.lists(st.dictionaries(st.sampled_from(
        ["RoleName", "RolePolicyList", "AssumeRolePolicyDocument", "PermissionsBoundary"]), JSON),
        max_size=2),
    "Policies": st.lists(st.dictionaries(st.sampled_from(
        ["PolicyName", "Arn", "PolicyVersionList", "AttachmentCount",
         "PermissionsBoundaryUsageCount"]), JSON), max_size=2) | JSON,
})


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=JSON | TEMPLATES | PLANS | DETAILS, as_yaml=st.booleans(),
       select=st.sampled_from([None, None, None, "@", "*", "[]", "Resources.*"]))
def test_any_shape_gives_targets_or_policy_engine_errors(value: Any, as_yaml: bool,
                                                         select: str | None) -> None:
    import yaml as pyyaml

    text = pyyaml.safe_dump(value) if as_yaml else json.dumps(value)
    targets, errors = read_targets(["-"], stdin=io.StringIO(text), select=select)
    assert all(isinstance(e, PolicyEngineError) for e in errors)
    assert [e for e in errors if e.code == "INTERNAL_ERROR"] == []
    assert len(errors) <= 1
    for target in targets:
        assert target.policy_type is None or target.policy_type in (
            "identity", "resource", "trust", "scp", "rcp", "boundary")
        try:
            target.lint_document()
        except PolicyEngineError:
            pass


def test_a_bug_is_reported_against_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(value: Any, loaded: Any) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(inputs.shapes, "_RECOGNISERS", (broken,))
    targets, errors = read("npm-manifest.json")
    assert targets == []
    (error,) = errors
    assert error.code == "INTERNAL_ERROR" and error.file == str(DATA / "npm-manifest.json")
