"""The parsing layer: JSON as IAM reads it, and the policy shapes IAM accepts and refuses."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest

from policyengine.errors import PolicyEngineError, PolicySyntaxError, PolicyValidationError
from policyengine.model.policy import PolicyDocument
from policyengine.parsing import (
    MAX_DEPTH,
    build_policy,
    parse_json,
    parse_json_with_locations,
    parse_policy,
)
from policyengine.parsing import codes
from policyengine.parsing.json_positions import json_grammar

ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def doc(*statements: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", **top, "Statement": list(statements)}


def parse_all_ways(value: dict[str, Any]) -> PolicyDocument:
    """Parse `value` as a dict, as compact and indented text, on both paths; all must agree."""
    text = json.dumps(value, indent=2)
    results = [
        parse_policy(value),
        parse_policy(text),
        parse_policy(text, locations=False),
        parse_policy(json.dumps(value)),
        parse_policy(text.encode("utf-8")),
    ]
    dumps = [r.model_dump() for r in results]
    assert all(d == dumps[0] for d in dumps)
    assert results[1].locations is not None and results[2].locations is None
    return results[1]


def validation_errors(source: Any, **kwargs: Any) -> list[PolicyEngineError]:
    with pytest.raises(PolicyValidationError) as info:
        parse_policy(source, **kwargs)
    return info.value.errors


def syntax_error(source: str | bytes, **kwargs: Any) -> PolicySyntaxError:
    """The error on both paths, which must agree on everything."""
    with pytest.raises(PolicySyntaxError) as slow:
        parse_policy(source, **kwargs)
    with pytest.raises(PolicySyntaxError) as fast:
        parse_policy(source, locations=False, **kwargs)
    assert slow.value.to_dict() == fast.value.to_dict()
    return slow.value


# ---------------------------------------------------------------------------------------------
# Shapes IAM accepts: each round-trips through to_json() and reads the same on every path.

ACCEPTED = {
    # IAM accepts empty lists and `{}`: the statement then matches nothing (Access
    # Analyzer suggests removing them: EMPTY_ARRAY_ACTION, EMPTY_OBJECT_PRINCIPAL, ...).
    "empty_action_list": doc({"Effect": "Allow", "Action": [], "Resource": "*"}),
    "empty_resource_list": doc({"Effect": "Allow", "Action": "*", "Resource": []}),
    "principal_empty_map": doc({"Effect": "Allow", "Principal": {}, "Action": "*", "Resource": "*"}),
    "principal_empty_list": doc({"Effect": "Allow", "Principal": {"Service": []}, "Action": "*", "Resource": "*"}),
    "single_statement_object": {"Version": "2012-10-17", "Statement": ALLOW_ALL},
    "statement_list": doc(ALLOW_ALL, {"Effect": "Deny", "Action": ["s3:*"], "Resource": ["*"]}),
    "version_2008": {"Version": "2008-10-17", "Statement": [ALLOW_ALL]},
    "no_version": {"Statement": [ALLOW_ALL]},
    "id_and_sid": doc({**ALLOW_ALL, "Sid": "Stmt1"}, Id="policy-1"),
    "empty_sid": doc({**ALLOW_ALL, "Sid": ""}),
    "action_list_resource_string": doc(
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::b/*",
        }
    ),
    "not_action": doc({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}),
    "not_resource_list": doc(
        {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::a", "x"]}
    ),
    "no_resource_as_in_trust_policies": doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ),
    "principal_wildcard": doc({**ALLOW_ALL, "Principal": "*"}),
    "principal_aws_wildcard": doc({**ALLOW_ALL, "Principal": {"AWS": "*"}}),
    "principal_every_kind": doc(
        {
            **ALLOW_ALL,
            "Principal": {
                "AWS": ["arn:aws:iam::123456789012:root", "123456789012"],
                "Service": "ec2.amazonaws.com",
                "Federated": ["cognito-identity.amazonaws.com"],
                "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
            },
        }
    ),
    "not_principal": doc(
        {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::1:root"]}, "Action": "*"}
    ),
    "condition_string_value": doc(
        {**ALLOW_ALL, "Condition": {"StringEquals": {"aws:username": "alice"}}}
    ),
    "condition_list_values": doc(
        {
            **ALLOW_ALL,
            "Condition": {"StringLike": {"s3:prefix": ["home/", "home/${aws:username}/*"]}},
        }
    ),
    "condition_number_and_boolean": doc(
        {
            **ALLOW_ALL,
            "Condition": {
                "NumericLessThan": {"s3:max-keys": 10},
                "NumericEquals": {"k": [1.5, -2, 0]},
                "Bool": {"aws:SecureTransport": False, "aws:MultiFactorAuthPresent": [True]},
            },
        }
    ),
    "condition_set_operators_and_if_exists": doc(
        {
            **ALLOW_ALL,
            "Condition": {
                "ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]},
                "StringEqualsIfExists": {"aws:RequestTag/x": "y"},
                "Null": {"aws:TokenIssueTime": "true"},
            },
        }
    ),
    "condition_unknown_operator_left_to_the_evaluator": doc(
        {**ALLOW_ALL, "Condition": {"NoSuchOperator": {"k": "v"}}}
    ),
    "empty_condition_block": doc({**ALLOW_ALL, "Condition": {}}),
    "empty_condition_value_list": doc({**ALLOW_ALL, "Condition": {"StringEquals": {"k": []}}}),
    "unicode_and_escapes": doc(
        {**ALLOW_ALL, "Sid": "caf\u00e9 \U0001f600 \"q\" \\ /", "Resource": "arn:b/\u00fc*"}
    ),
}


@pytest.mark.parametrize("value", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_shapes_iam_accepts_parse_and_round_trip(value: dict[str, Any]) -> None:
    parsed = parse_all_ways(value)
    assert parsed.to_json() == value
    assert parse_policy(json.dumps(parsed.to_json())).model_dump() == parsed.model_dump()


def test_model_fields_record_how_the_document_was_written() -> None:
    value = {
        "Statement": {
            "Sid": "One",
            "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::1:root"], "Service": "s.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": ["arn:aws:s3:::b/*"],
            "Condition": {"StringEquals": {"k": ["v"], "j": "w"}},
        }
    }
    parsed = parse_all_ways(value)
    assert parsed.version is None and parsed.id is None
    assert parsed.statement_is_list is False
    (statement,) = parsed.statements
    assert statement.index == 0 and statement.sid == "One"
    assert statement.string_elements == frozenset({"Action"})
    assert statement.action == ["s3:GetObject"] and statement.resource == ["arn:aws:s3:::b/*"]
    assert statement.principal is not None
    assert statement.principal.values == {
        "AWS": ["arn:aws:iam::1:root"],
        "Service": ["s.amazonaws.com"],
    }
    assert statement.principal.list_kinds == frozenset({"AWS"})
    assert statement.has_condition
    assert [(e.operator, e.key, e.values, e.is_list) for e in statement.condition] == [
        ("StringEquals", "k", ["v"], True),
        ("StringEquals", "j", ["w"], False),
    ]


def test_statement_index_is_the_position_in_the_list() -> None:
    parsed = parse_all_ways(doc(ALLOW_ALL, ALLOW_ALL, ALLOW_ALL))
    assert [s.index for s in parsed.statements] == [0, 1, 2]
    assert parsed.statement_path(2) == ("Statement", 2)


def test_condition_value_types_are_kept_exactly() -> None:
    values = [True, 1, 1.0, "1", 10**30]
    parsed = parse_all_ways(doc({**ALLOW_ALL, "Condition": {"X": {"k": values}}}))
    values = parsed.statements[0].condition[0].values
    assert [type(v) for v in values] == [bool, int, float, str, int]
    assert values[4] == 10**30


def test_file_name_becomes_the_document_source() -> None:
    assert parse_policy(json.dumps(doc(ALLOW_ALL)), file="p.json").source == "p.json"
    assert parse_policy(doc(ALLOW_ALL), file="p.json").source == "p.json"


def test_a_parsed_document_is_returned_as_is() -> None:
    parsed = parse_policy(doc(ALLOW_ALL))
    assert parse_policy(parsed) is parsed


# ---------------------------------------------------------------------------------------------
# Shapes IAM refuses: every problem is reported, with its code and path.

REJECTED: dict[str, tuple[Any, list[tuple[str, tuple[str | int, ...]]]]] = {
    "document_not_an_object": (["Statement"], [(codes.INVALID_DOCUMENT, ())]),
    "document_null": (None, [(codes.INVALID_DOCUMENT, ())]),
    "unknown_top_level_element": (
        {**doc(ALLOW_ALL), "Foo": 1},
        [(codes.UNKNOWN_ELEMENT, ("Foo",))],
    ),
    "top_level_names_are_case_sensitive": (
        {"version": "2012-10-17", "Statement": [ALLOW_ALL]},
        [(codes.UNKNOWN_ELEMENT, ("version",))],
    ),
    "statement_names_are_case_sensitive": (
        doc({"effect": "Allow", "Action": "*"}),
        [
            (codes.UNKNOWN_ELEMENT, ("Statement", 0, "effect")),
            (codes.MISSING_EFFECT, ("Statement", 0)),
        ],
    ),
    "unknown_statement_element": (
        doc({**ALLOW_ALL, "Id": "x"}),
        [(codes.UNKNOWN_ELEMENT, ("Statement", 0, "Id"))],
    ),
    "invalid_version_date": (
        {"Version": "2012-10-18", "Statement": [ALLOW_ALL]},
        [(codes.INVALID_VERSION, ("Version",))],
    ),
    "version_not_a_string": (
        {"Version": 2012, "Statement": [ALLOW_ALL]},
        [(codes.INVALID_VERSION, ("Version",))],
    ),
    "id_not_a_string": (doc(ALLOW_ALL, Id=5), [(codes.INVALID_ELEMENT_TYPE, ("Id",))]),
    "missing_statement": ({"Version": "2012-10-17"}, [(codes.MISSING_STATEMENT, ())]),
    "empty_statement_list": (doc(), [(codes.EMPTY_STATEMENT, ("Statement",))]),
    "statement_a_string": (
        {"Statement": "Allow"},
        [(codes.INVALID_STATEMENT, ("Statement",))],
    ),
    "statement_item_not_an_object": (
        doc(ALLOW_ALL, ["x"]),
        [(codes.INVALID_STATEMENT, ("Statement", 1))],
    ),
    "statement_null": ({"Statement": None}, [(codes.INVALID_STATEMENT, ("Statement",))]),
    "empty_statement_object": (
        doc({}),
        [(codes.MISSING_EFFECT, ("Statement", 0)), (codes.MISSING_ACTION, ("Statement", 0))],
    ),
    "missing_effect": (
        doc({"Action": "*", "Resource": "*"}),
        [(codes.MISSING_EFFECT, ("Statement", 0))],
    ),
    "effect_is_case_sensitive": (
        doc({**ALLOW_ALL, "Effect": "allow"}),
        [(codes.INVALID_EFFECT, ("Statement", 0, "Effect"))],
    ),
    "effect_not_allow_or_deny": (
        doc({**ALLOW_ALL, "Effect": "Permit"}),
        [(codes.INVALID_EFFECT, ("Statement", 0, "Effect"))],
    ),
    "effect_as_list": (
        doc({**ALLOW_ALL, "Effect": ["Allow"]}),
        [(codes.INVALID_EFFECT, ("Statement", 0, "Effect"))],
    ),
    "sid_not_a_string": (
        doc({**ALLOW_ALL, "Sid": 1}),
        [(codes.INVALID_ELEMENT_TYPE, ("Statement", 0, "Sid"))],
    ),
    "sid_null": (
        doc({**ALLOW_ALL, "Sid": None}),
        [(codes.INVALID_ELEMENT_TYPE, ("Statement", 0, "Sid"))],
    ),
    "action_and_not_action": (
        doc({**ALLOW_ALL, "NotAction": "s3:*"}),
        [(codes.ACTION_AND_NOT_ACTION, ("Statement", 0, "NotAction"))],
    ),
    "neither_action_nor_not_action": (
        doc({"Effect": "Allow", "Resource": "*"}),
        [(codes.MISSING_ACTION, ("Statement", 0))],
    ),
    "action_null": (
        doc({**ALLOW_ALL, "Action": None}),
        [(codes.INVALID_ELEMENT_TYPE, ("Statement", 0, "Action"))],
    ),
    "action_number_in_list": (
        doc({**ALLOW_ALL, "Action": ["s3:GetObject", 3, None]}),
        [
            (codes.INVALID_ELEMENT_TYPE, ("Statement", 0, "Action", 1)),
            (codes.INVALID_ELEMENT_TYPE, ("Statement", 0, "Action", 2)),
        ],
    ),
    "action_object": (
        doc({**ALLOW_ALL, "Action": {"s3": "*"}}),
        [(codes.INVALID_ELEMENT_TYPE, ("Statement", 0, "Action"))],
    ),
    "nested_action_list": (
        doc({**ALLOW_ALL, "Action": [["s3:*"]]}),
        [(codes.INVALID_ELEMENT_TYPE, ("Statement", 0, "Action", 0))],
    ),
    "resource_and_not_resource": (
        doc({**ALLOW_ALL, "NotResource": "*"}),
        [(codes.RESOURCE_AND_NOT_RESOURCE, ("Statement", 0, "NotResource"))],
    ),
    "not_resource_number": (
        doc({"Effect": "Allow", "Action": "*", "NotResource": 1}),
        [(codes.INVALID_ELEMENT_TYPE, ("Statement", 0, "NotResource"))],
    ),
    "principal_and_not_principal": (
        doc({**ALLOW_ALL, "Principal": "*", "NotPrincipal": "*"}),
        [(codes.PRINCIPAL_AND_NOT_PRINCIPAL, ("Statement", 0, "NotPrincipal"))],
    ),
    "principal_plain_arn_string": (
        doc({**ALLOW_ALL, "Principal": "arn:aws:iam::1:root"}),
        [(codes.INVALID_PRINCIPAL, ("Statement", 0, "Principal"))],
    ),
    "principal_list": (
        doc({**ALLOW_ALL, "Principal": ["*"]}),
        [(codes.INVALID_PRINCIPAL, ("Statement", 0, "Principal"))],
    ),
    "principal_kind_unknown": (
        doc({**ALLOW_ALL, "Principal": {"User": "x"}}),
        [(codes.INVALID_PRINCIPAL, ("Statement", 0, "Principal", "User"))],
    ),
    "principal_kind_is_case_sensitive": (
        doc({**ALLOW_ALL, "NotPrincipal": {"aws": "x"}}),
        [(codes.INVALID_PRINCIPAL, ("Statement", 0, "NotPrincipal", "aws"))],
    ),
    "principal_value_not_a_string": (
        doc({**ALLOW_ALL, "Principal": {"AWS": ["x", 123456789012]}}),
        [(codes.INVALID_PRINCIPAL, ("Statement", 0, "Principal", "AWS", 1))],
    ),
    "principal_value_object": (
        doc({**ALLOW_ALL, "Principal": {"AWS": {"a": "b"}}}),
        [(codes.INVALID_PRINCIPAL, ("Statement", 0, "Principal", "AWS"))],
    ),
    "principal_null": (
        doc({**ALLOW_ALL, "Principal": None}),
        [(codes.INVALID_PRINCIPAL, ("Statement", 0, "Principal"))],
    ),
    "condition_not_a_map": (
        doc({**ALLOW_ALL, "Condition": ["StringEquals"]}),
        [(codes.INVALID_CONDITION, ("Statement", 0, "Condition"))],
    ),
    "condition_operator_not_a_map": (
        doc({**ALLOW_ALL, "Condition": {"StringEquals": "x"}}),
        [(codes.INVALID_CONDITION, ("Statement", 0, "Condition", "StringEquals"))],
    ),
    "condition_operator_without_keys": (
        doc({**ALLOW_ALL, "Condition": {"StringEquals": {}}}),
        [(codes.INVALID_CONDITION, ("Statement", 0, "Condition", "StringEquals"))],
    ),
    "condition_value_null": (
        doc({**ALLOW_ALL, "Condition": {"StringEquals": {"k": None}}}),
        [(codes.INVALID_CONDITION, ("Statement", 0, "Condition", "StringEquals", "k"))],
    ),
    "condition_value_object": (
        doc({**ALLOW_ALL, "Condition": {"StringEquals": {"k": {"v": 1}}}}),
        [(codes.INVALID_CONDITION, ("Statement", 0, "Condition", "StringEquals", "k"))],
    ),
    "condition_value_nested_list": (
        doc({**ALLOW_ALL, "Condition": {"StringEquals": {"k": ["a", ["b"], None]}}}),
        [
            (codes.INVALID_CONDITION, ("Statement", 0, "Condition", "StringEquals", "k", 1)),
            (codes.INVALID_CONDITION, ("Statement", 0, "Condition", "StringEquals", "k", 2)),
        ],
    ),
}


def _codes_and_paths(errors: list[PolicyEngineError]) -> list[tuple[str, tuple[str | int, ...]]]:
    return [(e.code, e.path) for e in errors]


@pytest.mark.parametrize(("value", "expected"), REJECTED.values(), ids=REJECTED.keys())
def test_shapes_iam_refuses_are_reported_with_code_and_path(
    value: Any, expected: list[tuple[str, tuple]]
) -> None:
    from_dict = validation_errors(value)
    assert sorted(_codes_and_paths(from_dict)) == sorted(expected)
    assert all(e.line is None for e in from_dict)
    text = json.dumps(value, indent=2)
    located = validation_errors(text, file="p.json")
    assert sorted(_codes_and_paths(located)) == sorted(expected)
    assert all(e.line is not None and e.column is not None and e.file == "p.json" for e in located)
    # the fast path locates them the same way
    assert [e.to_dict() for e in validation_errors(text, file="p.json", locations=False)] == [
        e.to_dict() for e in located
    ]
    for error in located:
        assert error.message[0] == "`" or error.message[0].islower()
        assert "\n" not in error.message


def test_every_problem_is_reported_not_just_the_first() -> None:
    value = {
        "Version": "1",
        "Bogus": True,
        "Statement": [
            {"Effect": "Maybe", "Action": [], "Resource": "*"},
            ALLOW_ALL,
            {"Effect": "Deny", "Action": "*", "NotAction": "*", "Principal": {"Users": "x"}},
        ],
    }
    errors = validation_errors(value)
    assert sorted(_codes_and_paths(errors)) == sorted(
        [
            (codes.INVALID_VERSION, ("Version",)),
            (codes.UNKNOWN_ELEMENT, ("Bogus",)),
            (codes.INVALID_EFFECT, ("Statement", 0, "Effect")),
            (codes.ACTION_AND_NOT_ACTION, ("Statement", 2, "NotAction")),
            (codes.INVALID_PRINCIPAL, ("Statement", 2, "Principal", "Users")),
        ]
    )


def test_validation_errors_point_at_the_line_and_column_of_the_offending_key() -> None:
    text = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "*",
      "Conditon": {}
    },
    {
      "Action": "s3:*",
      "Effect": "Alow"
    }
  ]
}"""
    with pytest.raises(PolicyValidationError) as info:
        parse_policy(text, file="policy.json")
    errors = [(e.code, e.line, e.column, e.path) for e in info.value.errors]
    assert errors == [
        (codes.UNKNOWN_ELEMENT, 8, 7, ("Statement", 0, "Conditon")),
        (codes.INVALID_EFFECT, 12, 7, ("Statement", 1, "Effect")),
    ]
    assert info.value.errors[0].help == "did you mean `Condition`?"
    assert info.value.errors[1].help == "did you mean `Allow`?"
    # the exception itself reads as the first problem
    assert str(info.value).startswith("policy.json:8:7: unknown element `Conditon` in a statement")
    assert info.value.line == 8 and info.value.code == codes.UNKNOWN_ELEMENT


