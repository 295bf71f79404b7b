"""What the invoker asks before every step, behind a small protocol.

`Authorizer` is what the runtime needs: may this caller invoke this function, may this function's
execution role perform this action. `EnvironmentAuthorizer` answers from an `Environment`: it uses
`policyengine.lambda_rules` when that package is importable (the full rules: qualifiers, function
policies, cross-account, service principals) and otherwise asks `env.authorize` directly, with the
AWS AccessDenied message built from the engine's decision.

`EnvironmentAuthorizer` caches its answers (`check_invoke`, `function_can`): a warm invoke of the
same function by the same caller with the same options reuses the result computed the first
time, so the check costs a dictionary lookup. The cache belongs to one state of the environment:
`Environment.changed(...)` (which `add_permission`, `remove_permission` and `set_function_policy`
call) bumps the environment's version, and the next lookup starts from an empty cache; so does
pointing `authorizer.env` at another environment. A result whose policies mention
`aws:CurrentTime` or `aws:EpochTime` is reused only within the same second (the resolution at
which the engine reads the clock). Cached results are shared between calls: treat them as
read-only.
"""

from __future__ import annotations

import importlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, runtime_checkable

from ..environment import Environment, function_base_arn
from ..model.decision import Decision, DecisionCode
from ..policyset import PolicySet

# The keys the engine fills from the clock: a decision that may read them changes with time.
_TIME_KEYS = ("aws:currenttime", "aws:epochtime")


@dataclass(frozen=True)
class CheckError:
    code: str
    message: str


@dataclass(frozen=True)
class SimpleCheck:
    """The shape the invoker reads from a check (the lambda_rules `CheckResult` has the same)."""

    allowed: bool
    error: CheckError | None = None
    checks: tuple[Any, ...] = field(default_factory=tuple)


@runtime_checkable
class Authorizer(Protocol):
    def check_invoke(self, caller: str, function_arn: str, invocation_type: str) -> Any: ...

    def function_can(self, function_arn: str, action: str, resource: str,
                     context: Mapping[str, Any] | None = None) -> Any: ...


class AllowAll:
    """An authorizer that allows everything (for running handlers without an account model)."""

    def check_invoke(self, caller: str, function_arn: str, invocation_type: str) -> SimpleCheck:
        return SimpleCheck(True)

    def function_can(self, function_arn: str, action: str, resource: str,
                     context: Mapping[str, Any] | None = None) -> SimpleCheck:
        return SimpleCheck(True)


_REASONS = {
    DecisionCode.NO_IDENTITY_ALLOW: "because no identity-based policy allows the {action} action",
    DecisionCode.NO_RESOURCE_POLICY_ALLOW: "because no resource-based policy allows the {action} action",
    DecisionCode.NO_BOUNDARY_ALLOW: "because no permissions boundary allows the {action} action",
    DecisionCode.NO_SESSION_ALLOW: "because no session policy allows the {action} action",
    DecisionCode.NO_SCP_ALLOW: "because no service control policy allows the {action} action",
    DecisionCode.NO_RCP_ALLOW: "because no resource control policy allows the {action} action",
}


def access_denied_message(principal: str, action: str, resource: str, decision: Decision | None) -> str:
    """`User: P is not authorized to perform: A on resource: R [because ... | with an explicit deny in ...]`."""
    head = f"User: {principal} is not authorized to perform: {action} on resource: {resource}"
    if decision is None:
        return head
    if decision.code is DecisionCode.EXPLICIT_DENY:
        kinds = {s.policy_type for s in decision.deciding_statements}
        names = {"identity": "an identity-based policy", "resource": "a resource-based policy",
                 "permissions_boundary": "a permissions boundary", "session": "a session policy",
                 "scp": "a service control policy", "rcp": "a resource control policy"}
        kind = next((names[k] for k in names if k in kinds), None)
        return f"{head} with an explicit deny in {kind}" if kind else f"{head} with an explicit deny"
    tail = _REASONS.get(decision.code)
    return f"{head} {tail.format(action=action)}" if tail else head


def role_session_arn(role_arn: str, function_arn: str) -> str:
    """`arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION_NAME` (the execution role's session)."""
    account = role_arn.split(":")[4]
    role_name = role_arn.rsplit("/", 1)[-1]
    function_name = function_base_arn(function_arn)[0].rsplit(":", 1)[-1]
    return f"arn:aws:sts::{account}:assumed-role/{role_name}/{function_name}"


