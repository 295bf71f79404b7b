"""Helpers every rule family needs, written once so that the families agree.

- `statement_name()`: how a message names a statement (its Sid, or its position), so that
  findings of different rules on one statement read alike.
- `matches_nothing()`: a statement with an empty `Action` or `Resource` list applies to no
  request; the redundancy and security rules both skip it.
- `example_policy()`: the document around a rule's example statements.
"""

from __future__ import annotations

from typing import Any

from ...model.policy import VERSION_2012, Statement


def statement_name(statement: Statement) -> str:
    return f"statement `{statement.sid}`" if statement.sid else f"statement {statement.index}"


def matches_nothing(statement: Statement) -> bool:
    return statement.action == [] or statement.resource == []


def example_policy(*statements: Any, version: str | None = VERSION_2012) -> dict[str, Any]:
    """`{"Version": "2012-10-17", "Statement": [...]}`; `version=None` leaves `Version` out."""
    out: dict[str, Any] = {} if version is None else {"Version": version}
    out["Statement"] = list(statements)
    return out
