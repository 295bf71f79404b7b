"""Lint rule: a role trust policy that conditions on session tags or a source identity
without allowing the action that sets them (`sts:TagSession`, `sts:SetSourceIdentity`).

Session tags (`aws:RequestTag/...`, `aws:TagKeys`, `sts:TransitiveTagKeys`) and the source
identity (`sts:SourceIdentity`) are set by the caller when it assumes the role, and only
when the role's trust policy also allows `sts:TagSession`, respectively
`sts:SetSourceIdentity` (IAM User Guide, "Passing session tags in AWS STS" and "Monitor
and control actions taken with assumed roles"). Without that action, a request that sets
them is refused, and one that does not set them lacks the key: a condition that needs the
key is never true, and the statement never lets anyone assume the role (Access Analyzer's
"Missing action for condition key").

Decisions:
- Only trust policies: the trust policy is the one resource policy an `AssumeRole*` call
  meets, so whether it allows `sts:TagSession` is known. An identity policy may get
  `sts:TagSession` from another policy of the same principal, so it is not judged here.
- The action may come from any `Allow` statement of the trust policy (Access Analyzer asks
  for it in the same statement; trust policies that allow `sts:TagSession` in a statement of
  its own, with conditions on the tags, are common and correct).
- Only conditions that fail when the key is missing count: positive operators without
  `IfExists` and without `ForAllValues`; `Null` is not reported.
"""

from __future__ import annotations

from collections.abc import Iterable

from ....evaluation.conditions import SetQualifier
from ....model.policy import ConditionEntry, Statement
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import statement_name
from .._coverage import allows_action
from ._shared import _conditions, _resolve

_TAG_SESSION = "sts:TagSession"
_SET_SOURCE_IDENTITY = "sts:SetSourceIdentity"


def _needed_action(key: str) -> str | None:
    lower = key.lower()
    if lower.startswith("aws:requesttag/") or lower in ("aws:tagkeys", "sts:transitivetagkeys"):
        return _TAG_SESSION
    if lower == "sts:sourceidentity":
        return _SET_SOURCE_IDENTITY
    return None


def _requires_key(entry: ConditionEntry) -> bool:
    operator = _resolve(entry.operator)
    return not (
        operator is None or operator.negated or operator.if_exists or operator.spec.presence_only
        or operator.set_qualifier is SetQualifier.FOR_ALL_VALUES
    )


def _assumes(statement: Statement) -> bool:
    return statement.effect == "Allow" and (
        allows_action(statement, "sts:AssumeRole")
        or allows_action(statement, "sts:AssumeRoleWithSAML")
        or allows_action(statement, "sts:AssumeRoleWithWebIdentity")
    )


def check_missing_action(doc: LintDocument) -> Iterable[Finding]:
    statements = [s for _, s, _ in doc.statements()]
    allowed: dict[str, bool] = {}
    for _, statement, entry, key_path in _conditions(doc):
        action = _needed_action(entry.key)
        if action is None or not _assumes(statement) or not _requires_key(entry):
            continue
        if action not in allowed:
            allowed[action] = any(allows_action(s, action) for s in statements)
        if allowed[action]:
            continue
        what = "session tags" if action == _TAG_SESSION else "a source identity"
        yield doc.finding(
            "MISSING_ACTION_FOR_CONDITION_KEY", key_path,
            f"`{entry.key}` is only in the request when the caller sets {what}, which needs `{action}` "
            f"in the trust policy; no statement allows it, so the condition of {statement_name(statement)} "
            f"never holds; add `{action}` to its `Action`",
            action=action,
        )


_TRUST_ASSUME = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                 "Condition": {"StringEquals": {"aws:RequestTag/team": "red"}}}

RULES: tuple[Rule, ...] = (
    Rule(
        code="MISSING_ACTION_FOR_CONDITION_KEY",
        severity=Severity.ERROR,
        summary="A trust policy that conditions on session tags or a source identity without allowing "
        "`sts:TagSession` / `sts:SetSourceIdentity`.",
        learn_more="Callers can pass session tags (`aws:RequestTag/...`, `aws:TagKeys`, "
        "`sts:TransitiveTagKeys`) only when the trust policy allows `sts:TagSession`, and a source "
        "identity (`sts:SourceIdentity`) only when it allows `sts:SetSourceIdentity`; otherwise a "
        "condition that requires these keys never holds. Add the action next to `sts:AssumeRole`.",
        check=check_missing_action,
        policy_types=frozenset({"trust"}),
        access_analyzer=True,
        example_policy_type="trust",
        example={"Version": "2012-10-17", "Statement": [{**_TRUST_ASSUME, "Action": "sts:AssumeRole"}]},
        near_miss={"Version": "2012-10-17",
                   "Statement": [{**_TRUST_ASSUME, "Action": ["sts:AssumeRole", "sts:TagSession"]}]},
    ),
)
