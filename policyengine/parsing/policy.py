"""A parsed JSON value -> `PolicyDocument`, refusing every shape IAM refuses.

All problems are collected (not just the first) and raised together as one
`PolicyValidationError`; each carries a code from `codes.py`, the JSON path of the offending
node and, when `locations` are given, its line and column. Accepted shapes are kept as
written (string or list, single statement or list) so `doc.to_json()` gives the document
back. Only structure is checked here: operator names, condition value types, action and ARN
syntax are the evaluator's and the linter's business, and so are the rules that depend on
the policy type (e.g. `Resource` is required in identity policies but absent from trust
policies, so it is optional here).
"""

from __future__ import annotations

import datetime
import difflib
import math
from collections.abc import Mapping
from typing import Any, Literal, cast

from ..errors import JsonPath, PolicyEngineError, PolicyValidationError
from ..model.policy import (
    PRINCIPAL_KINDS,
    VERSION_2008,
    VERSION_2012,
    ConditionEntry,
    PolicyDocument,
    Principal,
    Statement,
)
from . import codes
from .json_errors import show

TOP_ELEMENTS = ("Version", "Id", "Statement")
STATEMENT_ELEMENTS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
Effect = Literal["Allow", "Deny"]
_EFFECTS: tuple[Effect, ...] = ("Allow", "Deny")
_VERSIONS = (VERSION_2012, VERSION_2008)

Locations = Mapping[JsonPath, tuple[int, int]]


def build_policy(
    value: Any, *, locations: Locations | None = None, file: str | None = None
) -> PolicyDocument:
    """Validate `value` (a parsed JSON document) and build the `PolicyDocument`.

    Raises `PolicyValidationError` listing every problem; `locations` (JSON path -> line,
    column) places them in the source text and is attached to the document.
    """
    checker = _Checker(locations, file)
    document = checker.document(value)
    if checker.errors or document is None:
        errors = checker.errors
        if locations:
            errors = sorted(errors, key=lambda e: (e.line or 0, e.column or 0))
        raise PolicyValidationError(errors)
    if locations is not None and not isinstance(locations, dict):
        locations = dict(locations)
    return document.with_locations(locations)