class EnvironmentAuthorizer:
    """The default authorizer over an `Environment`, with its answers cached (see the module doc).

    `cache=False` recomputes every answer; `cache_size` bounds the entries kept for one
    environment version (the cache is emptied when it is full). `hits`/`misses` count lookups.
    """

    def __init__(self, env: Environment, *, use_lambda_rules: bool = True, cache: bool = True,
                 cache_size: int = 4096) -> None:
        self.env = env
        self._rules: Any = None
        if use_lambda_rules:
            try:
                self._rules = importlib.import_module("policyengine.lambda_rules")
            except ImportError:
                self._rules = None
        self.cache_enabled = cache
        self.cache_size = cache_size
        self._state: _CacheState | None = None
        self.hits = 0
        self.misses = 0

    # -- the protocol --------------------------------------------------------------------------

    def check_invoke(self, caller: str, function_arn: str, invocation_type: str = "RequestResponse",
                     **options: Any) -> Any:
        """May `caller` invoke the function? `options` go to `lambda_rules.check_invoke`
        (`qualifier`, `source_arn`, `source_account`, `context`, `url`, ...) and are part of the key."""
        if not self.cache_enabled:
            return self._check_invoke(caller, function_arn, invocation_type, options)
        key: tuple[Any, ...] = ("invoke", caller, function_arn, invocation_type)
        if options:
            frozen = _freeze(options)
            if frozen is None:  # an option value with no hashable image: not cached
                return self._check_invoke(caller, function_arn, invocation_type, options)
            key += (frozen,)
        state = self._current()
        found = state.entries.get(key)
        if found is not None and (found[1] is None or found[1] == int(time.time())):
            self.hits += 1
            return found[0]
        self.misses += 1
        outcome = self._check_invoke(caller, function_arn, invocation_type, options)
        self._store(state, key, outcome, (caller, "lambda:InvokeFunction", function_arn))
        return outcome

    def function_can(self, function_arn: str, action: str, resource: str,
                     context: Mapping[str, Any] | None = None) -> Any:
        frozen = _freeze(dict(context)) if context else ()
        if not self.cache_enabled or frozen is None:
            return self._function_can(function_arn, action, resource, context)
        key = ("function_can", function_arn, action, resource, frozen)
        state = self._current()
        found = state.entries.get(key)
        if found is not None and (found[1] is None or found[1] == int(time.time())):
            self.hits += 1
            return found[0]
        self.misses += 1
        outcome = self._function_can(function_arn, action, resource, context)
        self._store(state, key, outcome, None)
        return outcome

    def clear_cache(self) -> None:
        """Forget every cached answer (not needed after `env.changed(...)`, which already does)."""
        self._state = None

    # -- the cache -------------------------------------------------------------------------------

    def _current(self) -> _CacheState:
        """The cache of the environment's current version: a new, empty one after any change.

        The version is read before an answer is computed and the answer goes into that version's
        cache, so one computed while the environment changes is never served after the change.
        """
        env = self.env
        version = getattr(env, "_version", None)
        state = self._state
        if state is None or state.env is not env or state.version != version:
            state = self._state = _CacheState(env, version)
        return state

    def _store(self, state: _CacheState, key: tuple[Any, ...], outcome: Any,
               fallback: tuple[str, str, str] | None) -> None:
        consulted = []
        for check in getattr(outcome, "checks", ()) or ():
            decision = getattr(check, "decision", check)
            if getattr(decision, "code", None) is DecisionCode.EVALUATION_ERROR:
                return  # failed closed: compute again next time rather than remember an error
            principal = getattr(check, "principal", None)
            if principal is not None:
                consulted.append((principal, check.action, check.resource))
            elif fallback is not None:
                consulted.append(fallback)
            else:
                return  # a decision that cannot be traced to its policies: not cached
        try:
            uses_time = any(self._uses_time(state, *request) for request in consulted)
        except Exception:  # noqa: BLE001 - a request the environment cannot map: not cached
            return
        if len(state.entries) >= self.cache_size:
            state.entries.clear()
        state.entries[key] = (outcome, int(time.time()) if uses_time else None)

    def _uses_time(self, state: _CacheState, principal: str, action: str, resource: str) -> bool:
        policies = state.env.policy_set(principal, action, resource)  # what env.authorize used (cached)
        known = state.uses_time.get(id(policies))
        if known is None or known[0] is not policies:
            known = state.uses_time[id(policies)] = (policies, _mentions_time(policies))
        return known[1]

    # -- the checks themselves -------------------------------------------------------------------

    def _check_invoke(self, caller: str, function_arn: str, invocation_type: str,
                      options: Mapping[str, Any]) -> Any:
        rules = self._rules
        if rules is not None and hasattr(rules, "check_invoke"):
            return rules.check_invoke(self.env, caller, function_arn, invocation_type=invocation_type, **options)
        action = "lambda:InvokeFunction"
        decision = self.env.authorize(caller, action, function_arn, options.get("context"))
        return _answer(caller, action, function_arn, decision)

    def _function_can(self, function_arn: str, action: str, resource: str,
                      context: Mapping[str, Any] | None = None) -> Any:
        rules = self._rules
        if rules is not None and hasattr(rules, "function_can"):
            return rules.function_can(self.env, function_arn, action, resource, dict(context or {}))
        fn = self.env.function(function_arn)
        if fn is None:
            return SimpleCheck(False, CheckError("ResourceNotFoundException", f"Function not found: {function_arn}"))
        principal = role_session_arn(fn.role, function_arn)
        ctx = {"lambda:SourceFunctionArn": fn.arn, **dict(context or {})}
        return _answer(principal, action, resource, self.env.authorize(principal, action, resource, ctx))

    def check_create_function(self, caller: str, function_arn: str, role_arn: str, **kwargs: Any) -> Any:
        rules = self._rules
        if rules is not None and hasattr(rules, "check_create_function"):
            return rules.check_create_function(self.env, caller, function_arn, role_arn, **kwargs)
        for action, resource, ctx in (("lambda:CreateFunction", function_arn, {}),
                                      ("iam:PassRole", role_arn, {"iam:PassedToService": "lambda.amazonaws.com"})):
            decision = self.env.authorize(caller, action, resource, ctx)
            if decision.decision != "allowed":
                return _answer(caller, action, resource, decision)
        return SimpleCheck(True)


