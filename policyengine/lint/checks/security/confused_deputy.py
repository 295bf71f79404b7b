"""Lint rule: resource policies that grant a service principal with no `aws:SourceArn` or
`aws:SourceAccount` condition, so that the service can act for any account (the confused
deputy problem, IAM User Guide)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model.policy import ConditionEntry, Statement
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from ._restrictions import (
    SOURCE_KEYS,
    _resolve,
    _universal,
    blocking_deny,
    restricting_deny,
    restricts,
)
from ._shared import _BUCKET, _WHO_NOTE, _grants, _shown

_ALEXA_KEYS = {"lambda:eventsourcetoken": "id"}


# -- service principals without a source (confused deputy) -----------------------------------


def _names_source_in_context(entry: ConditionEntry) -> bool:
    """`kms:EncryptionContext:aws:logs:arn` and the like, pinned to ARNs in one account.

    KMS key policies for service principals (CloudWatch Logs, CloudTrail) name the source
    resource through the encryption context (KMS Developer Guide, encryption context).
    """
    if not entry.key.lower().startswith("kms:encryptioncontext:") or not entry.values:
        return False
    op = _resolve(entry)
    if op is None or op.negated or op.if_exists or op.spec.presence_only:
        return False
    for value in entry.values:
        if not isinstance(value, str) or not value.startswith("arn:"):
            return False
        if _universal(value, "arn", op.spec.allows_wildcards):
            return False
        parts = value.split(":", 5)
        if len(parts) < 6 or not parts[4]:
            return False
    return True


def _source_restricted(statement: Statement, services: list[str]) -> tuple[bool, bool]:
    """(restricted, only by account-less ARNs such as S3 bucket ARNs)."""
    keys = dict(SOURCE_KEYS)
    if all(s.lower().startswith("alexa-") for s in services):
        keys.update(_ALEXA_KEYS)
    entries = [e for e in statement.condition if restricts(e, keys) or _names_source_in_context(e)]
    if not entries:
        return False, False
    for entry in entries:
        if entry.key.lower() != "aws:sourcearn":
            return True, False
        if any(isinstance(v, str) and len(v.split(":")) > 4 and v.split(":")[4] for v in entry.values):
            return True, False
    return True, True


def _check_service_source(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        principal = statement.principal
        if principal is None or principal.wildcard:
            continue
        services = [s for s in principal.values.get("Service", []) if "${" not in s]
        if not services:
            continue
        restricted, account_less = _source_restricted(statement, services)
        if restricted and not account_less:
            continue
        if blocking_deny(doc, statement) or restricting_deny(doc, statement, SOURCE_KEYS):
            continue
        where = path + ("Principal", "Service")
        shown = _shown(services)
        if account_less:
            message = (
                f"{statement_name(statement)} limits {shown} by `aws:SourceArn` only, and that ARN has no "
                "account ID (like S3 bucket ARNs): once the bucket is deleted, another account can "
                "create one of the same name and match; add `aws:SourceAccount`"
            )
        else:
            lambda_hint = ""
            actions, _negated = statement.actions
            if doc.resource_kind == "lambda:function" or any(
                a.lower().startswith("lambda:invoke") for a in actions
            ):
                lambda_hint = " (`aws lambda add-permission --source-arn ... --source-account ...`)"
            message = (
                f"{statement_name(statement)} grants {shown} access with no `aws:SourceArn` or "
                "`aws:SourceAccount` condition, so the service can act on behalf of any account's "
                "resources (confused deputy); add a condition naming the source resource or "
                f"account{lambda_hint}"
            )
        yield doc.finding("RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", where, message)


# -- the rules -------------------------------------------------------------------------------

_FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:report"
# a statement that the example flags and its near miss repeats with a condition
_SERVICE_GRANT = {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                  "Action": "lambda:InvokeFunction", "Resource": _FUNCTION}

RULES: tuple[Rule, ...] = (

    Rule(
        "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
        Severity.SECURITY_WARNING,
        "A resource policy that grants a service principal with no `aws:SourceArn` or "
        "`aws:SourceAccount` condition.",
        "A service principal acts for every customer of the service; without a condition naming "
        "the source resource or account, another account can make the service use your resource "
        "(the confused deputy problem; for S3 sources, whose ARNs carry no account, add "
        "`aws:SourceAccount`)." + _WHO_NOTE,
        _check_service_source,
        _policy(_SERVICE_GRANT),
        _policy({**_SERVICE_GRANT, "Condition": {"ArnLike": {"aws:SourceArn": _BUCKET},
                                                 "StringEquals": {"aws:SourceAccount": "111122223333"}}}),
        policy_types=frozenset({"resource"}),
        access_analyzer=True,
        example_policy_type="resource",
    ),
)
