"""Lint rules: trust policies that trust an OIDC identity provider, GitHub Actions above
all, without conditions that pin down whose tokens may assume the role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ....evaluation.conditions.operators import SetQualifier
from ....model.policy import ConditionEntry, Statement
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from ..principals import federated_kind, oidc_provider_host, principal_values
from ._restrictions import _only_wildcards, _resolve, blocking_deny
from ._shared import _DENY_NOTE, _grants

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


# -- the rules -------------------------------------------------------------------------------

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
# a statement that the example flags and its near miss repeats with a condition
_OIDC_TRUST = {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
               "Principal": {"Federated": _EXAMPLE_OIDC}}

RULES: tuple[Rule, ...] = (

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
)
