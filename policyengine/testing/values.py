"""Condition values for one `operator: {key: values}` entry: values that satisfy it and near misses.

Pure functions (no hypothesis). The operator decides how a value is read (as AWS does), so
the candidates are built per operator family: strings and ARNs (wildcards of `...Like`
filled in), numbers and dates (the bound and one step either side), IP networks (first and
last address inside, neighbours outside), booleans, and `Null` (the key present or absent).
For `ForAllValues:`/`ForAnyValue:` the values are lists. `ABSENT` stands for "leave the key
out of the context". Values holding policy variables (`${aws:username}`) are skipped when
building satisfying values: their meaning depends on the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .near import format_date, near_arns, near_dates, near_ips, near_numbers, near_strings, parse_date

__all__ = ["ABSENT", "Operator", "candidate_values", "parse_operator", "satisfying_value"]


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()

FAMILIES = ("String", "Arn", "Numeric", "Date", "Bool", "Binary", "IpAddress", "NotIpAddress", "Null")


@dataclass(frozen=True)
class Operator:
    """A condition operator taken apart: `ForAnyValue:StringNotLikeIfExists` ->
    qualifier `ForAnyValue`, name `StringNotLike`, family `String`, negated, like, if_exists."""

    written: str
    qualifier: str | None
    name: str
    family: str
    if_exists: bool

    @property
    def negated(self) -> bool:
        return "Not" in self.name

    @property
    def like(self) -> bool:
        return self.name.endswith("Like")

    @property
    def multi(self) -> bool:
        return self.qualifier is not None


def parse_operator(operator: str) -> Operator:
    head, sep, rest = operator.partition(":")
    qualifier, name = (head, rest) if sep else (None, operator)
    if_exists = name.endswith("IfExists")
    if if_exists:
        name = name[: -len("IfExists")]
    family = next((f for f in FAMILIES if name.startswith(f)), "String")
    if family == "NotIpAddress":
        family = "IpAddress"
    return Operator(operator, qualifier, name, family, if_exists)


def _has_variable(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


def _fill(pattern: str) -> str:
    """A string matching a `...Like` pattern: `*` -> `x`, `?` -> `a`."""
    return pattern.replace("*", "x").replace("?", "a")


def _hit(op: Operator, value: Any) -> Any:
    """A request value for which `op` holds against the single policy value `value` (None: unknown)."""
    if _has_variable(value):
        return None
    family = op.family
    if family in ("String", "Arn"):
        text = _fill(str(value)) if op.like else str(value)
        return _miss_text(text) if op.negated else text
    if family == "Numeric":
        try:
            n = float(value)
        except (TypeError, ValueError):
            return None
        n_out: int | float = int(n) if n.is_integer() else n
        step = {"NumericLessThan": -1, "NumericGreaterThan": 1, "NumericNotEquals": 1}.get(op.name, 0)
        return n_out + step
    if family == "Date":
        moment = parse_date(value)
        if moment is None:
            return None
        from datetime import timedelta

        step = {"DateLessThan": -1, "DateGreaterThan": 1, "DateNotEquals": 1}.get(op.name, 0)
        return format_date(moment + timedelta(seconds=step))
    if family == "Bool":
        return str(value).lower() == "true"
    if family == "IpAddress":
        misses = near_ips(str(value))
        if op.negated:
            outside = [m for m in misses if m not in _inside(str(value))]
            return outside[-1] if outside else None
        inside = _inside(str(value))
        return inside[0] if inside else str(value)
    if family == "Null":
        return ABSENT if str(value).lower() == "true" else "present"
    if family == "Binary":
        return str(value)
    return None


def _inside(network: str) -> list[str]:
    import ipaddress

    try:
        net = ipaddress.ip_network(network, strict=False)
    except ValueError:
        return []
    return [str(net.network_address), str(net.broadcast_address)]


def _miss_text(text: str) -> str:
    return near_arns(text)[0] if text.startswith("arn:") and near_arns(text) else text + "x"


def _misses(op: Operator, value: Any) -> list[Any]:
    if op.family == "Null":
        return ["present", ABSENT]
    if op.family == "Bool":
        return [True, False]
    text = str(value)
    if op.family == "Numeric":
        return [*near_numbers(value), str(value)] if near_numbers(value) else [text + "x"]
    if op.family == "Date":
        return near_dates(value)
    if op.family == "IpAddress":
        return near_ips(text)
    if op.like:
        text = _fill(text)
    out = near_arns(text) if text.startswith("arn:") else near_strings(text)
    if op.name.endswith("IgnoreCase"):
        out.insert(0, text.swapcase())
    return out


def satisfying_value(operator: str, values: Iterable[Any]) -> Any:
    """A context value for which the entry holds (`ABSENT`: leave the key out), or None if unknown."""
    op = parse_operator(operator)
    for value in values:
        hit = _hit(op, value)
        if hit is None:
            continue
        if op.multi and hit is not ABSENT:
            return [hit]
        return hit
    return None


def candidate_values(operator: str, values: Iterable[Any]) -> list[Any]:
    """Context values around the entry's boundary: each value's hit and near misses, and `ABSENT`.

    Lists for `ForAllValues:`/`ForAnyValue:` (one element, a hit with a miss, and the empty list).
    """
    op = parse_operator(operator)
    singles: list[Any] = []
    for value in values:
        hit = _hit(op, value)
        if hit is not None and hit is not ABSENT:
            singles.append(hit)
        singles += [m for m in _misses(op, value) if m is not ABSENT]
    singles = _unique(singles)
    if op.multi:
        out: list[Any] = [[v] for v in singles]
        if len(singles) >= 2:
            out.append(singles[:2])
        out.append([])
    else:
        out = list(singles)
    out.append(ABSENT)
    return out


def _unique(values: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for v in values:
        key = repr(v)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out
