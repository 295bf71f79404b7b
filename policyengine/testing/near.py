"""Near misses: values one step away from a value a policy mentions.

Pure functions (no hypothesis), each returning a short, deterministic list, so that a
search tries the boundary on both sides of every value a policy names: a string one
character off, an IP address just inside and just outside a network, a date one second
before and after a bound, a number one below and one above, an ARN with one segment
changed. The value itself is never in the list of misses; `*_around` helpers return the
value too.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta, timezone

__all__ = ["near_arns", "near_dates", "near_ips", "near_numbers", "near_strings", "parse_date", "format_date"]


def _bump(ch: str) -> str:
    if ch.isdigit():
        return str((int(ch) + 1) % 10)
    if ch.isalpha():
        nxt = chr(ord(ch.lower()) + 1) if ch.lower() != "z" else "a"
        return nxt.upper() if ch.isupper() else nxt
    return "x"


def near_strings(value: str) -> list[str]:
    """One character off: last changed, last dropped, one appended, first letter's case flipped."""
    out: list[str] = []
    if value:
        out.append(value[:-1] + _bump(value[-1]))
        out.append(value[:-1])
        if value[0].isalpha():
            out.append(value[0].swapcase() + value[1:])
    out.append(value + "x")
    return [v for v in dict.fromkeys(out) if v != value]


def near_ips(value: str) -> list[str]:
    """For a network: its first and last address (inside) and the neighbours outside it.

    For a single address: the address below and above. Values that are not IP addresses
    or networks get string near misses.
    """
    try:
        net = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return near_strings(value)
    first, last = net.network_address, net.broadcast_address
    out: list[str] = []
    top = 2 ** first.max_prefixlen - 1
    if "/" in value and net.num_addresses > 1:
        out += [str(first), str(last)]
    if int(first) > 0:
        out.append(str(first - 1))
    if int(last) < top:
        out.append(str(last + 1))
    return [v for v in dict.fromkeys(out) if v != value]


def parse_date(value: str | int | float) -> datetime | None:
    """An ISO 8601 date (with or without zone, `Z` allowed) or epoch seconds, as UTC; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    text = str(value).strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), timezone.utc)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def format_date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def near_dates(value: str | int | float) -> list[str]:
    """One second before and after the date (ISO 8601, UTC)."""
    moment = parse_date(value)
    if moment is None:
        return near_strings(str(value))
    return [format_date(moment - timedelta(seconds=1)), format_date(moment + timedelta(seconds=1))]


def near_numbers(value: str | int | float) -> list[int | float]:
    """One below and one above (and half a step either side for a non-integer)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return []
    if number != number or number in (float("inf"), float("-inf")):
        return []
    if number.is_integer():
        n = int(number)
        return [n - 1, n + 1]
    return [number - 0.5, number + 0.5]


def near_arns(value: str) -> list[str]:
    """The ARN with one segment changed: region, account (one digit off), resource (one character off)."""
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return near_strings(value)
    out: list[str] = []
    _, partition, service, region, account, resource = parts
    if region:
        out.append(":".join(["arn", partition, service, "us-west-2" if region != "us-west-2" else "us-east-1",
                             account, resource]))
    if account and account.isdigit():
        out.append(":".join(["arn", partition, service, region, account[:-1] + _bump(account[-1]), resource]))
    for miss in near_strings(resource):
        if miss:
            out.append(":".join(["arn", partition, service, region, account, miss]))
    return [v for v in dict.fromkeys(out) if v != value]
