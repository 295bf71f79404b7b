"""Laws of the decision flow, checked on generated policies and requests.

The policies are generated from the request (see `strategies.py`), so statements match,
miss, and carry conditions that hold or fail; every layer AWS knows (identity, resource,
permissions boundary, session, SCP levels, RCP levels, VPC endpoint) takes part.

1. Deny is monotone: adding a Deny statement anywhere never makes a decision `allowed`
   that was not; a Deny of everything in an IAM principal's identity policy denies every
   request but `sts:GetCallerIdentity`.
2. Order is irrelevant: shuffling statements, policies and SCP/RCP levels changes nothing.
3. A value and the one-element list holding it are the same (Action, Resource, NotAction,
   NotResource, Principal, condition values, and Statement itself).
4. Allow is monotone: removing an Allow statement never makes a decision `allowed`.
5. Explaining changes nothing, and the deciding statements are the ones that decided:
   Denies for an explicit deny, Allows for a grant, none for an implicit deny; the trace
   agrees with the fast path on which statements matched.
6. Fail closed: a statement whose evaluation fails never helps a request to be allowed.
7. Case: the case of the action (in the request and in `Action`) and of condition key
   names (in the policy and in the request context) never changes the decision.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from typing import Any, Callable

from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

import policyengine as pe
from strategies import (
    A,
    ALWAYS_ALLOWED_ACTION,
    FULL_ACCESS,
    IAM_PRINCIPALS,
    POLICY_TYPE_OF,
    ROOT,
    USER,
    VERSION,
    build,
    compiled_layers,
    documents_of,
    make_request,
    map_documents,
    map_statements,
    scenarios,
    statements,
    statements_of,
)

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PRINCIPAL_POLICY_TYPES = {"resource", "vpc_endpoint", "rcp"}


# -- helpers ------------------------------------------------------------------------------------


def decide(policies: dict[str, Any], req: dict[str, Any], *, explain: bool = False) -> pe.Decision:
    return build(policies).authorize(make_request(req), explain=explain)


def matched(d: pe.Decision) -> Counter[tuple[str, str | None, str, bool]]:
    """The matched statements as a multiset of (policy type, Sid, effect, deciding)."""
    return Counter((s.policy_type, s.sid, s.effect, s.deciding) for s in d.matched_statements)


def summary(d: pe.Decision) -> tuple[str, str, Counter[tuple[str, str | None, str, bool]]]:
    return d.decision, d.code.value, matched(d)


def root_in_own_account(req: dict[str, Any]) -> bool:
    """The account root user asking about a resource of its own account (full access by default)."""
    if req["principal"] != ROOT:
        return False
    parts = req["resource"].split(":")
    account = parts[4] if len(parts) >= 6 and parts[4] else A
    return account == A


def insert_statement(policies: dict[str, Any], key: str, doc_number: int, position: int,
                     statement: dict[str, Any]) -> dict[str, Any]:
    """A copy of `policies` with `statement` inserted into the `doc_number`-th document of `key`."""
    out = copy.deepcopy(policies)
    docs = [doc for k, doc in documents_of(out) if k == key]
    stmts = docs[doc_number]["Statement"]
    stmts.insert(position % (len(stmts) + 1), statement)
    return out


# -- 1. Deny is monotone ------------------------------------------------------------------------


@st.composite
def with_added_deny(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A scenario, and its policies with one more (targeted) Deny statement somewhere."""
    sc = draw(scenarios())
    policies, req = sc["policies"], sc["request"]
    places = [(key, number) for key in POLICY_TYPE_OF
              for number in range(sum(1 for k, _ in documents_of(policies) if k == key))]
    places.append(("identity", -1))  # a new identity policy
    key, number = draw(st.sampled_from(places))
    deny = draw(statements(req, POLICY_TYPE_OF[key], effect="Deny"))
    deny["Sid"] = "AddedDeny"
    if number == -1:
        after = copy.deepcopy(policies)
        after.setdefault("identity", []).append({"Version": VERSION, "Statement": [deny]})
    else:
        after = insert_statement(policies, key, number, draw(st.integers(0, 3)), deny)
    return policies, after, req


