"""`policyengine` command line: argument parsing and dispatch only."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import check as check_verb
from . import invoke as invoke_verb
from . import lint as lint_verb
from . import simulate as simulate_verb


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policyengine",
        description="Evaluate AWS IAM policies exactly as AWS does, and explain every decision.",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    simulate_verb.add_parser(verbs)
    lint_verb.add_parser(verbs)
    check_verb.add_parser(verbs)
    invoke_verb.add_parser(verbs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 an expectation failed, 2 bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return int(args.run(args))


def entry_point() -> None:
    sys.exit(main())
