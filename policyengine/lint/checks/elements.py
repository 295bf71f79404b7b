"""Lint rules: elements right for the policy type, Version, Sids, and empty lists and objects.

Which elements a policy type takes (IAM User Guide, policy elements reference; AWS
Organizations, SCP and RCP syntax):

- identity and permissions-boundary policies: no `Principal`/`NotPrincipal`, and a
  `Resource`/`NotResource` in every statement;
- resource policies and role trust policies: a `Principal` (or `NotPrincipal`) in every
  statement; trust policies take neither `NotPrincipal` nor `Resource`/`NotResource`, nor
  the bare `"Principal": "*"`;
- SCPs: no `Principal`/`NotPrincipal`. (Access Analyzer's other `SCP_SYNTAX_ERROR_*`
  checks describe the SCP grammar before AWS widened it to the full IAM language, and
  would now flag valid SCPs, so they are not reproduced.)
- RCPs: every statement names `"Principal": "*"` (conditions restrict it), no
  `NotPrincipal` or `NotAction`, and `Allow` only in the `RCPFullAWSAccess` form.

Parse errors (wrong JSON shapes) are the parser's, reported under `syntax` codes; the
rules here read the parsed model and, for shapes the model normalises away (`{}`,
`[]`, `""`), the raw JSON.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterator

from ...evaluation.conditions import lookup_operator
from ...evaluation.conditions.errors import ConditionCompileError
from ...evaluation.variables import TemplateSyntaxError, Variable, parse_template
from ...model.policy import VERSION_2008, Statement
from ..document import JsonPath, LintDocument
from ..finding import Finding, Severity
from ..rules import Rule
from ._common import example_policy as _policy, statement_name

IDENTITY_LIKE = frozenset({"identity", "boundary"})
WITH_PRINCIPAL = frozenset({"resource", "trust"})

_GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
_ACCOUNT = {"AWS": "arn:aws:iam::111122223333:root"}
_ASSUME = {
    "Effect": "Allow",
    "Principal": {"Service": "lambda.amazonaws.com"},
    "Action": "sts:AssumeRole",
}


# -- Principal per policy type ---------------------------------------------------------------


def _check_unsupported_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        for element in ("Principal", "NotPrincipal"):
            if element in raw:
                yield doc.finding(
                    "UNSUPPORTED_PRINCIPAL",
                    path + (element,),
                    f"{statement_name(statement)} has a `{element}`, which {_TYPE_NAMES[doc.policy_type]} "
                    "cannot have: the policy applies to whoever it is attached to; remove "
                    f"`{element}`",
                )


_TYPE_NAMES = {
    "identity": "an identity policy",
    "boundary": "a permissions boundary",
    "resource": "a resource policy",
    "trust": "a role trust policy",
    "scp": "an SCP",
    "rcp": "an RCP",
}


def _check_scp_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        for element in ("Principal", "NotPrincipal"):
            if element in raw:
                yield doc.finding(
                    "SCP_SYNTAX_ERROR_PRINCIPAL",
                    path + (element,),
                    f"{statement_name(statement)} has a `{element}`, which SCPs do not support: an SCP "
                    "applies to every principal of the accounts it is attached to; remove it "
                    "and compare `aws:PrincipalArn` in a `Condition` instead",
                )


def _check_missing_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "Principal" not in raw and "NotPrincipal" not in raw:
            what = "a role trust policy" if doc.policy_type == "trust" else "a resource policy"
            yield doc.finding(
                "MISSING_PRINCIPAL",
                path,
                f"{statement_name(statement)} has no `Principal`: every statement of {what} must say "
                'whom it applies to, e.g. "Principal": {"AWS": "arn:aws:iam::111122223333:root"}',
            )


def _check_allow_not_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if statement.effect == "Allow" and "NotPrincipal" in raw:
            yield doc.finding(
                "ALLOW_WITH_NOT_PRINCIPAL",
                path + ("NotPrincipal",),
                f"{statement_name(statement)} allows everyone except the principals in `NotPrincipal`, "
                "anonymous callers included; name the principals that need access in "
                "`Principal` instead",
            )


def _check_trust_not_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "NotPrincipal" in raw:
            yield doc.finding(
                "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
                path + ("NotPrincipal",),
                f"{statement_name(statement)} uses `NotPrincipal`, which role trust policies do not "
                "support; name who may assume the role in `Principal`",
            )


def _check_trust_resource(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        for element in ("Resource", "NotResource"):
            if element in raw:
                yield doc.finding(
                    "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
                    path + (element,),
                    f"{statement_name(statement)} has a `{element}`, which role trust policies do not "
                    "support: the resource is the role itself; remove it",
                )


def _check_trust_wildcard(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if statement.principal is not None and statement.principal.wildcard:
            yield doc.finding(
                "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                path + ("Principal",),
                f'{statement_name(statement)} has "Principal": "*", which role trust policies do not '
                "support; name the accounts, roles or services that may assume the role",
            )


def _check_missing_resource(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "Resource" not in raw and "NotResource" not in raw:
            yield doc.finding(
                "MISSING_RESOURCE",
                path,
                f"{statement_name(statement)} has no `Resource`: statements of "
                f"{_TYPE_NAMES[doc.policy_type]} must name the resources they apply to "
                '(e.g. "Resource": "arn:aws:s3:::reports/*")',
            )


# -- RCPs ------------------------------------------------------------------------------------


def _is_star(raw: dict[str, Any], element: str) -> bool:
    value = raw.get(element)
    return value == "*" or value == ["*"]


def _check_rcp_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "NotPrincipal" in raw:
            yield doc.finding(
                "RCP_SYNTAX_ERROR_PRINCIPAL",
                path + ("NotPrincipal",),
                f"{statement_name(statement)} uses `NotPrincipal`, which RCPs do not support; write "
                '"Principal": "*" and exempt principals with a condition such as '
                "`ArnNotLike` on `aws:PrincipalArn`",
            )
        elif "Principal" not in raw:
            yield doc.finding(
                "RCP_SYNTAX_ERROR_PRINCIPAL",
                path,
                f'{statement_name(statement)} has no `Principal`: RCP statements must say "Principal": "*"',
            )
        elif not (statement.principal is not None and statement.principal.wildcard):
            yield doc.finding(
                "RCP_SYNTAX_ERROR_PRINCIPAL",
                path + ("Principal",),
                f'{statement_name(statement)} names specific principals; RCPs accept only "Principal": "*" '
                "and restrict whom they apply to with conditions (e.g. `aws:PrincipalAccount`)",
            )


def _check_rcp_not_action(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if "NotAction" in raw:
            yield doc.finding(
                "RCP_SYNTAX_ERROR_NOTACTION",
                path + ("NotAction",),
                f"{statement_name(statement)} uses `NotAction`, which RCPs do not support; list the "
                "actions in `Action`",
            )


def _check_rcp_allow(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if statement.effect != "Allow":
            continue
        full_access = (
            _is_star(raw, "Principal")
            and _is_star(raw, "Action")
            and _is_star(raw, "Resource")
            and "Condition" not in raw
        )
        if not full_access:
            yield doc.finding(
                "RCP_SYNTAX_ERROR_ALLOW",
                path + ("Effect",),
                f"{statement_name(statement)} is an `Allow` that is not the `RCPFullAWSAccess` form "
                '("Principal": "*", "Action": "*", "Resource": "*", no condition): RCPs only '
                "restrict access, so write the statement as a `Deny`",
            )


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
    if "${" not in text:
        return []
    try:
        return list(parse_template(text).variables)
    except TemplateSyntaxError:
        return []  # malformed variables are the variable-syntax rules' business


def _variable_places(doc: LintDocument) -> Iterator[tuple[JsonPath, str, Variable]]:
    """Where variables would be substituted under 2012-10-17: Resource and String/Arn values."""
    for path, statement, raw in doc.statements():
        for element in ("Resource", "NotResource"):
            value = raw.get(element)
            items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
            for i, item in enumerate(items):
                if not isinstance(item, str):
                    continue
                where = path + ((element,) if isinstance(value, str) else (element, i))
                for variable in _variables_in(item):
                    yield where, item, variable
        for entry in statement.condition:
            try:
                family = lookup_operator(entry.operator).spec.family.value
            except ConditionCompileError:
                continue
            if family not in ("String", "Arn"):
                continue
            where = path + ("Condition", entry.operator, entry.key)
            for i, value in enumerate(entry.values):
                if isinstance(value, str):
                    for variable in _variables_in(value):
                        yield (where + (i,) if entry.is_list else where), value, variable


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


# -- Sids ------------------------------------------------------------------------------------

# Policies whose Sids must be unique: IAM refuses duplicates in the policies it stores
# ("Statement IDs (SID) in a single policy must be unique"), SNS requires a unique Sid per
# statement (SNS developer guide, API permissions reference), and Lambda's AddPermission
# refuses an existing StatementId.
_UNIQUE_SID_TYPES = frozenset({"identity", "boundary", "trust"})
_UNIQUE_SID_KINDS = frozenset({"sns:topic", "lambda:function"})


def _sids_required(doc: LintDocument) -> bool:
    return doc.policy_type in _UNIQUE_SID_TYPES or (
        doc.policy_type == "resource" and doc.resource_kind in _UNIQUE_SID_KINDS
    )


def _duplicate_sids(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, Statement]]:
    first: dict[str, Statement] = {}
    for path, statement, _raw in doc.statements():
        if not statement.sid:
            continue
        if statement.sid in first:
            yield path + ("Sid",), statement, first[statement.sid]
        else:
            first[statement.sid] = statement


def _check_unique_sids_required(doc: LintDocument) -> Iterator[Finding]:
    if not _sids_required(doc):
        return
    for where, statement, earlier in _duplicate_sids(doc):
        yield doc.finding(
            "UNIQUE_SIDS_REQUIRED",
            where,
            f"statement {statement.index} repeats the Sid `{statement.sid}` of statement "
            f"{earlier.index}; AWS refuses duplicate Sids in this policy, so rename one",
        )


def _check_unique_sids_recommended(doc: LintDocument) -> Iterator[Finding]:
    if _sids_required(doc):
        return
    for where, statement, earlier in _duplicate_sids(doc):
        yield doc.finding(
            "UNIQUE_SIDS_RECOMMENDED",
            where,
            f"statement {statement.index} repeats the Sid `{statement.sid}` of statement "
            f"{earlier.index}; give each statement its own Sid so findings and logs can tell "
            "them apart",
        )


def _check_empty_sid(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if raw.get("Sid") == "":
            yield doc.finding(
                "EMPTY_SID_VALUE",
                path + ("Sid",),
                f"statement {statement.index} has an empty `Sid`; give it a name or remove `Sid`",
            )


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


_rule = partial(Rule, access_analyzer=True)


_E, _S, _W, _G = Severity.ERROR, Severity.SECURITY_WARNING, Severity.WARNING, Severity.SUGGESTION

RULES: tuple[Rule, ...] = (
    _rule(
        "UNSUPPORTED_PRINCIPAL",
        _E,
        "A `Principal` or `NotPrincipal` in an identity policy or permissions boundary.",
        "Identity policies and boundaries apply to the user, group or role they are attached to, so "
        "IAM refuses a `Principal`; to grant another principal access, use a resource policy or a "
        "role trust policy.",
        _check_unsupported_principal,
        _policy({**_GET, "Principal": _ACCOUNT}),
        _policy(_GET),
        policy_types=IDENTITY_LIKE,
    ),
    _rule(
        "SCP_SYNTAX_ERROR_PRINCIPAL",
        _E,
        "A `Principal` or `NotPrincipal` in a service control policy.",
        "SCPs apply to every principal in the accounts they are attached to and take no "
        "`Principal`; to exempt principals, test `aws:PrincipalArn` in a `Condition`.",
        _check_scp_principal,
        _policy({"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "*"}),
        _policy({"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}),
        policy_types=frozenset({"scp"}),
        example_policy_type="scp",
    ),
    _rule(
        "MISSING_PRINCIPAL",
        _E,
        "A resource-policy or trust-policy statement without `Principal` or `NotPrincipal`.",
        "A resource policy says who may act on the resource; without a `Principal` AWS refuses "
        "the statement. Name the account, role, user or service it is for.",
        _check_missing_principal,
        _policy(_GET),
        _policy({**_GET, "Principal": _ACCOUNT}),
        policy_types=WITH_PRINCIPAL,
        example_policy_type="resource",
    ),
    _rule(
        "ALLOW_WITH_NOT_PRINCIPAL",
        _S,
        "An `Allow` statement with `NotPrincipal`.",
        "`Allow` with `NotPrincipal` grants access to everyone except the listed principals, "
        "anonymous callers included (AWS no longer supports it); list who needs access in "
        "`Principal`, or deny with `NotPrincipal` and allow separately.",
        _check_allow_not_principal,
        _policy({**_GET, "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/mallory"}}),
        _policy({**_GET, "Effect": "Deny", "NotPrincipal": _ACCOUNT}),
        policy_types=frozenset({"resource"}),
        example_policy_type="resource",
    ),
    _rule(
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
        _E,
        "`NotPrincipal` in a role trust policy.",
        "IAM refuses `NotPrincipal` in a role's trust policy; name who may assume the role in "
        "`Principal`.",
        _check_trust_not_principal,
        _policy({"Effect": "Deny", "NotPrincipal": _ACCOUNT, "Action": "sts:AssumeRole"}, _ASSUME),
        _policy(_ASSUME),
        policy_types=frozenset({"trust"}),
        example_policy_type="trust",
    ),
    _rule(
        "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
        _E,
        "`Resource` or `NotResource` in a role trust policy.",
        "A trust policy's resource is the role itself, and IAM refuses a `Resource` in it; remove "
        "the element.",
        _check_trust_resource,
        _policy({**_ASSUME, "Resource": "*"}),
        _policy(_ASSUME),
        policy_types=frozenset({"trust"}),
        example_policy_type="trust",
    ),
    _rule(
        "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
        _E,
        '`"Principal": "*"` in a role trust policy.',
        "A role cannot trust every principal with the bare wildcard; name the accounts, roles, "
        "services or identity providers that may assume it.",
        _check_trust_wildcard,
        _policy({**_ASSUME, "Principal": "*"}),
        _policy(_ASSUME),
        policy_types=frozenset({"trust"}),
        example_policy_type="trust",
    ),
    _rule(
        "MISSING_RESOURCE",
        _E,
        "An identity-policy or boundary statement without `Resource` or `NotResource`.",
        "IAM refuses identity-policy statements that do not name resources; write the ARNs the "
        'actions apply to, or "Resource": "*" for actions that take no resource.',
        _check_missing_resource,
        _policy({"Effect": "Allow", "Action": "s3:GetObject"}),
        _policy(_GET),
        policy_types=IDENTITY_LIKE,
    ),
    _rule(
        "RCP_SYNTAX_ERROR_PRINCIPAL",
        _E,
        'An RCP statement whose principal is not `"Principal": "*"`.',
        'RCPs accept only "Principal": "*" (no `NotPrincipal`, no specific principals); restrict '
        "whom a statement applies to with conditions such as `aws:PrincipalOrgID` or "
        "`aws:PrincipalIsAWSService` (AWS Organizations, RCP syntax).",
        _check_rcp_principal,
        _policy({"Effect": "Deny", "Principal": _ACCOUNT, "Action": "s3:*", "Resource": "*"}),
        _policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                 "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}),
        policy_types=frozenset({"rcp"}),
        access_analyzer=False,
        example_policy_type="rcp",
    ),
    _rule(
        "RCP_SYNTAX_ERROR_NOTACTION",
        _E,
        "`NotAction` in an RCP.",
        "RCPs support `Action` but not `NotAction` (AWS Organizations, RCP syntax); list the actions.",
        _check_rcp_not_action,
        _policy({"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*"}),
        _policy({"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "*"}),
        policy_types=frozenset({"rcp"}),
        access_analyzer=False,
        example_policy_type="rcp",
    ),
    _rule(
        "RCP_SYNTAX_ERROR_ALLOW",
        _E,
        "An RCP `Allow` statement other than the `RCPFullAWSAccess` form.",
        'AWS supports `Allow` in RCPs only as "Principal": "*", "Action": "*", "Resource": "*" '
        "(the `RCPFullAWSAccess` policy); RCPs restrict access and grant none, so write `Deny` "
        "statements.",
        _check_rcp_allow,
        _policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}),
        _policy({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}),
        policy_types=frozenset({"rcp"}),
        access_analyzer=False,
        example_policy_type="rcp",
    ),
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
    _rule(
        "UNIQUE_SIDS_REQUIRED",
        _E,
        "Two statements share a Sid in a policy that requires unique Sids.",
        "IAM (identity, boundary and trust policies), SNS topic policies and Lambda function "
        "policies refuse duplicate statement IDs; rename one of the statements.",
        _check_unique_sids_required,
        _policy({"Sid": "Read", **_GET}, {"Sid": "Read", **_GET, "Action": "s3:ListBucket",
                                           "Resource": "arn:aws:s3:::reports"}),
        _policy({"Sid": "ReadObjects", **_GET}, {"Sid": "ListBucket", **_GET, "Action": "s3:ListBucket",
                                                  "Resource": "arn:aws:s3:::reports"}),
    ),
    _rule(
        "UNIQUE_SIDS_RECOMMENDED",
        _W,
        "Two statements share a Sid in a policy that tolerates it.",
        "Duplicate Sids are accepted here but make findings, logs and later edits ambiguous; give "
        "each statement its own Sid.",
        _check_unique_sids_recommended,
        _policy({"Sid": "Read", **_GET, "Principal": _ACCOUNT},
                {"Sid": "Read", **_GET, "Principal": _ACCOUNT, "Action": "s3:ListBucket",
                 "Resource": "arn:aws:s3:::reports"}),
        _policy({"Sid": "ReadObjects", **_GET, "Principal": _ACCOUNT},
                {"Sid": "ListBucket", **_GET, "Principal": _ACCOUNT, "Action": "s3:ListBucket",
                 "Resource": "arn:aws:s3:::reports"}),
        example_policy_type="resource",
    ),
    _rule(
        "EMPTY_SID_VALUE",
        _G,
        "A `Sid` that is the empty string.",
        "An empty Sid names nothing; give the statement a name or remove the element.",
        _check_empty_sid,
        _policy({"Sid": "", **_GET}),
        _policy({"Sid": "ReadReports", **_GET}),
    ),
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
