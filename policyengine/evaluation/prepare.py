"""Turn a `Request` into what the evaluator needs, once per request.

Includes the context keys AWS itself sets for every request (global condition keys
documentation): aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
aws:username (IAM users only), aws:userid is left out (it needs unique IDs the
request does not carry), aws:PrincipalIsAWSService, aws:PrincipalServiceName,
aws:ResourceAccount, aws:RequestedRegion (from the resource ARN), aws:CurrentTime and
aws:EpochTime (now). Keys the request gives win; `fill_context=False` adds none.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

from ..errors import RequestError
from ..model.request import Request
from .arns import Arn
from .context import RequestContext
from .principals import PrincipalKind, RequestPrincipal, parse_principal


@dataclass(slots=True)
class PreparedRequest:
    request: Request
    principal: RequestPrincipal
    action: str  # lower-cased
    service: str  # lower-cased service prefix
    resource: str
    resource_arn: Arn | None
    resource_account: str | None
    context: RequestContext

    @property
    def same_account(self) -> bool:
        return self.principal.account is not None and self.principal.account == self.resource_account


def prepare(request: Request) -> PreparedRequest:
    if not isinstance(request.action, str) or ":" not in request.action:
        raise RequestError(f"`{request.action}` is not an action: write `service:Action`, e.g. `s3:GetObject`")
    action = request.action.lower()
    service = action.partition(":")[0]
    resource = request.resource if request.resource else "*"
    if not isinstance(resource, str):
        raise RequestError("the request's resource must be an ARN string or `*`")
    principal = parse_principal(request.principal)
    arn = Arn.parse(resource)
    resource_account = request.resource_account
    if resource_account is None:
        resource_account = (arn.account if arn is not None and arn.account else None) or principal.account
    if not isinstance(request.context, dict) and not hasattr(request.context, "items"):
        raise RequestError("the request's context must be a map of condition keys to values")
    ctx = RequestContext(request.context)  # RequestError for a key name that is not a string
    if request.fill_context:
        _fill(ctx, principal, resource_account, arn)
    return PreparedRequest(request, principal, action, service, resource, arn, resource_account, ctx)


_NOW: tuple[int, str] = (0, "")


def _now() -> tuple[int, str]:
    """Epoch seconds and ISO 8601 text of the current second (formatted once per second)."""
    global _NOW
    epoch = int(time.time())
    if _NOW[0] != epoch:
        _NOW = (epoch, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)))
    return _NOW


def _fill(ctx: RequestContext, who: RequestPrincipal, resource_account: str | None, arn: Arn | None) -> None:
    values = ctx.values
    for key, value in _principal_keys(who):
        if key not in values:
            values[key] = value
    if resource_account is not None and "aws:resourceaccount" not in values:
        values["aws:resourceaccount"] = resource_account
    if arn is not None and arn.region and "aws:requestedregion" not in values:
        values["aws:requestedregion"] = arn.region
    if "aws:currenttime" not in values or "aws:epochtime" not in values:
        epoch, text = _now()
        values.setdefault("aws:currenttime", text)
        values.setdefault("aws:epochtime", epoch)


@lru_cache(maxsize=4096)
def _principal_keys(who: RequestPrincipal) -> tuple[tuple[str, object], ...]:
    """The context keys AWS derives from the principal alone."""
    keys: list[tuple[str, object]] = []
    if who.kind is PrincipalKind.ANONYMOUS:
        keys.append(("aws:principaltype", "Anonymous"))
    elif who.kind is PrincipalKind.SERVICE:
        keys += [("aws:principalisawsservice", True), ("aws:principalservicename", who.service)]
    else:
        keys.append(("aws:principalisawsservice", False))
        if who.arn is not None:
            keys.append(("aws:principalarn", who.arn))
        if who.account is not None:
            keys.append(("aws:principalaccount", who.account))
        if who.kind is not PrincipalKind.WEB_IDENTITY:
            keys.append(("aws:principaltype", who.kind.value))
        if who.kind is PrincipalKind.USER and who.user_name:
            keys.append(("aws:username", who.user_name))
        if who.kind is PrincipalKind.WEB_IDENTITY and who.provider:
            keys.append(("aws:federatedprovider", who.provider))
    return tuple(keys)
