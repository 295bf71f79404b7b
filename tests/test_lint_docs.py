"""docs/lint.md is generated from the rules' metadata and must match what the generator makes now."""

from __future__ import annotations

import difflib

from policyengine.lint import all_rules
from policyengine.lint.docs import DOC_PATH, REGENERATE, access_analyzer_codes, coverage, generate


def test_docs_lint_md_is_up_to_date() -> None:
    expected = generate()
    current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
    if current != expected:
        diff = "".join(list(difflib.unified_diff(current.splitlines(True), expected.splitlines(True),
                                                 "docs/lint.md", "generated", n=1))[:60])
        raise AssertionError(f"docs/lint.md is stale: run `{REGENERATE}` and commit the result.\n{diff}")


def test_every_rule_is_documented_with_its_example() -> None:
    text = generate()
    for rule in all_rules():
        assert f"### `{rule.code}`" in text, rule.code
        assert rule.learn_more in text, rule.code


def test_access_analyzer_code_list() -> None:
    codes = access_analyzer_codes()
    assert len(codes) == 136 and len({c["code"] for c in codes}) == 136
    assert {c["severity"] for c in codes} == {"ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"}
    rows = coverage()
    ours = {rule.code for rule in all_rules()}
    for entry, by in rows:
        assert by is None or by in ours
    # rules that claim an Access Analyzer code missing from the list are named on the page
    aa = {c["code"] for c in codes}
    newer = [rule.code for rule in all_rules() if rule.access_analyzer and rule.code not in aa]
    text = generate()
    for code in newer:
        assert f"[`{code}`](#{code.lower()})" in text.split("## Access Analyzer coverage")[1]
