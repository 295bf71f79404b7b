"""The result of an authorization: the decision and why.

`reasons` is for people (the first line is the verdict: which grant is missing or
which statement denied; then one line per policy type). `code`, `policy_types` and
`matched_statements` carry the same facts for machines.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

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


@dataclass(frozen=True)
class Decision:
    decision: str
    code: DecisionCode
    reasons: tuple[str, ...]
    matched_statements: tuple[StatementRef, ...] = ()
    missing_context_keys: tuple[str, ...] = ()
    policy_types: tuple[PolicyTypeResult, ...] = ()
    errors: tuple[str, ...] = ()
    trace: tuple[StatementTrace, ...] | None = field(default=None, compare=False)

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED

    @property
    def deciding_statements(self) -> tuple[StatementRef, ...]:
        return tuple(s for s in self.matched_statements if s.deciding)

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
