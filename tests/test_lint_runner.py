"""The lint runner and its outputs: options, suppression, exit codes, JSON, SARIF and text."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import jsonschema
import pytest
from rich.console import Console

from policyengine.cli import render_lint
from policyengine.cli.main import main
from policyengine.lint import LintConfigError, LintOptions, Severity, lint_paths, lint_policy, load_options
from policyengine.lint import checks as checks_module
from policyengine.lint.document import LintDocument
from policyengine.lint.finding import Finding
from policyengine.lint.rules import Rule
from policyengine.lint.runner import LintResult, _minified_length, lint_targets, reported_rules
from policyengine.lint.sarif import LEVELS, to_sarif

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
FINDING_KEYS = {"file", "document", "path", "line", "column", "code", "severity", "message", "learn_more",
                "policy_type"}

GOOD = {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
# Only a WARNING: no Version.
WARNING_ONLY = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
# Two parse errors in two statements.
BROKEN = {"Version": "2012-10-17", "Statement": [
    {"Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"},
]}


def write(tmp_path: Path, name: str, value: Any) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value if isinstance(value, str) else json.dumps(value, indent=2), encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code, out, _ = run([*argv, "--format", "json"], capsys)
    return code, json.loads(out)


@dataclass
class Target:
    """A document given directly, with the fields of inputs.LintTarget the runner reads."""

    value: Any
    file: str | None = "doc.json"
    document_path: tuple = ()
    locations: dict | None = None
    policy_type: str | None = "identity"
    policy_type_reason: str = ""
    resource_kind: str | None = None
    ignores: dict | None = None
    label: str = "policy"
    text_positions: bool = True  # a str value is the whole file (False: a string inside a file)


@pytest.fixture
def extra_rules(monkeypatch: pytest.MonkeyPatch):
    """Register extra rules for one test (all_rules() reads checks.RULES on each call)."""

    def add(*rules: Rule) -> None:
        monkeypatch.setattr(checks_module, "RULES", checks_module.RULES + rules)

    return add


def _rule(code: str, check, severity: Severity = Severity.WARNING) -> Rule:
    return Rule(code=code, severity=severity, summary="test rule", learn_more="test only", check=check)


# -- JSON --------------------------------------------------------------------------------------


def test_json_output_has_the_stable_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", BROKEN)
    code, data = run_json([str(path)], capsys)
    assert code == 1
    assert set(data) == {"findings", "summary"}
    assert data["findings"], data
    for finding in data["findings"]:
        assert set(finding) == FINDING_KEYS
        assert finding["file"] == str(path)
        assert isinstance(finding["path"], list) and isinstance(finding["document"], list)
        assert finding["severity"] in {s.value for s in Severity}
    summary = data["summary"]
    assert summary["by_severity"]["ERROR"] == 2
    assert set(summary["by_severity"]) == {"ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"}
    assert summary["files"] == 1 and summary["documents"] == 1
    assert summary["exit_code"] == 1 and summary["fail_on"] == "ERROR"
    assert summary["errors"] == []


def test_parse_errors_are_findings_with_their_own_codes_and_positions(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", BROKEN)
    _, data = run_json([str(path)], capsys)
    by_code = {f["code"]: f for f in data["findings"]}
    assert by_code["MISSING_EFFECT"]["path"] == ["Statement", 0]
    assert (by_code["MISSING_EFFECT"]["line"], by_code["MISSING_EFFECT"]["column"]) == (4, 5)
    assert by_code["INVALID_EFFECT"]["path"] == ["Statement", 1, "Effect"]
    assert by_code["INVALID_EFFECT"]["line"] == 9
    assert "write `Allow`" in by_code["INVALID_EFFECT"]["message"]  # the parser's help is part of it
    assert by_code["INVALID_EFFECT"]["learn_more"]


def test_syntax_error_is_a_located_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", '{\n  "Version": "2012-10-17",\n  "Statement": []\n  "Id": "x"\n}\n')
    code, data = run_json([str(path)], capsys)
    assert code == 1
    [finding] = data["findings"]
    assert finding["code"] == "SYNTAX_ERROR" and finding["severity"] == "ERROR"
    assert (finding["line"], finding["column"]) == (4, 3)


# -- exit codes and filtering --------------------------------------------------------------------


@pytest.mark.parametrize(("fail_on", "expected"), [
    ("error", 0), ("security_warning", 0), ("warning", 1), ("suggestion", 1),
])
def test_fail_on_decides_the_exit_code_only(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            fail_on: str, expected: int) -> None:
    path = write(tmp_path, "p.json", WARNING_ONLY)
    code, data = run_json([str(path), "--fail-on", fail_on], capsys)
    assert code == expected
    assert [f["code"] for f in data["findings"]] == ["MISSING_VERSION"]  # printed whatever --fail-on says


def test_clean_policy_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run_json([str(write(tmp_path, "p.json", GOOD)), "--fail-on", "suggestion"], capsys)
    assert (code, data["findings"]) == (0, [])


def test_ignore_removes_findings_and_counts_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", BROKEN)
    code, data = run_json([str(path), "--ignore", "MISSING_EFFECT", "--ignore", "invalid_effect,"], capsys)
    assert (code, data["findings"]) == (0, [])
    assert data["summary"]["suppressed"] == 2


def test_unknown_ignore_code_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(write(tmp_path, "p.json", GOOD)), "--ignore", "MISSING_EFECT"], capsys)
    assert code == 2 and out == ""
    assert "unknown finding code `MISSING_EFECT`" in err and "MISSING_EFFECT" in err


def test_min_severity_hides_less_severe_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", WARNING_ONLY)
    code, data = run_json([str(path), "--min-severity", "error", "--fail-on", "warning"], capsys)
    assert (code, data["findings"]) == (0, [])  # hidden findings cannot fail the run
    assert data["summary"]["hidden_below_min_severity"] == 1


def test_unreadable_path_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(tmp_path / "missing.json"), str(write(tmp_path, "p.json", GOOD))], capsys)
    assert code == 2
    assert "missing.json" in err


def test_files_without_policies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "repo/package.json", {"name": "x", "version": "1.0.0"})
    write(tmp_path, "repo/p.json", GOOD)
    code, out, err = run([str(tmp_path / "repo")], capsys)  # met while walking a folder: skipped
    assert (code, err) == (0, "")
    assert f"note: skipped 1 file that holds no policy: {tmp_path / 'repo' / 'package.json'}" in out
    code, data = run_json([str(tmp_path / "repo")], capsys)
    assert data["summary"]["skipped"][0]["code"] == "NO_POLICY_FOUND" and data["summary"]["errors"] == []
    code, _, err = run([str(tmp_path / "repo" / "package.json")], capsys)  # named: an error
    assert code == 2 and "package.json" in err


def test_bad_select_expression_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([str(write(tmp_path, "p.json", GOOD)), "--select", "Statement[?"], capsys)
    assert code == 2 and err


def test_usage_error_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "p.json", "--fail-on", "fatal"]) == 2
    assert main(["lint"]) == 2
    capsys.readouterr()


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(BROKEN, indent=2)))
    code, data = run_json(["-"], capsys)
    assert code == 1
    assert {f["code"] for f in data["findings"]} == {"MISSING_EFFECT", "INVALID_EFFECT"}
    assert all(f["line"] for f in data["findings"])


def test_stdin_bytes_that_are_not_utf8(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"Version": "\xff"}')))
    code, data = run_json(["-"], capsys)
    [finding] = data["findings"]
    assert code == 1 and finding["code"] == "SYNTAX_ERROR" and finding["file"] == "<stdin>"
    assert "UTF-8" in finding["message"]


# -- suppression -----------------------------------------------------------------------------------


def test_pyproject_settings_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "legacy/old.json", WARNING_ONLY)
    write(tmp_path, "new/p.json", WARNING_ONLY)
    write(tmp_path, "pyproject.toml", '[tool.policyengine.lint]\nfail-on = "warning"\n\n'
          '[tool.policyengine.lint.per-file-ignores]\n"legacy/*.json" = ["MISSING_VERSION"]\n')
    monkeypatch.chdir(tmp_path)
    code, data = run_json(["legacy", "new"], capsys)
    assert code == 1  # fail-on from the config
    assert [f["file"] for f in data["findings"]] == [str(Path("new") / "p.json")]
    assert data["summary"]["suppressed"] == 1
    # --config from elsewhere, and per-file globs relative to that pyproject.toml
    monkeypatch.chdir(tmp_path / "new")
    code, data = run_json([str(tmp_path / "legacy"), "--config", str(tmp_path / "pyproject.toml")], capsys)
    assert (code, data["findings"]) == (0, [])


def test_pyproject_is_found_upwards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "pyproject.toml", '[tool.policyengine.lint]\nignore = ["MISSING_VERSION"]\n'
          'min-severity = "warning"\npolicy-type = "trust"\n')
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    options = load_options(ignore=["OLD_VERSION"], fail_on="suggestion")
    assert options.ignore == {"MISSING_VERSION", "OLD_VERSION"}  # the command line adds codes
    assert options.min_severity is Severity.WARNING and options.fail_on is Severity.SUGGESTION
    assert options.policy_type == "trust"
    assert options.root == str(tmp_path.resolve())


def test_no_pyproject_table_means_defaults(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    options = load_options(tmp_path)
    assert options == LintOptions(root=str(tmp_path.resolve()))


@pytest.mark.parametrize(("table", "message"), [
    ('ignore = ["MISSING_VERSION"]\nfail_on = "warning"', "unknown key `fail_on`"),
    ('severity = "warning"', "unknown key `severity`"),
    ('ignore = "MISSING_VERSION"\nfail-on = 3', "`fail-on` must be a string"),
    ('fail-on = "fatal"', "is not a severity"),
    ('policy-type = "session"', "is not a policy type"),
    ('ignore = ["NOT_A_CODE"]', "unknown finding code `NOT_A_CODE`"),
    ('ignore = [1]', "must be a list of finding codes"),
    ('per-file-ignores = ["a"]', "must be a table"),
])
def test_bad_config_is_an_error(tmp_path: Path, table: str, message: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    config = write(tmp_path, "pyproject.toml", f"[tool.policyengine.lint]\n{table}\n")
    with pytest.raises(LintConfigError, match=re.escape(message)):
        load_options(config)
    code, out, err = run([str(write(tmp_path, "p.json", GOOD)), "--config", str(config)], capsys)
    assert code == 2 and out == "" and message in err


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LintConfigError, match="does not exist"):
        load_options(tmp_path / "nope.toml")


def test_invalid_toml_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LintConfigError, match="not valid TOML"):
        load_options(write(tmp_path, "pyproject.toml", "[tool.policyengine.lint\n"))


def test_inline_ignores_by_line() -> None:
    text = json.dumps(WARNING_ONLY, indent=2)
    target = Target(value=text, ignores={1: {"MISSING_VERSION"}})
    result = lint_targets([target])
    assert (result.findings, result.suppressed) == ([], 1)
    target = Target(value=text, ignores={2: {"MISSING_VERSION"}})  # another line: not suppressed
    assert [f.code for f in lint_targets([target]).findings] == ["MISSING_VERSION"]


def test_inline_ignore_comment_in_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ("Statement:\n"
            "  - Effect: Allow\n"
            "    Action: s3:GetObject\n"
            "    Resource: arn:aws:s3:::reports/*\n")
    path = write(tmp_path, "p.yaml", text)
    _, data = run_json([str(path)], capsys)
    [finding] = data["findings"]
    assert finding["code"] == "MISSING_VERSION"
    ignored = text.replace("Statement:\n", f"Statement:  # policyengine: ignore {finding['code']}\n", 1)
    if finding["line"] != 1:
        lines = text.splitlines()
        lines[finding["line"] - 1] += f"  # policyengine: ignore {finding['code']}"
        ignored = "\n".join(lines) + "\n"
    path.write_text(ignored, encoding="utf-8")
    code, data = run_json([str(path), "--fail-on", "warning"], capsys)
    assert (code, data["findings"], data["summary"]["suppressed"]) == (0, [], 1)


# -- the runner ------------------------------------------------------------------------------------


def test_findings_are_deduplicated(extra_rules) -> None:
    def twice(doc: LintDocument) -> Iterable[Finding]:
        yield doc.finding("TEST_TWICE", ("Statement", 0, "Action"), "same place, same code")
        yield doc.finding("TEST_TWICE", ("Statement", 0, "Action"), "same place, same code, other words")
        yield doc.finding("TEST_TWICE", ("Statement", 0, "Resource"), "another place")

    extra_rules(_rule("TEST_TWICE", twice))
    findings = lint_policy(json.dumps(GOOD, indent=2), "identity").findings
    assert [(f.code, f.path[-1]) for f in findings] == [("TEST_TWICE", "Action"), ("TEST_TWICE", "Resource")]
    assert findings[0].message == "same place, same code"


def test_a_rule_that_raises_is_reported_and_the_others_still_run(extra_rules) -> None:
    def broken(doc: LintDocument) -> Iterable[Finding]:
        raise ZeroDivisionError("division by zero")

    extra_rules(_rule("TEST_BROKEN", broken))
    result = lint_policy(json.dumps(WARNING_ONLY, indent=2), "identity", file="p.json")
    by_code = {f.code: f for f in result.findings}
    assert set(by_code) == {"LINT_RULE_ERROR", "MISSING_VERSION"}
    error = by_code["LINT_RULE_ERROR"]
    assert error.severity is Severity.ERROR and "TEST_BROKEN" in error.message
    assert "division by zero" in error.message and (error.line, error.column) == (1, 1)
    assert error.extra["rule"] == "TEST_BROKEN"
    assert result.exit_code() == 1


def test_rules_only_run_for_their_policy_types(extra_rules) -> None:
    seen: list[str] = []

    def record(doc: LintDocument) -> Iterable[Finding]:
        seen.append(doc.policy_type)
        return ()

    rule = Rule(code="TEST_TRUST_ONLY", severity=Severity.WARNING, summary="s", learn_more="l", check=record,
                policy_types=frozenset({"trust"}))
    extra_rules(rule)
    lint_policy(GOOD, "identity")
    lint_policy(GOOD, "trust")
    assert seen == ["trust"]


def test_document_gets_type_size_and_where_it_is(extra_rules) -> None:
    seen: list[LintDocument] = []
    extra_rules(_rule("TEST_SEE", lambda doc: seen.append(doc) or ()))
    text = '{"Version": "2012-10-17",\n "Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}'
    target = Target(value=text, file="t.json", policy_type="resource", resource_kind="s3:bucket")
    lint_targets([target])
    [doc] = seen
    assert (doc.policy_type, doc.file, doc.document_path, doc.resource_kind) == ("resource", "t.json", (),
                                                                                  "s3:bucket")
    assert doc.size == len(text.replace(" ", "").replace("\n", ""))  # no blanks inside its strings
    assert doc.raw["Statement"]["Action"] == "s3:Get*"
    # a dict value with re-rooted locations
    seen.clear()
    locations = {(): (10, 5), ("Statement",): (11, 7), ("Statement", 0): (11, 20)}
    lint_targets([Target(value={"Statement": [{"Effect": "Deny", "Action": "*"}]}, document_path=("Policy",),
                         locations=locations)])
    assert seen[0].size == len('{"Statement":[{"Effect":"Deny","Action":"*"}]}')
    assert seen[0].policy.location_of(("Statement", 0, "Effect")) == (11, 20)


def test_errors_in_an_embedded_document_point_into_the_file() -> None:
    locations = {(): (10, 5), ("Statement",): (11, 7), ("Statement", 0): (12, 9)}
    target = Target(value={"Version": "2012-10-17", "Statement": [{"Action": "*", "Resource": "*"}]},
                    document_path=("Resources", "Role", "Properties", "PolicyDocument"), locations=locations)
    [finding] = lint_targets([target]).findings
    assert (finding.code, finding.line, finding.column) == ("MISSING_EFFECT", 12, 9)
    assert finding.document == ("Resources", "Role", "Properties", "PolicyDocument")


def test_embedded_json_text_is_located_at_its_string() -> None:
    text = '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}'
    target = Target(value=text, document_path=("Properties", "PolicyDocument"),
                    locations={(): (7, 20)}, text_positions=False)
    findings = lint_targets([target]).findings
    assert {(f.line, f.column) for f in findings} == {(7, 20)}
    assert "MISSING_VERSION" in {f.code for f in findings}
    broken = Target(value="{", document_path=("Properties", "PolicyDocument"), locations={(): (7, 20)},
                    text_positions=False)
    [finding] = lint_targets([broken]).findings
    assert (finding.code, finding.line, finding.column) == ("SYNTAX_ERROR", 7, 20)


def test_policy_type_override_and_inference_notes() -> None:
    targets = [Target(value=GOOD, policy_type="trust", policy_type_reason="inferred: statements name principals",
                      file="a.json"),
               Target(value=GOOD, policy_type="identity", file="b.json"),
               Target(value=GOOD, policy_type=None, file="c.json", label="MyRole trust policy")]
    result = lint_targets(targets)
    assert [str(n) for n in result.inferred] == [
        "a.json: policy linted as a trust policy (inferred: statements name principals)",
        "c.json: MyRole trust policy linted as an identity policy (its type is unknown)",
    ]
    assert {f.policy_type for f in result.findings} <= {"trust", "identity"}
    forced = lint_targets(targets, LintOptions(policy_type="scp"))
    assert forced.inferred == [] and {f.policy_type for f in forced.findings} <= {"scp"}


def test_findings_are_sorted_by_file_and_position() -> None:
    targets = [Target(value=json.dumps(BROKEN, indent=2), file="b.json"),
               Target(value=json.dumps(BROKEN, indent=2), file="a.json")]
    findings = lint_targets(targets).findings
    keys = [(f.file, f.line, f.column) for f in findings]
    assert keys == sorted(keys) and keys[0][0] == "a.json"


def test_minified_length_counts_like_aws() -> None:
    assert _minified_length('{ "a" : "b c",\n\t"d": [ 1, 2 ] }') == len('{"a":"b c","d":[1,2]}')
    assert _minified_length('{"a": "x\\" y"}') == len('{"a":"x\\" y"}')


def test_library_facade(tmp_path: Path) -> None:
    path = write(tmp_path, "p.json", WARNING_ONLY)
    result = lint_paths([path], fail_on="warning")
    assert [f.code for f in result.findings] == ["MISSING_VERSION"]
    assert result.exit_code() == 1 and result.exit_code("error") == 0
    assert lint_paths([path], ignore=["MISSING_VERSION"]).findings == []
    with pytest.raises(LintConfigError):
        lint_paths([path], fail_on="sometimes")


# -- SARIF -------------------------------------------------------------------------------------------


def _sarif_result(tmp_path: Path) -> LintResult:
    write(tmp_path, "pol icy.json", BROKEN)
    write(tmp_path, "warn.json", WARNING_ONLY)
    result = lint_paths([tmp_path / "pol icy.json", tmp_path / "warn.json", tmp_path / "missing.json"])
    stdin_finding = lint_targets([Target(value=WARNING_ONLY, file="-")]).findings
    result.findings.extend(stdin_finding)
    return result


def test_sarif_validates_against_the_official_schema(tmp_path: Path) -> None:
    result = _sarif_result(tmp_path)
    log = to_sarif(result, cwd=tmp_path)
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif_content(tmp_path: Path) -> None:
    result = _sarif_result(tmp_path)
    log = to_sarif(result, cwd=tmp_path)
    [run_] = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in reported_rules()]
    assert run_["tool"]["driver"]["name"] == "policyengine"
    by_id = {r["id"]: r for r in rules}
    assert by_id["MISSING_EFFECT"]["defaultConfiguration"]["level"] == "error"
    assert by_id["MISSING_VERSION"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["MISSING_EFFECT"]["shortDescription"]["text"]
    security = [r for r in rules if r["properties"]["severity"] == "SECURITY_WARNING"]
    for rule in security:
        assert rule["defaultConfiguration"]["level"] == "warning"
        assert "security" in rule["properties"]["tags"] and rule["properties"]["security-severity"] == "7.5"
    results = run_["results"]
    assert len(results) == len(result.findings)
    for item, finding in zip(results, result.findings):
        assert item["ruleId"] == finding.code
        assert rules[item["ruleIndex"]]["id"] == finding.code
        assert item["level"] == LEVELS[finding.severity]
        assert item["message"]["text"] == finding.message
    effect = next(r for r in results if r["ruleId"] == "MISSING_EFFECT")
    physical = effect["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "pol%20icy.json"
    assert physical["region"] == {"startLine": 4, "startColumn": 5}
    assert effect["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "Statement[0]"
    from_stdin = results[-1]
    assert "physicalLocation" not in from_stdin["locations"][0]
    [invocation] = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "missing.json" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_format_from_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "p.json", BROKEN)
    code, out, _ = run(["p.json", "--format", "sarif"], capsys)
    log = json.loads(out)
    assert code == 1 and log["version"] == "2.1.0"
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"p.json"}


# -- text --------------------------------------------------------------------------------------------

LINE = re.compile(r"^(?P<where>\S+:\d+:\d+)  (?P<severity>[A-Z_]+)  (?P<code>[A-Z_]+)  (?P<message>.+)$")


def test_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "p.json", BROKEN)
    code, out, err = run([str(path)], capsys)
    assert code == 1 and err == ""
    lines = out.splitlines()
    first = LINE.match(lines[0])
    assert first, lines[0]
    assert first["where"] == f"{path}:4:5" and first["severity"] == "ERROR" and first["code"] == "MISSING_EFFECT"
    assert LINE.match(lines[1])["code"] == "INVALID_EFFECT"
    assert not any(" | " in line for line in lines), "no code frame when stdout is not a terminal"
    assert lines[2].startswith("2 findings (2 errors, 0 security warnings, 0 warnings, 0 suggestions) in 1 file")


def test_text_output_code_frame_on_a_terminal(tmp_path: Path) -> None:
    path = write(tmp_path, "p.json", BROKEN)
    result = lint_paths([path])
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system=None, width=200)
    render_lint.lint_result(result, out=console)
    text = buffer.getvalue()
    lines = text.splitlines()
    assert LINE.match(lines[0])
    # lines 2..6 around line 4, the offending one marked, a caret under column 5
    assert re.match(r"^\s+2 \| ", lines[1])
    marked = [line for line in lines if line.lstrip().startswith(">")]
    assert marked[0].split("|", 1)[1].strip() == "{" and " 4 |" in marked[0]
    caret = lines[lines.index(marked[0]) + 1]
    assert caret.index("^") == marked[0].index("{")
    assert "= " in text  # the learn-more line


def test_text_output_notes_inferred_types() -> None:
    targets = [Target(value=GOOD, policy_type="trust", policy_type_reason="statements name principals",
                      file=f"{n}.json") for n in "abcd"]
    targets.append(Target(value=GOOD, policy_type="scp", policy_type_reason="an Organizations policy",
                          file="e.json", label="policy p-1"))
    buffer = io.StringIO()
    render_lint.lint_result(lint_targets(targets), out=Console(file=buffer, width=300))
    text = buffer.getvalue()
    assert "note: 4 documents linted as a trust policy (statements name principals): a.json, b.json, c.json, ..." \
        in text
    assert "note: e.json: policy p-1 linted as an SCP (an Organizations policy)" in text


# -- the AWS managed policy corpus ---------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "aws-managed-policies"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the AWS managed policy corpus is not beside the checkout")
def test_corpus_lints_without_a_crash() -> None:
    result = lint_paths([CORPUS])
    assert result.errors == [] and result.skipped == []
    assert result.documents == len(list(CORPUS.glob("*.json")))
    crashes = [f"{f.file}: {f.message}" for f in result.findings if f.code == "LINT_RULE_ERROR"]
    assert not crashes, "\n".join(crashes[:10])
    assert not [f for f in result.findings if f.line is None], "every finding is located"
