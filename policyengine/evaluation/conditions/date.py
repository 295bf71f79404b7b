"""Date operators: DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals,
DateGreaterThan, DateGreaterThanEquals.

Both sides become instants (integer nanoseconds since the Unix epoch, UTC) and compare
as instants, so `2020-01-01T01:00:00+01:00` equals `2020-01-01T00:00:00Z`.

Accepted forms (policy and request), following the W3C profile of ISO 8601 that the
IAM documentation cites:
- `YYYY-MM`, `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DDThh:mm`, `YYYY-MM-DDThh:mm:ss`,
  with optional fractional seconds (`.` or `,`, any number of digits; resolution is
  one nanosecond, further digits are dropped) and an optional zone `Z` or `+hh:mm`,
  `-hh:mm`, `+hhmm`, `+hh`. A time without a zone is UTC. `T` may be lower-case.
  Digits are ASCII `0-9`.
- Epoch seconds as a JSON number or a numeric string (`1700000000`, `"1700000000.5"`;
  no exponent: `"1e9"` is not a date, while the JSON number `1e9` is).
  A string of digits only is always epoch seconds, never a year: `"2020"` is 2020
  seconds after the epoch (the bare-year W3C form `YYYY` is therefore not accepted).
- Request values may also be Python `datetime` (naive means UTC) or `date` objects.

No policy variables (IAM does not substitute them in Date values). A request value
that is not a date in these forms is a type error.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timezone
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from typing import Any

from .ordered import comparison_compiler, register_ordered
from .registry import Family, RequestValueError, show

_NS = 1_000_000_000
_EPOCH = datetime(1970, 1, 1)
_ISO = re.compile(
    r"(\d{4})-(\d{2})(?:-(\d{2})"
    r"(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?)?)?\Z",
    re.ASCII,  # ISO 8601 digits are `0-9`; `\d` alone would also read `٢٠١٩` as a year
)
_EPOCH_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)\Z", re.ASCII)


def _naive_ns(moment: datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86400 + delta.seconds) * _NS + delta.microseconds * 1000


def _epoch_ns(seconds: Decimal) -> int:
    return int((seconds * _NS).to_integral_value(rounding=ROUND_FLOOR))


def parse_date_text(text: str) -> int | None:
    """Nanoseconds since the epoch, or None when `text` is not a date."""
    if _EPOCH_TEXT.match(text):
        return _epoch_ns(Decimal(text))
    match = _ISO.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(
            int(year), int(month), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        return None
    nanos = _naive_ns(moment)
    if fraction:
        nanos += int(fraction[:9].ljust(9, "0"))
    if zone and zone not in "Zz":
        hours, minutes = int(zone[1:3]), (int(zone[-2:]) if len(zone) > 3 else 0)
        if hours > 23 or minutes > 59:
            return None
        offset = (hours * 3600 + minutes * 60) * _NS
        nanos += -offset if zone[0] == "+" else offset
    return nanos


@lru_cache(maxsize=1024)
def _cached_request_date(text: str) -> int:
    nanos = parse_date_text(text)
    if nanos is None:
        raise RequestValueError(f"`{text}` is not a date")
    return nanos


def to_instant(value: Any) -> int:
    kind = type(value)
    if kind is str:
        return _cached_request_date(value)
    if kind is int:
        return value * _NS
    if kind is float:
        if not math.isfinite(value):
            raise RequestValueError(f"`{show(value)}` is not a date")
        return _epoch_ns(Decimal(repr(value)))
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return _naive_ns(value)
    if isinstance(value, date):
        return _naive_ns(datetime(value.year, value.month, value.day))
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value) * _NS
    raise RequestValueError(f"`{show(value)}` is not a date")


compile_date = comparison_compiler(
    parse_date_text,
    to_instant,
    "a date",
    "TYPE_MISMATCH_DATE",
    help="write an ISO 8601 date such as `2026-01-31` or `2026-01-31T12:00:00Z`, or epoch seconds",
)

register_ordered(
    Family.DATE,
    compile_date,
    {
        "eq": ("is the same instant as", "is not the same instant as"),
        "lt": ("is before", "is not before"),
        "le": ("is at or before", "is after"),
        "gt": ("is after", "is not after"),
        "ge": ("is at or after", "is before"),
    },
)
