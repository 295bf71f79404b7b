"""Lint rules: operators against the type of their key (a String operator on a Date key, no
set qualifier on a multivalued key, `ForAllValues` on a single-valued one, `StringLike` on
an ARN), and tag keys that some of the statement's services never send.

Decisions:
- `TYPE_MISMATCH` compares the operator family with the key's type: ARN keys accept
  String operators (a StringLike on them is `STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS`),
  Bool keys accept String operators (`"true"` compares as text), `Null` fits every key.
"""

from __future__ import annotations

from collections.abc import Iterable

from ....evaluation.conditions import Family, SetQualifier
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import join_names
from ._shared import (
    _conditions,
    _domain_prefix,
    _key_info,
    _policy,
    _resolve,
    _value_paths,
)
from .tag_support import services_without_key, tag_conditions



# --- operators against key types -------------------------------------------------------

_FAMILY_TYPES: dict[Family, frozenset[str]] = {
    Family.STRING: frozenset({"String", "ARN", "Bool"}),
    Family.ARN: frozenset({"ARN", "String"}),  # String keys often hold ARNs (encryption context)
    Family.NUMERIC: frozenset({"Numeric"}),
    Family.DATE: frozenset({"Date"}),
    Family.BOOLEAN: frozenset({"Bool"}),
    Family.BINARY: frozenset({"Binary"}),
    Family.IP_ADDRESS: frozenset({"IPAddress"}),
}
_TYPE_FAMILY = {
    "String": "String", "ARN": "Arn", "Bool": "Bool", "Numeric": "Numeric", "Date": "Date",
    "IPAddress": "IpAddress", "Binary": "Binary",
}


