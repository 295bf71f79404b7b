"""Caps on input (policyengine/limits.py): each raises a located LIMIT_EXCEEDED at its default and
at a custom value, and raising a cap lets a larger input through."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.cli.main import main
from policyengine.environment import Environment, EnvironmentError
from policyengine.errors import PolicySyntaxError, ScenarioError
from policyengine.limits import DEFAULT_LIMITS, LimitExceededError, Limits
from policyengine.lint import LintConfigError, LintOptions, lint_paths, lint_policy, load_options
from policyengine.lint.runner import LintResult
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


# ---- files: size, and YAML that expands ("billion laughs") ----------------------------------------


def yaml_bomb(levels: int, key: str = "a") -> str:
    """A few hundred bytes of YAML whose aliases expand to 10**levels scalars."""
    lines = [f'{key}0: &{key}0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"{key}{i}: &{key}{i} [" + ",".join([f"*{key}{i - 1}"] * 10) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_file_size_caps_scenario_and_environment_files(tmp_path: Path) -> None:
    file = tmp_path / "s.json"
    file.write_text(json.dumps(scenario(1)))
    size = file.stat().st_size
    error = limit_error(simulate_file, file, limits=Limits(max_file_bytes=size - 1))
    assert isinstance(error, ScenarioError) and error.file == str(file)
    assert f"more than {size - 1:,} bytes (max_file_bytes)" in error.message
    assert simulate_file(file, limits=Limits(max_file_bytes=size))[0]["decision"] == "allowed"
    env = tmp_path / "env.json"
    env.write_text('{"users": []}')
    error = limit_error(Environment.load, env, limits=Limits(max_file_bytes=5))
    assert isinstance(error, EnvironmentError) and error.file == str(env)


@pytest.mark.parametrize("reader", ["scenario", "environment", "lint"])
def test_yaml_aliases_are_counted_as_often_as_they_expand(tmp_path: Path, reader: str) -> None:
    """A 'billion laughs' file (10**9 nodes in ~300 bytes) is refused at max_yaml_nodes, located,
    before anything walks the expansion (an environment file used to hang here)."""
    file = tmp_path / "bomb.yaml"
    file.write_text(yaml_bomb(9))
    if reader == "lint":
        (error,) = lint_paths([file]).errors
        assert isinstance(error, LimitExceededError)
    else:
        load = simulate_file if reader == "scenario" else Environment.load
        error = limit_error(load, file)
    assert "max_yaml_nodes" in error.message and error.file == str(file)
    assert error.line == 6  # the line that crosses 1,000,000 nodes: a5 expands to 10**6
    # a small expansion is fine, and the cap is the caller's to change
    file.write_text(yaml_bomb(2, key="users"))
    small = Limits(max_yaml_nodes=100)
    if reader == "lint":
        (error,) = lint_paths([file], limits=small).errors
    else:
        error = limit_error(load, file, limits=small)
    assert "max_yaml_nodes" in error.message and error.line == 2


# ---- policies inside an environment ---------------------------------------------------------------


def test_environment_policies_are_read_under_its_limits(tmp_path: Path) -> None:
    role = {"arn": "arn:aws:iam::111122223333:role/app", "policies": [policy([statement(0), statement(1)])]}
    inline = tmp_path / "inline.json"
    inline.write_text(json.dumps({"roles": [role]}, indent=2))
    error = limit_error(Environment.load, inline, limits=Limits(max_statements=1))
    assert isinstance(error, EnvironmentError)
    assert error.path == ("roles", 0, "policies", 0, "Statement", 1) and error.line is not None
    Environment.load(inline)  # under the defaults

    (tmp_path / "p.json").write_text(text_of(policy([statement(0), statement(1)])))
    by_file = tmp_path / "by-file.json"
    by_file.write_text(json.dumps({"roles": [{**role, "policies": ["p.json"]}]}))
    error = limit_error(Environment.load, by_file, limits=Limits(max_statements=1))
    assert error.file == str(tmp_path / "p.json") and error.path == ("Statement", 1) and error.line == 10
    error = limit_error(Environment.load, by_file, limits=Limits(max_file_bytes=by_file.stat().st_size))
    assert error.file == str(tmp_path / "p.json") and "max_file_bytes" in error.message


# ---- the linter --------------------------------------------------------------------------------


def lint_error(result: LintResult) -> LimitExceededError:
    (error,) = result.errors
    assert isinstance(error, LimitExceededError) and error.code == "LIMIT_EXCEEDED"
    assert result.exit_code() == 2
    return error


def test_lint_refuses_a_document_over_a_cap_and_lints_the_others(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(text_of(policy([statement(i) for i in range(3)])))
    small = tmp_path / "small.json"
    small.write_text(text_of(policy([statement(0)])))
    result = lint_paths([big, small], limits=Limits(max_statements=2))
    error = lint_error(result)
    assert error.file == str(big) and error.path == ("Statement", 2)
    assert (error.line, error.column) == (16, 5)  # the third statement
    assert result.documents == 2 and {f.file for f in result.findings} <= {str(small)}
    assert lint_paths([big, small]).errors == []

    error = lint_error(lint_paths([big], limits=Limits(max_pattern_length=5)))
    assert error.path == ("Statement", 0, "Action") and error.line == 7
    error = lint_error(lint_paths([big], limits=Limits(max_document_bytes=100)))
    assert "without whitespace" in error.message and (error.line, error.column) == (1, 1)


def test_lint_locates_refused_documents_inside_templates_and_text(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n"
        "  Small:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}\n"
        "  Large:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      PolicyDocument:\n"
        "        Version: '2012-10-17'\n"
        "        Statement:\n"
        "          - {Effect: Allow, Action: s3:GetObject, Resource: '*'}\n"
        "          - {Effect: Allow, Action: s3:PutObject, Resource: '*'}\n"
    )
    result = lint_paths([template], limits=Limits(max_statements=1))
    error = lint_error(result)
    assert error.path == ("Statement", 1) and (error.line, error.column) == (13, 13)
    assert result.documents == 2

    # a policy stored as JSON text in a file: located at the string
    stored = tmp_path / "get-policy-version.json"
    document = text_of(policy([statement(0), statement(1)]), indent=None)
    stored.write_text(json.dumps({"PolicyVersion": {"Document": document, "VersionId": "v1"}}, indent=2))
    error = lint_error(lint_paths([stored], limits=Limits(max_statements=1)))
    assert (error.line, error.column) == (3, 5) and error.path == ("Statement", 1)  # the `Document` member


def test_lint_file_caps_and_yaml_depth_are_input_errors(tmp_path: Path) -> None:
    file = tmp_path / "p.json"
    file.write_text(text_of(policy([statement(0)])))
    error = lint_error(lint_paths([file], limits=Limits(max_file_bytes=10)))
    assert error.file == str(file) and "max_file_bytes" in error.message
    deep = tmp_path / "deep.yaml"
    deep.write_text("Statement: [[[[x]]]]\n")
    error = lint_error(lint_paths([deep], limits=Limits(max_yaml_depth=3)))
    assert (error.line, error.column) == (1, 14) and "max_yaml_depth" in error.message
    error = lint_error(lint_paths([file], limits=Limits(max_depth=2)))
    assert error.line is not None


def test_lint_counts_document_size_in_utf8_bytes(tmp_path: Path) -> None:
    """A document inside a file is counted without whitespace, in UTF-8 bytes: 100 three-byte
    characters are 300 bytes."""
    file = tmp_path / "template.json"
    doc = policy([{**statement(0), "Sid": "S" + "\u20ac" * 100}])
    file.write_text(json.dumps({"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy",
                                                     "Properties": {"PolicyDocument": doc}}}}))
    size = len(json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode())
    error = lint_error(lint_paths([file], limits=Limits(max_document_bytes=size - 1)))
    assert f"is {size:,} bytes without whitespace" in error.message and error.line == 1
    assert lint_paths([file], limits=Limits(max_document_bytes=size)).errors == []


def test_lint_policy_text_over_a_cap_is_located_in_the_text() -> None:
    text = text_of(policy([statement(0), statement(1)]))
    error = lint_error(lint_policy(text, options=LintOptions(limits=Limits(max_statements=1))))
    assert error.path == ("Statement", 1) and error.line == 10
    error = lint_error(lint_policy(text, options=LintOptions(limits=Limits(max_document_bytes=50))))
    assert error.line is not None and "max_document_bytes" in error.message


def test_a_large_single_policy_is_refused_by_default_not_linted(tmp_path: Path) -> None:
    """Over the 1 MiB default, a policy is refused (located) instead of running every rule over it."""
    file = tmp_path / "large.json"
    file.write_text(text_of(policy([statement(i, f"arn:aws:s3:::bucket-{i}/*") for i in range(12_000)])))
    error = lint_error(lint_paths([file]))
    assert "max_document_bytes" in error.message and (error.line, error.column) == (1, 1)
    # the same refusal, located the same, when the file is not read as one policy (--select)
    error = lint_error(lint_paths([file], select="@"))
    assert "max_document_bytes" in error.message and (error.line, error.column) == (1, 1)
    assert lint_paths([file], limits=Limits(max_document_bytes=2**21, max_statements=12_000)).errors == []


def test_lint_limits_from_pyproject_and_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "p.json"
    file.write_text(text_of(policy([statement(0), statement(1)])))
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.policyengine.lint.limits]\nmax_statements = 1\n")
    assert load_options(config).limits == Limits(max_statements=1)
    assert load_options(config, limits={"max_depth": 9}).limits == Limits(max_statements=1, max_depth=9)
    assert main(["lint", str(file), "--config", str(config)]) == 2
    assert f"{file}:10:5: the document has 2 statements" in capsys.readouterr().err
    assert main(["lint", str(file), "--config", str(config), "--limit", "max_statements=5"]) == 0

    config.write_text("[tool.policyengine.lint.limits]\nmax_statement = 1\n")
    with pytest.raises(LintConfigError, match="did you mean `max_statements`"):
        load_options(config)
    config.write_text("[tool.policyengine.lint]\nlimits = {max_statements = 0}\n")
    with pytest.raises(LintConfigError, match="positive integer"):
        load_options(config)


@pytest.mark.parametrize("argv", [
    ["simulate", "{scenario}"],
    ["check", "invoke", "{env}", "--caller", "arn:aws:iam::111122223333:user/alice",
     "--function", "arn:aws:lambda:us-east-1:111122223333:function:f"],
])
def test_every_verb_takes_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    scenario_file = tmp_path / "s.json"
    scenario_file.write_text(json.dumps(scenario(3)))
    env = tmp_path / "env.json"
    env.write_text('{"users": []}')
    argv = [a.format(scenario=scenario_file, env=env) for a in argv]
    assert main([*argv, "--limit", "max_file_bytes=5"]) == 2
    assert "max_file_bytes" in capsys.readouterr().err


@pytest.mark.parametrize("value,words", [
    ("max_statments=3", "did you mean `max_statements`"),
    ("max_statements", "is not NAME=VALUE"),
    ("max_statements=0", "positive integer"),
    ("max_statements=many", "positive integer"),
])
def test_bad_limit_is_a_usage_error(value: str, words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "p.json", "--limit", value]) == 2
    assert words in capsys.readouterr().err
