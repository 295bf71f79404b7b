"""The policy-variable and Sid rules: variable syntax (one code per malformed variable),
variables in elements that never substitute them, and Sid characters per policy type.

Each case is a policy, the codes of these rules it produces and where. The variable scanner
is also held against the evaluator's own grammar: every text the evaluator refuses gets a
code, and a text it accepts gets none, except for the spaces around a key that Access
Analyzer refuses and the evaluator tolerates.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from policyengine.evaluation.variables import TemplateSyntaxError, parse_template
from policyengine.lint.checks.conditions.variables import variable_problems
from policyengine.lint.runner import lint_policy

CODES = frozenset({
    "EMPTY_VARIABLE", "MISSING_BRACE_IN_VARIABLE", "MISSING_QUOTE_IN_VARIABLE",
    "UNSUPPORTED_SYMBOL_IN_VARIABLE", "UNSUPPORTED_SPACE_IN_VARIABLE", "UNKNOWN_POLICY_VARIABLE",
    "VARIABLE_UNSUPPORTED_IN_ELEMENT", "VARIABLE_UNSUPPORTED_IN_VERSION", "VARIABLE_IN_ACTION",
    "INVALID_VARIABLE_FOR_OPERATOR", "UNSUPPORTED_SID", "EMPTY_SID_VALUE",
    "UNSUPPORTED_GLOBAL_CONDITION_KEY", "DEPRECATED_GLOBAL_CONDITION_KEY",
})
R = ("Statement", 0, "Resource")


def statement(resource: Any = "arn:aws:s3:::b/*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource, **extra}


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    out: dict[str, Any] = {} if version is None else {"Version": version}
    out["Statement"] = list(statements)
    return out


def found(doc: dict[str, Any], policy_type: str = "identity") -> list[tuple[str, tuple[Any, ...]]]:
    result = lint_policy(json.dumps(doc), policy_type)
    return sorted((f.code, tuple(f.path)) for f in result.findings if f.code in CODES)


VARIABLE_CASES = [
    # (resource text, expected codes on Statement/0/Resource)
    ("arn:aws:s3:::b/${aws:username}/*", []),
    ("arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*", []),
    ("arn:aws:s3:::b/${aws:PrincipalTag/team,'company-wide'}/*", []),
    ("arn:aws:s3:::b/${aws:username, 'no user'}/*", []),  # spaces inside the default are text
    ("arn:aws:s3:::b/${aws:username, ''}/*", []),
    ("arn:aws:s3:::b/${aws:username, 'a}b'}/*", []),  # a quoted default may hold `}`
    ("arn:aws:s3:::b/${*}${?}${$}", []),
    ("arn:aws:s3:::b/$5/{x}/}", []),  # `$` and braces outside a variable are text
    ("arn:aws:s3:::b/${}/*", ["EMPTY_VARIABLE"]),
    ("arn:aws:s3:::b/${ }/*", ["EMPTY_VARIABLE"]),
    ("arn:aws:s3:::b/${, 'x'}/*", ["EMPTY_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username/*", ["MISSING_BRACE_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username/${aws:userid}", ["MISSING_BRACE_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username, anonymous}/*", ["MISSING_QUOTE_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username, 'anonymous}/*", ["MISSING_QUOTE_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username, anonymous'}/*", ["MISSING_QUOTE_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username,}/*", ["MISSING_QUOTE_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username, \"anonymous\"}/*", ["UNSUPPORTED_SYMBOL_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username, \u2018anonymous\u2019}/*", ["UNSUPPORTED_SYMBOL_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username, 'it's'}/*", ["UNSUPPORTED_SYMBOL_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:user#name}/*", ["UNSUPPORTED_SYMBOL_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:PrincipalTag/*}/*", ["UNSUPPORTED_SYMBOL_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${{aws:username}}/*", ["UNSUPPORTED_SYMBOL_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username 'x'}/*", ["UNSUPPORTED_SYMBOL_IN_VARIABLE"]),  # missing comma
    ("arn:aws:s3:::b/${ aws:username }/*", ["UNSUPPORTED_SPACE_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws: username}/*", ["UNSUPPORTED_SPACE_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${aws:username , 'x'}/*", ["UNSUPPORTED_SPACE_IN_VARIABLE"]),
    ("arn:aws:s3:::b/${ * }/*", ["UNSUPPORTED_SPACE_IN_VARIABLE"]),
    # two mistakes in one value: each its own code, once
    ("arn:aws:s3:::b/${aws:username, x}/${ aws:userid}/${}",
     ["EMPTY_VARIABLE", "MISSING_QUOTE_IN_VARIABLE", "UNSUPPORTED_SPACE_IN_VARIABLE"]),
    # the same mistake twice in one value: one finding
    ("arn:aws:s3:::b/${aws:username, x}/${aws:userid, y}", ["MISSING_QUOTE_IN_VARIABLE"]),
]


@pytest.mark.parametrize(("resource", "expected"), VARIABLE_CASES)
def test_variable_syntax_in_resource(resource: str, expected: list[str]) -> None:
    assert found(policy(statement(resource))) == sorted((code, R) for code in expected)


@pytest.mark.parametrize(("resource", "expected"), VARIABLE_CASES)
def test_scanner_agrees_with_the_evaluator(resource: str, expected: list[str]) -> None:
    codes = {p.code for p in variable_problems(resource)}
    try:
        parse_template(resource)
        accepted = True
    except TemplateSyntaxError:
        accepted = False
    if accepted:
        # the evaluator tolerates spaces around the key, which Access Analyzer refuses
        assert codes <= {"UNSUPPORTED_SPACE_IN_VARIABLE"}
    else:
        assert codes, f"{resource!r} is refused by the evaluator but gets no code"


def test_scanner_agrees_with_the_evaluator_on_every_short_text() -> None:
    pieces = ["${", "}", "a:b", " ", ",", "'", '"', "$", "{", "*", "#"]
    for size in range(1, 6):
        for combination in itertools.product(pieces, repeat=size):
            text = "".join(combination)
            if "${" not in text:
                continue
            codes = {p.code for p in variable_problems(text)}
            try:
                parse_template(text)
            except TemplateSyntaxError:
                assert codes, text
            else:
                assert codes <= {"UNSUPPORTED_SPACE_IN_VARIABLE"}, (text, codes)


def test_message_says_how_to_write_it() -> None:
    [finding] = [f for f in lint_policy(json.dumps(policy(statement(
        "arn:aws:s3:::b/${aws:PrincipalTag/team, company-wide}/*")))).findings
        if f.code == "MISSING_QUOTE_IN_VARIABLE"]
    assert "${aws:PrincipalTag/team, 'company-wide'}" in finding.message
    [finding] = [f for f in lint_policy(json.dumps(policy(statement(
        "arn:aws:s3:::b/${ aws:username }/*")))).findings if f.code == "UNSUPPORTED_SPACE_IN_VARIABLE"]
    assert "`${aws:username}`" in finding.message


def test_variable_syntax_in_conditions_and_versions() -> None:
    key = ("Statement", 0, "Condition", "StringEquals", "aws:ResourceTag/owner")
    # String and Arn values are checked, each list entry at its own path
    doc = policy(statement(Condition={"StringEquals": {"aws:ResourceTag/owner": ["${aws:username}", "${ aws:userid}"]}}))
    assert found(doc) == [("UNSUPPORTED_SPACE_IN_VARIABLE", key + (1,))]
    doc = policy(statement(Condition={"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:${aws:username, x}"}}))
    assert found(doc) == [("MISSING_QUOTE_IN_VARIABLE", ("Statement", 0, "Condition", "ArnLike", "aws:SourceArn"))]
    # other operators do not substitute variables at all: that is INVALID_VARIABLE_FOR_OPERATOR only
    doc = policy(statement(Condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "${ aws:userid}"}}))
    assert [c for c, _ in found(doc)] == ["INVALID_VARIABLE_FOR_OPERATOR"]
    # under 2008-10-17 a variable is plain text: no syntax finding
    doc = policy(statement("arn:aws:s3:::b/${ aws:username }/*"), version="2008-10-17")
    assert found(doc) == [("VARIABLE_UNSUPPORTED_IN_VERSION", R)]


ELEMENT_CASES = [
    # (policy type, statement, expected [(code, path)])
    ("resource",
     statement(Principal={"AWS": "arn:aws:iam::111122223333:user/${aws:username}"}),
     [("VARIABLE_UNSUPPORTED_IN_ELEMENT", ("Statement", 0, "Principal", "AWS"))]),
    ("resource",
     statement(Principal={"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::${aws:PrincipalAccount}:root"]}),
     [("VARIABLE_UNSUPPORTED_IN_ELEMENT", ("Statement", 0, "Principal", "AWS", 1))]),
    ("resource",
     {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
      "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/${aws:username}"}},
     [("VARIABLE_UNSUPPORTED_IN_ELEMENT", ("Statement", 0, "NotPrincipal", "AWS"))]),
    ("identity",
     statement(Condition={"StringEquals": {"aws:ResourceTag/${aws:username}": "owner"}}),
     [("VARIABLE_UNSUPPORTED_IN_ELEMENT",
       ("Statement", 0, "Condition", "StringEquals", "aws:ResourceTag/${aws:username}"))]),
    ("identity",
     statement(Condition={"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}),
     []),
    # a variable in an action is the action rules' VARIABLE_IN_ACTION, reported once
    ("identity",
     {"Effect": "Allow", "Action": "s3:${aws:username}", "Resource": "*"},
     [("VARIABLE_IN_ACTION", ("Statement", 0, "Action"))]),
]


@pytest.mark.parametrize(("policy_type", "stmt", "expected"), ELEMENT_CASES)
def test_variable_in_element(policy_type: str, stmt: dict[str, Any], expected: list[Any]) -> None:
    assert found(policy(stmt), policy_type) == sorted(expected)


def test_variable_in_element_is_reported_in_every_version() -> None:
    stmt = statement(Condition={"StringEquals": {"aws:ResourceTag/${aws:username}": "owner"}})
    assert [c for c, _ in found(policy(stmt, version=None))] == ["VARIABLE_UNSUPPORTED_IN_ELEMENT"]


SID = ("Statement", 0, "Sid")
SID_CASES = [
    # (policy type, Sid, expected codes at Statement/0/Sid)
    ("identity", "ReadReports2", []),
    ("identity", "Read-Reports", ["UNSUPPORTED_SID"]),
    ("identity", "Read Reports", ["UNSUPPORTED_SID"]),
    ("identity", "read_reports", ["UNSUPPORTED_SID"]),
    ("identity", "Caf\u00e9", ["UNSUPPORTED_SID"]),  # ASCII letters only
    ("identity", "S${aws:username}", ["UNSUPPORTED_SID"]),
    ("identity", "", ["EMPTY_SID_VALUE"]),  # not UNSUPPORTED_SID as well
    ("boundary", "Read-Reports", ["UNSUPPORTED_SID"]),
    ("trust", "Trust-GitHub", ["UNSUPPORTED_SID"]),
    ("scp", "Deny_Regions", ["UNSUPPORTED_SID"]),
    ("rcp", "Deny-External", ["UNSUPPORTED_SID"]),
    # resource policies: several services accept more (KMS's default key policy has spaces)
    ("resource", "Enable IAM User Permissions", []),
    ("resource", "__default_statement_ID", []),
]


@pytest.mark.parametrize(("policy_type", "sid", "expected"), SID_CASES)
def test_sid_characters(policy_type: str, sid: str, expected: list[str]) -> None:
    stmt: dict[str, Any] = {"Sid": sid, "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
    if policy_type in ("resource", "trust"):
        stmt["Principal"] = {"AWS": "arn:aws:iam::111122223333:root"}
    if policy_type == "trust":
        stmt.update(Effect="Allow", Action="sts:AssumeRole")
        del stmt["Resource"]
    assert found(policy(stmt), policy_type) == sorted((code, SID) for code in expected)


def test_sid_message_suggests_a_name() -> None:
    result = lint_policy(json.dumps(policy({"Sid": "allow read-only s3", **statement()})))
    [finding] = [f for f in result.findings if f.code == "UNSUPPORTED_SID"]
    assert "`allowReadOnlyS3`" in finding.message and "`-`" in finding.message and "a space" in finding.message
    assert finding.extra["suggestion"] == "allowReadOnlyS3"


def test_aws_arn_is_reported_once() -> None:
    from policyengine.lint.checks.syntax import ACCESS_ANALYZER_EQUIVALENTS
    from policyengine.lint.docs import coverage

    doc = policy(statement(Condition={"ArnLike": {"aws:ARN": "arn:aws:iam::111122223333:role/*"}}))
    assert [c for c, _ in found(doc)] == ["DEPRECATED_GLOBAL_CONDITION_KEY"]
    assert ACCESS_ANALYZER_EQUIVALENTS["UNSUPPORTED_GLOBAL_CONDITION_KEY"] == "DEPRECATED_GLOBAL_CONDITION_KEY"
    covered = {entry["code"]: by for entry, by in coverage()}
    for code in ("MISSING_QUOTE_IN_VARIABLE", "UNSUPPORTED_SPACE_IN_VARIABLE", "UNSUPPORTED_SYMBOL_IN_VARIABLE",
                 "VARIABLE_UNSUPPORTED_IN_ELEMENT", "UNSUPPORTED_SID"):
        assert covered[code] == code
    assert covered["UNSUPPORTED_GLOBAL_CONDITION_KEY"] == "DEPRECATED_GLOBAL_CONDITION_KEY"
