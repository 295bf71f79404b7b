"""Lint rules: the values in `Principal` and `NotPrincipal`.

What a principal value may be (IAM User Guide, Principal element):

- `AWS`: `"*"`, a 12-digit account ID, or the ARN of an account root, IAM user, IAM role,
  role session (`arn:aws:sts::111122223333:assumed-role/ROLE/SESSION`) or federated user
  (`arn:aws:sts::111122223333:federated-user/NAME`); also CloudFront origin access
  identities (`arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E...`).
  IAM shows a deleted user or role as its unique ID (`AIDA...`, `AROA...`).
- `Service`: a service principal, `name.amazonaws.com` (or the name of a partition's
  domain, e.g. `amazonaws.com.cn`; Alexa's `alexa-appkit.amazon.com`).
- `Federated`: a SAML or OIDC provider ARN, or a web identity provider's domain.
- `CanonicalUser`: a 64-hex-digit S3 canonical user ID.
- No partial wildcards anywhere: `"*"` is only valid as the whole `AWS` value (or the
  whole `Principal`), and a role session principal names one specific session.

Values holding `${...}` (an unresolved template substitution, e.g. CloudFormation's
`${AWS::AccountId}`) are left alone: their final text is unknown.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Callable, Iterator

from ...model.policy import Statement
from ..document import JsonPath, LintDocument
from ..finding import Finding, Severity
from ..rules import Rule
from ._common import example_policy as _policy, statement_name

WITH_PRINCIPAL = frozenset({"resource", "trust"})

_PARTITION = r"aws(?:-[a-z]+)*"
_IAM_ARN = re.compile(rf"^arn:{_PARTITION}:iam::(?P<account>[^:]*):(?P<resource>.*)$")
_STS_ARN = re.compile(rf"^arn:{_PARTITION}:sts::(?P<account>[^:]*):(?P<resource>.*)$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_CLOUDFRONT_OAI = re.compile(
    r"^arn:aws(?:-[a-z]+)*:iam::cloudfront:user/CloudFront Origin Access Identity \S+$"
)
_NAME = r"[^\s/]+"
_IAM_RESOURCE = re.compile(rf"^(?:root|user(?:/{_NAME})+|role(?:/{_NAME})+)$")
_STS_RESOURCE = re.compile(rf"^(?:assumed-role/{_NAME}/{_NAME}|federated-user/{_NAME})$")
_USER_ID = re.compile(r"^AIDA[A-Z0-9]{12,}$")
_ROLE_ID = re.compile(r"^AROA[A-Z0-9]{12,}$")
_CANONICAL_USER = re.compile(r"^[0-9a-f]{64}$")

_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
# Service principal domains: the commercial partition, China, Alexa (Lambda triggers),
# and the isolated partitions' domains.
_SERVICE_DOMAINS = (
    r"amazonaws\.com",
    r"amazonaws\.com\.cn",
    r"amazon\.com",
    r"c2s\.ic\.gov",
    r"sc2s\.sgov\.gov",
    r"cloud\.adc-e\.uk",
    r"csp\.hci\.ic\.gov",
    r"amazonaws\.eu",
)
_SERVICE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.(?:{'|'.join(_SERVICE_DOMAINS)})$")
_SAML_PROVIDER = re.compile(rf"^arn:{_PARTITION}:iam::\d{{12}}:saml-provider/[\w+=,.@-]+$")
_OIDC_PROVIDER = re.compile(rf"^arn:{_PARTITION}:iam::\d{{12}}:oidc-provider/\S+$")
_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"^{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})+$")

_GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
_INVOKE = {"Effect": "Allow", "Action": "lambda:InvokeFunction",
           "Resource": "arn:aws:lambda:us-east-1:111122223333:function:report"}


def principal_values(
    path: JsonPath, statement: Statement
) -> Iterator[tuple[JsonPath, str, str, str]]:
    """(JSON path, element, kind, value) of every named principal of a statement."""
    elements = (("Principal", statement.principal), ("NotPrincipal", statement.not_principal))
    for element, principal in elements:
        if principal is None or principal.wildcard:
            continue
        for kind, names in principal.values.items():
            listed = kind in principal.list_kinds
            for i, name in enumerate(names):
                where = path + ((element, kind, i) if listed else (element, kind))
                yield where, element, kind, name


def _unknown(value: str) -> bool:
    return "${" in value


def _has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


# -- Service ---------------------------------------------------------------------------------


def service_principal_problem(value: str) -> str | None:
    """Why `value` is not a service principal, or None when it is one."""
    if _SERVICE.match(value):
        return None
    if _SERVICE.match(value.lower()):
        return f"service principals are lower-case: write `{value.lower()}`"
    if value.startswith("arn:"):
        return "an ARN is not a service principal: put IAM ARNs under `AWS`"
    if _ACCOUNT_ID.match(value):
        return "an account ID is not a service principal: put it under `AWS`"
    bare = value.strip().lower()
    if bare.endswith(".amazonaws"):
        return f"the domain is incomplete: write `{bare}.com`"
    if re.fullmatch(r"[a-z0-9-]+", bare):
        return f"a service principal is a domain name: write `{bare}.amazonaws.com`"
    return "a service principal looks like `lambda.amazonaws.com`"


def _check_service_format(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in doc.statements():
        for where, element, kind, value in principal_values(path, statement):
            if kind != "Service" or _unknown(value) or _has_wildcard(value):
                continue
            problem = service_principal_problem(value)
            if problem:
                yield doc.finding(
                    "INVALID_SERVICE_PRINCIPAL_FORMAT",
                    where,
                    f"`{value}` is not a valid service principal: {problem}",
                )


# -- AWS and CanonicalUser -------------------------------------------------------------------


def _shape(text: str) -> str:
    """The text with each run of wildcards replaced by a name character (checked separately)."""
    return re.sub(r"[*?]+", "x", text)


def aws_principal_problem(value: str) -> str | None:
    """Why `value` is not a valid `AWS` principal, or None when it is one.

    Wildcards are `UNSUPPORTED_WILDCARD_IN_PRINCIPAL`'s business: here they stand for any
    name, and an account field with a wildcard is taken as an account.
    """
    if value == "*" or _USER_ID.match(value) or _ROLE_ID.match(value):
        return None
    if _ACCOUNT_ID.match(value) or _CLOUDFRONT_OAI.match(value):
        return None
    if _has_wildcard(value) and re.fullmatch(r"[\d*?]+", value):
        return None
    if re.fullmatch(r"\d+", value):
        return f"an account ID has 12 digits, `{value}` has {len(value)}"
    if _SERVICE.match(value.lower()):
        return "service principals go under `Service`, not `AWS`"
    forms = ((_IAM_ARN, _IAM_RESOURCE, "iam"), (_STS_ARN, _STS_RESOURCE, "sts"))
    for pattern, resource_ok, service in forms:
        match = pattern.match(value)
        if not match:
            continue
        account, resource = match.group("account"), _shape(match.group("resource"))
        if not (_ACCOUNT_ID.match(account) or _has_wildcard(account)):
            return f"the account field `{account}` is not a 12-digit account ID"
        if resource_ok.match(resource):
            return None
        if service == "iam" and resource.startswith("group/"):
            return "IAM groups cannot be principals: name the users, or grant a role they can assume"
        if service == "iam" and resource.startswith(("saml-provider/", "oidc-provider/")):
            return "identity providers go under `Federated`, not `AWS`"
        if service == "sts" and resource.startswith("assumed-role/"):
            return (
                "a role session principal names the role and one session: "
                "`arn:aws:sts::111122223333:assumed-role/ROLE/SESSION` (or name the role's ARN)"
            )
        return (
            "an IAM principal ARN ends in `root`, `user/NAME` or `role/NAME` (IAM), or "
            "`assumed-role/ROLE/SESSION` or `federated-user/NAME` (STS)"
        )
    if value.startswith("arn:"):
        return (
            "only accounts, IAM users, roles, role sessions and federated users can be `AWS` "
            "principals; to match a resource, compare `aws:SourceArn` in a condition"
        )
    return "use `*`, a 12-digit account ID, or the ARN of an IAM user, role or role session"


def _check_principal_value(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in doc.statements():
        for where, element, kind, value in principal_values(path, statement):
            if _unknown(value):
                continue
            if kind == "AWS":
                problem = aws_principal_problem(value)
            elif kind == "CanonicalUser":
                problem = (
                    None
                    if _CANONICAL_USER.match(value) or _has_wildcard(value)
                    else "a canonical user ID is 64 lower-case hexadecimal digits"
                )
            else:
                continue
            if problem:
                yield doc.finding(
                    "INVALID_PRINCIPAL_VALUE",
                    where,
                    f"`{value}` is not a valid `{kind}` principal: {problem}",
                )


def _check_unique_id_reference(
    code: str, pattern: re.Pattern[str], what: str
) -> Callable[[LintDocument], Iterator[Finding]]:
    def check(doc: LintDocument) -> Iterator[Finding]:
        for path, statement, _raw in doc.statements():
            for where, element, kind, value in principal_values(path, statement):
                if kind == "AWS" and pattern.match(value):
                    yield doc.finding(
                        code,
                        where,
                        f"`{value}` is the unique ID of an IAM {what}, which IAM shows when the "
                        f"{what} was deleted: a {what} created again under the same name gets a "
                        f"new ID and is not matched; write the {what}'s ARN (or remove the entry)",
                    )

    return check


# -- wildcards -------------------------------------------------------------------------------


def _wildcard_problem(kind: str, value: str) -> str:
    if kind == "AWS" and ":assumed-role/" in value:
        return (
            "a role session principal must name one specific session; to allow every session "
            "of a role, name the role's ARN"
        )
    if kind == "AWS":
        return (
            "AWS refuses the policy or matches the text literally, so it names no one; use `*` "
            "with a condition such as `aws:PrincipalOrgID` or `aws:PrincipalAccount`, or match "
            "ARNs with `ArnLike` on `aws:PrincipalArn`"
        )
    if kind == "Service":
        return "name each service principal, e.g. `lambda.amazonaws.com`"
    return "name the principal without wildcards"


def _check_wildcard(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in doc.statements():
        for where, element, kind, value in principal_values(path, statement):
            if _unknown(value) or not _has_wildcard(value) or (kind == "AWS" and value == "*"):
                continue
            yield doc.finding(
                "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
                where,
                f"`{value}` has a wildcard, which `{kind}` principals do not support: "
                f"{_wildcard_problem(kind, value)}",
            )


# -- Federated -------------------------------------------------------------------------------


def federated_kind(value: str) -> str | None:
    """`saml`, `oidc` (provider ARN or web identity domain), or None when not valid."""
    if _SAML_PROVIDER.match(value):
        return "saml"
    if _OIDC_PROVIDER.match(value) or _DOMAIN.match(value):
        return "oidc"
    return None


def oidc_provider_host(value: str) -> str | None:
    """The condition-key prefix of an OIDC principal: the provider URL without `https://`."""
    if _OIDC_PROVIDER.match(value):
        return value.split(":oidc-provider/", 1)[1]
    if _DOMAIN.match(value):
        return value
    return None


def _check_federated_syntax(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in doc.statements():
        for where, element, kind, value in principal_values(path, statement):
            if kind != "Federated" or _unknown(value) or _has_wildcard(value):
                continue
            if federated_kind(value) is None:
                hint = ""
                if value.startswith("arn:") and ":iam::" in value:
                    hint = (
                        " (check the 12-digit account and the `saml-provider/` or "
                        "`oidc-provider/` part)"
                    )
                yield doc.finding(
                    "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
                    where,
                    f"`{value}` is not a federated principal: write a SAML provider ARN "
                    "(`arn:aws:iam::111122223333:saml-provider/NAME`), an OIDC provider ARN "
                    "(`arn:aws:iam::111122223333:oidc-provider/HOST`) or a web identity "
                    f"provider's domain such as `accounts.google.com`{hint}",
                )


def _check_federated_not_supported(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in doc.statements():
        for where, element, kind, value in principal_values(path, statement):
            if kind == "Federated":
                yield doc.finding(
                    "FEDERATED_PRINCIPAL_NOT_SUPPORTED",
                    where,
                    f"`{value}` is a federated principal, which resource policies do not "
                    "support: federated users act through a role, so grant that role (or its "
                    "sessions) instead",
                )
                break


# -- actions that fit the principal (trust policies) -----------------------------------------

_ASSUME_FITS = {
    "sts:assumerole": ({"AWS", "Service"}, "an `AWS` or `Service` principal"),
    "sts:assumerolewithsaml": ({"saml"}, "a SAML provider under `Federated`"),
    "sts:assumerolewithwebidentity": (
        {"oidc"},
        "an OIDC provider or web identity domain under `Federated`",
    ),
}


def _principal_types(statement: Statement) -> set[str] | None:
    """The kinds of principal a trust statement names; None for `*` (fits every action)."""
    if statement.principal is None or statement.principal.wildcard:
        return None
    types: set[str] = set()
    for kind, names in statement.principal.values.items():
        if kind == "Federated":
            for name in names:
                if _unknown(name):
                    return None
                found = federated_kind(name)
                if found:
                    types.add(found)
        elif names:
            types.add(kind)
    return types


def _check_mismatched_action(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if statement.action is None:
            continue
        types = _principal_types(statement)
        if types is None or not types:
            continue
        listed = isinstance(raw.get("Action"), list)
        for i, action in enumerate(statement.action):
            fit = _ASSUME_FITS.get(action.lower())
            if fit is None or types & fit[0]:
                continue
            yield doc.finding(
                "MISMATCHED_ACTION_FOR_PRINCIPAL",
                path + (("Action", i) if listed else ("Action",)),
                f"`{action}` needs {fit[1]}, but {statement_name(statement)} names only "
                f"{_describe_types(types)}, so no principal can assume the role this way; "
                f"{_fix_for(action.lower())}",
            )


def _describe_types(types: set[str]) -> str:
    names = {"AWS": "`AWS` principals", "Service": "`Service` principals", "saml": "a SAML provider",
             "oidc": "an OIDC provider", "CanonicalUser": "`CanonicalUser` principals"}
    return " and ".join(names.get(t, t) for t in sorted(types))


def _fix_for(action: str) -> str:
    return {
        "sts:assumerole": "federated users assume roles with `sts:AssumeRoleWithSAML` or "
        "`sts:AssumeRoleWithWebIdentity`",
        "sts:assumerolewithsaml": "name the SAML provider's ARN under `Federated`, or use "
        "`sts:AssumeRole` for IAM principals",
        "sts:assumerolewithwebidentity": "name the OIDC provider's ARN under `Federated`, or use "
        "`sts:AssumeRole` for IAM principals",
    }[action]


# -- the rules -------------------------------------------------------------------------------


_rule = partial(Rule, policy_types=WITH_PRINCIPAL, access_analyzer=True, example_policy_type="resource")


_TRUST = {"Effect": "Allow", "Action": "sts:AssumeRoleWithSAML",
          "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"},
          "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}

RULES: tuple[Rule, ...] = (
    _rule(
        "INVALID_SERVICE_PRINCIPAL_FORMAT",
        Severity.ERROR,
        "A `Service` principal that is not a service principal name.",
        "Service principals are lower-case domain names such as `lambda.amazonaws.com`; a "
        "misspelt one names no service, so the statement never applies.",
        _check_service_format,
        _policy({**_INVOKE, "Principal": {"Service": "lambda.amazonaws"},
                 "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::reports"}}}),
        _policy({**_INVOKE, "Principal": {"Service": "s3.amazonaws.com"},
                 "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::reports"}}}),
    ),
    _rule(
        "INVALID_PRINCIPAL_VALUE",
        Severity.ERROR,
        "An `AWS` or `CanonicalUser` principal that names no valid principal.",
        "An `AWS` principal is `*`, a 12-digit account ID, or the ARN of an account root, IAM "
        "user, role, role session or federated user (IAM User Guide, Principal element); "
        "anything else (a group, a bucket ARN, a short account number) is refused or names no one.",
        _check_principal_value,
        _policy({**_GET, "Principal": {"AWS": "arn:aws:iam::111122223333:group/readers"}}),
        _policy({**_GET, "Principal": {"AWS": "arn:aws:iam::111122223333:role/readers"}}),
        access_analyzer=False,
    ),
    _rule(
        "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
        Severity.ERROR,
        "A wildcard inside a principal value (only a whole `*` is allowed).",
        "AWS does not expand wildcards in principal values (it refuses the policy or matches the "
        "text literally): `arn:aws:iam::*:root` or `arn:aws:iam::111122223333:role/app-*` names "
        "no one. Use `*` with a condition on "
        "`aws:PrincipalArn`, `aws:PrincipalAccount` or `aws:PrincipalOrgID` instead.",
        _check_wildcard,
        _policy({**_GET, "Principal": {"AWS": "arn:aws:iam::111122223333:role/app-*"}}),
        _policy({**_GET, "Principal": {"AWS": "*"},
                 "Condition": {"ArnLike": {
                     "aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*"}}}),
    ),
    _rule(
        "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
        Severity.ERROR,
        "A `Federated` principal that is not a provider ARN or a web identity domain.",
        "A trust policy's `Federated` principal is a SAML provider ARN, an OIDC provider ARN or a "
        "web identity provider's domain (`cognito-identity.amazonaws.com`, `accounts.google.com`).",
        _check_federated_syntax,
        _policy({**_TRUST, "Principal": {"Federated": "arn:aws:iam::111122223333:saml/Okta"}}),
        _policy(_TRUST),
        policy_types=frozenset({"trust"}),
        example_policy_type="trust",
    ),
    _rule(
        "FEDERATED_PRINCIPAL_NOT_SUPPORTED",
        Severity.ERROR,
        "A `Federated` principal in a resource policy.",
        "Only role trust policies take `Federated` principals; federated users reach resources "
        "through the role they assume, so grant that role.",
        _check_federated_not_supported,
        _policy({**_GET, "Principal": {"Federated": "accounts.google.com"}}),
        _policy({**_GET, "Principal": {"AWS": "arn:aws:iam::111122223333:role/web-users"}}),
        policy_types=frozenset({"resource"}),
    ),
    _rule(
        "INVALID_ROLE_REFERENCE",
        Severity.WARNING,
        "A principal given as an IAM role's unique ID (`AROA...`).",
        "IAM shows a role's unique ID in a policy when the role was deleted; a role re-created "
        "under the same name has a new ID and is not matched. Write the role's ARN.",
        _check_unique_id_reference("INVALID_ROLE_REFERENCE", _ROLE_ID, "role"),
        _policy({**_GET, "Principal": {"AWS": "AROAEXAMPLEID1234567"}}),
        _policy({**_GET, "Principal": {"AWS": "arn:aws:iam::111122223333:role/reader"}}),
    ),
    _rule(
        "INVALID_USER_REFERENCE",
        Severity.WARNING,
        "A principal given as an IAM user's unique ID (`AIDA...`).",
        "IAM shows a user's unique ID in a policy when the user was deleted; a user re-created "
        "under the same name has a new ID and is not matched. Write the user's ARN.",
        _check_unique_id_reference("INVALID_USER_REFERENCE", _USER_ID, "user"),
        _policy({**_GET, "Principal": {"AWS": "AIDAEXAMPLEID1234567"}}),
        _policy({**_GET, "Principal": {"AWS": "arn:aws:iam::111122223333:user/reader"}}),
    ),
    _rule(
        "MISMATCHED_ACTION_FOR_PRINCIPAL",
        Severity.ERROR,
        "An assume-role action that no principal of the trust statement can use.",
        "`sts:AssumeRole` is for IAM principals and services, `sts:AssumeRoleWithSAML` for a SAML "
        "provider and `sts:AssumeRoleWithWebIdentity` for an OIDC provider; with the wrong pair the "
        "statement lets no one assume the role.",
        _check_mismatched_action,
        _policy({**_TRUST, "Action": "sts:AssumeRole"}),
        _policy(_TRUST),
        policy_types=frozenset({"trust"}),
        example_policy_type="trust",
    ),
)
