"""Who is asking: the request principal, and how a Principal element names it.

A resource-based policy can name a principal several ways, and which way matters
(IAM User Guide, policy evaluation logic, same-account table): naming an IAM user,
a role session or a federated-user session grants directly; naming the role grants
but stays capped by the role's permissions boundary and session policies; naming the
account only delegates to the account, whose identity policies must still allow.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import RequestError
from ..model.policy import Principal

_ACCOUNT_ID = re.compile(r"^\d{12}$")
# Identity providers whose callers are `Federated` principals (web identity / SAML).
_WEB_IDENTITY_PROVIDERS = frozenset(
    {"cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"}
)


class PrincipalKind(enum.Enum):
    USER = "User"
    ROLE_SESSION = "AssumedRole"
    FEDERATED_USER = "FederatedUser"
    ROOT = "Account"
    SERVICE = "Service"
    WEB_IDENTITY = "WebIdentity"
    ANONYMOUS = "Anonymous"


class GrantKind(enum.Enum):
    """How a matching resource-policy statement named the principal."""

    DIRECT = "direct"  # user, role session, federated user, or "*": not capped
    ROLE = "role"  # the role of a session: capped by boundary and session policies
    ACCOUNT = "account"  # the principal's account: identity policies must still allow


@dataclass(frozen=True, slots=True)
class RequestPrincipal:
    """The request's principal, parsed once."""

    text: str
    kind: PrincipalKind
    partition: str = "aws"
    account: str | None = None
    arn: str | None = None  # the ARN AWS puts in aws:PrincipalArn (role ARN for sessions)
    user_name: str | None = None
    role_name: str | None = None
    role_arn: str | None = None  # with path when the request named the role
    session_arn: str | None = None
    service: str | None = None  # service principal name, lower-cased
    provider: str | None = None  # federated identity provider

    @property
    def is_service_linked_role(self) -> bool:
        """Service-linked roles live under `/aws-service-role/` and are named `AWSServiceRoleFor...`."""
        if self.kind is not PrincipalKind.ROLE_SESSION:
            return False
        return bool(
            (self.role_arn and ":role/aws-service-role/" in self.role_arn)
            or (self.role_name and self.role_name.startswith("AWSServiceRoleFor"))
        )

    @property
    def has_identity_policies(self) -> bool:
        return self.kind in (PrincipalKind.USER, PrincipalKind.ROLE_SESSION, PrincipalKind.FEDERATED_USER)

    @property
    def is_session(self) -> bool:
        return self.kind in (PrincipalKind.ROLE_SESSION, PrincipalKind.FEDERATED_USER)

    @property
    def is_org_principal(self) -> bool:
        """Principals of an account, which SCPs can restrict."""
        return self.kind in (
            PrincipalKind.USER,
            PrincipalKind.ROLE_SESSION,
            PrincipalKind.FEDERATED_USER,
            PrincipalKind.ROOT,
        )

    def describe_with_article(self) -> str:
        text = self.describe()
        return ("an " if text[0] in "aeiouAEIOU" else "a ") + text

    def describe(self) -> str:
        return {
            PrincipalKind.USER: "IAM user",
            PrincipalKind.ROLE_SESSION: "role session",
            PrincipalKind.FEDERATED_USER: "federated user",
            PrincipalKind.ROOT: "account root",
            PrincipalKind.SERVICE: "service principal",
            PrincipalKind.WEB_IDENTITY: "federated (web identity) principal",
            PrincipalKind.ANONYMOUS: "anonymous caller",
        }[self.kind]


def parse_principal(text: str) -> RequestPrincipal:
    """Read a request principal: an ARN, an account ID, a service name or `*`."""
    if not isinstance(text, str) or not text:
        raise RequestError("the request needs a principal: an ARN, an account ID, a service principal or `*`")
    return _parse_principal(text)


@lru_cache(maxsize=4096)
def _parse_principal(text: str) -> RequestPrincipal:
    if not text:
        raise RequestError("the request needs a principal: an ARN, an account ID, a service principal or `*`")
    if text == "*":
        return RequestPrincipal(text, PrincipalKind.ANONYMOUS)
    if _ACCOUNT_ID.match(text):
        return RequestPrincipal(text, PrincipalKind.ROOT, account=text, arn=f"arn:aws:iam::{text}:root")
    if not text.startswith("arn:"):
        lowered = text.lower()
        if lowered in _WEB_IDENTITY_PROVIDERS:
            return RequestPrincipal(text, PrincipalKind.WEB_IDENTITY, provider=lowered)
        if lowered.endswith(".amazonaws.com") or lowered.endswith(".amazonaws.com.cn"):
            return RequestPrincipal(text, PrincipalKind.SERVICE, service=lowered)
        raise RequestError(
            f"`{text}` is not a principal AWS knows: use an IAM or STS ARN, a 12-digit account ID, "
            "a service principal such as `lambda.amazonaws.com`, or `*` for anonymous"
        )
    parts = text.split(":", 5)
    if len(parts) != 6:
        raise RequestError(f"`{text}` is not a valid ARN: it needs six colon-separated parts")
    _, partition, service, _region, account, resource = parts
    if service == "iam" and resource == "root":
        return RequestPrincipal(text, PrincipalKind.ROOT, partition, account, arn=text)
    if service == "iam" and resource.startswith("user/"):
        name = resource.rsplit("/", 1)[1]
        return RequestPrincipal(text, PrincipalKind.USER, partition, account, arn=text, user_name=name)
    if service == "iam" and resource.startswith("role/"):
        name = resource.rsplit("/", 1)[1]
        return RequestPrincipal(
            text, PrincipalKind.ROLE_SESSION, partition, account, arn=text, role_name=name, role_arn=text
        )
    if service == "sts" and resource.startswith("assumed-role/"):
        pieces = resource.split("/")
        if len(pieces) != 3 or not pieces[1] or not pieces[2]:
            raise RequestError(f"`{text}` is not a role session ARN: expected `assumed-role/ROLE/SESSION`")
        role_arn = f"arn:{partition}:iam::{account}:role/{pieces[1]}"
        return RequestPrincipal(
            text,
            PrincipalKind.ROLE_SESSION,
            partition,
            account,
            arn=role_arn,
            role_name=pieces[1],
            role_arn=role_arn,
            session_arn=text,
        )
    if service == "sts" and resource.startswith("federated-user/"):
        return RequestPrincipal(
            text, PrincipalKind.FEDERATED_USER, partition, account, arn=text, session_arn=text,
            user_name=resource.split("/", 1)[1],
        )
    if service == "iam" and (resource.startswith("saml-provider/") or resource.startswith("oidc-provider/")):
        return RequestPrincipal(text, PrincipalKind.WEB_IDENTITY, partition, account, provider=text)
    raise RequestError(
        f"`{text}` is not a principal ARN: expected a user, role, root, assumed-role or federated-user ARN"
    )


