"""EnvironmentAuthorizer's cache of invoke checks: reused on warm invokes, never across callers,
functions, qualifiers or contexts, and dropped whenever the environment changes."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from policyengine.environment import Environment
from policyengine.invoker import AccessDeniedException, Invoker
from policyengine.invoker.authorizer import EnvironmentAuthorizer

ACCOUNT = "111122223333"
FN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:f"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/f-exec"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
BOB = f"arn:aws:iam::{ACCOUNT}:user/bob"
ADMIN = f"arn:aws:iam::{ACCOUNT}:user/admin"
BUCKET_A = "arn:aws:s3:::bucket-a"
BUCKET_B = "arn:aws:s3:::bucket-b"

FUNCTION_POLICY = {
    "Version": "2012-10-17",
    "Id": "default",
    "Statement": [
        {"Sid": "alice", "Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "lambda:InvokeFunction",
         "Resource": FN},
        {"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
         "Action": "lambda:InvokeFunction", "Resource": FN,
         "Condition": {"ArnLike": {"AWS:SourceArn": BUCKET_A}}},
    ],
}
ADMIN_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy"],
     "Resource": "*"}]}


def env_value(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "users": [{"arn": ALICE}, {"arn": BOB}, {"arn": ADMIN, "policies": [ADMIN_POLICY]}],
        "roles": [{"arn": ROLE}],
        "functions": [{"arn": FN, "role": ROLE, "handler": "app:handler", "code_path": "code",
                       "versions": ["1"], "aliases": {"PROD": "1"}, "resource_policy": FUNCTION_POLICY}],
    }
    value.update(overrides)
    return value


@pytest.fixture
def env(tmp_path: Path) -> Environment:
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "app.py").write_text(textwrap.dedent("""
        def handler(event, context):
            return {"ok": True}
    """))
    return Environment.from_dict(env_value(), base_dir=tmp_path)


def test_warm_checks_are_reused(env: Environment) -> None:
    auth = EnvironmentAuthorizer(env)
    first = auth.check_invoke(ALICE, FN, "RequestResponse")
    second = auth.check_invoke(ALICE, FN, "RequestResponse")
    assert first.allowed and second is first
    assert (auth.hits, auth.misses) == (1, 1)
    uncached = EnvironmentAuthorizer(env, cache=False)
    again = uncached.check_invoke(ALICE, FN, "RequestResponse")
    assert again is not uncached.check_invoke(ALICE, FN, "RequestResponse")
    assert uncached.check_invoke(ALICE, FN, "RequestResponse").to_dict() == first.to_dict()


def test_remove_permission_denies_the_next_invoke(env: Environment) -> None:
    auth = EnvironmentAuthorizer(env)
    with Invoker(env, auth) as inv:
        assert inv.invoke(ALICE, FN, {}).payload == {"ok": True}
        assert inv.invoke(ALICE, FN, {}, "DryRun").status_code == 204
        assert inv.invoke(ALICE, FN, {}, "DryRun").status_code == 204
        assert auth.hits >= 1
        assert env.remove_permission(ADMIN, FN, "alice").allowed
        with pytest.raises(AccessDeniedException, match="alice is not authorized to perform: lambda:InvokeFunction"):
            inv.invoke(ALICE, FN, {}, "DryRun")
        with pytest.raises(AccessDeniedException):
            inv.invoke(ALICE, FN, {})


def test_add_permission_allows_a_caller_denied_before(env: Environment) -> None:
    auth = EnvironmentAuthorizer(env)
    assert not auth.check_invoke(BOB, FN, "RequestResponse").allowed
    assert not auth.check_invoke(BOB, FN, "RequestResponse").allowed  # the denial is cached
    assert env.add_permission(ADMIN, FN, "bob", "lambda:InvokeFunction", BOB).allowed
    assert auth.check_invoke(BOB, FN, "RequestResponse").allowed


def test_changed_with_new_data_drops_the_cache(env: Environment) -> None:
    auth = EnvironmentAuthorizer(env)
    assert auth.check_invoke(ALICE, FN, "RequestResponse").allowed
    # the function loses its policy; alice has no identity policy of her own
    data = Environment.from_dict(env_value(functions=[{"arn": FN, "role": ROLE}])).data
    env.changed(data)
    result = auth.check_invoke(ALICE, FN, "RequestResponse")
    assert not result.allowed and result.error.code == "AccessDeniedException"
    # ... and a new identity policy allows her again
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FN}]}
    env.changed(Environment.from_dict(env_value(users=[{"arn": ALICE, "policies": [policy]}],
                                                functions=[{"arn": FN, "role": ROLE}])).data)
    assert auth.check_invoke(ALICE, FN, "RequestResponse").allowed


def test_another_environment_is_not_served_from_the_cache(env: Environment) -> None:
    auth = EnvironmentAuthorizer(env)
    assert auth.check_invoke(ALICE, FN, "RequestResponse").allowed
    auth.env = Environment.from_dict(env_value(functions=[{"arn": FN, "role": ROLE}]))
    assert not auth.check_invoke(ALICE, FN, "RequestResponse").allowed


def test_results_are_not_shared_across_callers(env: Environment) -> None:
    auth = EnvironmentAuthorizer(env)
    assert auth.check_invoke(ALICE, FN, "RequestResponse").allowed
    denied = auth.check_invoke(BOB, FN, "RequestResponse")
    assert not denied.allowed and BOB in denied.error.message
    assert auth.check_invoke(ALICE, FN, "RequestResponse").allowed
    with Invoker(env, auth) as inv:
        assert inv.invoke(ALICE, FN, None, "DryRun").status_code == 204
        with pytest.raises(AccessDeniedException, match="user/bob"):
            inv.invoke(BOB, FN, None, "DryRun")


def test_results_are_not_shared_across_qualifiers(env: Environment) -> None:
    auth = EnvironmentAuthorizer(env)
    assert auth.check_invoke(ALICE, FN, "RequestResponse").allowed
    # the statement names the unqualified ARN only: versions and aliases are not covered
    assert not auth.check_invoke(ALICE, f"{FN}:1", "RequestResponse").allowed
    assert not auth.check_invoke(ALICE, f"{FN}:PROD", "RequestResponse").allowed
    assert not auth.check_invoke(ALICE, FN, "RequestResponse", qualifier="PROD").allowed
    assert auth.check_invoke(ALICE, FN, "RequestResponse").allowed


def test_results_are_not_shared_across_contexts(env: Environment) -> None:
    auth = EnvironmentAuthorizer(env)
    s3 = "s3.amazonaws.com"
    assert auth.check_invoke(s3, FN, "Event", source_arn=BUCKET_A).allowed
    assert not auth.check_invoke(s3, FN, "Event", source_arn=BUCKET_B).allowed
    assert not auth.check_invoke(s3, FN, "Event").allowed
    assert auth.check_invoke(s3, FN, "Event", context={"aws:SourceArn": BUCKET_A}).allowed
    assert not auth.check_invoke(s3, FN, "Event", context={"aws:SourceArn": BUCKET_B}).allowed
    assert auth.check_invoke(s3, FN, "Event", source_arn=BUCKET_A).allowed
    assert auth.misses == 5 and auth.hits == 1


def test_context_values_keep_their_types(tmp_path: Path) -> None:
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FN,
         "Condition": {"StringEquals": {"custom:flag": "1"}}}]}
    env = Environment.from_dict(env_value(users=[{"arn": ALICE, "policies": [policy]}],
                                          functions=[{"arn": FN, "role": ROLE}]))
    auth = EnvironmentAuthorizer(env)
    uncached = EnvironmentAuthorizer(env, cache=False)
    for value in ("1", 1, True, 1.0, "true", ["1"]):
        for _ in range(2):
            got = auth.check_invoke(ALICE, FN, context={"custom:flag": value}).allowed
            assert got == uncached.check_invoke(ALICE, FN, context={"custom:flag": value}).allowed, value


def test_time_dependent_results_last_one_second(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FN,
         "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}]}
    env = Environment.from_dict(env_value(users=[{"arn": ALICE, "policies": [policy]}],
                                          functions=[{"arn": FN, "role": ROLE}]))
    auth = EnvironmentAuthorizer(env)
    before = 1_893_455_990.0  # 2029-12-31T23:59:50Z
    monkeypatch.setattr(time, "time", lambda: before)
    assert auth.check_invoke(ALICE, FN).allowed
    assert auth.check_invoke(ALICE, FN).allowed
    assert auth.hits == 1
    monkeypatch.setattr(time, "time", lambda: before + 20)
    assert not auth.check_invoke(ALICE, FN).allowed


def test_function_can_is_cached_and_invalidated(tmp_path: Path) -> None:
    queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:q"
    send = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue}]}
    env = Environment.from_dict(env_value(roles=[{"arn": ROLE, "policies": [send]}]))
    auth = EnvironmentAuthorizer(env)
    assert auth.function_can(FN, "sqs:SendMessage", queue, {}).allowed
    assert auth.function_can(FN, "sqs:SendMessage", queue, {}).allowed
    assert not auth.function_can(FN, "sqs:DeleteMessage", queue, {}).allowed
    assert auth.hits == 1
    env.changed(Environment.from_dict(env_value()).data)  # the role loses its policy
    assert not auth.function_can(FN, "sqs:SendMessage", queue, {}).allowed
