"""Lint rules: policies larger than AWS accepts.

Sizes are measured on the document without whitespace outside strings (`doc.size`, or
the compact JSON of `doc.raw` when the caller did not measure it). IAM does not count
whitespace; AWS Organizations and the resource services count every character or byte
as submitted, so for those the compact size is a lower bound: a finding means the policy
cannot fit even minified.

Quotas and their sources:

- IAM (IAM User Guide, "IAM and AWS STS quotas"): managed policy 6,144 characters;
  inline policies, in total per identity, 2,048 (user), 5,120 (group), 10,240 (role);
  role trust policy 2,048 by default (a quota AWS can raise on request).
- AWS Organizations ("Quotas for AWS Organizations"): SCP and RCP 5,120 characters.
- Resource policies: S3 bucket policy 20 KB (S3 User Guide, bucket policies); Lambda
  function policy 20 KB (Lambda quotas, "Function resource-based policy"); SQS queue
  policy 8,192 bytes (SQS Developer Guide, policy quotas); SNS topic policy 30 KB (SNS
  Developer Guide, API permissions reference, policy quotas); KMS key policy 32 KB
  (KMS Developer Guide, quotas, key policy document size); Secrets Manager resource
  policy 20,480 characters (Secrets Manager quotas); ECR repository policy 10,240
  characters (ECR service quotas).
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from ..document import LintDocument
from ..finding import Finding, Severity
from ..rules import Rule
from ._common import example_policy as _policy

MANAGED_POLICY = 6_144
# Inline policies in `aws iam get-account-authorization-details` output, by list name.
INLINE_POLICY = {"UserPolicyList": ("user", 2_048), "GroupPolicyList": ("group", 5_120),
                 "RolePolicyList": ("role", 10_240)}
TRUST_POLICY = 2_048
SCP = 5_120
RCP = 5_120
RESOURCE_POLICY: dict[str, tuple[int, str]] = {
    "s3:bucket": (20_480, "an S3 bucket policy (20 KB)"),
    "lambda:function": (20_480, "a Lambda function policy (20 KB)"),
    "sqs:queue": (8_192, "an SQS queue policy (8,192 bytes)"),
    "sns:topic": (30_720, "an SNS topic policy (30 KB)"),
    "kms:key": (32_768, "a KMS key policy (32 KB)"),
    "secretsmanager:secret": (20_480, "a Secrets Manager resource policy (20,480 characters)"),
    "ecr:repository": (10_240, "an ECR repository policy (10,240 characters)"),
}
# Without a known resource type: the largest quota above, which no resource policy may pass.
ANY_RESOURCE_POLICY = (32_768, "any resource policy (the largest quota, a KMS key policy's, is 32 KB)")


def compact_text(raw: Any) -> str:
    return json.dumps(raw, separators=(",", ":"), ensure_ascii=False, default=str)


def policy_size(doc: LintDocument) -> int:
    """Characters without whitespace outside strings."""
    return doc.size if doc.size is not None else len(compact_text(doc.raw))


def policy_bytes(doc: LintDocument) -> int:
    """UTF-8 bytes of the compact document (what byte-counted quotas see at the least)."""
    return len(compact_text(doc.raw).encode("utf-8"))


def _inline_quota(doc: LintDocument) -> tuple[str, int] | None:
    for key in doc.document_path:
        if isinstance(key, str) and key in INLINE_POLICY:
            return INLINE_POLICY[key]
    return None


def _check_identity(doc: LintDocument) -> Iterator[Finding]:
    size = policy_size(doc)
    inline = _inline_quota(doc) if doc.policy_type == "identity" else None
    if inline is not None:
        who, quota = inline
        if size > quota:
            yield doc.finding(
                "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
                (),
                f"the policy is {size:,} characters without whitespace, over the {quota:,} that "
                f"all inline policies of an IAM {who} may total; split it, or move statements "
                "into managed policies",
            )
        return
    if size > MANAGED_POLICY:
        yield doc.finding(
            "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
            (),
            f"the policy is {size:,} characters without whitespace, over IAM's {MANAGED_POLICY:,} "
            "for a managed policy; split it into several policies, or merge statements with "
            "wildcards",
        )


def _check_trust(doc: LintDocument) -> Iterator[Finding]:
    size = policy_size(doc)
    if size > TRUST_POLICY:
        yield doc.finding(
            "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
            (),
            f"the trust policy is {size:,} characters without whitespace, over IAM's default "
            f"{TRUST_POLICY:,} for role trust policies; shorten it or ask AWS to raise the "
            "quota (Service Quotas, IAM, role trust policy length)",
        )


def _check_resource(doc: LintDocument) -> Iterator[Finding]:
    quota, what = RESOURCE_POLICY.get(doc.resource_kind or "", ANY_RESOURCE_POLICY)
    size = policy_bytes(doc)
    if size > quota:
        yield doc.finding(
            "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
            (),
            f"the policy is {size:,} bytes even without whitespace, over the quota for {what}; "
            "merge statements (wildcards, lists of principals) or split access across resources",
        )


def _padding(statements: int) -> list[dict[str, Any]]:
    """Statements that make an example policy long."""
    return [
        {
            "Sid": f"Read{i}",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"],
            "Resource": f"arn:aws:s3:::reports-archive-{i:04d}/quarterly/*",
        }
        for i in range(statements)
    ]


def _with_principal(statements: list[dict[str, Any]], principal: Any) -> list[dict[str, Any]]:
    return [{**s, "Principal": principal} for s in statements]


def _deny_padding(statements: int) -> list[dict[str, Any]]:
    return [
        {"Sid": f"ProtectArchive{i}", "Effect": "Deny", "Action": ["s3:DeleteObject", "s3:PutObject"],
         "Resource": f"arn:aws:s3:::reports-archive-{i:04d}/*",
         "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
        for i in range(statements)
    ]


_TRUST_STATEMENT = {
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::111122223333:role/deployer"},
    "Action": "sts:AssumeRole",
}


def _trust_padding(statements: int) -> list[dict[str, Any]]:
    return [
        {**_TRUST_STATEMENT, "Sid": f"Deployer{i}",
         "Principal": {"AWS": f"arn:aws:iam::{111122220000 + i}:role/deployer"}}
        for i in range(statements)
    ]


_ACCOUNT = {"AWS": "arn:aws:iam::111122223333:root"}


def _organizations_rule(
    code: str, kind: str, name: str, quota: int, *, access_analyzer: bool, principal: Any = None
) -> Rule:
    """SCPs and RCPs: AWS Organizations counts every character, whitespace included, against
    the same kind of quota, so they share one rule; an RCP's examples name a principal."""

    def check(doc: LintDocument) -> Iterator[Finding]:
        size = len(compact_text(doc.raw))
        if size > quota:
            yield doc.finding(
                code,
                (),
                f"the {kind} is {size:,} characters even without whitespace, over AWS "
                f"Organizations' {quota:,}; split it into several policies",
            )

    def example(statements: int) -> dict[str, Any]:
        padding = _deny_padding(statements)
        return _policy(*(padding if principal is None else _with_principal(padding, principal)))

    return Rule(
        code=code,
        severity=Severity.ERROR,
        summary=f"A {name} longer than AWS Organizations accepts.",
        learn_more=f"An {kind} may have at most {quota:,} characters, whitespace included; split it into "
        f"several {kind}s.",
        check=check,
        policy_types=frozenset({kind.lower()}),
        access_analyzer=access_analyzer,
        example=example(40),
        near_miss=example(20),
        example_policy_type=kind.lower(),
    )


