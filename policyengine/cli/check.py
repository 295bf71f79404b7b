"""`policyengine check invoke|create-function|update-function-configuration|function-can ENV ...`.

Each verb is one `policyengine.lambda_rules` call; `--format json` prints exactly
`CheckResult.to_dict()`. Exit 0 allowed, 1 not allowed (any AWS error, including
ResourceNotFoundException for an unknown function), 2 bad input (unreadable environment, not a
function ARN, a malformed `--context`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Callable

from ..environment import Environment
from ..errors import PolicyEngineError
from ..lambda_rules import CheckResult, check_create_function, check_invoke, function_can
from ..lambda_rules.invoke import INVOCATION_TYPES
from . import render_check
from .errors import print_errors
from .limits_option import add_limit_option, limits_from


def _context_pair(text: str) -> tuple[str, Any]:
    """`KEY=VALUE`; a JSON list (`["a","b"]`) is a multi-valued key, anything else a string (as AWS sends it)."""
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"`{text}` is not KEY=VALUE")
    key, value = text.split("=", 1)
    if not key:
        raise argparse.ArgumentTypeError(f"`{text}` has no key")
    try:
        decoded = json.loads(value)
    except ValueError:
        return key, value
    return key, [str(v) for v in decoded] if isinstance(decoded, list) else value


def _context(pairs: list[tuple[str, Any]] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs or []:
        if key in out:  # repeated keys build a multi-valued key
            prev = out[key]
            out[key] = (prev if isinstance(prev, list) else [prev]) + (value if isinstance(value, list) else [value])
        else:
            out[key] = value
    return out


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("env", metavar="ENV", help="environment file (JSON or YAML)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_limit_option(parser)


def add_parser(verbs: Any) -> None:
    check = verbs.add_parser("check", help="decide a Lambda API call against an environment",
                             description="Decide a Lambda API call as AWS would, with AWS's error code and "
                             "message. Exit 0 allowed, 1 not allowed, 2 bad input.")
    sub = check.add_subparsers(dest="check_verb", metavar="CHECK")
    sub.required = True

    invoke = sub.add_parser("invoke", help="may CALLER invoke the function?")
    _common(invoke)
    invoke.add_argument("--caller", required=True, help="caller ARN, service principal or `*`")
    invoke.add_argument("--function", required=True, help="function ARN, optionally :QUALIFIER")
    invoke.add_argument("--invocation-type", default="RequestResponse", choices=INVOCATION_TYPES)
    invoke.add_argument("--source-arn", help="aws:SourceArn (for service principals)")
    invoke.add_argument("--source-account", help="aws:SourceAccount (for service principals)")
    invoke.add_argument("--context", action="append", type=_context_pair, metavar="KEY=VALUE",
                        help="extra request context (repeat a key for a multi-valued key)")
    invoke.set_defaults(run=_run(_invoke))

    for name, update in (("create-function", False), ("update-function-configuration", True)):
        p = sub.add_parser(name, help=f"may CALLER {'update' if update else 'create'} the function with ROLE?")
        _common(p)
        p.add_argument("--caller", required=True)
        p.add_argument("--function", required=True, help="unqualified function ARN")
        p.add_argument("--role", required=update is False, help="execution role ARN")
        p.add_argument("--subnet-id", action="append", default=[], metavar="ID")
        p.add_argument("--security-group-id", action="append", default=[], metavar="ID")
        p.add_argument("--vpc-id", help="the VPC of the subnets (fills lambda:VpcIds)")
        p.add_argument("--layer", action="append", default=[], metavar="ARN")
        p.add_argument("--dead-letter-target", metavar="ARN")
        p.set_defaults(run=_run(_create), update=update)

    can = sub.add_parser("function-can", help="may the function's execution role do ACTION on RESOURCE?")
    _common(can)
    can.add_argument("--function", required=True)
    can.add_argument("--action", required=True)
    can.add_argument("--resource", required=True)
    can.add_argument("--context", action="append", type=_context_pair, metavar="KEY=VALUE")
    can.set_defaults(run=_run(_function_can))


def _invoke(env: Environment, args: argparse.Namespace) -> CheckResult:
    return check_invoke(env, args.caller, args.function, invocation_type=args.invocation_type,
                        source_arn=args.source_arn, source_account=args.source_account,
                        context=_context(args.context))


def _create(env: Environment, args: argparse.Namespace) -> CheckResult:
    vpc = None
    if args.subnet_id or args.security_group_id:
        vpc = {"subnet_ids": args.subnet_id, "security_group_ids": args.security_group_id, "vpc_id": args.vpc_id}
    return check_create_function(env, args.caller, args.function, args.role, vpc_config=vpc, layers=args.layer,
                                 dead_letter_target=args.dead_letter_target, update=args.update)


def _function_can(env: Environment, args: argparse.Namespace) -> CheckResult:
    return function_can(env, args.function, args.action, args.resource, _context(args.context))


def _run(call: Callable[[Environment, argparse.Namespace], CheckResult]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            env = Environment.load(args.env, limits=limits_from(args))
            outcome = call(env, args)
        except PolicyEngineError as exc:
            print_errors(exc)
            return 2
        if args.format == "json":
            print(json.dumps(outcome.to_dict(), indent=2))
        else:
            render_check.check_result(outcome)
        return 0 if outcome.allowed else 1

    return run
