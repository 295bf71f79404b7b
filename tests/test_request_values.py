"""Request context values of the wrong type: what is refused, what is an evaluation error.

`Request` takes any map of condition keys as it is; the only contexts refused (with a
typed `RequestError`, docs/concepts.md "Failing closed") are those that are not a map of
string keys. Every value is then a decision case: an operator reads it, or the statement
is an evaluation error and the request is `implicitDeny` / `EVALUATION_ERROR`, never
`allowed` (the differential test compares this with the reference evaluator on generated
values; the cases here are the ones it found).
"""

from __future__ import annotations

from typing import Any

import pytest

import policyengine as pe

USER = "arn:aws:iam::111122223333:user/alice"
VERSION = "2012-10-17"


def _decide(statements: list[dict[str, Any]], context: dict[str, Any],
            resource: str = "arn:aws:s3:::home/red/notes.txt") -> pe.Decision:
    policy = {"Version": VERSION, "Statement": statements}
    return pe.authorize(pe.Request(USER, "s3:GetObject", resource, context=context), identity=[policy])


ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}

# IAM User Guide, policy variables (lambda-permissions.md §2.7): a variable stands for the
# text of a single-valued key; multivalued keys may not be used (no value: the entry
# matches nothing, a negated operator matches). A JSON object has no text: substituting
# Python's repr of it (`{'k': 'v'}`) let a Deny silently miss and an Allow on `NotResource`
# or a negated operator apply. It is a type error like an object in a String condition.
OBJECT = {"team": "red"}
VARIABLE_CASES = [
    # (case, statements, team value, decision, code)
    ("deny_resource_object", [{"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"},
                              ALLOW_ALL], OBJECT, "implicitDeny", "EVALUATION_ERROR"),
    ("allow_notresource_object", [{"Effect": "Allow", "Action": "*",
                                   "NotResource": "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"}],
     OBJECT, "implicitDeny", "EVALUATION_ERROR"),
    ("deny_stringequals_object", [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {
        "StringEquals": {"aws:username": "${aws:PrincipalTag/team}"}}}, ALLOW_ALL],
     OBJECT, "implicitDeny", "EVALUATION_ERROR"),
    ("allow_stringnotequals_object", [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "StringNotEquals": {"aws:username": "${aws:PrincipalTag/team}"}}}],
     OBJECT, "implicitDeny", "EVALUATION_ERROR"),
    ("allow_arnnotequals_object", [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "ArnNotEquals": {"aws:SourceArn": "arn:aws:s3:::${aws:PrincipalTag/team}"}}}],
     OBJECT, "implicitDeny", "EVALUATION_ERROR"),
    ("object_with_default_is_still_an_error", [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "StringNotLike": {"aws:SourceArn": "arn:*:s3:::${aws:PrincipalTag/team, 'reports'}"}}}],
     OBJECT, "implicitDeny", "EVALUATION_ERROR"),
    # unchanged: a list is multi-valued (no value), numbers and booleans are their JSON text
    ("list_is_no_value_in_resource", [{"Effect": "Allow", "Action": "*",
                                       "Resource": "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"}],
     ["red"], "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("list_is_no_value_negated_matches", [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "StringNotEquals": {"aws:username": "${aws:PrincipalTag/team}"}}}], ["red"], "allowed", "ALLOWED"),
    ("number_is_its_text", [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"}],
     7, "allowed", "ALLOWED"),
    ("boolean_is_its_text", [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "StringEquals": {"aws:SourceArn": "arn:aws:s3:::${aws:PrincipalTag/team}"}}}], True, "allowed", "ALLOWED"),
]


@pytest.mark.parametrize("statements,team,decision,code", [c[1:] for c in VARIABLE_CASES],
                         ids=[c[0] for c in VARIABLE_CASES])
def test_policy_variable_with_a_value_that_has_no_text(statements: list[dict[str, Any]], team: Any,
                                                       decision: str, code: str) -> None:
    resource = "arn:aws:s3:::home/7/notes.txt" if team == 7 else "arn:aws:s3:::home/red/notes.txt"
    context = {"aws:PrincipalTag/team": team, "aws:SourceArn": "arn:aws:s3:::true"}
    d = _decide(statements, context, resource)
    assert (d.decision, d.code.value) == (decision, code), d.reasons
    if code == "EVALUATION_ERROR":
        assert "aws:PrincipalTag/team" in d.errors[0]
        explained = pe.authorize(pe.Request(USER, "s3:GetObject", resource, context=context),
                                 identity=[{"Version": VERSION, "Statement": statements}], explain=True)
        assert explained.decision == "implicitDeny"