@SETTINGS
@given(case=with_added_deny())
def test_adding_a_deny_never_grants(case: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]) -> None:
    """IAM User Guide, policy evaluation logic (lambda-permissions.md §1.3 step 2): an explicit
    Deny in any applicable policy overrides every Allow, so adding one can only take access
    away: if the request is allowed with the extra Deny, it was allowed without it."""
    before, after, req = case
    d_after = decide(after, req)
    if d_after.allowed:
        d_before = decide(before, req)
        assert d_before.allowed, (d_before, d_after)


@SETTINGS
@given(sc=scenarios(principals=IAM_PRINCIPALS), where=st.integers(0, 20), new_policy=st.booleans())
@example(sc={"policies": {}, "request": {"principal": USER, "action": ALWAYS_ALLOWED_ACTION,
                                          "resource": "*", "context": {}}}, where=0, new_policy=True)
@example(sc={"policies": {"identity": [{"Version": VERSION, "Statement": [dict(FULL_ACCESS, Sid="S0")]}]},
             "request": {"principal": USER, "action": "s3:GetObject", "resource": "*", "context": {}}},
         where=0, new_policy=False)
def test_a_deny_of_everything_in_an_identity_policy_denies_every_request(
        sc: dict[str, Any], where: int, new_policy: bool) -> None:
    """IAM User Guide, policy evaluation logic: a Deny matching the request in an identity
    policy of the caller is final, whatever else allows (§1.3 step 2); `Action: *`,
    `Resource: *` without a condition matches every request of an IAM user or role session.
    The one exception is sts:GetCallerIdentity, which no policy can deny (STS API reference)."""
    policies, req = sc["policies"], sc["request"]
    deny = {"Sid": "DenyAll", "Effect": "Deny", "Action": "*", "Resource": "*"}
    identity = policies.get("identity") or []
    if new_policy or not identity:
        after = copy.deepcopy(policies)
        after.setdefault("identity", []).insert(where % (len(identity) + 1),
                                                {"Version": VERSION, "Statement": [deny]})
    else:
        after = insert_statement(policies, "identity", where % len(identity), where, deny)
    d = decide(after, req)
    if req["action"] == ALWAYS_ALLOWED_ACTION:
        assert d.decision == "allowed" and d.code is pe.DecisionCode.ALWAYS_ALLOWED, d
    else:
        assert d.decision == "explicitDeny", d


# -- 2. Order is irrelevant ---------------------------------------------------------------------


