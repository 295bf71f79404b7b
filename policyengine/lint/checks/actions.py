"""Lint rules: actions (`Action` / `NotAction`), checked against the catalogue.

What the rules decide:
- Unknown services and actions are errors (`INVALID_SERVICE_IN_ACTION`, `INVALID_ACTION`,
  with a "did you mean"); a wildcard pattern that matches no action is `INVALID_ACTION`
  too, as Access Analyzer reports it. Malformed entries (`s3GetObject`, `s3:Get Object`)
  are `INVALID_ACTION_FORMAT`, and policy variables, which IAM never substitutes in
  actions, are `VARIABLE_IN_ACTION`.
- The grant rules (PassRole, CreateServiceLinkedRole, `*` on `*`, service wildcards,
  `Resource: "*"` on scopable actions) look only at `Allow` statements of identity and
  resource policies (an Allow in an SCP, RCP or boundary grants nothing). They are
  silenced by the condition that scopes the grant (`iam:PassedToService`,
  `iam:AWSServiceName`, any Condition for the broad-grant rules) and by a Deny in the
  same policy that blocks the action on every resource with no condition.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

from ...evaluation.wildcard import compile_glob
from ...model.policy import Statement
from .. import patterns as pt
from ..document import JsonPath, LintDocument
from ..finding import Finding, Severity
from ..rules import Rule
from ._common import example_policy as _policy
from ._catalogued import (
    ACTION_FORMAT,
    analyze_pattern,
    entries,
    has_wildcard,
    join_names,
)

_GRANTING = frozenset({"identity", "resource"})
_ACTION_ELEMENTS = ("Action", "NotAction")


def _action_entries(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, Any]]:
    for path, statement, raw in doc.statements():
        for element in _ACTION_ELEMENTS:
            for entry_path, value in entries(path, raw, element):
                yield entry_path, statement, value


# --- syntax and catalogue -------------------------------------------------------------


def check_format(doc: LintDocument) -> Iterable[Finding]:
    for path, _, value in _action_entries(doc):
        if not isinstance(value, str) or "${" in value:
            continue
        if value and set(value) == {"*"}:
            continue
        if not ACTION_FORMAT.match(value):
            if ":" not in value:
                hint = "write it as `service:ActionName`, e.g. `s3:GetObject`"
            else:
                hint = "an action is a service prefix, one colon and an action name, without spaces"
            yield doc.finding("INVALID_ACTION_FORMAT", path, f"`{value}` is not an action: {hint}")


def check_variable(doc: LintDocument) -> Iterable[Finding]:
    for path, _, value in _action_entries(doc):
        if isinstance(value, str) and "${" in value:
            yield doc.finding(
                "VARIABLE_IN_ACTION",
                path,
                f"`{value}` holds a policy variable, but IAM substitutes variables only in "
                "`Resource` and `Condition` values; write the action names out",
            )


def check_service(doc: LintDocument) -> Iterable[Finding]:
    catalogue = doc.catalogue
    for path, _, value in _action_entries(doc):
        if not isinstance(value, str):
            continue
        result = analyze_pattern(value, catalogue)
        if result.status != "unknown_service":
            continue
        service, _, name = value.partition(":")
        if has_wildcard(service):
            yield doc.finding(
                "INVALID_SERVICE_IN_ACTION", path, f"`{service}` in `{value}` matches no AWS service prefix"
            )
            continue
        suggestion = catalogue.suggest_action(service, name) if not has_wildcard(name) else None
        if suggestion is None:
            close = catalogue.suggest_service(service)
            suggestion = f"{close}:{name}" if close else None
        hint = f"; did you mean `{suggestion}`?" if suggestion else ""
        yield doc.finding(
            "INVALID_SERVICE_IN_ACTION",
            path,
            f"`{service}` is not an AWS service prefix, so `{value}` matches no action{hint}",
            suggestion=suggestion,
        )


def check_action(doc: LintDocument) -> Iterable[Finding]:
    catalogue = doc.catalogue
    for path, _, value in _action_entries(doc):
        if not isinstance(value, str):
            continue
        result = analyze_pattern(value, catalogue)
        if result.status == "unknown_action":
            service, _, name = value.partition(":")
            suggestion = catalogue.suggest_action(service, name)
            hint = f"; did you mean `{suggestion}`?" if suggestion else ""
            yield doc.finding(
                "INVALID_ACTION",
                path,
                f"`{value}` is not an action of `{service.lower()}`{hint}",
                suggestion=suggestion,
            )
        elif result.status == "no_match":
            yield doc.finding(
                "INVALID_ACTION",
                path,
                f"`{value}` matches no action; check the spelling of the part before the wildcard",
            )


def check_wildcard_service(doc: LintDocument) -> Iterable[Finding]:
    for path, _, value in _action_entries(doc):
        if not isinstance(value, str) or ":" not in value:
            continue
        service = value.partition(":")[0]
        if has_wildcard(service) and ACTION_FORMAT.match(value):
            yield doc.finding(
                "WILDCARD_IN_SERVICE_NAME",
                path,
                f"`{value}` has a wildcard in its service prefix, so it matches actions of "
                "services you may not expect (and of services AWS adds later); name the services",
            )


# --- grants ---------------------------------------------------------------------------


def _allow_statements(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, dict[str, Any]]]:
    for path, statement, raw in doc.statements():
        if statement.effect == "Allow" and statement.action is not None:
            yield path, statement, raw


def _condition_keys(statement: Statement) -> set[str]:
    return {entry.key.lower() for entry in statement.condition}


def _denied_everywhere(doc: LintDocument, action: str) -> bool:
    """A Deny with no condition blocks `action` (lower case) on every resource."""
    for statement in doc.policy.statements:
        if statement.effect != "Deny" or statement.condition or statement.action is None:
            continue
        if statement.resource is None or "*" not in statement.resource:
            continue
        if any(isinstance(p, str) and _glob(p.lower())(action) for p in statement.action):
            return True
    return False


_ROLE = pt.Glob(tuple("role/") + (pt.STAR,))
_SLR = pt.Glob(tuple("role/aws-service-role/") + (pt.STAR,))


@lru_cache(maxsize=8192)
def _glob(pattern: str) -> Any:
    """A case-sensitive matcher for a lower-cased action or ARN segment pattern."""
    return compile_glob(pattern)


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


def _grant_findings(
    doc: LintDocument,
    action: str,
    role_tokens: pt.Tokens,
    scoping_key: str,
    explicit_code: str,
    wildcard_code: str,
) -> Iterator[tuple[str, JsonPath, str, str]]:
    """(code, path, action pattern, resource) for `action` granted on every role."""
    variables = doc.policy.variables_enabled
    for path, statement, raw in _allow_statements(doc):
        if scoping_key in _condition_keys(statement):
            continue
        resources = statement.resource or []
        broad = next((r for r in resources if isinstance(r, str) and _covers_all(r, role_tokens, variables=variables)), None)
        if broad is None:
            continue
        explicit = None
        wildcard = None
        for entry_path, value in entries(path, raw, "Action"):
            if not isinstance(value, str):
                continue
            lower = value.lower()
            if lower == action:
                explicit = explicit or (entry_path, value)
            elif has_wildcard(value) and _glob(lower)(action):
                wildcard = wildcard or (entry_path, value)
        hit = explicit or wildcard
        if hit is None or _denied_everywhere(doc, action):
            continue
        code = explicit_code if explicit else wildcard_code
        yield code, hit[0], hit[1], broad


def _pass_role(doc: LintDocument) -> Iterator[tuple[str, JsonPath, str, str]]:
    return _grant_findings(
        doc, "iam:passrole", _ROLE, "iam:passedtoservice",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE", "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
    )


def _create_slr(doc: LintDocument) -> Iterator[tuple[str, JsonPath, str, str]]:
    return _grant_findings(
        doc, "iam:createservicelinkedrole", _SLR, "iam:awsservicename",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE", "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
    )


def _grant_check(
    findings: Callable[[LintDocument], Iterator[tuple[str, JsonPath, str, str]]], code: str, message: str
) -> Callable[[LintDocument], Iterator[Finding]]:
    """The check of one of the two codes `_grant_findings` tells apart (an explicit action,
    or a wildcard that includes it); `message` names `{action}` and `{resource}`."""

    def check(doc: LintDocument) -> Iterator[Finding]:
        for found, path, action, resource in findings(doc):
            if found == code:
                yield doc.finding(code, path, message.format(action=action, resource=resource))

    return check


check_pass_role_star_resource = _grant_check(
    _pass_role,
    "PASS_ROLE_WITH_STAR_IN_RESOURCE",
    "`{action}` on `{resource}` lets the principal pass any role to any service; "
    "name the roles in `Resource` or add an `iam:PassedToService` condition",
)
check_pass_role_star_action = _grant_check(
    _pass_role,
    "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
    "`{action}` includes `iam:PassRole`, and on `{resource}` it lets the principal pass "
    "any role to any service; list the actions needed and name the roles",
)
check_slr_star_resource = _grant_check(
    _create_slr,
    "CREATE_SLR_WITH_STAR_IN_RESOURCE",
    "`{action}` on `{resource}` lets the principal create the service-linked role of "
    "any service; name the role or add an `iam:AWSServiceName` condition",
)
check_slr_star_action = _grant_check(
    _create_slr,
    "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
    "`{action}` includes `iam:CreateServiceLinkedRole`, and on `{resource}` it lets the "
    "principal create the service-linked role of any service; list the actions needed",
)


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


def check_redundant(doc: LintDocument) -> Iterable[Finding]:
    for path, _, raw in doc.statements():
        for element in _ACTION_ELEMENTS:
            items = [(p, v) for p, v in entries(path, raw, element) if isinstance(v, str) and "${" not in v]
            if len(items) < 2:
                continue
            lowered = [v.lower() for _, v in items]
            wild = [(j, pt.glob_tokens(v, variables=False)) for j, v in enumerate(lowered) if has_wildcard(v)]
            first_seen: dict[str, int] = {}
            for i, (entry_path, value) in enumerate(items):
                lower = lowered[i]
                earlier = first_seen.setdefault(lower, i)
                if earlier != i:
                    yield doc.finding(
                        "REDUNDANT_ACTION", entry_path,
                        f"`{value}` is listed twice in this statement (also as `{items[earlier][1]}`); remove it",
                    )
                    continue
                cover = _covering(i, lower, wild, lowered) if wild else None
                if cover is not None:
                    yield doc.finding(
                        "REDUNDANT_ACTION", entry_path,
                        f"`{value}` is already matched by `{items[cover][1]}` in this statement; remove it",
                    )


def _covering(i: int, lower: str, wild: list[tuple[int, pt.Glob]], lowered: list[str]) -> int | None:
    """Index of a wildcard entry (other than `i`) that covers entry `i`, if any."""
    mine = pt.glob_tokens(lower, variables=False)
    for j, theirs in wild:
        if j == i or not lower.startswith(theirs.head) or lowered[j] == lower:
            continue
        if mine.literal:
            if theirs.regex.fullmatch(lower):
                return j
        elif pt.covers(theirs, mine) and not (j > i and pt.covers(mine, theirs)):
            return j
    return None


RULES: tuple[Rule, ...] = (
    Rule(
        code="INVALID_ACTION_FORMAT",
        severity=Severity.ERROR,
        summary="An action that is not of the form `service:ActionName`.",
        learn_more="IAM reads an action as a service prefix, a colon and an action name (wildcards "
        "allowed); anything else matches nothing. Write e.g. `s3:GetObject`.",
        check=check_format,
        example=_policy({"Effect": "Allow", "Action": "s3GetObject", "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
    ),
    Rule(
        code="VARIABLE_IN_ACTION",
        severity=Severity.ERROR,
        summary="A policy variable in `Action` or `NotAction`, where IAM never substitutes it.",
        learn_more="Policy variables work only in `Resource` and in condition values; in an action "
        "the text is taken literally and matches nothing. Access Analyzer reports this as "
        "VARIABLE_UNSUPPORTED_IN_ELEMENT.",
        check=check_variable,
        example=_policy({"Effect": "Allow", "Action": "s3:${aws:PrincipalTag/action}", "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}),
    ),
    Rule(
        code="INVALID_SERVICE_IN_ACTION",
        severity=Severity.ERROR,
        summary="An action whose service prefix does not exist.",
        learn_more="The service prefix is the part before the colon (`s3`, `ec2`, `iam`); an unknown "
        "prefix matches no action. The message suggests the closest prefix.",
        check=check_service,
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": "s4:GetObject", "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
    ),
    Rule(
        code="INVALID_ACTION",
        severity=Severity.ERROR,
        summary="An action the service does not have, or a wildcard pattern that matches no action.",
        learn_more="IAM ignores actions it does not know, so the statement silently grants (or denies) "
        "less than intended. Check the spelling against the service's actions; the message suggests "
        "the closest one.",
        check=check_action,
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": ["s3:GetObjcet", "s3:Gett*"], "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": ["s3:getobject", "s3:Get*"], "Resource": "*"}),
    ),
    Rule(
        code="WILDCARD_IN_SERVICE_NAME",
        severity=Severity.SUGGESTION,
        summary="A wildcard in the service prefix of an action (`s*:Get*`, `*:Describe*`).",
        learn_more="Such a pattern matches actions of every service whose prefix fits, including "
        "services AWS adds later. Name the services explicitly.",
        check=check_wildcard_service,
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": "*:Describe*", "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}),
    ),
    Rule(
        code="PASS_ROLE_WITH_STAR_IN_RESOURCE",
        severity=Severity.SECURITY_WARNING,
        summary="`iam:PassRole` on every role (`Resource: *` or `role/*`).",
        learn_more="Passing any role to any service lets a principal give a service more permissions "
        "than it has itself (privilege escalation). Name the roles, or restrict the services with an "
        "`iam:PassedToService` condition.",
        check=check_pass_role_star_resource,
        policy_types=_GRANTING,
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}),
        near_miss=_policy({
            "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
            "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        }),
    ),
    Rule(
        code="PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
        severity=Severity.SECURITY_WARNING,
        summary="A wildcard action that includes `iam:PassRole`, on every role.",
        learn_more="`*`, `iam:*` or `iam:Pass*` on `*` include passing any role to any service "
        "(privilege escalation). List the actions needed and name the roles.",
        check=check_pass_role_star_action,
        policy_types=_GRANTING,
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": "iam:*", "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::111122223333:role/app-*"}),
    ),
    Rule(
        code="CREATE_SLR_WITH_STAR_IN_RESOURCE",
        severity=Severity.WARNING,
        summary="`iam:CreateServiceLinkedRole` on every role.",
        learn_more="It lets the principal create the service-linked role of any service. Name the "
        "role, or restrict the services with an `iam:AWSServiceName` condition.",
        check=check_slr_star_resource,
        policy_types=_GRANTING,
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}),
        near_miss=_policy({
            "Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*",
            "Condition": {"StringEquals": {"iam:AWSServiceName": "elasticbeanstalk.amazonaws.com"}},
        }),
    ),
    Rule(
        code="CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        severity=Severity.WARNING,
        summary="A wildcard action that includes `iam:CreateServiceLinkedRole`, on every role.",
        learn_more="`*` or `iam:*` on `*` include creating the service-linked role of any service. "
        "List the actions needed.",
        check=check_slr_star_action,
        policy_types=_GRANTING,
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": "iam:Create*", "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*"}),
    ),
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
    Rule(
        code="REDUNDANT_ACTION",
        severity=Severity.SUGGESTION,
        summary="An action already matched by another entry of the same statement.",
        learn_more="A wildcard such as `s3:Get*` already matches `s3:GetObject`, and repeated entries "
        "add nothing; removing them keeps the policy short and readable.",
        check=check_redundant,
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": ["s3:Get*", "s3:PutObject"], "Resource": "*"}),
    ),
)
