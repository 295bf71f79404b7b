"""Laws of the parsing layer, checked on generated input.

1. Robustness: on any text or bytes, parsing returns a document or raises a PolicyEngineError,
   never anything else (RecursionError, ValueError, lark's errors...).
2. The two JSON readers agree: on any text, the fast and positional paths return equal values
   or raise the same located error.
3. The positional reader is JSON: on any JSON value, it returns what `json.loads` returns,
   and every node's location points at the node's text.
4. The driver accepts nothing the lark grammar rejects.
5. Round trip: for any valid policy, parse -> to_json is the identity, and every input form
   (dict, text, bytes, fast path, positional path) gives the same document.
"""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from lark.exceptions import LarkError

from policyengine.errors import PolicyEngineError, PolicySyntaxError
from policyengine.model.policy import PRINCIPAL_KINDS
from policyengine.parsing import parse_json, parse_json_with_locations, parse_policy
from policyengine.parsing.json_positions import json_grammar

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- strategies --------------------------------------------------------------------------------

text_values = st.text(max_size=12)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    text_values,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(text_values, inner, max_size=4)
    ),
    max_leaves=20,
)
# Text made mostly of JSON's own characters, so the error paths are exercised in depth.
jsonish = st.text(alphabet='{}[],:"\\ \n\ttrufalsn0123456789.-+eE/ux\u00e9', max_size=40)


@st.composite
def serialized(draw: st.DrawFn, values: st.SearchStrategy[Any] = json_values) -> tuple[Any, str]:
    value = draw(values)
    indent = draw(st.sampled_from([None, 0, 2, "\t"]))
    separators = draw(st.sampled_from([None, (",", ":"), (" , ", " : ")]))
    ensure_ascii = draw(st.booleans())
    return value, json.dumps(value, indent=indent, separators=separators, ensure_ascii=ensure_ascii)


names = st.text(st.characters(exclude_categories=("Cs",)), max_size=16)
one_or_more = st.one_of(names, st.lists(names, min_size=1, max_size=3))
condition_scalar = st.one_of(
    names,
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
)
conditions = st.dictionaries(
    names,
    st.dictionaries(
        names,
        st.one_of(condition_scalar, st.lists(condition_scalar, max_size=3)),
        min_size=1,
        max_size=3,
    ),
    max_size=3,
)
principals = st.one_of(
    st.just("*"), st.dictionaries(st.sampled_from(PRINCIPAL_KINDS), one_or_more, min_size=1)
)


@st.composite
def statements(draw: st.DrawFn) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Deny"]))}
    if draw(st.booleans()):
        statement["Sid"] = draw(names)
    statement[draw(st.sampled_from(["Action", "NotAction"]))] = draw(one_or_more)
    resource = draw(st.sampled_from([None, "Resource", "NotResource"]))
    if resource:
        statement[resource] = draw(one_or_more)
    principal = draw(st.sampled_from([None, "Principal", "NotPrincipal"]))
    if principal:
        statement[principal] = draw(principals)
    if draw(st.booleans()):
        statement["Condition"] = draw(conditions)
    keys = list(statement)
    order = draw(st.permutations(keys))
    return {key: statement[key] for key in order}


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    policy: dict[str, Any] = {}
    version = draw(st.sampled_from([None, "2012-10-17", "2008-10-17"]))
    if version:
        policy["Version"] = version
    if draw(st.booleans()):
        policy["Id"] = draw(names)
    if draw(st.booleans()):
        policy["Statement"] = draw(statements())
    else:
        policy["Statement"] = draw(st.lists(statements(), min_size=1, max_size=3))
    return policy


def outcome(parse: Any, source: Any) -> Any:
    """What parsing `source` gives: ("ok", comparable value) or ("error", error dict)."""
    try:
        result = parse(source)
    except PolicyEngineError as exc:
        errors = getattr(exc, "errors", [exc])
        return ("error", type(exc).__name__, [e.to_dict() for e in errors])
    if hasattr(result, "model_dump"):
        return ("ok", result.model_dump())
    return ("ok", _comparable(result))


def _comparable(value: Any) -> Any:
    """`value` with -0.0 told apart from 0.0 and ints from floats (== does not)."""
    if isinstance(value, float):
        return ("float", math.copysign(1, value), value)
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    return value


# -- law 1: robustness ---------------------------------------------------------------------------


