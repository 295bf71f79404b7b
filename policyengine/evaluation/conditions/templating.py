"""Policy values that may hold policy variables (String and Arn operators).

A value is parsed once at compile time. Without variables it becomes fixed pieces of
(text, wildcards_active); `${*}`, `${?}` and `${$}` escapes are literal pieces. With
variables it stays a `Template`, resolved per request; what is built from each
resolution (a glob matcher, a split ARN) is cached per value, since the same few
principals and tags recur across requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from ..context import MISSING, RequestContext
from ..variables import (
    MULTI_VALUED,
    Template,
    TemplateSyntaxError,
    VariableValueError,
    parse_template,
    substituted_text,
)
from .registry import (
    OperatorSpec,
    PolicyValue,
    PolicyValueError,
    RequestValueError,
    ValueTest,
    value_text,
)

Pieces = tuple[tuple[str, bool], ...]
T = TypeVar("T")

_CACHE_LIMIT = 256
_MISS: Any = object()


def policy_text(raw: PolicyValue, index: int, operator: str) -> str:
    if isinstance(raw, (str, bool, int, float)):
        return value_text(raw)
    raise PolicyValueError(
        index, f"`{operator}` values must be strings, not `{raw!r}`", "INVALID_CONDITION_VALUE"
    )


def text_value(text: str, index: int, *, variables: bool) -> Pieces | Template:
    """Fixed pieces, or a Template when `variables` is on and the text uses one."""
    if variables and "${" in text:
        try:
            template = parse_template(text)
        except TemplateSyntaxError as exc:
            raise PolicyValueError(index, str(exc), "INVALID_POLICY_VARIABLE") from exc
        if template.has_variables:
            return template
        pieces = template.resolve(RequestContext())
        assert pieces is not None
        return pieces
    return ((text, True),)


@dataclass(slots=True)
class TextValues(Generic[T]):
    """The values of one String or Arn operator, read once by `text_values`."""

    texts: list[str]  # each value as text, in order
    fixed: list[tuple[int, Pieces, T]]  # (index, pieces, matcher) of the values without variables
    resolvers: list[Resolver[T]]  # the values with variables, resolved per request
    tests: list[ValueTest]  # per value, for the explanation
    keys: frozenset[str]  # the variables' keys, lower-cased


def text_values(
    spec: OperatorSpec,
    values: Sequence[PolicyValue],
    variables_enabled: bool,
    build: Callable[[Pieces], T],
    apply: Callable[[T, Any], bool],
) -> TextValues[T]:
    """Read the values of a String or Arn operator: each becomes a matcher (`build`) now,
    or a `Resolver` that builds one per request when it uses a policy variable. A test
    calls `apply(matcher, normalized request value)`; it is None while a variable has no
    value. The family then sorts the fixed matchers into literals and patterns."""
    variables = variables_enabled and spec.allows_variables
    out: TextValues[T] = TextValues([], [], [], [], frozenset())
    for index, raw in enumerate(values):
        text = policy_text(raw, index, spec.name)
        value = text_value(text, index, variables=variables)
        out.texts.append(text)
        if isinstance(value, Template):
            resolver = Resolver(value, build)
            out.resolvers.append(resolver)
            out.keys |= resolver.keys
            out.tests.append(_resolved_test(resolver, apply))
        else:
            matcher = build(value)
            out.fixed.append((index, value, matcher))
            out.tests.append(_fixed_test(matcher, apply))
    return out


def _fixed_test(matcher: T, apply: Callable[[T, Any], bool]) -> ValueTest:
    return lambda value, ctx: apply(matcher, value)


def _resolved_test(resolver: Resolver[T], apply: Callable[[T, Any], bool]) -> ValueTest:
    def test(value: Any, ctx: RequestContext) -> bool | None:
        matcher = resolver.get(ctx)
        return None if matcher is None else apply(matcher, value)

    return test


def joined(pieces: Pieces) -> str:
    return "".join(text for text, _ in pieces)


def _substitution(value: Any, key: str) -> str | None:
    """The text a context value substitutes for a variable, exactly as
    `Template.resolve` does; None when it cannot (absent, null or multi-valued).
    A value no text stands for (a JSON object) is a type error, as it is when a String
    operator compares it."""
    if type(value) is str:
        return value
    if value is MISSING or value is None or isinstance(value, MULTI_VALUED):
        return None
    try:
        return substituted_text(value, key)
    except VariableValueError as exc:
        raise RequestValueError(f"policy variable {exc}") from None


class Resolver(Generic[T]):
    """Resolves a template against a request and builds (and caches) a matcher from it.

    The cache is keyed by the substituted texts alone, so a hit costs a dict lookup
    and no allocation; a miss resolves the template itself (`Template.resolve`, the
    reference) and builds from its pieces. `get(ctx)` is None when a variable has no
    value and no default, after recording the variable's key with `ctx.note_missing`.
    """

    __slots__ = ("template", "build", "cache", "variables")

    def __init__(self, template: Template, build: Callable[[Pieces], T]) -> None:
        self.template = template
        self.build = build
        self.cache: dict[Any, T] = {}
        self.variables = tuple((v.key_lower, v.key, v.default) for v in template.variables)

    def get(self, ctx: RequestContext) -> T | None:
        variables = self.variables
        if len(variables) == 1:
            key_lower, key, default = variables[0]
            cache_key: Any = _substitution(ctx.get(key_lower), key)
            if cache_key is None:
                if default is None:
                    ctx.note_missing(key)
                    return None
                cache_key = default
        else:
            texts = []
            for key_lower, key, default in variables:
                text = _substitution(ctx.get(key_lower), key)
                if text is None:
                    if default is None:
                        ctx.note_missing(key)
                        return None
                    text = default
                texts.append(text)
            cache_key = tuple(texts)
        built = self.cache.get(cache_key, _MISS)
        if built is _MISS:
            pieces = self.template.resolve(ctx)
            assert pieces is not None
            if len(self.cache) >= _CACHE_LIMIT:
                self.cache.clear()
            built = self.cache[cache_key] = self.build(pieces)
        return built

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(v.key_lower for v in self.template.variables)
