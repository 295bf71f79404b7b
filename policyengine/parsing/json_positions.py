"""JSON text -> Python values plus the (line, column) of every key and value.

The syntax is `grammars/json.lark`, built once with lark's LALR generator. Parsing drives that
LALR table with a small loop of our own instead of `Lark.parse`: one regular expression made
from the grammar's terminals reads a whole token (string, number, punctuation) per step, and
each rule's handler builds the Python value and notes the offsets of keys and values in the
same pass, with no parse tree and no per-token objects. On the 1,523 AWS managed policies
that takes about 0.35 s, against 1.1 s for `Lark.parse` with an inline transformer and a
custom lexer (tests/test_corpus.py prints the current numbers with `-s`). Offsets become
(line, column) at the end, by bisection over the line starts.

Values: objects are dicts (duplicate keys rejected, as IAM does), arrays lists, strings str,
integers int, decimals and exponents float, `true`/`false`/`null` True/False/None. Numbers
that are malformed, non-finite or longer than Python's int limit are rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
# `scanstring` is a public attribute of json.decoder at runtime (the C scanner when present,
# else the Python one) but typeshed's json/decoder.pyi does not declare it.
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, Callable

from lark import Lark
from lark.parsers.lalr_analysis import Shift

from ..errors import JsonPath, PolicyEngineError
from ..resources import grammar_text
from . import json_errors as errs
from .json_errors import MAX_DEPTH, line_column, line_starts

Locations = dict[JsonPath, tuple[int, int]]

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_INF = float("inf")
_WS = re.compile(r"[ \t\n\r]*")
_CONSTANTS = {"TRUE": True, "FALSE": False, "NULL": None}
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Stop(Exception):
    """Raised inside the parse loop; carries the finished error out of the hot path."""

    def __init__(self, error: PolicyEngineError) -> None:
        self.error = error


# A container node: (value, offset, members), members being (key or index, offset, node)
# with node None for scalars. Scalars travel as (value, offset, None).
Node = tuple[Any, int, list | None]


@cache
def json_grammar() -> Lark:
    """The lark grammar, built once (also used by the tests as a reference parser)."""
    return Lark(grammar_text("json.lark"), parser="lalr", lexer="basic", maybe_placeholders=False)


@dataclass(frozen=True)
class _Machine:
    token: re.Pattern[str]  # optional whitespace, then one terminal in a numbered group
    kinds: tuple[str, ...]  # group number -> terminal name
    # Indexed by state: terminal or rule name -> next state (int, a shift or a goto) or
    # (handler, size, rule name) to reduce.
    table: list[dict[str, Any]]
    start: int


def _member(c: list) -> tuple:
    return (c[0], c[2])


def _first(c: list) -> list:
    return [c[0]]


def _append(c: list) -> list:
    c[0].append(c[2])
    return c[0]


def _empty_object(c: list) -> Node:
    return ({}, c[0], [])


def _empty_array(c: list) -> Node:
    return ([], c[0], [])


def _array(c: list) -> Node:
    items = c[1]
    return (
        [item[0] for item in items],
        c[0],
        [(i, item[1], item if item[2] is not None else None) for i, item in enumerate(items)],
    )


class _DuplicateKey(Exception):
    def __init__(self, key: str, offset: int, first: int) -> None:
        self.key, self.offset, self.first = key, offset, first


def _object(c: list) -> Node:
    value: dict[str, Any] = {}
    members: list[tuple[str, int, Node | None]] = []
    for key, item in c[1]:
        name = key[0]
        if name in value:
            first = next(m[1] for m in members if m[0] == name)
            raise _DuplicateKey(name, key[1], first)
        value[name] = item[0]
        members.append((name, key[1], item if item[2] is not None else None))
    return (value, c[0], members)


_PASS = None  # marks unit rules (`value: STRING`, `start: value`): no handler, value unchanged

_HANDLERS: dict[tuple[str, tuple[str, ...]], Callable[[list], Any] | None] = {
    ("start", ("value",)): _PASS,
    **{
        ("value", (name,)): _PASS
        for name in ("object", "array", "STRING", "NUMBER", "TRUE", "FALSE", "NULL")
    },
    ("object", ("LBRACE", "RBRACE")): _empty_object,
    ("object", ("LBRACE", "members", "RBRACE")): _object,
    ("members", ("member",)): _first,
    ("members", ("members", "COMMA", "member")): _append,
    ("member", ("STRING", "COLON", "value")): _member,
    ("array", ("LSQB", "RSQB")): _empty_array,
    ("array", ("LSQB", "elements", "RSQB")): _array,
    ("elements", ("value",)): _first,
    ("elements", ("elements", "COMMA", "value")): _append,
}


@cache
def _machine() -> _Machine:
    lark = json_grammar()
    ignore = set(lark.lexer_conf.ignore)
    kinds = [""]
    alternatives = []
    skip = []
    for terminal in lark.terminals:
        if terminal.name in ignore:
            skip.append(terminal.pattern.to_regexp())
        else:
            # lark's names are Token objects (str subclasses with a slow __eq__): use plain str.
            kinds.append(str(terminal.name))
            alternatives.append(f"({terminal.pattern.to_regexp()})")
    token = re.compile(f"(?:{'|'.join(skip)})?+(?:{'|'.join(alternatives)})")
    parse_table = lark.parser.parser.parser.parse_table  # type: ignore[attr-defined]
    rules: dict[Any, tuple[Callable | None, int, str]] = {}
    for rule in lark.rules:
        key = (str(rule.origin.name), tuple(str(sym.name) for sym in rule.expansion))
        if key not in _HANDLERS:
            raise RuntimeError(f"grammars/json.lark: rule {key} has no handler here")
        rules[rule] = (_HANDLERS[key], len(rule.expansion), key[0])
    states = parse_table.states
    table: list[dict[str, Any]] = [{} for _ in range(max(states) + 1)]
    for state, actions in states.items():
        for sym, (action, arg) in actions.items():
            table[state][str(sym)] = arg if action is Shift else rules[arg]
    return _Machine(token, tuple(kinds), table, parse_table.start_states["start"])


def _scalar(text: str, kind: str, raw: str, offset: int, file: str | None) -> Any:
    """A number, `true`, `false` or `null` token as a Python value."""
    if kind == "NUMBER":
        match = _NUMBER.fullmatch(raw)
        if match is None:
            raise _Stop(errs.number_error(text, raw, offset, file=file))
        try:
            if match.group(1) is None and match.group(2) is None:
                return int(raw)
            number = float(raw)
        except ValueError:  # more digits than sys.get_int_max_str_digits()
            raise _Stop(errs.number_range_error(text, raw, offset, file=file)) from None
        if number == _INF or number == -_INF:
            raise _Stop(errs.number_range_error(text, raw, offset, file=file))
        return number
    return _CONSTANTS[kind]


def _unescape(text: str, raw: str, offset: int, file: str | None) -> str:
    """A string token with escapes; an escaped unpaired surrogate is refused."""
    value: str = scanstring(raw, 1, True)[0]
    if _SURROGATE.search(value):
        where = offset + errs.lone_surrogate_escape(raw)
        raise _Stop(errs.surrogate_error(text, where, file=file))
    return value


def _parse(text: str, file: str | None, max_depth: int = MAX_DEPTH) -> Node:
    """Run the LALR machine over `text`; the root node, or `_Stop` with the located error."""
    machine = _machine()
    match = machine.token.match
    kinds = machine.kinds
    table = machine.table
    states = [machine.start]
    values: list[Any] = []
    pos = 0
    depth = 0  # containers open
    value: Any  # a scalar node (value, offset, None), an opening bracket's offset, or None
    while True:
        found = match(text, pos)
        if found is None:
            end = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if end != len(text):
                raise _Stop(errs.lexical_error(text, end, file=file))
            kind, value, offset = "$END", None, end
        else:
            group = found.lastindex
            assert group is not None  # every alternative of `machine.token` is a numbered group
            kind = kinds[group]
            offset = found.start(group)
            pos = found.end()
            if kind == "STRING":
                raw = found.group(group)
                if "\\" in raw:
                    value = (_unescape(text, raw, offset, file), offset, None)
                else:
                    value = (raw[1:-1], offset, None)
            elif kind == "LBRACE" or kind == "LSQB":
                value = offset
            elif kind == "COMMA" or kind == "COLON":
                value = None
            elif kind == "RBRACE" or kind == "RSQB":
                value = None
                depth -= 1
            else:
                value = (_scalar(text, kind, found.group(group), offset, file), offset, None)
        while True:
            action = table[states[-1]].get(kind)
            if action.__class__ is int:  # shift
                states.append(action)
                values.append(value)
                if value.__class__ is int:  # an opening bracket (its offset)
                    depth += 1
                    if depth > max_depth:
                        raise _Stop(errs.depth_error(text, offset, None, file=file, limit=max_depth))
                break
            if action is None:
                token = "" if found is None else found.group(kinds.index(kind))
                expected = [sym for sym in table[states[-1]] if sym.isupper()]
                raise _Stop(errs.token_error(text, kind, offset, token, expected, file=file))
            handler, size, origin = action
            if handler is None:  # a unit rule (`value: STRING`): only the state changes
                del states[-1]
                if origin == "start":
                    return values[-1]  # type: ignore[no-any-return]
                states.append(table[states[-1]][origin])
                continue
            children = values[-size:]
            del values[-size:]
            del states[-size:]
            try:
                reduced = handler(children)
            except _DuplicateKey as dup:
                raise _Stop(
                    errs.duplicate_key_error(text, dup.key, dup.offset, dup.first, file=file)
                ) from None
            states.append(table[states[-1]][origin])
            values.append(reduced)


def _locate(text: str, root: Node) -> Locations:
    """Walk the node tree (iteratively, in document order) giving every path its position."""
    starts = line_starts(text)
    locations: Locations = {(): line_column(starts, root[1])}
    if root[2] is None:
        return locations
    stack: list[tuple[JsonPath, Any]] = [((), iter(root[2]))]
    while stack:
        path, members = stack[-1]
        for key, offset, child in members:
            child_path = path + (key,)
            locations[child_path] = line_column(starts, offset)
            if child is not None:  # a container: its members come next
                stack.append((child_path, iter(child[2])))
                break
        else:
            stack.pop()
    return locations


def loads_with_locations(text: str, *, file: str | None = None,
                         max_depth: int = MAX_DEPTH) -> tuple[Any, Locations]:
    """Parse JSON `text`; the value and the (line, column) of every node by JSON path.

    For an object member the location is that of its key; for an array element, that of the
    element; the root is at path `()`. Raises `PolicySyntaxError` (with line, column and path)
    for anything that is not JSON as IAM reads it, and a `LimitExceededError` (also a
    `PolicySyntaxError`) for containers nested deeper than `max_depth`.
    """
    if not text.strip(" \t\n\r"):
        raise errs.empty_document(file)
    if not text.isascii():
        surrogate = _SURROGATE.search(text)
        if surrogate:
            raise errs.surrogate_error(text, surrogate.start(), file=file)
    try:
        root = _parse(text, file, max_depth)
        locations = _locate(text, root)
    except _Stop as stop:
        raise stop.error from None
    return root[0], locations
