"""The two ways a condition can fail: at compile time, or on a badly typed request."""

from __future__ import annotations

from typing import Any, Sequence

from ...errors import PolicyEngineError


class ConditionCompileError(PolicyEngineError, ValueError):
    """A Condition block AWS would not accept: unknown operator, bad value, ...

    `path` is relative to the statement: `("Condition", operator, key)`, plus the value
    index when the key's values were written as a list. `code` follows Access
    Analyzer's names where one exists (`INVALID_CONDITION_OPERATOR`,
    `NULL_WITH_IF_EXISTS`, `TYPE_MISMATCH_NUMBER`, ...). When a block has several
    problems, `errors` lists them all (this error is the first).
    """

    code = "INVALID_CONDITION"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        path: Sequence[str | int] = (),
        help: str | None = None,
    ) -> None:
        super().__init__(message, code=code, path=path, help=help)
        self.errors: list[ConditionCompileError] = [self]


class ConditionEvaluationError(PolicyEngineError, ValueError):
    """A request value of the wrong type for its operator (`"abc"` for a Numeric key).

    Raised by `CompiledConditions.matches`; the decision flow must treat the statement
    as failed closed (it can never make a request `allowed`).
    """

    code = "CONDITION_TYPE_ERROR"

    def __init__(
        self,
        message: str,
        *,
        operator: str,
        key: str,
        value: Any,
        path: Sequence[str | int] = (),
    ) -> None:
        super().__init__(message, path=path)
        self.operator = operator
        self.key = key
        self.value = value
