"""What the security rule modules share besides `_restrictions`: the grants they read, how
their messages list patterns, and the notes and example bucket of their documentation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ....model.policy import Statement
from ...document import JsonPath, LintDocument
from .._catalogued import join_names
from .._common import matches_nothing


def _grants(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, dict[str, Any]]]:
    for path, statement, raw in doc.statements():
        if statement.effect == "Allow" and not matches_nothing(statement):
            yield path, statement, raw


def _shown(patterns: Iterable[str]) -> str:
    return join_names(list(patterns), 3)


_DENY_NOTE = (
    " Not reported when a `Deny` in the same document already blocks the whole grant."
)
_WHO_NOTE = (
    " Not reported when the grant's own condition pins down who can use it, when a `Deny` "
    "covering the grant denies everyone outside such a set (e.g. `StringNotEquals` on "
    "`aws:PrincipalOrgID`), or when a `Deny` in the same document blocks the whole grant."
)

# the bucket the rules' examples grant access to
_BUCKET = "arn:aws:s3:::reports"
