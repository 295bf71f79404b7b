"""`policyengine simulate FILE... [--format text|json] [--explain]`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import PolicyEngineError
from ..simulate import simulate_file
from . import render
from .errors import print_errors
from .limits_option import add_limit_option, limits_from


def add_parser(verbs: Any) -> None:
    parser = verbs.add_parser(
        "simulate",
        help="decide the request of each scenario file",
        description="Decide the request of each scenario file (JSON or YAML). Exit code 1 when a "
        "decision differs from the scenario's `expect`, 2 when a file cannot be read.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario files")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--explain", action="store_true",
                        help="also show every statement and which element failed to match")
    add_limit_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    results: list[dict[str, Any]] = []
    errors: list[PolicyEngineError] = []
    limits = limits_from(args)
    for file in args.files:
        try:
            result, _ = simulate_file(file, explain=args.explain, limits=limits)
        except PolicyEngineError as exc:
            errors.append(exc)
            results.append({"name": file, "error": exc.to_dict()})
            continue
        results.append(result)
    if args.format == "json":
        print(json.dumps(results, indent=2))
    else:
        render.scenarios(results, explain=args.explain)
    for error in errors:
        print_errors(error)
    if errors:
        return 2
    return 1 if any(r.get("passed") is False for r in results) else 0
