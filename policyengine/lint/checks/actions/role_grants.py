"""Lint rules: `iam:PassRole` and `iam:CreateServiceLinkedRole` granted on every role.

Passing any role to any service is the classic privilege escalation (the service acts with
the role's permissions, not the caller's); creating the service-linked role of any service
is a lesser version of it. Access Analyzer names each way a statement can grant one of the
two actions broadly with its own code, and so do we: how the statement reaches the action
(`Action` naming it, an `Action` wildcard that includes it, or a `NotAction` that does not
exclude it) and how it reaches every role (a `Resource` that covers every role, such as `*`
or `arn:aws:iam::*:role/*`, or a `NotResource` that does not exclude every role). Each
statement gets exactly one code, the one for its own combination:

- `Action` naming it: `..._WITH_STAR_IN_RESOURCE` / `..._WITH_NOT_RESOURCE`;
- an `Action` wildcard: `..._WITH_STAR_IN_ACTION_AND_RESOURCE` /
  `..._WITH_STAR_IN_ACTION_AND_NOT_RESOURCE`;
- `NotAction`: `..._WITH_STAR_IN_RESOURCE_AND_NOT_ACTION` /
  `..._WITH_NOT_ACTION_AND_NOT_RESOURCE`

(with `Resource` / with `NotResource`). A statement that names the action and also has a
wildcard that includes it is reported for the name, at that entry; a `NotAction` finding
points at the `NotAction` element.

Only `Allow` statements of identity and resource policies are read (an Allow in an SCP, RCP
or boundary grants nothing). A statement is not reported when its condition names the key
that scopes the grant (`iam:PassedToService`, `iam:AWSServiceName`), or when a `Deny` with
no condition in the same document blocks the action on every role (its `Action` includes
it or its `NotAction` does not exclude it, and its `Resource` covers every role).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ... import patterns as pt
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import entries, has_wildcard, join_names, per_document
from .._common import example_policy as _policy
from .._common import matches_nothing
from ._shared import _GRANTING, _glob, _includes

_ROLE = pt.Glob(tuple("role/") + (pt.STAR,))
_SLR = pt.Glob(tuple("role/aws-service-role/") + (pt.STAR,))

# How a statement reaches the action, and how it reaches every role.
NAMED, WILDCARD, NOT_ACTION = "named", "wildcard", "not_action"
STAR, NOT_RESOURCE = "star", "not_resource"


@dataclass(frozen=True)
class _Family:
    action: str  # lower case
    role_tokens: pt.Tokens  # the roles the action applies to, as a resource path
    scoping_key: str  # lower case: a condition on it scopes the grant
    codes: dict[tuple[str, str], str]  # (action form, resource form) -> code


_PASS_ROLE = _Family(
    "iam:passrole", _ROLE, "iam:passedtoservice",
    {
        (NAMED, STAR): "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        (WILDCARD, STAR): "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
        (NOT_ACTION, STAR): "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
        (NAMED, NOT_RESOURCE): "PASS_ROLE_WITH_NOT_RESOURCE",
        (WILDCARD, NOT_RESOURCE): "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
        (NOT_ACTION, NOT_RESOURCE): "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
    },
)
_CREATE_SLR = _Family(
    "iam:createservicelinkedrole", _SLR, "iam:awsservicename",
    {
        (NAMED, STAR): "CREATE_SLR_WITH_STAR_IN_RESOURCE",
        (WILDCARD, STAR): "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        (NOT_ACTION, STAR): "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
        (NAMED, NOT_RESOURCE): "CREATE_SLR_WITH_NOT_RESOURCE",
        (WILDCARD, NOT_RESOURCE): "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
        (NOT_ACTION, NOT_RESOURCE): "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE",
    },
)


@dataclass(frozen=True)
class _Grant:
    code: str
    path: JsonPath  # the `Action` entry that includes the action, or the `NotAction` element
    action: str  # that entry, or the `NotAction` list as shown in messages
    resource: str  # the `Resource` entry that covers every role, or the `NotResource` list as shown


def _covers_all(resource: str, role_tokens: pt.Tokens, *, variables: bool) -> bool:
    """The resource pattern covers every IAM role (whose path starts as `role_tokens`)."""
    if resource and set(resource) == {"*"}:
        return True
    segments = pt.split_arn(resource, variables)
    if segments is None:
        return False
    if not _glob(segments[1])("aws") and not _glob(segments[1])("aws-cn"):
        return False
    if not _glob(segments[2])("iam") or not _glob(segments[3])(""):
        return False
    return pt.covers(pt.glob_tokens(segments[5], variables=variables), role_tokens)


def _shown(patterns: Iterable[Any]) -> str:
    return join_names([p for p in patterns if isinstance(p, str)], 3) or "nothing"


def _denied_on_every_role(doc: LintDocument, family: _Family) -> bool:
    """A Deny with no condition blocks the action on every role."""
    variables = doc.policy.variables_enabled
    for statement in doc.policy.statements:
        if statement.effect != "Deny" or statement.condition or statement.resource is None:
            continue
        if statement.action is not None:
            if not _includes(statement.action, family.action):
                continue
        elif statement.not_action is None or _includes(statement.not_action, family.action):
            continue
        if any(isinstance(r, str) and _covers_all(r, family.role_tokens, variables=variables)
               for r in statement.resource):
            return True
    return False


def _action_form(path: JsonPath, statement: Any, raw: dict[str, Any], action: str) -> tuple[str, JsonPath, str] | None:
    """How the statement reaches `action`: (form, path to point at, text), or None."""
    if statement.action is not None:
        wildcard = None
        for entry_path, value in entries(path, raw, "Action"):
            if not isinstance(value, str):
                continue
            lower = value.lower()
            if lower == action:
                return NAMED, entry_path, value
            if wildcard is None and has_wildcard(value) and _glob(lower)(action):
                wildcard = (WILDCARD, entry_path, value)
        return wildcard
    if statement.not_action is not None and not _includes(statement.not_action, action):
        return NOT_ACTION, path + ("NotAction",), _shown(statement.not_action)
    return None


def _resource_form(statement: Any, family: _Family, variables: bool) -> tuple[str, str] | None:
    """How the statement reaches every role: (form, text), or None."""
    if statement.resource is not None:
        broad = next((r for r in statement.resource
                      if isinstance(r, str) and _covers_all(r, family.role_tokens, variables=variables)), None)
        return None if broad is None else (STAR, broad)
    if statement.not_resource is not None:
        if any(isinstance(r, str) and _covers_all(r, family.role_tokens, variables=variables)
               for r in statement.not_resource):
            return None  # every role is excluded
        return NOT_RESOURCE, _shown(statement.not_resource)
    return None


def _grants(doc: LintDocument, family: _Family) -> list[_Grant]:
    """Every statement of the document that grants the family's action on every role."""

    def build(doc: LintDocument) -> list[_Grant]:
        variables = doc.policy.variables_enabled
        found: list[_Grant] = []
        for path, statement, raw in doc.statements():
            if statement.effect != "Allow" or matches_nothing(statement):
                continue
            if any(entry.key.lower() == family.scoping_key for entry in statement.condition):
                continue
            resource = _resource_form(statement, family, variables)
            if resource is None:
                continue
            action = _action_form(path, statement, raw, family.action)
            if action is None:
                continue
            found.append(_Grant(family.codes[action[0], resource[0]], action[1], action[2], resource[1]))
        if found and _denied_on_every_role(doc, family):
            return []
        return found

    return per_document(doc, f"role_grants:{family.action}", build)  # type: ignore[no-any-return]


