"""The fast path: JSON text -> Python values with the C `json` module, no positions.

`json.loads` accepts a few things IAM does not, so it runs with hooks that refuse them:
duplicate keys (`json` silently keeps the last), `NaN`/`Infinity` and numbers that overflow
to infinity. The rare texts it could misjudge otherwise (nesting deeper than MAX_DEPTH,
possible unpaired surrogates; found by cheap scans) go to the positional parser directly.
Whenever anything fails, the positional parser reads the text again to report the error
with its line, column and path; the two parsers accept exactly the same documents and
produce equal values.
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

from ..errors import PolicySyntaxError
from .json_errors import MAX_DEPTH
from .json_positions import loads_with_locations

_INF = float("inf")


class _Refused(Exception):
    """Something `json.loads` accepts but IAM does not."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _Refused("duplicate key")
    return value


def _constant(name: str) -> NoReturn:
    raise _Refused(name)


def _float(text: str) -> float:
    value = float(text)
    if value == _INF or value == -_INF:
        raise _Refused(text)
    return value


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float)

_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")


def nesting_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays and objects in `text` nest deeper than `limit` (strings ignored).

    Exact for well-formed JSON, an approximation otherwise; free for texts that do not even
    contain `limit` opening brackets.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _may_hold_surrogates(text: str) -> bool:
    """`json` accepts unpaired surrogates (raw or escaped); leave those texts to the
    positional parser, which refuses the unpaired ones. Free for ordinary texts."""
    if not text.isascii() and _SURROGATE.search(text):
        return True
    return "\\u" in text and _SURROGATE_ESCAPE.search(text) is not None


def loads_fast(text: str, *, file: str | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON `text` as IAM reads it; raises a located `PolicySyntaxError` if it is not
    (a `LimitExceededError`, also a `PolicySyntaxError`, for nesting deeper than `max_depth`)."""
    if nesting_exceeds(text, max_depth) or _may_hold_surrogates(text):
        # rare texts `json` would misjudge: the positional parser decides
        return loads_with_locations(text, file=file, max_depth=max_depth)[0]
    try:
        return _DECODER.decode(text)
    except (ValueError, RecursionError, _Refused) as exc:  # JSONDecodeError is a ValueError
        _locate_failure(text, file, exc, max_depth)


def _locate_failure(text: str, file: str | None, cause: BaseException, max_depth: int = MAX_DEPTH) -> NoReturn:
    """Re-read `text` with positions: that raises the located error."""
    loads_with_locations(text, file=file, max_depth=max_depth)
    # The two parsers disagree: still raise our error, with what `json` said.
    raise PolicySyntaxError(
        "the document is not valid JSON",
        file=file,
        line=getattr(cause, "lineno", None),
        column=getattr(cause, "colno", None),
        help=str(cause) or None,
    ) from cause
