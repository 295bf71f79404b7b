"""policyengine: read AWS IAM policies and decide requests exactly as AWS does.

    import policyengine as pe
    policies = pe.PolicySet(identity=[{"Version": "2012-10-17", "Statement": [...]}])
    decision = policies.authorize(pe.Request(principal=..., action=..., resource=...))
    decision.decision, decision.reasons
"""

from __future__ import annotations

from typing import Any, Mapping

from .errors import (
    PolicyEngineError,
    PolicySyntaxError,
    PolicyValidationError,
    RequestError,
    ScenarioError,
)
from .limits import DEFAULT_LIMITS, LimitExceededError, Limits
from .model.decision import Decision, DecisionCode, PolicyTypeResult, StatementRef, StatementTrace
from .model.policy import ConditionEntry, PolicyDocument, Principal, Statement
from .model.request import Request
from .policyset import PolicySet, authorize
from .simulate import simulate, simulate_file


def load_policy(
    policy: str | bytes | Mapping[str, Any], source: str | None = None, *, locations: bool = True,
    limits: Limits | None = None,
) -> PolicyDocument:
    """Parse and validate a policy from JSON text, bytes or a dict; `source` names it in messages.

    `locations=False` takes the fast path (no source positions are kept; an error is
    still reported with its line and column). Raises PolicySyntaxError or
    PolicyValidationError with the location of every problem, and LimitExceededError for a
    document over a cap of `limits` (`DEFAULT_LIMITS` when None).
    """
    from .evaluation.compile import check_document
    from .parsing import parse_policy

    doc = parse_policy(dict(policy) if isinstance(policy, Mapping) else policy, file=source,
                       locations=locations, limits=limits)
    check_document(doc)
    return doc


__all__ = [
    "ConditionEntry",
    "DEFAULT_LIMITS",
    "Decision",
    "DecisionCode",
    "LimitExceededError",
    "Limits",
    "PolicyDocument",
    "PolicyEngineError",
    "PolicySet",
    "PolicySyntaxError",
    "PolicyTypeResult",
    "PolicyValidationError",
    "Principal",
    "Request",
    "RequestError",
    "ScenarioError",
    "Statement",
    "StatementRef",
    "StatementTrace",
    "authorize",
    "load_policy",
    "simulate",
    "simulate_file",
]
