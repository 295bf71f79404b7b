"""Lint results as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; `tool.driver.rules` describes every code a run can report (from the rules' own
metadata), each result points at its rule by id and index. Levels:

| severity           | SARIF level | why |
| ------------------ | ----------- | --- |
| `ERROR`            | `error`     | AWS refuses the policy, or it does not do what it says |
| `SECURITY_WARNING` | `warning`   | the policy works but grants too much; the rule is tagged `security` and carries a `security-severity` of 7.5 so GitHub ranks it *High* (and fails a code-scanning check on it by default) |
| `WARNING`          | `warning`   | |
| `SUGGESTION`       | `note`      | |

A result's location is the file (a URI relative to the working directory when the file is
under it) with the line and column of the offending node, plus a logical location naming
the node by its JSON path (`Statement[0].Action[2]`, prefixed by the document's own path
inside the file). Documents read from stdin have no file, so only the logical location.
Read errors (a file that cannot be read) become tool execution notifications.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import format_path
from .finding import Finding, Severity
from .rules import Rule
from .runner import LintResult, reported_rules

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_NAME = "policyengine"
PACKAGE = "iam-policyengine"

LEVELS = {
    Severity.ERROR: "error",
    Severity.SECURITY_WARNING: "warning",
    Severity.WARNING: "warning",
    Severity.SUGGESTION: "note",
}
SECURITY_SEVERITY = {Severity.SECURITY_WARNING: "7.5"}
STDIN_NAMES = ("-", "<stdin>")


def to_sarif(result: LintResult, *, cwd: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The SARIF log (a JSON-ready dict) of one lint run."""
    base = Path(cwd) if cwd is not None else Path.cwd()
    rules = reported_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = [_result(finding, index, base) for finding in result.findings]
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if result.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": f"{error.location()}: {error.message}"},
             "properties": {"code": error.code}}
            for error in result.errors
        ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "fullName": "policyengine lint (IAM policy linter)",
                "version": _version(),
                "semanticVersion": _version(),
                "rules": [_rule(rule) for rule in rules],
            }},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _version() -> str:
    try:
        from importlib.metadata import version

        return version(PACKAGE)
    except Exception:  # noqa: BLE001 - running from a checkout that is not installed
        return "0.0.0"


def _rule(rule: Rule) -> dict[str, Any]:
    tags = ["iam", "security" if rule.severity is Severity.SECURITY_WARNING else "correctness"]
    if rule.access_analyzer:
        tags.append("access-analyzer")
    properties: dict[str, Any] = {"tags": tags, "severity": rule.severity.value}
    if rule.severity in SECURITY_SEVERITY:
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    if rule.policy_types is not None:
        properties["policyTypes"] = sorted(rule.policy_types)
    return {
        "id": rule.code,
        "name": _camel(rule.code),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.learn_more or rule.summary},
        "help": {"text": f"{rule.summary} {rule.learn_more}".strip(),
                 "markdown": f"**{rule.code}** ({rule.severity.value}): {rule.summary}\n\n{rule.learn_more}".strip()},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def _camel(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("_"))


def _result(finding: Finding, index: dict[str, int], base: Path) -> dict[str, Any]:
    location: dict[str, Any] = {}
    uri = _uri(finding.file, base)
    if uri is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        if finding.line is not None and finding.line >= 1:
            region: dict[str, Any] = {"startLine": finding.line}
            if finding.column is not None and finding.column >= 1:
                region["startColumn"] = finding.column
            physical["region"] = region
        location["physicalLocation"] = physical
    full = tuple(finding.document) + tuple(finding.path)
    keys = [i for i, part in enumerate(full) if not isinstance(part, int)]
    location["logicalLocations"] = [{
        "name": format_path(full[keys[-1]:] if keys else full),  # "Action[2]"
        "fullyQualifiedName": format_path(full),
        "kind": "element",
    }]
    out: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"policyengine/v1": _fingerprint(finding)},
        "properties": {
            "severity": finding.severity.value,
            "document": list(finding.document),
            "path": list(finding.path),
            "policyType": finding.policy_type,
        },
    }
    if finding.code in index:
        out["ruleIndex"] = index[finding.code]
    return out


def _uri(file: str | None, base: Path) -> str | None:
    """A relative URI for a file under `base`, an absolute `file:` URI otherwise."""
    if not file or file in STDIN_NAMES:
        return None
    path = Path(file)
    try:
        relative = path.resolve().relative_to(base.resolve())
        return quote(relative.as_posix())
    except (ValueError, OSError):
        pass
    if not path.is_absolute():
        return quote(path.as_posix())
    return path.resolve().as_uri()


def _fingerprint(finding: Finding) -> str:
    """Stable across edits that move the finding (no line numbers): file, document, path, code."""
    key = "\x1f".join([finding.file or "", format_path(finding.document), format_path(finding.path), finding.code])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
