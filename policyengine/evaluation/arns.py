"""Resource patterns (`Resource` / `NotResource`) matched against a request's ARN, as AWS does.

- Case-sensitive; `*` and `?` wildcards.
- The partition, service, region and account segments are matched one by one; the
  resource part (everything after the fifth colon) is one segment in which `*` also
  crosses `/` and `:`.
- A pattern that stops early and ends with `*` (`arn:aws:s3:*`) lets that final `*`
  run across the remaining colons ("a segment-final `*` may expand beyond colon
  boundaries", IAM User Guide, Resource element).
- Policy variables are substituted before matching; substituted text and escapes
  are literal. An entry whose variable cannot be resolved matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from .context import RequestContext
from .variables import Literal, Template, literal_template, parse_template
from .wildcard import Matcher, compile_glob, has_wildcards

ResourceMatcher = Callable[[str, RequestContext], bool]


@dataclass(frozen=True, slots=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @staticmethod
    def parse(text: str) -> Arn | None:
        """The six parts of an ARN, or None when `text` is not an ARN."""
        return _parse_arn(text)

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


@lru_cache(maxsize=4096)
def _parse_arn(text: str) -> Arn | None:
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return Arn(parts[1], parts[2], parts[3], parts[4], parts[5])


def _split_pieces(pieces: tuple[tuple[str, bool], ...]) -> list[list[tuple[str, bool]]]:
    """Split pieces at the first five colons (colons of any piece)."""
    segments: list[list[tuple[str, bool]]] = [[]]
    for text, wild in pieces:
        start = 0
        while len(segments) < 6:
            at = text.find(":", start)
            if at < 0:
                break
            segments[-1].append((text[start:at], wild))
            segments.append([])
            start = at + 1
        segments[-1].append((text[start:], wild))
    return segments


def _segments_matcher(pieces: tuple[tuple[str, bool], ...]) -> Callable[[str], bool]:
    """A matcher for one resolved pattern (pieces of text with wildcard flags)."""
    if not has_wildcards(pieces):
        return compile_glob(pieces)
    segments = _split_pieces(pieces)
    is_arn = segments[0] == [("arn", True)] or segments[0] == [("arn", False)]
    if not is_arn:
        # `*`, `*bucket*` and other non-ARN patterns: one glob over the whole string.
        return compile_glob(pieces)
    if len(segments) < 6:
        if _ends_with_star(pieces):
            # An early stop with a trailing `*` (`arn:aws:s3:*`): that star runs
            # across the remaining colons.
            return _prefix_segments_then_rest(segments)
        return _segments_then_rest(segments, len(segments))
    if not any(has_wildcards(seg) for seg in segments[:5]):
        # Literal up to the fifth colon: one glob over the whole ARN is exact.
        return compile_glob(pieces)
    return _segments_then_rest(segments, 6)


def _ends_with_star(pieces: tuple[tuple[str, bool], ...]) -> bool:
    for text, wild in reversed(pieces):
        if text:
            return wild and text.endswith("*")
    return False


def _prefix_segments_then_rest(segments: list[list[tuple[str, bool]]]) -> Callable[[str], bool]:
    return _segments_then_rest(segments, len(segments))


def _segments_then_rest(segments: list[list[tuple[str, bool]]], count: int) -> Callable[[str], bool]:
    """Match the first count-1 segments one by one and the rest of the value as one glob.

    A value with fewer colon-separated parts than the pattern never matches.
    """
    heads = [compile_glob(seg) for seg in segments[:-1]]
    rest = compile_glob(segments[-1])

    def match(value: str) -> bool:
        parts = value.split(":", count - 1)
        if len(parts) != count:
            return False
        for matcher, part in zip(heads, parts):
            if not matcher(part):
                return False
        return rest(parts[-1])

    return match


def _static_pieces(template: Template) -> tuple[tuple[str, bool], ...]:
    return tuple(
        (part.text, True) if isinstance(part, Literal) else (part.char, False)  # type: ignore[union-attr]
        for part in template.parts
    )


class ResourcePattern:
    """One entry of a Resource / NotResource element, compiled."""

    __slots__ = ("text", "template", "_static", "_cache")

    def __init__(self, text: str, *, variables_enabled: bool) -> None:
        self.text = text
        self.template: Template = parse_template(text) if variables_enabled else literal_template(text)
        self._static: Matcher | None = None
        self._cache: dict[tuple[tuple[str, bool], ...], Matcher] = {}
        if not self.template.has_variables:
            self._static = _segments_matcher(_static_pieces(self.template))

    @property
    def has_variables(self) -> bool:
        return self._static is None

    def matches(self, resource: str, ctx: RequestContext) -> bool:
        if self._static is not None:
            return self._static(resource)
        pieces = self.template.resolve(ctx)
        if pieces is None:
            return False
        matcher = self._cache.get(pieces)
        if matcher is None:
            if len(self._cache) > 256:
                self._cache.clear()
            matcher = self._cache[pieces] = _segments_matcher(pieces)
        return matcher(resource)


def compile_resources(patterns: list[str], *, negated: bool, variables_enabled: bool) -> ResourceMatcher:
    """A predicate for a whole Resource (any entry matches) or NotResource (none matches)."""
    compiled = [ResourcePattern(p, variables_enabled=variables_enabled) for p in patterns]
    if any(p.text == "*" for p in compiled):
        everything = not negated
        return lambda resource, ctx: everything
    if all(not p.has_variables for p in compiled):
        statics = [p._static for p in compiled]
        if len(statics) == 1:
            only = statics[0]
            assert only is not None
            if negated:
                return lambda resource, ctx: not only(resource)
            return lambda resource, ctx: only(resource)
        if negated:
            return lambda resource, ctx: not any(m(resource) for m in statics)  # type: ignore[misc]
        return lambda resource, ctx: any(m(resource) for m in statics)  # type: ignore[misc]

    if negated:
        return lambda resource, ctx: not any(p.matches(resource, ctx) for p in compiled)
    return lambda resource, ctx: any(p.matches(resource, ctx) for p in compiled)
