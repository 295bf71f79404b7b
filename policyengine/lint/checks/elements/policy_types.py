"""Lint rules: `Principal` and `Resource` elements right for the policy type.

Which elements a policy type takes (IAM User Guide, policy elements reference; AWS
Organizations, SCP syntax):

- identity and permissions-boundary policies: no `Principal`/`NotPrincipal`, and a
  `Resource`/`NotResource` in every statement;
- resource policies and role trust policies: a `Principal` (or `NotPrincipal`) in every
  statement; trust policies take neither `NotPrincipal` nor `Resource`/`NotResource`, nor
  the bare `"Principal": "*"`;
- SCPs: no `Principal`/`NotPrincipal`. (Access Analyzer's other `SCP_SYNTAX_ERROR_*`
  checks describe the SCP grammar before AWS widened it to the full IAM language, and
  would now flag valid SCPs, so they are not reproduced.)

RCPs have rules of their own (`rcp`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...document import LintDocument
from ...finding import Finding
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from ._shared import _ACCOUNT, _E, _GET, _S, _rule

IDENTITY_LIKE = frozenset({"identity", "boundary"})
WITH_PRINCIPAL = frozenset({"resource", "trust"})

_ASSUME = {
    "Effect": "Allow",
    "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole",
}


# -- Principal per policy type ---------------------------------------------------------------


def _check_unsupported_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        for element in ("Principal", "NotPrincipal"):
            if element in raw:
                yield doc.finding(
                    "UNSUPPORTED_PRINCIPAL",
                    path + (element,),
                    f"{statement_name(statement)} has a `{element}`, which {_TYPE_NAMES[doc.policy_type]} "
                    "cannot have: the policy applies to whoever it is attached to; remove "
                    f"`{element}`",
                )


_TYPE_NAMES = {
    "identity": "an identity policy",
    "boundary": "a permissions boundary",
    "resource": "a resource policy",
    "trust": "a role trust policy",
    "scp": "an SCP",
    "rcp": "an RCP",
}


def _check_scp_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        for element in ("Principal", "NotPrincipal"):
            if element in raw:
                yield doc.finding(
                    "SCP_SYNTAX_ERROR_PRINCIPAL",
                    path + (element,),
                    f"{statement_name(statement)} has a `{element}`, which SCPs do not support: an SCP "
                    "applies to every principal of the accounts it is attached to; remove it "
                    "and compare `aws:PrincipalArn` in a `Condition` instead",
                )


def _check_missing_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "Principal" not in raw and "NotPrincipal" not in raw:
            what = "a role trust policy" if doc.policy_type == "trust" else "a resource policy"
            yield doc.finding(
                "MISSING_PRINCIPAL",
                path,
                f"{statement_name(statement)} has no `Principal`: every statement of {what} must say "
                'whom it applies to, e.g. "Principal": {"AWS": "arn:aws:iam::111122223333:root"}',
            )


def _check_allow_not_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if statement.effect == "Allow" and "NotPrincipal" in raw:
            yield doc.finding(
                "ALLOW_WITH_NOT_PRINCIPAL",
                path + ("NotPrincipal",),
                f"{statement_name(statement)} allows everyone except the principals in `NotPrincipal`, "
                "anonymous callers included; name the principals that need access in "
                "`Principal` instead",
            )


def _check_trust_not_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "NotPrincipal" in raw:
            yield doc.finding(
                "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
                path + ("NotPrincipal",),
                f"{statement_name(statement)} uses `NotPrincipal`, which role trust policies do not "
                "support; name who may assume the role in `Principal`",
            )


def _check_trust_resource(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        for element in ("Resource", "NotResource"):
            if element in raw:
                yield doc.finding(
                    "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                    path + (element,),
                    f"{statement_name(statement)} has a `{element}`, which role trust policies do not "
                    "support: the resource is the role itself; remove it",
                )


def _check_trust_wildcard(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if statement.principal is not None and statement.principal.wildcard:
            yield doc.finding(
                "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                path + ("Principal",),
                f'{statement_name(statement)} has "Principal": "*", which role trust policies do not '
                "support; name the accounts, roles or services that may assume the role",
            )


def _check_missing_resource(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "Resource" not in raw and "NotResource" not in raw:
            yield doc.finding(
                "MISSING_RESOURCE",
                path,
                f"{statement_name(statement)} has no `Resource`: statements of "
                f"{_TYPE_NAMES[doc.policy_type]} must name the resources they apply to "
                '(e.g. "Resource": "arn:aws:s3:::reports/*")',
            )


# -- the rules -------------------------------------------------------------------------------


RULES: tuple[Rule, ...] = (
    _rule(
        "UNSUPPORTED_PRINCIPAL",
        _E,
        "A `Principal` or `NotPrincipal` in an identity policy or permissions boundary.",
        "Identity policies and boundaries apply to the user, group or role they are attached to, so "
        "IAM refuses a `Principal`; to grant another principal access, use a resource policy or a "
        "role trust policy.",
        _check_unsupported_principal,
        _policy({**_GET, "Principal": _ACCOUNT}),
        _policy(_GET),
        policy_types=IDENTITY_LIKE,
    ),
    _rule(
        "SCP_SYNTAX_ERROR_PRINCIPAL",
        _E,
        "A `Principal` or `NotPrincipal` in a service control policy.",
        "SCPs apply to every principal in the accounts they are attached to and take no "
        "`Principal`; to exempt principals, test `aws:PrincipalArn` in a `Condition`.",
        _check_scp_principal,
        _policy({"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "*"}),
        _policy({"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}),
        policy_types=frozenset({"scp"}),
        example_policy_type="scp",
    ),
    _rule(
        "MISSING_PRINCIPAL",
        _E,
        "A resource-policy or trust-policy statement without `Principal` or `NotPrincipal`.",
        "A resource policy says who may act on the resource; without a `Principal` AWS refuses "
        "the statement. Name the account, role, user or service it is for.",
        _check_missing_principal,
        _policy(_GET),
        _policy({**_GET, "Principal": _ACCOUNT}),
        policy_types=WITH_PRINCIPAL,
        example_policy_type="resource",
    ),
    _rule(
        "ALLOW_WITH_NOT_PRINCIPAL",
        _S,
        "An `Allow` statement with `NotPrincipal`.",
        "`Allow` with `NotPrincipal` grants access to everyone except the listed principals, "
        "anonymous callers included (AWS no longer supports it); list who needs access in "
        "`Principal`, or deny with `NotPrincipal` and allow separately.",
        _check_allow_not_principal,
        _policy({**_GET, "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/mallory"}}),
        _policy({**_GET, "Effect": "Deny", "NotPrincipal": _ACCOUNT}),
        policy_types=frozenset({"resource"}),
        example_policy_type="resource",
    ),
    _rule(
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
        _E,
        "`NotPrincipal` in a role trust policy.",
        "IAM refuses `NotPrincipal` in a role's trust policy; name who may assume the role in "
        "`Principal`.",
        _check_trust_not_principal,
        _policy({"Effect": "Deny", "NotPrincipal": _ACCOUNT, "Action": "sts:AssumeRole"}, _ASSUME),
        _policy(_ASSUME),
        policy_types=frozenset({"trust"}),
        example_policy_type="trust",
    ),
    _rule(
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
        _E,
        "`Resource` or `NotResource` in a role trust policy.",
        "A trust policy's resource is the role itself, and IAM refuses a `Resource` in it; remove "
        "the element.",
        _check_trust_resource,
        _policy({**_ASSUME, "Resource": "*"}),
        _policy(_ASSUME),
        policy_types=frozenset({"trust"}),
        example_policy_type="trust",
    ),
    _rule(
        "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
        _E,
        '`"Principal": "*"` in a role trust policy.',
        "A role cannot trust every principal with the bare wildcard; name the accounts, roles, "
        "services or identity providers that may assume it.",
        _check_trust_wildcard,
        _policy({**_ASSUME, "Principal": "*"}),
        _policy(_ASSUME),
        policy_types=frozenset({"trust"}),
        example_policy_type="trust",
    ),
    _rule(
        "MISSING_RESOURCE",
        _E,
        "An identity-policy or boundary statement without `Resource` or `NotResource`.",
        "IAM refuses identity-policy statements that do not name resources; write the ARNs the "
        'actions apply to, or "Resource": "*" for actions that take no resource.',
        _check_missing_resource,
        _policy({"Effect": "Allow", "Action": "s3:GetObject"}),
        _policy(_GET),
        policy_types=IDENTITY_LIKE,
    ),
)
