"""Lint rule: an action that no resource of its statement fits, so that the statement never allows it.

Decisions:
- `ACTION_RESOURCE_MISMATCH` (a warning) reports an action that none of its statement's
  resources fits, only when every action is known, every resource is a specific ARN,
  the action has resource types (IAM also matches some type-less actions against
  service-wide ARNs such as `arn:aws:s3:::*`), and no other Allow statement of the
  policy names the action. Several such actions of one statement make one finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ... import patterns as pt
from ...catalogue import Catalogue
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import (
    analyze_actions,
    analyze_pattern,
    entries,
    has_wildcard,
    join_names,
)
from ._shared import _s3
from .arn_shape import _examine

# --- fit with the statement's actions --------------------------------------------------


def check_action_resource_mismatch(doc: LintDocument) -> Iterable[Finding]:
    variables = doc.policy.variables_enabled
    catalogue = doc.catalogue
    for path, statement, raw in doc.statements():
        if statement.effect != "Allow" or not statement.resource or statement.not_resource is not None:
            continue
        resources = [r for r in statement.resource if isinstance(r, str)]
        if len(resources) != len(statement.resource):
            continue
        parsed = []
        for value in resources:
            segments = pt.split_arn(value, variables)
            if segments is None or has_wildcard(segments[2]) or (variables and "${" in segments[2]):
                break  # `*`, a non-ARN or an any-service ARN may fit anything
            if _examine(value, variables, catalogue) is not None or segments[4] == "aws":
                break  # reported by the structural rules, or an AWS-owned resource
            parsed.append(value)
        else:
            analysis = analyze_actions(doc, statement)
            if analysis is None or not analysis.all_known or analysis.unbounded:
                continue
            never: list[tuple[JsonPath, Any]] = []
            for entry_path, pattern in entries(path, raw, "Action"):
                if not isinstance(pattern, str) or has_wildcard(pattern):
                    continue
                action = analysis_for(pattern, catalogue)
                if action is None or not _never_granted(action, parsed, variables):
                    continue
                if not _allowed_elsewhere(doc, statement, pattern.lower()):
                    never.append((entry_path, action))
            if len(never) == 1:
                entry_path, action = never[0]
                yield doc.finding("ACTION_RESOURCE_MISMATCH", entry_path, _mismatch(action, parsed))
            elif never:
                names = [a.full_name for _, a in never]
                yield doc.finding(
                    "ACTION_RESOURCE_MISMATCH", path + ("Action",),
                    f"{len(names)} actions of this statement ({join_names(names, 4)}) act on none of its "
                    f"resources ({join_names(parsed, 2)}), so it never allows them; move them to a "
                    "statement with resources of their types",
                    actions=names,
                )


def _allowed_elsewhere(doc: LintDocument, statement: Any, action: str) -> bool:
    """Another Allow statement of the policy names the action (or a pattern covering it)."""
    for other in doc.policy.statements:
        if other is statement or other.effect != "Allow" or other.action is None:
            continue
        for pattern in other.action:
            if isinstance(pattern, str) and pt.covers(pt.glob_tokens(pattern.lower(), variables=False), pt.glob_tokens(action, variables=False)):
                return True
    return False


def analysis_for(pattern: str, catalogue: Catalogue) -> Any:
    """The one action a literal pattern names, or None."""
    result = analyze_pattern(pattern, catalogue)
    return result.actions[0] if result.status == "ok" and len(result.actions) == 1 else None


def _never_granted(action: Any, resources: list[str], variables: bool) -> bool:
    """None of `resources` fits a resource type of `action` (which has some)."""
    types = [t for t, _ in action.resource_types]
    if not types:
        # Granted on `*` in principle, but IAM also matches some such actions against
        # service-wide ARNs (`s3:ListAllMyBuckets` on `arn:aws:s3:::*`): not reported.
        return False
    return not any(t.matches(r, variables=variables) for t in types for r in resources)


def _mismatch(action: Any, resources: list[str]) -> str:
    types = [t for t, _ in action.resource_types]
    example = min((t.arn_template for t in types), key=len)
    return (
        f"`{action.full_name}` acts on {join_names(sorted({t.key for t in types}), 4)} "
        f"(e.g. `{example}`), but no resource of this statement ({join_names(resources, 2)}) is one, "
        "so it is never allowed here"
    )

# --- rules -----------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        code="ACTION_RESOURCE_MISMATCH",
        severity=Severity.WARNING,
        summary="An action that no resource of its statement fits, so the statement never allows it.",
        learn_more="Each action acts on certain resource types (`s3:GetObject` on objects, "
        "`s3:ListBucket` on buckets); when none of the statement's resources is of such a type the "
        "action is never allowed. Reported only for Allow statements whose actions are all known and "
        "whose resources are all specific ARNs, and not for actions without resource types.",
        check=check_action_resource_mismatch,
        example=_s3("arn:aws:s3:::my-bucket"),
        near_miss=_s3(["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"], ["s3:GetObject", "s3:ListBucket"]),
    ),
)
