"""Condition operators: what each one declares, and the registry that holds them.

Each family module (`string`, `numeric`, `date`, `boolean`, `binary`, `ipaddress`,
`arn`, `null`) declares its operators as `OperatorSpec`s and registers them here. A
spec says what the operator is (family, negated or not, whether wildcards and policy
variables are honoured) and how to compile its policy values into a `ValueSet`.

A `ValueSet` answers one question, always in the *positive* sense: does this single
request value match at least one of the policy values? Negation (`...Not...`), the
`IfExists` suffix and the `ForAllValues:` / `ForAnyValue:` prefixes are applied once,
generically, by the compiler; no operator knows about them. Negation comes from the
declared `negated` flag, never from the operator's name.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from ..context import RequestContext

PolicyValue = str | int | float | bool


class Family(enum.StrEnum):
    STRING = "String"
    NUMERIC = "Numeric"
    DATE = "Date"
    BOOLEAN = "Boolean"
    BINARY = "Binary"
    IP_ADDRESS = "IpAddress"
    ARN = "Arn"
    NULL = "Null"


class PolicyValueError(ValueError):
    """A policy value that does not parse for its operator (raised at compile time)."""

    def __init__(self, index: int, message: str, code: str, help: str | None = None) -> None:
        super().__init__(message)
        self.index = index
        self.message = message
        self.code = code
        self.help = help


class RequestValueError(ValueError):
    """A request value of the wrong type for the operator (raised while evaluating).

    Internal: the compiler turns it into a `ConditionEvaluationError` naming the key.
    """


# any_match(request_scalar, ctx) -> bool: the scalar matches at least one policy value.
AnyMatch = Callable[[Any, RequestContext], bool]
# per-value test on an already normalized request scalar: True / False, or None when
# the policy value holds a policy variable that could not be resolved.
ValueTest = Callable[[Any, RequestContext], "bool | None"]


@dataclass(frozen=True, slots=True)
class ValueSet:
    """The compiled policy values of one (operator, key).

    `any_match` is the hot path (it normalizes the request value itself).
    `normalize`, `tests` and `displays` serve the explanation: `tests[i]` compares a
    normalized request value with policy value `i`, shown as `displays[i]`.
    """

    any_match: AnyMatch
    normalize: Callable[[Any], Any]
    tests: tuple[ValueTest, ...]
    displays: tuple[str, ...]
    # policy-variable keys referenced by the values (lower-cased)
    variable_keys: frozenset[str] = frozenset()
    # an extra remark on a normalized request value for explanations ("it is not an ARN")
    remark: Callable[[Any], "str | None"] | None = None


def never(_value: Any, _ctx: RequestContext) -> bool:
    return False


ValueCompiler = Callable[["OperatorSpec", Sequence[PolicyValue], bool], ValueSet]


@dataclass(frozen=True, slots=True)
class OperatorSpec:
    """One base condition operator (without `IfExists` or a set prefix)."""

    name: str
    family: Family
    negated: bool
    allows_wildcards: bool
    allows_variables: bool
    # (spec, policy values, variables_enabled) -> ValueSet; raises PolicyValueError
    compile_values: ValueCompiler = field(repr=False)
    # phrases for explanations, in the positive sense: ("is in", "is not in")
    verb: tuple[str, str] = ("matches", "does not match")
    # Null: the operator tests presence only; missing-key and set rules do not apply
    presence_only: bool = False
    # operator-specific parameter (e.g. which comparison a Numeric operator makes)
    relation: str = ""

    def compile(self, values: Sequence[PolicyValue], *, variables_enabled: bool) -> ValueSet:
        return self.compile_values(self, values, variables_enabled)


class OperatorRegistry:
    """Operators keyed by lower-cased name; a second registration of a name is refused."""

    def __init__(self) -> None:
        self._specs: dict[str, OperatorSpec] = {}

    def register(self, spec: OperatorSpec) -> OperatorSpec:
        lower = spec.name.lower()
        if lower in self._specs:
            raise ValueError(f"condition operator `{spec.name}` is already registered")
        self._specs[lower] = spec
        return spec

    def get(self, name: str) -> OperatorSpec | None:
        return self._specs.get(name.lower())

    def names(self) -> list[str]:
        """Canonical names in registration order."""
        return [spec.name for spec in self._specs.values()]

    def __iter__(self) -> Iterator[OperatorSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)


REGISTRY = OperatorRegistry()


def register(spec: OperatorSpec) -> OperatorSpec:
    return REGISTRY.register(spec)


def parse_policy_values(
    spec: OperatorSpec,
    values: Sequence[PolicyValue],
    parse: Callable[[PolicyValue], Any],
    expected: str,
    code: str,
    help: str | None = None,
    *,
    verb: str = "expects",
) -> list[Any]:
    """Each policy value read by `parse` (None: not valid), or PolicyValueError for the first
    that is not: "`x` is not <expected>, which `<operator>` <verb>". The typed families
    (Numeric, Date, Bool, Null, Binary, IpAddress) refuse a value in this one way."""
    parsed: list[Any] = []
    for index, raw in enumerate(values):
        value = parse(raw)
        if value is None:
            raise PolicyValueError(index, f"`{raw}` is not {expected}, which `{spec.name}` {verb}", code, help)
        parsed.append(value)
    return parsed


# --- text helpers shared by the families ------------------------------------------------


def value_text(value: Any) -> str:
    """A JSON scalar as IAM sees it in a string comparison (`true`, `10`, `1.5`)."""
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise RequestValueError(f"`{show(value)}` is not a string")


def show(value: Any) -> str:
    """A request or policy value for a message."""
    if isinstance(value, str):
        return value
    if value is True or value is False or isinstance(value, (int, float)):
        return value_text(value)
    if value is None:
        return "null"
    if isinstance(value, (bytes, bytearray)):
        return repr(bytes(value))
    return repr(value)
