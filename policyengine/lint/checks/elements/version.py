"""Lint rules: `Version`, and policy variables in a policy whose version makes them plain text."""

from __future__ import annotations

from collections.abc import Iterator

from ....evaluation.variables import TemplateSyntaxError, Variable, parse_template
from ....model.policy import VERSION_2008
from ...document import JsonPath, LintDocument
from ...finding import Finding
from ...rules import Rule
from .._common import example_policy as _policy
from ..conditions.variables import variable_texts
from ._shared import _E, _GET, _W, _rule

# -- Version and policy variables ------------------------------------------------------------


def _check_missing_version(doc: LintDocument) -> Iterator[Finding]:
    if "Version" not in doc.raw:
        yield doc.finding(
            "MISSING_VERSION",
            (),
            'the policy has no `Version`: add "Version": "2012-10-17" as its first element, '
            "without it policy variables such as `${aws:username}` are plain text",
        )


def _check_old_version(doc: LintDocument) -> Iterator[Finding]:
    if doc.policy.version == VERSION_2008:
        yield doc.finding(
            "OLD_VERSION",
            ("Version",),
            "`Version` is `2008-10-17`, the old policy language, in which policy variables are "
            'plain text; use "Version": "2012-10-17"',
        )


def _variables_in(text: str) -> list[Variable]:
    try:
        return list(parse_template(text).variables)
    except TemplateSyntaxError:
        return []  # malformed variables are the variable-syntax rules' business


def _variable_places(doc: LintDocument) -> Iterator[tuple[JsonPath, str, Variable]]:
    """Where variables would be substituted under 2012-10-17: Resource and String/Arn values."""
    for where, text in variable_texts(doc):
        for variable in _variables_in(text):
            yield where, text, variable


def _check_variables_in_version(doc: LintDocument) -> Iterator[Finding]:
    if doc.policy.variables_enabled:
        return
    version = "has no `Version`" if doc.policy.version is None else "has `Version` 2008-10-17"
    for where, text, variable in _variable_places(doc):
        yield doc.finding(
            "VARIABLE_UNSUPPORTED_IN_VERSION",
            where,
            f"`${{{variable.key}}}` in `{text}` is plain text, not a policy variable, because the "
            f'policy {version}; set "Version": "2012-10-17"',
        )


# -- the rules -------------------------------------------------------------------------------


RULES: tuple[Rule, ...] = (
    _rule(
        "MISSING_VERSION",
        _W,
        "The policy has no `Version`.",
        "Without `Version` AWS reads the policy in the 2008-10-17 language, where policy variables "
        'are plain text; start every policy with "Version": "2012-10-17".',
        _check_missing_version,
        _policy(_GET, version=None),
        _policy(_GET),
    ),
    _rule(
        "OLD_VERSION",
        _W,
        "`Version` is `2008-10-17`.",
        "The 2008-10-17 policy language has no policy variables (`${aws:username}` stays plain "
        'text) and misses newer features; use "Version": "2012-10-17".',
        _check_old_version,
        _policy(_GET, version=VERSION_2008),
        _policy(_GET),
        access_analyzer=False,
    ),
    _rule(
        "VARIABLE_UNSUPPORTED_IN_VERSION",
        _E,
        "A policy variable in a policy without `Version` 2012-10-17, where it is plain text.",
        "AWS substitutes policy variables only under Version 2012-10-17; under 2008-10-17 or "
        "without `Version`, `${aws:username}` is matched literally, so the statement never matches "
        'what was meant. Add "Version": "2012-10-17".',
        _check_variables_in_version,
        _policy({**_GET, "Resource": "arn:aws:s3:::home/${aws:username}/*"}, version=None),
        _policy({**_GET, "Resource": "arn:aws:s3:::home/${aws:username}/*"}),
    ),
)
