"""Lint rule: an action entry that another entry of the same statement already matches.

Exact repeats (case-insensitive) and entries covered by a wildcard of the same `Action` or
`NotAction` list are `REDUNDANT_ACTION`; of two equivalent wildcards only the later one is.
"""

from __future__ import annotations

from collections.abc import Iterable

from ... import patterns as pt
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import entries, has_wildcard
from .._common import example_policy as _policy
from ._shared import _ACTION_ELEMENTS


def check_redundant(doc: LintDocument) -> Iterable[Finding]:
    for path, _, raw in doc.statements():
        for element in _ACTION_ELEMENTS:
            items = [(p, v) for p, v in entries(path, raw, element) if isinstance(v, str) and "${" not in v]
            if len(items) < 2:
                continue
            lowered = [v.lower() for _, v in items]
            wild = [(j, pt.glob_tokens(v, variables=False)) for j, v in enumerate(lowered) if has_wildcard(v)]
            first_seen: dict[str, int] = {}
            for i, (entry_path, value) in enumerate(items):
                lower = lowered[i]
                earlier = first_seen.setdefault(lower, i)
                if earlier != i:
                    yield doc.finding(
                        "REDUNDANT_ACTION", entry_path,
                        f"`{value}` is listed twice in this statement (also as `{items[earlier][1]}`); remove it",
                    )
                    continue
                cover = _covering(i, lower, wild, lowered) if wild else None
                if cover is not None:
                    yield doc.finding(
                        "REDUNDANT_ACTION", entry_path,
                        f"`{value}` is already matched by `{items[cover][1]}` in this statement; remove it",
                    )


def _covering(i: int, lower: str, wild: list[tuple[int, pt.Glob]], lowered: list[str]) -> int | None:
    """Index of a wildcard entry (other than `i`) that covers entry `i`, if any."""
    mine = pt.glob_tokens(lower, variables=False)
    for j, theirs in wild:
        if j == i or not lower.startswith(theirs.head) or lowered[j] == lower:
            continue
        if mine.literal:
            if theirs.regex.fullmatch(lower):
                return j
        elif pt.covers(theirs, mine) and not (j > i and pt.covers(mine, theirs)):
            return j
    return None


RULES: tuple[Rule, ...] = (
    Rule(
        code="REDUNDANT_ACTION",
        severity=Severity.SUGGESTION,
        summary="An action already matched by another entry of the same statement.",
        learn_more="A wildcard such as `s3:Get*` already matches `s3:GetObject`, and repeated entries "
        "add nothing; removing them keeps the policy short and readable.",
        check=check_redundant,
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}),
        near_miss=_policy({"Effect": "Allow", "Action": ["s3:Get*", "s3:PutObject"], "Resource": "*"}),
    ),
)