def test_a_missing_element_is_located_at_its_statement() -> None:
    text = '{"Statement": [\n  {"Action": "*"}\n]}'
    (error,) = validation_errors(text)
    assert (error.code, error.line, error.column, error.path) == (
        codes.MISSING_EFFECT,
        2,
        3,
        ("Statement", 0),
    )


def test_helps_name_the_right_spelling() -> None:
    (error,) = validation_errors(doc({**ALLOW_ALL, "Effect": "allow"}))
    assert error.help == "names are case-sensitive: write `Allow`"
    (error,) = validation_errors(doc({**ALLOW_ALL, "Principal": {"aws": "x"}}))
    assert error.help == "names are case-sensitive: write `AWS`"


def test_get_policy_version_output_is_recognised_in_the_help() -> None:
    errors = validation_errors({"PolicyVersion": {"Document": doc(ALLOW_ALL)}})
    unknown = [e for e in errors if e.code == codes.UNKNOWN_ELEMENT]
    assert "get-policy-version" in (unknown[0].help or "")


def test_non_json_python_values_in_a_dict_are_refused() -> None:
    nan = float("nan")
    errors = validation_errors(doc({**ALLOW_ALL, "Condition": {"NumericEquals": {"k": nan}}}))
    assert _codes_and_paths(errors) == [
        (codes.INVALID_CONDITION, ("Statement", 0, "Condition", "NumericEquals", "k"))
    ]
    errors = validation_errors(doc({**ALLOW_ALL, "Condition": {"StringEquals": {1: "v"}}}))
    assert errors[0].code == codes.INVALID_CONDITION
    errors = validation_errors(doc({**ALLOW_ALL, "Action": ("a", "b")}))
    assert errors[0].code == codes.INVALID_ELEMENT_TYPE


