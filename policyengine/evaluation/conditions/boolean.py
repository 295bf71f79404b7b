"""The Bool operator.

- Policy values: `"true"` / `"false"` in any letter case, or JSON `true` / `false`.
  Anything else is a compile error.
- Request values: Python/JSON booleans or the strings `"true"` / `"false"` in any case.
  Anything else (`"yes"`, `1`) is a type error.
- Policy variables: the IAM documentation conflicts (the operator reference says Bool
  accepts them, the policy-variables page says it does not). We take Bool values
  literally: `${aws:SecureTransport}` is not substituted, so it is not `true`/`false`
  and the policy fails to compile, which surfaces the question instead of guessing.
- There is no negated Bool; several values are OR-ed.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .registry import (
    AnyMatch,
    Family,
    OperatorSpec,
    PolicyValue,
    RequestValueError,
    ValueSet,
    parse_policy_values,
    register,
    show,
)


def parse_bool_text(text: str) -> bool | None:
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return None


def to_bool(value: Any) -> bool:
    if value is True or value is False:
        return value
    if type(value) is str:
        parsed = parse_bool_text(value)
        if parsed is not None:
            return parsed
    raise RequestValueError(f"`{show(value)}` is not a boolean")


def _policy_bool(raw: PolicyValue) -> bool | None:
    if raw is True or raw is False:
        return raw
    return parse_bool_text(raw) if isinstance(raw, str) else None


def compile_flags(
    spec: OperatorSpec,
    values: Sequence[PolicyValue],
    normalize: Callable[[Any], bool],
    any_match_for: Callable[[frozenset[bool]], AnyMatch],
) -> ValueSet:
    """`true` / `false` policy values, compared by identity with a normalized request
    boolean. Shared with Null, whose request value is the key's absence."""
    wanted = parse_policy_values(spec, values, _policy_bool, "`true` or `false`", "TYPE_MISMATCH_BOOLEAN")

    def test_for(expected: bool) -> Any:
        return lambda value, ctx: value is expected

    return ValueSet(
        any_match=any_match_for(frozenset(wanted)),
        normalize=normalize,
        tests=tuple(test_for(expected) for expected in wanted),
        displays=tuple("true" if expected else "false" for expected in wanted),
    )


def _bool_any_match(accepted: frozenset[bool]) -> AnyMatch:
    def any_match(value: Any, ctx: Any) -> bool:
        if value is True or value is False:
            return value in accepted
        return to_bool(value) in accepted

    return any_match


def compile_bool(spec: OperatorSpec, values: Sequence[PolicyValue], variables_enabled: bool) -> ValueSet:
    return compile_flags(spec, values, to_bool, _bool_any_match)


register(
    OperatorSpec(
        name="Bool",
        family=Family.BOOLEAN,
        negated=False,
        allows_wildcards=False,
        allows_variables=False,
        compile_values=compile_bool,
        verb=("is", "is not"),
    )
)
