"""IP address operators: IpAddress, NotIpAddress.

- Policy values are IPv4 or IPv6 CIDR blocks. A bare address is a single-address
  block: `/32` for IPv4 (as documented) and `/128` for IPv6 (not documented; the only
  reading consistent with IPv4). Host bits below the prefix are ignored, so
  `10.1.2.3/8` means `10.0.0.0/8`. Anything else (a bad prefix, a netmask such as
  `/255.0.0.0`, a hostname, a zone `%eth0`) is a compile error.
- The request value is one address (IPv4 or IPv6, as a string; an IPv6 zone suffix
  is ignored). A CIDR or any other text in the request is a type error.
- IPv4 and IPv6 are separate spaces: an IPv4 address never matches an IPv6 block and
  an IPv6 address never matches an IPv4 block. That includes IPv4-mapped IPv6
  addresses (`::ffff:10.0.0.1` is not in `10.0.0.0/8`): AWS reports IPv6 callers in
  IPv6 form and documents no mapping, and we do not invent one.
- Blocks are kept as integer ranges, and parsed request addresses are cached, so a
  check is a couple of integer comparisons.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any, Sequence

from .registry import (
    Family,
    OperatorSpec,
    PolicyValue,
    RequestValueError,
    ValueSet,
    never,
    parse_policy_values,
    register,
    show,
)

# (version, first address, last address) as integers
Block = tuple[int, int, int]
Address = tuple[int, int]


def parse_block(text: str) -> Block | None:
    address, slash, prefix = text.partition("/")
    if "%" in address or (slash and not (prefix.isascii() and prefix.isdigit())):
        return None  # zones, and netmask forms such as `/255.0.0.0`, are not CIDR
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    first = int(network.network_address)
    return network.version, first, first + network.num_addresses - 1


@lru_cache(maxsize=4096)
def _cached_address(text: str) -> Address:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise RequestValueError(f"`{text}` is not an IP address") from None
    return address.version, int(address)


def to_address(value: Any) -> Address:
    if isinstance(value, str):
        return _cached_address(value)
    raise RequestValueError(f"`{show(value)}` is not an IP address")


def _contains(block: Block) -> Any:
    version, first, last = block

    def test(address: Address, ctx: Any) -> bool:
        return address[0] == version and first <= address[1] <= last

    return test


def compile_ip(spec: OperatorSpec, values: Sequence[PolicyValue], variables_enabled: bool) -> ValueSet:
    blocks: list[Block] = parse_policy_values(
        spec,
        values,
        lambda raw: parse_block(raw) if isinstance(raw, str) else None,
        "an IP address or CIDR block",
        "TYPE_MISMATCH_IP_RANGE",
        help="write an IPv4 or IPv6 CIDR block such as `203.0.113.0/24` or `2001:db8::/32`",
    )
    return ValueSet(
        any_match=_any_match(blocks),
        normalize=to_address,
        tests=tuple(_contains(block) for block in blocks),
        displays=tuple(str(raw) for raw in values),
    )


def _any_match(blocks: list[Block]) -> Any:
    if not blocks:
        return never
    by_version = {
        4: tuple((first, last) for version, first, last in blocks if version == 4),
        6: tuple((first, last) for version, first, last in blocks if version == 6),
    }
    if len(blocks) == 1:
        version, first, last = blocks[0]

        def one(value: Any, ctx: Any) -> bool:
            found, number = _cached_address(value) if type(value) is str else to_address(value)
            return found == version and first <= number <= last

        return one

    def any_match(value: Any, ctx: Any) -> bool:
        version, number = _cached_address(value) if type(value) is str else to_address(value)
        for first, last in by_version[version]:
            if first <= number <= last:
                return True
        return False

    return any_match


for _name, _negated in (("IpAddress", False), ("NotIpAddress", True)):
    register(
        OperatorSpec(
            name=_name,
            family=Family.IP_ADDRESS,
            negated=_negated,
            allows_wildcards=False,
            allows_variables=False,
            compile_values=compile_ip,
            verb=("is in", "is not in"),
        )
    )
