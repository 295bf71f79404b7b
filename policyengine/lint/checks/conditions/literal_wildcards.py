"""Lint rule: `*` or `?` in the value of a String operator that compares text exactly
(`StringEquals`, `StringNotEquals`, `StringEqualsIgnoreCase`, ...), where they are literal
characters and not wildcards.

Decisions:
- Only the String family: the Arn operators all match wildcards (`ArnEquals` behaves like
  `ArnLike`, as the IAM documentation states and the evaluator implements), and the other
  families cannot hold `*` at all (`DATA_TYPE_MISMATCH`).
- The escapes `${*}` and `${?}` are the documented way to write a literal `*` or `?` and are
  not reported; neither is text inside a policy variable.
- One finding per value, at the value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ....evaluation.conditions import Family, ResolvedOperator
from ....evaluation.variables import Literal, TemplateSyntaxError, parse_template
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from ._shared import _conditions, _policy, _resolve, _value_paths


def literal_text(value: Any, variables: bool) -> str:
    """The characters of `value` that are written as themselves (outside `${...}`)."""
    if not isinstance(value, str):
        return ""
    if not variables or "${" not in value:
        return value
    try:
        template = parse_template(value)
    except TemplateSyntaxError:
        return value
    return "".join(part.text for part in template.parts if isinstance(part, Literal))


def has_literal_wildcard(value: Any, variables: bool) -> bool:
    """`value` holds a `*` or `?` that an exact String operator compares as a character."""
    text = literal_text(value, variables)
    return "*" in text or "?" in text


def check_wildcard_without_like(doc: LintDocument) -> Iterable[Finding]:
    variables = doc.policy.variables_enabled
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.family is not Family.STRING or operator.spec.allows_wildcards:
            continue
        like = _like_name(operator)
        for value_path, value in _value_paths(entry, key_path):
            if has_literal_wildcard(value, variables):
                yield doc.finding(
                    "WILDCARD_WITHOUT_LIKE_OPERATOR", value_path,
                    f"`{entry.operator}` compares `{value}` character by character, so its `*`/`?` "
                    f"only match a literal `*`/`?`; to match a pattern use `{like}`, "
                    "and to mean the character itself write `${*}` or `${?}`",
                )


def _like_name(operator: ResolvedOperator) -> str:
    """The Like operator with the same prefix, negation and suffix as `operator`."""
    like = "StringNotLike" if operator.negated else "StringLike"
    prefix = f"{operator.set_qualifier.value}:" if operator.set_qualifier else ""
    return f"{prefix}{like}{'IfExists' if operator.if_exists else ''}"


RULES: tuple[Rule, ...] = (
    Rule(
        code="WILDCARD_WITHOUT_LIKE_OPERATOR",
        severity=Severity.WARNING,
        summary="A `*` or `?` in the value of `StringEquals` and the other exact String operators.",
        learn_more="Only `StringLike` and `StringNotLike` (and the Arn operators) treat `*` and `?` "
        "as wildcards; `StringEquals` compares them as characters, so `team-*` matches only the text "
        "`team-*`. Use a Like operator, or `${*}`/`${?}` to say that the character is meant.",
        check=check_wildcard_without_like,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:PrincipalTag/team": "dev-*"}}),
        near_miss=_policy({"StringLike": {"aws:PrincipalTag/team": "dev-*"},
                           "StringEquals": {"aws:ResourceTag/note": "a${*}b"}}),
    ),
)
