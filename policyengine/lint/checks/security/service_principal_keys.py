"""Lint rules: condition keys in statements whose only principals are AWS service
principals — keys a service principal never has, and keys that do not say which resource
or account the service acts for.

When a service calls with its service principal (`cloudfront.amazonaws.com`), the caller
is the service itself: it belongs to no AWS Organizations organization, has no IAM tags,
no MFA and no federated session, so the keys describing those are not in the request
context (IAM User Guide, "AWS global condition context keys", availability of each key;
Access Analyzer's "Unsupported condition key for service principal" gives
`aws:PrincipalOrgID` with `cloudfront.amazonaws.com` as its example). The keys that tie
such a request to your resources are `aws:SourceArn`, `aws:SourceAccount`,
`aws:SourceOrgID` and `aws:SourceOrgPaths` (the confused deputy problem); request
properties the caller chooses (`aws:Referer`, `aws:UserAgent`) do not.

Decisions:
- Only statements whose `Principal` names service principals and nothing else (with an
  `AWS` principal beside them, the keys apply to that one).
- `UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL` lists only keys whose absence for a
  service principal follows from what the key describes (organization membership, IAM
  tags, MFA, federation); `Null` tests are not reported.
- `RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL` is reported on an `Allow` that uses
  `aws:Referer` or `aws:UserAgent` without any source key.
"""

from __future__ import annotations

from collections.abc import Iterator

from ....model.policy import Statement
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from ._restrictions import SOURCE_KEYS, _resolve
from ._shared import _shown

# key (lower case, a prefix when it ends with "/") -> what a service principal lacks
_NEVER_FOR_SERVICES: dict[str, str] = {
    "aws:principalorgid": "is in no AWS Organizations organization",
    "aws:principalorgpaths": "is in no AWS Organizations organization",
    "aws:principaltag/": "has no IAM tags",
    "aws:multifactorauthpresent": "does not sign in with MFA",
    "aws:multifactorauthage": "does not sign in with MFA",
    "aws:federatedprovider": "is not a federated session",
}
_CALLER_CHOSEN = ("aws:referer", "aws:useragent")


def _lacks(key: str) -> str | None:
    lower = key.lower()
    for name, why in _NEVER_FOR_SERVICES.items():
        if lower == name or (name.endswith("/") and lower.startswith(name) and len(lower) > len(name)):
            return why
    return None


def _service_only(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, list[str]]]:
    for path, statement, _raw in doc.statements():
        principal = statement.principal
        if principal is None or principal.wildcard or set(principal.values) != {"Service"}:
            continue
        services = [s for s in principal.values["Service"] if isinstance(s, str)]
        if services:
            yield path, statement, services


def _check_unsupported(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, services in _service_only(doc):
        for entry in statement.condition:
            why = _lacks(entry.key)
            op = _resolve(entry)
            if why is None or op is None or op.spec.presence_only:
                continue
            effect = "always holds" if op.negated or op.if_exists else "never holds"
            yield doc.finding(
                "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                path + ("Condition", entry.operator, entry.key),
                f"{statement_name(statement)} grants {_shown(services)}, and a service principal {why}: "
                f"`{entry.key}` is never in its request context, so this condition {effect}; use "
                "`aws:SourceArn`, `aws:SourceAccount` or `aws:SourceOrgID` to restrict the service",
            )


def _check_recommended(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, services in _service_only(doc):
        if statement.effect != "Allow":
            continue
        if any(e.key.lower() in SOURCE_KEYS for e in statement.condition):
            continue
        for entry in statement.condition:
            if entry.key.lower() not in _CALLER_CHOSEN:
                continue
            yield doc.finding(
                "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                path + ("Condition", entry.operator, entry.key),
                f"`{entry.key}` is a header the caller chooses and does not say which resource or account "
                f"{_shown(services)} acts for; restrict {statement_name(statement)} with `aws:SourceArn`, "
                "`aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` instead",
            )


_BUCKET_OBJECTS = "arn:aws:s3:::reports/*"
_DISTRIBUTION = "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"
_CLOUDFRONT = {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
               "Action": "s3:GetObject", "Resource": _BUCKET_OBJECTS}

RULES: tuple[Rule, ...] = (
    Rule(
        "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
        Severity.ERROR,
        "A condition on a key that a service principal never has (`aws:PrincipalOrgID`, "
        "`aws:PrincipalTag/...`, MFA) in a statement for service principals only.",
        "A service principal belongs to no organization and has no IAM tags, MFA or federated "
        "session, so these keys are never in its request context: a positive condition on them never "
        "holds and a negated one always does. Restrict services with `aws:SourceArn`, "
        "`aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths`.",
        _check_unsupported,
        _policy({**_CLOUDFRONT, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}),
        _policy({**_CLOUDFRONT, "Condition": {"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}}),
        policy_types=frozenset({"resource", "trust"}),
        access_analyzer=True,
        example_policy_type="resource",
    ),
    Rule(
        "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
        Severity.SUGGESTION,
        "A grant to a service principal restricted by `aws:Referer` or `aws:UserAgent` instead of "
        "a source key.",
        "`aws:Referer` and `aws:UserAgent` are request headers the caller sets; they do not tie the "
        "service's request to your resource or account. Use `aws:SourceArn`, `aws:SourceAccount`, "
        "`aws:SourceOrgID` or `aws:SourceOrgPaths` (the confused deputy problem).",
        _check_recommended,
        _policy({**_CLOUDFRONT, "Condition": {"StringEquals": {"aws:Referer": "secret-header-value"}}}),
        _policy({**_CLOUDFRONT, "Condition": {"ArnEquals": {"aws:SourceArn": _DISTRIBUTION}}}),
        policy_types=frozenset({"resource", "trust"}),
        access_analyzer=True,
        example_policy_type="resource",
    ),
)
