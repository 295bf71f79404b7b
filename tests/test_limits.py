"""Caps on input (policyengine/limits.py): each raises a located LIMIT_EXCEEDED at its default and
at a custom value, and raising a cap lets a larger input through."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.environment import Environment, EnvironmentError
from policyengine.errors import PolicySyntaxError, ScenarioError
from policyengine.limits import DEFAULT_LIMITS, LimitExceededError, Limits
from policyengine.parsing import MAX_DEPTH, parse_json, parse_policy
from policyengine.parsing.yaml_guard import MAX_YAML_DEPTH
from policyengine.simulate import simulate_file

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "aws-managed-policies"


def statement(i: int = 0, resource: str = "*") -> dict:
    return {"Sid": f"S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}


def policy(statements: list[dict]) -> dict:
    return {"Version": "2012-10-17", "Statement": statements}


def text_of(doc: dict, indent: int | None = 2) -> str:
    return json.dumps(doc, indent=indent, ensure_ascii=False)


def limit_error(fn, *args, **kwargs) -> LimitExceededError:  # type: ignore[no-untyped-def]
    with pytest.raises(LimitExceededError) as info:
        fn(*args, **kwargs)
    error = info.value
    assert error.code == "LIMIT_EXCEEDED" and error.to_dict()["code"] == "LIMIT_EXCEEDED"
    return error


def test_defaults_are_the_old_constants_and_documented_values() -> None:
    assert DEFAULT_LIMITS == Limits()
    assert DEFAULT_LIMITS.max_depth == MAX_DEPTH == 512
    assert DEFAULT_LIMITS.max_yaml_depth == MAX_YAML_DEPTH == 128
    assert DEFAULT_LIMITS.max_document_bytes == 1024 * 1024
    assert DEFAULT_LIMITS.max_statements == 10_000
    assert DEFAULT_LIMITS.max_pattern_length == 32_768
    with pytest.raises(ValueError):
        Limits(max_depth=0)
    with pytest.raises(Exception):
        DEFAULT_LIMITS.max_depth = 3  # type: ignore[misc]  # frozen


# ---- document size -----------------------------------------------------------------------------


def sized(size: int) -> str:
    """A valid policy text of at least `size` bytes (padding in whitespace)."""
    base = text_of(policy([statement()]))
    return base[:-1] + " " * max(0, size - len(base)) + "}"


@pytest.mark.parametrize("as_bytes", [False, True])
def test_document_size_default_and_custom(as_bytes: bool) -> None:
    big = sized(DEFAULT_LIMITS.max_document_bytes + 1)
    source = big.encode() if as_bytes else big
    error = limit_error(parse_policy, source, file="big.json")
    assert error.file == "big.json" and error.line is not None and error.column is not None
    assert "max_document_bytes" in error.message
    parse_policy(source, limits=Limits(max_document_bytes=len(big)))  # raised: accepted
    small = sized(2_000)
    error = limit_error(pe.load_policy, small, "small.json", limits=Limits(max_document_bytes=1_000))
    assert "1,000" in error.message and error.line is not None
    assert pe.load_policy(small).statements


def test_document_size_counts_utf8_bytes() -> None:
    doc = text_of(policy([{**statement(), "Sid": "S", "Condition": {"StringEquals": {"aws:username": "é" * 600}}}]))
    assert len(doc) < 1_000 < len(doc.encode())
    limit_error(parse_policy, doc, limits=Limits(max_document_bytes=1_000))


# ---- nesting depth -----------------------------------------------------------------------------


def test_depth_default_and_custom() -> None:
    too_deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    error = limit_error(parse_policy, too_deep, file="deep.json")
    assert isinstance(error, PolicySyntaxError)  # existing `except PolicySyntaxError` still catches it
    assert (error.file, error.line, error.column) == ("deep.json", 1, MAX_DEPTH + 1)
    nested = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",' \
             ' "Condition": {"StringEquals": {"aws:username": ["a"]}}}]}'
    for locations in (True, False):
        # root, Statement, the statement, Condition, StringEquals: the list is the 6th level
        error = limit_error(parse_policy, nested, limits=Limits(max_depth=5), locations=locations)
        assert error.line == 1 and error.column == nested.index('["a"]') + 1
        assert error.path == ("Statement", 0, "Condition", "StringEquals", "aws:username")
        assert parse_policy(nested, limits=Limits(max_depth=6), locations=locations).statements
    # raising the cap lets deeper JSON through
    assert parse_json(too_deep, limits=Limits(max_depth=MAX_DEPTH + 1)) is not None


def test_depth_of_a_dict_is_capped() -> None:
    doc = policy([{**statement(), "Condition": {"StringEquals": {"aws:username": ["a"]}}}])
    error = limit_error(parse_policy, doc, limits=Limits(max_depth=2))
    assert error.path[:3] == ("Statement", 0, "Condition")
    with pytest.raises(pe.PolicyValidationError):  # not a limit: the structure is wrong
        parse_policy(policy([{**statement(), "Condition": {"StringEquals": {"k": [[["x"]]]}}}]))


# ---- statements --------------------------------------------------------------------------------


def test_statements_default_and_custom() -> None:
    many = policy([statement(i) for i in range(DEFAULT_LIMITS.max_statements + 1)])
    error = limit_error(parse_policy, text_of(many, None), file="many.json")  # compact: under 1 MiB
    assert error.path == ("Statement", DEFAULT_LIMITS.max_statements)
    assert error.line is not None and error.column is not None
    error = limit_error(parse_policy, many)  # a dict: located by path
    assert error.path == ("Statement", DEFAULT_LIMITS.max_statements)
    assert len(parse_policy(many, limits=Limits(max_statements=len(many["Statement"]))).statements) == 10_001

    three = text_of(policy([statement(i) for i in range(3)]))
    for locations in (True, False):
        error = limit_error(parse_policy, three, file="three.json", limits=Limits(max_statements=2),
                            locations=locations)
        assert error.path == ("Statement", 2)
        assert error.line == 1 + 2 + 2 * 6 + 1  # the third statement's `{`
        assert "max_statements" in error.message
    assert len(parse_policy(three, limits=Limits(max_statements=3)).statements) == 3


# ---- pattern length ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["Action", "Resource", "Condition"])
def test_pattern_length_default_and_custom(key: str) -> None:
    def doc(length: int) -> dict:
        long = "a" * length
        one = statement()
        if key == "Action":
            one["Action"] = ["s3:Get" + long[6:]]
        elif key == "Resource":
            one["Resource"] = ["*", "arn:aws:s3:::" + long[13:]]
        else:
            one["Condition"] = {"StringLike": {"aws:username": long}}
        return policy([statement(), one])

    cap = DEFAULT_LIMITS.max_pattern_length
    error = limit_error(parse_policy, text_of(doc(cap + 1)), file="long.json")
    assert error.path[:3] == ("Statement", 1, key) and error.line is not None
    assert parse_policy(text_of(doc(cap))).statements
    error = limit_error(pe.load_policy, doc(101), limits=Limits(max_pattern_length=100))
    assert error.path[:3] == ("Statement", 1, key) and "max_pattern_length" in error.message
    assert pe.load_policy(doc(101), limits=Limits(max_pattern_length=101)).statements


# ---- PolicySet, scenarios, environments --------------------------------------------------------


def test_policyset_passes_limits_to_every_document() -> None:
    three = policy([statement(i) for i in range(3)])
    small = Limits(max_statements=2)
    for kwargs in ({"identity": [three]}, {"identity": {"named": json.dumps(three)}}, {"scps": [[three]]},
                   {"session": [three]}, {"permissions_boundary": three}):
        error = limit_error(pe.PolicySet, **kwargs, limits=small)  # type: ignore[arg-type]
        assert error.path == ("Statement", 2)
        pe.PolicySet(**kwargs)  # type: ignore[arg-type]  # fine under the defaults
    request = pe.Request("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*")
    assert pe.PolicySet(identity=[three], limits=Limits(max_statements=3)).authorize(request).allowed


def scenario(statements: int) -> dict:
    return {"request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
                        "resource": "*"},
            "identity_policies": [policy([statement(i) for i in range(statements)])]}


def test_scenario_files(tmp_path: Path) -> None:
    file = tmp_path / "s.json"
    file.write_text(json.dumps(scenario(3), indent=2))
    error = limit_error(simulate_file, file, limits=Limits(max_statements=2))
    assert error.file == str(file) and error.path == ("identity_policies", 0, "Statement", 2)
    assert error.line is not None
    assert simulate_file(file)[0]["decision"] == "allowed"
    assert pe.simulate(scenario(3))["decision"] == "allowed"
    limit_error(pe.simulate, scenario(3), limits=Limits(max_statements=2))

    deep = tmp_path / "deep.yaml"
    deep.write_text("request:\n  context:\n    k: [[[1]]]\n")
    error = limit_error(simulate_file, deep, limits=Limits(max_yaml_depth=3))
    assert isinstance(error, ScenarioError) and (error.line, error.column) == (3, 8)  # 4th level
    with pytest.raises(ScenarioError) as info:  # deep enough now: fails later, for another reason
        simulate_file(deep, limits=Limits(max_yaml_depth=6))
    assert not isinstance(info.value, LimitExceededError)
    yaml_bomb = tmp_path / "bomb.yaml"
    yaml_bomb.write_text("a: " + "[" * (MAX_YAML_DEPTH + 1) + "]" * (MAX_YAML_DEPTH + 1) + "\n")
    error = limit_error(simulate_file, yaml_bomb)
    assert error.line == 1 and error.column == 3 + MAX_YAML_DEPTH  # the mapping is level 1

    deep_json = tmp_path / "deep.json"
    deep_json.write_text('{"request": {"context": {"k": [[1]]}}}')
    error = limit_error(simulate_file, deep_json, limits=Limits(max_depth=3))
    assert (error.line, error.column) == (1, 31)  # the first `[`, the 4th level


def test_environment_files(tmp_path: Path) -> None:
    deep = tmp_path / "env.yaml"
    deep.write_text("users: [[[[x]]]]\n")
    error = limit_error(Environment.load, deep, limits=Limits(max_yaml_depth=3))
    assert isinstance(error, EnvironmentError) and (error.line, error.column) == (1, 10)
    deep_json = tmp_path / "env.json"
    deep_json.write_text('{"users": [[[["x"]]]]}')
    error = limit_error(Environment.load, deep_json, limits=Limits(max_depth=3))
    assert isinstance(error, EnvironmentError) and (error.line, error.column) == (1, 13)
    for file in (deep, deep_json):  # under the default caps: refused for what it is, not for its depth
        with pytest.raises(EnvironmentError) as info:
            Environment.load(file)
        assert not isinstance(info.value, LimitExceededError)


# ---- the AWS managed policies ------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the AWS managed policy corpus is not present")
def test_the_aws_corpus_parses_under_the_defaults() -> None:
    files = sorted(CORPUS.glob("*.json"))
    assert files
    largest = statements = 0
    for file in files:
        document = json.loads(file.read_text(encoding="utf-8"))["PolicyVersion"]["Document"]
        text = document if isinstance(document, str) else json.dumps(document, indent=4)
        largest = max(largest, len(text.encode()))
        statements = max(statements, len(parse_policy(text, file=file.name).statements))
        parse_policy(text, file=file.name, locations=False)
        parse_policy(json.loads(text), file=file.name)
    assert largest < DEFAULT_LIMITS.max_document_bytes and statements < DEFAULT_LIMITS.max_statements


def test_replace_builds_a_custom_limits() -> None:
    custom = replace(DEFAULT_LIMITS, max_statements=1)
    limit_error(parse_policy, policy([statement(0), statement(1)]), limits=custom)
