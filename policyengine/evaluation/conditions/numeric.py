"""Numeric operators: NumericEquals, NumericNotEquals, NumericLessThan,
NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals.

- Numbers are exact: integers stay `int`, anything with a fraction or exponent becomes
  a `Decimal` (a JSON float goes through its shortest repr, so `0.1` is 0.1), and
  Python compares int and Decimal exactly, so `"1.0"` equals `1`.
- Accepted text: optional sign, digits with an optional fraction, optional exponent
  (`10`, `-2`, `1.5`, `.5`, `1e3`). Digits are ASCII `0-9`, as in JSON. No whitespace,
  `_`, `NaN` or `Infinity`.
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
from typing import Any

from .ordered import comparison_compiler, register_ordered
from .registry import Family, RequestValueError, show

Number = int | Decimal

# ASCII digits only (as in JSON): `\d` alone would also read `٣` or `３` as digits
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z", re.ASCII)


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


compile_numeric = comparison_compiler(
    parse_number,
    to_number,
    "a number",
    "TYPE_MISMATCH_NUMBER",
    help="write an integer or a decimal such as `10` or `2.5`",
)

register_ordered(
    Family.NUMERIC,
    compile_numeric,
    {
        "eq": ("equals", "does not equal"),
        "lt": ("is less than", "is not less than"),
        "le": ("is at most", "is more than"),
        "gt": ("is greater than", "is not greater than"),
        "ge": ("is at least", "is less than"),
    },
)