def _answer(principal: str, action: str, resource: str, decision: Decision) -> SimpleCheck:
    """The check for one decision of `env.authorize`: denied with AWS's AccessDenied message."""
    if decision.decision == "allowed":
        return SimpleCheck(True, checks=(decision,))
    return SimpleCheck(False, CheckError("AccessDeniedException",
                                         access_denied_message(principal, action, resource, decision)), (decision,))


class _CacheState:
    """The cached answers for one environment at one version."""

    __slots__ = ("env", "version", "entries", "uses_time")

    def __init__(self, env: Any, version: Any) -> None:
        self.env = env  # held, so that its id cannot be reused while this state lives
        self.version = version
        # key -> (result, the second it is valid for, or None: valid until the environment changes)
        self.entries: dict[tuple[Any, ...], tuple[Any, int | None]] = {}
        # id(PolicySet) -> (the set, whether it reads the clock)
        self.uses_time: dict[int, tuple[PolicySet, bool]] = {}


def _freeze(value: Any) -> Any:
    """A hashable, type-exact image of an option or context value (None when it has none).

    Types are kept: `True`, `1` and `"1"` are different context values to the engine."""
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            frozen = _freeze(v)
            if frozen is None:
                return None
            items.append((str(k), frozen))
        return ("map", tuple(sorted(items, key=repr)))
    if isinstance(value, (list, tuple)):
        parts = [_freeze(v) for v in value]
        return None if any(p is None for p in parts) else ("seq", tuple(parts))
    if value is None or isinstance(value, (str, int, float, bytes)):  # bool is an int: the type name tells
        return (type(value).__name__, value)
    return None


def _mentions_time(policies: PolicySet) -> bool:
    """Does any policy of the set read `aws:CurrentTime`/`aws:EpochTime` (a condition key or a
    policy variable)? Read from the documents' text, so anything that names them counts."""
    layers = [policies.identity, policies.resource, policies.permissions_boundary, policies.session,
              policies.vpc_endpoint, *policies.scps, *policies.rcps]
    seen: set[int] = set()
    for layer in layers:
        if layer is None:
            continue
        for statement in layer.statements:
            doc = statement.document
            if id(doc) in seen:
                continue
            seen.add(id(doc))
            text = json.dumps(doc.to_json(), default=str).lower()
            if any(key in text for key in _TIME_KEYS):
                return True
    return False


def default_authorizer(env: Environment | None) -> Any:
    return EnvironmentAuthorizer(env) if env is not None else AllowAll()
