"""Action patterns (`Action` / `NotAction`): case-insensitive, `*` and `?` wildcards.

Besides a predicate per statement, this module decides where a statement goes in a
policy's action index (see `ActionIndex`), so that a request only looks at the
statements that can possibly name its action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

from .wildcard import compile_glob, has_wildcards

ActionMatcher = Callable[[str], bool]
T = TypeVar("T")


def compile_actions(patterns: list[str], *, negated: bool) -> ActionMatcher:
    """Predicate over a lower-cased action name: any pattern matches (none, if negated)."""
    exact = {p.lower() for p in patterns if not has_wildcards(p)}
    globs = [compile_glob(p.lower()) for p in patterns if has_wildcards(p)]
    if not globs:
        if negated:
            return lambda action: action not in exact
        return exact.__contains__
    if negated:
        return lambda action: action not in exact and not any(g(action) for g in globs)
    return lambda action: action in exact or any(g(action) for g in globs)


@dataclass(frozen=True, slots=True)
class IndexKeys:
    """Where a statement is filed: exact action names, services with wildcard patterns,
    or everywhere (`*`, a wildcard in the service prefix, or NotAction)."""

    exact: frozenset[str]
    services: frozenset[str]
    everywhere: bool


def index_keys(patterns: list[str], *, negated: bool) -> IndexKeys:
    if negated:
        return IndexKeys(frozenset(), frozenset(), True)
    exact: set[str] = set()
    services: set[str] = set()
    for pattern in patterns:
        lowered = pattern.lower()
        service, sep, _ = lowered.partition(":")
        if not sep or has_wildcards(service):
            return IndexKeys(frozenset(), frozenset(), True)
        if has_wildcards(lowered):
            services.add(service)
        else:
            exact.add(lowered)
    # An exact name in a service already filed by wildcard would be found twice.
    exact = {name for name in exact if name.partition(":")[0] not in services}
    return IndexKeys(frozenset(exact), frozenset(services), False)


class ActionIndex(Generic[T]):
    """Items filed by the actions they can match; `candidates` never misses one.

    Each item is filed in exactly one list reachable from a given action, so a
    candidate list holds no duplicates.
    """

    __slots__ = ("exact", "by_service", "everywhere", "size")

    def __init__(self) -> None:
        self.exact: dict[str, list[T]] = {}
        self.by_service: dict[str, list[T]] = {}
        self.everywhere: list[T] = []
        self.size = 0

    def add(self, item: T, keys: IndexKeys) -> None:
        self.size += 1
        if keys.everywhere:
            self.everywhere.append(item)
            return
        for name in keys.exact:
            self.exact.setdefault(name, []).append(item)
        for service in keys.services:
            self.by_service.setdefault(service, []).append(item)

    def candidates(self, action: str, service: str) -> list[T]:
        """Items that may match the lower-cased `action` of `service`."""
        found = self.exact.get(action)
        wild = self.by_service.get(service)
        if found is None and wild is None:
            return self.everywhere
        out = list(self.everywhere)
        if found:
            out.extend(found)
        if wild:
            out.extend(wild)
        return out
