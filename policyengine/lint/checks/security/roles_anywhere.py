"""Lint rule: a role trust policy for IAM Roles Anywhere that lacks one of the actions the
service needs to assume the role.

IAM Roles Anywhere assumes the role with the identity of the X.509 certificate as source
identity and its attributes as session tags, so its service principal needs
`sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession` (IAM Roles Anywhere User
Guide, "Trust model"; Access Analyzer's "Missing action for roles anywhere trust policy").
Without any of them, `CreateSession` fails for every certificate.

Decisions:
- The actions may be allowed to `rolesanywhere.amazonaws.com` in several statements: what
  counts is their union (wildcards such as `sts:*` included). The finding points at the
  `Action` of the first statement that names the principal.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from .._coverage import allows_action

_NEEDED = ("sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession")


def _names_roles_anywhere(services: list[str]) -> bool:
    return any(s.lower() in ("rolesanywhere.amazonaws.com", "rolesanywhere.amazonaws.com.cn") for s in services)


def _check_roles_anywhere(doc: LintDocument) -> Iterator[Finding]:
    granted: set[str] = set()
    first = None
    for path, statement, _raw in doc.statements():
        principal = statement.principal
        if statement.effect != "Allow" or principal is None or principal.wildcard:
            continue
        if not _names_roles_anywhere(principal.values.get("Service", [])):
            continue
        if first is None:
            first = (path, statement)
        granted.update(a for a in _NEEDED if allows_action(statement, a))
    if first is None:
        return
    missing = [a for a in _NEEDED if a not in granted]
    if not missing:
        return
    path, statement = first
    element = "Action" if statement.action is not None else "NotAction"
    shown = ", ".join(f"`{a}`" for a in missing)
    yield doc.finding(
        "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", path + (element,),
        f"{statement_name(statement)} trusts `rolesanywhere.amazonaws.com` but does not allow {shown}: "
        "IAM Roles Anywhere needs `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession` to "
        f"assume the role; add {'it' if len(missing) == 1 else 'them'} to `{element}`",
        missing=missing,
    )


_TRUST = {"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"},
          "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:us-east-1:111122223333:"
                                                       "trust-anchor/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"}}}

RULES: tuple[Rule, ...] = (
    Rule(
        "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
        Severity.ERROR,
        "A trust policy for IAM Roles Anywhere without `sts:AssumeRole`, `sts:SetSourceIdentity` and "
        "`sts:TagSession`.",
        "IAM Roles Anywhere assumes the role with the certificate's identity as source identity and its "
        "attributes as session tags, so it needs all three actions; without one of them no certificate "
        "can get credentials for the role.",
        _check_roles_anywhere,
        _policy({**_TRUST, "Action": "sts:AssumeRole"}),
        _policy({**_TRUST, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]}),
        policy_types=frozenset({"trust"}),
        access_analyzer=True,
        example_policy_type="trust",
    ),
)
