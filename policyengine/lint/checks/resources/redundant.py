"""Lint rule: a resource that another entry of the same statement already matches, or repeats."""

from __future__ import annotations

from collections.abc import Iterable

from ... import patterns as pt
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import entries, has_wildcard
from ._shared import _RESOURCE_ELEMENTS, _s3

# --- redundancy ------------------------------------------------------------------------


def check_redundant(doc: LintDocument) -> Iterable[Finding]:
    variables = doc.policy.variables_enabled
    for path, _, raw in doc.statements():
        for element in _RESOURCE_ELEMENTS:
            items = [(p, v) for p, v in entries(path, raw, element) if isinstance(v, str)]
            if len(items) < 2:
                continue
            wild = [(j, v) for j, (_, v) in enumerate(items) if has_wildcard(v) and not (variables and "${" in v)]
            first_seen: dict[str, int] = {}
            for i, (entry_path, value) in enumerate(items):
                cover = None
                earlier = first_seen.setdefault(value, i)
                if earlier != i:
                    yield doc.finding(
                        "REDUNDANT_RESOURCE", entry_path, f"`{value}` is listed twice in this statement; remove it",
                    )
                    continue
                if not (variables and "${" in value):
                    for j, other in wild:
                        if other == value:
                            continue
                        if pt.pattern_covers(other, value, variables=variables) and not (
                            j > i and pt.pattern_covers(value, other, variables=variables)
                        ):
                            cover = other
                            break
                if cover is not None:
                    yield doc.finding(
                        "REDUNDANT_RESOURCE", entry_path,
                        f"`{value}` is already matched by `{cover}` in this statement; remove it",
                    )

# --- rules -----------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        code="REDUNDANT_RESOURCE",
        severity=Severity.SUGGESTION,
        summary="A resource already matched by another entry of the same statement.",
        learn_more="A wildcard ARN such as `arn:aws:s3:::b/*` already matches `arn:aws:s3:::b/key`, and "
        "repeated entries add nothing; removing them keeps the policy short.",
        check=check_redundant,
        access_analyzer=True,
        example=_s3(["arn:aws:s3:::b/*", "arn:aws:s3:::b/reports/x.csv"]),
        near_miss=_s3(["arn:aws:s3:::b/*", "arn:aws:s3:::c/reports/x.csv"]),
    ),
)
