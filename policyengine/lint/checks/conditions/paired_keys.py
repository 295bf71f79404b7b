"""Lint rule: an `Allow` on `aws:VpcSourceIp` without a key naming the VPC.

`aws:VpcSourceIp` is the caller's private IP address inside a VPC, as seen through a VPC
endpoint. Private ranges are reused across VPCs and accounts, so the address alone does not
say where the request comes from: pair it with `aws:SourceVpc`, `aws:SourceVpcArn` or
`aws:SourceVpce` in the same statement (IAM User Guide, policy validation check reference,
"Missing paired condition keys", which pairs `aws:VpcSourceIp` with `aws:SourceVpc`; the
VPC ARN and the endpoint ID pin down the VPC as well).

Decisions:
- Only `Allow` statements with a positive operator on `aws:VpcSourceIp` (what grants more
  than intended); in a `Deny`, adding a key to the same statement would narrow the Deny.
- A partner counts when it is tested with a positive operator without `IfExists`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import statement_name
from ._shared import _conditions, _policy, _resolve

# key (lower case) -> the keys that pin it down (any one of them)
_PAIRS: dict[str, tuple[str, ...]] = {
    "aws:vpcsourceip": ("aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce"),
}


def _positive(operator_name: str) -> bool:
    operator = _resolve(operator_name)
    return operator is not None and not operator.negated and not operator.if_exists \
        and not operator.spec.presence_only


def check_paired_keys(doc: LintDocument) -> Iterable[Finding]:
    for _, statement, entry, key_path in _conditions(doc):
        partners = _PAIRS.get(entry.key.lower())
        if partners is None or statement.effect != "Allow" or not _positive(entry.operator):
            continue
        wanted = {p.lower() for p in partners}
        if any(e.key.lower() in wanted and _positive(e.operator) for e in statement.condition):
            continue
        shown = ", ".join(f"`{p}`" for p in partners[:-1]) + f" or `{partners[-1]}`"
        yield doc.finding(
            "MISSING_PAIRED_CONDITION_KEYS", key_path,
            f"`{entry.key}` in {statement_name(statement)} matches the private address in any VPC "
            f"(private ranges are reused across VPCs and accounts); add {shown} to the same condition",
            recommended=list(partners),
        )


_VPC_IP = {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}

RULES: tuple[Rule, ...] = (
    Rule(
        code="MISSING_PAIRED_CONDITION_KEYS",
        severity=Severity.SECURITY_WARNING,
        summary="An Allow conditioned on `aws:VpcSourceIp` without `aws:SourceVpc` (or the VPC ARN or "
        "endpoint).",
        learn_more="`aws:VpcSourceIp` is a private address, and private ranges repeat across VPCs and "
        "accounts: on its own it lets in requests from any VPC using that range. Add `aws:SourceVpc`, "
        "`aws:SourceVpcArn` or `aws:SourceVpce` to the same statement.",
        check=check_paired_keys,
        access_analyzer=True,
        example=_policy(_VPC_IP),
        near_miss=_policy({**_VPC_IP, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}),
    ),
)
