"""What a running function may do: requests made with its execution role's credentials.

The principal is the role session Lambda creates, `arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION`
(session name = function name), so SCPs of the role's account, its boundary and the target's
resource policy and RCPs all apply (§1.7: an execution role is an ordinary service role).
Lambda puts `lambda:SourceFunctionArn` (the unqualified function ARN) on these credentials; the
caller's context wins where it sets the same key.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..environment import Environment
from .functions import execution_session, not_found, resolve
from .result import AwsError, Check, CheckResult, access_denied, decide, denied, result


def execution_context(function_base_arn: str, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    ctx = {"lambda:SourceFunctionArn": function_base_arn}
    lowered = {k.lower() for k in (context or {})}
    if "lambda:sourcefunctionarn" in lowered:
        ctx = {}
    ctx.update(context or {})
    return ctx


def function_can(env: Environment, function_arn: str, action: str, resource: str,
                 context: Mapping[str, Any] | None = None) -> CheckResult:
    """May the function (its execution role's session) perform `action` on `resource`?"""
    fn = resolve(env, function_arn)
    if isinstance(fn, AwsError):
        return denied(fn)
    if fn.record is None:
        return denied(not_found(fn))
    check = role_check(env, "function_can", fn.record.arn, fn.record.role, action, resource,
                       execution_context(fn.base_arn, context))
    return result([check], None if check.allowed else access_denied(check))


def role_check(env: Environment, name: str, function_arn: str, role_arn: str, action: str, resource: str,
               context: Mapping[str, Any] | None = None) -> Check:
    """One request by the session Lambda makes of `role_arn` for `function_arn`."""
    session = execution_session(role_arn, function_arn)
    return decide(env, name, action, session, resource, dict(context or {}))
