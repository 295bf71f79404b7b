"""Lint rule: a `Deny` whose negated condition excludes every value, or contradicts a
positive condition on the same key, so that the `Deny` does not protect what it seems to."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

from ....evaluation.conditions.operators import ResolvedOperator
from ....model.policy import ConditionEntry, Statement
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from .._coverage import glob_covers, resource_covers
from ._restrictions import _resolve
from ._shared import _shown

# -- Deny conditions that can never hold -----------------------------------------------------


def _universal_pattern(op: ResolvedOperator, value: Any) -> bool:
    """A value with which the (negated) operator excludes every possible request value."""
    if not isinstance(value, str) or "${" in value:
        return False
    family = op.spec.family.value
    if family == "String":
        return op.spec.allows_wildcards and value != "" and all(ch == "*" for ch in value)
    if family == "Arn":
        if value and all(ch == "*" for ch in value):
            return True
        parts = value.split(":", 5)
        return len(parts) == 6 and parts[0] == "arn" and all(
            p and all(ch == "*" for ch in p) for p in parts[1:]
        )
    return False


def _universal_ips(values: list[Any]) -> bool:
    v4 = v6 = False
    for value in values:
        try:
            network = ipaddress.ip_network(str(value), strict=False)
        except ValueError:
            continue
        if network.prefixlen == 0:
            v4 = v4 or network.version == 4
            v6 = v6 or network.version == 6
    return v4 and v6


def _excluded(p: str, n: str, p_op: ResolvedOperator, n_op: ResolvedOperator) -> bool:
    """Every value matching positive value `p` matches negated value `n`."""
    if "${" in p or "${" in n:
        return False
    p_ignore = p_op.spec.relation == "ignorecase"
    n_ignore = n_op.spec.relation == "ignorecase"
    if p_ignore and not n_ignore:
        return False
    if n_ignore:
        p, n = p.lower(), n.lower()
    p_wild = p_op.spec.allows_wildcards and any(ch in p for ch in "*?")
    if not n_op.spec.allows_wildcards:
        return not p_wild and p == n
    if not p_op.spec.allows_wildcards:
        p = p.replace("*", "${*}").replace("?", "${?}")  # literal characters
        if p_op.spec.family.value == "Arn" or n_op.spec.family.value == "Arn":
            return False
        return glob_covers(p, n, True)
    if p_op.spec.family.value == "Arn":
        return resource_covers(p, n)
    return glob_covers(p, n)


def _never_findings(doc: LintDocument, path: JsonPath, statement: Statement) -> Iterator[Finding]:
    plain: list[tuple[ConditionEntry, ResolvedOperator]] = []
    for entry in statement.condition:
        op = _resolve(entry)
        if op is not None and op.set_qualifier is None and not op.spec.presence_only:
            plain.append((entry, op))
    present_keys = {
        e.key.lower()
        for e in statement.condition
        if (op := _resolve(e)) is not None and op.spec.presence_only
        and [str(v).lower() for v in e.values] == ["false"]
    }
    for entry, op in plain:
        if not op.negated or not entry.values:
            continue
        where = path + ("Condition", entry.operator, entry.key)
        universal = [
            i for i, v in enumerate(entry.values) if _universal_pattern(op, v)
        ] or ([0] if op.spec.family.value == "IpAddress" and _universal_ips(entry.values) else [])
        if universal:
            shown = entry.values[universal[0]]
            if entry.key.lower() in present_keys:
                tail = (
                    f"and the `Null` condition requires `{entry.key}` to be present, so the "
                    "statement never applies; remove the always-matching value"
                )
            else:
                tail = (
                    f"so it applies only when `{entry.key}` is missing from the request; if that "
                    f'is the intent, write {{"Null": {{"{entry.key}": "true"}}}}, otherwise remove '
                    "the always-matching value"
                )
            yield doc.finding(
                "DENY_NEGATED_CONDITION_NEVER_APPLIES",
                where + (universal[0],) if entry.is_list else where,
                f"in {statement_name(statement)}, `{entry.operator}` with `{shown}` excludes every value of "
                f"`{entry.key}`, {tail}",
            )
            continue
        for other, other_op in plain:
            if other_op.negated or other_op.if_exists or other.key.lower() != entry.key.lower():
                continue
            if other_op.spec.family.value != op.spec.family.value or not other.values:
                continue
            if all(
                isinstance(p, str)
                and any(isinstance(n, str) and _excluded(p, n, other_op, op) for n in entry.values)
                for p in other.values
            ):
                yield doc.finding(
                    "DENY_NEGATED_CONDITION_NEVER_APPLIES",
                    where,
                    f"{statement_name(statement)} can never apply: `{other.operator}` requires `{entry.key}` "
                    f"to be one of {_shown(map(str, other.values))}, and `{entry.operator}` requires "
                    "it to be none of them; keep one of the two conditions",
                )
                break


def _check_deny_never(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in doc.statements():
        if statement.effect == "Deny" and statement.condition:
            yield from _never_findings(doc, path, statement)


# -- the rules -------------------------------------------------------------------------------

_ADMIN = "arn:aws:iam::111122223333:role/admin"

RULES: tuple[Rule, ...] = (

    Rule(
        "DENY_NEGATED_CONDITION_NEVER_APPLIES",
        Severity.WARNING,
        "A `Deny` whose negated condition excludes every value, or contradicts another condition.",
        "A negated operator matches when the request value matches none of the listed values, and "
        "when the key is missing (IAM User Guide, condition operators). With a value that matches "
        "everything (`StringNotLike` `*`) the `Deny` applies only to requests without the key; next "
        "to a positive operator on the same key with values it excludes, it never applies. Either "
        "way the `Deny` does not protect what it seems to.",
        _check_deny_never,
        _policy({"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                 "Condition": {"StringNotLike": {"aws:PrincipalArn": [_ADMIN, "*"]}}}),
        _policy({"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                 "Condition": {"ArnNotLike": {"aws:PrincipalArn": [_ADMIN]}}}),
        policy_types=None,
        access_analyzer=False,
        example_policy_type="identity",
    ),
)