def test_an_unquoted_yaml_version_date_is_accepted_in_a_dict() -> None:
    import datetime

    parsed = parse_policy({"Version": datetime.date(2012, 10, 17), "Statement": [ALLOW_ALL]})
    assert parsed.version == "2012-10-17"


# ---------------------------------------------------------------------------------------------
# JSON as IAM reads it: located syntax errors, the same on both paths.

SYNTAX: dict[str, tuple[str, int, int, tuple[str | int, ...], str]] = {
    # name: (text, line, column, path, message fragment)
    "duplicate_top_level_key": (
        '{"Version": "2012-10-17",\n "Version": "2012-10-17", "Statement": []}',
        2, 2, ("Version",), "duplicate key `Version`; it already appears at line 1, column 2",
    ),
    "duplicate_key_in_a_statement": (
        '{"Statement": [{"Effect": "Allow",\n  "Action": "a",\n  "Action": "b"}]}',
        3, 3, ("Statement", 0, "Action"), "duplicate key `Action`",
    ),
    "duplicate_condition_operator": (
        '{"Statement": {"Condition": {"StringEquals": {}, "StringEquals": {}}}}',
        1, 50, ("Statement", "Condition", "StringEquals"), "duplicate key `StringEquals`",
    ),
    "trailing_comma_in_object": (
        '{"Statement": [],\n}', 1, 17, ("Statement",), "trailing comma before `}`",
    ),
    "trailing_comma_in_array": (
        '{"Statement": [{}, {},\n  ]}', 1, 22, ("Statement", 1), "trailing comma before `]`",
    ),
    "unterminated_string": ('{"Version": "2012-10-17}', 1, 13, ("Version",), "never closed"),
    "string_broken_by_a_line_break": (
        '{"Sid": "a\nb"}', 1, 9, ("Sid",), "not closed before the end of the line",
    ),
    "invalid_escape": ('{"Resource": "a\\qb"}', 1, 16, ("Resource",), "invalid escape `\\q`"),
    "short_unicode_escape": ('{"Resource": "\\u12"}', 1, 15, ("Resource",), "four hexadecimal"),
    "tab_inside_a_string": ('{"Sid": "a\tb"}', 1, 11, ("Sid",), "control character U+0009"),
    "nan": ('{"Version": NaN}', 1, 13, ("Version",), "`NaN` is not valid JSON"),
    "infinity": ('[Infinity]', 1, 2, (0,), "`Infinity` is not valid JSON"),
    "negative_infinity": ('[1, -Infinity]', 1, 5, (1,), "`-Infinity` is not valid JSON"),
    "python_true": ('{"a": True}', 1, 7, ("a",), "`True` is not valid JSON; write `true`"),
    "python_none": ('{"a": None}', 1, 7, ("a",), "write `null`"),
    "unquoted_key": ('{Version: 1}', 1, 2, (), "strings must be in double quotes"),
    "single_quotes": ("{'Version': 1}", 1, 2, (), "double quotes, not single quotes"),
    "leading_zero": ('{"a": 01}', 1, 7, ("a",), "remove the leading zeros"),
    "hex_number": ('{"a": 0x1F}', 1, 7, ("a",), "JSON numbers are decimal"),
    "dot_without_digits": ('{"a": 1.}', 1, 7, ("a",), "digits must follow"),
    "leading_dot": ('{"a": .5}', 1, 7, ("a",), "a number starts with a digit"),
    "number_out_of_range": ('{"a": 1e999}', 1, 7, ("a",), "too large"),
    "number_too_long": ('{"a": ' + "9" * 10_000 + "}", 1, 7, ("a",), "too many digits"),
    "missing_comma": ('{"a": 1\n "b": 2}', 2, 2, ("a",), "expected `,` or `}`"),
    "missing_colon": ('{"a" 1}', 1, 6, ("a",), "expected `:` after the key `a`"),
    "missing_value": ('{"a": }', 1, 7, ("a",), "expected a value"),
    "mismatched_bracket": (
        '{"a": [1}', 1, 9, ("a", 0), "`}` does not close the `[` at line 1, column 7"
    ),
    "unclosed_object": (
        '{"a": [1]\n', 1, 10, ("a",), "ends before the `{` at line 1, column 1 is closed"
    ),
    "trailing_garbage": ('{"a": 1} x', 1, 10, (), "unexpected `x`"),
    "second_document": ('{}\n{}', 2, 1, (), "unexpected `{` after the end of the JSON value"),
    "comment": ('{\n  // allow all\n}', 2, 3, (), "comments are not allowed"),
    "empty_input": ("", 1, 1, (), "the document is empty"),
    "whitespace_only": (" \n\t ", 1, 1, (), "the document is empty"),
    "non_breaking_space": ('{\u00a0"a": 1}', 1, 2, (), "U+00A0"),
    "lone_surrogate_escape": ('{"a": "\\ud800"}', 1, 8, ("a",), "unpaired surrogate"),
    "key_not_a_string": ('{1: 2}', 1, 2, (), "expected a key in double quotes"),
}