RULES: tuple[Rule, ...] = (
    Rule(
        code="POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
        severity=Severity.WARNING,
        summary="An identity policy or boundary longer than IAM accepts.",
        learn_more="IAM refuses a managed policy over 6,144 characters (whitespace not counted), "
        "and inline policies over 2,048 (user), 5,120 (group) or 10,240 (role) in total; split "
        "the policy or merge statements.",
        check=_check_identity,
        policy_types=frozenset({"identity", "boundary"}),
        access_analyzer=True,
        example=_policy(*_padding(60)),
        near_miss=_policy(*_padding(30)),
    ),
    Rule(
        code="POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
        severity=Severity.WARNING,
        summary="A role trust policy longer than IAM's default quota.",
        learn_more="Role trust policies are limited to 2,048 characters (whitespace not counted) "
        "unless AWS raises the quota for the account.",
        check=_check_trust,
        policy_types=frozenset({"trust"}),
        access_analyzer=True,
        example=_policy(*_trust_padding(20)),
        near_miss=_policy(*_trust_padding(12)),
        example_policy_type="trust",
    ),
    Rule(
        code="POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
        severity=Severity.WARNING,
        summary="A resource policy larger than its service accepts.",
        learn_more="Each service caps its resource policies (S3 and Lambda 20 KB, SQS 8,192 "
        "bytes, SNS 30 KB, KMS 32 KB, ...); without a known resource type only policies over the "
        "largest quota are reported.",
        check=_check_resource,
        policy_types=frozenset({"resource"}),
        access_analyzer=True,
        example=_policy(*_with_principal(_padding(240), _ACCOUNT)),
        near_miss=_policy(*_with_principal(_padding(40), _ACCOUNT)),
        example_policy_type="resource",
    ),
    _organizations_rule(
        "POLICY_SIZE_EXCEEDS_SCP_QUOTA", "SCP", "service control policy", SCP, access_analyzer=True
    ),
    _organizations_rule(
        "POLICY_SIZE_EXCEEDS_RCP_QUOTA", "RCP", "resource control policy", RCP, access_analyzer=False, principal="*"
    ),
)
