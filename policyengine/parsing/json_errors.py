"""Located, actionable JSON syntax errors.

The positional parser (json_positions.py) only knows *where* it stopped: an offset, the token
it could not use and the tokens it would have accepted. This module turns that into a
`PolicySyntaxError` with line, column, JSON path and a one-sentence message saying what to fix.
It runs only on the error path, so it favours clarity over speed.
"""

from __future__ import annotations

import json
import re
import sys
from bisect import bisect_right
from collections.abc import Collection, Sequence
from itertools import accumulate

from ..errors import JsonPath, PolicySyntaxError
from ..limits import DEFAULT_LIMITS, limit_error_class

#: Containers nested deeper than this are rejected by default (policies need a handful of
#: levels; the limit keeps every later stage, and `json.loads`, far from Python's recursion
#: limit). `Limits.max_depth` (policyengine/limits.py) overrides it per call.
MAX_DEPTH = DEFAULT_LIMITS.max_depth

_SHOW = 40  # longest piece of user text quoted in a message
_MAX_PATH = 64  # longest JSON path attached to a syntax error


# ---------------------------------------------------------------------------------------------
# Offsets to (line, column)


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of `text` starts (line 1 starts at 0)."""
    return list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))


def line_column(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of `offset`; columns count characters, as editors do."""
    index = bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


# ---------------------------------------------------------------------------------------------
# The JSON path at an offset


_SCAN = re.compile(r'"(?:[^"\\\n]++|\\.)*+"?|[{}\[\],:]|[^\s"{}\[\],:]++', re.DOTALL)


class _Frame:
    """An open container while scanning: what it expects next, and the current key or index.

    `state` is what may come next: "key", "colon", "value" or "comma" (a `,` or the closer).
    """

    __slots__ = ("bracket", "offset", "key", "index", "state")

    def __init__(self, bracket: str, offset: int) -> None:
        self.bracket = bracket
        self.offset = offset
        self.key: str | None = None
        self.index = 0
        self.state = "key" if bracket == "{" else "value"


def _scan(text: str, offset: int) -> tuple[list[_Frame], bool]:
    """The containers open at `offset` (outermost first) and whether a root value is complete.

    Tolerant of anything: it is used on text that failed to parse.
    """
    stack: list[_Frame] = []
    root_done = False
    for match in _SCAN.finditer(text, 0, offset):
        token = match.group()
        first = token[0]
        top = stack[-1] if stack else None
        if first in "{[":
            if top is not None:
                top.state = "comma"
            stack.append(_Frame(first, match.start()))
        elif first in "}]":
            if stack:
                stack.pop()
                root_done = not stack
        elif top is None:
            root_done = True
        elif first == ",":
            if top.bracket == "{":
                top.key, top.state = None, "key"
            else:
                top.index += 1
                top.state = "value"
        elif first == ":":
            top.state = "value"
        elif top.bracket == "{" and top.state == "key" and first == '"':
            top.key, top.state = _decode_key(token), "colon"
        else:
            top.state = "comma"
    return stack, root_done


def _decode_key(token: str) -> str:
    try:
        value = json.loads(token)
    except ValueError:
        return token.strip('"')
    return value if isinstance(value, str) else token


def path_at(text: str, offset: int) -> JsonPath:
    """JSON path of the node being read at `offset` (best effort, for messages)."""
    path: list[str | int] = []
    for frame in _scan(text, offset)[0]:
        if frame.bracket == "[":
            path.append(frame.index)
        elif frame.key is not None:
            path.append(frame.key)
    return tuple(path)


# ---------------------------------------------------------------------------------------------
# Building the error


def show(text: str) -> str:
    """User text for a message: truncated, and never breaking the backtick quoting."""
    text = text.replace("`", "'")
    if not text.isprintable():  # line breaks, tabs, control characters: show them escaped
        text = json.dumps(text, ensure_ascii=False)[1:-1]
    return text if len(text) <= _SHOW else text[: _SHOW - 1] + "…"