@pytest.mark.parametrize(
    ("text", "line", "column", "path", "fragment"), SYNTAX.values(), ids=SYNTAX.keys()
)
def test_json_syntax_errors_are_located_the_same_on_both_paths(
    text: str, line: int, column: int, path: tuple, fragment: str
) -> None:
    error = syntax_error(text, file="in.json")
    assert (error.line, error.column, error.path) == (line, column, path), str(error)
    assert fragment in error.message
    assert error.code == codes.SYNTAX_ERROR and error.file == "in.json"
    assert error.message[0] == "`" or error.message[0].islower()
    assert str(error).startswith(f"in.json:{line}:{column}: ")


def test_duplicate_keys_are_rejected_as_iam_does() -> None:
    text = '{"Statement": [{"Effect": "Allow", "Effect": "Deny", "Action": "*"}]}'
    assert json.loads(text)["Statement"][0]["Effect"] == "Deny"  # what plain JSON would do
    error = syntax_error(text)
    assert "duplicate key `Effect`" in error.message
    assert error.help and "IAM rejects" in error.help
    with pytest.raises(PolicySyntaxError):
        parse_json(text)
    with pytest.raises(PolicySyntaxError):
        parse_json_with_locations(text)


def test_duplicate_keys_in_different_objects_are_fine() -> None:
    parsed = parse_all_ways(doc(ALLOW_ALL, ALLOW_ALL))
    assert len(parsed.statements) == 2


