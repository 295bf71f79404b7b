"""Every lint rule flags its own example and not its near miss (the metadata docs/lint.md shows).

The examples are linted both as the dict the rule declares and as the JSON text docs/lint.md
prints (with positions), each as the rule's `example_policy_type`. The parser's rules
(checks/syntax.py) keep their examples as text, since some are not JSON objects.
"""

from __future__ import annotations

import json

import pytest

from policyengine.lint import Severity, all_rules, lint_policy
from policyengine.lint.checks.syntax import TEXT_EXAMPLES
from policyengine.lint.docs import example_texts
from policyengine.lint.rules import POLICY_TYPES, Rule

RULES = all_rules()


def _codes(value: object, rule: Rule) -> list[str]:
    return [f.code for f in lint_policy(value, rule.example_policy_type,
                                        resource_kind=rule.example_resource_kind).findings]


def test_there_are_rules() -> None:
    assert len(RULES) >= 16
    assert len({rule.code for rule in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_metadata(rule: Rule) -> None:
    assert rule.code == rule.code.upper() and " " not in rule.code
    assert isinstance(rule.severity, Severity)
    assert rule.summary.strip() and "\n" not in rule.summary, "the summary is one line"
    assert rule.learn_more.strip(), "a learn-more sentence tells why it matters and how to fix it"
    assert rule.example_policy_type in POLICY_TYPES
    assert rule.applies_to(rule.example_policy_type), "the example must be linted as a type the rule applies to"
    example, near_miss = example_texts(rule)
    assert example is not None, f"{rule.code} has no example policy"
    assert near_miss is not None, f"{rule.code} has no near miss"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_example_is_flagged_and_near_miss_is_not(rule: Rule) -> None:
    example, near_miss = example_texts(rule)
    assert example is not None and near_miss is not None
    assert rule.code in _codes(example, rule), f"{rule.code} does not flag its example"
    assert rule.code not in _codes(near_miss, rule), f"{rule.code} flags its near miss"
    if rule.code not in TEXT_EXAMPLES:  # the dict form too (no positions)
        assert rule.code in _codes(rule.example, rule)
        assert rule.code not in _codes(rule.near_miss, rule)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_example_findings_are_located(rule: Rule) -> None:
    example, _ = example_texts(rule)
    assert example is not None
    found = [f for f in lint_policy(example, rule.example_policy_type, file="example.json",
                                    resource_kind=rule.example_resource_kind).findings
             if f.code == rule.code]
    assert found
    for finding in found:
        assert finding.line is not None and finding.column is not None, finding
        assert finding.severity is rule.severity or finding.code == "LINT_RULE_ERROR"
        assert finding.message.strip(), finding


def test_syntax_examples_cover_every_parser_code_they_claim() -> None:
    for code, (example, near_miss) in TEXT_EXAMPLES.items():
        assert any(rule.code == code for rule in RULES), code
        if code not in ("SYNTAX_ERROR", "INVALID_DOCUMENT"):
            json.loads(example)  # every other example is a JSON object the parser refuses
        json.loads(near_miss)