def located(
    text: str,
    offset: int,
    message: str,
    *,
    file: str | None,
    help: str | None = None,
    path: JsonPath | None = None,
    cls: type[PolicySyntaxError] = PolicySyntaxError,
) -> PolicySyntaxError:
    line, column = line_column(line_starts(text), offset)
    return cls(
        message,
        file=file,
        line=line,
        column=column,
        path=_shown_path(path_at(text, offset) if path is None else path),
        help=help,
    )


def _shown_path(path: JsonPath) -> JsonPath:
    """Paths deeper than any policy (runaway nesting) are left out rather than printed."""
    return path if len(path) <= _MAX_PATH else ()


def empty_document(file: str | None) -> PolicySyntaxError:
    return PolicySyntaxError(
        "the document is empty",
        file=file,
        line=1,
        column=1,
        help='a policy is a JSON object such as {"Version": "2012-10-17", "Statement": [...]}',
    )


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBERISH = re.compile(r"[-+.0-9A-Za-z]+")
_LITERALS = {"true": "true", "false": "false", "null": "null", "none": "null"}
_SHORT_ESCAPES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_VALID_ESCAPES = '"\\/bfnrt'
_STRING_BODY = re.compile(r'[^"\\\x00-\x1f]*+')
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")


def lexical_error(text: str, offset: int, *, file: str | None) -> PolicySyntaxError:
    """No token can start at `offset`: explain what is there instead."""
    char = text[offset]
    if char == '"':
        return _string_error(text, offset, file=file)
    if char == "'":
        return located(
            text, offset, "strings must be in double quotes, not single quotes", file=file
        )
    if char.isalpha() or char == "_" or (char == "-" and text[offset + 1 : offset + 2].isalpha()):
        start = offset + 1 if char == "-" else offset
        match = _WORD.match(text, start)
        word = (char if char == "-" else "") + (match.group() if match else text[start])
        bare = word.lstrip("-")
        if bare.lower() in ("nan", "infinity", "inf"):
            return located(
                text,
                offset,
                f"`{show(word)}` is not valid JSON; write a finite number",
                file=file,
                help="IAM accepts only finite decimal numbers, and JSON has no NaN or Infinity",
            )
        if bare.lower() in _LITERALS and char != "-":
            right = _LITERALS[bare.lower()]
            return located(
                text, offset, f"`{show(word)}` is not valid JSON; write `{right}`", file=file
            )
        return located(
            text,
            offset,
            f"unexpected `{show(word)}`; strings must be in double quotes",
            file=file,
        )
    if char == "-":
        return located(text, offset, "`-` must be followed by a digit", file=file)
    if char in ".+":
        match = _NUMBERISH.match(text, offset)
        token = match.group() if match else char
        return located(
            text,
            offset,
            f"`{show(token)}` is not a valid number; a number starts with a digit or `-`",
            file=file,
        )
    if char == "/" and text[offset + 1 : offset + 2] in ("/", "*"):
        return located(text, offset, "comments are not allowed in JSON", file=file)
    if char.isspace():
        return located(
            text,
            offset,
            f"unexpected whitespace character U+{ord(char):04X}",
            file=file,
            help="only spaces, tabs and line breaks may separate JSON tokens",
        )
    shown = f"`{char}`" if char.isprintable() else f"U+{ord(char):04X}"
    return located(text, offset, f"unexpected character {shown}", file=file)