def describe(value: Any) -> str:
    """The JSON type of `value` as a message says it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, float) and not math.isfinite(value):
        return "a non-finite number"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"the string `{show(value)}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a value that is not JSON"


def _is_condition_scalar(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int))  # bool is an int


def _did_you_mean(name: object, choices: tuple[str, ...]) -> str | None:
    if not isinstance(name, str):
        return None
    for choice in choices:
        if choice.lower() == name.lower():
            return f"names are case-sensitive: write `{choice}`"
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.75)
    return f"did you mean `{close[0]}`?" if close else None


class _Checker:
    def __init__(self, locations: Locations | None, file: str | None) -> None:
        self.locations = locations
        self.file = file
        self.errors: list[PolicyEngineError] = []

    def error(self, code: str, message: str, path: JsonPath, help: str | None = None) -> None:
        line = column = None
        if self.locations:
            at = path
            while True:
                found = self.locations.get(at)
                if found is not None:
                    line, column = found
                    break
                if not at:
                    break
                at = at[:-1]
        self.errors.append(
            PolicyEngineError(
                message, code=code, file=self.file, line=line, column=column, path=path, help=help
            )
        )

    # -- the document ------------------------------------------------------------------------

    def document(self, value: Any) -> PolicyDocument | None:
        if not isinstance(value, dict):
            self.error(
                codes.INVALID_DOCUMENT,
                f"a policy must be a JSON object, not {describe(value)}",
                (),
                help='write {"Version": "2012-10-17", "Statement": [...]}',
            )
            return None
        for key in value:
            if key not in TOP_ELEMENTS:
                self.unknown(key, (key,), TOP_ELEMENTS, "a policy")
        version = self.version(value)
        policy_id = self.optional_string(value, "Id", ())
        statements, is_list = self.statements(value)
        if self.errors:
            return None
        return PolicyDocument(
            version=version,
            id=policy_id,
            statements=statements,
            statement_is_list=is_list,
            source=self.file,
        )

    def unknown(self, key: Any, path: JsonPath, known: tuple[str, ...], where: str) -> None:
        help = _did_you_mean(key, known)
        if help is None:
            if key == "PolicyVersion":
                help = "this looks like `aws iam get-policy-version` output: pass its `Document`"
            elif where == "a policy" and key in STATEMENT_ELEMENTS:
                help = f"`{key}` belongs inside a statement, in the `Statement` list"
            elif where == "a statement" and key in TOP_ELEMENTS:
                help = f"`{key}` belongs at the top of the policy, outside `Statement`"
            else:
                help = f"{where} may contain " + ", ".join(f"`{k}`" for k in known)
        self.error(
            codes.UNKNOWN_ELEMENT, f"unknown element `{show(str(key))}` in {where}", path, help
        )

    def version(self, value: dict[str, Any]) -> str | None:
        if "Version" not in value:
            return None
        version = value["Version"]
        if isinstance(version, datetime.date) and not isinstance(version, datetime.datetime):
            version = version.isoformat()  # YAML reads an unquoted 2012-10-17 as a date
        if isinstance(version, str) and version in _VERSIONS:
            return version
        shown = f"`{show(version)}`" if isinstance(version, str) else describe(version)
        self.error(
            codes.INVALID_VERSION,
            f"`Version` must be `2012-10-17` or `2008-10-17`, not {shown}",
            ("Version",),
            help="the version names the policy language, not the policy's date; "
            "use 2012-10-17 (or leave it out)",
        )
        return None

    def optional_string(self, value: dict[str, Any], name: str, path: JsonPath) -> str | None:
        if name not in value:
            return None
        text = value[name]
        if isinstance(text, str):
            return text
        self.error(
            codes.INVALID_ELEMENT_TYPE,
            f"`{name}` must be a string, not {describe(text)}",
            path + (name,),
        )
        return None

    def statements(self, value: dict[str, Any]) -> tuple[list[Statement], bool]:
        if "Statement" not in value:
            self.error(
                codes.MISSING_STATEMENT,
                "the policy has no `Statement`",
                (),
                help="add a `Statement` list with at least one statement",
            )
            return [], True
        raw = value["Statement"]
        if isinstance(raw, dict):
            statement = self.statement(raw, ("Statement",), 0)
            return ([statement] if statement else []), False
        if not isinstance(raw, list):
            self.error(
                codes.INVALID_STATEMENT,
                f"`Statement` must be an object or a list of objects, not {describe(raw)}",
                ("Statement",),
            )
            return [], True
        if not raw:
            self.error(
                codes.EMPTY_STATEMENT,
                "`Statement` is an empty list",
                ("Statement",),
                help="a policy needs at least one statement",
            )
        statements = []
        for index, item in enumerate(raw):
            path = ("Statement", index)
            if isinstance(item, dict):
                statement = self.statement(item, path, index)
                if statement is not None:
                    statements.append(statement)
            else:
                self.error(
                    codes.INVALID_STATEMENT,
                    f"a statement must be an object, not {describe(item)}",
                    path,
                )
        return statements, True

    # -- one statement -----------------------------------------------------------------------

    def statement(self, raw: dict[str, Any], path: JsonPath, index: int) -> Statement | None:
        before = len(self.errors)
        for key in raw:
            if key not in STATEMENT_ELEMENTS:
                self.unknown(key, path + (key,), STATEMENT_ELEMENTS, "a statement")
        sid = self.optional_string(raw, "Sid", path)
        effect = self.effect(raw, path)
        self.exclusive(raw, path, "Principal", "NotPrincipal", codes.PRINCIPAL_AND_NOT_PRINCIPAL)
        principal = self.principal(raw, path, "Principal") if "Principal" in raw else None
        not_principal = (
            self.principal(raw, path, "NotPrincipal") if "NotPrincipal" in raw else None
        )
        strings: set[str] = set()
        if not self.exclusive(raw, path, "Action", "NotAction", codes.ACTION_AND_NOT_ACTION):
            self.error(
                codes.MISSING_ACTION,
                "the statement has neither `Action` nor `NotAction`",
                path,
                help="add an `Action` naming what the statement allows or denies",
            )
        action = self.patterns(raw, path, "Action", strings, codes.MISSING_ACTION)
        not_action = self.patterns(raw, path, "NotAction", strings, codes.MISSING_ACTION)
        self.exclusive(raw, path, "Resource", "NotResource", codes.RESOURCE_AND_NOT_RESOURCE)
        resource = self.patterns(raw, path, "Resource", strings, codes.MISSING_RESOURCE)
        not_resource = self.patterns(raw, path, "NotResource", strings, codes.MISSING_RESOURCE)
        condition = self.condition(raw["Condition"], path) if "Condition" in raw else []
        if len(self.errors) != before or effect is None:
            return None
        return Statement(
            sid=sid,
            effect=effect,
            principal=principal,
            not_principal=not_principal,
            action=action,
            not_action=not_action,
            resource=resource,
            not_resource=not_resource,
            condition=condition,
            has_condition="Condition" in raw,
            string_elements=frozenset(strings),
            index=index,
        )

    def effect(self, raw: dict[str, Any], path: JsonPath) -> Effect | None:
        if "Effect" not in raw:
            self.error(
                codes.MISSING_EFFECT,
                "the statement has no `Effect`",
                path,
                help='add "Effect": "Allow" or "Effect": "Deny"',
            )
            return None
        effect = raw["Effect"]
        if isinstance(effect, str) and effect in _EFFECTS:
            return cast(Effect, effect)  # `in` does not narrow str to the literal type
        if isinstance(effect, str):
            help = _did_you_mean(effect, _EFFECTS)
            shown = f"`{show(effect)}`"
        else:
            help, shown = None, describe(effect)
        self.error(
            codes.INVALID_EFFECT,
            f"`Effect` must be `Allow` or `Deny`, not {shown}",
            path + ("Effect",),
            help=help,
        )
        return None

    def exclusive(
        self, raw: dict[str, Any], path: JsonPath, name: str, negated: str, code: str
    ) -> bool:
        """Report `name` and `negated` together; whether either is present."""
        if name in raw and negated in raw:
            self.error(
                code,
                f"a statement cannot have both `{name}` and `{negated}`",
                path + (negated,),
                help=f"keep one: `{negated}` matches everything `{name}` would not",
            )
        return name in raw or negated in raw

    def patterns(
        self, raw: dict[str, Any], path: JsonPath, name: str, strings: set[str], empty_code: str
    ) -> list[str] | None:
        """`Action`, `NotAction`, `Resource`, `NotResource`: a string or a list of strings."""
        if name not in raw:
            return None
        value = raw[name]
        where = path + (name,)
        if isinstance(value, str):
            strings.add(name)
            return [value]
        if not isinstance(value, list):
            self.error(
                codes.INVALID_ELEMENT_TYPE,
                f"`{name}` must be a string or a list of strings, not {describe(value)}",
                where,
            )
            return None
        # An empty list is accepted, as IAM does: the statement then matches nothing
        # (the linter suggests removing it: EMPTY_ARRAY_ACTION / EMPTY_ARRAY_RESOURCE).
        ok = True
        for i, item in enumerate(value):
            if not isinstance(item, str):
                ok = False
                self.error(
                    codes.INVALID_ELEMENT_TYPE,
                    f"`{name}` entries must be strings, not {describe(item)}",
                    where + (i,),
                )
        return list(value) if ok else None

    # -- Principal / NotPrincipal ------------------------------------------------------------

    def principal(self, raw: dict[str, Any], path: JsonPath, name: str) -> Principal | None:
        value = raw[name]
        where = path + (name,)
        if value == "*" and isinstance(value, str):
            return Principal(wildcard=True)
        if not isinstance(value, dict):
            help = 'write "*" or a map such as {"AWS": "arn:aws:iam::123456789012:root"}'
            if isinstance(value, str):
                kind = "Service" if value.endswith(".amazonaws.com") else "AWS"
                help = f'write {{"{kind}": "{show(value)}"}}'
            self.error(
                codes.INVALID_PRINCIPAL,
                f"`{name}` must be `*` or a map of principal types to names, "
                f"not {describe(value)}",
                where,
                help=help,
            )
            return None
        # `{}` names no principal: accepted as IAM does (linter: EMPTY_OBJECT_PRINCIPAL).
        before = len(self.errors)
        values: dict[str, list[str]] = {}
        list_kinds = set()
        for kind, names in value.items():
            kind_path = where + (kind,)
            if kind not in PRINCIPAL_KINDS:
                self.error(
                    codes.INVALID_PRINCIPAL,
                    f"unknown principal type `{show(str(kind))}`",
                    kind_path,
                    help=_did_you_mean(kind, PRINCIPAL_KINDS)
                    or "use `AWS`, `Service`, `Federated` or `CanonicalUser`",
                )
            elif isinstance(names, str):
                values[kind] = [names]
            elif isinstance(names, list):
                for i, item in enumerate(names):
                    if not isinstance(item, str):
                        self.error(
                            codes.INVALID_PRINCIPAL,
                            f"principal names must be strings, not {describe(item)}",
                            kind_path + (i,),
                        )
                values[kind] = list(names)
                list_kinds.add(kind)
            else:
                self.error(
                    codes.INVALID_PRINCIPAL,
                    f"`{kind}` principals must be a string or a list of strings, "
                    f"not {describe(names)}",
                    kind_path,
                )
        if len(self.errors) != before:
            return None
        return Principal(values=values, list_kinds=frozenset(list_kinds))

    # -- Condition ---------------------------------------------------------------------------

    def condition(self, value: Any, path: JsonPath) -> list[ConditionEntry]:
        where = path + ("Condition",)
        example = 'e.g. {"StringEquals": {"aws:PrincipalTag/team": "blue"}}'
        if not isinstance(value, dict):
            self.error(
                codes.INVALID_CONDITION,
                f"`Condition` must map operators to keys and values, not {describe(value)}",
                where,
                help=example,
            )
            return []
        entries = []
        for operator, block in value.items():
            op_path = where + (operator,)
            if not isinstance(operator, str):  # only possible in a dict built in Python
                self.error(codes.INVALID_CONDITION, "condition operators must be strings", op_path)
                continue
            if not isinstance(block, dict):
                self.error(
                    codes.INVALID_CONDITION,
                    f"the `{show(str(operator))}` condition must map condition keys to values, "
                    f"not {describe(block)}",
                    op_path,
                    help=example,
                )
                continue
            if not block:
                self.error(
                    codes.INVALID_CONDITION,
                    f"the `{show(str(operator))}` condition has no condition keys",
                    op_path,
                    help="name at least one key and its values, or remove the operator",
                )
            for key, values in block.items():
                entry = self.condition_entry(operator, key, values, op_path + (key,))
                if entry is not None:
                    entries.append(entry)
        return entries

    def condition_entry(
        self, operator: str, key: Any, values: Any, where: JsonPath
    ) -> ConditionEntry | None:
        if not isinstance(key, str):  # only possible in a dict built in Python
            self.error(codes.INVALID_CONDITION, "condition keys must be strings", where)
            return None
        if _is_condition_scalar(values):
            return ConditionEntry(operator=operator, key=key, values=[values])
        if not isinstance(values, list):
            self.error(
                codes.INVALID_CONDITION,
                f"the value of `{show(str(key))}` must be a string, number or boolean "
                f"or a list of them, not {describe(values)}",
                where,
            )
            return None
        ok = True
        for i, item in enumerate(values):
            if not _is_condition_scalar(item):
                ok = False
                self.error(
                    codes.INVALID_CONDITION,
                    f"condition values must be strings, numbers or booleans, not {describe(item)}",
                    where + (i,),
                )
        if not ok:
            return None
        return ConditionEntry(operator=operator, key=key, values=list(values), is_list=True)