def test_trailing_commas_are_rejected_as_iam_does() -> None:
    for text in (
        '{"Statement": [{"Effect": "Allow", "Action": "*"},]}',
        '{"Statement": {"Effect": "Allow", "Action": "*",}}',
    ):
        assert "trailing comma" in syntax_error(text).message


def test_deep_nesting_is_refused_beyond_the_documented_limit() -> None:
    nested = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    value, _ = parse_json_with_locations(nested)
    assert parse_json(nested) == value
    too_deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    for parse in (parse_json, parse_json_with_locations):
        with pytest.raises(PolicySyntaxError) as info:
            parse(too_deep)
        assert f"deeper than {MAX_DEPTH} levels" in info.value.message
        assert (info.value.line, info.value.column) == (1, MAX_DEPTH + 1)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000],
)
def test_pathological_nesting_raises_a_syntax_error_not_recursion_error(text: str) -> None:
    syntax_error(text)
    with pytest.raises(PolicySyntaxError):
        parse_json(text)


def test_huge_integers_and_floats() -> None:
    value = parse_json_with_locations("[" + "9" * 4000 + ", 1e308, -0, 1E-400]")[0]
    assert value == [int("9" * 4000), 1e308, 0, 0.0]
    assert parse_json("[" + "9" * 4000 + ", 1e308, -0, 1E-400]") == value


