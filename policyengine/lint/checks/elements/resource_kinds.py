"""Lint rules: actions and resource ARNs a resource policy cannot hold, given what it is
attached to.

A resource policy governs one resource, so it can only grant that resource's service's
actions on that resource's ARNs: a bucket policy takes `s3:` actions on `arn:aws:s3:::`
ARNs, a queue policy `sqs:` actions, a role's trust policy `sts:` actions (IAM User Guide,
resource-based policies; Access Analyzer's UNSUPPORTED_ACTION_IN_POLICY and
UNSUPPORTED_RESOURCE_ARN_IN_POLICY). Which resource a policy is attached to comes from the
input (`resource_kind`: a CloudFormation or Terraform resource type; `--policy-type` does
not say it), and a trust policy is always a role's. Without it nothing is checked: the
policy's own ARNs do not tell (a VPC endpoint policy, linted as a resource policy, may name
any service's actions), and Access Analyzer too checks this only for a resource type given.
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Any

from ...document import JsonPath, LintDocument
from ...finding import Finding
from ...rules import Rule
from .._catalogued import entries
from .._common import example_policy as _policy
from .._common import statement_name
from ._shared import _E

# Resource kind (as the inputs name them) -> (the service whose actions and ARNs it takes, what it is).
KIND_SERVICES: dict[str, tuple[str, str]] = {
    "s3:bucket": ("s3", "an S3 bucket policy"),
    "s3express:bucket": ("s3express", "an S3 directory bucket policy"),
    "sqs:queue": ("sqs", "an SQS queue policy"),
    "sns:topic": ("sns", "an SNS topic policy"),
    "kms:key": ("kms", "a KMS key policy"),
    "secretsmanager:secret": ("secretsmanager", "a Secrets Manager secret policy"),
    "ecr:repository": ("ecr", "an ECR repository policy"),
    "lambda:function": ("lambda", "a Lambda function policy"),
    "iam:role": ("sts", "a role trust policy"),
}


def _entries(raw: dict[str, Any], element: str, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    """The string entries of an element as written."""
    return ((where, value) for where, value in entries(path, raw, element) if isinstance(value, str))


def arn_service(resource: str) -> str | None:
    """The service field of an ARN, lower-cased (None: not an ARN)."""
    parts = resource.split(":", 3)
    return parts[2].lower() if len(parts) == 4 and parts[0] == "arn" else None


def kind_of_arn(arn: str) -> str | None:
    """The resource kind whose policy governs a resource of this ARN's service (None: unknown)."""
    return _KIND_OF_SERVICE.get(arn_service(arn) or "")


_KIND_OF_SERVICE = {service: kind for kind, (service, _) in KIND_SERVICES.items() if kind != "iam:role"}


def _can_be(service_pattern: str, service: str) -> bool:
    """Whether a service part, wildcards and all, can name `service`."""
    return fnmatchcase(service, service_pattern.lower())


def _kind(doc: LintDocument) -> str | None:
    """What the policy is attached to, when the table knows it (None: unknown)."""
    if doc.resource_kind is not None:
        return doc.resource_kind if doc.resource_kind in KIND_SERVICES else None
    return "iam:role" if doc.policy_type == "trust" else None


def _check_actions(doc: LintDocument) -> Iterator[Finding]:
    kind = _kind(doc)
    if kind is None:
        return
    service, what = KIND_SERVICES[kind]
    for path, statement, raw in doc.statements():
        for entry_path, action in _entries(raw, "Action", path):
            if action == "*" or ":" not in action or "${" in action:
                continue  # every action of the service, or malformed (reported by the action rules)
            prefix = action.split(":", 1)[0]
            if not _can_be(prefix, service):
                yield doc.finding(
                    "UNSUPPORTED_ACTION_IN_POLICY", entry_path,
                    f"{statement_name(statement)} names `{action}`, but {what} can only grant "
                    f"`{service}:` actions; grant `{action}` in a policy of the resource it acts on, "
                    "or in an identity policy",
                )


def _check_resources(doc: LintDocument) -> Iterator[Finding]:
    kind = _kind(doc)
    if kind is None:
        return
    service, what = KIND_SERVICES[kind]
    for path, statement, raw in doc.statements():
        for entry_path, resource in _entries(raw, "Resource", path):
            named = arn_service(resource)
            if named is None or "${" in named or _can_be(named, service):
                continue
            yield doc.finding(
                "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", entry_path,
                f"{statement_name(statement)} names `{resource}`, but {what} governs only its own "
                f"`{service}` resource; name the resource the policy is attached to (or `*`)",
            )


_BUCKET = "arn:aws:s3:::reports"
_CALLER = {"AWS": "arn:aws:iam::111122223333:role/reader"}

RULES: tuple[Rule, ...] = (
    Rule(
        code="UNSUPPORTED_ACTION_IN_POLICY",
        severity=_E,
        summary="An action of another service in a resource policy (`sqs:SendMessage` in a bucket policy).",
        learn_more="A resource policy can only grant the actions of the resource it is attached to "
        "(`s3:` in a bucket policy, `sts:` in a trust policy); AWS refuses the policy. Grant the "
        "action in the other resource's policy or in an identity policy. The resource comes from the "
        "input (a CloudFormation or Terraform resource; a trust policy is a role's); without it, "
        "nothing is checked.",
        check=_check_actions,
        policy_types=frozenset({"resource", "trust"}),
        access_analyzer=True,
        example_policy_type="resource",
        example_resource_kind="s3:bucket",
        example=_policy({"Effect": "Allow", "Principal": _CALLER, "Action": ["s3:GetObject", "sqs:SendMessage"],
                         "Resource": f"{_BUCKET}/*"}),
        near_miss=_policy({"Effect": "Allow", "Principal": _CALLER, "Action": ["s3:GetObject", "s3:List*"],
                           "Resource": [_BUCKET, f"{_BUCKET}/*"]}),
    ),
    Rule(
        code="UNSUPPORTED_RESOURCE_ARN_IN_POLICY",
        severity=_E,
        summary="An ARN of another service in a resource policy (a queue ARN in a bucket policy).",
        learn_more="A resource policy governs the resource it is attached to; an ARN of another "
        "service's resource can never match, and AWS refuses such policies. Name the resource itself "
        "(a bucket policy: the bucket and `bucket/*`), or `*`.",
        check=_check_resources,
        policy_types=frozenset({"resource"}),
        access_analyzer=True,
        example_policy_type="resource",
        example_resource_kind="s3:bucket",
        example=_policy({"Effect": "Allow", "Principal": _CALLER, "Action": "s3:GetObject",
                         "Resource": [f"{_BUCKET}/*", "arn:aws:sqs:us-east-1:111122223333:jobs"]}),
        near_miss=_policy({"Effect": "Allow", "Principal": _CALLER, "Action": "s3:GetObject",
                           "Resource": f"{_BUCKET}/*"}),
    ),
)
