"""Which policy type a target is linted as, and the reason given for it.

The type decides which rules apply, so it is settled in one place: the user's override, then
what the file's shape says, then what the document itself suggests.
"""

from __future__ import annotations

from typing import Any

from .documents import as_document

__all__ = ["infer_policy_type", "organizations_policy_type", "settle_type"]

_TRUST_ACTIONS = frozenset({
    "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
    "sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
})

# Organizations policy types that are IAM policies; the others (tag, backup, AI opt-out
# policies) are not policy documents.
_ORGANIZATIONS_TYPES = {"SERVICE_CONTROL_POLICY": "scp", "RESOURCE_CONTROL_POLICY": "rcp"}


def organizations_policy_type(org_type: Any) -> str | None:
    """`scp` or `rcp` for an Organizations policy `Type`; None for the other types."""
    return _ORGANIZATIONS_TYPES.get(org_type) if isinstance(org_type, str) else None


def settle_type(value: Any, shape_type: str | None, shape_reason: str,
                override: str | None) -> tuple[str | None, str]:
    """The policy type of a document and why.

    The `override` (`--policy-type`) wins; otherwise the shape tells (trust for role trust
    policies, resource for bucket/queue/topic/key/function policies, scp/rcp for
    Organizations policies, boundary for managed policies used only as permissions
    boundaries, identity for IAM policies); otherwise the document does (`infer_policy_type`).
    """
    if override is not None:
        reason = f"--policy-type {override}"
        if shape_type and shape_type != override:
            reason += f" (the file's shape says {shape_type}: {shape_reason})"
        return override, reason
    if shape_type is not None:
        return shape_type, shape_reason
    document = as_document(value)
    if document is None:
        return None, "unknown: the document could not be read"
    policy_type, why = infer_policy_type(document)
    return policy_type, f"{shape_reason}; {why}" if shape_reason else why


def infer_policy_type(document: Any) -> tuple[str, str]:
    """The policy type a document's content suggests, and why.

    A statement naming a principal (`Principal` or `NotPrincipal`) makes it a resource
    policy; a trust policy when every statement's actions are `sts:AssumeRole*`,
    `sts:TagSession`, `sts:SetSourceIdentity` or `sts:SetContext`. Otherwise identity.
    """
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        statements = []
    statements = [s for s in statements if isinstance(s, dict)]
    if not any("Principal" in s or "NotPrincipal" in s for s in statements):
        return "identity", "inferred: no statement names a principal"
    if statements and all(_trust_actions(s) for s in statements):
        return "trust", "inferred: statements name principals and allow only sts:AssumeRole*"
    return "resource", "inferred: statements name principals"


def _trust_actions(statement: dict[str, Any]) -> bool:
    actions = statement.get("Action")
    if isinstance(actions, str):
        actions = [actions]
    if not isinstance(actions, list) or not actions:
        return False
    for action in actions:
        if not isinstance(action, str):
            return False
        lowered = action.lower()
        if lowered not in _TRUST_ACTIONS and not lowered.startswith("sts:assumerole"):
            return False
    return True