def _string_error(text: str, start: int, *, file: str | None) -> PolicySyntaxError:
    """Why the string opening at `start` does not lex."""
    i = start + 1
    n = len(text)
    while True:
        i = _STRING_BODY.match(text, i).end()  # type: ignore[union-attr]
        if i >= n:
            return located(
                text,
                start,
                'this string is never closed; add the closing `"`',
                file=file,
            )
        char = text[i]
        if char == "\\":
            escape = text[i + 1 : i + 2]
            if escape == "u":
                if _HEX4.match(text, i + 2) is None:
                    return located(
                        text,
                        i,
                        "`\\u` in a string must be followed by four hexadecimal digits",
                        file=file,
                    )
                i += 6
            elif escape and escape in _VALID_ESCAPES:
                i += 2
            else:
                shown = show("\\" + escape) if escape.isprintable() else "\\"
                return located(
                    text,
                    i,
                    f"invalid escape `{shown}` in a string",
                    file=file,
                    help='JSON allows only \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; '
                    "write a backslash as \\\\",
                )
        elif char in "\n\r":
            return located(
                text,
                start,
                'this string is not closed before the end of the line; add the closing `"`',
                file=file,
                help="a line break inside a string must be written as \\n",
            )
        else:  # another control character (the closing quote would have lexed)
            escape = _SHORT_ESCAPES.get(char, f"\\u{ord(char):04x}")
            return located(
                text,
                i,
                f"control character U+{ord(char):04X} must be escaped in a string; "
                f"write `{escape}`",
                file=file,
            )


# Terminal names of grammars/json.lark, as people read them.
_DESCRIBE = {
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "COMMA": "`,`",
    "COLON": "`:`",
    "STRING": "a string",
    "NUMBER": "a number",
    "TRUE": "`true`",
    "FALSE": "`false`",
    "NULL": "`null`",
    "$END": "the end of the document",
}
_CLOSERS = {"RBRACE": "}", "RSQB": "]"}


def _skip_back(text: str, offset: int) -> int:
    """Offset of the last non-whitespace character before `offset` (or -1)."""
    i = offset - 1
    while i >= 0 and text[i] in " \t\n\r":
        i -= 1
    return i


def token_error(
    text: str,
    kind: str,
    offset: int,
    token: str,
    expected: Collection[str],
    *,
    file: str | None,
) -> PolicySyntaxError:
    """The parser could not use token `kind` (text `token`) at `offset`.

    The message comes from the context (what the enclosing container expects next), found by
    rescanning the text: LALR's own expected sets are merged across contexts and too wide.
    """
    if kind == "$END":
        return _end_error(text, file=file)
    frames, root_done = _scan(text, offset)
    shown = show(token)
    if not frames:
        if root_done:
            return located(
                text,
                offset,
                f"unexpected `{shown}` after the end of the JSON value",
                file=file,
                help="a policy is a single JSON object; remove what follows it",
            )
        return located(text, offset, f"expected a JSON value, not `{shown}`", file=file)
    top = frames[-1]
    closer = "`}`" if top.bracket == "{" else "`]`"
    if kind in _CLOSERS:
        before = _skip_back(text, offset)
        if top.state in ("key", "value") and before >= 0 and text[before] == ",":
            return located(
                text,
                before,
                f"trailing comma before `{_CLOSERS[kind]}`; JSON does not allow one, remove it",
                file=file,
            )
        if _CLOSERS[kind] != {"{": "}", "[": "]"}[top.bracket]:
            line, column = line_column(line_starts(text), top.offset)
            return located(
                text,
                offset,
                f"`{_CLOSERS[kind]}` does not close the `{top.bracket}` "
                f"at line {line}, column {column}",
                file=file,
            )
    if top.state == "key":
        return located(text, offset, f"expected a key in double quotes, not `{shown}`", file=file)
    if top.state == "colon":
        return located(
            text, offset, f"expected `:` after the key `{show(top.key or '')}`", file=file
        )
    if top.state == "value":
        return located(text, offset, f"expected a value before `{shown}`", file=file)
    if top.state == "comma":
        return located(
            text,
            offset,
            f"expected `,` or {closer} before `{shown}`; is a comma missing?",
            file=file,
        )
    wanted = " or ".join(sorted(_DESCRIBE.get(name, name) for name in expected))
    return located(text, offset, f"unexpected `{shown}`; expected {wanted}", file=file)


def _end_error(text: str, *, file: str | None) -> PolicySyntaxError:
    end = _skip_back(text, len(text)) + 1
    frames, _ = _scan(text, len(text))
    if frames:
        opener = frames[-1]
        line, column = line_column(line_starts(text), opener.offset)
        return located(
            text,
            end,
            f"the document ends before the `{opener.bracket}` at line {line}, "
            f"column {column} is closed",
            file=file,
        )
    return located(text, end, "the document ends unexpectedly", file=file)


