"""`policyengine invoke ENV --caller ARN --function ARN[:QUALIFIER] [--payload JSON] [--invocation-type T]`.

Runs the function's handler (`"handler": "module:function"`, `"code_path"` relative to the
environment file) through an `Invoker` whose every step is authorized by the environment
(`EnvironmentAuthorizer`): the caller's `lambda:InvokeFunction`, then the handler in a worker
process, its `context.client` calls as the execution role, and for `Event` the retries and the
destination or DLQ delivery. An `Event` invocation is queued (202) and then waited for, at most
`--wait` seconds, so the async outcome can be reported; AWS's retry back-off (about 1 and 2
minutes) is scaled by `--backoff-scale` (0.01 by default: a one-shot command should not wait
minutes; pass 1 for AWS's delays). The invoker is always closed: no worker outlives the command.

`--source-arn` / `--source-account` set `aws:SourceArn` / `aws:SourceAccount` on the invoke
check (what S3, SNS or EventBridge send when they invoke a function).

`--format json` prints one object with always the same keys (see `report`). Exit 0 when the
function ran and succeeded (for `DryRun`: the caller may invoke it; for `Event`: the async
outcome is a success), 1 when the function failed (function error, timeout, or an `Event` that
ended on the failure path or was still pending after `--wait`) or Lambda refused the call (an
AWS error such as AccessDeniedException, TooManyRequestsException, ResourceNotFoundException:
its code and message are printed), 2 on bad input (unreadable environment, not a function ARN,
a payload that is not JSON, a function without a handler).
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from typing import Any

from ..environment import Environment
from ..errors import PolicyEngineError
from ..invoker import AsyncEvent, EnvironmentAuthorizer, InvokeResult, Invoker, LambdaServiceError
from ..invoker.runtime import INVOCATION_TYPES
from ..lambda_rules import check_invoke
from ..lambda_rules.functions import parse_function_arn
from . import render_invoke
from .errors import print_errors
from .limits_option import add_limit_option, limits_from


def add_parser(verbs: Any) -> None:
    parser = verbs.add_parser(
        "invoke", help="run a function of an environment file, every step authorized",
        description="Invoke a function of the environment as CALLER: the handler named in the file runs in "
        "a worker process, with the environment's authorization at every step. Exit 0 success, 1 a "
        "function error or an AWS error (AccessDenied, throttle, ...), 2 bad input.")
    parser.add_argument("env", metavar="ENV", help="environment file (JSON or YAML)")
    add_limit_option(parser)
    parser.add_argument("--caller", required=True, help="caller ARN or service principal")
    parser.add_argument("--function", required=True, help="function ARN, optionally :QUALIFIER")
    parser.add_argument("--payload", default="{}", metavar="JSON", help="the event, as JSON (default {})")
    parser.add_argument("--invocation-type", default="RequestResponse", choices=INVOCATION_TYPES)
    parser.add_argument("--source-arn", help="aws:SourceArn of the call (for service principals)")
    parser.add_argument("--source-account", help="aws:SourceAccount of the call (for service principals)")
    parser.add_argument("--wait", type=float, default=30.0, metavar="SECONDS",
                        help="Event: how long to wait for the async outcome (default 30)")
    parser.add_argument("--backoff-scale", type=float, default=0.01, metavar="FACTOR",
                        help="Event: factor on AWS's retry delays (default 0.01; 1 for real delays)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(run=run)


class _BadInput(Exception):
    pass


class _SourceAuthorizer(EnvironmentAuthorizer):
    """The environment's authorization, with the caller's `aws:SourceArn` / `aws:SourceAccount`."""

    def __init__(self, env: Environment, source_arn: str | None, source_account: str | None) -> None:
        super().__init__(env)
        self.source_arn, self.source_account = source_arn, source_account

    def check_invoke(self, caller: str, function_arn: str, invocation_type: str = "RequestResponse",
                     **options: Any) -> Any:
        # Same signature as the base class, so per-call options (`qualifier`, `context`, ...)
        # still reach `check_invoke`; this authorizer's source ARN/account apply unless given.
        options = {"source_arn": self.source_arn, "source_account": self.source_account, **options}
        return check_invoke(self.env, caller, function_arn, invocation_type=invocation_type, **options)


def _prepare(args: argparse.Namespace) -> tuple[Environment, Any]:
    """The environment and the event, or `_BadInput` / `PolicyEngineError` (exit 2)."""
    env = Environment.load(args.env, limits=limits_from(args))
    parse_function_arn(args.function)  # RuleInputError: not a function ARN
    try:
        event = json.loads(args.payload)
    except ValueError as exc:
        raise _BadInput(f"--payload is not JSON: {exc}") from None
    if args.wait < 0 or args.backoff_scale < 0:
        raise _BadInput("--wait and --backoff-scale must not be negative")
    record = env.function(args.function)
    if record is not None and args.invocation_type != "DryRun" and not record.handler:
        raise _BadInput(f"function `{record.arn}` has no `handler` in {args.env}")
    return env, event


def run(args: argparse.Namespace) -> int:
    try:
        env, event = _prepare(args)
    except PolicyEngineError as exc:
        print_errors(exc)
        return 2
    except _BadInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finished: dict[str, AsyncEvent] = {}
    authorizer = _SourceAuthorizer(env, args.source_arn, args.source_account)
    with Invoker(env, authorizer, backoff_scale=args.backoff_scale) as invoker:
        invoker.async_queue.on_finish.append(lambda e: finished.__setitem__(e.request_id, e))
        try:
            result = invoker.invoke(args.caller, args.function, event, args.invocation_type, log_type="Tail")
        except LambdaServiceError as exc:
            out = report(args, error=exc)
        except PolicyEngineError as exc:  # a request the rules cannot read
            print(f"{exc.location()}: {exc.message}", file=sys.stderr)
            return 2
        else:
            pending = None
            if args.invocation_type == "Event":
                invoker.wait_for_async(args.wait)
                pending = _async_report(invoker, finished.get(result.request_id))
            out = report(args, result=result, pending=pending)
    if args.format == "json":
        print(json.dumps(out, indent=2))
    else:
        render_invoke.invoke_report(out)
    return 0 if out["ok"] else 1


def report(args: argparse.Namespace, *, result: InvokeResult | None = None, error: LambdaServiceError | None = None,
           pending: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON object: every key always present (null when it does not apply)."""
    out: dict[str, Any] = {
        "ok": False, "caller": args.caller, "function": args.function, "invocation_type": args.invocation_type,
        "status_code": None, "error": None, "function_error": None, "payload": None, "executed_version": None,
        "request_id": None, "cold_start": None, "init_duration_ms": None, "duration_ms": None, "log_tail": None,
        "async": None,
    }
    if error is not None:
        out.update(status_code=error.status_code,
                   error={"code": error.code, "message": error.message, "reason": error.reason})
        return out
    assert result is not None
    out.update(status_code=result.status_code, executed_version=result.executed_version,
               request_id=result.request_id or None)
    if args.invocation_type == "RequestResponse":
        tail = base64.b64decode(result.log_result).decode("utf-8", "replace") if result.log_result else result.log
        out.update(ok=result.function_error is None, function_error=result.function_error, payload=result.payload,
                   cold_start=result.cold_start, init_duration_ms=_ms(result.init_duration_ms),
                   duration_ms=_ms(result.duration_ms), log_tail=tail)
    elif args.invocation_type == "Event":
        out.update(ok=pending is not None and pending["state"] == "success", executed_version=None,
                   **{"async": pending})
    else:  # DryRun: authorized, nothing ran
        out["ok"] = True
    return out


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _async_report(invoker: Invoker, event: AsyncEvent | None) -> dict[str, Any]:
    """What became of an Event invocation (state "pending" if it had not finished in time)."""
    if event is None or event.state is None:
        return {"state": "pending", "condition": None, "attempts": event.invoke_count if event else 0,
                "throttles": event.throttles if event else 0, "status_code": None, "function_error": None,
                "payload": None, "executed_version": None, "destination": None, "delivered": None}
    config = invoker.event_invoke_config(event.function_arn)
    target = {"success": config.on_success, "on_failure": config.on_failure,
              "dead_letter": config.dead_letter_target}.get(event.state)
    last = event.last
    delivered = None if target is None else any(
        t == target and _request_id_of(message) == event.request_id for _, t, message in list(invoker.deliveries))
    return {"state": event.state, "condition": event.condition, "attempts": event.invoke_count,
            "throttles": event.throttles, "status_code": last.status_code if last else None,
            "function_error": last.function_error if last else None, "payload": last.payload if last else None,
            "executed_version": last.executed_version if last else None, "destination": target,
            "delivered": delivered}


def _request_id_of(message: Any) -> str | None:
    if not isinstance(message, dict):
        return None
    if "requestContext" in message:  # a destination's invocation record
        return message["requestContext"].get("requestId")
    return message.get("attributes", {}).get("RequestID")  # a DLQ message
