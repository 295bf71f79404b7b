"""What the condition rule modules share: walking a document's conditions and their values,
resolving operators, looking keys up in the catalogue, and the policy their examples use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ....evaluation.conditions import (
    ConditionCompileError,
    ResolvedOperator,
    lookup_operator,
)
from ....model.policy import ConditionEntry, Statement
from ...catalogue import ConditionKeyInfo
from ...document import JsonPath, LintDocument
from .._common import example_policy


def _resolve(operator: str) -> ResolvedOperator | None:
    try:
        return lookup_operator(operator)
    except ConditionCompileError:
        return None


def _operators(doc: LintDocument) -> Iterator[tuple[JsonPath, str]]:
    """(operator path, operator name) for each operator of each statement, once however many
    keys it has: for findings about the operator itself."""
    for path, statement, _ in doc.statements():
        for operator in dict.fromkeys(entry.operator for entry in statement.condition):
            yield path + ("Condition", operator), operator


def _conditions(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, ConditionEntry, JsonPath]]:
    """(statement path, statement, entry, key path) for every (operator, key)."""
    for path, statement, _ in doc.statements():
        for entry in statement.condition:
            yield path, statement, entry, path + ("Condition", entry.operator, entry.key)


def _value_paths(entry: ConditionEntry, key_path: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    for index, value in enumerate(entry.values):
        yield (key_path + (index,) if entry.is_list else key_path), value


def _domain_prefix(key: str) -> bool:
    prefix = key.split(":", 1)[0]
    return "." in prefix or "/" in prefix


def _key_info(doc: LintDocument, key: str) -> ConditionKeyInfo | None:
    return doc.catalogue.condition_key(key)


def _tag_template(key: str) -> str | None:
    """The tag template a key lacks its `/tag-key` for (`aws:ResourceTag` -> ...), if any."""
    lower = key.lower()
    for name in ("aws:ResourceTag", "aws:RequestTag", "aws:PrincipalTag"):
        if lower in (name.lower(), name.lower() + "/"):
            return name
    return None


def _policy(condition: dict[str, Any], *, action: Any = "s3:GetObject", effect: str = "Allow",
            resource: Any = "arn:aws:s3:::b/*") -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": effect, "Action": action, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return example_policy(statement)
