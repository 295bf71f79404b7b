"""Lint rules: broad grants, `Allow` statements that reach far more than they seem to name.

`*` on `*` (administrator access), a whole service (`s3:*`) and `Resource: "*"` on actions
that support resource-level permissions. The first two look only at `Allow` statements of
identity and resource policies (an Allow in an SCP, RCP or boundary grants nothing) and are
silenced by any Condition; `SERVICE_WILDCARD` also by a Deny in the same policy that blocks
the service on every resource with no condition.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import analyze_pattern, entries, has_wildcard, join_names
from .._common import example_policy as _policy
from ._shared import _GRANTING, _allow_statements, _denied_everywhere


def check_star_on_star(doc: LintDocument) -> Iterable[Finding]:
    for path, statement, raw in _allow_statements(doc):
        if statement.condition or statement.resource is None or "*" not in statement.resource:
            continue
        for entry_path, value in entries(path, raw, "Action"):
            if isinstance(value, str) and value and set(value.replace(":", "")) == {"*"} and value.count(":") <= 1:
                yield doc.finding(
                    "FULL_ADMIN_ACCESS", entry_path,
                    f"`{value}` on `*` with no condition allows every action on every resource "
                    "(administrator access); grant only the actions and resources needed",
                )
                break


def check_service_wildcard(doc: LintDocument) -> Iterable[Finding]:
    catalogue = doc.catalogue
    for path, statement, raw in _allow_statements(doc):
        if statement.condition:
            continue
        for entry_path, value in entries(path, raw, "Action"):
            if not isinstance(value, str) or ":" not in value:
                continue
            service, _, name = value.partition(":")
            if has_wildcard(service) or not name or set(name) != {"*"}:
                continue
            if not catalogue.service_exists(service) or _denied_everywhere(doc, f"{service.lower()}:*"):
                continue
            actions = catalogue.actions(service)
            admin = sum(1 for a in actions if "Permissions management" in a.access_levels)
            detail = f", {admin} of them permissions management" if admin else ""
            yield doc.finding(
                "SERVICE_WILDCARD", entry_path,
                f"`{value}` allows all {len(actions)} actions of `{service.lower()}`{detail}, including "
                "ones AWS adds later; list the actions needed",
            )


def check_resource_star_scopable(doc: LintDocument) -> Iterable[Finding]:
    catalogue = doc.catalogue
    for path, statement, raw in _allow_statements(doc):
        if statement.condition or statement.resource is None or "*" not in statement.resource:
            continue
        star_path = next((p for p, v in entries(path, raw, "Resource") if v == "*"), None)
        if star_path is None:
            continue
        scopable: list[str] = []
        for value in statement.action or []:
            if not isinstance(value, str) or has_wildcard(value) or ":" not in value:
                continue
            result = analyze_pattern(value, catalogue)
            if result.status != "ok":
                continue
            action = result.actions[0]
            if action.resource_types and action.access_levels - {"List"}:
                scopable.append(action.full_name)
        if scopable:
            yield doc.finding(
                "RESOURCE_STAR_FOR_SCOPABLE_ACTIONS", star_path,
                f"`*` grants {join_names(scopable)} on every resource, though "
                f"{'it supports' if len(scopable) == 1 else 'they support'} resource-level "
                "permissions; name the resources (ARNs) instead",
                actions=scopable,
            )


RULES: tuple[Rule, ...] = (
    Rule(
        code="FULL_ADMIN_ACCESS",
        severity=Severity.SECURITY_WARNING,
        summary="`Action: *` on `Resource: *` with no condition: administrator access.",
        learn_more="The statement allows every action of every service on every resource. Keep this "
        "for break-glass administrator roles; grant everyone else only what they need.",
        check=check_star_on_star,
        policy_types=_GRANTING,
        example=_policy({"Effect": "Allow", "Action": "*", "Resource": "*"}),
        near_miss=_policy({
            "Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:ViaAWSService": "true"}},
        }),
    ),
    Rule(
        code="SERVICE_WILDCARD",
        severity=Severity.WARNING,
        summary="A service-wide wildcard action (`s3:*`) with no condition.",
        learn_more="`service:*` grants every action of the service, including permissions "
        "management and actions AWS adds later. List the actions the principal needs.",
        check=check_service_wildcard,
        policy_types=_GRANTING,
        example=_policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}),
    ),
    Rule(
        code="RESOURCE_STAR_FOR_SCOPABLE_ACTIONS",
        severity=Severity.SUGGESTION,
        summary="`Resource: *` on actions that support resource-level permissions.",
        learn_more="These actions can be limited to specific resources by ARN; `*` grants them on "
        "every resource in every account the policy reaches. List actions only, such as `List*`, "
        "are not reported.",
        check=check_resource_star_scopable,
        policy_types=frozenset({"identity"}),
        example=_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}),
    ),
)