def _grant_check(family: _Family, code: str, message: str) -> Callable[[LintDocument], Iterator[Finding]]:
    """The check of one of the family's codes; `message` names `{action}` and `{resource}`."""

    def check(doc: LintDocument) -> Iterator[Finding]:
        for grant in _grants(doc, family):
            if grant.code == code:
                yield doc.finding(code, grant.path, message.format(action=grant.action, resource=grant.resource))

    return check


# --- the rules --------------------------------------------------------------------------

_EXCEPTIONS = (
    " Not reported when the statement's condition names `{key}`, or when a `Deny` with no "
    "condition in the same document blocks the action on every role."
)
_PASS_NOTE = _EXCEPTIONS.format(key="iam:PassedToService")
_SLR_NOTE = _EXCEPTIONS.format(key="iam:AWSServiceName")
_ADMIN_ROLE = "arn:aws:iam::111122223333:role/admin"
_SLR_RDS = "arn:aws:iam::111122223333:role/aws-service-role/rds.amazonaws.com/*"
_REPORTS = "arn:aws:s3:::reports/*"


def _rule(code: str, severity: Severity, summary: str, learn_more: str, message: str,
          example: dict[str, Any], near_miss: dict[str, Any]) -> Rule:
    family = _PASS_ROLE if code.startswith("PASS_ROLE") else _CREATE_SLR
    return Rule(
        code=code, severity=severity, summary=summary, learn_more=learn_more,
        check=_grant_check(family, code, message),
        example=_policy(example), near_miss=_policy(near_miss),
        policy_types=_GRANTING, access_analyzer=True,
    )


