"""What policies mention: action patterns, resource patterns, principals, condition entries.

`Mentions.of(statements)` collects them from `PolicyStatement`s (see `subject`), in
document order without duplicates. The targeted strategies build their requests from these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .subject import PolicyStatement

__all__ = ["ConditionMention", "Mentions"]

# Service principals AWS uses often; mixed into the searches alongside the ones policies name.
COMMON_SERVICES = ("s3.amazonaws.com", "sns.amazonaws.com", "events.amazonaws.com", "apigateway.amazonaws.com",
                   "lambda.amazonaws.com")


@dataclass(frozen=True)
class ConditionMention:
    operator: str
    key: str
    values: tuple[Any, ...]


@dataclass
class Mentions:
    actions: list[str] = field(default_factory=list)  # patterns from Action and NotAction
    resources: list[str] = field(default_factory=list)  # patterns from Resource and NotResource
    principals: list[str] = field(default_factory=list)  # AWS/Service/Federated values
    conditions: list[ConditionMention] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, statements: Iterable[PolicyStatement]) -> Mentions:
        out = cls()
        for ps in statements:
            s = ps.statement
            _add(out.actions, [*(s.action or []), *(s.not_action or [])])
            _add(out.resources, [*(s.resource or []), *(s.not_resource or [])])
            for element in (s.principal, s.not_principal):
                if element is not None:
                    _add(out.principals, [v for names in element.values.values() for v in names])
            for entry in s.condition:
                mention = ConditionMention(entry.operator, entry.key, tuple(entry.values))
                if mention not in out.conditions:
                    out.conditions.append(mention)
        accounts = []
        for text in [*out.resources, *out.principals]:
            parts = text.split(":")
            if len(parts) > 4 and parts[4].isdigit() and len(parts[4]) == 12:
                accounts.append(parts[4])
            elif text.isdigit() and len(text) == 12:
                accounts.append(text)
        for c in out.conditions:
            accounts += [str(v) for v in c.values if isinstance(v, str) and v.isdigit() and len(v) == 12]
        _add(out.accounts, accounts)
        return out

    def condition_keys(self) -> list[str]:
        return list(dict.fromkeys(c.key for c in self.conditions))


def _add(into: list[str], values: Iterable[str]) -> None:
    for v in values:
        if v not in into:
            into.append(v)
