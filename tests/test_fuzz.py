"""Fuzzing the readers: untrusted text never escapes as anything but a located PolicyEngineError.

Targets: `parse_policy`, `parse_json_with_locations`, `lint_policy`, `lint_paths` (on
temporary files), `simulate_file` and `Environment.load` (JSON and YAML files). Inputs:
arbitrary bytes and text, JSON-shaped values, 100,000 levels of `[` and of `{"a":`,
invalid UTF-8, NaN/Infinity, numbers with 10,000 digits, and (marked slow) a 50 MB
document. Every error carries a location (a line and column, or a JSON path); the linter
reports problems as findings, never as a crashed rule. Memory is measured with
tracemalloc and compared by input-size ratios, never against wall-clock time.
"""

from __future__ import annotations

import json
import resource
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from policyengine import simulate_file
from policyengine.environment import Environment
from policyengine.errors import PolicyEngineError
from policyengine.limits import LimitExceededError
from policyengine.lint import lint_paths, lint_policy
from policyengine.parsing import parse_json_with_locations, parse_policy

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])

POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"%s}]}'

NASTY: dict[str, bytes] = {
    "deep_arrays": b"[" * 100_000,
    "deep_objects": b'{"a":' * 100_000,
    "deep_arrays_closed": b"[" * 100_000 + b"]" * 100_000,
    "invalid_utf8": b'{"Version": "2012-10-17", "Statement": "\xff\xfe\xc3"}',
    "utf16": '{"Version": "2012-10-17"}'.encode("utf-16"),
    "nan": (POLICY % ',"Condition":{"NumericLessThan":{"s3:max-keys":NaN}}').encode(),
    "infinity": (POLICY % ',"Condition":{"NumericLessThan":{"s3:max-keys":-Infinity}}').encode(),
    "digits_10000": (POLICY % (',"Condition":{"NumericLessThan":{"s3:max-keys":' + "9" * 10_000 + "}}")).encode(),
    "fraction_10000": (POLICY % (',"Condition":{"NumericLessThan":{"s3:max-keys":0.' + "1" * 10_000 + "}}")).encode(),
    "exponent": (POLICY % ',"Condition":{"NumericLessThan":{"s3:max-keys":1e999999999}}').encode(),
    "yaml_digits": b"a: " + b"9" * 10_000 + b"\n",
    "yaml_deep": b"a: " + b"[" * 100_000,
    "yaml_deep_maps": b"".join(b"{a: " for _ in range(20_000)),
    "nul": b"\x00\x00\x00",
    "empty": b"",
    "all_bytes": bytes(range(256)),
}


def located(err: PolicyEngineError) -> bool:
    return err.line is not None or bool(err.path)


def expect_only_package_errors(fn: Callable[[], Any]) -> Any:
    """Run `fn`; only PolicyEngineError may escape, and it must be located."""
    try:
        return fn()
    except PolicyEngineError as err:
        assert located(err), f"{type(err).__name__} without a location: {err!r}"
        return err


def check_lint_result(result: Any) -> None:
    for finding in result.findings:
        assert finding.code != "LINT_RULE_ERROR", finding
        assert finding.line is not None or finding.path, finding
    for err in result.errors:
        assert err.code != "INTERNAL_ERROR", err
        assert located(err) or err.file, err


def exercise_text(data: bytes) -> None:
    """The in-memory readers."""
    expect_only_package_errors(lambda: parse_policy(data))
    expect_only_package_errors(lambda: parse_policy(data, locations=False))
    expect_only_package_errors(lambda: parse_json_with_locations(data))
    text = data.decode("utf-8", "replace")
    expect_only_package_errors(lambda: parse_policy(text))
    check_lint_result(lint_policy(text))


def exercise_files(data: bytes, folder: Path) -> None:
    """The file readers, as JSON and as YAML."""
    for suffix in (".json", ".yaml"):
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        expect_only_package_errors(lambda path=path: simulate_file(path))
        expect_only_package_errors(lambda path=path: Environment.load(path))
        check_lint_result(lint_paths([path]))


@pytest.mark.parametrize("name", list(NASTY))
def test_nasty_inputs_raise_only_located_package_errors(name: str, tmp_path: Path) -> None:
    """Deep nesting, invalid UTF-8, NaN/Infinity, 10,000-digit numbers: located errors only."""
    exercise_text(NASTY[name])
    exercise_files(NASTY[name], tmp_path)


@SETTINGS
@given(data=st.binary(max_size=300))
@example(data=b'{"Statement": [')
@example(data=b"\xef\xbb\xbf{}")
def test_arbitrary_bytes_raise_only_located_package_errors(data: bytes, tmp_path: Path) -> None:
    exercise_text(data)
    exercise_files(data, tmp_path)


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.sampled_from(["Version", "Statement", "Effect", "Action",
                                                              "Resource", "Condition", "Principal", "request",
                                                              "principal", "action", "identity", "users",
                                                              "roles", "a"]) | st.text(max_size=5),
                                             inner, max_size=4), max_leaves=20)


@SETTINGS
@given(value=JSON_VALUES)
def test_json_shaped_values_raise_only_located_package_errors(value: Any, tmp_path: Path) -> None:
    """Valid-looking JSON (with NaN and Infinity from float draws) of every shape."""
    data = json.dumps(value).encode()
    exercise_text(data)
    exercise_files(data, tmp_path)
    if isinstance(value, dict):  # a dict has no text positions: any PolicyEngineError will do
        try:
            parse_policy(value)
        except PolicyEngineError:
            pass


def peak_bytes(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    try:
        expect_only_package_errors(fn)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def big_policy(statements: int) -> str:
    one = ('{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],'
           '"Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"StringLike":{"aws:PrincipalTag/t":"x*"}}}')
    return '{"Version":"2012-10-17","Statement":[' + ",".join(one % i for i in range(statements)) + "]}"


def test_memory_grows_linearly_with_the_document() -> None:
    """Peak memory of parsing twice the text is about twice (never quadratic)."""
    small, large = big_policy(500), big_policy(2000)
    ratio_in = len(large) / len(small)
    ratio = peak_bytes(lambda: parse_policy(large)) / peak_bytes(lambda: parse_policy(small))
    assert ratio < ratio_in * 1.5, (ratio, ratio_in)


def test_deep_nesting_costs_memory_bounded_by_the_depth_limit() -> None:
    """100,000 levels are refused at the depth limit: the peak does not grow with the depth."""
    shallow = peak_bytes(lambda: parse_policy(b"[" * 10_000))
    deep = peak_bytes(lambda: parse_policy(b"[" * 100_000))
    assert deep < shallow * 3 + 1_000_000, (shallow, deep)


@pytest.mark.slow
def test_a_50_mb_document_is_read_or_refused_with_bounded_memory(tmp_path: Path) -> None:
    """A 50 MB policy: parsed (or refused, located) with peak memory a bounded multiple of its size."""
    statements = int(50 * 1024 * 1024 / (len(big_policy(1000)) / 1000)) + 1
    text = big_policy(statements)
    assert len(text) >= 50 * 1024 * 1024
    # tracemalloc would slow this run tenfold: compare the process's peak resident size instead
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    expect_only_package_errors(lambda: parse_policy(text, locations=False))
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert grown < 40 * len(text), (grown, len(text))
    # The linter refuses it, located, from a fast parse (seconds, not the minutes that running
    # every rule over ~250,000 statements would take).
    path = tmp_path / "big.json"
    path.write_text(text)
    (error,) = lint_paths([path]).errors
    assert isinstance(error, LimitExceededError) and (error.line, error.column) == (1, 1)
    assert "max_document_bytes" in error.message