PASS_ROLE_RULES: tuple[Rule, ...] = (
    _rule(
        "PASS_ROLE_WITH_STAR_IN_RESOURCE", Severity.SECURITY_WARNING,
        "`iam:PassRole` on every role (`Resource: *` or `role/*`).",
        "Passing any role to any service lets a principal give a service more permissions "
        "than it has itself (privilege escalation). Name the roles, or restrict the services with an "
        "`iam:PassedToService` condition.",
        "`{action}` on `{resource}` lets the principal pass any role to any service; "
        "name the roles in `Resource` or add an `iam:PassedToService` condition",
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        {
            "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
            "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        },
    ),
    _rule(
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", Severity.SECURITY_WARNING,
        "A wildcard action that includes `iam:PassRole`, on every role.",
        "`*`, `iam:*` or `iam:Pass*` on `*` include passing any role to any service "
        "(privilege escalation). List the actions needed and name the roles.",
        "`{action}` includes `iam:PassRole`, and on `{resource}` it lets the principal pass "
        "any role to any service; list the actions needed and name the roles",
        {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::111122223333:role/app-*"},
    ),
    _rule(
        "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", Severity.SECURITY_WARNING,
        "A `NotAction` that does not exclude `iam:PassRole`, on every role.",
        "`NotAction` allows every action it does not list; unless it lists `iam:PassRole` (or a "
        "wildcard such as `iam:*`), the statement lets the principal pass any role to any service "
        "(privilege escalation). List the actions needed in `Action`, or add `iam:PassRole` to "
        "`NotAction`." + _PASS_NOTE,
        "`NotAction` ({action}) does not exclude `iam:PassRole`, so on `{resource}` the statement "
        "lets the principal pass any role to any service; list the actions needed in `Action`, or "
        "add `iam:PassRole` to `NotAction`",
        {"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"},
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"},
    ),
    _rule(
        "PASS_ROLE_WITH_NOT_RESOURCE", Severity.SECURITY_WARNING,
        "`iam:PassRole` with a `NotResource` that leaves roles in.",
        "`NotResource` grants the action on every resource it does not list, so `iam:PassRole` with "
        "it lets the principal pass every other role, including roles created later, to any service "
        "(privilege escalation). Name the roles in `Resource`, or restrict the services with an "
        "`iam:PassedToService` condition. A `NotResource` that excludes every role (such as "
        "`arn:aws:iam::*:role/*`) is not reported." + _PASS_NOTE,
        "`{action}` with `NotResource` ({resource}) lets the principal pass every other role to any "
        "service; name the roles in `Resource` or add an `iam:PassedToService` condition",
        {"Effect": "Allow", "Action": "iam:PassRole", "NotResource": _ADMIN_ROLE},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-*"},
    ),
    _rule(
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", Severity.SECURITY_WARNING,
        "A wildcard action that includes `iam:PassRole`, with a `NotResource` that leaves roles in.",
        "`*`, `iam:*` or `iam:Pass*` with `NotResource` include passing every role `NotResource` "
        "does not list to any service (privilege escalation). List the actions needed and name the "
        "resources in `Resource`. A `NotResource` that excludes every role is not reported."
        + _PASS_NOTE,
        "`{action}` includes `iam:PassRole`, and with `NotResource` ({resource}) it lets the "
        "principal pass every other role to any service; list the actions needed and name the "
        "roles in `Resource`",
        {"Effect": "Allow", "Action": "iam:*", "NotResource": _ADMIN_ROLE},
        {"Effect": "Allow", "Action": "iam:*", "NotResource": "arn:aws:iam::111122223333:role/*"},
    ),
    _rule(
        "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE", Severity.SECURITY_WARNING,
        "A `NotAction` that does not exclude `iam:PassRole`, with a `NotResource` that leaves roles in.",
        "Together they allow every action not listed on every resource not listed: unless "
        "`NotAction` lists `iam:PassRole` or `NotResource` every role, the principal can pass "
        "roles to any service (privilege escalation). List the actions in `Action` and the "
        "resources in `Resource`." + _PASS_NOTE,
        "`NotAction` ({action}) does not exclude `iam:PassRole`, and with `NotResource` ({resource}) "
        "the statement lets the principal pass every other role to any service; list the actions in "
        "`Action` and the resources in `Resource`",
        {"Effect": "Allow", "NotAction": "s3:*", "NotResource": _REPORTS},
        {"Effect": "Allow", "NotAction": ["s3:*", "iam:*"], "NotResource": _REPORTS},
    ),
)

CREATE_SLR_RULES: tuple[Rule, ...] = (
    _rule(
        "CREATE_SLR_WITH_STAR_IN_RESOURCE", Severity.WARNING,
        "`iam:CreateServiceLinkedRole` on every role.",
        "It lets the principal create the service-linked role of any service. Name the "
        "role, or restrict the services with an `iam:AWSServiceName` condition.",
        "`{action}` on `{resource}` lets the principal create the service-linked role of "
        "any service; name the role or add an `iam:AWSServiceName` condition",
        {"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"},
        {
            "Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*",
            "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}},
        },
    ),
    _rule(
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", Severity.WARNING,
        "A wildcard action that includes `iam:CreateServiceLinkedRole`, on every role.",
        "`*` or `iam:*` on `*` include creating the service-linked role of any service. "
        "List the actions needed.",
        "`{action}` includes `iam:CreateServiceLinkedRole`, and on `{resource}` it lets the "
        "principal create the service-linked role of any service; list the actions needed",
        {"Effect": "Allow", "Action": "iam:Create*", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*"},
    ),
    _rule(
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", Severity.WARNING,
        "A `NotAction` that does not exclude `iam:CreateServiceLinkedRole`, on every role.",
        "`NotAction` allows every action it does not list; unless it lists "
        "`iam:CreateServiceLinkedRole` (or a wildcard such as `iam:*`), the statement lets the "
        "principal create the service-linked role of any service. List the actions needed in "
        "`Action`." + _SLR_NOTE,
        "`NotAction` ({action}) does not exclude `iam:CreateServiceLinkedRole`, so on `{resource}` "
        "the statement lets the principal create the service-linked role of any service; list the "
        "actions needed in `Action`",
        {"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"},
        {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"},
    ),
    _rule(
        "CREATE_SLR_WITH_NOT_RESOURCE", Severity.WARNING,
        "`iam:CreateServiceLinkedRole` with a `NotResource` that leaves service-linked roles in.",
        "`NotResource` grants the action on every resource it does not list, so the principal can "
        "create the service-linked role of every service not listed. Name the roles in `Resource`, "
        "or restrict the services with an `iam:AWSServiceName` condition. A `NotResource` that "
        "excludes every service-linked role (`role/aws-service-role/*`) is not reported." + _SLR_NOTE,
        "`{action}` with `NotResource` ({resource}) lets the principal create the service-linked "
        "role of every other service; name the roles in `Resource` or add an `iam:AWSServiceName` "
        "condition",
        {"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "NotResource": _SLR_RDS},
        {"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": _SLR_RDS},
    ),
    _rule(
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", Severity.WARNING,
        "A wildcard action that includes `iam:CreateServiceLinkedRole`, with a `NotResource` that "
        "leaves service-linked roles in.",
        "`*`, `iam:*` or `iam:Create*` with `NotResource` include creating the service-linked role "
        "of every service `NotResource` does not list. List the actions needed and name the "
        "resources in `Resource`." + _SLR_NOTE,
        "`{action}` includes `iam:CreateServiceLinkedRole`, and with `NotResource` ({resource}) it "
        "lets the principal create the service-linked role of every other service; list the "
        "actions needed and name the roles in `Resource`",
        {"Effect": "Allow", "Action": "iam:Create*", "NotResource": "arn:aws:iam::111122223333:user/*"},
        {"Effect": "Allow", "Action": "iam:Create*", "NotResource": "arn:aws:iam::111122223333:role/*"},
    ),
    _rule(
        "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE", Severity.WARNING,
        "A `NotAction` that does not exclude `iam:CreateServiceLinkedRole`, with a `NotResource` "
        "that leaves service-linked roles in.",
        "Together they allow every action not listed on every resource not listed: unless "
        "`NotAction` lists `iam:CreateServiceLinkedRole` or `NotResource` every service-linked "
        "role, the principal can create the service-linked role of any service. List the actions "
        "in `Action` and the resources in `Resource`." + _SLR_NOTE,
        "`NotAction` ({action}) does not exclude `iam:CreateServiceLinkedRole`, and with "
        "`NotResource` ({resource}) the statement lets the principal create the service-linked "
        "role of any service; list the actions in `Action` and the resources in `Resource`",
        {"Effect": "Allow", "NotAction": "s3:*", "NotResource": _REPORTS},
        {"Effect": "Allow", "NotAction": ["s3:*", "iam:*"], "NotResource": _REPORTS},
    ),
)

RULES: tuple[Rule, ...] = (*PASS_ROLE_RULES, *CREATE_SLR_RULES)
