"""What pins down who can use a grant: the security rules' shared reading of conditions and Denies.

The "who" warnings (public grants, trust open to any principal, service principals
without a source) are silenced when the grant's own condition admits only callers from a
fixed set (`restricts`), when a `Deny` covering the grant denies everyone outside such a
set (`restricting_deny`), and every security warning when a `Deny` applies whenever the
grant does (`blocking_deny`). The tables of keys that say who the caller is live here too.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ....evaluation.conditions import lookup_operator
from ....evaluation.conditions.errors import ConditionCompileError
from ....evaluation.conditions.operators import ResolvedOperator, SetQualifier
from ....evaluation.variables import TemplateSyntaxError, parse_template
from ....model.policy import ConditionEntry, Statement
from ...document import LintDocument
from .._coverage import (
    action_set,
    actions_cover,
    covering_denies,
    resource_set,
    resources_cover,
)

# -- keys that say who the caller is ---------------------------------------------------------

# key (lower-cased) -> what its values are, to tell a real restriction from a wildcard.
# Keys whose values an outsider can choose (aws:username, aws:PrincipalTag/...,
# kms:ViaService, aws:VpcSourceIp) do not restrict who the caller is and are not listed.
PRINCIPAL_KEYS: dict[str, str] = {
    "aws:principalorgid": "id",
    "aws:principalorgpaths": "orgpath",
    "aws:principalaccount": "id",
    "aws:principalarn": "arn",
    "aws:userid": "id",
    "aws:principalservicename": "id",
    "aws:sourceaccount": "id",
    "aws:sourcearn": "arn",
    "aws:sourceowner": "id",
    "aws:sourceorgid": "id",
    "aws:sourceorgpaths": "orgpath",
    "aws:sourcevpce": "id",
    "aws:sourcevpc": "id",
    "aws:sourcevpcarn": "arn",
    "aws:sourceip": "ip",
    "kms:calleraccount": "id",
    "s3:dataaccesspointaccount": "id",
    "s3:dataaccesspointarn": "arn",
}
# The keys that tie a service principal's request to the resource or account it acts for
# (IAM User Guide, the confused deputy problem).
_SOURCE = ("aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths")
SOURCE_KEYS: dict[str, str] = {key: PRINCIPAL_KEYS[key] for key in _SOURCE}


def _resolve(entry: ConditionEntry) -> ResolvedOperator | None:
    try:
        return lookup_operator(entry.operator)
    except ConditionCompileError:
        return None


def _only_wildcards(text: str) -> bool:
    return bool(text) and all(ch in "*?" for ch in text)


def _universal(value: Any, kind: str, wildcards: bool) -> bool:
    """Whether one condition value matches every caller (so it restricts nothing)."""
    if not isinstance(value, str):
        return False
    if "${" in value:
        # `${aws:ResourceAccount}`, `${aws:ResourceOrgID}`: the caller must share the resource's
        # account or organization (a data perimeter). Any other variable depends on the
        # request: assume it pins nothing down.
        try:
            variables = parse_template(value).variables
        except TemplateSyntaxError:
            return True
        return not variables or not all(v.key.lower().startswith("aws:resource") for v in variables)
    if kind == "ip":
        try:
            return ipaddress.ip_network(value, strict=False).prefixlen == 0
        except ValueError:
            return False
    if not wildcards:
        return False
    if kind == "orgpath":
        first = value.split("/", 1)[0]
        return any(ch in first for ch in "*?")
    if kind == "arn":
        if _only_wildcards(value):
            return True
        parts = value.split(":", 5)
        if len(parts) < 6:
            return value.endswith("*")
        account, resource = parts[4], parts[5]
        if account:
            return any(ch in account for ch in "*?")
        head = resource.replace(":", "/").split("/", 1)[0]
        return not head or any(ch in head for ch in "*?")
    return any(ch in value for ch in "*?")


def _key_kind(entry: ConditionEntry, keys: dict[str, str]) -> str | None:
    return keys.get(entry.key.lower())


def _fits_family(op: ResolvedOperator, kind: str) -> bool:
    family = op.spec.family.value
    if kind == "ip":
        return family == "IpAddress"
    return family in ("String", "Arn")


def restricts(entry: ConditionEntry, keys: dict[str, str]) -> bool:
    """An Allow condition entry that admits only callers from a fixed set."""
    kind = _key_kind(entry, keys)
    op = _resolve(entry)
    if kind is None or op is None or op.spec.presence_only or op.negated or op.if_exists:
        return False
    if op.set_qualifier is SetQualifier.FOR_ALL_VALUES or not _fits_family(op, kind):
        return False
    if not entry.values:
        return True  # never matches: the statement grants nothing (EMPTY_ARRAY_CONDITION)
    return not any(_universal(v, kind, op.spec.allows_wildcards) for v in entry.values)


def excludes_outsiders(entry: ConditionEntry, keys: dict[str, str]) -> bool:
    """A Deny condition entry that holds for every caller outside a fixed set."""
    kind = _key_kind(entry, keys)
    op = _resolve(entry)
    if kind is None or op is None or op.spec.presence_only or not op.negated:
        return False
    if op.set_qualifier is not None or not _fits_family(op, kind) or not entry.values:
        return False
    return not any(_universal(v, kind, op.spec.allows_wildcards) for v in entry.values)


def restricted_by_condition(statement: Statement, keys: dict[str, str]) -> bool:
    return any(restricts(entry, keys) for entry in statement.condition)


def _deny_principal_covers(deny: Statement, grant: Statement) -> bool:
    """The Deny names every caller the grant admits (`{"AWS": "*"}` names no service)."""
    principal = deny.principal
    if principal is None:
        return deny.not_principal is not None
    if principal.wildcard:
        return True
    granted = grant.principal
    services = granted is not None and (granted.wildcard or bool(granted.values.get("Service")))
    return not services and "*" in principal.values.get("AWS", [])


def restricting_deny(
    doc: LintDocument, grant: Statement, keys: dict[str, str]
) -> Statement | None:
    """A Deny covering the grant that denies every caller outside a fixed set."""
    for deny in doc.policy.statements:
        if deny.effect != "Deny" or not _deny_principal_covers(deny, grant):
            continue
        if not actions_cover(action_set(deny), action_set(grant)):
            continue
        if not resources_cover(resource_set(deny), resource_set(grant), doc.policy.variables_enabled):
            continue
        if (
            keys is PRINCIPAL_KEYS
            and deny.not_principal is not None
            and not deny.not_principal.wildcard
            and not deny.condition
        ):
            return deny  # everyone but the listed principals is denied
        if deny.principal is not None and deny.condition and all(
            excludes_outsiders(entry, keys) for entry in deny.condition
        ):
            return deny
    return None


def blocking_deny(doc: LintDocument, grant: Statement) -> Statement | None:
    """A Deny in the same document that applies whenever `grant` does."""
    return next(
        covering_denies(doc.policy.statements, grant, variables=doc.policy.variables_enabled), None
    )
