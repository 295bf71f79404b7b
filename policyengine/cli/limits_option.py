"""`--limit NAME=VALUE`: the caps of `policyengine.limits.Limits`, shared by every verb."""

from __future__ import annotations

import argparse
import difflib
from dataclasses import replace
from typing import Any

from ..limits import DEFAULT_LIMITS, Limits

NAMES = tuple(Limits.__dataclass_fields__)


def add_limit_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit", action="append", type=_assignment, metavar="NAME=VALUE", default=None,
        help="change a cap on input size (repeatable): " + ", ".join(
            f"{name} (default {getattr(DEFAULT_LIMITS, name):,})" for name in NAMES),
    )


def given_limits(args: argparse.Namespace) -> dict[str, int] | None:
    """The caps named on the command line (None when none was)."""
    return dict(args.limit) if args.limit else None


def limits_from(args: argparse.Namespace) -> Limits:
    """The defaults with the command line's changes."""
    return replace(DEFAULT_LIMITS, **(given_limits(args) or {}))


def _assignment(text: str) -> tuple[str, int]:
    name, equals, value = text.partition("=")
    name = name.strip().replace("-", "_")
    if not equals:
        raise argparse.ArgumentTypeError(f"`{text}` is not NAME=VALUE, e.g. max_document_bytes=2097152")
    if name not in NAMES:
        close = difflib.get_close_matches(name, NAMES, n=1)
        hint = f"; did you mean `{close[0]}`?" if close else f"; use one of {', '.join(NAMES)}"
        raise argparse.ArgumentTypeError(f"unknown limit `{name}`{hint}")
    number: Any = value.strip().replace("_", "")
    if not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"{name} must be a positive integer, not `{value}`")
    return name, int(number)
