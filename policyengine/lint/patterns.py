"""Wildcard patterns compared with each other, for the linter.

The evaluator asks "does this pattern match this string?"; the linter asks questions
about two patterns at once:

- `intersects(a, b)`: is there a string both match? (does a policy ARN fit an ARN
  template of a resource type, where `${BucketName}` stands for any non-empty text);
- `covers(outer, inner)`: does every string `inner` matches also match `outer`? (is
  `s3:GetObject` redundant next to `s3:Get*`).

Patterns are tuples of tokens: one-character strings, `ANY` (one character: `?`, or the
first character of a template placeholder) and `STAR` (any run, possibly empty: `*`). A
policy variable such as `${aws:username}` stands for any text, so it becomes `STAR`;
the escapes `${*}`, `${?}` and `${$}` are literal characters.

ARNs are compared segment by segment, as the evaluator matches them
(`evaluation/arns.py`): partition, service, region and account one by one, then the
resource part (everything after the fifth colon) as one segment in which `*` also
crosses `/` and `:`. A policy ARN that stops early and ends with `*` (`arn:aws:s3:*`)
lets that star cover every remaining segment.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from ..evaluation.variables import Escaped, Literal, TemplateSyntaxError, Variable, parse_template


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


STAR = _Marker("STAR")
ANY = _Marker("ANY")

Token = object


class Glob:
    """A tokenized pattern; built once per text (see `glob_tokens`), compared by identity."""

    __slots__ = ("tokens", "literal", "head", "_regex", "__weakref__")

    def __init__(self, tokens: tuple[Token, ...]) -> None:
        self.tokens = tokens
        self.literal = all(type(t) is str for t in tokens)
        head = []
        for tok in tokens:
            if type(tok) is not str:
                break
            head.append(tok)
        # literal text before the first wildcard (a quick filter for comparisons)
        self.head = "".join(head)  # type: ignore[arg-type]
        self._regex: re.Pattern[str] | None = None

    @property
    def text(self) -> str:
        """The literal text (only meaningful when `literal`)."""
        return self.head

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = _regex(self.tokens)
        return self._regex

    def __len__(self) -> int:
        return len(self.tokens)

    def __repr__(self) -> str:
        return f"Glob({self.tokens!r})"


Tokens = Glob

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^>]*>|(?<=/)tag-key$")


@lru_cache(maxsize=16384)
def glob_tokens(text: str, *, variables: bool = True, fold_case: bool = False) -> Glob:
    """The pattern of a policy text (`*`, `?`, and policy variables when `variables`)."""
    if fold_case:
        text = text.lower()
    out: list[Token] = []

    def add_text(chunk: str) -> None:
        for ch in chunk:
            if ch == "*":
                if not out or out[-1] is not STAR:
                    out.append(STAR)
            elif ch == "?":
                out.append(ANY)
            else:
                out.append(ch)

    if variables and "${" in text:
        try:
            template = parse_template(text)
        except TemplateSyntaxError:
            template = None
        if template is not None:
            for part in template.parts:
                if isinstance(part, Literal):
                    add_text(part.text)
                elif isinstance(part, Escaped):
                    out.append(part.char.lower() if fold_case else part.char)
                elif isinstance(part, Variable):
                    if not out or out[-1] is not STAR:
                        out.append(STAR)
            return Glob(tuple(out))
    add_text(text)
    return Glob(tuple(out))


@lru_cache(maxsize=8192)
def template_tokens(text: str, *, fold_case: bool = False) -> Glob:
    """The pattern of a catalogue template: `${Name}` and `<name>` stand for non-empty text."""
    if fold_case:
        text = text.lower()
    out: list[Token] = []
    pos = 0
    for found in _PLACEHOLDER.finditer(text):
        out.extend(text[pos : found.start()])
        out.extend((ANY, STAR))
        pos = found.end()
    out.extend(text[pos:])
    return Glob(tuple(out))


def is_literal(pattern: Glob) -> bool:
    return pattern.literal


def _regex(tokens: tuple[Token, ...]) -> re.Pattern[str]:
    parts = []
    for tok in tokens:
        if tok is STAR:
            parts.append(".*")
        elif tok is ANY:
            parts.append(".")
        else:
            parts.append(re.escape(cast(str, tok)))  # not a marker, so literal text
    return re.compile("".join(parts), re.DOTALL)


def _heads_clash(a: Glob, b: Glob) -> bool:
    n = min(len(a.head), len(b.head))
    return a.head[:n] != b.head[:n]


@lru_cache(maxsize=131072)
def intersects(a: Glob, b: Glob) -> bool:
    """True when some string matches both patterns."""
    if _heads_clash(a, b):
        return False
    if a.literal:
        return b.regex.fullmatch(a.head) is not None
    if b.literal:
        return a.regex.fullmatch(b.head) is not None
    x_tokens, y_tokens = a.tokens, b.tokens
    for x, y in zip(reversed(x_tokens), reversed(y_tokens)):
        if x is STAR or y is STAR:
            break
        if x is not ANY and y is not ANY and x != y:
            return False
    return _intersects_search(x_tokens, y_tokens)


def _intersects_search(a: tuple[Token, ...], b: tuple[Token, ...]) -> bool:
    """Search over positions (i, j): both prefixes can spell the same text."""
    n, m = len(a), len(b)
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        i, j = state
        if i == n and j == m:
            return True
        x = a[i] if i < n else None
        y = b[j] if j < m else None
        if x is STAR:
            stack.append((i + 1, j))
            if y is not None and y is not STAR:
                stack.append((i, j + 1))
        if y is STAR:
            stack.append((i, j + 1))
            if x is not None and x is not STAR:
                stack.append((i + 1, j))
        if x is not None and y is not None and x is not STAR and y is not STAR:
            if x is ANY or y is ANY or x == y:
                stack.append((i + 1, j + 1))
    return False


@lru_cache(maxsize=131072)
def covers(outer: Glob, inner: Glob) -> bool:
    """True when every string `inner` matches is matched by `outer` (sound: a True is
    always right; a few exotic containments between two wildcard patterns are missed)."""
    if inner.literal:
        return outer.regex.fullmatch(inner.head) is not None
    if _heads_clash(outer, inner) or (outer.literal and not inner.literal):
        return False
    a, b = outer.tokens, inner.tokens
    n, m = len(a), len(b)
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        i, j = state
        if i == n:
            if j == m:
                return True
            continue
        x = a[i]
        if x is STAR:
            stack.append((i + 1, j))
            if j < m:
                stack.append((i, j + 1))
            continue
        if j == m:
            continue
        y = b[j]
        if y is STAR:
            continue
        if x is ANY or x == y:
            stack.append((i + 1, j + 1))
    return False


# --- ARNs ------------------------------------------------------------------------------

def _split_colons(text: str, limit: int, variables: bool) -> list[str]:
    """Split at the first `limit` colons, ignoring colons inside `${...}` when `variables`."""
    if not variables or "${" not in text:
        return text.split(":", limit)
    parts: list[str] = []
    start = depth = 0
    i = 0
    while i < len(text) and len(parts) < limit:
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        ch = text[i]
        if ch == "}" and depth:
            depth -= 1
        elif ch == ":" and not depth:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def split_arn(text: str, variables: bool = True) -> list[str] | None:
    """The six segments of a policy ARN pattern, or None when it is not one.

    Colons inside policy variables (`${aws:PrincipalAccount}`) do not separate fields.

    A pattern with fewer than six segments whose last segment ends with `*` is padded
    with `*` segments (`arn:aws:s3:*` covers any region, account and resource). None for
    text that does not start with `arn:` or stops early without a trailing `*`.
    """
    parts = _split_colons(text, 5, variables)
    if parts[0] != "arn" or len(parts) < 2:
        return None
    if len(parts) < 6:
        if not parts[-1].endswith("*"):
            return None
        parts = parts + ["*"] * (6 - len(parts))
    return parts


def pattern_covers(outer: str, inner: str, *, variables: bool, ignore_case: bool = False) -> bool:
    """Does policy pattern `outer` match everything `inner` matches (Resource or Action)?"""
    if outer == inner:
        return True
    o_arn, i_arn = split_arn(outer, variables), split_arn(inner, variables)
    full = len(_split_colons(outer, 5, variables)) == 6 == len(_split_colons(inner, 5, variables))
    if o_arn is not None and i_arn is not None and full:
        return all(
            covers(glob_tokens(o, variables=variables, fold_case=ignore_case), glob_tokens(i, variables=variables, fold_case=ignore_case))
            for o, i in zip(o_arn, i_arn)
        )
    return covers(
        glob_tokens(outer, variables=variables, fold_case=ignore_case),
        glob_tokens(inner, variables=variables, fold_case=ignore_case),
    )
