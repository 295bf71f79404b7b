"""Lint rules: IP ranges that are well-formed but do not do what they seem to: private
ranges in `aws:SourceIp`, and CIDR blocks with host bits set.

`aws:SourceIp` is the public address a request reached AWS from. Requests from private
networks reach AWS through a VPC endpoint, where `aws:SourceIp` is absent and the private
address is in `aws:VpcSourceIp` instead, so a private range in `aws:SourceIp` never matches
anything: with `IpAddress` the condition never holds, with `NotIpAddress` it always holds.

Decisions:
- "Private" is a fixed table (`_PRIVATE`): RFC 1918, loopback, link-local, the RFC 6598
  shared address space (carrier-grade NAT) and `0.0.0.0/8`; for IPv6 loopback, unique
  local `fc00::/7` and link-local `fe80::/10`. A block counts as private only when it lies
  wholly inside one of them; `0.0.0.0/0` is public. Python's `is_private` is not used: it
  also calls the documentation ranges (`203.0.113.0/24`, `2001:db8::/32`) private, and AWS's
  own examples use those as stand-ins for public addresses.
- Only private (`PRIVATE_IP_ADDRESS`, `PRIVATE_NOT_IP_ADDRESS`) is reported once at the key;
  a mix (`..._SUBSET`) once for each private value, at that value.
- `IMPROVE_IP_RANGE` applies to every key an IP operator compares, not only `aws:SourceIp`:
  `10.1.2.3/8` means `10.0.0.0/8` to IAM, which is rarely what was meant.
- Values that are not CIDR blocks are `DATA_TYPE_MISMATCH`'s and skipped here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from ....evaluation.conditions import Family
from ....evaluation.conditions.ipaddress import parse_block
from ...document import JsonPath, LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._catalogued import per_document
from ._shared import _conditions, _policy, _resolve, _value_paths

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_PRIVATE: tuple[_Network, ...] = tuple(
    ipaddress.ip_network(block)
    for block in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",  # RFC 1918
        "127.0.0.0/8",  # loopback (RFC 1122)
        "169.254.0.0/16",  # link-local (RFC 3927)
        "100.64.0.0/10",  # shared address space, carrier-grade NAT (RFC 6598)
        "0.0.0.0/8",  # "this network" (RFC 1122); never a source on the internet
        "::1/128",  # loopback
        "fc00::/7",  # unique local (RFC 4193)
        "fe80::/10",  # link-local (RFC 4291)
    )
)

_SOURCE_IP = "aws:sourceip"


def _network(value: Any) -> _Network | None:
    if not isinstance(value, str) or parse_block(value) is None:
        return None
    return ipaddress.ip_network(value, strict=False)


def _is_private(network: _Network) -> bool:
    return any(
        network.version == block.version and network.subnet_of(block)  # type: ignore[arg-type]
        for block in _PRIVATE
    )


def _private_problems(doc: LintDocument) -> list[tuple[str, JsonPath, str]]:
    """(code, path, message) of every private range in `aws:SourceIp`, for the four rules."""
    out: list[tuple[str, JsonPath, str]] = []
    for _, _, entry, key_path in _conditions(doc):
        if entry.key.lower() != _SOURCE_IP:
            continue
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.family is not Family.IP_ADDRESS:
            continue
        private: list[tuple[JsonPath, Any]] = []
        public = 0
        for value_path, value in _value_paths(entry, key_path):
            network = _network(value)
            if network is None:
                continue
            if _is_private(network):
                private.append((value_path, value))
            else:
                public += 1
        if not private:
            continue
        negated = operator.negated
        if not public:
            shown = ", ".join(f"`{value}`" for _, value in private)
            effect = (
                "so this condition always holds (it excludes no address)" if negated
                else "so this condition never holds"
            )
            message = (
                f"`{entry.key}` under `{entry.operator}` lists only private ranges ({shown}); "
                f"`aws:SourceIp` only ever holds a public address, {effect}; compare private "
                "addresses with `aws:VpcSourceIp` (requests through a VPC endpoint) or list your "
                "public ranges"
            )
            out.append(("PRIVATE_NOT_IP_ADDRESS" if negated else "PRIVATE_IP_ADDRESS", key_path, message))
            continue
        for value_path, value in private:
            effect = "excludes nothing" if negated else "matches nothing"
            message = (
                f"`{value}` is a private range, and `aws:SourceIp` only ever holds a public address, "
                f"so this value {effect}; remove it, or compare it with `aws:VpcSourceIp` in a "
                "separate condition"
            )
            out.append(("PRIVATE_NOT_IP_ADDRESS_SUBSET" if negated else "PRIVATE_IP_ADDRESS_SUBSET", value_path, message))
    return out


def _private_check(code: str) -> Callable[[LintDocument], Iterable[Finding]]:
    def check(doc: LintDocument) -> Iterable[Finding]:
        for found, path, message in per_document(doc, "private_source_ip", _private_problems):
            if found == code:
                yield doc.finding(code, path, message)

    check.__name__ = f"check_{code.lower()}"
    return check


def check_improve_ip_range(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.family is not Family.IP_ADDRESS:
            continue
        for value_path, value in _value_paths(entry, key_path):
            network = _network(value)
            if network is None or "/" not in value:
                continue
            address = value.partition("/")[0]
            if ipaddress.ip_address(address) != network.network_address:
                yield doc.finding(
                    "IMPROVE_IP_RANGE", value_path,
                    f"`{value}` has bits set after its /{network.prefixlen} prefix, which IAM ignores: "
                    f"it matches all of `{network}`; write `{network}`, or "
                    f"`{address}/{network.max_prefixlen}` for the one address",
                    suggestion=str(network),
                )


# --- rules -----------------------------------------------------------------------------

_PRIVATE_LEARN = (
    "`aws:SourceIp` is the public address a request reached AWS from; requests from private "
    "networks come through VPC endpoints, where the private address is in `aws:VpcSourceIp` "
    "instead. Private ranges are RFC 1918, loopback, link-local, shared (100.64.0.0/10) and "
    "IPv6 unique-local (fc00::/7) and link-local addresses."
)

RULES: tuple[Rule, ...] = (
    Rule(
        code="PRIVATE_IP_ADDRESS",
        severity=Severity.ERROR,
        summary="`IpAddress` on `aws:SourceIp` with only private ranges, which never match.",
        learn_more=_PRIVATE_LEARN + " With only private ranges the condition never holds.",
        check=_private_check("PRIVATE_IP_ADDRESS"),
        access_analyzer=True,
        example=_policy({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}),
        near_miss=_policy({"IpAddress": {"aws:VpcSourceIp": ["10.0.0.0/8", "192.168.0.0/16"]},
                           "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}),
    ),
    Rule(
        code="PRIVATE_NOT_IP_ADDRESS",
        severity=Severity.ERROR,
        summary="`NotIpAddress` on `aws:SourceIp` with only private ranges, which always holds.",
        learn_more=_PRIVATE_LEARN + " With only private ranges `NotIpAddress` always holds, so a "
        "Deny meant for requests from outside the network applies to every request.",
        check=_private_check("PRIVATE_NOT_IP_ADDRESS"),
        access_analyzer=True,
        example=_policy({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, effect="Deny", action="s3:*", resource="*"),
        near_miss=_policy({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, effect="Deny", action="s3:*", resource="*"),
    ),
    Rule(
        code="PRIVATE_IP_ADDRESS_SUBSET",
        severity=Severity.SUGGESTION,
        summary="`IpAddress` on `aws:SourceIp` listing private ranges among public ones.",
        learn_more=_PRIVATE_LEARN + " The private ranges match nothing; remove them or move them to "
        "an `aws:VpcSourceIp` condition.",
        check=_private_check("PRIVATE_IP_ADDRESS_SUBSET"),
        access_analyzer=True,
        example=_policy({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"]}}),
        near_miss=_policy({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}),
    ),
    Rule(
        code="PRIVATE_NOT_IP_ADDRESS_SUBSET",
        severity=Severity.SUGGESTION,
        summary="`NotIpAddress` on `aws:SourceIp` listing private ranges among public ones.",
        learn_more=_PRIVATE_LEARN + " The private ranges exclude nothing; remove them or move them "
        "to a `NotIpAddress` condition on `aws:VpcSourceIp`.",
        check=_private_check("PRIVATE_NOT_IP_ADDRESS_SUBSET"),
        access_analyzer=True,
        example=_policy({"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "192.168.0.0/16"]}},
                        effect="Deny", action="s3:*", resource="*"),
        near_miss=_policy({"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}, effect="Deny", action="s3:*", resource="*"),
    ),
    Rule(
        code="IMPROVE_IP_RANGE",
        severity=Severity.SUGGESTION,
        summary="A CIDR block with bits set after its prefix (`10.0.0.1/8`), which IAM ignores.",
        learn_more="IAM keeps only the prefix of a CIDR block, so `203.0.113.7/24` matches all of "
        "`203.0.113.0/24`. Write the network address, or `/32` (`/128`) for a single address.",
        check=check_improve_ip_range,
        access_analyzer=True,
        example=_policy({"IpAddress": {"aws:SourceIp": "203.0.113.7/24"}}),
        near_miss=_policy({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.7"]}}),
    ),
)
