"""The result of an authorization: the decision and why.

`reasons` is for people (the first line is the verdict: which grant is missing or
which statement denied; then one line per policy type). `code`, `policy_types` and
`matched_statements` carry the same facts for machines.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Callable

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"

POLICY_TYPES = ("identity", "resource", "permissions_boundary", "session", "scp", "rcp", "vpc_endpoint")


class DecisionCode(str, enum.Enum):
    """What decided, as a stable machine-readable code."""

    ALWAYS_ALLOWED = "ALWAYS_ALLOWED"
    ALLOWED = "ALLOWED"
    EXPLICIT_DENY = "EXPLICIT_DENY"
    NOT_PRINCIPAL_WITH_BOUNDARY = "NOT_PRINCIPAL_WITH_BOUNDARY"
    NO_RCP_ALLOW = "NO_RCP_ALLOW"
    NO_SCP_ALLOW = "NO_SCP_ALLOW"
    NO_VPC_ENDPOINT_ALLOW = "NO_VPC_ENDPOINT_ALLOW"
    NO_TRUST_POLICY_ALLOW = "NO_TRUST_POLICY_ALLOW"
    NO_KEY_POLICY_ALLOW = "NO_KEY_POLICY_ALLOW"
    NO_RESOURCE_POLICY_ALLOW = "NO_RESOURCE_POLICY_ALLOW"
    NO_IDENTITY_ALLOW = "NO_IDENTITY_ALLOW"
    NO_BOUNDARY_ALLOW = "NO_BOUNDARY_ALLOW"
    NO_SESSION_ALLOW = "NO_SESSION_ALLOW"
    EVALUATION_ERROR = "EVALUATION_ERROR"


@dataclass(frozen=True, slots=True)
class StatementRef:
    """A statement that matched the request (or, with `explain`, one that did not)."""

    policy_type: str
    policy_name: str
    statement_index: int
    sid: str | None
    effect: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = ()
    deciding: bool = False

    def label(self) -> str:
        sid = f" `{self.sid}`" if self.sid else ""
        where = ""
        if self.line is not None:
            where = f" at line {self.line}" if self.file == self.policy_name else \
                f" at {self.file}:{self.line}:{self.column}"
        return f"{self.policy_name} statement {self.statement_index}{sid}{where}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_type": self.policy_type,
            "policy_name": self.policy_name,
            "statement_index": self.statement_index,
            "sid": self.sid,
            "effect": self.effect,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": list(self.path),
            "deciding": self.deciding,
        }


@dataclass(frozen=True, slots=True)
class PolicyTypeResult:
    """What one policy type contributed."""

    policy_type: str
    applies: bool
    allows: bool
    denies: bool
    summary: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_type": self.policy_type,
            "applies": self.applies,
            "allows": self.allows,
            "denies": self.denies,
            "summary": self.summary,
        }


@dataclass(frozen=True, slots=True)
class StatementTrace:
    """Explain mode: one statement's outcome and, if it did not match, which element failed."""

    statement: StatementRef
    matched: bool
    failed_element: str | None  # "action", "resource", "principal", "condition", "error"
    detail: str
    conditions: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.statement.to_dict(),
            "matched": self.matched,
            "failed_element": self.failed_element,
            "detail": self.detail,
            "conditions": list(self.conditions),
        }


class Decision:
    """The decision, and why.

    `decision`, `code`, `headline` and `missing_context_keys` are computed with the
    decision; `reasons`, `matched_statements`, `policy_types` and `errors` are built
    from the evaluation's buckets on first access, so callers that only need the
    answer do not pay for the explanation.
    """

    __slots__ = ("decision", "code", "headline", "missing_context_keys", "trace", "_explain", "_details")

    def __init__(
        self,
        decision: str,
        code: DecisionCode,
        headline: str,
        *,
        missing_context_keys: tuple[str, ...] = (),
        explain: Callable[[], tuple[tuple[StatementRef, ...], tuple[PolicyTypeResult, ...], tuple[str, ...]]]
        | None = None,
        errors: tuple[str, ...] = (),
        trace: tuple[StatementTrace, ...] | None = None,
    ) -> None:
        self.decision = decision
        self.code = code
        self.headline = headline
        self.missing_context_keys = missing_context_keys
        self.trace = trace
        self._explain = explain
        self._details: tuple[tuple[StatementRef, ...], tuple[PolicyTypeResult, ...], tuple[str, ...]] | None = (
            None if explain is not None else ((), (), errors)
        )

    def _get_details(self) -> tuple[tuple[StatementRef, ...], tuple[PolicyTypeResult, ...], tuple[str, ...]]:
        if self._details is None:
            assert self._explain is not None
            self._details = self._explain()
            self._explain = None
        return self._details

    @property
    def matched_statements(self) -> tuple[StatementRef, ...]:
        return self._get_details()[0]

    @property
    def policy_types(self) -> tuple[PolicyTypeResult, ...]:
        return self._get_details()[1]

    @property
    def errors(self) -> tuple[str, ...]:
        return self._get_details()[2]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The verdict first (the deciding deny or the missing grant), then one line per policy type."""
        return (self.headline, *(t.summary for t in self.policy_types))

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED

    @property
    def deciding_statements(self) -> tuple[StatementRef, ...]:
        return tuple(s for s in self.matched_statements if s.deciding)

    def with_trace(self, trace: tuple[StatementTrace, ...]) -> Decision:
        self.trace = trace
        return self

    def __repr__(self) -> str:
        return f"Decision({self.decision!r}, {self.code.value}, {self.headline!r})"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "decision": self.decision,
            "code": self.code.value,
            "reasons": list(self.reasons),
            "matched_statements": [s.to_dict() for s in self.matched_statements],
            "missing_context_keys": list(self.missing_context_keys),
            "policy_types": [p.to_dict() for p in self.policy_types],
            "errors": list(self.errors),
        }
        if self.trace is not None:
            out["trace"] = [t.to_dict() for t in self.trace]
        return out
