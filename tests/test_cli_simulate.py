"""`policyengine simulate`: scenario files in, decisions out, exit codes for CI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import policyengine as pe
from policyengine.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
A = "111122223333"


def write(tmp_path: Path, name: str, value: object) -> Path:
    path = tmp_path / name
    path.write_text(value if isinstance(value, str) else json.dumps(value, indent=2), encoding="utf-8")
    return path


def scenario(expect: str | None = "allowed", **extra: object) -> dict[str, object]:
    out: dict[str, object] = {
        "name": "reads reports",
        "request": {"principal": f"arn:aws:iam::{A}:user/alice", "action": "s3:GetObject",
                    "resource": "arn:aws:s3:::reports/q1.csv", "resource_account": A},
        "identity_policies": [{"Version": "2012-10-17", "Statement": [
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}],
        **extra,
    }
    if expect is not None:
        out["expect"] = expect
    return out


def test_bundled_examples_all_meet_their_expectations(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(EXAMPLES) >= 10
    assert main(["simulate", *map(str, EXAMPLES), "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["passed"] for r in results] == [True] * len(EXAMPLES)
    assert {r["decision"] for r in results} == {"allowed", "explicitDeny", "implicitDeny"}


def test_json_output_has_the_documented_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "s.json", scenario())
    assert main(["simulate", str(path), "--format", "json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert {"name", "decision", "expected", "reasons", "matched_statements", "missing_context_keys"} <= set(result)
    assert result["name"] == "reads reports"
    (statement,) = result["matched_statements"]
    assert (statement["sid"], statement["file"], statement["line"], statement["deciding"]) == (
        "Read", str(path), 13, True)


def test_failed_expectation_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "s.json", scenario(expect="explicitDeny"))
    assert main(["simulate", str(path)]) == 1
    assert "expected explicitDeny" in capsys.readouterr().out


def test_name_defaults_to_the_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    value = scenario(expect=None)
    del value["name"]
    path = write(tmp_path, "reads.json", value)
    assert main(["simulate", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == "reads.json"


def test_policy_paths_are_relative_to_the_scenario_file(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    write(tmp_path, "policies/read.json", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
    path = write(tmp_path, "s.json", scenario(identity_policies=["policies/read.json"]))
    result, decision = pe.simulate_file(path)
    assert result["passed"] is True
    assert decision.deciding_statements[0].file == str(tmp_path / "policies" / "read.json")


def test_yaml_scenarios_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", f"""
name: yaml scenario
request:
  principal: arn:aws:iam::{A}:user/alice
  action: s3:GetObject
  resource: arn:aws:s3:::reports/q1.csv
  context:
    aws:MultiFactorAuthPresent: true
identity_policies:
  - Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: s3:GetObject
        Resource: "*"
        Condition:
          Bool:
            aws:MultiFactorAuthPresent: "true"
expect: allowed
""")
    assert main(["simulate", str(path)]) == 0


def test_syntax_error_exits_2_with_its_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bad.json", '{\n  "request": {"principal": "*", "action": "s3:GetObject",}\n}')
    assert main(["simulate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:2:")


def test_invalid_inline_policy_is_located_in_the_scenario_file(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    value = scenario()
    value["identity_policies"] = [{"Version": "2012-10-17", "Statement": [{"Action": "s3:*", "Resource": "*"}]}]
    path = write(tmp_path, "s.json", value)
    assert main(["simulate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err and "Effect" in err


def test_unknown_scenario_key_is_an_error_not_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "s.json", scenario(identity_policy=[]))
    assert main(["simulate", str(path)]) == 2
    assert "unknown scenario key `identity_policy`" in capsys.readouterr().err


def test_explain_lists_every_statement(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    value = scenario()
    value["identity_policies"][0]["Statement"].append(  # type: ignore[index]
        {"Sid": "Write", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"})
    path = write(tmp_path, "s.json", value)
    assert main(["simulate", str(path), "--explain", "--format", "json"]) == 0
    trace = json.loads(capsys.readouterr().out)[0]["trace"]
    assert [(t["sid"], t["matched"], t["failed_element"]) for t in trace] == [
        ("Read", True, None), ("Write", False, "action")]


def test_text_output_names_decision_and_deciding_statement(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "s.json", scenario())
    assert main(["simulate", str(path), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "reads reports: allowed" in out
    assert "deciding: Allow identity_policies[0] statement 0 `Read`" in out
    assert "1 passed, 0 failed" in out


def test_simulate_dict_api_is_json_in_json_out() -> None:
    result = pe.simulate(scenario())
    assert json.loads(json.dumps(result))["decision"] == "allowed"


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