@SETTINGS
@given(st.one_of(st.text(), jsonish))
@example("[" * 5000)
@example('{"a":' * 3000)
@example("-")
@example('"\\ud800"')
@example("%7B%ZZ")
@example("%7B%22Statement%22%3A%5B%5D%7D")
def test_parsing_any_text_raises_only_policyengine_errors(text: str) -> None:
    for locations in (True, False):
        try:
            parse_policy(text, locations=locations)
        except PolicyEngineError:
            pass


@SETTINGS
@given(st.binary(max_size=64))
@example(b"\xff\xfe{\x00}\x00")
@example(b'{"a": "\xed\xa0\x80"}')
def test_parsing_any_bytes_raises_only_policyengine_errors(data: bytes) -> None:
    for locations in (True, False):
        try:
            parse_policy(data, locations=locations)
        except PolicyEngineError:
            pass


# -- law 2: the two readers agree ----------------------------------------------------------------


@SETTINGS
@given(st.one_of(jsonish, st.text(max_size=30), serialized().map(lambda pair: pair[1])))
@example('{"a": 1, "a": 2}')
@example("[1e400]")
@example("[-0.0, -0, 0.0]")
@example('"\\ud83d\\ude00"')
@example("[" * 600 + "]" * 600)
def test_fast_and_positional_json_readers_agree(text: str) -> None:
    assert outcome(parse_json, text) == outcome(lambda t: parse_json_with_locations(t)[0], text)


@st.composite
def mutated_policies(draw: st.DrawFn) -> str:
    """A valid policy's text with a few random edits: mostly almost-valid documents."""
    text = json.dumps(draw(policies()), indent=draw(st.sampled_from([None, 2])))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["delete", "insert", "repeat"]))
        if edit == "delete":
            text = text[:at] + text[at + 1 :]
        elif edit == "insert":
            text = text[:at] + draw(st.sampled_from(list('{}[],:"\\ 0-.eatn'))) + text[at:]
        else:
            end = draw(st.integers(at, min(len(text), at + 30)))
            text = text[:end] + text[at:end] + text[end:]
    return text


@SETTINGS
@given(st.one_of(jsonish, st.text(max_size=30), policies().map(json.dumps), mutated_policies()))
def test_fast_and_positional_policy_paths_agree(text: str) -> None:
    assert outcome(lambda t: parse_policy(t, locations=False), text) == outcome(parse_policy, text)


# -- law 3: the positional reader is JSON, with correct locations --------------------------------


@SETTINGS
@given(serialized())
def test_positional_reader_returns_what_json_loads_returns(pair: tuple[Any, str]) -> None:
    value, text = pair
    parsed, locations = parse_json_with_locations(text)
    assert _comparable(parsed) == _comparable(json.loads(text))
    assert set(locations) == set(_paths(value))
    line_offsets = [0]
    for line_text in text.split("\n"):
        line_offsets.append(line_offsets[-1] + len(line_text) + 1)
    decoder = json.JSONDecoder()
    for path, (line, column) in locations.items():
        # what starts at the location is the member's key, or the element itself
        found, _ = decoder.raw_decode(text, line_offsets[line - 1] + column - 1)
        if path and isinstance(path[-1], str):
            assert found == path[-1]
        else:
            assert _comparable(found) == _comparable(_node(value, path))


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, prefix + (index,))
    return out


def _node(value: Any, path: tuple) -> Any:
    for part in path:
        value = value[part]
    return value


# -- law 4: the driver accepts nothing the grammar rejects ---------------------------------------


@SETTINGS
@given(st.one_of(jsonish, serialized().map(lambda pair: pair[1])))
def test_driver_accepts_only_what_the_lark_grammar_accepts(text: str) -> None:
    assume(text.strip(" \t\n\r"))
    try:
        parse_json_with_locations(text)
    except PolicySyntaxError:
        return
    try:
        json_grammar().parse(text)
    except LarkError as exc:  # pragma: no cover - a failure of the law
        raise AssertionError(f"driver accepted {text!r} but the grammar rejects it: {exc}") from exc


# -- law 5: round trip ---------------------------------------------------------------------------


@SETTINGS
@given(policies())
def test_parse_then_to_json_is_the_identity_on_valid_policies(policy: dict[str, Any]) -> None:
    text = json.dumps(policy, indent=2, ensure_ascii=False)
    parsed = parse_policy(text)
    assert _comparable(parsed.to_json()) == _comparable(policy)
    expected = parsed.model_dump()
    again = json.dumps(parsed.to_json())
    for source, locations in ((policy, True), (text, False), (text.encode(), True), (again, True)):
        assert parse_policy(source, locations=locations).model_dump() == expected
    assert parsed.locations is not None and all(
        parsed.location_of(parsed.statement_path(s.index)) for s in parsed.statements
    )
