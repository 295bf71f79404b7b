"""Comparison operators: the Numeric and Date families, and BinaryEquals.

They differ only in how a value is read (a number, an instant, bytes). Once read, policy
values are bounds a request value is compared with, so compiling, comparing and the six
operators of an ordered family (`...Equals` to `...GreaterThanEquals`) are written once,
here. Several values are OR-ed: `any_match` compares with the loosest bound only.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .registry import (
    AnyMatch,
    Family,
    OperatorSpec,
    PolicyValue,
    RequestValueError,
    ValueCompiler,
    ValueSet,
    ValueTest,
    never,
    parse_policy_values,
    register,
)

_RELATIONS = {
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}

# (name suffix, relation, negated): the operators of an ordered family, in this order
_OPERATORS = (
    ("Equals", "eq", False),
    ("NotEquals", "eq", True),
    ("LessThan", "lt", False),
    ("LessThanEquals", "le", False),
    ("GreaterThan", "gt", False),
    ("GreaterThanEquals", "ge", False),
)


def ordered_any_match(relation: str, bounds: Sequence[Any], convert: Callable[[Any], Any]) -> AnyMatch:
    """any_match for an ordered family: one comparison against the loosest bound."""
    if not bounds:
        return never
    if relation == "eq":
        accepted = frozenset(bounds)
        return lambda value, ctx: convert(value) in accepted
    if relation in ("lt", "le"):
        bound = max(bounds)
        if relation == "lt":
            return lambda value, ctx: convert(value) < bound
        return lambda value, ctx: convert(value) <= bound
    bound = min(bounds)
    if relation == "gt":
        return lambda value, ctx: convert(value) > bound
    return lambda value, ctx: convert(value) >= bound


def ordered_tests(relation: str, bounds: Sequence[Any]) -> tuple[ValueTest, ...]:
    compare = _RELATIONS[relation]

    def test_for(bound: Any) -> ValueTest:
        return lambda value, ctx: compare(value, bound)

    return tuple(test_for(bound) for bound in bounds)


def comparison_compiler(
    parse_text: Callable[[str], Any],
    convert: Callable[[Any], Any],
    expected: str,
    code: str,
    help: str,
    *,
    verb: str = "compares",
) -> ValueCompiler:
    """The ValueCompiler of a comparison family.

    A policy string is read by `parse_text` (None: invalid); a JSON number by `convert`,
    the request-value conversion (refused when it raises: NaN, infinity, a number where
    bytes are expected); a boolean never.
    """

    def parse(raw: PolicyValue) -> Any:
        if isinstance(raw, str):
            return parse_text(raw)
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return None
        try:
            return convert(raw)
        except RequestValueError:
            return None

    def compile_values(spec: OperatorSpec, values: Sequence[PolicyValue], variables_enabled: bool) -> ValueSet:
        bounds = parse_policy_values(spec, values, parse, expected, code, help, verb=verb)
        return ValueSet(
            any_match=ordered_any_match(spec.relation, bounds, convert),
            normalize=convert,
            tests=ordered_tests(spec.relation, bounds),
            displays=tuple(str(raw) for raw in values),
        )

    return compile_values


def register_ordered(
    family: Family, compile_values: ValueCompiler, verbs: dict[str, tuple[str, str]]
) -> None:
    """Register `<family>Equals`, `<family>NotEquals`, `<family>LessThan`, ... with the
    explanation phrases of each relation (`verbs["lt"] = ("is before", "is not before")`)."""
    for suffix, relation, negated in _OPERATORS:
        register(
            OperatorSpec(
                name=family.value + suffix,
                family=family,
                negated=negated,
                allows_wildcards=False,
                allows_variables=False,
                compile_values=compile_values,
                verb=verbs[relation],
                relation=relation,
            )
        )
