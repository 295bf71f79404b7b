"""Why a condition held or not: the slow path, one outcome per (operator, key).

It applies the same rules as the compiled checks (see `compiler.py`), but value by
value, so it can say which policy value matched and why. A test asserts it always
agrees with `CompiledConditions.matches`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from ...errors import JsonPath
from ..context import MISSING, RequestContext
from .compiler import SEQUENCE_TYPES, CompiledCondition
from .operators import SetQualifier
from .registry import RequestValueError, ValueSet, show


class ConditionReason(enum.StrEnum):
    MATCHED = "MATCHED"
    VALUE_MISMATCH = "VALUE_MISMATCH"
    KEY_MISSING = "KEY_MISSING"
    KEY_MISSING_IFEXISTS = "KEY_MISSING_IFEXISTS"
    VARIABLE_UNRESOLVED = "VARIABLE_UNRESOLVED"
    TYPE_ERROR = "TYPE_ERROR"
    EMPTY_SET = "EMPTY_SET"


@dataclass(frozen=True, slots=True)
class ConditionOutcome:
    operator: str  # as written
    key: str  # as written
    matched: bool
    reason: ConditionReason
    detail: str
    path: JsonPath = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "operator": self.operator,
            "key": self.key,
            "matched": self.matched,
            "reason": self.reason.value,
            "detail": self.detail,
            "path": list(self.path),
        }


def _one_of(displays: list[str]) -> str:
    if len(displays) == 1:
        return displays[0]
    return "any of " + ", ".join(displays)


@dataclass(slots=True)
class _Element:
    shown: str
    normalized: Any
    results: list[bool | None]  # per policy value; None = unresolved variable

    @property
    def hit(self) -> bool:
        return any(result is True for result in self.results)


def _describe(cond: CompiledCondition, element: _Element) -> str:
    values: ValueSet = cond.values
    yes, no = cond.operator.spec.verb
    subject = f"{cond.key} {element.shown}"
    matched = [values.displays[i] for i, r in enumerate(element.results) if r is True]
    if matched:
        return f"{subject} {yes} {matched[0]}"
    compared = [values.displays[i] for i, r in enumerate(element.results) if r is False]
    unresolved = [values.displays[i] for i, r in enumerate(element.results) if r is None]
    if compared:
        text = f"{subject} {no} {_one_of(compared)}"
        if unresolved:
            text += f"; the policy variable in {', '.join(unresolved)} has no value"
    elif unresolved:
        text = f"{subject}: the policy variable in {', '.join(unresolved)} has no value, so it matches nothing"
    else:
        text = f"{subject}: the policy lists no values"
    remark = values.remark(element.normalized) if values.remark else None
    if remark:
        text += f" ({remark})"
    return text


def _outcome(cond: CompiledCondition, matched: bool, reason: ConditionReason, detail: str) -> ConditionOutcome:
    return ConditionOutcome(cond.operator.written, cond.key, matched, reason, detail, cond.path)


def _explain_null(cond: CompiledCondition, value: Any, ctx: RequestContext) -> ConditionOutcome:
    absent = value is MISSING or value is None or (isinstance(value, SEQUENCE_TYPES) and not value)
    qualifier = cond.operator.set_qualifier
    if qualifier is not None and absent:  # no values to quantify over (see compiler.build_check)
        matched = qualifier is SetQualifier.FOR_ALL_VALUES
        detail = (f"{cond.key} is absent, so `{qualifier.value}:Null` has no values to test: "
                  f"{'true' if matched else 'false'}")
        return _outcome(cond, matched, ConditionReason.KEY_MISSING, detail)
    matched = cond.values.any_match(absent, ctx)
    wanted = {"true": "absent", "false": "present"}
    asks = " or ".join(f"`{d}` ({wanted[d]})" for d in dict.fromkeys(cond.values.displays)) or "nothing"
    detail = f"{cond.key} is {'absent' if absent else 'present'}; Null asks for {asks}"
    return _outcome(cond, matched, ConditionReason.MATCHED if matched else ConditionReason.VALUE_MISMATCH, detail)


def explain_condition(cond: CompiledCondition, ctx: RequestContext) -> ConditionOutcome:
    op = cond.operator
    value = ctx.get(cond.key_lower)
    missing = value is MISSING or value is None
    if missing:
        ctx.note_missing(cond.key)
    if op.spec.presence_only:
        return _explain_null(cond, value, ctx)
    qualifier = op.set_qualifier
    negated = op.negated
    if missing:
        if op.if_exists and qualifier is None:
            return _outcome(
                cond, True, ConditionReason.KEY_MISSING_IFEXISTS, f"{cond.key} is absent, so IfExists is true"
            )
        if qualifier is SetQualifier.FOR_ALL_VALUES:
            return _outcome(
                cond, True, ConditionReason.KEY_MISSING, f"{cond.key} is absent; ForAllValues is true then"
            )
        if qualifier is SetQualifier.FOR_ANY_VALUE:
            return _outcome(
                cond, False, ConditionReason.KEY_MISSING, f"{cond.key} is absent; ForAnyValue is false then"
            )
        effect = "a negated operator is true then" if negated else "the condition is false"
        return _outcome(cond, negated, ConditionReason.KEY_MISSING, f"{cond.key} is absent; {effect}")

    if isinstance(value, SEQUENCE_TYPES):
        raw_elements = list(value)
    elif qualifier is not None and value == "":
        raw_elements = []
    else:
        raw_elements = [value]
    every = qualifier is SetQualifier.FOR_ALL_VALUES or (qualifier is None and negated)
    if not raw_elements:
        return _outcome(cond, every, ConditionReason.EMPTY_SET, f"{cond.key} is an empty set")

    # Element by element in request order, stopping where the compiled check stops, so
    # a badly typed element after the deciding one is not an error here either.
    elements: list[_Element] = []
    deciding: _Element | None = None
    for raw in raw_elements:
        try:
            normalized = cond.values.normalize(raw)
            results = [test(normalized, ctx) for test in cond.values.tests]
        except RequestValueError as exc:
            detail = f"{cond.key}: {exc}, so `{op.spec.name}` cannot compare it"
            return _outcome(cond, False, ConditionReason.TYPE_ERROR, detail)
        element = _Element(show(raw), normalized, results)
        elements.append(element)
        if (element.hit is not negated) is not every:
            deciding = element
            break
    # "every": matched unless some element failed; otherwise: matched iff one succeeded
    matched = every if deciding is None else not every
    count = len(raw_elements)
    if deciding is not None:
        detail = _describe(cond, deciding)
        if count > 1:
            detail = f"value {len(elements)} of {count}: {detail}"
    else:
        detail = _describe(cond, elements[0])
        if count > 1:
            detail = f"{'all' if every else 'none'} of {count} values pass, e.g. {detail}"
    unresolved = any(r is None for e in elements for r in e.results)
    if unresolved and not any(e.hit for e in elements):
        reason = ConditionReason.VARIABLE_UNRESOLVED
    else:
        reason = ConditionReason.MATCHED if matched else ConditionReason.VALUE_MISMATCH
    return _outcome(cond, matched, reason, detail)
