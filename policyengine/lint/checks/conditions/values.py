"""Lint rules: condition values the operator cannot take: a value not of the operator's type,
a policy variable where the operator does not substitute it, several Boolean values.

Values are compiled with the evaluator's own operator specs, so that the linter and the
evaluator agree on what is valid.

Decisions:
- A value that cannot be of the operator's type (`"abc"` for `NumericLessThan`) is
  `DATA_TYPE_MISMATCH`, an error: the condition can never hold. Access Analyzer reports
  these as the warnings `TYPE_MISMATCH_NUMBER`, `_DATE`, `_IP_RANGE`, `_BOOLEAN` and
  `_STRING`; the finding carries that code in `extra["access_analyzer_code"]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ....evaluation.conditions import Family
from ....evaluation.conditions.registry import PolicyValueError
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from ._shared import _conditions, _policy, _resolve, _value_paths

# --- values ----------------------------------------------------------------------------

_AA_TYPE_CODES = {
    "TYPE_MISMATCH_NUMBER", "TYPE_MISMATCH_DATE", "TYPE_MISMATCH_IP_RANGE",
    "TYPE_MISMATCH_BOOLEAN", "TYPE_MISMATCH_STRING",
}


def _has_variable(value: Any, doc: LintDocument) -> bool:
    return doc.policy.variables_enabled and isinstance(value, str) and "${" in value


def check_value_types(doc: LintDocument) -> Iterable[Finding]:
    variables = doc.policy.variables_enabled
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None:
            continue
        for value_path, value in _value_paths(entry, key_path):
            if _has_variable(value, doc) and not operator.spec.allows_variables:
                continue  # INVALID_VARIABLE_FOR_OPERATOR
            try:
                operator.spec.compile([value], variables_enabled=variables)
            except PolicyValueError as exc:
                if exc.code in _AA_TYPE_CODES:
                    yield doc.finding(
                        "DATA_TYPE_MISMATCH", value_path, exc.message, access_analyzer_code=exc.code,
                    )


def check_variable_for_operator(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.allows_variables:
            continue
        for value_path, value in _value_paths(entry, key_path):
            if _has_variable(value, doc):
                yield doc.finding(
                    "INVALID_VARIABLE_FOR_OPERATOR", value_path,
                    f"`{value}` holds a policy variable, but `{operator.spec.name}` does not "
                    "substitute variables (only String and Arn operators do); the text is compared "
                    "as written",
                )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else type(value).__name__


def check_mixed_data_types(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        if not entry.is_list:
            continue
        types = list(dict.fromkeys(_json_type(value) for value in entry.values))
        if len(types) > 1:
            yield doc.finding(
                "INVALID_CONDITION_DATA_TYPE", key_path,
                f"the values of `{entry.key}` under `{entry.operator}` mix JSON types "
                f"({', '.join(types)}); write them all as one type, e.g. all as strings",
            )


def check_multiple_boolean(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is not None and operator.spec.family is Family.BOOLEAN and len(entry.values) > 1:
            yield doc.finding(
                "INVALID_CONDITION_MULTIPLE_BOOLEAN", key_path,
                f"`{entry.key}` under `{entry.operator}` has {len(entry.values)} values; a Boolean "
                "condition takes one, `true` or `false`",
            )


# --- rules -----------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        code="DATA_TYPE_MISMATCH",
        severity=Severity.ERROR,
        summary="A condition value that is not of the operator's type (`\"abc\"` for `NumericLessThan`).",
        learn_more="Numeric operators take numbers, Date operators ISO 8601 dates or epoch seconds, "
        "`IpAddress` CIDR blocks, `Bool` and `Null` `true`/`false`, Binary operators base64; any other "
        "value never matches. (Access Analyzer reports these as TYPE_MISMATCH_NUMBER, _DATE, "
        "_IP_RANGE, _BOOLEAN and _STRING.)",
        check=check_value_types,
        access_analyzer=True,
        example=_policy({"NumericLessThan": {"s3:max-keys": "ten"}}, action="s3:ListBucket", resource="arn:aws:s3:::b"),
        near_miss=_policy({"NumericLessThan": {"s3:max-keys": "10"}}, action="s3:ListBucket", resource="arn:aws:s3:::b"),
    ),
    Rule(
        code="INVALID_CONDITION_DATA_TYPE",
        severity=Severity.ERROR,
        summary="The values of one condition key mix JSON types (`[\"10\", 20]`, `[true, \"false\"]`).",
        learn_more="Access Analyzer requires the values of a condition key to share one JSON type. "
        "Write them all as strings (or all as numbers or booleans) so that the policy reads as meant.",
        check=check_mixed_data_types,
        access_analyzer=True,
        example=_policy({"NumericLessThan": {"s3:max-keys": ["10", 20]}}, action="s3:ListBucket", resource="arn:aws:s3:::b"),
        near_miss=_policy({"NumericLessThan": {"s3:max-keys": ["10", "20"]}}, action="s3:ListBucket", resource="arn:aws:s3:::b"),
    ),
    Rule(
        code="INVALID_VARIABLE_FOR_OPERATOR",
        severity=Severity.ERROR,
        summary="A policy variable in the value of an operator that does not substitute variables.",
        learn_more="Only String and Arn operators substitute policy variables; Numeric, Date, Bool, "
        "IpAddress, Binary and Null operators compare the text `${...}` as written.",
        check=check_variable_for_operator,
        access_analyzer=True,
        example=_policy({"NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:PrincipalTag/maxage}"}}),
        near_miss=_policy({"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}),
    ),
    Rule(
        code="INVALID_CONDITION_MULTIPLE_BOOLEAN",
        severity=Severity.ERROR,
        summary="A Boolean condition with several values.",
        learn_more="`Bool` compares a key with one value, `true` or `false`; several values make "
        "the intent unclear (and `[\"true\", \"false\"]` always holds).",
        check=check_multiple_boolean,
        access_analyzer=True,
        example=_policy({"Bool": {"aws:SecureTransport": ["true", "false"]}}),
        near_miss=_policy({"Bool": {"aws:SecureTransport": "true"}}),
    ),
)
