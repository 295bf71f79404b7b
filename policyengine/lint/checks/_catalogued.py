"""Helpers shared by the catalogue-based rule families (actions, resources, conditions).

- `entries()` walks an element (`Action`, `Resource`, ...) as written: a bare string has
  the element's own path, a list entry adds its index.
- `analyze_actions()` resolves a statement's action patterns against the catalogue once
  (cached by the tuple of patterns), so that the three families agree on which actions a
  statement names and none of them re-expands wildcards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from ...model.policy import Statement
from ..catalogue import ActionInfo, Catalogue, UnknownServiceError
from ..document import JsonPath, LintDocument

# `service:name` where the service prefix is letters, digits and `-` (wildcards allowed).
ACTION_FORMAT = re.compile(r"^[A-Za-z0-9*?-]+:[A-Za-z0-9*?_.-]+$")


def entries(path: JsonPath, raw: dict[str, Any], element: str) -> Iterator[tuple[JsonPath, Any]]:
    """(path, value) of each entry of an element as written in the raw statement."""
    value = raw.get(element)
    if value is None:
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield path + (element, index), item
    else:
        yield path + (element,), value


def per_document(doc: LintDocument, key: str, build: Any) -> Any:
    """`build(doc)`, computed once per document and kept on it (rules of several
    families walk the same entries)."""
    store = doc.__dict__.setdefault("_catalogued_cache", {})
    if key not in store:
        store[key] = build(doc)
    return store[key]


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


@dataclass(frozen=True)
class PatternResult:
    pattern: str
    # ok, all (`*`), wildcard_service (`*:Get*`), format, variable, unknown_service,
    # unknown_action (a literal name), no_match (a wildcard name matching nothing)
    status: str
    actions: tuple[ActionInfo, ...] = ()
    service: str = ""

    @property
    def known(self) -> bool:
        return self.status in ("ok", "all", "wildcard_service")


@dataclass(frozen=True)
class ActionAnalysis:
    results: tuple[PatternResult, ...]

    @property
    def all_known(self) -> bool:
        """Every pattern names real actions (and none is malformed)."""
        return all(r.known for r in self.results)

    @property
    def unbounded(self) -> bool:
        """Some pattern has a wildcard in its service part (`*`, `*:Get*`)."""
        return any(r.status in ("all", "wildcard_service") for r in self.results)

    @property
    def actions(self) -> tuple[ActionInfo, ...]:
        """The actions of the bounded patterns (duplicates removed, order kept)."""
        seen: dict[int, ActionInfo] = {}
        for result in self.results:
            for action in result.actions:
                seen.setdefault(id(action), action)
        return tuple(seen.values())

    @property
    def services(self) -> frozenset[str]:
        return frozenset(r.service for r in self.results if r.service)


def analyze_pattern(pattern: Any, catalogue: Catalogue) -> PatternResult:
    if not isinstance(pattern, str):
        return PatternResult(str(pattern), "format")
    return _analyze_pattern(pattern, catalogue)


@lru_cache(maxsize=16384)
def _analyze_pattern(pattern: str, catalogue: Catalogue) -> PatternResult:
    if "${" in pattern:
        return PatternResult(pattern, "variable")
    if pattern and set(pattern) == {"*"}:
        return PatternResult(pattern, "all")
    if not ACTION_FORMAT.match(pattern):
        return PatternResult(pattern, "format")
    service, _, name = pattern.partition(":")
    if has_wildcard(service):
        if set(service) == {"*"} and set(name) == {"*"}:
            return PatternResult(pattern, "all")
        if not catalogue.match_actions(pattern):
            return PatternResult(pattern, "unknown_service" if not _any_service(service, catalogue) else "no_match")
        return PatternResult(pattern, "wildcard_service")
    if not catalogue.service_exists(service):
        return PatternResult(pattern, "unknown_service", service=service.lower())
    try:
        found = tuple(catalogue.match_actions(pattern))
    except UnknownServiceError:  # pragma: no cover - checked above
        return PatternResult(pattern, "unknown_service", service=service.lower())
    if not found:
        return PatternResult(pattern, "no_match" if has_wildcard(name) else "unknown_action", service=service.lower())
    return PatternResult(pattern, "ok", found, service.lower())


def _any_service(service_pattern: str, catalogue: Catalogue) -> bool:
    from ...evaluation.wildcard import compile_glob

    match = compile_glob(service_pattern.lower())
    return any(match(s) for s in catalogue.services())


@lru_cache(maxsize=8192)
def _analyze(patterns: tuple[Any, ...], catalogue: Catalogue) -> ActionAnalysis:
    return ActionAnalysis(tuple(analyze_pattern(p, catalogue) for p in patterns))


def analyze_actions(doc: LintDocument, statement: Statement) -> ActionAnalysis | None:
    """The statement's `Action` patterns resolved; None for a `NotAction` statement."""
    if statement.not_action is not None or statement.action is None:
        return None
    try:
        key = tuple(statement.action)
        hash(key)
    except TypeError:  # pragma: no cover - the model holds strings
        return ActionAnalysis(tuple(analyze_pattern(p, doc.catalogue) for p in statement.action))
    return _analyze(key, doc.catalogue)


def join_names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    more = len(names) - limit
    return shown + (f" and {more} more" if more > 0 else "")
