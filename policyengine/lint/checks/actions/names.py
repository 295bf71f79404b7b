"""Lint rules: action names (`Action` / `NotAction` entries), checked for syntax and against
the catalogue.

Unknown services and actions are errors (`INVALID_SERVICE_IN_ACTION`, `INVALID_ACTION`,
with a "did you mean"); a wildcard pattern that matches no action is `INVALID_ACTION` too,
as Access Analyzer reports it. Malformed entries (`s3GetObject`, `s3:Get Object`) are
`INVALID_ACTION_FORMAT`, and policy variables, which IAM never substitutes in actions, are
`VARIABLE_IN_ACTION`. A wildcard in the service prefix is a suggestion: it reaches services
the author may not expect.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import ACTION_FORMAT, analyze_pattern, has_wildcard
from .._common import example_policy as _policy
from ._shared import _action_entries


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
)
