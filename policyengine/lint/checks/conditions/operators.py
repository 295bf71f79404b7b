"""Lint rules: condition operators that do not exist (`StringEqual`, `NullIfExists`), as the
evaluator's own `lookup_operator` resolves them."""

from __future__ import annotations

from collections.abc import Iterable

from ....evaluation.conditions import ConditionCompileError, lookup_operator
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from ._shared import _operators, _policy

# --- operators -------------------------------------------------------------------------


def _operator_findings(doc: LintDocument, wanted: str) -> Iterable[Finding]:
    for path, operator in _operators(doc):
        try:
            lookup_operator(operator)
        except ConditionCompileError as exc:
            if exc.code == wanted:
                yield doc.finding(wanted, path, exc.message)


def check_operator(doc: LintDocument) -> Iterable[Finding]:
    return _operator_findings(doc, "INVALID_CONDITION_OPERATOR")


def check_null_if_exists(doc: LintDocument) -> Iterable[Finding]:
    return _operator_findings(doc, "NULL_WITH_IF_EXISTS")


# --- rules -----------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        code="INVALID_CONDITION_OPERATOR",
        severity=Severity.ERROR,
        summary="A condition operator that does not exist.",
        learn_more="Operators are e.g. `StringEquals`, `ArnLike`, `NumericLessThan`, `Bool`, "
        "`IpAddress`, optionally prefixed with `ForAllValues:`/`ForAnyValue:` and suffixed with "
        "`IfExists`. The message suggests the closest one.",
        check=check_operator,
        access_analyzer=True,
        example=_policy({"StringEqual": {"aws:PrincipalTag/team": "a"}}),
        near_miss=_policy({"StringEquals": {"aws:PrincipalTag/team": "a"}}),
    ),
    Rule(
        code="NULL_WITH_IF_EXISTS",
        severity=Severity.ERROR,
        summary="The `Null` operator with an `IfExists` suffix.",
        learn_more="`Null` already tests whether the key exists; `NullIfExists` is not an operator.",
        check=check_null_if_exists,
        access_analyzer=True,
        example=_policy({"NullIfExists": {"aws:PrincipalTag/team": "false"}}),
        near_miss=_policy({"Null": {"aws:PrincipalTag/team": "false"}}),
    ),
)
