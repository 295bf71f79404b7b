"""One exception tree for the whole package.

Every error a user can cause carries a code, a one-sentence message and, where it
comes from a document, the file, line, column and JSON path of the offending node.
"""

from __future__ import annotations

from typing import Sequence

JsonPath = tuple[str | int, ...]


def format_path(path: Sequence[str | int]) -> str:
    """Render a JSON path the way people read it: `Statement[0].Action[2]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "$"


class PolicyEngineError(Exception):
    """Root of every error raised by policyengine."""

    code: str = "POLICY_ENGINE_ERROR"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: Sequence[str | int] = (),
        help: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.path: JsonPath = tuple(path)
        self.help = help

    def location(self) -> str:
        """`file:line:column` with whatever parts are known."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        at = f" (at {format_path(self.path)})" if self.path else ""
        return f"{where}: {self.message}{at}"

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": list(self.path),
            "help": self.help,
        }


class PolicySyntaxError(PolicyEngineError):
    """The text is not valid JSON (or YAML) as IAM reads it."""

    code = "SYNTAX_ERROR"


class PolicyValidationError(PolicyEngineError):
    """The document is well-formed but is not a policy AWS would accept.

    Validation collects every problem: `errors` lists them all, and the
    exception's own location is that of the first.
    """

    code = "VALIDATION_ERROR"

    def __init__(self, errors: Sequence[PolicyEngineError]) -> None:
        if not errors:
            raise ValueError("PolicyValidationError needs at least one error")
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        super().__init__(
            first.message + more,
            code=first.code,
            file=first.file,
            line=first.line,
            column=first.column,
            path=first.path,
            help=first.help,
        )
        self.errors: list[PolicyEngineError] = list(errors)


class RequestError(PolicyEngineError):
    """A request (principal, action, resource, context) that cannot be evaluated."""

    code = "INVALID_REQUEST"


class ScenarioError(PolicyEngineError):
    """A scenario file that cannot be read or is missing required parts."""

    code = "INVALID_SCENARIO"
