"""Invoke and function-URL authorization (lambda-permissions.md §3.4, §3.5, §4 E and F).

Order, decided here (AWS does not document it, §4 E1): the qualifier conflict first, then
authorization (with the function's policy when the function exists), then existence. An
unauthorized caller thus learns nothing about whether a function or qualifier exists
(AccessDeniedException); an authorized one gets ResourceNotFoundException
"Function not found: <arn as requested>".
"""

from __future__ import annotations

from typing import Any, Mapping

from ..environment import Environment
from .functions import LATEST, RuleInputError, not_found, resolve
from .result import ACCESS_DENIED, AwsError, Check, CheckResult, access_denied, decide, denied, result

INVOCATION_TYPES = ("RequestResponse", "Event", "DryRun")
URL_AUTH_TYPES = ("AWS_IAM", "NONE")
# What a function URL answers when authorization fails: a plain HTTP 403 (§3.5, [unverified] body).
URL_FORBIDDEN = AwsError(ACCESS_DENIED, "Forbidden", 403)


def check_invoke(env: Environment, caller: str, function_arn: str, *, qualifier: str | None = None,
                 invocation_type: str = "RequestResponse", source_arn: str | None = None,
                 source_account: str | None = None, context: Mapping[str, Any] | None = None,
                 url: bool = False, url_auth_type: str | None = None, url_requires_invoke_function: bool = True,
                 latest_as_unqualified: bool = False) -> CheckResult:
    """May `caller` invoke the function (`Invoke` with `invocation_type`, or its URL with `url=True`)?

    Service principals (`s3.amazonaws.com`, `sns.amazonaws.com`, ...) are callers like any other;
    `source_arn`/`source_account` become `aws:SourceArn`/`aws:SourceAccount`. For a function URL
    with auth type NONE the caller is anonymous (`*`) whatever `caller` says. With
    `url_requires_invoke_function` (URLs created from October 2025, §3.5) a URL call also needs
    `lambda:InvokeFunction` with `lambda:InvokedViaFunctionUrl=true`.
    """
    if invocation_type not in INVOCATION_TYPES:
        raise RuleInputError(f"invocation type `{invocation_type}` is not one of {', '.join(INVOCATION_TYPES)}")
    fn = resolve(env, function_arn, qualifier)
    if isinstance(fn, AwsError):
        return denied(fn)
    resource = fn.base_arn if (latest_as_unqualified and fn.qualifier == LATEST) else fn.arn
    ctx = dict(context or {})
    if source_arn is not None:
        ctx["aws:SourceArn"] = source_arn
    if source_account is not None:
        ctx["aws:SourceAccount"] = source_account
    checks: list[Check] = []
    if url:
        auth = url_auth_type or "AWS_IAM"
        if auth not in URL_AUTH_TYPES:
            raise RuleInputError(f"function URL auth type `{auth}` is not one of {', '.join(URL_AUTH_TYPES)}")
        who = "*" if auth == "NONE" else caller
        url_ctx = {**ctx, "lambda:FunctionUrlAuthType": auth, "lambda:FunctionArn": fn.arn}
        checks.append(decide(env, "invoke_function_url", "lambda:InvokeFunctionUrl", who, resource, url_ctx))
        if url_requires_invoke_function:
            checks.append(decide(env, "invoke_function_via_url", "lambda:InvokeFunction", who, resource,
                                 {**ctx, "lambda:InvokedViaFunctionUrl": True}))
        if not all(c.allowed for c in checks):
            return result(checks, URL_FORBIDDEN)
    else:
        check = decide(env, "invoke_function", "lambda:InvokeFunction", caller, resource, ctx)
        checks.append(check)
        if not check.allowed:
            return result(checks, access_denied(check))
    if not fn.exists:
        return result(checks, not_found(fn))
    return result(checks, None)
