"""One policy document as the lint rules see it.

Rules read the lossless model (`policy`, with source positions) and the JSON value as
written (`raw`), and report through `finding()`, which fills in severity, learn-more
text and the location of the node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterator

from ..model.policy import PolicyDocument, Statement
from .finding import Finding, Severity

if TYPE_CHECKING:
    from .catalogue import Catalogue

JsonPath = tuple[str | int, ...]


@dataclass
class LintDocument:
    policy: PolicyDocument
    raw: dict[str, Any]
    policy_type: str  # identity, resource, trust, scp, rcp, boundary
    file: str | None = None
    # JSON path of the document inside its file ([] for a bare policy).
    document_path: JsonPath = ()
    # What the resource policy is attached to, when known (e.g. "lambda:function",
    # "s3:bucket", "sqs:queue", "sns:topic", "kms:key", "iam:role").
    resource_kind: str | None = None
    # Length of the document as AWS counts it (characters without whitespace outside strings).
    size: int | None = None
    _catalogue: Catalogue | None = field(default=None, repr=False)

    @cached_property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            from .catalogue import default_catalogue

            self._catalogue = default_catalogue()
        return self._catalogue

    def statements(self) -> Iterator[tuple[JsonPath, Statement, dict[str, Any]]]:
        """Each statement with its JSON path and its raw JSON object."""
        return iter(self._statement_rows)

    @cached_property
    def _statement_rows(self) -> list[tuple[JsonPath, Statement, dict[str, Any]]]:
        """What `statements()` yields, paired up once per document (every rule walks it)."""
        raw_statements = self.raw.get("Statement")
        if not isinstance(raw_statements, list):
            raw_statements = [raw_statements]
        rows = []
        for statement in self.policy.statements:
            raw = raw_statements[statement.index] if statement.index < len(raw_statements) else {}
            rows.append((self.policy.statement_path(statement.index), statement, raw if isinstance(raw, dict) else {}))
        return rows

    def finding(self, code: str, path: JsonPath, message: str, *, severity: Severity | None = None,
                learn_more: str | None = None, **extra: Any) -> Finding:
        from .rules import rule_for

        rule = rule_for(code)
        if rule is None and severity is None:
            raise KeyError(f"no lint rule has the code {code}")
        where = self.policy.location_of(tuple(path))
        return Finding(
            code=code,
            severity=severity or rule.severity,  # type: ignore[union-attr]
            message=message,
            learn_more=learn_more if learn_more is not None else (rule.learn_more if rule else ""),
            file=self.file,
            document=tuple(self.document_path),
            path=tuple(path),
            line=where[0] if where else None,
            column=where[1] if where else None,
            policy_type=self.policy_type,
            extra=dict(extra),
        )