# ---------------------------------------------------------------------------------------------
# Text input: bytes, BOM, URL encoding.


def test_bytes_must_be_utf8_and_the_error_is_located() -> None:
    data = b'{"Statement": [\n  {"Sid": "caf\xc3\xa9 \xff"}]}'
    error = syntax_error(data, file="b.json")
    assert (error.line, error.column) == (2, 17)
    assert "not valid UTF-8" in error.message and "0xFF" in error.message


def test_utf16_files_get_a_helpful_message() -> None:
    data = json.dumps(doc(ALLOW_ALL)).encode("utf-16")
    assert "UTF-16" in (syntax_error(data).help or "")


def test_a_leading_byte_order_mark_is_tolerated() -> None:
    text = json.dumps(doc(ALLOW_ALL))
    expected = parse_policy(text).model_dump()
    assert parse_policy("\ufeff" + text).model_dump() == expected
    assert parse_policy(b"\xef\xbb\xbf" + text.encode()).model_dump() == expected
    assert parse_policy("\ufeff" + text, locations=False).model_dump() == expected


def test_url_encoded_documents_from_the_iam_api_are_decoded() -> None:
    value = doc({**ALLOW_ALL, "Resource": "arn:aws:s3:::my bucket/a+b%"})
    encoded = quote(json.dumps(value), safe="")
    assert encoded.startswith("%7B")
    for source in (encoded, "%7b" + encoded[3:], "\n " + encoded, encoded.encode()):
        assert parse_policy(source).to_json() == value
    assert parse_policy(encoded, locations=False).to_json() == value


