"""Lint rules: grants broader than they look, and Deny statements that never apply.

Each warning here reads the whole document, not one statement alone (users of other
linters ask for exactly this): a grant is not reported when

- a `Deny` in the same document applies whenever the grant does (same or wider
  principals, actions and resources; no condition, or only conditions the grant also
  has), so the grant never takes effect; or, for the "who" warnings,
- the grant's own condition pins down who can use it (a positive operator, without
  `IfExists` or `ForAllValues`, on a key such as `aws:PrincipalOrgID`,
  `aws:PrincipalAccount`, `aws:SourceArn`, `aws:SourceVpce`, with values that are not
  wildcards), or a `Deny` covering the grant denies everyone outside such a set (a
  negated operator on those keys: `StringNotEquals aws:PrincipalOrgID`) or everyone but
  a `NotPrincipal` list.

Condition semantics (IAM User Guide, condition operators and "conditions with multiple
context keys or values"): operators and keys are AND-ed, values of one key OR-ed; a
negated operator matches when the key is missing and, with several values, only when
the request value matches none of them (NOR); `...IfExists` matches when the key is
missing; `ForAllValues` matches when the key is missing.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Iterable, Iterator

from ...evaluation.conditions import lookup_operator
from ...evaluation.conditions.errors import ConditionCompileError
from ...evaluation.conditions.operators import ResolvedOperator, SetQualifier
from ...evaluation.variables import TemplateSyntaxError, parse_template
from ...model.policy import ConditionEntry, Statement
from ..document import JsonPath, LintDocument
from ..finding import Finding, Severity
from ..rules import Rule
from ._common import example_policy as _policy, matches_nothing, statement_name
from ._coverage import (
    action_set,
    actions_cover,
    covering_denies,
    glob_covers,
    resource_covers,
    resource_set,
    resources_cover,
)
from .principals import federated_kind, oidc_provider_host, principal_values

# -- keys that say who the caller is ---------------------------------------------------------

# key (lower-cased) -> what its values are, to tell a real restriction from a wildcard.
# Keys whose values an outsider can choose (aws:username, aws:PrincipalTag/...,
# kms:ViaService, aws:VpcSourceIp) do not restrict who the caller is and are not listed.
PRINCIPAL_KEYS: dict[str, str] = {
    "aws:principalorgid": "id",
    "aws:principalorgpaths": "orgpath",
    "aws:principalaccount": "id",
    "aws:principalarn": "arn",
    "aws:userid": "id",
    "aws:principalservicename": "id",
    "aws:sourceaccount": "id",
    "aws:sourcearn": "arn",
    "aws:sourceowner": "id",
    "aws:sourceorgid": "id",
    "aws:sourceorgpaths": "orgpath",
    "aws:sourcevpce": "id",
    "aws:sourcevpc": "id",
    "aws:sourcevpcarn": "arn",
    "aws:sourceip": "ip",
    "kms:calleraccount": "id",
    "s3:dataaccesspointaccount": "id",
    "s3:dataaccesspointarn": "arn",
}
# The keys that tie a service principal's request to the resource or account it acts for
# (IAM User Guide, the confused deputy problem).
_SOURCE = ("aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths")
SOURCE_KEYS: dict[str, str] = {key: PRINCIPAL_KEYS[key] for key in _SOURCE}
_ALEXA_KEYS = {"lambda:eventsourcetoken": "id"}


def _resolve(entry: ConditionEntry) -> ResolvedOperator | None:
    try:
        return lookup_operator(entry.operator)
    except ConditionCompileError:
        return None


def _only_wildcards(text: str) -> bool:
    return bool(text) and all(ch in "*?" for ch in text)


def _universal(value: Any, kind: str, wildcards: bool) -> bool:
    """Whether one condition value matches every caller (so it restricts nothing)."""
    if not isinstance(value, str):
        return False
    if "${" in value:
        # `${aws:ResourceAccount}`, `${aws:ResourceOrgID}`: the caller must share the resource's
        # account or organization (a data perimeter). Any other variable depends on the
        # request: assume it pins nothing down.
        try:
            variables = parse_template(value).variables
        except TemplateSyntaxError:
            return True
        return not variables or not all(v.key.lower().startswith("aws:resource") for v in variables)
    if kind == "ip":
        try:
            return ipaddress.ip_network(value, strict=False).prefixlen == 0
        except ValueError:
            return False
    if not wildcards:
        return False
    if kind == "orgpath":
        first = value.split("/", 1)[0]
        return any(ch in first for ch in "*?")
    if kind == "arn":
        if _only_wildcards(value):
            return True
        parts = value.split(":", 5)
        if len(parts) < 6:
            return value.endswith("*")
        account, resource = parts[4], parts[5]
        if account:
            return any(ch in account for ch in "*?")
        head = resource.replace(":", "/").split("/", 1)[0]
        return not head or any(ch in head for ch in "*?")
    return any(ch in value for ch in "*?")


def _key_kind(entry: ConditionEntry, keys: dict[str, str]) -> str | None:
    return keys.get(entry.key.lower())


def _fits_family(op: ResolvedOperator, kind: str) -> bool:
    family = op.spec.family.value
    if kind == "ip":
        return family == "IpAddress"
    return family in ("String", "Arn")


def restricts(entry: ConditionEntry, keys: dict[str, str]) -> bool:
    """An Allow condition entry that admits only callers from a fixed set."""
    kind = _key_kind(entry, keys)
    op = _resolve(entry)
    if kind is None or op is None or op.spec.presence_only or op.negated or op.if_exists:
        return False
    if op.set_qualifier is SetQualifier.FOR_ALL_VALUES or not _fits_family(op, kind):
        return False
    if not entry.values:
        return True  # never matches: the statement grants nothing (EMPTY_ARRAY_CONDITION)
    return not any(_universal(v, kind, op.spec.allows_wildcards) for v in entry.values)


def excludes_outsiders(entry: ConditionEntry, keys: dict[str, str]) -> bool:
    """A Deny condition entry that holds for every caller outside a fixed set."""
    kind = _key_kind(entry, keys)
    op = _resolve(entry)
    if kind is None or op is None or op.spec.presence_only or not op.negated:
        return False
    if op.set_qualifier is not None or not _fits_family(op, kind) or not entry.values:
        return False
    return not any(_universal(v, kind, op.spec.allows_wildcards) for v in entry.values)


def restricted_by_condition(statement: Statement, keys: dict[str, str]) -> bool:
    return any(restricts(entry, keys) for entry in statement.condition)


def _deny_principal_covers(deny: Statement, grant: Statement) -> bool:
    """The Deny names every caller the grant admits (`{"AWS": "*"}` names no service)."""
    principal = deny.principal
    if principal is None:
        return deny.not_principal is not None
    if principal.wildcard:
        return True
    granted = grant.principal
    services = granted is not None and (granted.wildcard or bool(granted.values.get("Service")))
    return not services and "*" in principal.values.get("AWS", [])


def restricting_deny(
    doc: LintDocument, grant: Statement, keys: dict[str, str]
) -> Statement | None:
    """A Deny covering the grant that denies every caller outside a fixed set."""
    for deny in doc.policy.statements:
        if deny.effect != "Deny" or not _deny_principal_covers(deny, grant):
            continue
        if not actions_cover(action_set(deny), action_set(grant)):
            continue
        if not resources_cover(resource_set(deny), resource_set(grant), doc.policy.variables_enabled):
            continue
        if (
            keys is PRINCIPAL_KEYS
            and deny.not_principal is not None
            and not deny.not_principal.wildcard
            and not deny.condition
        ):
            return deny  # everyone but the listed principals is denied
        if deny.principal is not None and deny.condition and all(
            excludes_outsiders(entry, keys) for entry in deny.condition
        ):
            return deny
    return None


def blocking_deny(doc: LintDocument, grant: Statement) -> Statement | None:
    """A Deny in the same document that applies whenever `grant` does."""
    return next(
        covering_denies(doc.policy.statements, grant, variables=doc.policy.variables_enabled), None
    )


def _grants(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, dict[str, Any]]]:
    for path, statement, raw in doc.statements():
        if statement.effect == "Allow" and not matches_nothing(statement):
            yield path, statement, raw


def _shown(patterns: Iterable[str], limit: int = 3) -> str:
    items = list(patterns)
    text = ", ".join(f"`{p}`" for p in items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


# -- NotAction / NotResource with Allow ------------------------------------------------------


def _broad_resources(statement: Statement) -> bool:
    """Resources that let `NotAction` reach every service: `*`, a wildcard service, none."""
    found = statement.resources
    if found is None or found[1]:
        return True
    for pattern in found[0]:
        if pattern == "*":
            return True
        parts = pattern.split(":", 5)
        if parts[0] != "arn" and any(ch in pattern for ch in "*?"):
            return True
        if len(parts) > 2 and any(ch in parts[2] for ch in "*?"):
            return True
    return False


def _check_allow_not_action(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        if statement.not_action is None or not _broad_resources(statement):
            continue
        if blocking_deny(doc, statement) is not None:
            continue
        yield doc.finding(
            "ALLOW_WITH_NOT_ACTION",
            path + ("NotAction",),
            f"{statement_name(statement)} allows every action of every AWS service except "
            f"{_shown(statement.not_action) or 'none'}, including actions AWS adds later; list the "
            "actions it needs in `Action` instead",
        )


def _check_allow_not_resource(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        if statement.not_resource is None:
            continue
        if blocking_deny(doc, statement) is not None:
            continue
        actions, negated = statement.actions
        what = "every action except " + _shown(actions) if negated else _shown(actions)
        yield doc.finding(
            "ALLOW_WITH_NOT_RESOURCE",
            path + ("NotResource",),
            f"{statement_name(statement)} allows {what} on every resource except "
            f"{_shown(statement.not_resource) or 'none'}, in any account, including resources "
            "created later; list the resources it needs in `Resource` instead",
        )


# -- who: public resource policies, trust policies open to everyone --------------------------


def _star_principal_paths(path: JsonPath, statement: Statement) -> list[JsonPath]:
    """Where the statement names everyone: `"*"` or `{"AWS": "*"}`."""
    if statement.principal is None:
        return []
    if statement.principal.wildcard:
        return [path + ("Principal",)]
    return [
        where
        for where, element, kind, value in principal_values(path, statement)
        if element == "Principal" and kind == "AWS" and value == "*"
    ]


def _check_public(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        for where in _star_principal_paths(path, statement)[:1]:
            if restricted_by_condition(statement, PRINCIPAL_KEYS):
                continue
            if blocking_deny(doc, statement) or restricting_deny(doc, statement, PRINCIPAL_KEYS):
                continue
            actions, negated = statement.actions
            what = "every action except " + _shown(actions) if negated else _shown(actions)
            yield doc.finding(
                "PUBLIC_RESOURCE_POLICY",
                where,
                f"{statement_name(statement)} allows {what} to anyone, anonymous callers and every AWS "
                "account included; name the principals in `Principal`, or restrict it with a "
                "condition such as `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `aws:SourceVpce`",
            )


def _check_trust_any_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        if statement.principal is None or statement.principal.wildcard:
            continue  # `"*"` itself is ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL
        for where in _star_principal_paths(path, statement)[:1]:
            if restricted_by_condition(statement, PRINCIPAL_KEYS):
                continue
            if blocking_deny(doc, statement) or restricting_deny(doc, statement, PRINCIPAL_KEYS):
                continue
            yield doc.finding(
                "TRUST_POLICY_ANY_PRINCIPAL",
                where,
                f'{statement_name(statement)} lets any AWS principal of any account assume the role ({{"AWS": '
                '"*"} without a condition on who); name the trusted accounts or roles, or add a '
                "condition on `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `aws:PrincipalArn`",
            )


# -- OIDC providers in trust policies --------------------------------------------------------

_GITHUB = "token.actions.githubusercontent.com"


def _oidc_principals(path: JsonPath, statement: Statement) -> Iterator[tuple[JsonPath, str, str]]:
    for where, element, kind, value in principal_values(path, statement):
        if element != "Principal" or kind != "Federated" or "${" in value:
            continue
        if federated_kind(value) == "oidc":
            host = oidc_provider_host(value)
            if host:
                yield where, value, host


def _positive(entry: ConditionEntry) -> bool:
    op = _resolve(entry)
    return (
        op is not None
        and not op.negated
        and not op.if_exists
        and not op.spec.presence_only
        and op.set_qualifier is not SetQualifier.FOR_ALL_VALUES
    )


def _provider_entries(statement: Statement, host: str) -> list[ConditionEntry]:
    prefix = host.lower() + ":"
    return [e for e in statement.condition if e.key.lower().startswith(prefix) and _positive(e)]


def _is_github(host: str) -> bool:
    return host.lower() == _GITHUB or host.lower().startswith(_GITHUB + "/")


def _check_oidc_conditions(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        for where, value, host in _oidc_principals(path, statement):
            if _is_github(host) or _provider_entries(statement, host):
                continue
            if blocking_deny(doc, statement) is not None:
                continue
            yield doc.finding(
                "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
                where,
                f"{statement_name(statement)} trusts `{value}` without a condition on its tokens, so any "
                f"identity that provider issues a token for can assume the role; add conditions on "
                f"`{host}:aud` and `{host}:sub`",
            )


def _github_sub_entries(statement: Statement, host: str) -> list[ConditionEntry]:
    return [e for e in _provider_entries(statement, host) if e.key.lower() == f"{host.lower()}:sub"]


def _names_repository(value: Any) -> bool:
    """A GitHub `sub` value that fixes the organisation: `repo:ORG/...`, no wildcard in ORG."""
    if not isinstance(value, str) or not value.startswith("repo:"):
        return isinstance(value, str) and not _only_wildcards(value) and not value.startswith("*")
    org = value[len("repo:"):].split("/", 1)[0]
    return bool(org) and not any(ch in org for ch in "*?")


def _pins_repositories(subs: list[ConditionEntry]) -> bool:
    """`sub` conditions that each name an organisation (and so a set of repositories)."""
    return bool(subs) and all(e.values and all(_names_repository(v) for v in e.values) for e in subs)


def _check_github_repo(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        for where, value, host in _oidc_principals(path, statement):
            if not _is_github(host):
                continue
            if _pins_repositories(_github_sub_entries(statement, host)):
                continue
            if blocking_deny(doc, statement) is not None:
                continue
            yield doc.finding(
                "MISSING_GITHUB_REPO_CONDITION_KEY",
                where,
                f"{statement_name(statement)} trusts GitHub Actions without pinning `{host}:sub` to your "
                "repositories, so a workflow in any GitHub repository can assume the role; add "
                f'{{"StringLike": {{"{host}:sub": "repo:ORG/REPO:*"}}}}',
            )


def _check_github_specific(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        for _where, _value, host in _oidc_principals(path, statement):
            if not _is_github(host):
                continue
            subs = _github_sub_entries(statement, host)
            if not _pins_repositories(subs):
                continue  # MISSING_GITHUB_REPO_CONDITION_KEY
            for entry in subs:
                op = _resolve(entry)
                if op is None or not op.spec.allows_wildcards:
                    continue
                for i, v in enumerate(entry.values):
                    if isinstance(v, str) and any(ch in v for ch in "*?"):
                        where = path + ("Condition", entry.operator, entry.key)
                        yield doc.finding(
                            "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
                            where + (i,) if entry.is_list else where,
                            f"`{v}` lets every matching repository, branch or environment assume "
                            "the role; name the repository and the branch or environment, e.g. "
                            "`repo:ORG/REPO:ref:refs/heads/main`",
                        )


# -- service principals without a source (confused deputy) -----------------------------------


def _names_source_in_context(entry: ConditionEntry) -> bool:
    """`kms:EncryptionContext:aws:logs:arn` and the like, pinned to ARNs in one account.

    KMS key policies for service principals (CloudWatch Logs, CloudTrail) name the source
    resource through the encryption context (KMS Developer Guide, encryption context).
    """
    if not entry.key.lower().startswith("kms:encryptioncontext:") or not entry.values:
        return False
    op = _resolve(entry)
    if op is None or op.negated or op.if_exists or op.spec.presence_only:
        return False
    for value in entry.values:
        if not isinstance(value, str) or not value.startswith("arn:"):
            return False
        if _universal(value, "arn", op.spec.allows_wildcards):
            return False
        parts = value.split(":", 5)
        if len(parts) < 6 or not parts[4]:
            return False
    return True


def _source_restricted(statement: Statement, services: list[str]) -> tuple[bool, bool]:
    """(restricted, only by account-less ARNs such as S3 bucket ARNs)."""
    keys = dict(SOURCE_KEYS)
    if all(s.lower().startswith("alexa-") for s in services):
        keys.update(_ALEXA_KEYS)
    entries = [e for e in statement.condition if restricts(e, keys) or _names_source_in_context(e)]
    if not entries:
        return False, False
    for entry in entries:
        if entry.key.lower() != "aws:sourcearn":
            return True, False
        if any(isinstance(v, str) and len(v.split(":")) > 4 and v.split(":")[4] for v in entry.values):
            return True, False
    return True, True


def _check_service_source(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        principal = statement.principal
        if principal is None or principal.wildcard:
            continue
        services = [s for s in principal.values.get("Service", []) if "${" not in s]
        if not services:
            continue
        restricted, account_less = _source_restricted(statement, services)
        if restricted and not account_less:
            continue
        if blocking_deny(doc, statement) or restricting_deny(doc, statement, SOURCE_KEYS):
            continue
        where = path + ("Principal", "Service")
        shown = _shown(services)
        if account_less:
            message = (
                f"{statement_name(statement)} limits {shown} by `aws:SourceArn` only, and that ARN has no "
                "account ID (like S3 bucket ARNs): once the bucket is deleted, another account can "
                "create one of the same name and match; add `aws:SourceAccount`"
            )
        else:
            lambda_hint = ""
            actions, _negated = statement.actions
            if doc.resource_kind == "lambda:function" or any(
                a.lower().startswith("lambda:invoke") for a in actions
            ):
                lambda_hint = " (`aws lambda add-permission --source-arn ... --source-account ...`)"
            message = (
                f"{statement_name(statement)} grants {shown} access with no `aws:SourceArn` or "
                "`aws:SourceAccount` condition, so the service can act on behalf of any account's "
                "resources (confused deputy); add a condition naming the source resource or "
                f"account{lambda_hint}"
            )
        yield doc.finding("RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", where, message)


# -- Deny conditions that can never hold -----------------------------------------------------


def _universal_pattern(op: ResolvedOperator, value: Any) -> bool:
    """A value with which the (negated) operator excludes every possible request value."""
    if not isinstance(value, str) or "${" in value:
        return False
    family = op.spec.family.value
    if family == "String":
        return op.spec.allows_wildcards and value != "" and all(ch == "*" for ch in value)
    if family == "Arn":
        if value and all(ch == "*" for ch in value):
            return True
        parts = value.split(":", 5)
        return len(parts) == 6 and parts[0] == "arn" and all(
            p and all(ch == "*" for ch in p) for p in parts[1:]
        )
    return False


def _universal_ips(values: list[Any]) -> bool:
    v4 = v6 = False
    for value in values:
        try:
            network = ipaddress.ip_network(str(value), strict=False)
        except ValueError:
            continue
        if network.prefixlen == 0:
            v4 = v4 or network.version == 4
            v6 = v6 or network.version == 6
    return v4 and v6


def _excluded(p: str, n: str, p_op: ResolvedOperator, n_op: ResolvedOperator) -> bool:
    """Every value matching positive value `p` matches negated value `n`."""
    if "${" in p or "${" in n:
        return False
    p_ignore = p_op.spec.relation == "ignorecase"
    n_ignore = n_op.spec.relation == "ignorecase"
    if p_ignore and not n_ignore:
        return False
    if n_ignore:
        p, n = p.lower(), n.lower()
    p_wild = p_op.spec.allows_wildcards and any(ch in p for ch in "*?")
    if not n_op.spec.allows_wildcards:
        return not p_wild and p == n
    if not p_op.spec.allows_wildcards:
        p = p.replace("*", "${*}").replace("?", "${?}")  # literal characters
        if p_op.spec.family.value == "Arn" or n_op.spec.family.value == "Arn":
            return False
        return glob_covers(p, n, True)
    if p_op.spec.family.value == "Arn":
        return resource_covers(p, n)
    return glob_covers(p, n)


def _never_findings(doc: LintDocument, path: JsonPath, statement: Statement) -> Iterator[Finding]:
    plain: list[tuple[ConditionEntry, ResolvedOperator]] = []
    for entry in statement.condition:
        op = _resolve(entry)
        if op is not None and op.set_qualifier is None and not op.spec.presence_only:
            plain.append((entry, op))
    present_keys = {
        e.key.lower()
        for e in statement.condition
        if (op := _resolve(e)) is not None and op.spec.presence_only
        and [str(v).lower() for v in e.values] == ["false"]
    }
    for entry, op in plain:
        if not op.negated or not entry.values:
            continue
        where = path + ("Condition", entry.operator, entry.key)
        universal = [
            i for i, v in enumerate(entry.values) if _universal_pattern(op, v)
        ] or ([0] if op.spec.family.value == "IpAddress" and _universal_ips(entry.values) else [])
        if universal:
            shown = entry.values[universal[0]]
            if entry.key.lower() in present_keys:
                tail = (
                    f"and the `Null` condition requires `{entry.key}` to be present, so the "
                    "statement never applies; remove the always-matching value"
                )
            else:
                tail = (
                    f"so it applies only when `{entry.key}` is missing from the request; if that "
                    f'is the intent, write {{"Null": {{"{entry.key}": "true"}}}}, otherwise remove '
                    "the always-matching value"
                )
            yield doc.finding(
                "DENY_NEGATED_CONDITION_NEVER_APPLIES",
                where + (universal[0],) if entry.is_list else where,
                f"in {statement_name(statement)}, `{entry.operator}` with `{shown}` excludes every value of "
                f"`{entry.key}`, {tail}",
            )
            continue
        for other, other_op in plain:
            if other_op.negated or other_op.if_exists or other.key.lower() != entry.key.lower():
                continue
            if other_op.spec.family.value != op.spec.family.value or not other.values:
                continue
            if all(
                isinstance(p, str)
                and any(isinstance(n, str) and _excluded(p, n, other_op, op) for n in entry.values)
                for p in other.values
            ):
                yield doc.finding(
                    "DENY_NEGATED_CONDITION_NEVER_APPLIES",
                    where,
                    f"{statement_name(statement)} can never apply: `{other.operator}` requires `{entry.key}` "
                    f"to be one of {_shown(map(str, other.values))}, and `{entry.operator}` requires "
                    "it to be none of them; keep one of the two conditions",
                )
                break


def _check_deny_never(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in doc.statements():
        if statement.effect == "Deny" and statement.condition:
            yield from _never_findings(doc, path, statement)


# -- the rules -------------------------------------------------------------------------------

_DENY_NOTE = (
    " Not reported when a `Deny` in the same document already blocks the whole grant."
)
_WHO_NOTE = (
    " Not reported when the grant's own condition pins down who can use it, when a `Deny` "
    "covering the grant denies everyone outside such a set (e.g. `StringNotEquals` on "
    "`aws:PrincipalOrgID`), or when a `Deny` in the same document blocks the whole grant."
)


_BUCKET = "arn:aws:s3:::reports"
_ADMIN = "arn:aws:iam::111122223333:role/admin"
_GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{_BUCKET}/*"}
_FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:report"
_GITHUB_ARN = f"arn:aws:iam::111122223333:oidc-provider/{_GITHUB}"
_EXAMPLE_OIDC = "arn:aws:iam::111122223333:oidc-provider/oidc.example.com"
_GITHUB_TRUST = {
    "Effect": "Allow",
    "Principal": {"Federated": _GITHUB_ARN},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {f"{_GITHUB}:aud": "sts.amazonaws.com"}},
}
# the GitHub trust done right: the audience and one repository's branch (a near miss twice)
_GITHUB_PINNED = {**_GITHUB_TRUST, "Condition": {
    "StringEquals": {f"{_GITHUB}:aud": "sts.amazonaws.com",
                     f"{_GITHUB}:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}}}
# statements that an example flags and its near miss repeats with a condition or a Deny
_NOT_ACTION = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
_ANY_AWS_TRUST = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
_OIDC_TRUST = {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
               "Principal": {"Federated": _EXAMPLE_OIDC}}
_SERVICE_GRANT = {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                  "Action": "lambda:InvokeFunction", "Resource": _FUNCTION}

RULES: tuple[Rule, ...] = (
    Rule(
        "ALLOW_WITH_NOT_ACTION",
        Severity.SECURITY_WARNING,
        "An `Allow` with `NotAction` on every resource.",
        "`NotAction` in an `Allow` grants every action of every service except those listed, "
        "including actions AWS adds later; list the actions in `Action`." + _DENY_NOTE,
        _check_allow_not_action,
        _policy(_NOT_ACTION),
        _policy(_NOT_ACTION, {"Effect": "Deny", "Action": "*", "Resource": "*"}),
        policy_types=frozenset({"identity", "resource"}),
        access_analyzer=False,
        example_policy_type="identity",
    ),
    Rule(
        "ALLOW_WITH_NOT_RESOURCE",
        Severity.SECURITY_WARNING,
        "An `Allow` with `NotResource`.",
        "`NotResource` in an `Allow` grants the actions on every resource except those listed, in "
        "every account and including resources created later; list the resources in `Resource`."
        + _DENY_NOTE,
        _check_allow_not_resource,
        _policy({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": f"{_BUCKET}/secret/*"}),
        _policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{_BUCKET}/public/*"}),
        policy_types=frozenset({"identity", "resource"}),
        access_analyzer=False,
        example_policy_type="identity",
    ),
    Rule(
        "PUBLIC_RESOURCE_POLICY",
        Severity.SECURITY_WARNING,
        'A resource policy that allows `"Principal": "*"` with nothing restricting who.',
        'An `Allow` for "*" or {"AWS": "*"} without a condition on the caller grants anonymous '
        "callers and every AWS account; name the principals, or add a condition on "
        "`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceVpce` or `aws:SourceIp`." + _WHO_NOTE,
        _check_public,
        _policy({**_GET, "Principal": "*"}),
        _policy({**_GET, "Principal": "*",
                 "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}),
        policy_types=frozenset({"resource"}),
        access_analyzer=False,
        example_policy_type="resource",
    ),
    Rule(
        "TRUST_POLICY_ANY_PRINCIPAL",
        Severity.SECURITY_WARNING,
        'A role trust policy that lets {"AWS": "*"} assume the role with nothing restricting who.',
        "Any principal of any AWS account can then assume the role; name the trusted accounts or "
        "roles, or add a condition on `aws:PrincipalOrgID`, `aws:PrincipalAccount` or "
        "`aws:PrincipalArn`." + _WHO_NOTE,
        _check_trust_any_principal,
        _policy(_ANY_AWS_TRUST),
        _policy({**_ANY_AWS_TRUST, "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}),
        policy_types=frozenset({"trust"}),
        access_analyzer=False,
        example_policy_type="trust",
    ),
    Rule(
        "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
        Severity.SECURITY_WARNING,
        "A trust policy that trusts an OIDC provider without conditions on its tokens.",
        "Without conditions on the provider's claims (`HOST:aud`, `HOST:sub`) any identity the "
        "provider issues tokens to can assume the role." + _DENY_NOTE,
        _check_oidc_conditions,
        _policy(_OIDC_TRUST),
        _policy({**_OIDC_TRUST, "Condition": {"StringEquals": {"oidc.example.com:aud": "my-app"}}}),
        policy_types=frozenset({"trust"}),
        access_analyzer=True,
        example_policy_type="trust",
    ),
    Rule(
        "MISSING_GITHUB_REPO_CONDITION_KEY",
        Severity.SECURITY_WARNING,
        "A GitHub Actions trust policy that does not pin `token.actions.githubusercontent.com:sub`.",
        "GitHub issues tokens to every repository's workflows; without a `sub` condition naming "
        "your organisation and repository, any of them can assume the role." + _DENY_NOTE,
        _check_github_repo,
        _policy(_GITHUB_TRUST),
        _policy(_GITHUB_PINNED),
        policy_types=frozenset({"trust"}),
        access_analyzer=True,
        example_policy_type="trust",
    ),
    Rule(
        "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
        Severity.WARNING,
        "A GitHub Actions `sub` condition with wildcards.",
        "A wildcard in `token.actions.githubusercontent.com:sub` admits every matching repository, "
        "branch, tag or pull request; name the repository and the branch or environment.",
        _check_github_specific,
        _policy({**_GITHUB_TRUST, "Condition": {
            "StringEquals": {f"{_GITHUB}:aud": "sts.amazonaws.com"},
            "StringLike": {f"{_GITHUB}:sub": "repo:octo-org/*"}}}),
        _policy(_GITHUB_PINNED),
        policy_types=frozenset({"trust"}),
        access_analyzer=True,
        example_policy_type="trust",
    ),
    Rule(
        "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
        Severity.SECURITY_WARNING,
        "A resource policy that grants a service principal with no `aws:SourceArn` or "
        "`aws:SourceAccount` condition.",
        "A service principal acts for every customer of the service; without a condition naming "
        "the source resource or account, another account can make the service use your resource "
        "(the confused deputy problem; for S3 sources, whose ARNs carry no account, add "
        "`aws:SourceAccount`)." + _WHO_NOTE,
        _check_service_source,
        _policy(_SERVICE_GRANT),
        _policy({**_SERVICE_GRANT, "Condition": {"ArnLike": {"aws:SourceArn": _BUCKET},
                                                 "StringEquals": {"aws:SourceAccount": "111122223333"}}}),
        policy_types=frozenset({"resource"}),
        access_analyzer=True,
        example_policy_type="resource",
    ),
    Rule(
        "DENY_NEGATED_CONDITION_NEVER_APPLIES",
        Severity.WARNING,
        "A `Deny` whose negated condition excludes every value, or contradicts another condition.",
        "A negated operator matches when the request value matches none of the listed values, and "
        "when the key is missing (IAM User Guide, condition operators). With a value that matches "
        "everything (`StringNotLike` `*`) the `Deny` applies only to requests without the key; next "
        "to a positive operator on the same key with values it excludes, it never applies. Either "
        "way the `Deny` does not protect what it seems to.",
        _check_deny_never,
        _policy({"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                 "Condition": {"StringNotLike": {"aws:PrincipalArn": [_ADMIN, "*"]}}}),
        _policy({"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                 "Condition": {"ArnNotLike": {"aws:PrincipalArn": [_ADMIN]}}}),
        policy_types=None,
        access_analyzer=False,
        example_policy_type="identity",
    ),
)
