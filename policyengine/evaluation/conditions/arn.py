"""ARN operators: ArnEquals, ArnLike (identical), ArnNotEquals, ArnNotLike (identical).

- Both the policy value and the request value are split into six components at their
  first five colons (`arn`, partition, service, region, account, resource); each
  component is matched separately, case-sensitively, with `*` and `?` wildcards that
  stay inside their component. So `arn:aws:svc:*:111122223333:finance/*` does not
  match `arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/doc.txt`
  (the region `*` covers only `us-east-2`), while StringLike would. The sixth
  component is the rest of the ARN, colons included.
- A request value with fewer than five colons is not an ARN and matches no policy
  value (so a negated operator is true for it); it is not a type error.
- A policy value with fewer than five colons (e.g. a bare `*`) is not an ARN either:
  it matches nothing. AWS does not document this case; the linter should flag it.
- Policy variables are honoured under Version 2012-10-17; substituted text is literal
  and is split into components after substitution (a value containing `:` can thus
  shift components, as it would in the substituted text).
"""

from __future__ import annotations

from operator import itemgetter
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

# a request value as (text, its six components or None when it is not an ARN)
Normalized = tuple[str, "list[str] | None"]
# matcher(text, components or None) -> bool
ArnMatcher = Callable[[str, "list[str] | None"], bool]


def split_request(text: str) -> list[str] | None:
    parts = text.split(":", 5)
    return parts if len(parts) == 6 else None


def normalize(value: Any) -> Normalized:
    text = value if type(value) is str else value_text(value)
    return text, split_request(text)


def split_pieces(pieces: Pieces) -> list[Pieces] | None:
    """Split (text, wildcards) pieces at the first five colons; None if fewer."""
    components: list[list[tuple[str, bool]]] = [[]]
    for text, wildcards in pieces:
        while len(components) < 6 and ":" in text:
            head, text = text.split(":", 1)
            if head:
                components[-1].append((head, wildcards))
            components.append([])
        if text:
            components[-1].append((text, wildcards))
    if len(components) < 6:
        return None
    return [tuple(component) for component in components]


def _never(_text: str, _parts: list[str] | None) -> bool:
    return False


def build_matcher(pieces: Pieces) -> ArnMatcher:
    components = split_pieces(pieces)
    if components is None:
        return _never
    if not any(has_wildcards(component) for component in components):
        literal = joined(pieces)
        return lambda text, parts: text == literal
    fixed = [(i, joined(c)) for i, c in enumerate(components) if not has_wildcards(c)]
    globs = tuple(
        (i, compile_glob(c))
        for i, c in enumerate(components)
        if has_wildcards(c) and c != (("*", True),)
    )
    # the literal components compared in one C-level tuple comparison
    if len(fixed) > 1:
        pick_fixed: Callable[[list[str]], Any] = itemgetter(*(i for i, _ in fixed))
        expected: Any = tuple(text for _, text in fixed)
    elif fixed:
        pick_fixed, expected = itemgetter(fixed[0][0]), fixed[0][1]
    else:
        pick_fixed, expected = (lambda parts: None), None
    if len(globs) == 1:
        (index, glob), = globs
        return lambda text, parts: parts is not None and pick_fixed(parts) == expected and glob(parts[index])

    def matcher(text: str, parts: list[str] | None) -> bool:
        if parts is None or pick_fixed(parts) != expected:
            return False
        for index, glob in globs:
            if not glob(parts[index]):
                return False
        return True

    return matcher


def _apply(matcher: ArnMatcher, value: Normalized) -> bool:
    return matcher(value[0], value[1])


def compile_arn(spec: OperatorSpec, values: Sequence[PolicyValue], variables_enabled: bool) -> ValueSet:
    read = text_values(spec, values, variables_enabled, build_matcher, _apply)
    displays = list(read.texts)
    literals: set[str] = set()
    patterns: list[ArnMatcher] = []
    for index, pieces, matcher in read.fixed:
        components = split_pieces(pieces)
        if components is None:
            displays[index] += " (not an ARN)"
        elif any(has_wildcards(component) for component in components):
            patterns.append(matcher)
        else:
            literals.add(joined(pieces))
    return ValueSet(
        any_match=_any_match(frozenset(literals), tuple(patterns), tuple(read.resolvers)),
        normalize=normalize,
        tests=tuple(read.tests),
        displays=tuple(displays),
        variable_keys=read.keys,
        remark=remark,
    )


def _any_match(
    literals: frozenset[str],
    patterns: tuple[ArnMatcher, ...],
    resolvers: tuple[Resolver[ArnMatcher], ...],
) -> Callable[[Any, RequestContext], bool]:
    if not patterns and not resolvers:
        return lambda value, ctx: (value if type(value) is str else value_text(value)) in literals

    def any_match(value: Any, ctx: RequestContext) -> bool:
        text = value if type(value) is str else value_text(value)
        if text in literals:
            return True
        parts = split_request(text)
        if parts is None:
            return False
        for pattern in patterns:
            if pattern(text, parts):
                return True
        for resolver in resolvers:
            matcher = resolver.get(ctx)
            if matcher is not None and matcher(text, parts):
                return True
        return False

    return any_match


def remark(value: Normalized) -> str | None:
    return None if value[1] is not None else "it is not an ARN"


for _name, _negated in (
    ("ArnEquals", False),
    ("ArnLike", False),
    ("ArnNotEquals", True),
    ("ArnNotLike", True),
):
    register(
        OperatorSpec(
            name=_name,
            family=Family.ARN,
            negated=_negated,
            allows_wildcards=True,
            allows_variables=True,
            compile_values=compile_arn,
            verb=("matches", "does not match"),
        )
    )
