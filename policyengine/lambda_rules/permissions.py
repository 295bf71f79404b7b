"""AddPermission / RemovePermission / GetPolicy on a function policy, as Lambda does them (§3.4, §4 D).

Storage: the environment keeps one function policy per function (`Id` "default") holding every
qualifier's statements; the statements of qualifier Q are those whose Resource is `f:Q`, the
unqualified ones those whose Resource is `f` (or anything else). GetPolicy/RemovePermission and the
duplicate-Sid check see only the addressed qualifier's statements, as with AWS's per-qualifier
documents. A successful AddPermission/RemovePermission changes the environment in place
(`Environment.set_function_policy`, which drops every cache).

Order: parameter validation (ValidationException / InvalidParameterValueException for the
principal), the caller's permission, existence of function and qualifier, `$LATEST`,
RevisionId, then the policy edit (duplicate Sid, unknown Sid, size).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from ..environment import Environment
from .functions import LATEST, not_found, resolve
from .result import (INVALID_PARAMETER, RESOURCE_CONFLICT, RESOURCE_NOT_FOUND, AwsError, Check, CheckResult,
                     access_denied, decide, denied, result)

POLICY_SIZE_LIMIT = 20480  # bytes, Lambda's function policy quota
_SID = re.compile(r"^[a-zA-Z0-9-_]{1,100}$")
_ACTION = re.compile(r"^(lambda:[*]|lambda:[a-zA-Z]+|[*])$")
_ACCOUNT = re.compile(r"^\d{12}$")
_SERVICE = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$|^[a-z0-9.-]+\.amazon\.com$")
LATEST_NOT_SUPPORTED = "We currently do not support adding policies for $LATEST."
INVALID_PRINCIPAL = "The provided principal was invalid. Please check the principal and try again."
NO_POLICY = "The resource you requested does not exist."
REVISION_MISMATCH = ("The Revision Id provided does not match the latest Revision Id. "
                     "Call the GetPolicy API to retrieve the latest Revision Id")


def _validation(field: str, value: str, constraint: str) -> AwsError:
    return AwsError.of("ValidationException", f"1 validation error detected: Value '{value}' at '{field}' "
                                              f"failed to satisfy constraint: {constraint}")


def principal_element(principal: str) -> Any | AwsError:
    """The Principal element AWS writes for AddPermission's `Principal` parameter."""
    if principal == "*":
        return "*"
    if _ACCOUNT.match(principal):
        return {"AWS": f"arn:aws:iam::{principal}:root"}
    if principal.startswith("arn:") and principal.split(":")[2:3] in (["iam"], ["sts"]):
        return {"AWS": principal}
    if _SERVICE.match(principal):
        return {"Service": principal}
    return AwsError.of(INVALID_PARAMETER, INVALID_PRINCIPAL)


def build_statement(sid: str, action: str, principal: Any, resource: str, *, source_arn: str | None = None,
                    source_account: str | None = None, principal_org_id: str | None = None,
                    function_url_auth_type: str | None = None, event_source_token: str | None = None,
                    invoked_via_function_url: bool | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": action,
                                 "Resource": resource}
    condition: dict[str, dict[str, str]] = {}

    def put(op: str, key: str, value: str) -> None:
        condition.setdefault(op, {})[key] = value

    if source_account is not None:
        put("StringEquals", "AWS:SourceAccount", source_account)
    if principal_org_id is not None:
        put("StringEquals", "aws:PrincipalOrgID", principal_org_id)
    if function_url_auth_type is not None:
        put("StringEquals", "lambda:FunctionUrlAuthType", function_url_auth_type)
    if event_source_token is not None:
        put("StringEquals", "lambda:EventSourceToken", event_source_token)
    if source_arn is not None:
        put("ArnLike", "AWS:SourceArn", source_arn)
    if invoked_via_function_url:
        put("Bool", "lambda:InvokedViaFunctionUrl", "true")
    if condition:
        statement["Condition"] = condition
    return statement


def _resources(statement: dict[str, Any]) -> list[str]:
    r = statement.get("Resource", [])
    return [r] if isinstance(r, str) else list(r)


def _belongs(statement: dict[str, Any], base: str, qualifier: str | None) -> bool:
    resources = _resources(statement)
    if qualifier is not None:
        return f"{base}:{qualifier}" in resources
    return not any(r.startswith(base + ":") for r in resources) or base in resources


