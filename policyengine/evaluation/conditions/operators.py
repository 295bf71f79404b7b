"""Splitting an operator name, once, into set qualifier / base operator / IfExists.

`ForAnyValue:StringLikeIfExists` -> (ForAnyValue, StringLike, if_exists=True). The set
prefix and the base name are matched case-insensitively; the `IfExists` suffix too.
"""

from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass
from functools import cache, lru_cache

from .errors import ConditionCompileError
from .registry import REGISTRY, OperatorSpec

_IF_EXISTS = "ifexists"


class SetQualifier(enum.StrEnum):
    FOR_ALL_VALUES = "ForAllValues"
    FOR_ANY_VALUE = "ForAnyValue"


_QUALIFIERS = {q.value.lower(): q for q in SetQualifier}


@dataclass(frozen=True, slots=True)
class ResolvedOperator:
    """An operator as written, resolved to its base spec and generic modifiers."""

    written: str
    spec: OperatorSpec
    set_qualifier: SetQualifier | None
    if_exists: bool

    @property
    def negated(self) -> bool:
        return self.spec.negated

    @property
    def name(self) -> str:
        """The canonical spelling, e.g. `ForAnyValue:StringLikeIfExists`."""
        prefix = f"{self.set_qualifier.value}:" if self.set_qualifier else ""
        return f"{prefix}{self.spec.name}{'IfExists' if self.if_exists else ''}"


@cache
def _spellings() -> dict[str, str]:
    """Every valid operator name, lower-cased -> canonical (for suggestions)."""
    out: dict[str, str] = {}
    for spec in REGISTRY:
        bases = [spec.name] if spec.presence_only else [spec.name, spec.name + "IfExists"]
        for base in bases:
            for prefix in ("", "ForAllValues:", "ForAnyValue:"):
                full = prefix + base
                out[full.lower()] = full
    return out


def suggest_operator(name: str) -> str | None:
    spellings = _spellings()
    close = difflib.get_close_matches(name.lower(), list(spellings), n=1, cutoff=0.6)
    return spellings[close[0]] if close else None


@lru_cache(maxsize=512)
def lookup_operator(name: str) -> ResolvedOperator:
    """Resolve an operator name; raises ConditionCompileError when it is not valid."""
    head, sep, rest = name.partition(":")
    qualifier: SetQualifier | None = None
    base = name
    if sep:
        qualifier = _QUALIFIERS.get(head.lower())
        base = rest
    spec = REGISTRY.get(base) if (qualifier or not sep) else None
    if_exists = False
    if spec is None and (qualifier or not sep) and base.lower().endswith(_IF_EXISTS):
        spec = REGISTRY.get(base[: -len(_IF_EXISTS)])
        if_exists = spec is not None
    if spec is None:
        suggestion = suggest_operator(name)
        hint = f"; did you mean `{suggestion}`?" if suggestion else ""
        raise ConditionCompileError(
            f"`{name}` is not a condition operator{hint}",
            code="INVALID_CONDITION_OPERATOR",
            path=("Condition", name),
            help="operators are e.g. `StringEquals`, `ArnLike`, `NumericLessThan`, optionally "
            "prefixed with `ForAllValues:` or `ForAnyValue:` and suffixed with `IfExists`",
        )
    if if_exists and spec.presence_only:
        raise ConditionCompileError(
            f"`{name}` is not allowed: `Null` takes no `IfExists` suffix",
            code="NULL_WITH_IF_EXISTS",
            path=("Condition", name),
            help="`Null` already tests whether the key exists; use `Null` alone",
        )
    return ResolvedOperator(name, spec, qualifier, if_exists)