# IAM condition operators (lambda-permissions.md §2.3): Numeric values are "integer or
# decimal" (JSON number grammar, RFC 8259: DIGIT = %x30-39), Date values W3C ISO 8601 or
# epoch seconds (ISO 8601 digits are 0-9). Python's `\d` also matches other scripts'
# digits, which the engine read as numbers (`"٣"` was 3, `"٢٠١٩-٠٦-٠١"` a date).
DIGIT_CASES = [
    ("numeric_arabic_indic", "NumericLessThan", "s3:max-keys", "10", "٣", "EVALUATION_ERROR"),
    ("numeric_fullwidth", "NumericEquals", "s3:max-keys", "10", "１０", "EVALUATION_ERROR"),
    ("numeric_ascii", "NumericLessThan", "s3:max-keys", "10", "3", "ALLOWED"),
    ("date_arabic_indic_iso", "DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", "٢٠١٩-٠٦-٠١",
     "EVALUATION_ERROR"),
    ("date_arabic_indic_epoch", "DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", "٣", "EVALUATION_ERROR"),
    ("date_ascii_epoch", "DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", "3", "ALLOWED"),
    ("date_ascii_iso", "DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z", "2019-06-01", "ALLOWED"),
]


@pytest.mark.parametrize("operator,key,policy_value,request_value,code", [c[1:] for c in DIGIT_CASES],
                         ids=[c[0] for c in DIGIT_CASES])
def test_numbers_and_dates_are_read_with_ascii_digits_only(operator: str, key: str, policy_value: str,
                                                            request_value: str, code: str) -> None:
    d = _decide([{"Effect": "Allow", "Action": "*", "Resource": "*",
                  "Condition": {operator: {key: policy_value}}}], {key: request_value})
    assert d.code.value == code, d.reasons


def test_non_ascii_digits_in_a_numeric_policy_value_do_not_compile() -> None:
    policy = {"Version": VERSION, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
                                                 "Condition": {"NumericLessThan": {"s3:max-keys": "١٠"}}}]}
    with pytest.raises(pe.PolicyEngineError):
        pe.PolicySet(identity=[policy])


# docs/concepts.md, failing closed: "A request that cannot be read ... is refused with an
# exception" (a typed RequestError, not a decision). A key name that is not a string raised
# AttributeError from deep inside the evaluator.
REFUSED_CONTEXTS = [
    ("list", ["aws:SourceIp"]),
    ("string", "aws:SourceIp=10.0.0.1"),
    ("none", None),
    ("number_key", {1: "x"}),
    ("null_key", {None: "x"}),
    ("tuple_key", {("aws:SourceIp",): "10.0.0.1"}),
]


@pytest.mark.parametrize("context", [c[1] for c in REFUSED_CONTEXTS], ids=[c[0] for c in REFUSED_CONTEXTS])
def test_a_context_that_is_not_a_map_of_key_names_is_refused(context: Any) -> None:
    with pytest.raises(pe.RequestError):
        pe.authorize(pe.Request(USER, "s3:GetObject", context=context), identity=[
            {"Version": VERSION, "Statement": [ALLOW_ALL]}])


# Negated operators, so that a value read wrongly (or skipped) would show as `allowed`.
NEGATED = [("NumericNotEquals", "s3:max-keys", "5"), ("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"),
           ("DateNotEquals", "aws:CurrentTime", "2020-01-01"), ("StringNotEquals", "aws:PrincipalTag/team", "blue")]
E, A = "EVALUATION_ERROR", "ALLOWED"
VALUE_CASES = [
    # (value, codes for NEGATED in order)
    (None, (A, A, A, A)),  # JSON null is an absent key: a negated operator is true
    ({"a": 1}, (E, E, E, E)),
    ([None], (E, E, E, E)),
    ([[]], (E, E, E, E)),
    ([{"a": 1}], (E, E, E, E)),
    (b"\x00", (E, E, E, E)),
    ({"x"}, (E, E, E, E)),
    (float("nan"), (E, E, E, A)),  # a String operator compares a JSON number as its text
    (float("inf"), (E, E, E, A)),
    (True, (E, E, E, A)),
    ("", (E, E, E, A)),
]


@pytest.mark.parametrize("value,codes", VALUE_CASES, ids=[repr(c[0]) for c in VALUE_CASES])
def test_any_value_is_a_decision_case_never_an_exception(value: Any, codes: tuple[str, ...]) -> None:
    """A value no condition reads is fine; a value a condition cannot read is an evaluation
    error, never `allowed` and never an exception."""
    ctx = {key: value for _, key, _ in NEGATED}
    assert _decide([ALLOW_ALL], ctx).decision == "allowed"
    for (operator, key, policy_value), code in zip(NEGATED, codes):
        d = _decide([{"Effect": "Allow", "Action": "*", "Resource": "*",
                      "Condition": {operator: {key: policy_value}}}], ctx)
        assert d.code.value == code, (operator, d.reasons)
