"""Lint rules: a `Deny` (or an `Allow` with `NotAction`) conditioned on a tag key
(`aws:ResourceTag/...`, `aws:RequestTag/...`, `aws:TagKeys`) that some of the services it
covers never send, so the statement silently does not apply to their actions.

A service that does not support a tag key never puts it in the request context. A
positive condition on a missing key is false, so a `Deny` on it never denies that
service's actions (even on correctly tagged resources), and an `Allow` never allows them
(IAM User Guide, policy validation check reference, "Deny with unsupported tag condition
key for service"). The `Allow` + `Action` case is `ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE`
in `key_types`, built on this module's `tag_conditions` and `services_without_key`.

Decisions:
- Only conditions that fail when the key is missing count: positive operators without
  `IfExists` and without `ForAllValues` (a negated operator, `...IfExists` and
  `ForAllValues` hold when the key is missing, so the statement does apply); `Null` is
  never reported.
- With `Action`, a service is reported only when the catalogue attaches the key to none of
  its actions or resource types (the service never sends it), and only when every action
  of the statement is known and none has a wildcard in its service (`*`, `*:Delete*`):
  per-action gaps inside a service that supports the key (Access Analyzer reports those
  too) are often deliberate, e.g. `ec2:*` with `aws:ResourceTag` leaves the `Describe*`
  calls alone, and the catalogue's per-action lists are not complete enough to call them.
- With `NotAction`, the statement covers every action not listed, which always includes
  services without tag support (AWS Health, for one), so any such condition is reported;
  a `NotAction` that excludes everything (`*`) covers nothing and is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ....evaluation.conditions import SetQualifier
from ....model.policy import ConditionEntry, Statement
from ...catalogue.condition_keys import key_matches_template
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import analyze_actions, join_names
from .._common import statement_name
from ._shared import _conditions, _policy, _resolve

_TAG_KEYS = ("aws:resourcetag/", "aws:requesttag/", "aws:tagkeys")


def _requires_key(entry: ConditionEntry) -> bool:
    """A tag-key condition that is false whenever the key is missing from the request."""
    if not entry.key.lower().startswith(_TAG_KEYS):
        return False
    operator = _resolve(entry.operator)
    return not (
        operator is None or operator.negated or operator.if_exists or operator.spec.presence_only
        or operator.set_qualifier is SetQualifier.FOR_ALL_VALUES
    )


def tag_conditions(doc: LintDocument) -> Iterator[tuple[Statement, ConditionEntry, JsonPath]]:
    """Every tag-key condition that is false whenever the key is missing, with its statement."""
    for _, statement, entry, key_path in _conditions(doc):
        if _requires_key(entry):
            yield statement, entry, key_path


def services_without_key(doc: LintDocument, statement: Statement, key: str) -> list[str] | None:
    """The services of the statement's `Action` that never send `key` (sorted), or None
    when the statement's actions cannot be judged (NotAction, unknown or unbounded)."""
    analysis = analyze_actions(doc, statement)
    if analysis is None or not analysis.all_known or analysis.unbounded:
        return None
    catalogue = doc.catalogue
    return sorted(
        s for s in analysis.services
        if catalogue.service_exists(s)
        and not any(key_matches_template(key, k) for k in catalogue.service_condition_keys_in_use(s))
    )


def _excludes_everything(statement: Statement) -> bool:
    return any(p and set(p) == {"*"} for p in statement.not_action or ())


# --- checks ------------------------------------------------------------------------------


def check_deny_unsupported(doc: LintDocument) -> Iterable[Finding]:
    for statement, entry, key_path in tag_conditions(doc):
        if statement.effect != "Deny":
            continue
        unsupported = services_without_key(doc, statement, entry.key)
        if not unsupported:
            continue
        one = len(unsupported) == 1
        yield doc.finding(
            "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", key_path,
            f"{join_names(unsupported, 4)} never {'sends' if one else 'send'} `{entry.key}`, so "
            f"{statement_name(statement)} denies none of {'its' if one else 'their'} actions, even on "
            "tagged resources; move them to a statement that denies them by resource ARN (not by "
            f"`{entry.operator}IfExists`, which would deny them always)",
            services=unsupported,
        )


def _check_not_action(doc: LintDocument, effect: str, code: str) -> Iterable[Finding]:
    for statement, entry, key_path in tag_conditions(doc):
        if statement.effect != effect or statement.not_action is None or _excludes_everything(statement):
            continue
        if effect == "Deny":
            consequence = "does not deny the actions of those services"
        else:
            consequence = "allows none of the actions of those services"
        yield doc.finding(
            code, key_path,
            f"{statement_name(statement)} uses `NotAction`, so it covers actions of services that never "
            f"send `{entry.key}` (AWS Health, for one) and {consequence}; list the actions in "
            "`Action` instead",
        )


def check_deny_not_action(doc: LintDocument) -> Iterable[Finding]:
    return _check_not_action(doc, "Deny", "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE")


def check_allow_not_action(doc: LintDocument) -> Iterable[Finding]:
    return _check_not_action(doc, "Allow", "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE")


# --- rules -------------------------------------------------------------------------------

_PROTECTED = {"StringEquals": {"aws:ResourceTag/protected": "true"}}


def _not_action(effect: str, condition: dict[str, Any], not_action: str = "iam:*") -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": effect, "NotAction": not_action, "Resource": "*", "Condition": condition}]}


RULES: tuple[Rule, ...] = (
    Rule(
        code="DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        severity=Severity.SECURITY_WARNING,
        summary="A Deny conditioned on a tag key that some of its services never send, so it never "
        "denies their actions.",
        learn_more="A service that does not support `aws:ResourceTag`, `aws:RequestTag` or "
        "`aws:TagKeys` never puts them in the request context; the condition is then false and the "
        "Deny does not apply to that service's actions, even on tagged resources. Deny those actions "
        "in a statement of their own, by resource ARN; `...IfExists` is no fix (it would deny them "
        "always). Reported only for services whose actions and resource types take the key nowhere.",
        check=check_deny_unsupported,
        access_analyzer=True,
        example=_policy(_PROTECTED, effect="Deny", action=["ec2:TerminateInstances", "health:DescribeEvents"],
                        resource="*"),
        near_miss=_policy(_PROTECTED, effect="Deny", action="ec2:TerminateInstances", resource="*"),
    ),
    Rule(
        code="DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        severity=Severity.SECURITY_WARNING,
        summary="A Deny with `NotAction` conditioned on a tag key, which does not deny the services "
        "that never send it.",
        learn_more="`NotAction` covers every action not listed, including those of services that do "
        "not support the tag key; for them the condition is false and nothing is denied. List the "
        "actions to deny in `Action`.",
        check=check_deny_not_action,
        access_analyzer=True,
        example=_not_action("Deny", _PROTECTED),
        near_miss=_not_action("Deny", {"StringNotEquals": {"aws:ResourceTag/protected": "true"}}),
    ),
    Rule(
        code="ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        severity=Severity.SUGGESTION,
        summary="An Allow with `NotAction` conditioned on a tag key, which allows nothing of the "
        "services that never send it.",
        learn_more="`NotAction` covers every action not listed, including those of services that do "
        "not support the tag key; for them the condition is false and nothing is allowed. List the "
        "actions to allow in `Action`.",
        check=check_allow_not_action,
        access_analyzer=True,
        example=_not_action("Allow", {"StringEquals": {"aws:ResourceTag/team": "red"}}),
        near_miss=_not_action("Allow", {"StringEquals": {"aws:PrincipalTag/team": "red"}}),
    ),
)
