"""`policyengine lint`: validate policy documents (Access Analyzer's checks and more), offline.

    from policyengine.lint import lint_paths
    result = lint_paths(["policies/"], fail_on="warning")
    for finding in result.findings:
        print(finding.file, finding.line, finding.code, finding.message)
    result.exit_code()   # 0, 1 (a finding at or above fail_on) or 2 (an unreadable input)
"""

from __future__ import annotations

from .finding import Finding, Severity
from .rules import POLICY_TYPES, Rule, all_rules
from .runner import (
    LintConfigError,
    LintOptions,
    LintResult,
    lint_paths,
    lint_policy,
    lint_targets,
    load_options,
    reported_rules,
)

__all__ = [
    "POLICY_TYPES",
    "Finding",
    "LintConfigError",
    "LintOptions",
    "LintResult",
    "Rule",
    "Severity",
    "all_rules",
    "lint_paths",
    "lint_policy",
    "lint_targets",
    "load_options",
    "reported_rules",
]
