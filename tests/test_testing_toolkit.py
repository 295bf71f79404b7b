"""policyengine.testing: strategies, targeted strategies, property helpers, the pytest plugin."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policyengine as pe
from policyengine.environment import Environment
from policyengine.evaluation.arns import Arn
from policyengine.lint.catalogue import default_catalogue
from policyengine.testing import assert_least_privilege, assert_never_allowed, assert_only
from policyengine.testing import near, strategies as pst
from policyengine.testing.targeted import Aim, near_miss_contexts, resource_fills
from policyengine.testing.values import ABSENT, candidate_values, satisfying_value

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
ENV_FILE = ROOT / "examples" / "lambda" / "env.json"
A = "arn:aws:iam::111122223333"
RESIZE = "arn:aws:lambda:us-east-1:111122223333:function:resize"
ALICE, BOB, EXEC = f"{A}:user/alice", f"{A}:user/bob", f"{A}:role/thumbnail-exec"
NEEDED = [("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:thumbnail-events"),
          ("s3:GetObject", "arn:aws:s3:::uploads/*")]
FAST = settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def env() -> Environment:
    return Environment.load(ENV_FILE)


# -- generic strategies ---------------------------------------------------------------------

KWARGS = {"identity": lambda d: {"identity": [d]}, "resource": lambda d: {"resource": d},
          "permissions_boundary": lambda d: {"permissions_boundary": d}, "session": lambda d: {"session": [d]},
          "scp": lambda d: {"scps": [[d]]}, "rcp": lambda d: {"rcps": [[d]]},
          "vpc_endpoint": lambda d: {"vpc_endpoint": d}}


@pytest.mark.parametrize("policy_type", pst.POLICY_TYPES)
def test_generated_documents_parse_and_compile(policy_type: str) -> None:
    @FAST
    @given(pst.policy_documents(policy_type))
    def check(document: dict) -> None:
        pe.load_policy(document)
        pe.PolicySet(**KWARGS[policy_type](document))

    check()


LINT_TYPES = {"identity": "identity", "resource": "resource", "permissions_boundary": "boundary",
              "session": "identity", "scp": "scp", "rcp": "rcp", "vpc_endpoint": "resource"}


@pytest.mark.parametrize("policy_type", pst.POLICY_TYPES)
def test_generated_documents_follow_their_type_grammar(policy_type: str) -> None:
    """Valid by construction means AWS would accept them: no error of the linter's grammar
    rules (syntax, and the elements each policy type takes, e.g. an RCP's Allow only as
    RCPFullAWSAccess and no NotAction)."""
    from policyengine.lint import Severity, lint_policy
    from policyengine.lint.checks import elements, syntax

    grammar = {rule.code for rule in (*syntax.RULES, *elements.RULES) if rule.severity is Severity.ERROR}

    @FAST
    @given(pst.policy_documents(policy_type))
    def check(document: dict) -> None:
        found = [f for f in lint_policy(document, LINT_TYPES[policy_type]).findings if f.code in grammar]
        assert found == [], found

    check()


def test_documents_without_knobs_have_no_wildcards_conditions_or_not_elements() -> None:
    @FAST
    @given(pst.policy_documents("resource", wildcards=False, conditions=False, not_elements=False))
    def check(document: dict) -> None:
        for s in document["Statement"]:
            assert not {"Condition", "NotAction", "NotResource", "NotPrincipal"} & set(s)
            actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
            assert all("*" not in a for a in actions)

    check()


def test_arns_fit_their_resource_type() -> None:
    cat = default_catalogue()

    @FAST
    @given(st.sampled_from(["s3", "lambda", "iam", "sqs", "dynamodb", "kms"]).flatmap(
        lambda s: st.tuples(st.just(s), pst.arns(s))))
    def check(pair: tuple[str, str]) -> None:
        service, arn = pair
        assert Arn.parse(arn) is not None
        assert any(t.matches(arn) for t in cat.resource_types(service)), arn

    check()


def test_actions_respect_service_and_access_level() -> None:
    cat = default_catalogue()

    @FAST
    @given(pst.actions("s3", access_level="Write"), pst.actions(access_level="Tagging"))
    def check(write: str, tagging: str) -> None:
        assert write.startswith("s3:") and "Write" in cat.action(*write.split(":")).access_levels
        assert "Tagging" in cat.action(*tagging.split(":")).access_levels

    check()
    with pytest.raises(ValueError, match="access level"):
        FAST(given(pst.actions(access_level="Admin"))(lambda action: None))()


def test_requests_and_contexts_are_decidable() -> None:
    allow_all = pe.PolicySet(identity=[{"Version": "2012-10-17",
                                        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}])

    @FAST
    @given(pst.requests(contexts=pst.condition_contexts(["aws:SourceIp", "aws:CurrentTime", "s3:max-keys"])))
    def check(request: pe.Request) -> None:
        assert allow_all.authorize(request).decision in ("allowed", "implicitDeny", "explicitDeny")
        for key, value in request.context.items():
            if key == "s3:max-keys":
                assert isinstance(value, int)

    check()


# -- near misses and condition values ---------------------------------------------------------

def test_near_misses() -> None:
    assert "alicf" in near.near_strings("alice") and "alice" not in near.near_strings("alice")
    assert near.near_ips("10.0.0.0/8") == ["10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0"]
    assert near.near_dates("2024-01-01T00:00:00Z") == ["2023-12-31T23:59:59Z", "2024-01-01T00:00:01Z"]
    assert near.near_numbers("10") == [9, 11]
    assert "arn:aws:sqs:us-east-1:111122223334:q" in near.near_arns("arn:aws:sqs:us-east-1:111122223333:q")


@pytest.mark.parametrize(("operator", "values", "hit"), [
    ("StringEquals", ["red"], "red"),
    ("StringLike", ["r*d"], "rxd"),
    ("NumericLessThan", ["10"], 9),
    ("DateGreaterThan", ["2024-01-01T00:00:00Z"], "2024-01-01T00:00:01Z"),
    ("IpAddress", ["10.0.0.0/8"], "10.0.0.0"),
    ("NotIpAddress", ["10.0.0.0/8"], "11.0.0.0"),
    ("Bool", ["true"], True),
    ("Null", ["true"], ABSENT),
    ("ForAnyValue:StringEquals", ["env"], ["env"]),
])
def test_satisfying_values_satisfy(operator: str, values: list, hit: object) -> None:
    assert satisfying_value(operator, values) == hit
    key = "k:x"
    policy = pe.PolicySet(identity=[{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {operator: {key: values}}}]}])
    context = {} if hit is ABSENT else {key: hit}
    assert policy.authorize(pe.Request(ALICE, "s3:GetObject", "*", context)).allowed
    outcomes = {policy.authorize(pe.Request(ALICE, "s3:GetObject", "*",
                                            {} if v is ABSENT else {key: v})).allowed
                for v in candidate_values(operator, values)}
    assert outcomes == {True, False}  # the candidates straddle the boundary


# -- targeted strategies --------------------------------------------------------------------

SAMPLE = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::reports/*",
     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                   "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}},
    {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/secret*"}]}


def test_targeted_requests_hit_every_outcome() -> None:
    policies = pe.PolicySet(identity=[SAMPLE])
    aim = Aim(policies, principals=ALICE)
    seen: set[str] = set()

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(aim.requests())
    def collect(request: pe.Request) -> None:
        seen.add(policies.authorize(request).decision)

    collect()
    assert seen == {"allowed", "implicitDeny", "explicitDeny"}
    assert "arn:aws:s3:::reports/secret" in aim.resources and "s3:GetObject" in aim.actions
    assert {"aws:SourceIp": "203.0.113.0", "aws:CurrentTime": "2029-12-31T23:59:59Z"} in aim.satisfying_contexts
    assert {"aws:CurrentTime": "2029-12-31T23:59:59Z"} in near_miss_contexts(aim.satisfying_contexts[0])
    assert resource_fills("arn:aws:s3:::a/*") == ["arn:aws:s3:::a/", "arn:aws:s3:::a/x", "arn:aws:s3:::a/x/y"]


# -- property helpers -----------------------------------------------------------------------

def test_never_allowed_passes_and_fails_with_a_counterexample(env: Environment) -> None:
    assert_never_allowed(env, BOB, actions="lambda:InvokeFunction", resources=[RESIZE, RESIZE + ":*"],
                         max_examples=30)
    with pytest.raises(AssertionError) as failure:
        assert_never_allowed(env, ALICE, actions="lambda:InvokeFunction", resources=RESIZE, max_examples=30)
    message = str(failure.value)
    assert f"principal: {ALICE}" in message and "decision: allowed (ALLOWED)" in message
    assert "`InvokeTheFunctions` (" in message and "env.json:9:13" in message


def test_never_allowed_finds_the_boundary_of_a_condition() -> None:
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"NumericGreaterThan": {"s3:max-keys": "100"}}}]}
    with pytest.raises(AssertionError, match='"s3:max-keys": 101'):
        assert_never_allowed(policy, ALICE, actions="s3:GetObject", resources="arn:aws:s3:::b/k", max_examples=0)


def test_only_passes_and_fails_both_ways(env: Environment) -> None:
    assert_only(env, principals=[ALICE, "s3.amazonaws.com"], can="lambda:InvokeFunction", on=RESIZE,
                max_examples=30)
    with pytest.raises(AssertionError) as intruder:
        assert_only(env, principals=[ALICE], can="lambda:InvokeFunction", on=RESIZE, max_examples=30)
    assert "principal: s3.amazonaws.com" in str(intruder.value) and "`s3-uploads`" in str(intruder.value)
    with pytest.raises(AssertionError, match="user/bob is listed but no context tried allows it"):
        assert_only(env, principals=[ALICE, "s3.amazonaws.com", BOB], can="lambda:InvokeFunction", on=RESIZE,
                    max_examples=0)


def test_least_privilege_passes_and_reports_excess(env: Environment) -> None:
    assert_least_privilege(env, EXEC, NEEDED)
    assert_least_privilege(env, RESIZE, NEEDED)  # the function's execution role session
    with pytest.raises(AssertionError) as failure:
        assert_least_privilege(env, EXEC, NEEDED[:1])
    assert "s3:GetObject on arn:aws:s3:::uploads/x" in str(failure.value)
    with pytest.raises(AssertionError, match="needs sqs:DeleteMessage"):
        assert_least_privilege(env, EXEC, [*NEEDED, ("sqs:DeleteMessage", NEEDED[0][1])])


def test_least_privilege_expands_wildcards_over_the_catalogue() -> None:
    broad = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}]}
    with pytest.raises(AssertionError) as failure:
        assert_least_privilege(broad, f"{A}:role/worker",
                               [("sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:jobs")])
    assert "sqs:DeleteQueue on arn:aws:sqs:us-east-1:111122223333:jobs" in str(failure.value)
    assert_least_privilege(broad, f"{A}:role/worker", [("sqs:*", "arn:aws:sqs:us-east-1:111122223333:jobs")])


# -- packaging and the pytest plugin ----------------------------------------------------------

def test_importing_policyengine_does_not_import_hypothesis() -> None:
    code = "import sys, policyengine, policyengine.testing.plugin; assert 'hypothesis' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plugin_fixture_loads_the_configured_environment(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\npolicyengine_env = env.json\n")
    (pytester.path / "env.json").write_text(ENV_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    pytester.makepyfile(textwrap.dedent(f"""
        from policyengine.testing import assert_never_allowed

        def test_bob(policyengine_env):
            assert_never_allowed(policyengine_env, "{BOB}", actions="lambda:InvokeFunction",
                                 resources="{RESIZE}", max_examples=5)
    """))
    result = pytester.runpytest_subprocess()  # the plugin loads through its entry point
    result.assert_outcomes(passed=1)


def test_plugin_fixture_says_what_to_configure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_env(policyengine_env):\n    pass\n")
    result = pytester.runpytest_subprocess()  # the plugin loads through its entry point
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*set `policyengine_env = path`*"])
