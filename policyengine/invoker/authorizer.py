"""What the invoker asks before every step, behind a small protocol.

`Authorizer` is what the runtime needs: may this caller invoke this function, may this function's
execution role perform this action. `EnvironmentAuthorizer` answers from an `Environment`: it uses
`policyengine.lambda_rules` when that package is importable (the full rules: qualifiers, function
policies, cross-account, service principals) and otherwise asks `env.authorize` directly, with the
AWS AccessDenied message built from the engine's decision.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, runtime_checkable

from ..environment import Environment, function_base_arn
from ..model.decision import Decision, DecisionCode


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
    """The default authorizer over an `Environment`."""

    def __init__(self, env: Environment, *, use_lambda_rules: bool = True) -> None:
        self.env = env
        self._rules: Any = None
        if use_lambda_rules:
            try:
                self._rules = importlib.import_module("policyengine.lambda_rules")
            except ImportError:
                self._rules = None

    # -- the protocol --------------------------------------------------------------------------

    def check_invoke(self, caller: str, function_arn: str, invocation_type: str = "RequestResponse") -> Any:
        rules = self._rules
        if rules is not None and hasattr(rules, "check_invoke"):
            return rules.check_invoke(self.env, caller, function_arn, invocation_type=invocation_type)
        action = "lambda:InvokeFunction"
        decision = self.env.authorize(caller, action, function_arn)
        if decision.decision == "allowed":
            return SimpleCheck(True, checks=(decision,))
        return SimpleCheck(False, CheckError("AccessDeniedException",
                                             access_denied_message(caller, action, function_arn, decision)),
                           (decision,))

    def function_can(self, function_arn: str, action: str, resource: str,
                     context: Mapping[str, Any] | None = None) -> Any:
        rules = self._rules
        if rules is not None and hasattr(rules, "function_can"):
            return rules.function_can(self.env, function_arn, action, resource, dict(context or {}))
        fn = self.env.function(function_arn)
        if fn is None:
            return SimpleCheck(False, CheckError("ResourceNotFoundException", f"Function not found: {function_arn}"))
        principal = role_session_arn(fn.role, function_arn)
        ctx = {"lambda:SourceFunctionArn": fn.arn, **dict(context or {})}
        decision = self.env.authorize(principal, action, resource, ctx)
        if decision.decision == "allowed":
            return SimpleCheck(True, checks=(decision,))
        return SimpleCheck(False, CheckError("AccessDeniedException",
                                             access_denied_message(principal, action, resource, decision)),
                           (decision,))

    def check_create_function(self, caller: str, function_arn: str, role_arn: str, **kwargs: Any) -> Any:
        rules = self._rules
        if rules is not None and hasattr(rules, "check_create_function"):
            return rules.check_create_function(self.env, caller, function_arn, role_arn, **kwargs)
        for action, resource, ctx in (("lambda:CreateFunction", function_arn, {}),
                                      ("iam:PassRole", role_arn, {"iam:PassedToService": "lambda.amazonaws.com"})):
            decision = self.env.authorize(caller, action, resource, ctx)
            if decision.decision != "allowed":
                return SimpleCheck(False, CheckError("AccessDeniedException",
                                                     access_denied_message(caller, action, resource, decision)),
                                   (decision,))
        return SimpleCheck(True)


def default_authorizer(env: Environment | None) -> Any:
    return EnvironmentAuthorizer(env) if env is not None else AllowAll()
