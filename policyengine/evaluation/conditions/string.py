"""String operators: StringEquals, StringNotEquals, StringEqualsIgnoreCase,
StringNotEqualsIgnoreCase, StringLike, StringNotLike.

- Comparison is case-sensitive except for the `...IgnoreCase` pair, which lower-cases
  both sides (`str.lower`, close to Java's `equalsIgnoreCase`; no Unicode case folding,
  so `ß` does not equal `ss`).
- `*` and `?` are wildcards only in StringLike / StringNotLike; elsewhere they are
  literal characters. A `*` in StringLike crosses `:` (it is a plain string match).
- Policy variables are honoured under Version 2012-10-17; substituted text and the
  `${*}` `${?}` `${$}` escapes are literal (never wildcards).
- JSON numbers and booleans, in the policy or the request, compare as their JSON text
  (`true`, `10`). Any other request value (null inside a list, an object) is a type
  error.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from ..context import RequestContext
from ..wildcard import compile_glob, has_wildcards
from .registry import (
    Family,
    OperatorSpec,
    PolicyValue,
    ValueSet,
    register,
    value_text,
)
from .templating import Pieces, Resolver, joined, text_values

Matcher = Callable[[str], bool]


def _normalize(value: Any) -> str:
    return value if type(value) is str else value_text(value)


def _normalize_folded(value: Any) -> str:
    return (value if type(value) is str else value_text(value)).lower()


def _builder(mode: str) -> Callable[[Pieces], Matcher]:
    if mode == "like":
        return lambda pieces: compile_glob(pieces)
    if mode == "ignorecase":
        return lambda pieces: joined(pieces).lower().__eq__
    return lambda pieces: joined(pieces).__eq__


def _literal(mode: str, pieces: Pieces) -> str | None:
    """The text a request value must equal, or None when the value is a pattern."""
    if mode == "like" and has_wildcards(pieces):
        return None
    text = joined(pieces)
    return text.lower() if mode == "ignorecase" else text


def _apply(matcher: Matcher, text: str) -> bool:
    return matcher(text)


def compile_string(spec: OperatorSpec, values: Sequence[PolicyValue], variables_enabled: bool) -> ValueSet:
    mode = spec.relation
    normalize = _normalize_folded if mode == "ignorecase" else _normalize
    read = text_values(spec, values, variables_enabled, _builder(mode), _apply)
    literals: set[str] = set()
    globs: list[Matcher] = []
    for _index, pieces, matcher in read.fixed:
        literal = _literal(mode, pieces)
        if literal is None:
            globs.append(matcher)
        else:
            literals.add(literal)
    return ValueSet(
        any_match=_any_match(normalize, frozenset(literals), tuple(globs), tuple(read.resolvers)),
        normalize=normalize,
        tests=tuple(read.tests),
        displays=tuple(read.texts),
        variable_keys=read.keys,
    )


def _any_match(
    normalize: Callable[[Any], str],
    literals: frozenset[str],
    globs: tuple[Matcher, ...],
    resolvers: tuple[Resolver[Matcher], ...],
) -> Callable[[Any, RequestContext], bool]:
    if not globs and not resolvers:
        if normalize is _normalize:

            def literal_match(value: Any, ctx: RequestContext) -> bool:
                return (value if type(value) is str else value_text(value)) in literals

            return literal_match
        return lambda value, ctx: normalize(value) in literals
    if not literals and not resolvers and len(globs) == 1:
        glob = globs[0]
        return lambda value, ctx: glob(value if type(value) is str else value_text(value))

    def any_match(value: Any, ctx: RequestContext) -> bool:
        text = normalize(value)
        if text in literals:
            return True
        for glob in globs:
            if glob(text):
                return True
        for resolver in resolvers:
            matcher = resolver.get(ctx)
            if matcher is not None and matcher(text):
                return True
        return False

    return any_match


_VERBS = {
    "equals": ("equals", "does not equal"),
    "ignorecase": ("equals (ignoring case)", "does not equal (ignoring case)"),
    "like": ("matches", "does not match"),
}

for _name, _mode, _negated in (
    ("StringEquals", "equals", False),
    ("StringNotEquals", "equals", True),
    ("StringEqualsIgnoreCase", "ignorecase", False),
    ("StringNotEqualsIgnoreCase", "ignorecase", True),
    ("StringLike", "like", False),
    ("StringNotLike", "like", True),
):
    register(
        OperatorSpec(
            name=_name,
            family=Family.STRING,
            negated=_negated,
            allows_wildcards=_mode == "like",
            allows_variables=True,
            compile_values=compile_string,
            verb=_VERBS[_mode],
            relation=_mode,
        )
    )
