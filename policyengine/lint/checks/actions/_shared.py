"""What the action rule modules share: the action entries and `Allow` statements they read,
the policy types whose `Allow` grants anything, and a case-sensitive glob matcher.

Actions and ARN patterns are compared lower-cased, with `*` and `?` as IAM reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from ....evaluation.wildcard import compile_glob
from ....model.policy import Statement
from ...document import JsonPath, LintDocument
from .._catalogued import entries

# An Allow in an SCP, RCP or permissions boundary grants nothing: only these grant.
_GRANTING = frozenset({"identity", "resource"})
_ACTION_ELEMENTS = ("Action", "NotAction")


def _action_entries(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, Any]]:
    """(path, statement, value) of every `Action` and `NotAction` entry as written."""
    for path, statement, raw in doc.statements():
        for element in _ACTION_ELEMENTS:
            for entry_path, value in entries(path, raw, element):
                yield entry_path, statement, value


def _allow_statements(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, dict[str, Any]]]:
    """The `Allow` statements that name their actions in `Action`."""
    for path, statement, raw in doc.statements():
        if statement.effect == "Allow" and statement.action is not None:
            yield path, statement, raw


@lru_cache(maxsize=8192)
def _glob(pattern: str) -> Any:
    """A case-sensitive matcher for a lower-cased action or ARN segment pattern."""
    return compile_glob(pattern)


def _includes(patterns: Iterable[Any], action: str) -> bool:
    """One of the action patterns matches `action` (lower case)."""
    return any(isinstance(p, str) and _glob(p.lower())(action) for p in patterns)


def _denied_everywhere(doc: LintDocument, action: str) -> bool:
    """A Deny with no condition blocks `action` (lower case) on every resource."""
    for statement in doc.policy.statements:
        if statement.effect != "Deny" or statement.condition or statement.action is None:
            continue
        if statement.resource is None or "*" not in statement.resource:
            continue
        if _includes(statement.action, action):
            return True
    return False