def check_type_mismatch(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.family is Family.NULL:
            continue
        info = _key_info(doc, entry.key)
        if info is None or info.base_type not in _TYPE_FAMILY:
            continue
        accepted = _FAMILY_TYPES[operator.spec.family]
        if info.base_type in accepted or accepted & set(info.also_works_with):
            continue
        yield doc.finding(
            "TYPE_MISMATCH", key_path,
            f"`{info.key}` holds {_article(info.base_type)} value, but `{entry.operator}` compares "
            f"{operator.spec.family.value.lower()} values; use a {_TYPE_FAMILY[info.base_type]} operator",
        )


def _article(type_name: str) -> str:
    return f"an {type_name}" if type_name[0] in "AEIOU" else f"a {type_name}"


def check_missing_qualifier(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.set_qualifier is not None or operator.spec.presence_only:
            continue
        info = _key_info(doc, entry.key)
        if info is not None and info.multi_valued:
            yield doc.finding(
                "MISSING_QUALIFIER", key_path,
                f"`{info.key}` can hold several values, so `{entry.operator}` needs "
                f"`ForAnyValue:` (some value matches) or `ForAllValues:` (every value matches)",
            )


def check_forallvalues_single(doc: LintDocument) -> Iterable[Finding]:
    for _, statement, entry, key_path in _conditions(doc):
        if statement.effect != "Allow":
            continue
        operator = _resolve(entry.operator)
        if operator is None or operator.set_qualifier is not SetQualifier.FOR_ALL_VALUES or operator.spec.presence_only:
            continue
        if _domain_prefix(entry.key):
            continue
        info = _key_info(doc, entry.key)
        if info is not None and not info.multi_valued:
            yield doc.finding(
                "FORALLVALUES_WITH_SINGLE_VALUED_KEY", key_path,
                f"`{info.key}` holds one value, and `ForAllValues:` is also true when the key is "
                f"absent, so this Allow applies to requests without `{info.key}`; drop `ForAllValues:`",
            )


def check_string_like_arn(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.family is not Family.STRING or not operator.spec.allows_wildcards:
            continue
        info = _key_info(doc, entry.key)
        if info is not None and info.base_type == "ARN":
            arn_op = "ArnNotLike" if operator.negated else "ArnLike"
            yield doc.finding(
                "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", key_path,
                f"`{info.key}` holds an ARN; `{entry.operator}` lets a `*` match across the ARN's "
                f"fields (`:`), so use `{arn_op}`, which matches field by field",
            )


def check_equivalent_to_null_false(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if (
            operator is None or operator.negated or operator.if_exists or operator.set_qualifier is not None
            or not operator.spec.allows_wildcards or operator.spec.family not in (Family.STRING, Family.ARN)
        ):
            continue
        for value_path, value in _value_paths(entry, key_path):
            if isinstance(value, str) and value and set(value) == {"*"}:
                yield doc.finding(
                    "EQUIVALENT_TO_NULL_FALSE", value_path,
                    f"`{entry.operator}` with `{value}` only tests that `{entry.key}` is present; "
                    f'write `"Null": {{"{entry.key}": "false"}}` to say so',
                )
                break


def check_unsupported_tag_key(doc: LintDocument) -> Iterable[Finding]:
    for statement, entry, key_path in tag_conditions(doc):
        if statement.effect != "Allow":
            continue
        unsupported = services_without_key(doc, statement, entry.key)
        if unsupported:
            yield doc.finding(
                "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", key_path,
                f"{join_names(unsupported, 4)} never {'sends' if len(unsupported) == 1 else 'send'} "
                f"`{entry.key}`, so this statement allows none of {'its' if len(unsupported) == 1 else 'their'} "
                "actions; move them to a statement without this condition",
                services=unsupported,
            )


# --- rules -----------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        code="TYPE_MISMATCH",
        severity=Severity.WARNING,
        summary="An operator whose type does not fit the key's (`StringEquals` on a Date key).",
        learn_more="Each condition key has a type (String, ARN, Numeric, Date, Bool, IP address); "
        "compare it with operators of that type. ARN and Bool keys also work with String operators.",
        check=check_type_mismatch,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}),
        near_miss=_policy({"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}),
    ),
    Rule(
        code="MISSING_QUALIFIER",
        severity=Severity.ERROR,
        summary="A multivalued condition key used without `ForAnyValue:` or `ForAllValues:`.",
        learn_more="Keys such as `aws:TagKeys` or `aws:CalledVia` hold a set of values; say whether "
        "some value (`ForAnyValue:`) or every value (`ForAllValues:`) must match.",
        check=check_missing_qualifier,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:TagKeys": ["team", "env"]}}),
        near_miss=_policy({"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}),
    ),
    Rule(
        code="FORALLVALUES_WITH_SINGLE_VALUED_KEY",
        severity=Severity.SECURITY_WARNING,
        summary="`ForAllValues:` on a single-valued key in an Allow statement.",
        learn_more="`ForAllValues:` is true when the key is absent, so the Allow also applies to "
        "requests that lack the key. Use the operator without the prefix.",
        check=check_forallvalues_single,
        access_analyzer=True,
        example=_policy({"ForAllValues:StringEquals": {"aws:PrincipalTag/team": "a"}}),
        near_miss=_policy({"StringEquals": {"aws:PrincipalTag/team": "a"}}),
    ),
    Rule(
        code="STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
        severity=Severity.SECURITY_WARNING,
        summary="`StringLike` on an ARN condition key.",
        learn_more="With `StringLike` a `*` matches across the fields of the ARN, so "
        "`arn:aws:iam::111122223333:role/*` also matches ARNs of other shapes; `ArnLike` compares the "
        "fields one by one.",
        check=check_string_like_arn,
        access_analyzer=True,
        example=_policy({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin*"}}),
        near_miss=_policy({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin*"}}),
    ),
    Rule(
        code="EQUIVALENT_TO_NULL_FALSE",
        severity=Severity.SUGGESTION,
        summary="A `*` alone as a `StringLike`/`ArnLike` value, which only tests that the key exists.",
        learn_more="`\"StringLike\": {\"key\": \"*\"}` holds whenever the key is present; "
        "`\"Null\": {\"key\": \"false\"}` says the same plainly.",
        check=check_equivalent_to_null_false,
        access_analyzer=True,
        example=_policy({"StringLike": {"aws:ResourceTag/team": "*"}}),
        near_miss=_policy({"StringLike": {"aws:ResourceTag/team": "dev-*"}}),
    ),
    Rule(
        code="ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        severity=Severity.SUGGESTION,
        summary="An Allow conditioned on a tag key that some of its services never send.",
        learn_more="Services that do not support `aws:ResourceTag`, `aws:RequestTag` or `aws:TagKeys` "
        "never put them in the request context, so the condition is false for their actions and the "
        "statement allows none of them.",
        check=check_unsupported_tag_key,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:ResourceTag/team": "a"}}, action=["ec2:StartInstances", "health:DescribeEvents"], resource="*"),
        near_miss=_policy({"StringEquals": {"aws:ResourceTag/team": "a"}}, action="ec2:StartInstances", resource="*"),
    ),
)
