"""Differential law: the engine and a naive reference evaluator decide alike.

`reference_evaluator.py` is written from the AWS documentation (lambda-permissions.md
§1.3, §1.5-§1.7, §2) without the engine's compilation, indexing or regular expressions.
On every generated scenario (policies derived from the request, `strategies.py`, plus a
few extra condition families here) both must give the same decision: `allowed`,
`explicitDeny` or `implicitDeny`. About one request value in eight is of the wrong type
or malformed (`strategies.MALFORMED_VALUES`: numbers, booleans, lists, null, objects,
NaN where text is expected, dates and numbers in forms the engine documents as invalid
or as valid), so both readers of each type are compared, and a value that cannot be
read must fail closed in both.

The default run checks ~300 scenarios; the marked run checks 10,000:

    pytest tests/test_differential.py -m slow

Shrunk counterexamples found on the way are kept below as explicit `@example`s.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import strategies as S
from hypothesis import HealthCheck, example, given, settings
from reference_evaluator import evaluate
from strategies import (
    ROLE,
    SESSION,
    USER,
    VERSION,
    A,
    B,
    build,
    make_request,
    scenarios,
)

# More condition families than strategies.CONDITIONS holds (ARN, IgnoreCase, NotLike,
# Date equality, numeric strings, policy variables with defaults and escapes).
EXTRA_CONDITIONS: list[tuple[str, str, list[Any]]] = [
    ("ArnLike", "aws:PrincipalArn", [f"arn:aws:iam::{A}:*", f"arn:aws:*:*:{B}:*", "arn:aws:iam::*:user/*",
                                     f"arn:aws:iam::{A}:role/ap?"]),
    ("ArnNotLike", "aws:PrincipalArn", [f"arn:aws:iam::{A}:user/*", ["arn:aws:sts::*:*", f"arn:*:iam::{B}:*"]]),
    ("ArnEquals", "aws:SourceArn", ["arn:aws:s3:::reports", "arn:aws:s3:::*"]),
    ("StringEqualsIgnoreCase", "aws:PrincipalTag/team", ["RED", ["Blue", "x"]]),
    ("StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", ["RED"]),
    ("StringNotLike", "aws:PrincipalTag/team", ["r*", ["*e*"]]),
    ("StringLike", "aws:SourceArn", ["arn:aws:s3:::rep*", "arn:*:s3:::${aws:PrincipalTag/team, 'reports'}",
                                     "arn:aws:s3:::re${?}orts", "*${*}*"]),
    ("StringEquals", "aws:username", ["${aws:username}", "alice", "${aws:PrincipalTag/team}"]),
    ("DateEquals", "aws:CurrentTime", ["2019-06-01T00:00:00Z"]),
    ("DateNotEquals", "aws:CurrentTime", ["2040-06-01T00:00:00Z"]),
    ("NumericEquals", "s3:max-keys", ["10", 50]),
    ("NumericNotEquals", "s3:max-keys", [[10, 20]]),
    ("ForAllValues:StringNotLike", "aws:TagKeys", ["t*", ["env", "owner"]]),
    ("ForAnyValue:StringNotEquals", "aws:TagKeys", [["env"]]),
    ("ForAllValues:StringEqualsIfExists", "aws:TagKeys", [["env", "team"]]),
    ("ForAnyValue:StringLikeIfExists", "aws:TagKeys", [["o*"]]),
]
EXTRA_CONTEXT = {"aws:SourceArn": ["arn:aws:s3:::reports", "arn:aws:s3:::re?orts", "arn:aws:s3:::*x*",
                                   "not an arn"]}
EXTRA_MALFORMED = {"aws:SourceArn": ["", "arn:aws:s3::reports", 12, True, ["arn:aws:s3:::reports", "x"],
                                     ["arn:aws:s3:::reports", None]]}


@pytest.fixture(autouse=True, scope="module")
def _wider_vocabulary():
    """Add the extra condition families to the shared strategies for this module only."""
    saved = list(S.CONDITIONS), dict(S.CONTEXT_VALUES), dict(S.MALFORMED_VALUES)
    S.CONDITIONS.extend(EXTRA_CONDITIONS)
    S.CONTEXT_VALUES.update(EXTRA_CONTEXT)
    S.MALFORMED_VALUES.update(EXTRA_MALFORMED)
    yield
    S.CONDITIONS[:] = saved[0]
    for table, old in ((S.CONTEXT_VALUES, saved[1]), (S.MALFORMED_VALUES, saved[2])):
        table.clear()
        table.update(old)


def agree(sc: dict[str, Any]) -> None:
    policies, req = sc["policies"], sc["request"]
    engine = build(policies).authorize(make_request(req))
    reference = evaluate(copy.deepcopy(policies), copy.deepcopy(req))
    assert engine.decision == reference.decision, (
        f"engine: {engine.decision} ({engine.code.value}: {engine.headline}); "
        f"reference: {reference.decision} ({reference.reason})")
    # fail closed: nothing that failed to evaluate is behind an Allow
    assert not (engine.allowed and engine.errors), engine.errors


COMMON: dict[str, Any] = {"deadline": None, "suppress_health_check": [
    HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]}


def _identity(*stmts: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"Version": VERSION, "Statement": list(stmts)}]


def _req(principal: str, action: str, resource: str, context: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"principal": principal, "action": action, "resource": resource, "context": context or {}}


# Hand-picked scenarios on the documented edges (kept as explicit examples).
EDGES = [
    # §1.5: a role ARN in the resource policy grants a session of the role, capped by its boundary
    {"policies": {"resource": {"Version": VERSION, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject", "Resource": "*"}]},
        "permissions_boundary": {"Version": VERSION, "Statement": [
            {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}},
     "request": _req(SESSION, "s3:GetObject", "arn:aws:s3:::reports/q1.csv")},
    # §1.6: cross-account needs both sides
    {"policies": {"identity": _identity({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"})},
     "request": _req(USER, "sqs:SendMessage", f"arn:aws:sqs:eu-west-1:{B}:jobs")},
    # §2.6: ForAllValues on an absent key is true; ForAnyValue is false
    {"policies": {"identity": _identity({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}})},
     "request": _req(USER, "s3:GetObject", "*")},
    # §2.3: ArnLike keeps `*` inside the region component; StringLike crosses colons
    {"policies": {"identity": _identity({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "ArnLike": {"aws:SourceArn": f"arn:aws:svc:*:{A}:finance/*"}}})},
     "request": _req(USER, "s3:GetObject", "*", {
         "aws:SourceArn": f"arn:aws:svc:us-east-2:{B}:store/abc:{A}:finance/doc.txt"})},
    # §2.7: an unresolvable variable in a Resource entry matches nothing
    {"policies": {"identity": _identity({"Effect": "Allow", "Action": "s3:*",
                                         "Resource": "arn:aws:s3:::home/${aws:username}/*"})},
     "request": _req(SESSION, "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt")},
    # §2.7: a variable standing for a JSON object is a type error (the engine substituted
    # Python's repr of it, so this Deny missed and the request was allowed)
    {"policies": {"identity": _identity(
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {
            "StringEquals": {"aws:username": "${aws:PrincipalTag/team}"}}},
        {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"})},
     "request": _req(USER, "s3:GetObject", "arn:aws:s3:::reports/q1.csv", {"aws:PrincipalTag/team": {"team": "red"}})},
    # §2.3: digits are ASCII (the engine read `٣` as 3)
    {"policies": {"identity": _identity({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
        "NumericLessThan": {"s3:max-keys": "10"}}})},
     "request": _req(USER, "s3:GetObject", "*", {"s3:max-keys": "٣"})},
]


def _with_examples(fn):
    for sc in EDGES:
        fn = example(sc=sc)(fn)
    return fn


@settings(max_examples=300, **COMMON)
@given(sc=scenarios(malformed=True))
@_with_examples
def test_engine_and_reference_evaluator_agree(sc: dict[str, Any]) -> None:
    """IAM User Guide, policy evaluation logic and condition operators (lambda-permissions.md
    §1-§2): two independent implementations of the documented rules reach the same decision."""
    agree(sc)


@pytest.mark.slow
@settings(max_examples=10_000, **COMMON)
@given(sc=scenarios(malformed=True))
def test_engine_and_reference_evaluator_agree_at_length(sc: dict[str, Any]) -> None:
    """The same law over 10,000 scenarios (`pytest -m slow`)."""
    agree(sc)


@settings(max_examples=150, **COMMON)
@given(sc=scenarios(principals=[USER, SESSION, ROLE], malformed=True))
def test_engine_and_reference_agree_on_role_and_account_principals(sc: dict[str, Any]) -> None:
    """§1.5: which ARN the resource policy names (user, session, role, account) decides whether
    its grant is capped; concentrate on the same-account IAM principals where that matters."""
    agree(sc)
