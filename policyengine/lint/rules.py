"""Lint rules: small pure functions with metadata, registered in one ordered tuple.

A rule's metadata (code, severity, summary, learn-more text, a policy it flags and a
near miss it does not) generates docs/lint.md and drives its tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .finding import Finding, Severity

if TYPE_CHECKING:
    from .document import LintDocument

# Policy types the linter knows. `trust` is a role's trust policy (a resource policy).
POLICY_TYPES = ("identity", "resource", "trust", "scp", "rcp", "boundary")


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str  # one line: what the rule finds
    learn_more: str  # one or two sentences: why it matters and how to fix it
    check: Callable[[LintDocument], Iterable[Finding]]
    # A policy the rule must flag, and a near miss it must not (documents as dicts).
    example: dict[str, Any] = field(default_factory=dict)
    near_miss: dict[str, Any] = field(default_factory=dict)
    # Policy types the rule applies to (any iterable; stored as a frozenset); None means all.
    policy_types: frozenset[str] | None = None
    # Access Analyzer has a check with this same code.
    access_analyzer: bool = False
    # Policy type to lint the examples as, and the resource they are attached to (a resource
    # kind such as "s3:bucket", as the inputs report it), for rules that need one.
    example_policy_type: str = "identity"
    example_resource_kind: str | None = None

    def __post_init__(self) -> None:
        if self.policy_types is not None and not isinstance(self.policy_types, frozenset):
            object.__setattr__(self, "policy_types", frozenset(self.policy_types))

    def applies_to(self, policy_type: str) -> bool:
        return self.policy_types is None or policy_type in self.policy_types


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the fixed order findings are produced."""
    return _registry()[0]


def rule_for(code: str) -> Rule | None:
    return _registry()[1].get(code)


# `checks.RULES` and its rules by code, checked once for each tuple it holds (tests swap it).
_checked: tuple[tuple[Rule, ...], dict[str, Rule]] = ((), {})


def _registry() -> tuple[tuple[Rule, ...], dict[str, Rule]]:
    global _checked
    from .checks import RULES

    if _checked[0] is not RULES:
        by_code: dict[str, Rule] = {}
        for rule in RULES:
            if rule.code in by_code:
                raise RuntimeError(f"two lint rules share the code {rule.code}")
            by_code[rule.code] = rule
        _checked = (RULES, by_code)
    return _checked
