"""The request context as the evaluator sees it: condition keys, case-insensitively.

Values stay as the request gave them (str, int, float, bool, or a list of those);
each condition operator decides how to compare them, as AWS does.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import RequestError


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


class RequestContext:
    """Condition keys by lower-cased name, plus the keys a statement looked for and lacked."""

    __slots__ = ("values", "missing_keys")

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = {}
        if values:
            for key, value in values.items():
                if not isinstance(key, str):
                    raise RequestError(f"condition key names are strings, not `{key!r}`")
                self.values[key.lower()] = value
        # lower-cased key -> the spelling the policy used, in first-seen order
        self.missing_keys: dict[str, str] = {}

    def get(self, key_lower: str) -> Any:
        """The value of a key (name already lower-cased), or MISSING."""
        return self.values.get(key_lower, MISSING)

    def note_missing(self, key: str) -> None:
        lower = key.lower()
        if lower not in self.missing_keys:
            self.missing_keys[lower] = key

    def fresh(self) -> RequestContext:
        """The same values with an empty missing-key record (one per evaluation)."""
        clone = RequestContext.__new__(RequestContext)
        clone.values = self.values
        clone.missing_keys = {}
        return clone
