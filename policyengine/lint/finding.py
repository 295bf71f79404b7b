"""Lint findings: Access Analyzer's model (severity, stable code, JSON path) plus location."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """Access Analyzer's finding types, most severe first."""

    ERROR = "ERROR"
    SECURITY_WARNING = "SECURITY_WARNING"
    WARNING = "WARNING"
    SUGGESTION = "SUGGESTION"

    @property
    def rank(self) -> int:
        """0 for ERROR up to 3 for SUGGESTION."""
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        """True when this severity is `other` or more severe."""
        return self.rank <= other.rank

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().upper().replace("-", "_"))
        except ValueError:
            names = ", ".join(s.value.lower() for s in cls)
            raise ValueError(f"`{text}` is not a severity; use one of {names}") from None


_RANK = {Severity.ERROR: 0, Severity.SECURITY_WARNING: 1, Severity.WARNING: 2, Severity.SUGGESTION: 3}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    learn_more: str = ""
    file: str | None = None
    # JSON path of the policy document inside the file ([] for a bare policy).
    document: tuple[str | int, ...] = ()
    # JSON path of the offending node inside the document.
    path: tuple[str | int, ...] = ()
    line: int | None = None
    column: int | None = None
    policy_type: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file or "", self.line or 0, self.column or 0, self.severity.rank, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "document": list(self.document),
            "path": list(self.path),
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "learn_more": self.learn_more,
            "policy_type": self.policy_type,
        }
