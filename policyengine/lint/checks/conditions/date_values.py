"""Lint rule: a Date condition value that IAM can read, but not as the date it was meant to be.

Date operators read a number, or a string of digits, as seconds since 1970-01-01 (epoch
time). So `"20260131"` is not 31 January 2026 but 20,260,131 seconds after the epoch
(23 August 1970), `"2026"` is 2,026 seconds after it, and a timestamp in milliseconds
(`1767225600000`) lies 54,000 years ahead. Such a comparison against `aws:CurrentTime`,
`aws:TokenIssueTime` or `aws:EpochTime` always or never holds.

Decisions:
- Only epoch values (JSON numbers and digit strings) are judged; an ISO 8601 value says
  which date it means. An epoch value is reported when it is before 2000-01-01 or after
  9999-12-31 (the last date ISO 8601 can write in four digits): no time a request carries
  lies there, as AWS started in 2006.
- The message guesses the intent: a `YYYYMMDD` or `YYYY` reading, or milliseconds.
- Access Analyzer documents `INVALID_DATE_VALUE` as a date "likely not parsed as intended";
  unreadable dates are `DATA_TYPE_MISMATCH` (Access Analyzer's `TYPE_MISMATCH_DATE`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ....evaluation.conditions import Family
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from ._shared import _conditions, _policy, _resolve, _value_paths

_EPOCH = datetime(1970, 1, 1)
_EARLIEST = Decimal(946684800)  # 2000-01-01T00:00:00Z
_LATEST = Decimal(253402300799)  # 9999-12-31T23:59:59Z
_EPOCH_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)\Z", re.ASCII)  # as the evaluator reads epoch text


def _epoch_seconds(value: Any) -> Decimal | None:
    """The epoch seconds a Date operator reads `value` as, when it reads it as epoch time."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            seconds = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        elif isinstance(value, str) and _EPOCH_TEXT.match(value):
            seconds = Decimal(value)
        else:
            return None
    except InvalidOperation:
        return None
    return seconds if seconds.is_finite() else None


def _shown(seconds: Decimal) -> str:
    try:
        moment = _EPOCH + timedelta(seconds=float(seconds))
    except OverflowError:
        return f"{seconds} seconds after 1970-01-01"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _meant(value: Any, seconds: Decimal) -> str:
    """What the value was probably meant to be, as advice."""
    text = str(value).lstrip("+")
    if re.fullmatch(r"\d{8}", text):
        try:
            day = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            day = None
        if day is not None:
            return f"for {day.isoformat()} write `{day.isoformat()}`"
    if re.fullmatch(r"(19|20)\d\d", text):
        return f"for the year {text} write `{text}-01-01`"
    if seconds > _LATEST and seconds / 1000 <= _LATEST:
        per_second = seconds / 1000
        shown = int(per_second) if per_second == int(per_second) else per_second
        return f"if it is epoch milliseconds, write the seconds `{shown}` ({_shown(per_second)})"
    return "write an ISO 8601 date such as `2026-01-31T00:00:00Z`"


def check_date_values(doc: LintDocument) -> Iterable[Finding]:
    for _, _, entry, key_path in _conditions(doc):
        operator = _resolve(entry.operator)
        if operator is None or operator.spec.family is not Family.DATE:
            continue
        for value_path, value in _value_paths(entry, key_path):
            seconds = _epoch_seconds(value)
            if seconds is None or _EARLIEST <= seconds <= _LATEST:
                continue
            yield doc.finding(
                "INVALID_DATE_VALUE", value_path,
                f"`{operator.spec.name}` reads `{value}` as epoch seconds, {_shown(seconds)}, a time no "
                f"request carries; {_meant(value, seconds)}",
            )


RULES: tuple[Rule, ...] = (
    Rule(
        code="INVALID_DATE_VALUE",
        severity=Severity.WARNING,
        summary="A Date value read as epoch seconds far from any real time (`\"20260131\"`, milliseconds).",
        learn_more="Date operators read numbers and digit strings as seconds since 1970, so "
        "`\"20260131\"` is a moment in August 1970 and a millisecond timestamp lies thousands of "
        "years ahead; the comparison then always or never holds. Write ISO 8601 dates "
        "(`2026-01-31T00:00:00Z`).",
        check=check_date_values,
        access_analyzer=True,
        example=_policy({"DateGreaterThan": {"aws:CurrentTime": "20260131"}}),
        near_miss=_policy({"DateGreaterThan": {"aws:CurrentTime": "2026-01-31", "aws:EpochTime": "1769817600"}}),
    ),
)