def shuffled(policies: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    def shuffle_doc(doc: dict[str, Any]) -> dict[str, Any]:
        rnd.shuffle(doc["Statement"])
        return doc

    out = map_documents(policies, shuffle_doc)
    for key in ("identity", "session"):
        if out.get(key):
            rnd.shuffle(out[key])
    for key in ("scps", "rcps"):
        for level in out.get(key) or []:
            rnd.shuffle(level)
        if out.get(key):
            rnd.shuffle(out[key])
    return out


@SETTINGS
@given(sc=scenarios(), rnd=st.randoms(use_true_random=False))
def test_statement_and_policy_order_never_changes_the_decision(sc: dict[str, Any], rnd: random.Random) -> None:
    """IAM User Guide, policy evaluation logic: all applicable statements of all policies are
    evaluated and combined (any Deny wins, otherwise any Allow, per policy type and per SCP/RCP
    level, every level needing an Allow); no step depends on the order in which statements,
    policies or levels are written. The same statements match, and the same ones decide."""
    policies, req = sc["policies"], sc["request"]
    assert summary(decide(shuffled(policies, rnd), req, explain=True)) == summary(decide(policies, req,
                                                                                         explain=True))


# -- 3. A value and the one-element list holding it ---------------------------------------------

LIST_ELEMENTS = ("Action", "NotAction", "Resource", "NotResource")


def as_lists(stmt: dict[str, Any]) -> dict[str, Any]:
    for name in LIST_ELEMENTS:
        if isinstance(stmt.get(name), str):
            stmt[name] = [stmt[name]]
    for name in ("Principal", "NotPrincipal"):
        if isinstance(stmt.get(name), dict):
            stmt[name] = {k: v if isinstance(v, list) else [v] for k, v in stmt[name].items()}
    for block in (stmt.get("Condition") or {}).values():
        for key, value in block.items():
            if not isinstance(value, list):
                block[key] = [value]
    return stmt


def as_scalars(stmt: dict[str, Any]) -> dict[str, Any]:
    def bare(value: Any) -> Any:
        return value[0] if isinstance(value, list) and len(value) == 1 else value

    for name in LIST_ELEMENTS:
        if name in stmt:
            stmt[name] = bare(stmt[name])
    for name in ("Principal", "NotPrincipal"):
        if isinstance(stmt.get(name), dict):
            stmt[name] = {k: bare(v) for k, v in stmt[name].items()}
    for block in (stmt.get("Condition") or {}).values():
        for key, value in block.items():
            block[key] = bare(value)
    return stmt


def single_statement_objects(doc: dict[str, Any]) -> dict[str, Any]:
    if len(doc["Statement"]) == 1:
        doc["Statement"] = doc["Statement"][0]
    return doc


@SETTINGS
@given(sc=scenarios())
def test_a_value_and_the_one_element_list_holding_it_evaluate_the_same(sc: dict[str, Any]) -> None:
    """IAM JSON policy grammar (IAM User Guide, "Grammar of the IAM JSON policy language"):
    Action, NotAction, Resource, NotResource, each Principal kind, each condition key and
    Statement itself take either one value or an array of values; a single value means the
    same as the one-element array holding it."""
    policies, req = sc["policies"], sc["request"]
    expected = summary(decide(policies, req, explain=True))
    assert summary(decide(map_statements(policies, as_lists), req, explain=True)) == expected
    as_bare = map_documents(map_statements(policies, as_scalars), single_statement_objects)
    assert summary(decide(as_bare, req, explain=True)) == expected


# -- 4. Allow is monotone -----------------------------------------------------------------------

# What a document holds when its only Allow is removed (a policy needs one statement): an
# Allow of an action no request here uses, naming a principal no request here is.
NEUTRAL = {"Sid": "Neutral", "Effect": "Allow", "Action": "none:Nothing", "Resource": "arn:aws:none:::nothing"}


def without_statement(policies: dict[str, Any], target: int) -> dict[str, Any]:
    out = copy.deepcopy(policies)
    key, doc, index = statements_of(out)[target]
    if len(doc["Statement"]) > 1:
        del doc["Statement"][index]
    else:
        neutral = dict(NEUTRAL)
        if POLICY_TYPE_OF[key] == "rcp":  # an RCP allows only everything: a Deny of nothing instead
            neutral.update(Effect="Deny", Principal="*")
        elif POLICY_TYPE_OF[key] in PRINCIPAL_POLICY_TYPES:
            neutral["Principal"] = {"AWS": "arn:aws:iam::000000000000:root"}
        doc["Statement"] = [neutral]
    return out


REMOVED_ALLOW_THAT_FAILED = {
    "policies": {"identity": [{"Version": VERSION, "Statement": [
        {"Sid": "S0", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Sid": "S1", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}]},
    "request": {"principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::reports/q1.csv",
                "context": {"aws:SourceIp": "not-an-ip"}},
}


@SETTINGS
@given(sc=scenarios(), choice=st.integers(0, 1000))
@example(sc=REMOVED_ALLOW_THAT_FAILED, choice=1)
def test_removing_an_allow_never_grants(sc: dict[str, Any], choice: int) -> None:
    """IAM User Guide, policy evaluation logic: requests are denied by default and only an
    applicable Allow grants (or, for ceilings, lets a grant through), so taking an Allow
    statement away can only take access away: allowed without it implies allowed with it.

    One exception follows from failing closed (§1.3 step 9; docs/concepts.md, "Failing
    closed"): an Allow that could not be evaluated (a request value of the wrong type) makes
    the request `EVALUATION_ERROR` even when other statements allow, so removing that very
    statement can turn the decision into `allowed` (the saved example)."""
    policies, req = sc["policies"], sc["request"]
    listed = statements_of(policies)
    allows = [n for n, (_, doc, i) in enumerate(listed) if doc["Statement"][i]["Effect"] == "Allow"]
    assume(allows)
    removed = allows[choice % len(allows)]
    after = without_statement(policies, removed)
    d_after = decide(after, req)
    if d_after.allowed:
        d_before = decide(policies, req)
        if d_before.code is pe.DecisionCode.EVALUATION_ERROR:
            _, doc, index = listed[removed]
            sid = doc["Statement"][index]["Sid"]
            assert any(f"`{sid}`" in error for error in d_before.errors), (d_before, d_after)
        else:
            assert d_before.allowed, (d_before, d_after)


# -- 5. Explaining ------------------------------------------------------------------------------


@SETTINGS
@given(sc=scenarios())
def test_explain_never_changes_the_decision_and_marks_what_decided(sc: dict[str, Any]) -> None:
    """IAM User Guide, policy evaluation logic: an explicit deny is decided by the Deny
    statements that matched; an allow by the Allow statements that granted; an implicit
    deny by the absence of a grant (so by no statement). Asking for the explanation is
    only reporting: the decision, its code and the matched statements do not change, and
    the trace marks as matched exactly the statements the decision lists."""
    policies, req = sc["policies"], sc["request"]
    plain = decide(policies, req)
    explained = decide(policies, req, explain=True)
    event(f"{explained.decision} / {explained.code.value}")  # shown by --hypothesis-show-statistics
    assert (explained.decision, explained.code, explained.headline) == (plain.decision, plain.code, plain.headline)
    assert matched(explained) == matched(plain)

    deciding = explained.deciding_statements
    if explained.decision == "explicitDeny":
        assert deciding and all(s.effect == "Deny" for s in deciding), explained.matched_statements
    elif explained.decision == "allowed":
        assert all(s.effect == "Allow" for s in deciding), explained.matched_statements
        if explained.code is not pe.DecisionCode.ALWAYS_ALLOWED and not root_in_own_account(req):
            assert deciding, explained
    else:
        assert not deciding, explained.matched_statements

    if explained.code is pe.DecisionCode.ALWAYS_ALLOWED:
        return  # decided before any policy is read: there is nothing to trace
    assert explained.trace is not None
    in_trace = Counter((t.statement.policy_type, t.statement.sid) for t in explained.trace if t.matched)
    listed = Counter((s.policy_type, s.sid) for s in explained.matched_statements)
    assert in_trace == listed, explained.trace


# -- 6. Fail closed -----------------------------------------------------------------------------


class Exploding:
    """Stands in for a compiled Condition block whose evaluation fails."""

    keys: frozenset[str] = frozenset()
    variable_keys: frozenset[str] = frozenset()

    def __init__(self, reached: list[Any], statement: Any) -> None:
        self.reached = reached
        self.statement = statement
        self.conditions = ()

    def matches(self, ctx: Any) -> bool:
        self.reached.append(self.statement)
        raise RuntimeError("condition evaluation failed")

    def explain(self, ctx: Any) -> list[Any]:
        self.reached.append(self.statement)
        raise RuntimeError("condition evaluation failed")

    def __len__(self) -> int:
        return 1


def all_compiled(ps: pe.PolicySet) -> list[Any]:
    return [s for layer in compiled_layers(ps) for s in layer.statements]


@SETTINGS
@given(sc=scenarios())
@example(sc={"policies": {"identity": [{"Version": VERSION, "Statement": [dict(FULL_ACCESS, Sid="S0")]}]},
             "request": {"principal": ROOT, "action": "s3:GetObject", "resource": "*", "context": {}}})
def test_errors_in_every_statement_never_allow(sc: dict[str, Any]) -> None:
    """IAM User Guide, policy evaluation logic (§1.3 step 9): an error while evaluating a
    policy ends in a deny. With every statement failing, a request is allowed only when no
    statement was needed: sts:GetCallerIdentity, or the account root user in its own account
    (full access by default) when no statement even matched the action and resource."""
    policies, req = sc["policies"], sc["request"]
    ps = build(policies)
    reached: list[Any] = []
    for statement in all_compiled(ps):
        statement.conditions = Exploding(reached, statement)
    d = ps.authorize(make_request(req))
    if reached:
        assert d.decision == "implicitDeny" and d.code is pe.DecisionCode.EVALUATION_ERROR, d
    elif d.allowed:
        assert d.code is pe.DecisionCode.ALWAYS_ALLOWED or root_in_own_account(req), d


@SETTINGS
@given(sc=scenarios(), choice=st.integers(0, 1000))
def test_an_error_in_one_statement_never_allows(sc: dict[str, Any], choice: int) -> None:
    """IAM User Guide, policy evaluation logic (§1.3 step 9): a statement that cannot be
    evaluated denies (fails closed). Once the failing statement is reached (its action,
    resource and principal match the request) the request is not allowed; a statement that
    is not reached cannot change the decision."""
    policies, req = sc["policies"], sc["request"]
    ps = build(policies)
    compiled = all_compiled(ps)
    assume(compiled)
    target = compiled[choice % len(compiled)]
    reached: list[Any] = []
    target.conditions = Exploding(reached, target)
    d = ps.authorize(make_request(req))
    if reached:
        assert not d.allowed, d
        assert d.decision == "explicitDeny" or d.code is pe.DecisionCode.EVALUATION_ERROR, d
    else:
        expected = decide(policies, req)
        assert (d.decision, d.code) == (expected.decision, expected.code)


# -- 7. Case ------------------------------------------------------------------------------------


def recased(text: str, rnd: random.Random) -> str:
    return "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in text)


def recase_statement(rnd: random.Random) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def fn(stmt: dict[str, Any]) -> dict[str, Any]:
        for name in ("Action", "NotAction"):
            if name in stmt:
                value = stmt[name]
                stmt[name] = recased(value, rnd) if isinstance(value, str) else [recased(v, rnd) for v in value]
        if "Condition" in stmt:
            stmt["Condition"] = {op: {recased(k, rnd): v for k, v in block.items()}
                                 for op, block in stmt["Condition"].items()}
        return stmt

    return fn


@SETTINGS
@given(sc=scenarios(), rnd=st.randoms(use_true_random=False))
def test_case_of_actions_and_condition_keys_never_changes_the_decision(sc: dict[str, Any],
                                                                       rnd: random.Random) -> None:
    """IAM User Guide: action names are case-insensitive (Action element: "the prefix and the
    action name are case insensitive"), and so are condition key names (Condition element:
    "condition key names are not case-sensitive"; lambda-permissions.md §1.1). Changing the
    case of the request's action, of Action/NotAction patterns and of condition keys, in the
    policy and in the request context, changes nothing."""
    policies, req = sc["policies"], sc["request"]
    expected = summary(decide(policies, req, explain=True))
    other = dict(req, action=recased(req["action"], rnd),
                 context={recased(k, rnd): v for k, v in req["context"].items()})
    assert summary(decide(map_statements(policies, recase_statement(rnd)), other, explain=True)) == expected
