"""Wildcard patterns (`*` any run, `?` one character) matched in linear time.

IAM patterns split at `*` into fixed-length segments (literal characters and `?`).
Placing each middle segment at its leftmost possible position is optimal, so no
choice ever needs revisiting: the match is one left-to-right scan. The fast matcher
compiles that plan to a regular expression whose middle segments sit in atomic
groups `(?>.*?seg)`, which the regex engine cannot backtrack into; `match_steps`
runs the same plan in plain Python and counts the characters it inspects, so tests
can show the work grows linearly with the input.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence, cast

Matcher = Callable[[str], bool]
Pieces = Sequence[tuple[str, bool]]

_STAR = object()
_QMARK = object()


def _tokens(pieces: Pieces) -> list[object]:
    """Characters as str, wildcards as the _STAR / _QMARK markers; runs of `*` collapsed."""
    out: list[object] = []
    for text, wildcards in pieces:
        for ch in text:
            if wildcards and ch == "*":
                if not out or out[-1] is not _STAR:
                    out.append(_STAR)
            elif wildcards and ch == "?":
                out.append(_QMARK)
            else:
                out.append(ch)
    return out


def _segments(tokens: list[object]) -> list[list[object]]:
    segments: list[list[object]] = [[]]
    for tok in tokens:
        if tok is _STAR:
            segments.append([])
        else:
            segments[-1].append(tok)
    return segments


def _segment_regex(segment: list[object]) -> str:
    # A segment holds no _STAR; every token other than _QMARK is a one-character str.
    return "".join("." if tok is _QMARK else re.escape(cast(str, tok)) for tok in segment)


def compile_glob(pattern: str | Pieces, *, ignore_case: bool = False) -> Matcher:
    """A predicate telling whether a whole string matches the pattern.

    `pattern` is a string (all `*` and `?` are wildcards) or pieces of
    (text, wildcards_active) as produced by resolving policy variables, where
    escaped and substituted text is literal.
    """
    pieces: Pieces = [(pattern, True)] if isinstance(pattern, str) else pattern
    tokens = _tokens(pieces)
    if _STAR not in tokens and _QMARK not in tokens:
        literal = "".join(tokens)  # type: ignore[arg-type]
        if ignore_case:
            literal = literal.lower()
            return lambda s: s.lower() == literal
        return literal.__eq__
    if tokens == [_STAR]:
        return lambda s: True
    segments = _segments(tokens)
    if not ignore_case and len(segments) == 2 and _QMARK not in tokens:
        head = "".join(segments[0])  # type: ignore[arg-type]
        tail = "".join(segments[1])  # type: ignore[arg-type]
        if not tail:
            return lambda s: s.startswith(head)
        if not head:
            return lambda s: s.endswith(tail)
        min_len = len(head) + len(tail)
        return lambda s: len(s) >= min_len and s.startswith(head) and s.endswith(tail)
    regex = _plan_regex(segments)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    fullmatch = re.compile(regex, flags).match
    return lambda s: fullmatch(s) is not None


def _plan_regex(segments: list[list[object]]) -> str:
    parts = [r"\A", _segment_regex(segments[0])]
    if len(segments) == 1:
        parts.append(r"\Z")
        return "".join(parts)
    for middle in segments[1:-1]:
        if middle:
            parts.append(f"(?>.*?{_segment_regex(middle)})")
    parts.append(f".*{_segment_regex(segments[-1])}\\Z")
    return "".join(parts)


def has_wildcards(pieces: str | Pieces) -> bool:
    if isinstance(pieces, str):
        return "*" in pieces or "?" in pieces
    return any(wild and ("*" in text or "?" in text) for text, wild in pieces)


def match_steps(pattern: str, text: str) -> tuple[bool, int]:
    """The leftmost-segment plan in plain Python: (matched, characters compared).

    Reference twin of `compile_glob` for complexity tests: every character
    comparison is counted, so a test can show steps stay within
    (len(text) + 1) * longest segment.
    """
    segments = _segments(_tokens([(pattern, True)]))
    steps = 0

    def fits(segment: list[object], at: int) -> bool:
        nonlocal steps
        if at + len(segment) > len(text):
            return False
        for offset, tok in enumerate(segment):
            steps += 1
            if tok is not _QMARK and text[at + offset] != tok:
                return False
        return True

    first = segments[0]
    if not fits(first, 0):
        return False, steps
    if len(segments) == 1:
        return len(first) == len(text), steps
    pos = len(first)
    last = segments[-1]
    end_limit = len(text) - len(last)
    for middle in segments[1:-1]:
        while pos + len(middle) <= end_limit and not fits(middle, pos):
            pos += 1
        if pos + len(middle) > end_limit:
            return False, steps
        pos += len(middle)
    if end_limit < pos:
        return False, steps
    return fits(last, end_limit), steps
