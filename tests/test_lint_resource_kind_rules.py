"""Actions and ARNs a resource policy cannot hold, given the resource it is attached to
(Access Analyzer's UNSUPPORTED_ACTION_IN_POLICY and UNSUPPORTED_RESOURCE_ARN_IN_POLICY).
Each case: a policy, its type and resource kind, and the (code, path) findings expected."""

from __future__ import annotations

from typing import Any

import pytest

from policyengine.lint import lint_paths, lint_policy

CODES = {"UNSUPPORTED_ACTION_IN_POLICY", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY"}
CALLER = {"AWS": "arn:aws:iam::111122223333:role/reader"}
BUCKET = "arn:aws:s3:::reports"
QUEUE = "arn:aws:sqs:us-east-1:111122223333:jobs"


def policy(action: Any, resource: Any = None, **extra: Any) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Principal": CALLER, "Action": action, **extra}
    if resource is not None:
        statement["Resource"] = resource
    return {"Version": "2012-10-17", "Statement": [statement]}


def at(*path: Any) -> tuple[Any, ...]:
    return ("Statement", 0, *path)


CASES: list[tuple[str, dict[str, Any], str, str | None, list[tuple[str, tuple[Any, ...]]]]] = [
    ("bucket policy with a queue action", policy(["s3:GetObject", "sqs:SendMessage"], f"{BUCKET}/*"),
     "resource", "s3:bucket", [("UNSUPPORTED_ACTION_IN_POLICY", at("Action", 1))]),
    ("the service prefix in another case", policy("S3:GetObject", f"{BUCKET}/*"), "resource", "s3:bucket", []),
    ("a service wildcard that can name s3", policy("s*:Get*", f"{BUCKET}/*"), "resource", "s3:bucket", []),
    ("a service wildcard that cannot", policy("sq?:*", f"{BUCKET}/*"), "resource", "s3:bucket",
     [("UNSUPPORTED_ACTION_IN_POLICY", at("Action"))]),
    ("`*`: every action of the bucket", policy("*", f"{BUCKET}/*"), "resource", "s3:bucket", []),
    ("a queue ARN in a bucket policy", policy("s3:GetObject", [f"{BUCKET}/*", QUEUE]), "resource", "s3:bucket",
     [("UNSUPPORTED_RESOURCE_ARN_IN_POLICY", at("Resource", 1))]),
    ("an ARN with a wildcard service that can be s3", policy("s3:GetObject", "arn:aws:s*:::reports/*"),
     "resource", "s3:bucket", []),
    ("a KMS key policy: `kms:` only", policy(["kms:Decrypt", "s3:GetObject"], "*"), "resource", "kms:key",
     [("UNSUPPORTED_ACTION_IN_POLICY", at("Action", 1))]),
    ("an SNS topic policy written as AWS's console writes it", policy("SNS:Publish", "arn:aws:sns:us-east-1:111122223333:t"),
     "resource", "sns:topic", []),
    ("a Lambda function policy", policy("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:f"),
     "resource", "lambda:function", []),
    ("a trust policy takes sts: actions only",
     {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                               "Action": ["sts:AssumeRole", "s3:GetObject"]}]},
     "trust", None, [("UNSUPPORTED_ACTION_IN_POLICY", at("Action", 1))]),
    ("no kind given: not guessed from the ARNs (a VPC endpoint policy may look like this)",
     policy(["s3:GetObject", "sqs:SendMessage"], [BUCKET, f"{BUCKET}/*"]), "resource", None, []),
    ("an identity policy is not a resource policy", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "sqs:SendMessage"], "Resource": f"{BUCKET}/*"}]},
     "identity", None, []),
    ("a kind the table does not know is not checked", policy("dynamodb:GetItem", "*"), "resource",
     "dynamodb:table", []),
]


@pytest.mark.parametrize("name,value,policy_type,kind,expected", CASES, ids=[c[0] for c in CASES])
def test_resource_kind_rules(name: str, value: dict[str, Any], policy_type: str, kind: str | None,
                             expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    findings = lint_policy(value, policy_type, resource_kind=kind).findings
    assert [(f.code, f.path) for f in findings if f.code in CODES] == expected


def test_the_kind_comes_from_a_cloudformation_template(tmp_path: Any) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n"
        "  Policy:\n"
        "    Type: AWS::SQS::QueuePolicy\n"
        "    Properties:\n"
        "      Queues: [!Ref Jobs]\n"
        "      PolicyDocument:\n"
        "        Version: '2012-10-17'\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Principal: {Service: sns.amazonaws.com}\n"
        "            Action: [sqs:SendMessage, sns:Publish]\n"
        "            Resource: '*'\n"
    )
    (finding,) = [f for f in lint_paths([template]).findings if f.code in CODES]
    assert finding.code == "UNSUPPORTED_ACTION_IN_POLICY" and finding.line == 11
    assert "an SQS queue policy can only grant `sqs:` actions" in finding.message
