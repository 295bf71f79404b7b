"""Fail closed, proven by fault injection (IAM User Guide, policy evaluation logic, §1.3 step 9:
an error during evaluation ends in a deny).

A test double that raises replaces, one at a time, each condition operator family's
comparison (in the operator registry) and each matcher of a compiled statement (actions,
resources, principals, the condition block, policy-variable resolution, wildcard globs).
On generated policies and requests the decision is then never `allowed` once the faulty
part was reached; when it was not reached, the decision is the one without the fault.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import (
    IAM_PRINCIPALS,
    SESSION,
    USER,
    VERSION,
    build,
    compiled_layers,
    make_request,
    scenarios,
)

import policyengine as pe
from policyengine.evaluation import actions as actions_module
from policyengine.evaluation import arns as arns_module
from policyengine.evaluation import flow
from policyengine.evaluation.conditions import REGISTRY, Family
from policyengine.evaluation.conditions.operators import lookup_operator
from policyengine.evaluation.conditions.registry import ValueSet
from policyengine.evaluation.variables import Template

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class Fault(RuntimeError):
    """The injected failure."""


class Reached:
    def __init__(self) -> None:
        self.count = 0

    def boom(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        raise Fault("injected fault")


@contextlib.contextmanager
def patched(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


@contextlib.contextmanager
def faulty_family(family: Family, reached: Reached) -> Iterator[None]:
    """Every operator of `family` compiles to values whose comparison raises."""
    specs = REGISTRY._specs
    saved = dict(specs)

    def wrap(spec: Any) -> Any:
        def compile_values(s: Any, values: Any, variables_enabled: bool) -> ValueSet:
            real = spec.compile_values(s, values, variables_enabled)
            return dataclasses.replace(real, any_match=reached.boom, normalize=reached.boom,
                                       tests=tuple(reached.boom for _ in real.tests) or (reached.boom,))
        return dataclasses.replace(spec, compile_values=compile_values)

    for name, spec in saved.items():
        if spec.family is family:
            specs[name] = wrap(spec)
    lookup_operator.cache_clear()
    try:
        yield
    finally:
        specs.clear()
        specs.update(saved)
        lookup_operator.cache_clear()


# One condition per family that holds for the request below when evaluated correctly.
FAMILY_CONDITIONS: dict[Family, dict[str, Any]] = {
    Family.STRING: {"StringLike": {"aws:PrincipalTag/team": "r*"}},
    Family.NUMERIC: {"NumericLessThan": {"s3:max-keys": "100"}},
    Family.DATE: {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
    Family.BOOLEAN: {"Bool": {"aws:SecureTransport": "true"}},
    Family.BINARY: {"BinaryEquals": {"app:blob": "aGVsbG8="}},
    Family.IP_ADDRESS: {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    Family.ARN: {"ArnLike": {"aws:PrincipalArn": "arn:aws:*:*:111122223333:*"}},
    Family.NULL: {"Null": {"aws:PrincipalTag/team": "false"}},
}
GOOD_CONTEXT = {"aws:PrincipalTag/team": "red", "s3:max-keys": 10, "aws:SecureTransport": True,
                "app:blob": "aGVsbG8=", "aws:SourceIp": "10.1.2.3"}


@st.composite
def seeded_scenarios(draw: st.DrawFn, condition: dict[str, Any]) -> dict[str, Any]:
    """A generated scenario whose identity (or resource) policy also holds an Allow of
    everything under `condition`, and whose request carries values that satisfy it."""
    sc = copy.deepcopy(draw(scenarios(principals=IAM_PRINCIPALS)))
    seed = {"Sid": "Seed", "Effect": "Allow", "Action": "*", "Resource": "*", "Condition": copy.deepcopy(condition)}
    policies = sc["policies"]
    if draw(st.booleans()):
        policies.setdefault("identity", []).append({"Version": VERSION, "Statement": [seed]})
    else:
        stmt = dict(seed, Principal="*")
        if "resource" in policies:
            policies["resource"]["Statement"].append(stmt)
        else:
            policies["resource"] = {"Version": VERSION, "Statement": [stmt]}
    if draw(st.integers(0, 3)):
        sc["request"]["context"] = dict(GOOD_CONTEXT, **sc["request"]["context"])
    return sc


def check_fail_closed(sc: dict[str, Any], reached: Reached, fault: Callable[[], Any],
                      prepare: Callable[[pe.PolicySet], None] | None = None) -> None:
    policies, req = sc["policies"], sc["request"]
    with fault():
        ps = build(policies)
        if prepare is not None:
            prepare(ps)
        decision = ps.authorize(make_request(req))
        # Only faults the decision itself reached count: explain mode visits every condition
        # (no short-circuit), so it can reach a fault the decision never depended on.
        reached_by_decision = reached.count
        explained = ps.authorize(make_request(req), explain=True)
    assert explained.decision == decision.decision, (decision, explained)
    if reached_by_decision:
        assert not decision.allowed, decision
        assert decision.decision == "explicitDeny" or decision.code is pe.DecisionCode.EVALUATION_ERROR, decision
    else:
        expected = build(policies).authorize(make_request(req))
        assert (decision.decision, decision.code) == (expected.decision, expected.code)


@pytest.mark.parametrize("family", list(FAMILY_CONDITIONS), ids=str)
def test_a_faulty_operator_family_is_reached_and_denies(family: Family) -> None:
    """The seed alone: without the fault it allows, with it the decision is an evaluation error."""
    sc = {"policies": {"identity": [{"Version": VERSION, "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": FAMILY_CONDITIONS[family]}]}]},
        "request": {"principal": USER, "action": "s3:GetObject", "resource": "*", "context": GOOD_CONTEXT}}
    assert build(sc["policies"]).authorize(make_request(sc["request"])).allowed
    reached = Reached()
    with faulty_family(family, reached):
        d = build(sc["policies"]).authorize(make_request(sc["request"]))
    assert reached.count and d.code is pe.DecisionCode.EVALUATION_ERROR, d


@pytest.mark.parametrize("family", list(FAMILY_CONDITIONS), ids=str)
@SETTINGS
@given(data=st.data())
def test_a_faulty_condition_operator_never_allows(family: Family, data: st.DataObject) -> None:
    """Each operator family's comparison raising: never `allowed` once it is reached."""
    sc = data.draw(seeded_scenarios(FAMILY_CONDITIONS[family]))
    reached = Reached()
    check_fail_closed(sc, reached, lambda: faulty_family(family, reached))


