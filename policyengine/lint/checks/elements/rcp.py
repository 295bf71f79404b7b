"""Lint rules: the grammar of resource control policies.

RCPs: every statement names `"Principal": "*"` (conditions restrict it), no
`NotPrincipal` or `NotAction`, and `Allow` only in the `RCPFullAWSAccess` form (AWS
Organizations, RCP syntax).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...document import LintDocument
from ...finding import Finding
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from ._shared import _ACCOUNT, _E, _rule

# -- RCPs ------------------------------------------------------------------------------------


def _is_star(raw: dict[str, Any], element: str) -> bool:
    value = raw.get(element)
    return value == "*" or value == ["*"]


def _check_rcp_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "NotPrincipal" in raw:
            yield doc.finding(
                "RCP_SYNTAX_ERROR_PRINCIPAL",
                path + ("NotPrincipal",),
                f"{statement_name(statement)} uses `NotPrincipal`, which RCPs do not support; write "
                '"Principal": "*" and exempt principals with a condition such as '
                "`ArnNotLike` on `aws:PrincipalArn`",
            )
        elif "Principal" not in raw:
            yield doc.finding(
                "RCP_SYNTAX_ERROR_PRINCIPAL",
                path,
                f'{statement_name(statement)} has no `Principal`: RCP statements must say "Principal": "*"',
            )
        elif not (statement.principal is not None and statement.principal.wildcard):
            yield doc.finding(
                "RCP_SYNTAX_ERROR_PRINCIPAL",
                path + ("Principal",),
                f'{statement_name(statement)} names specific principals; RCPs accept only "Principal": "*" '
                "and restrict whom they apply to with conditions (e.g. `aws:PrincipalAccount`)",
            )


def _check_rcp_not_action(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "NotAction" in raw:
            yield doc.finding(
                "RCP_SYNTAX_ERROR_NOTACTION",
                path + ("NotAction",),
                f"{statement_name(statement)} uses `NotAction`, which RCPs do not support; list the "
                "actions in `Action`",
            )


def _check_rcp_allow(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if statement.effect != "Allow":
            continue
        full_access = (
            _is_star(raw, "Principal")
            and _is_star(raw, "Action")
            and _is_star(raw, "Resource")
            and "Condition" not in raw
        )
        if not full_access:
            yield doc.finding(
                "RCP_SYNTAX_ERROR_ALLOW",
                path + ("Effect",),
                f"{statement_name(statement)} is an `Allow` that is not the `RCPFullAWSAccess` form "
                '("Principal": "*", "Action": "*", "Resource": "*", no condition): RCPs only '
                "restrict access, so write the statement as a `Deny`",
            )


# -- the rules -------------------------------------------------------------------------------


RULES: tuple[Rule, ...] = (
    _rule(
        "RCP_SYNTAX_ERROR_PRINCIPAL",
        _E,
        'An RCP statement whose principal is not `"Principal": "*"`.',
        'RCPs accept only "Principal": "*" (no `NotPrincipal`, no specific principals); restrict '
        "whom a statement applies to with conditions such as `aws:PrincipalOrgID` or "
        "`aws:PrincipalIsAWSService` (AWS Organizations, RCP syntax).",
        _check_rcp_principal,
        _policy({"Effect": "Deny", "Principal": _ACCOUNT, "Action": "s3:*", "Resource": "*"}),
        _policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                 "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}),
        policy_types=frozenset({"rcp"}),
        access_analyzer=False,
        example_policy_type="rcp",
    ),
    _rule(
        "RCP_SYNTAX_ERROR_NOTACTION",
        _E,
        "`NotAction` in an RCP.",
        "RCPs support `Action` but not `NotAction` (AWS Organizations, RCP syntax); list the actions.",
        _check_rcp_not_action,
        _policy({"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*"}),
        _policy({"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "*"}),
        policy_types=frozenset({"rcp"}),
        access_analyzer=False,
        example_policy_type="rcp",
    ),
    _rule(
        "RCP_SYNTAX_ERROR_ALLOW",
        _E,
        "An RCP `Allow` statement other than the `RCPFullAWSAccess` form.",
        'AWS supports `Allow` in RCPs only as "Principal": "*", "Action": "*", "Resource": "*" '
        "(the `RCPFullAWSAccess` policy); RCPs restrict access and grant none, so write `Deny` "
        "statements.",
        _check_rcp_allow,
        _policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}),
        _policy({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}),
        policy_types=frozenset({"rcp"}),
        access_analyzer=False,
        example_policy_type="rcp",
    ),
)
