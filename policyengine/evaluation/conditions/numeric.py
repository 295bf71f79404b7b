"""Numeric operators: NumericEquals, NumericNotEquals, NumericLessThan,
NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals.

- Numbers are exact: integers stay `int`, anything with a fraction or exponent becomes
  a `Decimal` (a JSON float goes through its shortest repr, so `0.1` is 0.1), and
  Python compares int and Decimal exactly, so `"1.0"` equals `1`.
- Accepted text: optional sign, digits with an optional fraction, optional exponent
  (`10`, `-2`, `1.5`, `.5`, `1e3`). No whitespace, `_`, `NaN` or `Infinity`.
- No policy variables (IAM does not substitute them in Numeric values): `${...}` in a
  Numeric value is a compile error.
- A request value that is not a number (`"abc"`, a boolean, NaN) is a type error.
- Several policy values are OR-ed, so `NumericLessThan [5, 10]` is `x < 10`: the
  bound is computed once at compile time.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Sequence

from .registry import (
    Family,
    OperatorSpec,
    PolicyValue,
    PolicyValueError,
    RequestValueError,
    ValueSet,
    never,
    register,
    show,
)

Number = int | Decimal

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


def parse_number(text: str) -> Number | None:
    if text.isascii() and text.isdigit():
        try:
            return int(text)
        except ValueError:  # more digits than int() converts by default
            return Decimal(text)
    if not _NUMBER.match(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid text
        return None
    return int(number) if number == number.to_integral_value() and abs(number.adjusted()) < 20 else number


def to_number(value: Any) -> Number:
    kind = type(value)
    if kind is int:
        return value
    if kind is str:
        number = parse_number(value)
        if number is None:
            raise RequestValueError(f"`{value}` is not a number")
        return number
    if kind is float:
        if not math.isfinite(value):
            raise RequestValueError(f"`{show(value)}` is not a finite number")
        return Decimal(repr(value))
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return value
    raise RequestValueError(f"`{show(value)}` is not a number")


def _policy_number(spec: OperatorSpec, raw: PolicyValue, index: int) -> Number:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        number = None
    else:
        try:
            number = to_number(raw)
        except RequestValueError:
            number = None
    if number is None:
        raise PolicyValueError(
            index,
            f"`{raw}` is not a number, which `{spec.name}` compares",
            "TYPE_MISMATCH_NUMBER",
            help="write an integer or a decimal such as `10` or `2.5`",
        )
    return number


_RELATIONS = {
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


def ordered_any_match(relation: str, bounds: Sequence[Any], convert: Any) -> Any:
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


def ordered_tests(relation: str, bounds: Sequence[Any]) -> tuple[Any, ...]:
    compare = _RELATIONS[relation]

    def test_for(bound: Any) -> Any:
        return lambda value, ctx: compare(value, bound)

    return tuple(test_for(bound) for bound in bounds)


def compile_numeric(spec: OperatorSpec, values: Sequence[PolicyValue], variables_enabled: bool) -> ValueSet:
    numbers = [_policy_number(spec, raw, index) for index, raw in enumerate(values)]
    return ValueSet(
        any_match=ordered_any_match(spec.relation, numbers, to_number),
        normalize=to_number,
        tests=ordered_tests(spec.relation, numbers),
        displays=tuple(str(raw) for raw in values),
    )


_VERBS = {
    "eq": ("equals", "does not equal"),
    "lt": ("is less than", "is not less than"),
    "le": ("is at most", "is more than"),
    "gt": ("is greater than", "is not greater than"),
    "ge": ("is at least", "is less than"),
}

for _name, _relation, _negated in (
    ("NumericEquals", "eq", False),
    ("NumericNotEquals", "eq", True),
    ("NumericLessThan", "lt", False),
    ("NumericLessThanEquals", "le", False),
    ("NumericGreaterThan", "gt", False),
    ("NumericGreaterThanEquals", "ge", False),
):
    register(
        OperatorSpec(
            name=_name,
            family=Family.NUMERIC,
            negated=_negated,
            allows_wildcards=False,
            allows_variables=False,
            compile_values=compile_numeric,
            verb=_VERBS[_relation],
            relation=_relation,
        )
    )
