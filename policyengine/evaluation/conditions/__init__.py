"""Condition blocks: compile once, then evaluate in microseconds.

>>> from policyengine.model.policy import ConditionEntry
>>> from policyengine.evaluation.context import RequestContext
>>> block = compile_conditions(
...     [ConditionEntry(operator="NotIpAddress", key="aws:SourceIp", values=["10.0.0.0/8"])],
...     variables_enabled=True,
... )
>>> block.matches(RequestContext({"aws:SourceIp": "203.0.113.9"}))
True
>>> block.explain(RequestContext({"aws:SourceIp": "10.1.2.3"}))[0].detail
'aws:SourceIp 10.1.2.3 is in 10.0.0.0/8'

One module per operator family (`string`, `numeric`, `date`, `boolean`, `binary`,
`ipaddress`, `arn`, `null`), each registering its operators in `registry`; what
several families share is written once (`ordered`: the comparisons of Numeric, Date
and Binary; `templating`: the policy variables of String and Arn). The
generic modifiers (`IfExists`, `ForAllValues:`, `ForAnyValue:`) and the combination
rules live in `compiler`; `explain` is the slow path that says why. The behaviours
AWS leaves open are decided, and documented, in those modules' docstrings.
"""

from __future__ import annotations

from typing import Sequence

from ...model.policy import ConditionEntry
from ..context import RequestContext
# importing a family registers its operators: this order is the registry's order
from . import arn, binary, boolean, numeric, date, ipaddress, null, string  # noqa: F401, I001
from .compiler import CompiledCondition, combine, compile_all
from .errors import ConditionCompileError, ConditionEvaluationError
from .explain import ConditionOutcome, ConditionReason, explain_condition
from .operators import ResolvedOperator, SetQualifier, lookup_operator, suggest_operator
from .registry import REGISTRY, Family, OperatorSpec


class CompiledConditions:
    """A compiled Condition block (all its operators and keys, AND-ed)."""

    __slots__ = ("conditions", "keys", "variable_keys", "_check")

    def __init__(self, conditions: Sequence[CompiledCondition]) -> None:
        self.conditions: tuple[CompiledCondition, ...] = tuple(conditions)
        # lower-cased condition keys the block reads
        self.keys: frozenset[str] = frozenset(c.key_lower for c in self.conditions)
        # lower-cased keys referenced by policy variables in the values
        self.variable_keys: frozenset[str] = frozenset().union(
            *(c.values.variable_keys for c in self.conditions)
        )
        self._check = combine([c.check for c in self.conditions])

    def matches(self, ctx: RequestContext) -> bool:
        """True when every condition holds. Absent keys are noted on `ctx`.

        Raises ConditionEvaluationError when a request value has the wrong type for its
        operator; the caller must then fail closed.
        """
        return self._check(ctx)

    def explain(self, ctx: RequestContext) -> list[ConditionOutcome]:
        """One outcome per (operator, key), in document order; no short-circuit."""
        return [explain_condition(c, ctx) for c in self.conditions]

    def __len__(self) -> int:
        return len(self.conditions)

    def __repr__(self) -> str:
        inner = ", ".join(f"{c.operator.written}:{c.key}" for c in self.conditions)
        return f"CompiledConditions({inner})"


def compile_conditions(entries: Sequence[ConditionEntry], *, variables_enabled: bool) -> CompiledConditions:
    """Compile a statement's condition entries.

    `variables_enabled` is the document's `variables_enabled` (Version 2012-10-17).
    Raises ConditionCompileError (with every problem in `.errors`).
    """
    return CompiledConditions(compile_all(entries, variables_enabled=variables_enabled))


__all__ = [
    "REGISTRY",
    "CompiledCondition",
    "CompiledConditions",
    "ConditionCompileError",
    "ConditionEvaluationError",
    "ConditionOutcome",
    "ConditionReason",
    "Family",
    "OperatorSpec",
    "ResolvedOperator",
    "SetQualifier",
    "compile_conditions",
    "lookup_operator",
    "suggest_operator",
]
