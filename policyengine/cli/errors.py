"""Input errors on standard error, as every verb prints them: `file:line:column: message`."""

from __future__ import annotations

import sys

from ..errors import PolicyEngineError, PolicyValidationError


def print_errors(exc: PolicyEngineError) -> None:
    """One line per problem (each of a `PolicyValidationError`'s, else the error itself)."""
    for err in exc.errors if isinstance(exc, PolicyValidationError) else [exc]:
        print(f"{err.location()}: {err.message}", file=sys.stderr)
