"""Lint rules: a `ForAllValues:`/`ForAnyValue:` set qualifier where it does nothing useful or
needs a second look: on the `Null` operator, and on an OIDC audience (`aud`) claim.

Decisions:
- `NULL_WITH_QUALIFIER`: `Null` tests whether a key is present, never its values, but a set
  qualifier makes it quantify over the values (`evaluation/conditions/null.py`): a missing
  key has none, so `ForAllValues:Null` is then true and `ForAnyValue:Null` false whatever the
  policy asks (`{"ForAnyValue:Null": {"k": "true"}}` can never hold). The condition does not
  say what it seems to, and the fix is to drop the qualifier. Reported once per operator, at
  the operator.
- `IF_EXISTS_WITH_SET_QUALIFIER` (ours): `IfExists` does nothing under a set qualifier
  (docs/concepts.md, documented choices), though it reads as "or the key is missing".
- `CONFIRM_AUDIENCE_CLAIM_TYPE`: Access Analyzer attaches this suggestion to every OIDC
  `aud` condition in a trust policy, even a plain `StringEquals`. We report it only where
  the question matters: an `aud` key under a set qualifier. An audience condition is
  normally one value (`sts.amazonaws.com`, a client ID) compared without a qualifier;
  `ForAllValues:` also holds when the claim is missing, and `ForAnyValue:` is only right if
  the provider sends a list. Keys are `HOST:aud` where `HOST` is a provider (it has a `.` or
  `/`: `token.actions.githubusercontent.com`, `cognito-identity.amazonaws.com`,
  `accounts.google.com`, `oidc.eks.REGION.amazonaws.com/id/ID`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ....evaluation.conditions import SetQualifier
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import example_policy
from ._shared import _conditions, _domain_prefix, _operators, _policy, _resolve


def check_null_with_qualifier(doc: LintDocument) -> Iterable[Finding]:
    for path, name in _operators(doc):
        operator = _resolve(name)
        if operator is None or not operator.spec.presence_only or operator.set_qualifier is None:
            continue
        always = "true" if operator.set_qualifier is SetQualifier.FOR_ALL_VALUES else "false"
        yield doc.finding(
            "NULL_WITH_QUALIFIER", path,
            f"`{name}`: `{operator.set_qualifier.value}:` makes `Null` test each value of the key "
            f"instead of the key, so a missing key (no values) makes it {always} whatever it asks; "
            "write `Null`",
        )


def check_if_exists_with_qualifier(doc: LintDocument) -> Iterable[Finding]:
    for path, name in _operators(doc):
        operator = _resolve(name)
        if operator is None or not operator.if_exists or operator.set_qualifier is None:
            continue
        if operator.set_qualifier is SetQualifier.FOR_ANY_VALUE:
            effect = ("a missing key still makes it false, so it does not let requests without the key "
                      "through; allow those in a statement of their own, or test `Null`")
        else:
            effect = "`ForAllValues:` is already true when the key is missing"
        yield doc.finding(
            "IF_EXISTS_WITH_SET_QUALIFIER", path,
            f"`{name}`: `IfExists` changes nothing under `{operator.set_qualifier.value}:`; {effect}; "
            f"write `{operator.name.removesuffix('IfExists')}`",
        )


def _is_audience(key: str) -> bool:
    prefix, _, name = key.rpartition(":")
    return name.lower() == "aud" and _domain_prefix(key) and bool(prefix)


def check_audience_claim_type(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        if not _is_audience(entry.key):
            continue
        operator = _resolve(entry.operator)
        if operator is None or operator.set_qualifier is None or operator.spec.presence_only:
            continue
        plain = operator.name.split(":", 1)[1]
        risk = (
            "`ForAllValues:` also holds when the token has no audience claim"
            if operator.set_qualifier is SetQualifier.FOR_ALL_VALUES
            else "`ForAnyValue:` is only needed if the provider sends a list of audiences"
        )
        yield doc.finding(
            "CONFIRM_AUDIENCE_CLAIM_TYPE", key_path,
            f"`{entry.key}` is the token's audience, normally one value; {risk}. Confirm what your "
            f"identity provider sends, and for a single audience write `{plain}` without the qualifier",
        )


_OIDC = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"


def _trust(condition: dict[str, object]) -> dict[str, object]:
    return example_policy({
        "Effect": "Allow", "Principal": {"Federated": _OIDC}, "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    })


_SUB = {"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}

RULES: tuple[Rule, ...] = (
    Rule(
        code="IF_EXISTS_WITH_SET_QUALIFIER",
        severity=Severity.WARNING,
        summary="`IfExists` on a `ForAnyValue:` or `ForAllValues:` operator, where it changes nothing.",
        learn_more="Under a set qualifier `IfExists` has no effect: `ForAnyValue:StringEqualsIfExists` "
        "is still false when the key is missing (AWS evaluates it so: a role allowed only under that "
        "condition cannot call actions that do not send the key), and `ForAllValues:` is true then "
        "anyway. Drop `IfExists`; to let requests without the key through, allow them in a statement "
        "of their own or test the key with `Null`.",
        check=check_if_exists_with_qualifier,
        example=_policy({"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["team"]}}),
        near_miss=_policy({"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}),
    ),
    Rule(
        code="NULL_WITH_QUALIFIER",
        severity=Severity.SUGGESTION,
        summary="`ForAllValues:` or `ForAnyValue:` on the `Null` operator.",
        learn_more="`Null` tests only whether a key is present; a set qualifier makes it test the "
        "key's values instead, and a missing key has none: `ForAllValues:Null` is then true and "
        "`ForAnyValue:Null` false, whatever the policy asks. Write `Null` alone.",
        check=check_null_with_qualifier,
        access_analyzer=True,
        example=_policy({"ForAnyValue:Null": {"aws:TagKeys": "false"}}),
        near_miss=_policy({"Null": {"aws:TagKeys": "false"}}),
    ),
    Rule(
        code="CONFIRM_AUDIENCE_CLAIM_TYPE",
        severity=Severity.SUGGESTION,
        summary="An OIDC audience (`HOST:aud`) compared under `ForAllValues:` or `ForAnyValue:`.",
        learn_more="The audience of a web identity token is normally one value, compared with "
        "`StringEquals`; `ForAllValues:` also holds when the claim is missing, and `ForAnyValue:` "
        "only fits a provider that sends a list. Access Analyzer notes every `aud` condition; we "
        "note only those with a set qualifier.",
        check=check_audience_claim_type,
        access_analyzer=True,
        example_policy_type="trust",
        example=_trust({"ForAllValues:StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                        "StringEquals": _SUB}),
        near_miss=_trust({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", **_SUB}}),
    ),
)
