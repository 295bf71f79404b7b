"""A request to authorize: who, what, on which resource, with which context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Request:
    """One API call as IAM sees it.

    `principal`: a user ARN, an assumed-role session ARN, a role ARN (taken as a session
    of that role), an account root ARN or 12-digit account ID, a federated-user ARN, a
    service principal such as `lambda.amazonaws.com`, or `*` for an anonymous caller.
    `resource_account` defaults to the account in the resource ARN, else the
    principal's. With `fill_context` the engine adds the keys AWS itself sets
    (`aws:PrincipalArn`, `aws:PrincipalAccount`, ...) unless the context has them.
    """

    principal: str
    action: str
    resource: str = "*"
    context: Mapping[str, Any] = field(default_factory=dict)
    resource_account: str | None = None
    fill_context: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "context": dict(self.context),
            "resource_account": self.resource_account,
            "fill_context": self.fill_context,
        }
