"""Lint rules: String condition values that cannot be what their key holds: a Region key
compared with something that is not a Region code, a VPC or VPC endpoint key compared with
something that is not a VPC (endpoint) ID.

Such a value matches no request: under `StringEquals` the condition never holds, under
`StringNotEquals` it excludes nothing.

Decisions:
- Region keys are a fixed list (`_REGION_KEYS`): the global `aws:RequestedRegion` and the
  service keys whose documented values are Region codes. `s3:LocationConstraint` is not one
  (it also takes the legacy `EU`).
- Region codes come from `_REGIONS`, copied from the partitions of botocore's
  `endpoints.json` (botocore 1.44.8, 2026); a test keeps the table in step with botocore
  when botocore is installed. A Region launched after the table is reported until the table
  is updated.
- VPC IDs are `vpc-` and VPC endpoint IDs `vpce-`, then 8 or 17 lower-case hex digits
  (`aws:SourceVpc`, `aws:Ec2InstanceSourceVpc`; `aws:SourceVpce`).
- A value with wildcards (under a Like operator) or policy variables is reported only when
  no value it can stand for is valid: `us-*` and `vpc-${aws:PrincipalTag/vpc}` are fine,
  `us-east-*-x` and `vpx-*` are not. Variables stand for any text.
- Values with a literal `*`/`?` under an exact operator are `WILDCARD_WITHOUT_LIKE_OPERATOR`'s
  and skipped here; case is ignored under the `IgnoreCase` operators only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

from ....evaluation.conditions import Family
from ...document import LintDocument
from ...finding import Finding, Severity
from ...patterns import ANY, STAR, Glob, glob_tokens
from ...rules import Rule
from ._shared import _conditions, _policy, _resolve, _value_paths
from .literal_wildcards import has_literal_wildcard

# Region codes per partition: botocore 1.44.8 `botocore/data/endpoints.json`, `partitions[].regions`.
_REGIONS: dict[str, tuple[str, ...]] = {
    "aws": (
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1",
        "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
        "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1",
        "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    ),
    "aws-cn": ("cn-north-1", "cn-northwest-1"),
    "aws-us-gov": ("us-gov-east-1", "us-gov-west-1"),
    "aws-iso": ("us-iso-east-1", "us-iso-west-1"),
    "aws-iso-b": ("us-isob-east-1", "us-isob-west-1"),
    "aws-iso-e": ("eu-isoe-west-1",),
    "aws-iso-f": ("us-isof-east-1", "us-isof-south-1"),
    "aws-eusc": ("eusc-de-east-1",),
}
REGIONS: frozenset[str] = frozenset(r for regions in _REGIONS.values() for r in regions)

# Keys whose values are Region codes (lower case, as compared).
_REGION_KEYS = frozenset(k.lower() for k in (
    "aws:RequestedRegion",
    "ec2:Region",
    "account:TargetRegion",
    "cloudformation:TargetRegion",
    "kms:PrimaryRegion",
    "kms:ReplicaRegion",
    "secretsmanager:SecretPrimaryRegion",
    "secretsmanager:AddReplicaRegions",
    "ses:ReplicaRegion",
    "sso:PrimaryRegion",
    "identitystore:PrimaryRegion",
    "ec2:VpceServiceRegion",
    "ec2:VpceSupportedRegion",
))

_HEX = frozenset("0123456789abcdef")
# key (lower case) -> (code, ID prefix, what the ID is)
_ID_KEYS: dict[str, tuple[str, str, str]] = {
    "aws:sourcevpc": ("INVALID_VPC_FORMAT", "vpc-", "a VPC ID"),
    "aws:ec2instancesourcevpc": ("INVALID_VPC_FORMAT", "vpc-", "a VPC ID"),
    "aws:sourcevpce": ("INVALID_VPCE_FORMAT", "vpce-", "a VPC endpoint ID"),
}
_ID_LENGTHS = (8, 17)


def _glob(value: str, variables: bool, ignore_case: bool) -> Glob:
    return glob_tokens(value, variables=variables, fold_case=ignore_case)


def _fits_id(pattern: Glob, prefix: str) -> bool:
    """Some ID `prefix` + 8 or 17 hex digits matches `pattern`."""
    tokens = pattern.tokens
    for length in _ID_LENGTHS:
        classes: list[frozenset[str]] = [frozenset(ch) for ch in prefix] + [_HEX] * length
        if _glob_fits(tokens, tuple(classes)):
            return True
    return False


def _glob_fits(tokens: tuple[object, ...], classes: tuple[frozenset[str], ...]) -> bool:
    """The pattern matches some string whose i-th character is in `classes[i]`."""

    @cache
    def fits(i: int, j: int) -> bool:
        if i == len(tokens):
            return j == len(classes)
        token = tokens[i]
        if token is STAR:
            return fits(i + 1, j) or (j < len(classes) and fits(i, j + 1))
        if j == len(classes):
            return False
        if token is ANY or token in classes[j]:
            return fits(i + 1, j + 1)
        return False

    return fits(0, 0)


def _fits_region(pattern: Glob) -> bool:
    if pattern.literal:
        return pattern.text in REGIONS
    return any(pattern.regex.fullmatch(region) for region in REGIONS)


def _format_findings(doc: LintDocument, code: str) -> Iterable[Finding]:
    variables = doc.policy.variables_enabled
    for _, _, entry, key_path in _conditions(doc):
        key = entry.key.lower()
        if code == "INVALID_REGION":
            if key not in _REGION_KEYS:
                continue
        elif key not in _ID_KEYS or _ID_KEYS[key][0] != code:
            continue
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.family is not Family.STRING:
            continue
        ignore_case = operator.spec.relation == "ignorecase"
        for value_path, value in _value_paths(entry, key_path):
            if not isinstance(value, str):
                continue
            if not operator.spec.allows_wildcards and has_literal_wildcard(value, variables):
                continue  # WILDCARD_WITHOUT_LIKE_OPERATOR
            pattern = _glob(value, variables, ignore_case)
            if code == "INVALID_REGION":
                if _fits_region(pattern):
                    continue
                yield doc.finding(code, value_path, _region_message(entry.key, value, pattern))
            else:
                _, prefix, what = _ID_KEYS[key]
                if _fits_id(pattern, prefix):
                    continue
                yield doc.finding(code, value_path, _id_message(entry.key, value, pattern, prefix, what))


def _region_message(key: str, value: str, pattern: Glob) -> str:
    if pattern.literal:
        lower = value.lower()
        hint = (
            f"Region codes are lower case: write `{lower}`" if lower in REGIONS
            else "write a Region code such as `us-east-1` or `eu-west-3`"
        )
        return f"`{value}` is not an AWS Region code, so `{key}` never equals it; {hint}"
    return (
        f"`{value}` matches no AWS Region code, so `{key}` never matches it; write a pattern over "
        "Region codes such as `eu-*` or `us-east-?`"
    )


def _id_message(key: str, value: str, pattern: Glob, prefix: str, what: str) -> str:
    lower = value.lower()
    if pattern.literal and lower != value and re.fullmatch(re.escape(prefix) + r"([0-9a-f]{8}|[0-9a-f]{17})", lower):
        hint = f"IDs are lower case: write `{lower}`"
    else:
        hint = f"{what} is `{prefix}` and 8 or 17 hex digits, such as `{prefix}1a2b3c4d`"
    verb = "equals" if pattern.literal else "matches"
    return f"`{value}` is not {what}, so `{key}` never {verb} it; {hint}"


def _check(code: str) -> Callable[[LintDocument], Iterable[Finding]]:
    def check(doc: LintDocument) -> Iterable[Finding]:
        return _format_findings(doc, code)

    check.__name__ = f"check_{code.lower()}"
    return check


# --- rules -----------------------------------------------------------------------------

_VALUE_LEARN = " Under `StringEquals` the condition then never holds; under `StringNotEquals` it excludes nothing."

RULES: tuple[Rule, ...] = (
    Rule(
        code="INVALID_REGION",
        severity=Severity.ERROR,
        summary="A Region condition key (`aws:RequestedRegion`) compared with a value that is no Region code.",
        learn_more="Region keys hold lower-case Region codes (`us-east-1`, `eu-west-3`, "
        "`us-gov-west-1`), never names such as `Ireland` or `US East`; patterns must match some "
        "Region code. The table of Regions is botocore's, and a Region AWS launched after it is "
        "reported until the table is updated." + _VALUE_LEARN,
        check=_check("INVALID_REGION"),
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-7"]}}, action="ec2:RunInstances", resource="*"),
        near_miss=_policy({"StringLike": {"aws:RequestedRegion": ["us-*", "eu-west-?"]}}, action="ec2:RunInstances", resource="*"),
    ),
    Rule(
        code="INVALID_VPC_FORMAT",
        severity=Severity.ERROR,
        summary="`aws:SourceVpc` compared with a value that is no VPC ID (`vpc-` and 8 or 17 hex digits).",
        learn_more="VPC IDs are `vpc-` followed by 8 or 17 lower-case hex digits (`vpc-1a2b3c4d`); a "
        "pattern must match some such ID." + _VALUE_LEARN,
        check=_check("INVALID_VPC_FORMAT"),
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:SourceVpc": "vpc-prod"}}),
        near_miss=_policy({"StringEquals": {"aws:SourceVpc": ["vpc-1a2b3c4d", "vpc-0123456789abcdef0"]}}),
    ),
    Rule(
        code="INVALID_VPCE_FORMAT",
        severity=Severity.ERROR,
        summary="`aws:SourceVpce` compared with a value that is no VPC endpoint ID (`vpce-` and 8 or 17 hex digits).",
        learn_more="VPC endpoint IDs are `vpce-` followed by 8 or 17 lower-case hex digits "
        "(`vpce-1a2b3c4d`); a pattern must match some such ID." + _VALUE_LEARN,
        check=_check("INVALID_VPCE_FORMAT"),
        access_analyzer=True,
        example=_policy({"StringEquals": {"aws:SourceVpce": "vpc-1a2b3c4d"}}),
        near_miss=_policy({"StringLike": {"aws:SourceVpce": ["vpce-1a2b3c4d", "vpce-${aws:PrincipalTag/endpoint}"]}}),
    ),
)
