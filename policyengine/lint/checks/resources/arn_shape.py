"""Lint rules: the shape of each `Resource` / `NotResource` entry, checked against the catalogue.

Each entry is examined once (`_examine`, cached by text) and gets at most one finding
about its own shape, in this order: not an ARN (`INVALID_ARN_PREFIX`), too few fields
(`MISSING_ARN_FIELD`), a policy variable in the partition or service
(`UNSUPPORTED_VARIABLE_IN_ARN`), an unknown partition, a partial wildcard in the
service, the service's letter case, an unknown service, a resource part that fits no
resource type of the service (`INVALID_ARN_RESOURCE`), then the region and account
fields against the types whose resource part fits.

Decisions (each made so that valid AWS policies are not reported):
- Policy variables stand for any text. AWS's own managed policies put
  `${aws:PrincipalAccount}` in the account field and `${aws:RequestedRegion}` in the
  region field, and IAM accepts them, so only variables in the partition or service
  field are reported.
- AWS publishes resources of its own with an empty or `aws` account
  (`arn:aws:ssm:us-east-1::document/AWS-RunShellScript`, `/aws/service/...` public
  parameters, `arn:aws:cloudformation:*:aws:transform/...`): an empty account fits a
  template's `${Account}`, and `MISSING_ARN_ACCOUNT` is reported only for services
  without Regions (IAM), where an empty account is always wrong. ARNs in the `aws`
  account are not matched against resource types (the reference omits many).
- A `*` alone in the service field (`arn:aws:*:*:111122223333:*`) is a deliberate "any
  service" pattern and is accepted; a partial wildcard (`s3*`) is an error.
- A resource part that fits no documented type is an error only when it visibly matches
  nothing, otherwise a warning (see `_resource_part`). Both skip `NotResource`, where AWS
  lists principal ARNs (`arn:aws:iam::*:root`) that are not resource types.
- Regions are checked for shape only (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`),
  offline; accounts must be 12 digits, `aws`, or a literal of the service's template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ... import patterns as pt
from ...catalogue import Catalogue, ResourceTypeInfo
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import entries, has_wildcard, join_names, per_document
from ._resource_part import _missing_type, _unfit
from ._shared import _RESOURCE_ELEMENTS, _policy, _Problem, _s3

PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})
_REGION = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$")
_ACCOUNT = re.compile(r"^\d{12}$")
_FIT_CODES = ("INVALID_ARN_RESOURCE", "UNDOCUMENTED_ARN_RESOURCE")


def _is_fixed(segment: str, variables: bool) -> bool:
    """No wildcard and no policy variable in the segment."""
    return not has_wildcard(segment) and not (variables and "${" in segment)


@lru_cache(maxsize=16384)
def _examine(resource: str, variables: bool, catalogue: Catalogue) -> _Problem | None:
    if not resource or set(resource) <= {"*", "?"}:
        return None
    if not resource.startswith("arn:"):
        if resource.startswith("${") or (resource.startswith("arn") and has_wildcard(resource[3:4])):
            return None
        return _Problem(
            "INVALID_ARN_PREFIX",
            f"`{resource}` is not an ARN: a resource is `*` or starts with `arn:` "
            "(e.g. `arn:aws:s3:::my-bucket/*`)",
        )
    segments = pt.split_arn(resource, variables)
    if segments is None:
        return _Problem(
            "MISSING_ARN_FIELD",
            f"`{resource}` has {len(pt._split_colons(resource, 5, variables))} of the 6 colon-separated ARN fields "
            "(`arn:partition:service:region:account:resource`)",
        )
    _, partition, service, region, account, _rest = segments
    if variables and ("${" in partition or "${" in service):
        return _Problem(
            "UNSUPPORTED_VARIABLE_IN_ARN",
            f"`{resource}` has a policy variable in its partition or service field, where IAM does "
            "not substitute it; write the partition and service out",
        )
    if _is_fixed(partition, variables) and partition not in PARTITIONS:
        return _Problem(
            "INVALID_PARTITION",
            f"`{partition}` in `{resource}` is not an AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...)",
        )
    if has_wildcard(service):
        if set(service) == {"*"}:
            return None
        return _Problem(
            "WILDCARD_IN_ARN_SERVICE",
            f"`{service}` in `{resource}` has a wildcard in the service field; write the service "
            "prefix out (`s3`, `dynamodb`, ...)",
        )
    if service != service.lower():
        return _Problem(
            "INVALID_ARN_SERVICE_CASE",
            f"the service field `{service}` of `{resource}` must be lower case (`{service.lower()}`): "
            "ARNs are case-sensitive and this one matches nothing",
        )
    types = catalogue.resource_types_for_arn_service(service)
    if not types:
        if catalogue.service_exists(service):
            return None  # a service with no resource types: nothing to compare with
        close = catalogue.suggest_service(service)
        hint = f"; did you mean `{close}`?" if close else ""
        return _Problem("INVALID_SERVICE", f"`{service}` in `{resource}` is not an AWS service{hint}")
    # Compare the region and account with the types whose resource part fits, so that
    # e.g. a DynamoDB table ARN is held to the table's template, not the global table's.
    rest_glob = pt.glob_tokens(_rest, variables=variables, fold_case=True)
    fitting = [t for t in types if t.glob_fits(5, rest_glob)]
    if not fitting:  # another service's type in this ARN namespace (STS's `iam::ACCOUNT:root`)?
        types = catalogue.resource_types_for_arn_service(service, every_service=True)
        fitting = [t for t in types if t.glob_fits(5, rest_glob)]
    if not fitting and account == "aws":
        return None  # AWS-owned resources the reference does not always list (transforms, hubs)
    if not fitting:
        return _unfit(resource, service, _rest, tuple(types), variables)
    if region == "" and all(t.requires_region for t in fitting):
        return _Problem(
            "MISSING_ARN_REGION",
            f"`{resource}` has no Region, but {_kind(fitting, service)} ARNs always carry one; "
            "write it (e.g. `us-east-1`) or `*`",
        )
    if region and _is_fixed(region, variables) and not any(t.requires_region for t in fitting):
        return _Problem(
            "ARN_REGION_NOT_ALLOWED",
            f"`{resource}` has the Region `{region}`, but {_kind(fitting, service)} ARNs have none; "
            "leave the field empty (`::`)",
        )
    if account == "" and all(t.requires_account and not t.requires_region for t in fitting):
        return _Problem(
            "MISSING_ARN_ACCOUNT",
            f"`{resource}` has no account, but {_kind(fitting, service)} ARNs always carry one; "
            "write the 12-digit account ID or `*`",
        )
    if account and _is_fixed(account, variables) and not any(t.requires_account for t in fitting):
        return _Problem(
            "ARN_ACCOUNT_NOT_ALLOWED",
            f"`{resource}` has the account `{account}`, but {_kind(fitting, service)} ARNs have none; "
            "leave the field empty (`::`)",
        )
    if account and _is_fixed(account, variables) and not _ACCOUNT.match(account) and account != "aws":
        if not any(t.segment_fits(4, account, variables=variables) and pt.is_literal(pt.template_tokens(t.segments[4])) for t in types):
            return _Problem(
                "INVALID_ARN_ACCOUNT",
                f"the account `{account}` in `{resource}` is not a 12-digit account ID",
            )
    if region and _is_fixed(region, variables) and not _REGION.match(region):
        if not any(t.segments[3] == region for t in types):
            return _Problem(
                "INVALID_ARN_REGION",
                f"`{region}` in `{resource}` is not a Region name (such as `us-east-1`)",
            )
    if not any(t.matches(resource, variables=variables) for t in fitting):
        return _Problem(
            "INVALID_ARN_RESOURCE",
            f"`{resource}` fits no resource type of `{service}`: its Region or account field does "
            f"not fit {_kind(fitting, service)} ARNs (e.g. `{min((t.arn_template for t in fitting), key=len)}`)",
        )
    return None


def _kind(types: list[ResourceTypeInfo], service: str) -> str:
    keys = sorted({t.key for t in types})
    return f"`{service}` {join_names(keys, 2)}" if len(keys) <= 2 else f"`{service}`"


def _problems(doc: LintDocument) -> dict[str, list[tuple[JsonPath, str]]]:
    """Code -> (path, message) of every structural problem of the document's resources."""
    variables = doc.policy.variables_enabled
    catalogue = doc.catalogue
    found: dict[str, list[tuple[JsonPath, str]]] = {}
    for path, statement, raw in doc.statements():
        for element in _RESOURCE_ELEMENTS:
            for entry_path, value in entries(path, raw, element):
                if not isinstance(value, str):
                    continue
                problem = _examine(value, variables, catalogue)
                if problem is None:
                    continue
                if problem.code in _FIT_CODES and element == "NotResource":
                    continue  # principal ARNs such as `arn:aws:iam::*:root` appear there
                if problem.nameless:
                    problem = _missing_type(doc, statement, value, problem) or problem
                found.setdefault(problem.code, []).append((entry_path, problem.message))
    return found


