"""Lint rules: resource and trust policies that grant to everyone (`"*"`, `{"AWS": "*"}`)
with nothing restricting who (see `_restrictions` for what does)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model.policy import Statement
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from ..principals import principal_values
from ._restrictions import (
    PRINCIPAL_KEYS,
    blocking_deny,
    restricted_by_condition,
    restricting_deny,
)
from ._shared import _BUCKET, _WHO_NOTE, _grants, _shown

# -- who: public resource policies, trust policies open to everyone --------------------------


def _star_principal_paths(path: JsonPath, statement: Statement) -> list[JsonPath]:
    """Where the statement names everyone: `"*"` or `{"AWS": "*"}`."""
    if statement.principal is None:
        return []
    if statement.principal.wildcard:
        return [path + ("Principal",)]
    return [
        where
        for where, element, kind, value in principal_values(path, statement)
        if element == "Principal" and kind == "AWS" and value == "*"
    ]


def _check_public(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        for where in _star_principal_paths(path, statement)[:1]:
            if restricted_by_condition(statement, PRINCIPAL_KEYS):
                continue
            if blocking_deny(doc, statement) or restricting_deny(doc, statement, PRINCIPAL_KEYS):
                continue
            actions, negated = statement.actions
            what = "every action except " + _shown(actions) if negated else _shown(actions)
            yield doc.finding(
                "PUBLIC_RESOURCE_POLICY",
                where,
                f"{statement_name(statement)} allows {what} to anyone, anonymous callers and every AWS "
                "account included; name the principals in `Principal`, or restrict it with a "
                "condition such as `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `aws:SourceVpce`",
            )


def _check_trust_any_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        if statement.principal is None or statement.principal.wildcard:
            continue  # `"*"` itself is ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL
        for where in _star_principal_paths(path, statement)[:1]:
            if restricted_by_condition(statement, PRINCIPAL_KEYS):
                continue
            if blocking_deny(doc, statement) or restricting_deny(doc, statement, PRINCIPAL_KEYS):
                continue
            yield doc.finding(
                "TRUST_POLICY_ANY_PRINCIPAL",
                where,
                f'{statement_name(statement)} lets any AWS principal of any account assume the role ({{"AWS": '
                '"*"} without a condition on who); name the trusted accounts or roles, or add a '
                "condition on `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `aws:PrincipalArn`",
            )


# -- the rules -------------------------------------------------------------------------------

_GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{_BUCKET}/*"}
# a statement that the example flags and its near miss repeats with a condition
_ANY_AWS_TRUST = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}

RULES: tuple[Rule, ...] = (

    Rule(
        "PUBLIC_RESOURCE_POLICY",
        Severity.SECURITY_WARNING,
        'A resource policy that allows `"Principal": "*"` with nothing restricting who.',
        'An `Allow` for "*" or {"AWS": "*"} without a condition on the caller grants anonymous '
        "callers and every AWS account; name the principals, or add a condition on "
        "`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceVpce` or `aws:SourceIp`." + _WHO_NOTE,
        _check_public,
        _policy({**_GET, "Principal": "*"}),
        _policy({**_GET, "Principal": "*",
                 "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}),
        policy_types=frozenset({"resource"}),
        access_analyzer=False,
        example_policy_type="resource",
    ),
    Rule(
        "TRUST_POLICY_ANY_PRINCIPAL",
        Severity.SECURITY_WARNING,
        'A role trust policy that lets {"AWS": "*"} assume the role with nothing restricting who.',
        "Any principal of any AWS account can then assume the role; name the trusted accounts or "
        "roles, or add a condition on `aws:PrincipalOrgID`, `aws:PrincipalAccount` or "
        "`aws:PrincipalArn`." + _WHO_NOTE,
        _check_trust_any_principal,
        _policy(_ANY_AWS_TRUST),
        _policy({**_ANY_AWS_TRUST, "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}),
        policy_types=frozenset({"trust"}),
        access_analyzer=False,
        example_policy_type="trust",
    ),
)
