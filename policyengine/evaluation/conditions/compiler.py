"""Compiling a Condition block, and the generic modifiers applied once around operators.

Evaluation rules (IAM documentation, lambda-permissions.md §2):
- operators in a block: AND; keys under an operator: AND (short-circuited);
- values under one key: OR for a positive operator, NOR for a negated one (the
  operator's `ValueSet` answers "matches any value"; negation is applied here);
- key absent (or JSON null): a positive operator is false, a negated one true;
  `...IfExists` is true; `ForAllValues:` is true; `ForAnyValue:` is false (also for
  negated operators, and also in a Deny) unless `IfExists` is added;
- `ForAllValues:` / `ForAnyValue:` on an empty set, or on the empty string (AWS's
  "null data set"): true / false. `IfExists` covers absence only, so
  `ForAnyValue:...IfExists` on a present but empty set is false. A scalar request
  value is a one-element set;
- a plain operator on a multi-valued (list) request value is not documented by AWS. We
  emulate `ForAnyValue` for positive operators (true iff some element matches some
  policy value) and, for negated operators, require that no element match any policy
  value (NOR over elements × values). So an empty list is false for a positive
  operator and true for a negated one, and a plain operator on a one-element list
  behaves exactly as on the scalar;
- `Null` tests presence only (see `null.py`).

Every absent key that is looked at is recorded with `ctx.note_missing(key as written)`;
keys after the first false condition are not looked at. A request value of the wrong
type raises `ConditionEvaluationError` from `matches` (the caller fails closed); like
everything else this is short-circuited: a malformed element after the element that
decided a set, or in a condition after a false one, is not reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ...errors import JsonPath
from ...model.policy import ConditionEntry
from ..context import MISSING, RequestContext
from .errors import ConditionCompileError, ConditionEvaluationError
from .operators import ResolvedOperator, SetQualifier, lookup_operator
from .registry import PolicyValueError, RequestValueError, ValueSet

Check = Callable[[RequestContext], bool]
SEQUENCE_TYPES = (list, tuple)


@dataclass(frozen=True, slots=True, eq=False)
class CompiledCondition:
    """One (operator, key) of a block, compiled."""

    operator: ResolvedOperator
    key: str  # as written
    key_lower: str
    values: ValueSet
    path: JsonPath
    check: Check


def _type_error(
    op: ResolvedOperator, key: str, value: Any, path: JsonPath, exc: RequestValueError
) -> ConditionEvaluationError:
    return ConditionEvaluationError(
        f"cannot evaluate `{op.written}` on `{key}`: {exc}",
        operator=op.written,
        key=key,
        value=value,
        path=path,
    )


def _checked_never(normalize: Callable[[Any], Any]) -> Callable[[Any, RequestContext], bool]:
    """No policy values: nothing matches, but a badly typed request value is still an
    error (as it is for the explanation)."""

    def any_match(value: Any, ctx: RequestContext) -> bool:
        normalize(value)
        return False

    return any_match


def build_check(op: ResolvedOperator, key: str, values: ValueSet, path: JsonPath) -> Check:
    """The hot-path predicate of one (operator, key): modifiers around `any_match`."""
    key_lower = key.lower()
    any_match = values.any_match if values.tests else _checked_never(values.normalize)

    if op.spec.presence_only and op.set_qualifier is not None:
        # `ForAllValues:Null` / `ForAnyValue:Null` quantify over the key's values, each of which
        # is present (so satisfies `"false"` and not `"true"`): over no values (a missing key or
        # an empty set) ForAllValues is true and ForAnyValue false, whatever the policy says.
        when_empty = op.set_qualifier is SetQualifier.FOR_ALL_VALUES

        def quantified_presence(ctx: RequestContext) -> bool:
            value = ctx.get(key_lower)
            if value is MISSING or value is None or (isinstance(value, SEQUENCE_TYPES) and not value):
                ctx.note_missing(key)
                return when_empty
            return any_match(False, ctx)

        return quantified_presence

    if op.spec.presence_only:

        def presence(ctx: RequestContext) -> bool:
            value = ctx.get(key_lower)
            if value is MISSING or value is None:
                ctx.note_missing(key)
                return any_match(True, ctx)
            return any_match(isinstance(value, SEQUENCE_TYPES) and not value, ctx)

        return presence

    negated = op.negated
    qualifier = op.set_qualifier
    if qualifier is None:
        return _plain(op, key, key_lower, path, any_match)
    as_set = _set_view(op, key, key_lower, path, any_match)
    if qualifier is SetQualifier.FOR_ANY_VALUE:
        # IfExists changes nothing under a set qualifier: ForAnyValue is false on a missing key
        # with or without it, as AWS evaluates it (docs/concepts.md, "IfExists and set operators").
        return as_set(stop_on_match=not negated, when_missing=False, when_empty=False)
    return as_set(stop_on_match=negated, when_missing=True, when_empty=True)


def _plain(op: ResolvedOperator, key: str, key_lower: str, path: JsonPath, any_match: Any) -> Check:
    """An operator without a set prefix: OR over the policy values, negated (NOR) for a
    negated operator; a list request value is OR-ed (NOR-ed) over its elements."""
    hit = not op.negated  # the result when some element matches some policy value
    miss = not hit
    when_missing = op.if_exists or op.negated

    def check(ctx: RequestContext) -> bool:
        value = ctx.get(key_lower)
        if value is MISSING or value is None:
            ctx.note_missing(key)
            return when_missing
        try:
            if isinstance(value, SEQUENCE_TYPES):
                for element in value:
                    if any_match(element, ctx):
                        return hit
                return miss
            if any_match(value, ctx):
                return hit
            return miss
        except RequestValueError as exc:
            raise _type_error(op, key, value, path, exc) from exc

    return check


def _set_view(
    op: ResolvedOperator, key: str, key_lower: str, path: JsonPath, any_match: Any
) -> Callable[..., Check]:
    """Set operators as one loop that stops at the first deciding element.

    ForAnyValue:op   stops with True at the first element satisfying op: at an element
                     that matches a policy value (positive op) or matches none (negated);
    ForAllValues:op  stops with False at the first element failing op: at an element
                     matching none (positive op) or matching one (negated).
    Running out of elements gives the same result as an empty set. The two loops differ
    only in `not`; one loop testing `any_match(...) is stop_on_match` would cost about
    3 ns an element (measured) on the hot path.
    """

    def make(*, stop_on_match: bool, when_missing: bool, when_empty: bool) -> Check:
        stop_result = not when_empty
        if stop_on_match:

            def stop_at_match(ctx: RequestContext) -> bool:
                value = ctx.get(key_lower)
                if value is MISSING or value is None:
                    ctx.note_missing(key)
                    return when_missing
                if not isinstance(value, SEQUENCE_TYPES):
                    if value == "":
                        return when_empty
                    value = (value,)
                try:
                    for element in value:
                        if any_match(element, ctx):
                            return stop_result
                    return when_empty
                except RequestValueError as exc:
                    raise _type_error(op, key, value, path, exc) from exc

            return stop_at_match

        def stop_at_mismatch(ctx: RequestContext) -> bool:
            value = ctx.get(key_lower)
            if value is MISSING or value is None:
                ctx.note_missing(key)
                return when_missing
            if not isinstance(value, SEQUENCE_TYPES):
                if value == "":
                    return when_empty
                value = (value,)
            try:
                for element in value:
                    if not any_match(element, ctx):
                        return stop_result
                return when_empty
            except RequestValueError as exc:
                raise _type_error(op, key, value, path, exc) from exc

        return stop_at_mismatch

    return make


def compile_entry(entry: ConditionEntry, *, variables_enabled: bool) -> CompiledCondition:
    op = lookup_operator(entry.operator)
    path: JsonPath = ("Condition", entry.operator, entry.key)
    try:
        values = op.spec.compile(entry.values, variables_enabled=variables_enabled)
    except PolicyValueError as exc:
        raw = entry.values[exc.index] if exc.index < len(entry.values) else None
        help = exc.help
        if isinstance(raw, str) and "${" in raw and not (op.spec.allows_variables and variables_enabled):
            help = (
                f"policy variables are not substituted in `{op.spec.name}` values"
                if variables_enabled
                else "policy variables are substituted only under `\"Version\": \"2012-10-17\"`"
            )
        raise ConditionCompileError(
            exc.message,
            code=exc.code,
            path=path + (exc.index,) if entry.is_list else path,
            help=help,
        ) from exc
    return CompiledCondition(
        operator=op,
        key=entry.key,
        key_lower=entry.key.lower(),
        values=values,
        path=path,
        check=build_check(op, entry.key, values, path),
    )


def _always(ctx: RequestContext) -> bool:
    return True


def combine(checks: Sequence[Check]) -> Check:
    """AND of the checks, short-circuited, with as little call overhead as possible."""
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda ctx: first(ctx) and second(ctx)
    if len(checks) == 3:
        first, second, third = checks
        return lambda ctx: first(ctx) and second(ctx) and third(ctx)
    checks = tuple(checks)

    def all_of(ctx: RequestContext) -> bool:
        for check in checks:
            if not check(ctx):
                return False
        return True

    return all_of


def compile_all(entries: Sequence[ConditionEntry], *, variables_enabled: bool) -> list[CompiledCondition]:
    """Compile every entry; collect all problems and raise the first (with `.errors`)."""
    compiled: list[CompiledCondition] = []
    errors: list[ConditionCompileError] = []
    bad_operators: set[str] = set()
    for entry in entries:
        if entry.operator in bad_operators:
            continue
        try:
            compiled.append(compile_entry(entry, variables_enabled=variables_enabled))
        except ConditionCompileError as exc:
            if exc.path == ("Condition", entry.operator):
                bad_operators.add(entry.operator)
            errors.append(exc)
    if errors:
        first = errors[0]
        first.errors = errors
        raise first
    return compiled
