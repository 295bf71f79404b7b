"""Condition operators, modifiers and combination rules, as AWS documents them.

Every operator case goes through one helper, `check`, which evaluates one
(operator, key, values) entry against a request and checks both the fast path
(`matches`) and the explanation (`explain`): result, and reason when given.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from policyengine.errors import PolicyEngineError
from policyengine.evaluation.conditions import (
    REGISTRY,
    ConditionCompileError,
    ConditionEvaluationError,
    ConditionReason,
    SetQualifier,
    compile_conditions,
    lookup_operator,
)
from policyengine.evaluation.conditions.registry import OperatorRegistry
from policyengine.evaluation.context import RequestContext
from policyengine.model.policy import ConditionEntry

R = ConditionReason
TYPE_ERROR = "type-error"  # expected result: matches() raises ConditionEvaluationError


def entry(operator: str, key: str, policy_values: Any) -> ConditionEntry:
    is_list = isinstance(policy_values, list)
    return ConditionEntry(
        operator=operator, key=key, values=policy_values if is_list else [policy_values], is_list=is_list
    )


def check(
    operator: str,
    key: str,
    policy_values: Any,
    context: dict[str, Any],
    expected: bool | str,
    reason: ConditionReason | None = None,
    *,
    variables: bool = True,
) -> None:
    """Evaluate `{operator: {key: policy_values}}` against `context`, both ways."""
    block = compile_conditions([entry(operator, key, policy_values)], variables_enabled=variables)
    if expected == TYPE_ERROR:
        with pytest.raises(ConditionEvaluationError) as info:
            block.matches(RequestContext(context))
        assert info.value.key == key and info.value.operator == operator
        expected, reason = False, reason or R.TYPE_ERROR
    else:
        assert block.matches(RequestContext(context)) is expected
    [outcome] = block.explain(RequestContext(context))
    assert outcome.matched is expected, outcome
    assert outcome.operator == operator and outcome.key == key
    if reason is not None:
        assert outcome.reason is reason, outcome
    assert outcome.detail


def case(operator: str, key: str, values: Any, context: dict[str, Any], expected: Any,
         reason: ConditionReason | None = None, *, id: str, variables: bool = True) -> Any:
    return pytest.param(operator, key, values, context, expected, reason, variables, id=id)


def run(operator, key, values, context, expected, reason, variables):  # noqa: ANN001
    check(operator, key, values, context, expected, reason, variables=variables)


K = "aws:PrincipalTag/team"

STRING_CASES = [
    case("StringEquals", K, "data", {K: "data"}, True, R.MATCHED, id="string-equals-exact"),
    case("StringEquals", K, "data", {K: "Data"}, False, R.VALUE_MISMATCH, id="string-equals-is-case-sensitive"),
    case("StringEquals", K, "da*", {K: "data"}, False, id="string-equals-treats-star-literally"),
    case("StringEquals", K, "da*", {K: "da*"}, True, id="string-equals-star-matches-itself"),
    case("StringEquals", K, ["ml", "data"], {K: "data"}, True, id="values-under-positive-operator-are-ORed"),
    case("StringEquals", K, ["ml", "data"], {K: "ops"}, False, id="no-value-matches"),
    case("StringEquals", K, "data", {}, False, R.KEY_MISSING, id="missing-key-positive-operator-false"),
    case("StringNotEquals", K, "data", {}, True, R.KEY_MISSING, id="missing-key-negated-operator-true"),
    case("StringNotEquals", K, ["ml", "data"], {K: "data"}, False, id="values-under-negated-operator-are-NORed"),
    case("StringNotEquals", K, ["ml", "data"], {K: "ops"}, True, R.MATCHED, id="negated-true-when-no-value-matches"),
    case("StringEqualsIgnoreCase", K, "DATA", {K: "data"}, True, id="ignore-case-equals"),
    case("StringEqualsIgnoreCase", K, "d*", {K: "data"}, False, id="ignore-case-has-no-wildcards"),
    case("StringNotEqualsIgnoreCase", K, "DATA", {K: "Data"}, False, id="not-equals-ignore-case"),
    case("StringNotEqualsIgnoreCase", K, "DATA", {K: "ml"}, True, id="not-equals-ignore-case-true"),
    case("StringLike", "s3:prefix", "home/*", {"s3:prefix": "home/alice/x"}, True, id="string-like-star"),
    case("StringLike", "s3:prefix", "home/?", {"s3:prefix": "home/a"}, True, id="string-like-question-mark"),
    case("StringLike", "s3:prefix", "home/?", {"s3:prefix": "home/ab"}, False, id="question-mark-is-one-char"),
    case("StringLike", "s3:prefix", "Home/*", {"s3:prefix": "home/a"}, False, id="string-like-is-case-sensitive"),
    case("StringLike", "s3:prefix", ["a*", "b*"], {"s3:prefix": "bx"}, True, id="string-like-values-ORed"),
    case("StringNotLike", "s3:prefix", ["a*", "b*"], {"s3:prefix": "bx"}, False, id="string-not-like-NOR"),
    case("StringNotLike", "s3:prefix", ["a*", "b*"], {"s3:prefix": "cx"}, True, id="string-not-like-true"),
    case("StringLike", "s3:prefix", "", {"s3:prefix": ""}, True, id="empty-pattern-matches-empty"),
    case("StringEquals", "aws:SecureTransport", "true", {"aws:SecureTransport": True}, True,
         id="json-boolean-request-compares-as-text"),
    case("StringEquals", "s3:max-keys", 10, {"s3:max-keys": "10"}, True, id="json-number-policy-compares-as-text"),
    case("StringEquals", "s3:max-keys", "10", {"s3:max-keys": 10}, True, id="json-number-request-compares-as-text"),
    case("StringEquals", K, "data", {K: {"not": "a string"}}, TYPE_ERROR, id="object-request-value-is-type-error"),
    case("StringEquals", K, [], {K: "data"}, False, id="empty-policy-list-positive-false"),
    case("StringNotEquals", K, [], {K: "data"}, True, id="empty-policy-list-negated-true"),
]

NUMERIC_CASES = [
    case("NumericEquals", "s3:max-keys", "1.0", {"s3:max-keys": 1}, True, id="numeric-1.0-equals-1"),
    case("NumericEquals", "s3:max-keys", "10", {"s3:max-keys": "10.00"}, True, id="numeric-string-request"),
    case("NumericEquals", "s3:max-keys", 10, {"s3:max-keys": 10}, True, id="numeric-json-numbers"),
    case("NumericEquals", "s3:max-keys", "0.1", {"s3:max-keys": 0.1}, True, id="float-request-is-exact-decimal"),
    case("NumericEquals", "s3:max-keys", "1e2", {"s3:max-keys": 100}, True, id="exponent-notation"),
    case("NumericLessThan", "s3:max-keys", "10", {"s3:max-keys": 5}, True, id="less-than"),
    case("NumericLessThan", "s3:max-keys", "10", {"s3:max-keys": 10}, False, id="less-than-is-strict"),
    case("NumericLessThan", "s3:max-keys", "10", {"s3:max-keys": "9.99"}, True, id="less-than-decimal"),
    case("NumericLessThanEquals", "s3:max-keys", "10", {"s3:max-keys": 10}, True, id="less-than-equals"),
    case("NumericGreaterThan", "s3:max-keys", "-1.5", {"s3:max-keys": "0"}, True, id="greater-than-negative"),
    case("NumericGreaterThan", "s3:max-keys", "10", {"s3:max-keys": 10}, False, id="greater-than-is-strict"),
    case("NumericGreaterThanEquals", "s3:max-keys", "10", {"s3:max-keys": 10}, True, id="greater-than-equals"),
    case("NumericLessThan", "s3:max-keys", [5, 10], {"s3:max-keys": 7}, True, id="numeric-values-ORed"),
    case("NumericGreaterThan", "s3:max-keys", [5, 10], {"s3:max-keys": 7}, True, id="numeric-gt-values-ORed"),
    case("NumericNotEquals", "s3:max-keys", [1, 2], {"s3:max-keys": 2}, False, id="numeric-not-equals-NOR"),
    case("NumericNotEquals", "s3:max-keys", [1, 2], {"s3:max-keys": 3}, True, id="numeric-not-equals-true"),
    case("NumericNotEquals", "s3:max-keys", 1, {}, True, R.KEY_MISSING, id="numeric-negated-missing-true"),
    case("NumericLessThan", "s3:max-keys", 1, {}, False, R.KEY_MISSING, id="numeric-missing-false"),
    case("NumericLessThan", "s3:max-keys", "10", {"s3:max-keys": "abc"}, TYPE_ERROR,
         id="non-numeric-request-is-type-error"),
    case("NumericLessThan", "s3:max-keys", "10", {"s3:max-keys": True}, TYPE_ERROR,
         id="boolean-request-is-not-a-number"),
    case("NumericLessThan", "s3:max-keys", "10", {"s3:max-keys": " 5"}, TYPE_ERROR, id="no-whitespace-in-numbers"),
    case("NumericLessThan", "s3:max-keys", [], {"s3:max-keys": "abc"}, TYPE_ERROR,
         id="type-error-even-with-no-policy-values"),
]

T = "aws:CurrentTime"
DATE_CASES = [
    case("DateLessThan", T, "2026-01-01T00:00:00Z", {T: "2025-12-31T23:59:59Z"}, True, id="date-less-than"),
    case("DateLessThan", T, "2026-01-01T00:00:00Z", {T: "2026-01-01T00:00:00Z"}, False, id="date-less-than-strict"),
    case("DateEquals", T, "2026-01-01", {T: "2026-01-01T00:00:00Z"}, True, id="date-only-is-midnight-utc"),
    case("DateEquals", T, "2026-01-01T01:00:00+01:00", {T: "2026-01-01T00:00:00Z"}, True,
         id="dates-compare-as-instants-across-offsets"),
    case("DateEquals", T, "2026-01-01T00:00:00-0130", {T: "2026-01-01T01:30:00Z"}, True, id="offset-without-colon"),
    case("DateEquals", T, "2026-01-01T00:00:00", {T: "2026-01-01T00:00:00Z"}, True, id="no-zone-means-utc"),
    case("DateEquals", T, "2026-01-01T00:00Z", {T: "2026-01-01T00:00:00Z"}, True, id="minutes-precision"),
    case("DateEquals", T, "2026-01", {T: "2026-01-01"}, True, id="year-month"),
    case("DateGreaterThan", T, "2026-01-01T00:00:00Z", {T: "2026-01-01T00:00:00.5Z"}, True,
         id="fractional-seconds"),
    case("DateEquals", T, "2026-01-01T00:00:00.123456789Z", {T: "2026-01-01T00:00:00,123456789Z"}, True,
         id="nanosecond-fractions-and-comma"),
    case("DateEquals", "aws:EpochTime", 1767225600, {"aws:EpochTime": "2026-01-01T00:00:00Z"}, True,
         id="epoch-number-policy"),
    case("DateEquals", "aws:EpochTime", "2026-01-01T00:00:00Z", {"aws:EpochTime": "1767225600"}, True,
         id="epoch-numeric-string-request"),
    case("DateEquals", "aws:EpochTime", "2026-01-01T00:00:00Z", {"aws:EpochTime": 1767225600}, True,
         id="epoch-number-request"),
    case("DateLessThan", "aws:EpochTime", "1767225600.5", {"aws:EpochTime": 1767225600.25}, True,
         id="fractional-epoch"),
    case("DateGreaterThanEquals", T, "2026-01-01", {T: "2026-01-01"}, True, id="greater-than-equals"),
    case("DateLessThanEquals", T, "2026-01-01", {T: "2026-01-02"}, False, id="less-than-equals"),
    case("DateNotEquals", T, ["2026-01-01", "2026-01-02"], {T: "2026-01-02"}, False, id="date-not-equals-NOR"),
    case("DateNotEquals", T, "2026-01-01", {}, True, R.KEY_MISSING, id="date-negated-missing-true"),
    case("DateLessThan", T, "2026-01-01", {T: "yesterday"}, TYPE_ERROR, id="malformed-request-date-is-type-error"),
    case("DateLessThan", T, "2026-01-01", {T: "2026-02-30"}, TYPE_ERROR, id="impossible-request-date"),
]

BOOL_CASES = [
    case("Bool", "aws:SecureTransport", "true", {"aws:SecureTransport": True}, True, id="bool-true"),
    case("Bool", "aws:SecureTransport", "TRUE", {"aws:SecureTransport": "true"}, True, id="bool-case-insensitive"),
    case("Bool", "aws:SecureTransport", "false", {"aws:SecureTransport": "False"}, True, id="bool-false-string"),
    case("Bool", "aws:SecureTransport", True, {"aws:SecureTransport": True}, True, id="bool-json-policy-value"),
    case("Bool", "aws:SecureTransport", "true", {"aws:SecureTransport": False}, False, id="bool-mismatch"),
    case("Bool", "aws:SecureTransport", "true", {}, False, R.KEY_MISSING, id="bool-missing-false"),
    case("BoolIfExists", "aws:SecureTransport", "false", {}, True, R.KEY_MISSING_IFEXISTS,
         id="bool-if-exists-missing-true"),
    case("Bool", "aws:MultiFactorAuthPresent", "false", {}, False,
         id="bool-false-on-absent-mfa-key-does-not-match"),
    case("Bool", "aws:SecureTransport", "true", {"aws:SecureTransport": "yes"}, TYPE_ERROR, id="bool-type-error"),
    case("Bool", "aws:SecureTransport", "true", {"aws:SecureTransport": 1}, TYPE_ERROR, id="one-is-not-a-bool"),
]

B64 = base64.b64encode(b"BinaryValue").decode()
BINARY_CASES = [
    case("BinaryEquals", "k:bin", B64, {"k:bin": b"BinaryValue"}, True, id="binary-bytes-request"),
    case("BinaryEquals", "k:bin", B64, {"k:bin": B64}, True, id="binary-base64-request"),
    case("BinaryEquals", "k:bin", B64, {"k:bin": b"Other"}, False, id="binary-mismatch"),
    case("BinaryEquals", "k:bin", [B64, "AA=="], {"k:bin": b"\x00"}, True, id="binary-values-ORed"),
    case("BinaryEquals", "k:bin", B64, {"k:bin": "not base64!"}, TYPE_ERROR, id="binary-bad-request"),
]

IP = "aws:SourceIp"
IP_CASES = [
    case("IpAddress", IP, "10.0.0.0/8", {IP: "10.1.2.3"}, True, id="ipv4-in-cidr"),
    case("IpAddress", IP, "10.0.0.0/8", {IP: "11.0.0.1"}, False, R.VALUE_MISMATCH, id="ipv4-not-in-cidr"),
    case("IpAddress", IP, "203.0.113.9", {IP: "203.0.113.9"}, True, id="bare-ipv4-is-slash-32"),
    case("IpAddress", IP, "203.0.113.9", {IP: "203.0.113.10"}, False, id="bare-ipv4-is-one-address"),
    case("IpAddress", IP, "10.1.2.3/8", {IP: "10.200.0.1"}, True, id="host-bits-ignored"),
    case("IpAddress", IP, "2001:db8::/32", {IP: "2001:db8:1::5"}, True, id="ipv6-in-cidr"),
    case("IpAddress", IP, "2001:DB8::/32", {IP: "2001:db9::1"}, False, id="ipv6-not-in-cidr"),
    case("IpAddress", IP, "2001:db8::1", {IP: "2001:db8::2"}, False, id="bare-ipv6-is-slash-128"),
    case("IpAddress", IP, "2001:db8::1", {IP: "2001:0db8:0::1"}, True, id="ipv6-compares-as-address"),
    case("IpAddress", IP, "10.0.0.0/8", {IP: "::ffff:10.0.0.1"}, False, id="ipv4-mapped-ipv6-is-not-ipv4"),
    case("IpAddress", IP, "::/0", {IP: "10.0.0.1"}, False, id="ipv4-never-in-ipv6-range"),
    case("IpAddress", IP, ["10.0.0.0/8", "2001:db8::/32"], {IP: "2001:db8::1"}, True, id="mixed-families-ORed"),
    case("NotIpAddress", IP, "10.0.0.0/8", {}, True, R.KEY_MISSING, id="not-ip-address-true-via-vpc-endpoint"),
    case("NotIpAddress", IP, ["10.0.0.0/8", "192.168.0.0/16"], {IP: "192.168.1.1"}, False,
         id="not-ip-address-NOR"),
    case("NotIpAddress", IP, ["10.0.0.0/8", "192.168.0.0/16"], {IP: "203.0.113.9"}, True,
         id="not-ip-address-true"),
    case("IpAddress", IP, "10.0.0.0/8", {IP: "not-an-ip"}, TYPE_ERROR, id="malformed-request-ip"),
    case("IpAddress", IP, "10.0.0.0/8", {IP: "10.0.0.0/8"}, TYPE_ERROR, id="request-cidr-is-not-an-address"),
]

SA = "aws:SourceArn"
ASYM_PATTERN = "arn:aws:svc:*:111122223333:finance/*"
ASYM_VALUE = "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/doc.txt"
FN = "arn:aws:lambda:us-east-1:111122223333:function:resize"
ARN_CASES = [
    case("StringLike", SA, ASYM_PATTERN, {SA: ASYM_VALUE}, True, id="string-like-star-crosses-colons"),
    case("ArnLike", SA, ASYM_PATTERN, {SA: ASYM_VALUE}, False, id="arn-like-star-stays-in-its-component"),
    case("ArnEquals", SA, ASYM_PATTERN, {SA: ASYM_VALUE}, False, id="arn-equals-is-arn-like"),
    case("ArnLike", SA, "arn:aws:lambda:*:111122223333:function:*", {SA: FN}, True, id="arn-like-match"),
    case("ArnEquals", SA, "arn:aws:lambda:*:111122223333:function:*", {SA: FN}, True,
         id="arn-equals-honours-wildcards"),
    case("ArnEquals", SA, FN, {SA: FN}, True, id="arn-equals-literal"),
    case("ArnLike", SA, "arn:aws:lambda:*:111122223333:function:*", {SA: FN + ":3"}, True,
         id="resource-component-keeps-its-colons"),
    case("ArnLike", SA, "arn:aws:lambda:us-east-1:11112222333?:function:resize", {SA: FN}, True,
         id="question-mark-in-account"),
    case("ArnLike", SA, "arn:aws:lambda:us-east-1:111122223333:function:RESIZE", {SA: FN}, False,
         id="arn-like-is-case-sensitive"),
    case("ArnLike", SA, "arn:aws:s3:::bucket/*", {SA: "arn:aws:s3:::bucket/key/x"}, True, id="s3-arn-empty-parts"),
    case("ArnLike", SA, "arn:aws:s3:::bucket/*", {SA: "arn:aws:s3:us-east-1::bucket/key"}, False,
         id="empty-component-matches-only-empty"),
    case("ArnLike", SA, "arn:*:*:*:*:*", {SA: "not-an-arn"}, False, id="non-arn-request-does-not-match"),
    case("ArnNotLike", SA, "arn:*:*:*:*:*", {SA: "not-an-arn"}, True, id="non-arn-request-negated-true"),
    case("ArnLike", SA, "*", {SA: FN}, False, id="non-arn-policy-value-matches-nothing"),
    case("ArnNotLike", SA, ["arn:aws:lambda:*:*:function:a*", "arn:aws:lambda:*:*:function:r*"], {SA: FN},
         False, id="arn-not-like-NOR"),
    case("ArnNotEquals", SA, "arn:aws:lambda:*:*:function:x", {SA: FN}, True, id="arn-not-equals-true"),
    case("ArnNotEquals", SA, FN, {}, True, R.KEY_MISSING, id="arn-negated-missing-true"),
]

N = "aws:TokenIssueTime"
NULL_CASES = [
    case("Null", N, "true", {}, True, R.MATCHED, id="null-true-key-absent"),
    case("Null", N, "true", {N: "2026-01-01"}, False, R.VALUE_MISMATCH, id="null-true-key-present"),
    case("Null", N, "false", {N: "2026-01-01"}, True, id="null-false-key-present"),
    case("Null", N, "false", {}, False, id="null-false-key-absent"),
    case("Null", N, "TRUE", {N: None}, True, id="null-json-null-is-absent"),
    case("Null", N, True, {N: []}, True, id="null-empty-list-is-absent"),
    case("Null", N, "false", {N: ""}, True, id="null-empty-string-is-present"),
    case("Null", N, ["true", "false"], {}, True, id="null-values-ORed"),
    # A set prefix on Null quantifies over the key's values, each present (the IAM policy
    # simulator's answers, as PMapper's simulator-validated tests record them): no values ->
    # ForAllValues true, ForAnyValue false; present -> as Null.
    case("ForAnyValue:Null", N, "true", {}, False, R.KEY_MISSING, id="for-any-value-null-absent-false"),
    case("ForAnyValue:Null", N, "false", {}, False, R.KEY_MISSING, id="for-any-value-null-false-absent"),
    case("ForAnyValue:Null", N, "false", {N: "x"}, True, id="for-any-value-null-false-present"),
    case("ForAnyValue:Null", N, "true", {N: "x"}, False, R.VALUE_MISMATCH, id="for-any-value-null-true-present"),
    case("ForAllValues:Null", N, "false", {}, True, R.KEY_MISSING, id="for-all-values-null-false-absent-true"),
    case("ForAllValues:Null", N, "true", {}, True, R.KEY_MISSING, id="for-all-values-null-true-absent"),
    case("ForAllValues:Null", N, "true", {N: "x"}, False, R.VALUE_MISMATCH, id="for-all-values-null-true-present"),
    case("ForAllValues:Null", N, "false", {N: []}, True, R.KEY_MISSING, id="for-all-values-null-empty-set"),
]

IFEXISTS_CASES = [
    case("StringEqualsIfExists", K, "data", {}, True, R.KEY_MISSING_IFEXISTS, id="if-exists-missing-true"),
    case("StringEqualsIfExists", K, "data", {K: "ml"}, False, R.VALUE_MISMATCH, id="if-exists-present-evaluates"),
    case("StringEqualsIfExists", K, "data", {K: "data"}, True, id="if-exists-present-match"),
    case("StringNotEqualsIfExists", K, "data", {}, True, R.KEY_MISSING_IFEXISTS, id="negated-if-exists-missing"),
    case("ArnLikeIfExists", SA, "arn:aws:lambda:*:*:*:*", {}, True, id="arn-like-if-exists"),
    case("NumericLessThanIfExists", "s3:max-keys", "10", {"s3:max-keys": "x"}, TYPE_ERROR,
         id="if-exists-present-type-error"),
    case("stringequalsifexists", K, "data", {}, True, id="operator-names-are-case-insensitive"),
]

TK = "aws:TagKeys"
SET_CASES = [
    # AWS's table for ForAllValues:StringNotLike aws:TagKeys "key1*" in a Deny
    case("ForAllValues:StringNotLike", TK, "key1*", {TK: ["key2:audit"]}, True, id="aws-table-key2-audit-matches"),
    case("ForAllValues:StringNotLike", TK, "key1*", {TK: ["key1:hr", "key1:personnel"]}, False,
         id="aws-table-key1-values-do-not-match"),
    case("ForAllValues:StringNotLike", TK, "key1*", {}, True, R.KEY_MISSING, id="aws-table-absent-key-matches"),
    case("ForAllValues:StringEquals", TK, ["env", "team"], {TK: ["env", "team"]}, True, id="for-all-values-subset"),
    case("ForAllValues:StringEquals", TK, ["env", "team"], {TK: ["env", "cost"]}, False,
         id="for-all-values-one-outside"),
    case("ForAllValues:StringEquals", TK, ["env"], {TK: []}, True, R.EMPTY_SET, id="for-all-values-empty-set-true"),
    case("ForAllValues:StringEquals", TK, ["env"], {TK: ""}, True, R.EMPTY_SET,
         id="for-all-values-empty-string-is-null-data-set"),
    case("ForAllValues:StringEquals", TK, ["env"], {}, True, R.KEY_MISSING, id="for-all-values-missing-true"),
    case("ForAnyValue:StringEquals", TK, ["env"], {TK: ["cost", "env"]}, True, id="for-any-value-one-inside"),
    case("ForAnyValue:StringEquals", TK, ["env"], {TK: ["cost"]}, False, id="for-any-value-none-inside"),
    case("ForAnyValue:StringEquals", TK, ["env"], {}, False, R.KEY_MISSING, id="for-any-value-missing-false"),
    case("ForAnyValue:StringEquals", TK, ["env"], {TK: []}, False, R.EMPTY_SET, id="for-any-value-empty-false"),
    case("ForAnyValue:StringEquals", TK, ["env"], {TK: ""}, False, R.EMPTY_SET,
         id="for-any-value-empty-string-false"),
    case("ForAnyValue:StringNotEquals", TK, ["env"], {}, False, R.KEY_MISSING,
         id="for-any-value-negated-missing-still-false"),
    case("ForAnyValue:StringNotEquals", TK, ["env"], {TK: []}, False, id="for-any-value-negated-empty-false"),
    case("ForAnyValue:StringNotEquals", TK, ["env"], {TK: ["env", "cost"]}, True,
         id="for-any-value-negated-one-outside"),
    case("ForAnyValue:StringNotEquals", TK, ["env"], {TK: ["env"]}, False, id="for-any-value-negated-all-inside"),
    case("ForAllValues:StringNotEquals", TK, ["env"], {TK: ["cost", "team"]}, True,
         id="for-all-values-negated-none-inside"),
    # IfExists changes nothing under a set qualifier: ForAnyValue stays false on a missing key
    # (observed in AWS: re:Post "ForAnyValue:StringEqualsIfExists behaving unexpectedly", a role
    # whose only Allow had this condition could not call sqs:ListQueues; iam-simulate documents
    # the same), ForAllValues is true on it either way.
    case("ForAnyValue:StringEqualsIfExists", TK, ["env"], {}, False, R.KEY_MISSING,
         id="for-any-value-if-exists-missing-false"),
    case("ForAnyValue:StringNotEqualsIfExists", TK, ["env"], {}, False, R.KEY_MISSING,
         id="for-any-value-negated-if-exists-missing-false"),
    case("ForAllValues:StringEqualsIfExists", TK, ["env"], {}, True, R.KEY_MISSING,
         id="for-all-values-if-exists-missing-true"),
    case("ForAnyValue:StringEqualsIfExists", TK, ["env"], {TK: ["env"]}, True,
         id="for-any-value-if-exists-present-evaluates"),
    case("ForAnyValue:StringEquals", TK, ["env"], {TK: "env"}, True, id="scalar-is-a-one-element-set"),
    case("forallvalues:StringLike", TK, ["e*"], {TK: ["env", "eks"]}, True, id="set-prefix-is-case-insensitive"),
    case("ForAllValues:NumericLessThan", "k:n", "10", {"k:n": ["1", "x"]}, TYPE_ERROR, id="set-element-type-error"),
    case("ForAnyValue:NumericLessThan", "k:n", "10", {"k:n": ["1", "x"]}, True,
         id="set-stops-at-deciding-element"),
    # plain operators on a multi-valued request value
    case("StringEquals", TK, "env", {TK: ["cost", "env"]}, True, id="plain-positive-on-list-emulates-for-any-value"),
    case("StringEquals", TK, "env", {TK: ["cost"]}, False, id="plain-positive-on-list-no-element-matches"),
    case("StringNotEquals", TK, "env", {TK: ["cost", "env"]}, False, id="plain-negated-on-list-is-NOR"),
    case("StringNotEquals", TK, "env", {TK: ["cost", "team"]}, True, id="plain-negated-on-list-none-match"),
    case("StringEquals", TK, "env", {TK: []}, False, R.EMPTY_SET, id="plain-positive-on-empty-list"),
    case("StringNotEquals", TK, "env", {TK: []}, True, R.EMPTY_SET, id="plain-negated-on-empty-list"),
]

U = "aws:username"
VARIABLE_CASES = [
    case("StringEquals", "s3:prefix", "${aws:username}", {U: "alice", "s3:prefix": "alice"}, True,
         id="variable-substituted"),
    case("StringEquals", "s3:prefix", "${AWS:UserName}", {U: "alice", "s3:prefix": "alice"}, True,
         id="variable-key-is-case-insensitive"),
    case("StringLike", "s3:prefix", "home/${aws:username}/*", {U: "alice", "s3:prefix": "home/alice/x"}, True,
         id="variable-in-string-like"),
    case("StringLike", "s3:prefix", "home/${aws:username}/*", {U: "bob", "s3:prefix": "home/alice/x"}, False,
         id="variable-value-mismatch"),
    case("StringLike", "s3:prefix", "home/${aws:username}", {U: "*", "s3:prefix": "home/x"}, False,
         id="substituted-star-is-literal"),
    case("StringLike", "s3:prefix", "home/${aws:username}", {U: "*", "s3:prefix": "home/*"}, True,
         id="substituted-star-matches-itself"),
    case("StringLike", "s3:prefix", "a${*}", {"s3:prefix": "a*"}, True, id="escaped-star-is-literal"),
    case("StringLike", "s3:prefix", "a${*}", {"s3:prefix": "ab"}, False, id="escaped-star-is-not-a-wildcard"),
    case("StringEquals", "s3:prefix", "${aws:PrincipalTag/team, 'none'}", {"s3:prefix": "none"}, True,
         id="variable-default-when-key-absent"),
    case("StringEquals", "s3:prefix", "${aws:PrincipalTag/team, 'none'}", {K: "data", "s3:prefix": "data"}, True,
         id="variable-default-unused-when-present"),
    case("StringEquals", "s3:prefix", "${aws:username}", {"s3:prefix": "alice"}, False, R.VARIABLE_UNRESOLVED,
         id="unresolvable-variable-positive-does-not-match"),
    case("StringNotEquals", "s3:prefix", "${aws:username}", {"s3:prefix": "alice"}, True, R.VARIABLE_UNRESOLVED,
         id="unresolvable-variable-negated-matches"),
    case("StringNotEquals", "s3:prefix", ["alice", "${aws:username}"], {"s3:prefix": "alice"}, False,
         id="unresolvable-value-does-not-hide-other-values"),
    case("StringEquals", "s3:prefix", "${aws:username}", {"s3:prefix": "${aws:username}"}, True,
         id="version-2008-variables-are-literal", variables=False),
    case("StringEquals", "s3:prefix", "${aws:username}", {U: "alice", "s3:prefix": "alice"}, False,
         id="version-2008-no-substitution", variables=False),
    case("StringLike", "s3:prefix", "a${*}", {"s3:prefix": "a${x}"}, True, id="version-2008-escapes-are-text",
         variables=False),
    case("StringEqualsIgnoreCase", "s3:prefix", "${aws:PrincipalTag/team}", {K: "Data", "s3:prefix": "DATA"},
         True, id="variable-in-ignore-case"),
    case("ArnLike", SA, "arn:aws:iam::111122223333:user/${aws:username}",
         {U: "alice", SA: "arn:aws:iam::111122223333:user/alice"}, True, id="variable-in-arn-like"),
    case("ArnLike", SA, "arn:aws:iam::111122223333:user/${aws:username}", {SA: "arn:aws:iam::111122223333:user/a"},
         False, R.VARIABLE_UNRESOLVED, id="unresolvable-variable-in-arn"),
    case("StringEquals", "s3:prefix", "${aws:PrincipalTag/n}", {"aws:PrincipalTag/n": 7, "s3:prefix": "7"}, True,
         id="number-substitutes-as-text"),
    case("StringEquals", "s3:prefix", "${aws:TagKeys}", {TK: ["a"], "s3:prefix": "a"}, False,
         id="multivalued-key-is-not-a-variable"),
]


@pytest.mark.parametrize(
    "operator,key,values,context,expected,reason,variables",
    STRING_CASES + NUMERIC_CASES + DATE_CASES + BOOL_CASES + BINARY_CASES + IP_CASES + ARN_CASES
    + NULL_CASES + IFEXISTS_CASES + SET_CASES + VARIABLE_CASES,
)
def test_operator(operator, key, values, context, expected, reason, variables):  # noqa: ANN001
    run(operator, key, values, context, expected, reason, variables)


# --- combination rules ----------------------------------------------------------------


def block(*entries: ConditionEntry, variables: bool = True) -> Any:
    return compile_conditions(list(entries), variables_enabled=variables)


def test_keys_under_one_operator_are_ANDed() -> None:
    b = block(entry("StringEquals", "k:a", "x"), entry("StringEquals", "k:b", "y"))
    assert b.matches(RequestContext({"k:a": "x", "k:b": "y"}))
    assert not b.matches(RequestContext({"k:a": "x", "k:b": "z"}))
    assert [o.matched for o in b.explain(RequestContext({"k:a": "x", "k:b": "z"}))] == [True, False]


def test_operators_in_a_block_are_ANDed() -> None:
    b = block(entry("StringEquals", "k:a", "x"), entry("IpAddress", IP, "10.0.0.0/8"), entry("Bool", "k:c", "true"))
    assert b.matches(RequestContext({"k:a": "x", IP: "10.0.0.1", "k:c": True}))
    assert not b.matches(RequestContext({"k:a": "x", IP: "11.0.0.1", "k:c": True}))
    assert not b.matches(RequestContext({"k:a": "x", IP: "10.0.0.1", "k:c": False}))


def test_empty_block_matches() -> None:
    b = block()
    assert b.matches(RequestContext({})) and b.explain(RequestContext({})) == []


def test_condition_key_names_are_case_insensitive() -> None:
    b = block(entry("IpAddress", "AWS:SourceIP", "10.0.0.0/8"))
    assert b.matches(RequestContext({"aws:sourceip": "10.1.1.1"}))
    assert b.keys == frozenset({"aws:sourceip"})


def test_missing_keys_are_noted_with_the_policy_spelling() -> None:
    b = block(entry("StringNotEquals", "AWS:SourceVpce", "vpce-1"), entry("StringEquals", "s3:prefix", "${AWS:username}"))
    ctx = RequestContext({"s3:prefix": "x"})
    assert not b.matches(ctx)
    assert ctx.missing_keys == {"aws:sourcevpce": "AWS:SourceVpce", "aws:username": "AWS:username"}
    assert b.variable_keys == frozenset({"aws:username"})


def test_explain_reports_every_condition_without_short_circuit() -> None:
    b = block(entry("StringEquals", "k:a", "x"), entry("NumericLessThan", "k:n", "5"))
    outcomes = b.explain(RequestContext({"k:a": "nope", "k:n": "abc"}))
    assert [o.reason for o in outcomes] == [R.VALUE_MISMATCH, R.TYPE_ERROR]
    assert outcomes[0].to_dict()["reason"] == "VALUE_MISMATCH"
    assert outcomes[1].path == ("Condition", "NumericLessThan", "k:n")


def test_explain_detail_names_key_value_and_range() -> None:
    [outcome] = block(entry("IpAddress", IP, "10.0.0.0/8")).explain(RequestContext({IP: "203.0.113.9"}))
    assert outcome.detail == "aws:SourceIp 203.0.113.9 is not in 10.0.0.0/8"


def test_type_error_carries_operator_key_and_path() -> None:
    b = block(entry("DateLessThan", T, "2026-01-01"))
    with pytest.raises(ConditionEvaluationError) as info:
        b.matches(RequestContext({T: "soon"}))
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, PolicyEngineError)
    assert err.path == ("Condition", "DateLessThan", T) and err.value == "soon"
    assert "`soon` is not a date" in err.message


def test_unresolved_variable_in_arn_notes_the_variable() -> None:
    b = block(entry("ArnLike", SA, "arn:aws:iam::1:user/${aws:username}"))
    ctx = RequestContext({SA: "arn:aws:iam::1:user/x"})
    assert not b.matches(ctx)
    assert "aws:username" in ctx.missing_keys


# --- compile errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "operator,values,code,path_tail",
    [
        pytest.param("StringEqual", "x", "INVALID_CONDITION_OPERATOR", (), id="unknown-operator"),
        pytest.param("ForAllValue:StringEquals", "x", "INVALID_CONDITION_OPERATOR", (), id="unknown-set-prefix"),
        pytest.param("NullIfExists", "true", "NULL_WITH_IF_EXISTS", (), id="null-takes-no-if-exists"),
        pytest.param("NumericLessThan", "ten", "TYPE_MISMATCH_NUMBER", ("k:x",), id="ten-is-not-a-number"),
        pytest.param("NumericLessThan", ["1", "ten"], "TYPE_MISMATCH_NUMBER", ("k:x", 1), id="path-has-value-index"),
        pytest.param("NumericEquals", True, "TYPE_MISMATCH_NUMBER", ("k:x",), id="json-bool-is-not-a-number"),
        pytest.param("IpAddress", "10.0.0.0/33", "TYPE_MISMATCH_IP_RANGE", ("k:x",), id="bad-cidr"),
        pytest.param("IpAddress", "example.com", "TYPE_MISMATCH_IP_RANGE", ("k:x",), id="hostname-is-not-a-cidr"),
        pytest.param("IpAddress", "10.0.0.0/255.0.0.0", "TYPE_MISMATCH_IP_RANGE", ("k:x",), id="netmask-is-not-cidr"),
        pytest.param("DateLessThan", "2026-13-01", "TYPE_MISMATCH_DATE", ("k:x",), id="bad-date"),
        pytest.param("DateLessThan", "soon", "TYPE_MISMATCH_DATE", ("k:x",), id="date-text"),
        pytest.param("BinaryEquals", "not base64!", "TYPE_MISMATCH_STRING", ("k:x",), id="bad-base64"),
        pytest.param("Bool", "yes", "TYPE_MISMATCH_BOOLEAN", ("k:x",), id="bool-must-be-true-or-false"),
        pytest.param("Bool", "${aws:SecureTransport}", "TYPE_MISMATCH_BOOLEAN", ("k:x",),
                     id="bool-values-are-literal-not-variables"),
        pytest.param("Null", "maybe", "TYPE_MISMATCH_BOOLEAN", ("k:x",), id="null-must-be-true-or-false"),
        pytest.param("StringEquals", "${aws:username", "INVALID_POLICY_VARIABLE", ("k:x",), id="malformed-variable"),
        pytest.param("NumericLessThan", "${aws:MaxKeys}", "TYPE_MISMATCH_NUMBER", ("k:x",),
                     id="no-variables-in-numeric-values"),
    ],
)
def test_compile_error(operator: str, values: Any, code: str, path_tail: tuple) -> None:
    with pytest.raises(ConditionCompileError) as info:
        block(entry(operator, "k:x", values))
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, PolicyEngineError)
    assert err.code == code
    assert err.path == ("Condition", operator) + path_tail


def test_unknown_operator_suggests_the_closest() -> None:
    with pytest.raises(ConditionCompileError, match=r"did you mean `StringEquals`\?"):
        block(entry("StringEqual", "k:x", "x"))
    with pytest.raises(ConditionCompileError, match=r"did you mean `ForAllValues:StringEquals`\?"):
        block(entry("ForAllValue:StringEquals", "k:x", "x"))


def test_variable_in_numeric_value_explains_why() -> None:
    with pytest.raises(ConditionCompileError) as info:
        block(entry("NumericLessThan", "k:x", "${aws:MaxKeys}"))
    assert "not substituted" in (info.value.help or "")


def test_all_compile_errors_are_collected() -> None:
    with pytest.raises(ConditionCompileError) as info:
        block(entry("StringEqual", "k:a", "x"), entry("StringEqual", "k:b", "x"),
              entry("IpAddress", IP, "nope"), entry("StringEquals", "k:c", "fine"))
    assert [e.code for e in info.value.errors] == ["INVALID_CONDITION_OPERATOR", "TYPE_MISMATCH_IP_RANGE"]


# --- operator lookup and registry -----------------------------------------------------


def test_lookup_operator_splits_prefix_base_and_if_exists() -> None:
    resolved = lookup_operator("ForAnyValue:StringLikeIfExists")
    assert resolved.spec.name == "StringLike"
    assert resolved.set_qualifier is SetQualifier.FOR_ANY_VALUE
    assert resolved.if_exists and not resolved.negated
    assert lookup_operator("foranyvalue:stringlikeifexists").name == "ForAnyValue:StringLikeIfExists"


def test_negation_is_the_documented_set() -> None:
    negated = {spec.name for spec in REGISTRY if spec.negated}
    assert negated == {
        "StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals",
        "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike",
    }
    assert len(REGISTRY) == 27  # 6 String, 6 Numeric, 6 Date, Bool, BinaryEquals, 2 IP, 4 Arn, Null


def test_wildcards_and_variables_are_declared_per_operator() -> None:
    assert {s.name for s in REGISTRY if s.allows_wildcards} == {
        "StringLike", "StringNotLike", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
    }
    assert {s.family.value for s in REGISTRY if s.allows_variables} == {"String", "Arn"}


def test_registry_refuses_duplicates() -> None:
    registry = OperatorRegistry()
    spec = REGISTRY.get("StringEquals")
    assert spec is not None
    registry.register(spec)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(spec)


# --- laws (hypothesis) ----------------------------------------------------------------
# 1. a scalar request value and the one-element list holding it evaluate the same for
#    every non-set operator;
# 2. explain() agrees with matches(), condition by condition and for the block;
# 3. matches() agrees with a deliberately naive reference evaluator (String, Numeric,
#    IpAddress and Bool operators under every modifier);
# 4. a policy variable resolves as `Template.resolve` says, whatever the context holds.

import re  # noqa: E402
from decimal import Decimal, InvalidOperation  # noqa: E402
import ipaddress as std_ipaddress  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from policyengine.evaluation.variables import parse_template  # noqa: E402
from policyengine.evaluation.wildcard import compile_glob  # noqa: E402

LAWS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEY = "k:x"

POLICY_POOLS: dict[str, list[Any]] = {
    "String": ["a", "ab", "a*", "?b", "*", "", "A", "${k:v}", "${k:v, 'd'}a"],
    "Numeric": ["1", "1.0", "-2", "10", 3, 2.5, "1e1"],
    "Date": ["2026-01-01", "2026-01-01T00:00:00Z", 1767225600, "2025-12-31T23:00:00-01:00"],
    "Boolean": ["true", "false", True, "FALSE"],
    "Binary": [B64, "AA==", ""],
    "IpAddress": ["10.0.0.0/8", "10.1.2.3", "2001:db8::/32", "::/0", "0.0.0.0/0"],
    "Arn": ["arn:aws:s3:::b/*", "arn:aws:lambda:*:1:function:f*", FN, "*", "arn:aws:iam::1:user/${k:v}"],
    "Null": ["true", "false"],
}
REQUEST_POOL: list[Any] = [
    "a", "ab", "b", "", "A", "1", "1.00", "10", "-2", 1, 10, 2.5, True, False, "true", "abc",
    "2026-01-01", "2026-01-01T00:00:00Z", "1767225600", 1767225600, "10.1.2.3", "2001:db8::1", "11.0.0.1",
    FN, "arn:aws:s3:::b/k", "arn:aws:iam::1:user/a", B64, b"BinaryValue", "d", "da",
]
CONTEXT_EXTRAS = st.fixed_dictionaries({}, optional={"k:v": st.sampled_from(["a", "*", "", True, 7, ["a"]])})


def _family_values(spec_family: str) -> Any:
    pool = POLICY_POOLS[spec_family]
    single = st.sampled_from(pool)
    return st.one_of(single, st.lists(single, max_size=3))


def _outcome(block_: Any, context: dict[str, Any]) -> Any:
    try:
        return block_.matches(RequestContext(context))
    except ConditionEvaluationError:
        return "error"


@st.composite
def operator_entries(draw: Any, *, set_qualifiers: bool = True) -> ConditionEntry:
    spec = draw(st.sampled_from(list(REGISTRY)))
    prefix = draw(st.sampled_from(["", "ForAllValues:", "ForAnyValue:"])) if set_qualifiers else ""
    suffix = "" if spec.presence_only else draw(st.sampled_from(["", "IfExists"]))
    values = draw(_family_values(spec.family.value))
    return entry(prefix + spec.name + suffix, KEY, values)


def _compiles(entries: list[ConditionEntry], variables: bool) -> Any:
    try:
        return compile_conditions(entries, variables_enabled=variables)
    except ConditionCompileError:
        return None


@LAWS
@given(data=st.data(), variables=st.booleans())
def test_law_scalar_and_one_element_list_evaluate_the_same(data: Any, variables: bool) -> None:
    e = data.draw(operator_entries(set_qualifiers=False))
    b = _compiles([e], variables)
    if b is None:
        return
    value = data.draw(st.sampled_from(REQUEST_POOL))
    extras = data.draw(CONTEXT_EXTRAS)
    assert _outcome(b, {**extras, KEY: value}) == _outcome(b, {**extras, KEY: [value]})


REQUEST_VALUES = st.one_of(
    st.none(),  # key absent
    st.sampled_from(REQUEST_POOL),
    st.lists(st.sampled_from(REQUEST_POOL), max_size=3),
)


@LAWS
@given(data=st.data(), variables=st.booleans())
def test_law_explain_agrees_with_matches(data: Any, variables: bool) -> None:
    entries = [
        ConditionEntry(operator=e.operator, key=f"k:{i}", values=e.values, is_list=e.is_list)
        for i, e in enumerate(data.draw(st.lists(operator_entries(), min_size=1, max_size=3)))
    ]
    if _compiles(entries, variables) is None:
        return
    context: dict[str, Any] = dict(data.draw(CONTEXT_EXTRAS))
    for i in range(len(entries)):
        value = data.draw(REQUEST_VALUES)
        if value is not None:
            context[f"k:{i}"] = value
    singles = []
    for e in entries:
        single = compile_conditions([e], variables_enabled=variables)
        [outcome] = single.explain(RequestContext(context))
        result = _outcome(single, context)
        if result == "error":
            assert outcome.reason is R.TYPE_ERROR and not outcome.matched
        else:
            assert outcome.matched is result and outcome.reason is not R.TYPE_ERROR
        singles.append(result)
    whole = compile_conditions(entries, variables_enabled=variables)
    outcomes = whole.explain(RequestContext(context))
    result = _outcome(whole, context)
    if result == "error":
        assert any(o.reason is R.TYPE_ERROR for o in outcomes)
    else:
        assert all(o.matched for o in outcomes) is result


# The reference: written for clarity, straight from the documentation, no shared code.
NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals", "NotIpAddress"}


def _naive_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (str, int, float)):
        return str(v)
    raise TypeError(v)


def _naive_number(v: Any) -> Decimal:
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, int):
        return Decimal(v)
    if not isinstance(v, str) or not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", v):
        raise TypeError(v)
    try:
        return Decimal(v)
    except InvalidOperation:
        raise TypeError(v) from None


def _naive_like(pattern: str, text: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


def _naive_compare(base: str, policy: Any, request: Any) -> bool:
    """Does one request scalar satisfy `base` (un-negated) against one policy value?"""
    family = base.replace("Not", "")
    if family.startswith("String"):
        p, r = _naive_text(policy), _naive_text(request)
        if family == "StringEqualsIgnoreCase":
            return p.lower() == r.lower()
        if family == "StringLike":
            return _naive_like(p, r)
        return p == r
    if family.startswith("Numeric"):
        p, n = _naive_number(policy), _naive_number(request)
        return {
            "NumericEquals": n == p, "NumericLessThan": n < p, "NumericLessThanEquals": n <= p,
            "NumericGreaterThan": n > p, "NumericGreaterThanEquals": n >= p,
        }[family]
    if family == "IpAddress":
        try:
            address = std_ipaddress.ip_address(request)
        except ValueError:
            raise TypeError(request) from None
        return address in std_ipaddress.ip_network(policy, strict=False)
    if family == "Bool":
        if isinstance(request, str) and request.lower() in ("true", "false"):
            request = request.lower() == "true"
        if not isinstance(request, bool):
            raise TypeError(request)
        return request == (str(policy).lower() == "true")
    raise AssertionError(base)


def _naive_validate(base: str, request: Any) -> None:
    _naive_compare(base, {"IpAddress": "::/0", "Bool": "true"}.get(base.replace("Not", ""), "1"), request)


def naive_evaluate(operator: str, policy_values: list[Any], context: dict[str, Any]) -> Any:
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    negated = base in NEGATED
    value = context.get(KEY)
    if value is None:  # IfExists counts only without a set qualifier
        return (if_exists and not qualifier) or qualifier == "ForAllValues" or (not qualifier and negated)
    if isinstance(value, list):
        elements = value
    elif qualifier and value == "":
        elements = []
    else:
        elements = [value]
    every = qualifier == "ForAllValues" or (not qualifier and negated)

    def satisfies(element: Any) -> bool:
        _naive_validate(base, element)
        return any(_naive_compare(base, p, element) for p in policy_values) != negated

    try:
        return all(map(satisfies, elements)) if every else any(map(satisfies, elements))
    except TypeError:
        return "error"


NAIVE_POLICY = {
    "String": st.text(alphabet="ab*?", max_size=4),
    "Numeric": st.sampled_from(["1", "1.0", "-2", "10", "0.5", "3"]),
    "IpAddress": st.sampled_from(["10.0.0.0/8", "10.1.2.3", "2001:db8::/32", "0.0.0.0/0", "10.1.2.0/24"]),
    "Boolean": st.sampled_from(["true", "false"]),
}
NAIVE_REQUEST = {
    "String": st.one_of(st.text(alphabet="abAB", max_size=4), st.sampled_from([True, 3, "a*", "?"])),
    "Numeric": st.sampled_from(["1", "1.00", "-2", "10", 0.5, 3, 2, "x", True, "1e1"]),
    "IpAddress": st.sampled_from(["10.1.2.3", "10.1.2.4", "10.9.9.9", "2001:db8::1", "11.0.0.1", "nope"]),
    "Boolean": st.sampled_from([True, False, "true", "False", "yes"]),
}


@LAWS
@given(data=st.data())
def test_law_matches_agrees_with_naive_reference(data: Any) -> None:
    specs = [s for s in REGISTRY if s.family.value in NAIVE_POLICY]
    spec = data.draw(st.sampled_from(specs))
    family = spec.family.value
    operator = (
        data.draw(st.sampled_from(["", "ForAllValues:", "ForAnyValue:"]))
        + spec.name
        + data.draw(st.sampled_from(["", "IfExists"]))
    )
    policy_values = data.draw(st.lists(NAIVE_POLICY[family], max_size=3))
    request = data.draw(
        st.one_of(st.none(), NAIVE_REQUEST[family], st.lists(NAIVE_REQUEST[family], max_size=3))
    )
    context = {} if request is None else {KEY: request}
    b = compile_conditions([entry(operator, KEY, policy_values)], variables_enabled=False)
    assert _outcome(b, context) == naive_evaluate(operator, policy_values, context)


@LAWS
@given(
    value=st.one_of(st.none(), st.text(alphabet="ab*?:", max_size=3), st.booleans(), st.integers(-5, 5),
                    st.lists(st.just("a"), max_size=1)),
    default=st.one_of(st.none(), st.text(alphabet="ab*", max_size=2)),
    request=st.text(alphabet="ab*?:x", max_size=6),
)
def test_law_variables_resolve_as_template_resolve_says(value: Any, default: str | None, request: str) -> None:
    var = "${k:v}" if default is None else "${k:v, '" + default + "'}"
    pattern = f"x{var}*"
    context = {} if value is None else {"k:v": value}
    context[KEY] = request
    pieces = parse_template(pattern).resolve(RequestContext(context))
    expected = pieces is not None and compile_glob(pieces)(request)
    for _ in range(2):  # the second evaluation goes through the resolver's cache
        assert block(entry("StringLike", KEY, pattern)).matches(RequestContext(context)) is expected
    b = block(entry("ArnLike", KEY, f"arn:aws:s3:::{var}/*"))
    arn_pieces = parse_template(f"arn:aws:s3:::{var}/*").resolve(RequestContext(context))
    arn_request = f"arn:aws:s3:::{request}"
    context[KEY] = arn_request
    expected_arn = arn_pieces is not None and _naive_arn(arn_pieces, arn_request)
    assert b.matches(RequestContext(context)) is expected_arn
    assert b.matches(RequestContext(context)) is expected_arn


def _naive_arn(pieces: Any, request: str) -> bool:
    text = "".join(
        ("\0" if c == "*" else "\1" if c == "?" else c) if wild else c for t, wild in pieces for c in t
    )
    policy_parts, request_parts = text.split(":", 5), request.split(":", 5)
    if len(policy_parts) < 6 or len(request_parts) < 6:
        return False
    return all(
        re.fullmatch(
            "".join(".*" if c == "\0" else "." if c == "\1" else re.escape(c) for c in p), r, re.DOTALL
        ) is not None
        for p, r in zip(policy_parts, request_parts)
    )
