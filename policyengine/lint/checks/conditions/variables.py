"""Lint rules: policy variables that are empty, unclosed or name no condition key.

Decisions:
- Policy variables are checked only under Version 2012-10-17, the only version in which
  IAM substitutes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ....evaluation.variables import TemplateSyntaxError, Variable, parse_template
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import entries
from ._shared import _domain_prefix, _policy, _resolve, _tag_template, _value_paths

# --- policy variables ------------------------------------------------------------------


def _variable_texts(doc: LintDocument) -> Iterator[tuple[JsonPath, str]]:
    """Resource entries and String/Arn condition values that may hold variables."""
    if not doc.policy.variables_enabled:
        return
    for path, statement, raw in doc.statements():
        for element in ("Resource", "NotResource"):
            for entry_path, value in entries(path, raw, element):
                if isinstance(value, str) and "${" in value:
                    yield entry_path, value
        for entry in statement.condition:
            operator = _resolve(entry.operator)
            if operator is None or not operator.spec.allows_variables:
                continue
            key_path = path + ("Condition", entry.operator, entry.key)
            for value_path, value in _value_paths(entry, key_path):
                if isinstance(value, str) and "${" in value:
                    yield value_path, value


def check_empty_variable(doc: LintDocument) -> Iterable[Finding]:
    for path, text in _variable_texts(doc):
        if re.search(r"\$\{\s*\}", text):
            yield doc.finding(
                "EMPTY_VARIABLE", path,
                f"`{text}` has an empty policy variable `${{}}`; name a key, e.g. `${{aws:username}}`",
            )


def check_missing_brace(doc: LintDocument) -> Iterable[Finding]:
    for path, text in _variable_texts(doc):
        tail = text[text.rfind("${"):]
        if "}" not in tail:
            yield doc.finding(
                "MISSING_BRACE_IN_VARIABLE", path,
                f"the policy variable in `{text}` is not closed; end it with `}}`",
            )


def check_unknown_variable(doc: LintDocument) -> Iterable[Finding]:
    catalogue = doc.catalogue
    for path, text in _variable_texts(doc):
        try:
            template = parse_template(text)
        except TemplateSyntaxError:
            continue
        for part in template.parts:
            if not isinstance(part, Variable) or _domain_prefix(part.key) or ":" not in part.key:
                continue
            if catalogue.condition_key(part.key) is not None or _tag_template(part.key):
                continue
            suggestion = catalogue.suggest_condition_key(part.key)
            hint = f"; did you mean `${{{suggestion}}}`?" if suggestion else ""
            yield doc.finding(
                "UNKNOWN_POLICY_VARIABLE", path,
                f"`${{{part.key}}}` in `{text}` names no condition key, so it never has a value and "
                f"this entry matches nothing{hint}",
                suggestion=suggestion,
            )


# --- rules -----------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        code="EMPTY_VARIABLE",
        severity=Severity.ERROR,
        summary="An empty policy variable `${}`.",
        learn_more="A policy variable names a condition key, e.g. `${aws:username}`.",
        check=check_empty_variable,
        access_analyzer=True,
        example=_policy({}, resource="arn:aws:s3:::b/${}/*"),
        near_miss=_policy({}, resource="arn:aws:s3:::b/${aws:username}/*"),
    ),
    Rule(
        code="MISSING_BRACE_IN_VARIABLE",
        severity=Severity.ERROR,
        summary="A policy variable that is never closed (`${aws:username`).",
        learn_more="A policy variable is `${key}`; without the closing brace IAM does not substitute it.",
        check=check_missing_brace,
        access_analyzer=True,
        example=_policy({}, resource="arn:aws:s3:::b/${aws:username/*"),
        near_miss=_policy({}, resource="arn:aws:s3:::b/${aws:username}/*"),
    ),
    Rule(
        code="UNKNOWN_POLICY_VARIABLE",
        severity=Severity.ERROR,
        summary="A policy variable that names no condition key (`${aws:user}`).",
        learn_more="A variable is replaced with the value of the condition key it names; a key that "
        "does not exist never has a value, so the entry matches nothing. The message suggests the "
        "closest key.",
        check=check_unknown_variable,
        example=_policy({}, resource="arn:aws:s3:::b/${aws:user}/*"),
        near_miss=_policy({}, resource="arn:aws:s3:::b/${aws:username}/*"),
    ),
)