def _statements(policy: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not policy:
        return []
    st = policy.get("Statement", [])
    return [st] if isinstance(st, dict) else list(st)


def policy_revision_id(policy: dict[str, Any] | None) -> str:
    digest = hashlib.sha256(json.dumps(policy, sort_keys=True).encode()).hexdigest()
    return str(uuid.UUID(digest[:32]))


_CHECK_NAMES = {"lambda:AddPermission": "add_permission", "lambda:RemovePermission": "remove_permission",
                "lambda:GetPolicy": "get_policy"}


def _caller_check(env: Environment, caller: str, action: str, resource: str,
                  context: dict[str, Any] | None = None) -> Check:
    return decide(env, _CHECK_NAMES[action], action, caller, resource, context or {})


def add_permission(env: Environment, caller: str, function_arn: str, statement_id: str, action: str,
                   principal: str, *, qualifier: str | None = None, source_arn: str | None = None,
                   source_account: str | None = None, principal_org_id: str | None = None,
                   function_url_auth_type: str | None = None, event_source_token: str | None = None,
                   invoked_via_function_url: bool | None = None, revision_id: str | None = None) -> CheckResult:
    """AddPermission: on success the statement is in the environment's function policy and
    `result.value` is `{"Statement": <the statement as JSON text>}` (what AWS returns)."""
    if not _SID.match(statement_id):
        return denied(_validation("statementId", statement_id,
                                  "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)"))
    if not _ACTION.match(action):
        return denied(_validation("action", action,
                                  "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])"))
    if function_url_auth_type is not None and function_url_auth_type not in ("NONE", "AWS_IAM"):
        return denied(_validation("functionUrlAuthType", function_url_auth_type,
                                  "Member must satisfy enum value set: [NONE, AWS_IAM]"))
    element = principal_element(principal)
    if isinstance(element, AwsError):
        return denied(element)
    fn = resolve(env, function_arn, qualifier)
    if isinstance(fn, AwsError):
        return denied(fn)
    ctx: dict[str, Any] = {"lambda:Principal": principal}
    if function_url_auth_type is not None:
        ctx["lambda:FunctionUrlAuthType"] = function_url_auth_type
    check = _caller_check(env, caller, "lambda:AddPermission", fn.arn, ctx)
    if not check.allowed:
        return result([check], access_denied(check))
    if not fn.exists:
        return result([check], not_found(fn))
    if fn.qualifier == LATEST:
        return result([check], AwsError.of(INVALID_PARAMETER, LATEST_NOT_SUPPORTED))
    policy = env.function_policy_document(fn.base_arn)
    if revision_id is not None and revision_id != policy_revision_id(policy):
        return result([check], AwsError.of("PreconditionFailedException", REVISION_MISMATCH))
    statements = _statements(policy)
    if any(s.get("Sid") == statement_id and _belongs(s, fn.base_arn, fn.qualifier) for s in statements):
        return result([check], AwsError.of(RESOURCE_CONFLICT, f"The statement id ({statement_id}) provided already "
                                                              "exists. Please choose a new statement id, or remove "
                                                              "the existing statement."))
    statement = build_statement(statement_id, action, element, fn.arn, source_arn=source_arn,
                                source_account=source_account, principal_org_id=principal_org_id,
                                function_url_auth_type=function_url_auth_type,
                                event_source_token=event_source_token,
                                invoked_via_function_url=invoked_via_function_url)
    new_policy = {"Version": (policy or {}).get("Version", "2012-10-17"), "Id": (policy or {}).get("Id", "default"),
                  "Statement": statements + [statement]}
    size = len(json.dumps(_qualifier_policy(new_policy, fn.base_arn, fn.qualifier), separators=(",", ":")))
    if size > POLICY_SIZE_LIMIT:
        return result([check], AwsError.of("PolicyLengthExceededException",
                                           f"The final policy size ({size}) is bigger than the limit "
                                           f"({POLICY_SIZE_LIMIT})."))
    env.set_function_policy(fn.base_arn, new_policy)
    out = result([check], None)
    out.value = {"Statement": json.dumps(statement, separators=(",", ":"))}
    return out


def remove_permission(env: Environment, caller: str, function_arn: str, statement_id: str, *,
                      qualifier: str | None = None, revision_id: str | None = None) -> CheckResult:
    """RemovePermission: the statement leaves the policy; removing the last one removes the policy."""
    fn = resolve(env, function_arn, qualifier)
    if isinstance(fn, AwsError):
        return denied(fn)
    check = _caller_check(env, caller, "lambda:RemovePermission", fn.arn)
    if not check.allowed:
        return result([check], access_denied(check))
    if not fn.exists:
        return result([check], not_found(fn))
    policy = env.function_policy_document(fn.base_arn)
    if revision_id is not None and revision_id != policy_revision_id(policy):
        return result([check], AwsError.of("PreconditionFailedException", REVISION_MISMATCH))
    statements = _statements(policy)
    keep = [s for s in statements if not (s.get("Sid") == statement_id and _belongs(s, fn.base_arn, fn.qualifier))]
    if len(keep) == len(statements):
        return result([check], AwsError.of(RESOURCE_NOT_FOUND,
                                           f"Statement {statement_id} is not found in resource policy."))
    assert policy is not None
    env.set_function_policy(fn.base_arn, {**policy, "Statement": keep} if keep else None)
    return result([check], None)


def _qualifier_policy(policy: dict[str, Any] | None, base: str, qualifier: str | None) -> dict[str, Any] | None:
    statements = [s for s in _statements(policy) if _belongs(s, base, qualifier)]
    if not statements or policy is None:
        return None
    return {"Version": policy.get("Version", "2012-10-17"), "Id": policy.get("Id", "default"), "Statement": statements}


def get_policy(env: Environment, caller: str, function_arn: str, *, qualifier: str | None = None) -> CheckResult:
    """GetPolicy: `result.value` is `{"Policy": <JSON text>, "RevisionId": ...}` for the qualifier's statements."""
    fn = resolve(env, function_arn, qualifier)
    if isinstance(fn, AwsError):
        return denied(fn)
    check = _caller_check(env, caller, "lambda:GetPolicy", fn.arn)
    if not check.allowed:
        return result([check], access_denied(check))
    if not fn.exists:
        return result([check], not_found(fn))
    policy = env.function_policy_document(fn.base_arn)
    view = _qualifier_policy(policy, fn.base_arn, fn.qualifier)
    if view is None:
        return result([check], AwsError.of(RESOURCE_NOT_FOUND, NO_POLICY))
    out = result([check], None)
    out.value = {"Policy": json.dumps(view, separators=(",", ":")), "RevisionId": policy_revision_id(policy)}
    return out
