"""Lint rules: empty lists and objects (`Action`, `Resource`, `Principal`, `Condition`),
which name nothing, so that the statement or condition has no effect or never holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ....evaluation.conditions import lookup_operator
from ....evaluation.conditions.errors import ConditionCompileError
from ...document import LintDocument
from ...finding import Finding
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from ._shared import _ACCOUNT, _G, _GET, _rule

# -- empty arrays and objects ----------------------------------------------------------------


def _check_empty_action(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if raw.get("Action") == []:
            yield doc.finding(
                "EMPTY_ARRAY_ACTION",
                path + ("Action",),
                f"`Action` of {statement_name(statement)} is an empty list, so the statement matches no "
                "action and has no effect; list the actions or remove the statement",
            )
        elif raw.get("NotAction") == []:
            yield doc.finding(
                "EMPTY_ARRAY_ACTION",
                path + ("NotAction",),
                f"`NotAction` of {statement_name(statement)} is an empty list: it excludes nothing; list "
                "the actions to exclude, or write the actions you mean in `Action`",
            )


def _check_empty_resource(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if raw.get("Resource") == []:
            yield doc.finding(
                "EMPTY_ARRAY_RESOURCE",
                path + ("Resource",),
                f"`Resource` of {statement_name(statement)} is an empty list, so the statement matches no "
                "resource and has no effect; list the resources or remove the statement",
            )
        elif raw.get("NotResource") == []:
            yield doc.finding(
                "EMPTY_ARRAY_RESOURCE",
                path + ("NotResource",),
                f"`NotResource` of {statement_name(statement)} is an empty list: it excludes nothing; "
                "list the resources to exclude, or write the resources you mean in `Resource`",
            )


def _check_empty_principal_array(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        for element in ("Principal", "NotPrincipal"):
            value = raw.get(element)
            if not isinstance(value, dict):
                continue
            for kind, names in value.items():
                if names == []:
                    yield doc.finding(
                        "EMPTY_ARRAY_PRINCIPAL",
                        path + (element, kind),
                        f"`{kind}` in the `{element}` of {statement_name(statement)} is an empty list and "
                        "names no principal; list the principals or remove it",
                    )


def _check_empty_principal_object(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        for element in ("Principal", "NotPrincipal"):
            if raw.get(element) == {}:
                yield doc.finding(
                    "EMPTY_OBJECT_PRINCIPAL",
                    path + (element,),
                    f"the `{element}` of {statement_name(statement)} is an empty object and names no "
                    "principal; name the principals it is for",
                )


def _check_empty_condition_object(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if raw.get("Condition") == {}:
            yield doc.finding(
                "EMPTY_OBJECT_CONDITION",
                path + ("Condition",),
                f"the `Condition` of {statement_name(statement)} is an empty object and tests nothing; "
                "remove it or add the conditions you meant",
            )


def _empty_condition_code(operator: str) -> str:
    try:
        resolved = lookup_operator(operator)
        qualifier = resolved.set_qualifier.value if resolved.set_qualifier else None
        if_exists = resolved.if_exists
    except ConditionCompileError:
        head, sep, rest = operator.partition(":")
        qualifier = head if sep else None
        if_exists = operator.lower().endswith("ifexists")
    if qualifier and qualifier.lower() == "forallvalues":
        return "EMPTY_ARRAY_CONDITION_FORALLVALUES"
    if qualifier and qualifier.lower() == "foranyvalue":
        return "EMPTY_ARRAY_CONDITION_FORANYVALUE"
    if if_exists:
        return "EMPTY_ARRAY_CONDITION_IFEXISTS"
    return "EMPTY_ARRAY_CONDITION"


_EMPTY_CONDITION_MESSAGES = {
    "EMPTY_ARRAY_CONDITION": "has no values, so it never matches and the statement never "
    "applies; list the values",
    "EMPTY_ARRAY_CONDITION_FORALLVALUES": "has no values, so `ForAllValues` matches only when the "
    'key is missing from the request; say that with {"Null": {"KEY": "true"}}',
    "EMPTY_ARRAY_CONDITION_FORANYVALUE": "has no values, so `ForAnyValue` never matches and the "
    "statement never applies; list the values",
    "EMPTY_ARRAY_CONDITION_IFEXISTS": "has no values, so the `IfExists` operator matches only "
    'when the key is missing from the request; say that with {"Null": {"KEY": "true"}}',
}


def _empty_condition_check(code: str) -> Callable[[LintDocument], Iterator[Finding]]:
    def check(doc: LintDocument) -> Iterator[Finding]:
        for path, statement, _raw in doc.statements():
            for entry in statement.condition:
                if entry.values or _empty_condition_code(entry.operator) != code:
                    continue
                tail = _EMPTY_CONDITION_MESSAGES[code].replace("KEY", entry.key)
                yield doc.finding(
                    code,
                    path + ("Condition", entry.operator, entry.key),
                    f"`{entry.key}` under `{entry.operator}` in {statement_name(statement)} {tail}",
                )

    return check


# -- the rules -------------------------------------------------------------------------------


RULES: tuple[Rule, ...] = (
    _rule(
        "EMPTY_ARRAY_ACTION",
        _G,
        "`Action` or `NotAction` is an empty list.",
        "A statement with an empty `Action` matches no action and has no effect; an empty "
        "`NotAction` excludes nothing. List the actions, or remove the statement.",
        _check_empty_action,
        _policy({**_GET, "Action": []}),
        _policy(_GET),
    ),
    _rule(
        "EMPTY_ARRAY_RESOURCE",
        _G,
        "`Resource` or `NotResource` is an empty list.",
        "A statement with an empty `Resource` matches no resource and has no effect; list the "
        "resources, or remove the statement.",
        _check_empty_resource,
        _policy({**_GET, "Resource": []}),
        _policy(_GET),
    ),
    _rule(
        "EMPTY_ARRAY_PRINCIPAL",
        _G,
        "A principal type in `Principal` with an empty list.",
        "An empty list names no principal: the statement has no effect for that type; list the "
        "principals or remove the entry.",
        _check_empty_principal_array,
        _policy({**_GET, "Principal": {"AWS": []}}),
        _policy({**_GET, "Principal": _ACCOUNT}),
        example_policy_type="resource",
    ),
    _rule(
        "EMPTY_OBJECT_PRINCIPAL",
        _G,
        "`Principal` is an empty object.",
        "An empty `Principal` names nobody, so the statement has no effect; name the principals "
        "it is for.",
        _check_empty_principal_object,
        _policy({**_GET, "Principal": {}}),
        _policy({**_GET, "Principal": _ACCOUNT}),
        example_policy_type="resource",
    ),
    _rule(
        "EMPTY_OBJECT_CONDITION",
        _G,
        "`Condition` is an empty object.",
        "An empty `Condition` tests nothing; remove it or write the conditions you meant.",
        _check_empty_condition_object,
        _policy({**_GET, "Condition": {}}),
        _policy({**_GET, "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
    ),
    _rule(
        "EMPTY_ARRAY_CONDITION",
        _G,
        "A condition key with an empty list of values.",
        "A condition with no values never matches, so the statement never applies (IAM User "
        "Guide, condition operators); list the values.",
        _empty_condition_check("EMPTY_ARRAY_CONDITION"),
        _policy({**_GET, "Condition": {"StringEquals": {"aws:PrincipalTag/team": []}}}),
        _policy({**_GET, "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["data"]}}}),
    ),
    _rule(
        "EMPTY_ARRAY_CONDITION_FORALLVALUES",
        _G,
        "`ForAllValues` with an empty list of values.",
        "`ForAllValues` with no values matches only requests without the key; write that "
        'intent as {"Null": {"key": "true"}}.',
        _empty_condition_check("EMPTY_ARRAY_CONDITION_FORALLVALUES"),
        _policy({**_GET, "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": []}}}),
        _policy({**_GET, "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}}),
    ),
    _rule(
        "EMPTY_ARRAY_CONDITION_FORANYVALUE",
        _G,
        "`ForAnyValue` with an empty list of values.",
        "`ForAnyValue` with no values never matches, so the statement never applies; list the "
        "values.",
        _empty_condition_check("EMPTY_ARRAY_CONDITION_FORANYVALUE"),
        _policy({**_GET, "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": []}}}),
        _policy({**_GET, "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}}),
    ),
    _rule(
        "EMPTY_ARRAY_CONDITION_IFEXISTS",
        _G,
        "An `...IfExists` operator with an empty list of values.",
        "With no values the `IfExists` operator matches only requests without the key; write "
        'that intent as {"Null": {"key": "true"}}.',
        _empty_condition_check("EMPTY_ARRAY_CONDITION_IFEXISTS"),
        _policy({**_GET, "Condition": {"StringEqualsIfExists": {"aws:PrincipalTag/team": []}}}),
        _policy({**_GET, "Condition": {"StringEqualsIfExists": {"aws:PrincipalTag/team": ["data"]}}}),
    ),
)