def test_url_encoded_text_that_is_not_utf8_is_a_syntax_error() -> None:
    with pytest.raises(PolicySyntaxError, match="URL-encoded"):
        parse_policy("%7B%FF%7D")


# ---------------------------------------------------------------------------------------------
# Locations


def test_locations_point_at_keys_and_elements() -> None:
    text = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject",
                 "s3:PutObject"],
      "Resource": "*"
    }
  ]
}"""
    parsed = parse_policy(text)
    assert parsed.locations is not None
    assert parsed.location_of(()) == (1, 1)
    assert parsed.location_of(("Version",)) == (2, 3)
    assert parsed.location_of(("Statement",)) == (3, 3)
    assert parsed.location_of(("Statement", 0)) == (4, 5)
    assert parsed.location_of(("Statement", 0, "Action")) == (6, 7)
    assert parsed.location_of(("Statement", 0, "Action", 1)) == (7, 18)
    assert parsed.location_of(("Statement", 0, "Action", 1, "nope")) == (7, 18)
    assert parse_policy(text, locations=False).locations is None


def test_columns_count_characters_not_bytes() -> None:
    _, where = parse_json_with_locations('{"é😀": "x", "b": 1}')
    assert where[("b",)] == (1, 13)


def test_parse_json_with_locations_reads_any_json() -> None:
    data = b'\xef\xbb\xbf[1, {"a": null, "b": [true, false]}, "s"]'
    value, where = parse_json_with_locations(data, file="s.json")
    assert value == [1, {"a": None, "b": [True, False]}, "s"]
    assert where == {
        (): (1, 1),
        (0,): (1, 2),
        (1,): (1, 5),
        (1, "a"): (1, 6),
        (1, "b"): (1, 17),
        (1, "b", 0): (1, 23),
        (1, "b", 1): (1, 29),
        (2,): (1, 38),
    }
    assert parse_json(b'[1, {"a": null, "b": [true, false]}, "s"]') == value


def test_line_breaks_other_than_newline_do_not_start_lines() -> None:
    _, where = parse_json_with_locations('{\r\n"a": 1,\r\n"b": 2}')
    assert where[("b",)] == (3, 1)


# ---------------------------------------------------------------------------------------------
# The grammar


def test_the_json_grammar_is_lalr_and_agrees_with_the_driver() -> None:
    lark = json_grammar()
    assert lark.options.parser == "lalr"
    for text in ['{"a": [1, 2.5, true, false, null, "x\\n"]}', "[]", "{}", '"s"', "-1e5"]:
        lark.parse(text)  # the reference parser accepts what the driver accepts
        assert parse_json_with_locations(text)[0] == json.loads(text)


def test_the_grammar_ships_with_the_package() -> None:
    from policyengine.resources import grammar_text

    assert "STRING" in grammar_text("json.lark")


def test_messages_carry_no_python_class_names() -> None:
    errors = validation_errors(doc({**ALLOW_ALL, "Action": {"x": 1}}, Id=[1]))
    for error in errors:
        assert not re.search(r"dict|NoneType|tuple|<class", error.message)


def test_a_policy_embedded_in_another_file_is_located_in_that_file() -> None:
    """What a scenario loader does: parse the whole file, re-root the locations, build."""
    text = '{\n  "name": "s",\n  "policy": {\n    "Statement": {"Effect": "Alow", "Action": "*"}\n  }\n}'
    value, where = parse_json_with_locations(text, file="scenario.json")
    inner = {path[1:]: at for path, at in where.items() if path[:1] == ("policy",)}
    with pytest.raises(PolicyValidationError) as info:
        build_policy(value["policy"], locations=inner, file="scenario.json")
    (error,) = info.value.errors
    assert (error.code, error.line, error.column) == (codes.INVALID_EFFECT, 4, 19)
    assert str(error).startswith("scenario.json:4:19: `Effect` must be `Allow` or `Deny`")