def _statements(ps: pe.PolicySet) -> list[Any]:
    return [s for layer in compiled_layers(ps) for s in layer.statements]


def _replace_on_statements(attribute: str, reached: Reached) -> Callable[[pe.PolicySet], None]:
    def prepare(ps: pe.PolicySet) -> None:
        for statement in _statements(ps):
            if getattr(statement, attribute) is None:
                continue
            if attribute == "conditions":
                statement.conditions = _RaisingConditions(reached)
            else:
                setattr(statement, attribute, reached.boom)
    return prepare


class _RaisingConditions:
    keys: frozenset[str] = frozenset()
    variable_keys: frozenset[str] = frozenset()
    conditions = ()

    def __init__(self, reached: Reached) -> None:
        self.reached = reached

    def matches(self, ctx: Any) -> bool:
        return self.reached.boom()

    def explain(self, ctx: Any) -> Any:
        return self.reached.boom()

    def __len__(self) -> int:
        return 1


def _faulty_glob(reached: Reached) -> Callable[[], Any]:
    """Wildcard matchers built for actions and resources raise when called."""
    def make(*args: Any, **kwargs: Any) -> Callable[[str], bool]:
        return reached.boom

    @contextlib.contextmanager
    def fault() -> Iterator[None]:
        with patched(actions_module, "compile_glob", make), patched(arns_module, "compile_glob", make):
            yield
    return fault


MATCHERS: dict[str, Callable[[Reached], tuple[Callable[[], Any], Callable[[pe.PolicySet], None] | None]]] = {
    "actions": lambda r: (contextlib.nullcontext, _replace_on_statements("actions", r)),
    "resources": lambda r: (contextlib.nullcontext, _replace_on_statements("resources", r)),
    "conditions": lambda r: (contextlib.nullcontext, _replace_on_statements("conditions", r)),
    "principals": lambda r: (lambda: _both(patched(flow, "principal_grant", r.boom),
                                           patched(flow, "excluded_by_not_principal", r.boom)), None),
    "variables": lambda r: (lambda: patched(Template, "resolve", r.boom), None),
    "wildcards": lambda r: (_faulty_glob(r), None),
}


@contextlib.contextmanager
def _both(a: Any, b: Any) -> Iterator[None]:
    with a, b:
        yield


VARIABLE_SEED = {"StringEquals": {"aws:PrincipalAccount": "${aws:PrincipalAccount}"}}


@pytest.mark.parametrize("matcher", list(MATCHERS))
@SETTINGS
@given(data=st.data())
def test_a_faulty_matcher_never_allows(matcher: str, data: st.DataObject) -> None:
    """Each statement matcher raising (action, resource, principal, condition block, policy
    variables, wildcard globs): never `allowed` once it is reached."""
    seed = VARIABLE_SEED if matcher == "variables" else FAMILY_CONDITIONS[Family.STRING]
    sc = data.draw(seeded_scenarios(seed))
    if matcher == "principals" and data.draw(st.booleans()):
        sc["request"]["principal"] = SESSION
    reached = Reached()
    fault, prepare = MATCHERS[matcher](reached)
    check_fail_closed(sc, reached, fault, prepare)


@pytest.mark.parametrize("matcher", list(MATCHERS))
def test_each_faulty_matcher_is_reached(matcher: str) -> None:
    """The injection points are live: a plain allowed request hits each of them."""
    seed = VARIABLE_SEED if matcher == "variables" else FAMILY_CONDITIONS[Family.STRING]
    policies = {"resource": {"Version": VERSION, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "s3:Get*",
         "Resource": "arn:aws:s3:::reports/*", "Condition": seed}]}}
    req = {"principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::reports/q1.csv",
           "context": GOOD_CONTEXT}
    assert build(policies).authorize(make_request(req)).allowed
    reached = Reached()
    fault, prepare = MATCHERS[matcher](reached)
    check_fail_closed({"policies": policies, "request": req}, reached, fault, prepare)
    assert reached.count, matcher
