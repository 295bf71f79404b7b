"""What a Lambda rule returns: allowed or not, the AWS error a real call would get, and every check.

`CheckResult.to_dict()` is exactly what `policyengine check ... --format json` prints.
AccessDenied messages follow AWS's form (lambda-permissions.md §1.9):
`User: <caller> is not authorized to perform: <action> on resource: <arn> because no
identity-based policy allows the <action> action`, or `... with an explicit deny in a(n) <policy type>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from ..model.decision import ALLOWED, Decision, DecisionCode

if TYPE_CHECKING:
    from ..environment import Environment

ACCESS_DENIED = "AccessDeniedException"
INVALID_PARAMETER = "InvalidParameterValueException"
RESOURCE_NOT_FOUND = "ResourceNotFoundException"
RESOURCE_CONFLICT = "ResourceConflictException"

HTTP_STATUS = {
    ACCESS_DENIED: 403,
    INVALID_PARAMETER: 400,
    RESOURCE_NOT_FOUND: 404,
    RESOURCE_CONFLICT: 409,
    "PreconditionFailedException": 412,
    "PolicyLengthExceededException": 400,
}


@dataclass(frozen=True, slots=True)
class AwsError:
    """The error a real API call would return."""

    code: str
    message: str
    http_status: int = 400

    @classmethod
    def of(cls, code: str, message: str) -> AwsError:
        return cls(code, message, HTTP_STATUS.get(code, 400))

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Check:
    """One permission consulted, with the engine's decision."""

    name: str
    action: str
    principal: str
    resource: str
    decision: Decision

    @property
    def allowed(self) -> bool:
        return self.decision.decision == ALLOWED

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "action": self.action,
            "principal": self.principal,
            "resource": self.resource,
            "decision": self.decision.decision,
            "reasons": list(self.decision.reasons),
        }


def decide(env: Environment, name: str, action: str, principal: str, resource: str,
           context: Mapping[str, Any] | None = None) -> Check:
    """The check `name`: the environment's decision on `principal` doing `action` on `resource`."""
    return Check(name, action, principal, resource, env.authorize(principal, action, resource, context))


@dataclass(slots=True)
class CheckResult:
    allowed: bool
    error: AwsError | None = None
    checks: list[Check] = field(default_factory=list)
    # What a successful call returns (GetPolicy's {"Policy", "RevisionId"}, AddPermission's
    # {"Statement"}); not part of `to_dict()`.
    value: Any = None

    def __bool__(self) -> bool:
        return self.allowed

    def failed_check(self) -> Check | None:
        return next((c for c in self.checks if not c.allowed), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "error": self.error.to_dict() if self.error is not None else None,
            "checks": [c.to_dict() for c in self.checks],
        }


def result(checks: list[Check], error: AwsError | None) -> CheckResult:
    return CheckResult(allowed=error is None, error=error, checks=checks)


def denied(error: AwsError, checks: list[Check] | None = None) -> CheckResult:
    return CheckResult(allowed=False, error=error, checks=list(checks or []))


# -- AccessDenied messages ------------------------------------------------------------------------

_NO_ALLOW_TAIL = {
    DecisionCode.NO_IDENTITY_ALLOW: "identity-based policy",
    DecisionCode.NO_RESOURCE_POLICY_ALLOW: "resource-based policy",
    DecisionCode.NO_TRUST_POLICY_ALLOW: "resource-based policy",
    DecisionCode.NO_KEY_POLICY_ALLOW: "resource-based policy",
    DecisionCode.NO_BOUNDARY_ALLOW: "permissions boundary",
    DecisionCode.NO_SESSION_ALLOW: "session policy",
    DecisionCode.NO_SCP_ALLOW: "service control policy",
    DecisionCode.NO_RCP_ALLOW: "resource control policy",
    DecisionCode.NO_VPC_ENDPOINT_ALLOW: "VPC endpoint policy",
}

_DENY_PHRASE = {
    "identity": "an identity-based policy",
    "resource": "a resource-based policy",
    "permissions_boundary": "a permissions boundary",
    "session": "a session policy",
    "scp": "a service control policy",
    "rcp": "a resource control policy",
    "vpc_endpoint": "a VPC endpoint policy",
}
# When several policy types deny, the message names one; AWS does not document which, so the
# choice is fixed here: the organization's layers first, then the principal's, then the resource's.
_DENY_ORDER = ("scp", "rcp", "permissions_boundary", "session", "identity", "resource", "vpc_endpoint")


def caller_label(caller: str) -> str:
    return "anonymous" if caller == "*" else caller


def denial_tail(decision: Decision, action: str) -> str:
    """`because no ... allows the <action> action` or `with an explicit deny in ...` ('' if unknown)."""
    if decision.code is DecisionCode.NOT_PRINCIPAL_WITH_BOUNDARY:
        return " with an explicit deny in a resource-based policy"
    if decision.code is DecisionCode.EXPLICIT_DENY:
        types = {s.policy_type for s in decision.deciding_statements}
        for policy_type in _DENY_ORDER:
            if policy_type in types:
                return f" with an explicit deny in {_DENY_PHRASE[policy_type]}"
        return ""
    kind = _NO_ALLOW_TAIL.get(decision.code)
    return f" because no {kind} allows the {action} action" if kind else ""


def access_denied_message(caller: str, action: str, resource: str, decision: Decision | None = None) -> str:
    head = f"User: {caller_label(caller)} is not authorized to perform: {action} on resource: {resource}"
    return head + (denial_tail(decision, action) if decision is not None else "")


def access_denied(check: Check, *, tail: bool = True) -> AwsError:
    return AwsError.of(ACCESS_DENIED, access_denied_message(check.principal, check.action, check.resource,
                                                            check.decision if tail else None))


def function_not_found(arn: str) -> AwsError:
    return AwsError.of(RESOURCE_NOT_FOUND, f"Function not found: {arn}")
