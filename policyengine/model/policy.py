"""Typed, lossless policy documents.

These models keep what the author wrote (string or list, element order, `Version`)
so the linter can point at it and `to_json()` gives the document back. They hold
no evaluation behaviour: the evaluator compiles them (see `evaluation/compile.py`).
Source positions live beside the model in `PolicyDocument.locations`, filled only
when the document was parsed with positions.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr

ConditionValue = str | int | float | bool
JsonPath = tuple[str | int, ...]

VERSION_2012 = "2012-10-17"
VERSION_2008 = "2008-10-17"
PRINCIPAL_KINDS = ("AWS", "Service", "Federated", "CanonicalUser")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Principal(_Frozen):
    """`Principal` / `NotPrincipal`: either `"*"` or a map of kind to names."""

    wildcard: bool = False
    # kind as written (`AWS`, `Service`, `Federated`, `CanonicalUser`) -> names
    values: dict[str, list[str]] = {}
    # kinds whose value was written as a list (the rest were bare strings)
    list_kinds: frozenset[str] = frozenset()

    def to_json(self) -> Any:
        if self.wildcard:
            return "*"
        return {
            kind: (list(names) if kind in self.list_kinds else names[0])
            for kind, names in self.values.items()
        }


class ConditionEntry(_Frozen):
    """One `operator -> key -> value(s)` triple of a Condition block."""

    operator: str
    key: str
    values: list[ConditionValue]
    is_list: bool = False

    @property
    def qualifier(self) -> str | None:
        """`ForAllValues` / `ForAnyValue` (as written), or None."""
        head, sep, _ = self.operator.partition(":")
        return head if sep else None


class Statement(_Frozen):
    sid: str | None = None
    effect: Literal["Allow", "Deny"]
    principal: Principal | None = None
    not_principal: Principal | None = None
    action: list[str] | None = None
    not_action: list[str] | None = None
    resource: list[str] | None = None
    not_resource: list[str] | None = None
    # Condition entries in document order; operators and keys as written.
    condition: list[ConditionEntry] = []
    # True when a Condition element was present (even `{}`), for round-trips.
    has_condition: bool = False
    # Elements written as a bare string rather than a list: subset of
    # {"Action", "NotAction", "Resource", "NotResource"}.
    string_elements: frozenset[str] = frozenset()
    # Position of this statement in the document's Statement list (0 when the
    # document has a single statement object).
    index: int = 0

    @property
    def actions(self) -> tuple[list[str], bool]:
        """The action patterns and whether they are negated (`NotAction`)."""
        if self.not_action is not None:
            return self.not_action, True
        return self.action or [], False

    @property
    def resources(self) -> tuple[list[str], bool] | None:
        """The resource patterns and whether negated; None if neither element is present."""
        if self.not_resource is not None:
            return self.not_resource, True
        if self.resource is not None:
            return self.resource, False
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.sid is not None:
            out["Sid"] = self.sid
        out["Effect"] = self.effect
        if self.principal is not None:
            out["Principal"] = self.principal.to_json()
        if self.not_principal is not None:
            out["NotPrincipal"] = self.not_principal.to_json()
        for name, value in (
            ("Action", self.action),
            ("NotAction", self.not_action),
            ("Resource", self.resource),
            ("NotResource", self.not_resource),
        ):
            if value is not None:
                out[name] = value[0] if name in self.string_elements else list(value)
        if self.has_condition or self.condition:
            block: dict[str, dict[str, Any]] = {}
            for entry in self.condition:
                block.setdefault(entry.operator, {})[entry.key] = (
                    list(entry.values) if entry.is_list else entry.values[0]
                )
            out["Condition"] = block
        return out


class PolicyDocument(_Frozen):
    version: str | None = None
    id: str | None = None
    statements: list[Statement]
    # False when `Statement` was a single object rather than a list.
    statement_is_list: bool = True
    # File name the document came from, for locations in messages.
    source: str | None = None
    # A label for decisions and reports when the file alone does not name it
    # (e.g. `identity_policies[0]` for a policy inline in a scenario file).
    name: str | None = None

    _locations: dict[JsonPath, tuple[int, int]] | None = PrivateAttr(default=None)

    @property
    def variables_enabled(self) -> bool:
        """Policy variables are substituted only under Version 2012-10-17."""
        return self.version == VERSION_2012

    @property
    def locations(self) -> dict[JsonPath, tuple[int, int]] | None:
        """(line, column) of every node by JSON path; None when parsed without positions."""
        return self._locations

    def with_locations(self, locations: dict[JsonPath, tuple[int, int]] | None) -> PolicyDocument:
        self._locations = locations
        return self

    def location_of(self, path: JsonPath) -> tuple[int, int] | None:
        """The (line, column) of the node at `path`, or of its nearest located parent."""
        if not self._locations:
            return None
        path = tuple(path)
        while True:
            found = self._locations.get(path)
            if found is not None or not path:
                return found
            path = path[:-1]

    def statement_path(self, index: int) -> JsonPath:
        """JSON path of statement `index` inside this document."""
        return ("Statement", index) if self.statement_is_list else ("Statement",)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.version is not None:
            out["Version"] = self.version
        if self.id is not None:
            out["Id"] = self.id
        statements = [s.to_json() for s in self.statements]
        out["Statement"] = statements if self.statement_is_list else statements[0]
        return out
