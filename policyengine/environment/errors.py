"""The environment's error: a file or record that cannot be read, located where possible."""

from __future__ import annotations

from ..errors import ScenarioError


class EnvironmentError(ScenarioError):  # noqa: A001 - the package's own name for it
    """An environment file (or an imported AWS output) that cannot be read or resolved.

    A `ScenarioError` too, so callers that already catch scenario errors keep working.
    """

    code = "INVALID_ENVIRONMENT"
