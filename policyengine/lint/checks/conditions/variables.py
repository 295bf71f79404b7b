"""Lint rules: policy variables that are malformed, name no condition key, or sit in an
element where IAM never substitutes them.

A variable is `${key}` or `${key, 'default'}` (IAM User Guide, "IAM policy elements:
Variables and tags"); `${*}`, `${?}` and `${$}` are escapes. `variable_problems` reads each
`${` of a text once and gives each malformed variable exactly one code, so one mistake is
never reported twice: `EMPTY_VARIABLE` (`${}`), `MISSING_BRACE_IN_VARIABLE` (never closed),
`MISSING_QUOTE_IN_VARIABLE` (a default not in single quotes), `UNSUPPORTED_SYMBOL_IN_VARIABLE`
(a character no key name has, or a quote other than `'` around a default) and
`UNSUPPORTED_SPACE_IN_VARIABLE` (a space in the key part). Every text that the evaluator's
grammar (`grammars/variables.lark`) refuses gets one of these codes.

Decisions:
- Variable syntax is checked only under Version 2012-10-17, the only version in which IAM
  substitutes variables, and only where it substitutes them (Resource, NotResource, and
  String and Arn condition values); elsewhere the rules of `elements.version`,
  `conditions.values` and `VARIABLE_UNSUPPORTED_IN_ELEMENT` apply.
- Spaces: Access Analyzer refuses a space anywhere in the key part (`${ aws:username }`,
  `${aws:username , 'x'}`), while the space after the comma of a default is AWS's own
  style and spaces inside the quoted default are text. The evaluator accepts spaces around
  the key; the rule follows Access Analyzer, since a policy IAM may refuse is worth fixing.
- `VARIABLE_UNSUPPORTED_IN_ELEMENT` covers `Principal` / `NotPrincipal` values and condition
  keys, in every version (no version substitutes variables there). Variables in `Action` /
  `NotAction` are `VARIABLE_IN_ACTION` (the action rules), and in the values of Numeric,
  Date, Bool, IpAddress, Binary and Null conditions `INVALID_VARIABLE_FOR_OPERATOR`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ....evaluation.variables import TemplateSyntaxError, Variable, parse_template
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import entries, per_document
from ._shared import _domain_prefix, _policy, _resolve, _tag_template, _value_paths

# --- policy variables ------------------------------------------------------------------


def variable_texts(doc: LintDocument) -> Iterator[tuple[JsonPath, str]]:
    """Resource entries and String/Arn condition values that hold `${`: where IAM substitutes
    variables under 2012-10-17, whatever the document's version (`elements.version` reads
    them when variables are plain text)."""
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


# Characters of a key name, as `KEY` in grammars/variables.lark (tag keys add `_.:/+=@-`).
_KEY_CHAR = re.compile(r"[A-Za-z0-9_.:/+=@\-]")
_ESCAPES = ("*", "?", "$")
_BLANK = " \t\r\n"
# Characters written where the single quote of a default belongs.
_QUOTE_LOOKALIKES = frozenset("\"`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u2032")


@dataclass(frozen=True)
class VariableProblem:
    code: str
    variable: str  # the variable as written, from `${` to its `}` (or to where it stops)
    message: str  # what is wrong and how to write it


def variable_problems(text: str) -> list[VariableProblem]:
    """Each malformed `${...}` of `text`, with the one code that fits it."""
    out: list[VariableProblem] = []
    start = text.find("${")
    while start >= 0:
        close = _closing_brace(text, start + 2)
        if close is None:
            stop = text.find("${", start + 2)
            variable = text[start:stop if stop >= 0 else len(text)]
            out.append(VariableProblem(
                "MISSING_BRACE_IN_VARIABLE", variable,
                f"the policy variable `{variable}` is not closed; end it with `}}`",
            ))
            start = stop
            continue
        variable = text[start:close + 1]
        problem = _body_problem(variable, text[start + 2:close])
        if problem is not None:
            out.append(problem)
        start = text.find("${", close + 1)
    return out


def _closing_brace(text: str, at: int) -> int | None:
    """Index of the `}` that closes the variable whose body starts at `at`; None when a new
    `${` or the end of the text comes first. A single-quoted default may hold `}`."""
    comma = False
    index = at
    while index < len(text):
        char = text[index]
        if char == "}":
            return index
        if text.startswith("${", index):
            return None
        if char == "," and not comma:
            comma = True
            quote = index + 1
            while quote < len(text) and text[quote] in " \t":
                quote += 1
            if quote < len(text) and text[quote] == "'":
                end = text.find("'", quote + 1)
                if end > 0:
                    index = end + 1
                    continue
        index += 1
    return None


def _body_problem(variable: str, body: str) -> VariableProblem | None:
    if body in _ESCAPES:
        return None
    name, comma, default = body.partition(",")
    key = name.strip(_BLANK)
    if not key:
        what = "an empty policy variable" if not comma else "a default but no key"
        return VariableProblem(
            "EMPTY_VARIABLE", variable,
            f"`{variable}` is {what}; name a condition key, e.g. `${{aws:username}}`",
        )
    if key in _ESCAPES and not comma:
        return VariableProblem(
            "UNSUPPORTED_SPACE_IN_VARIABLE", variable,
            f"the escape `{variable}` has spaces; write `${{{key}}}`",
        )
    symbols = [c for c in key if not _KEY_CHAR.match(c) and c not in _BLANK]
    if symbols:
        return VariableProblem("UNSUPPORTED_SYMBOL_IN_VARIABLE", variable, _symbol_message(variable, key, symbols[0]))
    if key != name or any(c in _BLANK for c in key):
        fixed = "".join(c for c in key if c not in _BLANK)
        tail = f", {default.strip(_BLANK)}" if comma else ""
        return VariableProblem(
            "UNSUPPORTED_SPACE_IN_VARIABLE", variable,
            f"`{variable}` has a space in its key; IAM allows none there: write `${{{fixed}{tail}}}`",
        )
    if comma:
        return _default_problem(variable, key, default.strip(_BLANK))
    return None


def _symbol_message(variable: str, key: str, symbol: str) -> str:
    if symbol in "'\"" or symbol in _QUOTE_LOOKALIKES:
        return (f"`{symbol}` in `{variable}` is not part of a key name; a default value follows "
                f"the key after a comma: `${{{key.split(symbol)[0].strip(_BLANK)}, 'default'}}`")
    if symbol in "*?":
        return (f"`{symbol}` in `{variable}` is not a wildcard in a key name; name one key, "
                "e.g. `${aws:PrincipalTag/team}`")
    return (f"`{symbol}` in `{variable}` is not part of a condition key name (keys use letters, "
            "digits and `_ . : / + = @ -`); remove it")


def _default_problem(variable: str, key: str, default: str) -> VariableProblem | None:
    if len(default) >= 2 and default[0] in _QUOTE_LOOKALIKES and default[-1] in _QUOTE_LOOKALIKES:
        return VariableProblem(
            "UNSUPPORTED_SYMBOL_IN_VARIABLE", variable,
            f"the default of `{variable}` is quoted with `{default[0]}`; a default takes single "
            f"quotes: `${{{key}, '{default[1:-1]}'}}`",
        )
    if len(default) < 2 or default[0] != "'" or default[-1] != "'":
        bare = default.strip("'")
        example = f"`${{{key}, '{bare}'}}`" if bare else f"`${{{key}, 'default'}}`, or drop the comma"
        return VariableProblem(
            "MISSING_QUOTE_IN_VARIABLE", variable,
            f"the default of `{variable}` must begin and end with a single quote: write {example}",
        )
    if "'" in default[1:-1]:
        return VariableProblem(
            "UNSUPPORTED_SYMBOL_IN_VARIABLE", variable,
            f"the default of `{variable}` holds a single quote, which cannot be escaped; a default "
            "is one single-quoted text without `'`",
        )
    return None


def _texts_and_problems(doc: LintDocument) -> list[tuple[JsonPath, str, list[VariableProblem]]]:
    """Each text holding variables, with its problems (none when the version makes variables
    plain text): read once per document for the five syntax rules and `UNKNOWN_POLICY_VARIABLE`."""

    def build(doc: LintDocument) -> list[tuple[JsonPath, str, list[VariableProblem]]]:
        if not doc.policy.variables_enabled:
            return []
        return [(path, text, variable_problems(text)) for path, text in variable_texts(doc)]

    return per_document(doc, "variable_problems", build)  # type: ignore[no-any-return]


def _variable_findings(doc: LintDocument, code: str) -> Iterator[Finding]:
    """One finding of `code` per value: the first such variable (and how many more)."""
    for path, _, problems in _texts_and_problems(doc):
        found = [p for p in problems if p.code == code]
        if found:
            more = f" ({len(found) - 1} more in this value)" if len(found) > 1 else ""
            yield doc.finding(code, path, found[0].message + more, variable=found[0].variable)


def check_empty_variable(doc: LintDocument) -> Iterable[Finding]:
    return _variable_findings(doc, "EMPTY_VARIABLE")


def check_missing_brace(doc: LintDocument) -> Iterable[Finding]:
    return _variable_findings(doc, "MISSING_BRACE_IN_VARIABLE")


def check_missing_quote(doc: LintDocument) -> Iterable[Finding]:
    return _variable_findings(doc, "MISSING_QUOTE_IN_VARIABLE")


def check_unsupported_symbol(doc: LintDocument) -> Iterable[Finding]:
    return _variable_findings(doc, "UNSUPPORTED_SYMBOL_IN_VARIABLE")


def check_unsupported_space(doc: LintDocument) -> Iterable[Finding]:
    return _variable_findings(doc, "UNSUPPORTED_SPACE_IN_VARIABLE")


def check_variable_in_element(doc: LintDocument) -> Iterable[Finding]:
    for path, statement, raw in doc.statements():
        for element in ("Principal", "NotPrincipal"):
            for where, value in _principal_values(path + (element,), raw.get(element)):
                if "${" in value:
                    yield doc.finding(
                        "VARIABLE_UNSUPPORTED_IN_ELEMENT", where,
                        f"`{value}` holds a policy variable, but IAM substitutes variables only in "
                        f"`Resource` and in String and Arn condition values, so `{element}` takes it "
                        "as written and matches no principal; name the principals, or move the "
                        "variable into a condition such as `aws:PrincipalArn`",
                    )
        for entry in statement.condition:
            if "${" in entry.key:
                yield doc.finding(
                    "VARIABLE_UNSUPPORTED_IN_ELEMENT", path + ("Condition", entry.operator, entry.key),
                    f"the condition key `{entry.key}` holds a policy variable, but IAM never "
                    "substitutes variables in key names, so no request has this key; name the "
                    "key (e.g. `aws:ResourceTag/team`) and put the variable in its value",
                )


def _principal_values(path: JsonPath, value: object) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for kind, names in value.items():
            if isinstance(names, str):
                yield path + (kind,), names
            elif isinstance(names, list):
                for index, name in enumerate(names):
                    if isinstance(name, str):
                        yield path + (kind, index), name


def check_unknown_variable(doc: LintDocument) -> Iterable[Finding]:
    catalogue = doc.catalogue
    for path, text, _ in _texts_and_problems(doc):
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
        code="MISSING_QUOTE_IN_VARIABLE",
        severity=Severity.ERROR,
        summary="A policy variable default that is not in single quotes (`${aws:username, anonymous}`).",
        learn_more="A default value, used when the key has no value, is written after a comma in "
        "single quotes: `${aws:PrincipalTag/team, 'company-wide'}`. Without them IAM does not read "
        "the variable.",
        check=check_missing_quote,
        access_analyzer=True,
        example=_policy({}, resource="arn:aws:s3:::b/${aws:PrincipalTag/team, company-wide}/*"),
        near_miss=_policy({}, resource="arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*"),
    ),
    Rule(
        code="UNSUPPORTED_SYMBOL_IN_VARIABLE",
        severity=Severity.ERROR,
        summary="A character that cannot be in a policy variable (`${aws:user#name}`, a default in "
        "double or typographic quotes).",
        learn_more="The key of a variable is a condition key name (letters, digits and "
        "`_ . : / + = @ -`), and a default is quoted with `'` and cannot hold one. The message "
        "names the character and what to write instead.",
        check=check_unsupported_symbol,
        access_analyzer=True,
        example=_policy({}, resource='arn:aws:s3:::b/${aws:PrincipalTag/team, "company-wide"}/*'),
        near_miss=_policy({}, resource="arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*"),
    ),
    Rule(
        code="UNSUPPORTED_SPACE_IN_VARIABLE",
        severity=Severity.ERROR,
        summary="A space in the key part of a policy variable (`${ aws:username }`).",
        learn_more="IAM allows no space between `${` and the comma or closing brace; only the "
        "space after the comma of a default, and spaces inside the quoted default, are allowed: "
        "`${aws:PrincipalTag/team, 'company wide'}`.",
        check=check_unsupported_space,
        access_analyzer=True,
        example=_policy({}, resource="arn:aws:s3:::b/${ aws:username }/*"),
        near_miss=_policy({}, resource="arn:aws:s3:::b/${aws:username, 'no user'}/*"),
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
    Rule(
        code="VARIABLE_UNSUPPORTED_IN_ELEMENT",
        severity=Severity.ERROR,
        summary="A policy variable in `Principal`, `NotPrincipal` or a condition key, where IAM never "
        "substitutes it.",
        learn_more="IAM substitutes variables only in `Resource` / `NotResource` and in String and "
        "Arn condition values; anywhere else `${...}` is literal text that matches nothing. Put the "
        "variable in a condition value instead (`\"aws:ResourceTag/owner\": \"${aws:username}\"`). "
        "Variables in actions are VARIABLE_IN_ACTION, in other operators' values "
        "INVALID_VARIABLE_FOR_OPERATOR.",
        check=check_variable_in_element,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:ResourceTag/${aws:username}": "owner"}}),
        near_miss=_policy({"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}),
    ),
)
