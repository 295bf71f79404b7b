"""`policyengine lint PATH... [--format text|json|sarif] [--fail-on ...] [--ignore CODE,...]`."""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Any

from ..errors import PolicyEngineError
from ..lint.finding import Severity
from ..lint.rules import POLICY_TYPES
from ..lint.runner import LintResult, lint_paths, load_options
from .errors import print_errors
from .limits_option import add_limit_option, given_limits

SEVERITIES = tuple(s.value.lower() for s in Severity)


def add_parser(verbs: Any) -> None:
    parser = verbs.add_parser(
        "lint",
        help="check policy documents for errors, risky grants and mistakes",
        description="Check IAM policy documents (files, folders, or - for stdin; JSON or YAML, "
        "CloudFormation, Terraform plans, AWS CLI output). Every finding is printed; exit code 1 "
        "when one is at or above --fail-on, 2 when an input or the configuration cannot be read. "
        "Settings may also live under [tool.policyengine.lint] in pyproject.toml.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (recursive) or - for stdin")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output format")
    parser.add_argument("--policy-type", choices=POLICY_TYPES, default=None,
                        help="lint every document as this policy type (default: inferred per document)")
    parser.add_argument("--select", metavar="JMESPATH", default=None,
                        help="pick the policy documents out of any other JSON shape")
    parser.add_argument("--fail-on", choices=SEVERITIES, default=None,
                        help="exit 1 when a finding at or above this severity is reported (default: error)")
    parser.add_argument("--min-severity", choices=SEVERITIES, default=None,
                        help="do not report findings less severe than this")
    parser.add_argument("--ignore", action="append", metavar="CODE,...", default=None,
                        help="do not report these codes (repeatable; adds to the configured ones)")
    parser.add_argument("--config", metavar="PYPROJECT", default=None,
                        help="read settings from this pyproject.toml (default: the nearest one upwards)")
    add_limit_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ignore = [code for value in args.ignore or () for code in value.split(",") if code.strip()] or None
    try:
        options = load_options(args.config, policy_type=args.policy_type, select=args.select,
                               fail_on=args.fail_on, min_severity=args.min_severity, ignore=ignore,
                               limits=given_limits(args))
    except PolicyEngineError as exc:
        print_errors(exc)
        return 2
    stdin, stdin_text = _read_stdin(options.limits.max_file_bytes) if "-" in args.paths else (None, None)
    try:
        result = lint_paths(args.paths, options, stdin=stdin)
    except PolicyEngineError as exc:  # e.g. a --select expression that does not compile
        print_errors(exc)
        return 2
    _print(result, args.format, stdin_text)
    for error in result.errors:
        print_errors(error)
    return result.exit_code()


def _read_stdin(cap: int) -> tuple[Any, str]:
    """Standard input read once, at most a byte past `cap` (the linter refuses what is over
    it): a stream for the linter (bytes, so bad UTF-8 is reported, not a crash) and its text
    for code frames."""
    data = getattr(sys.stdin, "buffer", sys.stdin).read(cap + 1)
    if isinstance(data, bytes):
        return io.BytesIO(data), data.decode("utf-8", "replace")
    return io.StringIO(data), data


def _print(result: LintResult, fmt: str, stdin_text: str | None) -> None:
    if fmt == "json":
        print(json.dumps(result.to_dict(), indent=2))
    elif fmt == "sarif":
        from ..lint.sarif import to_sarif

        print(json.dumps(to_sarif(result), indent=2))
    else:
        from ..lint.inputs import STDIN
        from . import render_lint

        render_lint.lint_result(result, sources={STDIN: stdin_text} if stdin_text is not None else None)