def duplicate_key_error(
    text: str, key: str, offset: int, first_offset: int, *, file: str | None
) -> PolicySyntaxError:
    line, column = line_column(line_starts(text), first_offset)
    return located(
        text,
        offset,
        f"duplicate key `{show(key)}`; it already appears at line {line}, column {column}",
        file=file,
        help="IAM rejects a policy that repeats a key in the same object "
        "(ordinary JSON readers silently keep the last one); merge the two",
        path=path_at(text, offset) + (key,),
    )


def number_error(text: str, token: str, offset: int, *, file: str | None) -> PolicySyntaxError:
    """`token` lexed as a number but is not one JSON accepts (or that we can hold)."""
    body = token.lstrip("-")
    help: str | None = None
    if body[:2] in ("0x", "0X"):
        message = f"`{show(token)}` is not a valid number; JSON numbers are decimal"
    elif len(body) > 1 and body[0] == "0" and body[1].isdigit():
        message = f"`{show(token)}` is not a valid number; remove the leading zeros"
    elif body.endswith(".") or ".e" in body.lower() or body.endswith(("e", "E", "+", "-")):
        message = f"`{show(token)}` is not a valid number; digits must follow `.` and `e`"
    else:
        message = f"`{show(token)}` is not a valid number"
        help = "a JSON number looks like 12, -3, 0.5 or 1e-7"
    return located(text, offset, message, file=file, help=help)


def number_range_error(
    text: str, token: str, offset: int, *, file: str | None
) -> PolicySyntaxError:
    """A well-formed number that Python cannot hold exactly or finitely."""
    limit = sys.get_int_max_str_digits()
    if "." in token or "e" in token or "E" in token:
        message = f"the number `{show(token)}` is too large"
        help = "numbers beyond about 1.8e308 cannot be represented"
    else:
        message = f"the number `{show(token)}` has too many digits"
        help = f"integers are limited to {limit} digits"
    return located(text, offset, message, file=file, help=help)


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)


def lone_surrogate_escape(raw: str) -> int:
    """Offset in the string token `raw` of its first `\\uXXXX` that is an unpaired surrogate."""
    pending: int | None = None  # offset of a high surrogate waiting for its low half
    end = -1
    for match in _ESCAPE.finditer(raw):
        code = int(match.group(1), 16) if match.group(1) else None
        if pending is not None:
            if code is not None and 0xDC00 <= code <= 0xDFFF and match.start() == end:
                pending = None
                end = match.end()
                continue
            return pending
        if code is not None and 0xD800 <= code <= 0xDBFF:
            pending, end = match.start(), match.end()
        elif code is not None and 0xDC00 <= code <= 0xDFFF:
            return match.start()
    return pending if pending is not None else 0


def surrogate_error(text: str, offset: int, *, file: str | None) -> PolicySyntaxError:
    shown = text[offset : offset + 6] if text[offset] == "\\" else f"U+{ord(text[offset]):04X}"
    return located(
        text,
        offset,
        f"`{show(shown)}` is an unpaired surrogate, not a character",
        file=file,
        help="a policy must be valid Unicode: write a character outside the basic plane "
        "as a surrogate pair (\\ud83d\\ude00) or as itself",
    )


def depth_error(
    text: str, offset: int, path: JsonPath | None, *, file: str | None, limit: int = MAX_DEPTH
) -> PolicySyntaxError:
    """Nesting over `limit`: a `LimitExceededError` that is also a `PolicySyntaxError`."""
    return located(
        text,
        offset,
        f"the document nests arrays and objects deeper than {limit} levels (max_depth)",
        file=file,
        help="a policy needs only a few levels; check for unbalanced brackets, or raise "
        "Limits.max_depth for trusted input",
        path=path,
        cls=limit_error_class(PolicySyntaxError),
    )