def _account_of_principal_value(value: str) -> str | None:
    if _ACCOUNT_ID.match(value):
        return value
    parts = value.split(":", 5)
    if len(parts) == 6 and parts[2] == "iam" and parts[5] == "root":
        return parts[4]
    return None


def _names_role(value: str, who: RequestPrincipal) -> bool:
    """A role ARN names a session of that role (matched by account and role name)."""
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return False
    if who.role_arn is not None and ":role/" in who.role_arn and who.role_arn.count("/") > 1:
        # The request named the role with a path: compare the whole ARN.
        if value == who.role_arn:
            return True
    return parts[4] == who.account and parts[5].rsplit("/", 1)[1] == who.role_name


def principal_grant(element: Principal, who: RequestPrincipal) -> GrantKind | None:
    """How `Principal` names the request's principal; None when it does not."""
    if element.wildcard:
        return GrantKind.DIRECT
    best: GrantKind | None = None
    for kind, names in element.values.items():
        for name in names:
            grant = _value_grant(kind, name, who)
            if grant is GrantKind.DIRECT:
                return grant
            if grant is GrantKind.ROLE or (grant is GrantKind.ACCOUNT and best is None):
                best = grant
    return best


def _value_grant(kind: str, value: str, who: RequestPrincipal) -> GrantKind | None:
    if kind == "AWS":
        if value == "*":
            # {"AWS": "*"} is everyone (anonymous included), but not AWS services.
            return None if who.kind is PrincipalKind.SERVICE else GrantKind.DIRECT
        account = _account_of_principal_value(value)
        if account is not None:
            if who.account == account and who.kind not in (PrincipalKind.SERVICE, PrincipalKind.ANONYMOUS):
                return GrantKind.ACCOUNT
            return None
        if who.kind is PrincipalKind.USER and value == who.arn:
            return GrantKind.DIRECT
        if who.kind in (PrincipalKind.ROLE_SESSION, PrincipalKind.FEDERATED_USER) and value == who.session_arn:
            return GrantKind.DIRECT
        if who.kind is PrincipalKind.ROLE_SESSION and _names_role(value, who):
            return GrantKind.ROLE
        return None
    if kind == "Service":
        return GrantKind.DIRECT if who.kind is PrincipalKind.SERVICE and value.lower() == who.service else None
    if kind == "Federated":
        if who.kind is PrincipalKind.WEB_IDENTITY and who.provider is not None:
            return GrantKind.DIRECT if value.lower() == who.provider.lower() else None
        return None
    if kind == "CanonicalUser":
        return GrantKind.DIRECT if value == who.text else None
    return None


def excluded_by_not_principal(element: Principal, who: RequestPrincipal) -> bool:
    """Whether `NotPrincipal` exempts the principal from a Deny.

    AWS checks the account, then the role, then the session (or the user): the
    principal is exempt only if every level it passes through is listed. Listing the
    role exempts its sessions; listing a session alone does not exempt the role level.
    """
    if element.wildcard:
        return True
    aws = element.values.get("AWS", [])
    if "*" in aws and who.kind is not PrincipalKind.SERVICE:
        return True
    if who.kind is PrincipalKind.SERVICE:
        return any(v.lower() == who.service for v in element.values.get("Service", []))
    if who.kind is PrincipalKind.WEB_IDENTITY:
        return any(v.lower() == (who.provider or "").lower() for v in element.values.get("Federated", []))
    if who.kind is PrincipalKind.ANONYMOUS:
        return False
    account_listed = any(_account_of_principal_value(v) == who.account for v in aws)
    if who.kind is PrincipalKind.ROOT:
        return account_listed
    if not account_listed:
        return False
    if who.kind is PrincipalKind.USER or who.kind is PrincipalKind.FEDERATED_USER:
        return any(v == who.arn for v in aws)
    role_listed = any(_names_role(v, who) for v in aws)
    return role_listed