def _structural(code: str):
    def check(doc: LintDocument) -> Iterable[Finding]:
        for path, message in per_document(doc, "resource_problems", _problems).get(code, ()):
            yield doc.finding(code, path, message)

    check.__name__ = f"check_{code.lower()}"
    return check


# --- rules -----------------------------------------------------------------------------

def _rule(code: str, severity: Severity, summary: str, learn_more: str, example: Any, near_miss: Any,
          access_analyzer: bool = True) -> Rule:
    return Rule(
        code=code, severity=severity, summary=summary, learn_more=learn_more, check=_structural(code),
        access_analyzer=access_analyzer, example=example, near_miss=near_miss,
    )


RULES: tuple[Rule, ...] = (
    _rule(
        "INVALID_ARN_PREFIX", Severity.ERROR,
        "A resource that is neither `*` nor an ARN.",
        "Resources are ARNs (`arn:partition:service:region:account:resource`) or `*`; a bare name "
        "such as a bucket name matches nothing.",
        _s3("my-bucket/*"), _s3("arn:aws:s3:::my-bucket/*"),
    ),
    _rule(
        "MISSING_ARN_FIELD", Severity.ERROR,
        "An ARN with fewer than six colon-separated fields.",
        "An ARN has six fields, `arn:partition:service:region:account:resource`, some of them "
        "possibly empty (`arn:aws:s3:::bucket`). A pattern may stop early only after a `*`.",
        _s3("arn:aws:s3:my-bucket"), _s3("arn:aws:s3:*"),
    ),
    _rule(
        "UNSUPPORTED_VARIABLE_IN_ARN", Severity.ERROR,
        "A policy variable in the partition or service field of an ARN.",
        "IAM substitutes policy variables in the region, account and resource fields of an ARN, "
        "not in its partition or service.",
        _s3("arn:aws:${aws:PrincipalTag/service}:::b/*"), _s3("arn:aws:s3:::b/${aws:username}/*"),
        access_analyzer=False,
    ),
    _rule(
        "INVALID_PARTITION", Severity.ERROR,
        "An ARN whose partition is not an AWS partition.",
        "The partition is `aws`, `aws-cn`, `aws-us-gov` (or an isolated partition); `*` matches "
        "them all.",
        _s3("arn:amazon:s3:::b/*"), _s3("arn:aws-cn:s3:::b/*"),
    ),
    _rule(
        "WILDCARD_IN_ARN_SERVICE", Severity.ERROR,
        "A partial wildcard in the service field of an ARN (`arn:aws:s3*:::b`).",
        "The service field names one service; a partial wildcard there is almost always a typo. "
        "Write the prefix out, or `*` alone for any service.",
        _s3("arn:aws:s3*:::b/*"), _s3("arn:aws:*:*:111122223333:*"), access_analyzer=False,
    ),
    _rule(
        "INVALID_ARN_SERVICE_CASE", Severity.ERROR,
        "An ARN whose service field is not lower case.",
        "ARNs are case-sensitive and service prefixes are lower case, so `arn:aws:S3:::b` matches "
        "nothing.",
        _s3("arn:aws:S3:::b/*"), _s3("arn:aws:s3:::B/*"),
    ),
    _rule(
        "INVALID_SERVICE", Severity.ERROR,
        "An ARN whose service field is not an AWS service.",
        "The third field of an ARN names the service (`s3`, `iam`, `dynamodb`); an unknown one "
        "matches nothing. The message suggests the closest service.",
        _s3("arn:aws:s4:::b/*"), _s3("arn:aws:s3:::b/*"),
    ),
    _rule(
        "MISSING_ARN_REGION", Severity.ERROR,
        "An ARN without a Region for a service whose ARNs always have one.",
        "Regional resources have the Region in the fourth field; leaving it empty matches nothing. "
        "Write the Region or `*`.",
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb::111122223333:table/t"}),
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:111122223333:table/t"}),
    ),
    _rule(
        "ARN_REGION_NOT_ALLOWED", Severity.ERROR,
        "An ARN with a Region for a service whose ARNs have none (IAM, S3 buckets).",
        "Global resources have an empty Region field; an ARN with a Region there matches nothing.",
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam:us-east-1:111122223333:role/r"}),
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:role/r"}),
    ),
    _rule(
        "MISSING_ARN_ACCOUNT", Severity.ERROR,
        "An ARN without an account for a service whose ARNs always have one.",
        "Most resources have the owning account in the fifth field; leaving it empty matches "
        "nothing. Write the 12-digit account ID or `*`.",
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam:::role/r"}),
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::*:role/r"}),
    ),
    _rule(
        "ARN_ACCOUNT_NOT_ALLOWED", Severity.ERROR,
        "An ARN with an account for a service whose ARNs have none (S3 buckets and objects).",
        "S3 bucket and object ARNs have empty Region and account fields (`arn:aws:s3:::bucket`); "
        "with an account the ARN matches nothing.",
        _s3("arn:aws:s3::111122223333:b/*"), _s3("arn:aws:s3:::b/*"),
    ),
    _rule(
        "INVALID_ARN_ACCOUNT", Severity.ERROR,
        "An ARN whose account field is not a 12-digit account ID.",
        "The account field holds a 12-digit ID (or a wildcard or variable); anything else matches "
        "nothing.",
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::1234:role/r"}),
        _policy({"Effect": "Allow", "Action": "iam:GetPolicy", "Resource": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
    ),
    _rule(
        "INVALID_ARN_REGION", Severity.ERROR,
        "An ARN whose Region field is not a Region name.",
        "Region names look like `us-east-1` or `eu-west-3`; the check is offline, so it tests the "
        "shape of the name, not that AWS has opened the Region.",
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east:111122223333:table/t"}),
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/t"}),
    ),
    _rule(
        "INVALID_ARN_RESOURCE", Severity.ERROR,
        "An ARN that fits no resource type of its service and is visibly malformed.",
        "Each service defines the shapes of its ARNs (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`); "
        "an ARN of another shape matches nothing. Reported when the resource part is empty or starts "
        "with `:`, starts with a documented type but breaks its shape (a CloudFormation `stack/NAME` "
        "without its ID), misspells a type (`endpointconfig`), or leaves out the type that the "
        "statement's actions act on (`/aws/lambda/*` for `log-group:/aws/lambda/*`). Wildcards and "
        "policy variables stand for any text and letter case is ignored, so only clear mistakes are "
        "reported; other shapes the reference does not list are `UNDOCUMENTED_ARN_RESOURCE`.",
        _s3("arn:aws:logs:*:*:/aws/lambda/*", "logs:CreateLogStream"),
        _s3("arn:aws:logs:*:*:log-group:/aws/lambda/*", "logs:CreateLogStream"),
    ),
    _rule(
        "UNDOCUMENTED_ARN_RESOURCE", Severity.WARNING,
        "A well-formed ARN of a known service in a shape AWS's reference does not list.",
        "AWS's Service Authorization Reference, from which resource types come, lags behind some "
        "services: AWS's own policies use ARNs it omits (WAF `changetoken/*`, CloudFormation "
        "`transform/...`, Application Auto Scaling `scalingPolicy:...`). Such an ARN may be valid, or "
        "may match nothing; check it against the service's documentation, and suppress the warning "
        "once it is confirmed.",
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem",
                 "Resource": "arn:aws:dynamodb:us-east-1:111122223333:tablespace/Orders"}),
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem",
                 "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders"}),
        access_analyzer=False,
    ),
)
