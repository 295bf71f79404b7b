"""Does one statement cover another? Pattern inclusion for the structure rules.

`REDUNDANT_STATEMENT` asks whether a statement grants nothing beyond another one, and
the security rules ask whether a `Deny` in the same document already blocks what they
would warn about. Both reduce to inclusion between wildcard patterns:

- `glob_covers(inner, outer)`: every string `inner` matches is matched by `outer`.
  Sound but not complete: `True` is always right, `False` may be a missed inclusion
  (e.g. `?*` inside `*?`). That is the safe direction for both uses: we never call a
  statement redundant, or a warning silenced, when it is not.
- `globs_intersect(a, b)`: some string matches both (exact for `*`/`?` globs).

Resources are compared segment by segment, as AWS matches them (IAM User Guide,
Resource element): a `*` stays inside its ARN segment, except a segment-final `*` at
the end of a pattern that stops early (`arn:aws:s3:*`). Policy variables (under
Version 2012-10-17) are opaque tokens: only the same variable, or a `*`, covers one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator

from ...model.policy import ConditionEntry, Principal, Statement

_STAR = "\x00*"  # tokens: single characters, these two markers, or "${...}" variables
_QMARK = "\x00?"


@lru_cache(maxsize=8192)
def _tokens(pattern: str, variables: bool) -> tuple[str, ...]:
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if variables and pattern.startswith("${", i):
            end = pattern.find("}", i + 2)
            if end > 0:
                inner = pattern[i + 2 : end]
                if inner in ("*", "?", "$"):
                    out.append(inner)  # escapes stand for a literal character
                else:
                    out.append(pattern[i : end + 1])
                i = end + 1
                continue
        if ch == "*":
            if not out or out[-1] != _STAR:
                out.append(_STAR)
        elif ch == "?":
            out.append(_QMARK)
        else:
            out.append(ch)
        i += 1
    return tuple(out)


def _single_char(token: str) -> bool:
    return token == _QMARK or (len(token) == 1)


@lru_cache(maxsize=16384)
def glob_covers(inner: str, outer: str, variables: bool = False) -> bool:
    """Every string matched by `inner` is matched by `outer` (sound, not complete)."""
    if inner == outer or outer == "*":
        return True
    if not (variables and "${" in outer):
        star = outer.find("*")
        if star < 0 and "?" not in outer:
            return False  # a literal covers only itself
        if star == len(outer) - 1 and "?" not in outer:
            # `prefix*`: inner must start with the literal prefix (its own wildcards after it)
            return inner.startswith(outer[:-1])
    a = _tokens(inner, variables)
    b = _tokens(outer, variables)
    memo: dict[tuple[int, int], bool] = {}

    def covers(i: int, j: int) -> bool:
        key = (i, j)
        if key in memo:
            return memo[key]
        if j == len(b):
            result = i == len(a)
        elif b[j] == _STAR:
            result = covers(i, j + 1) or (i < len(a) and covers(i + 1, j))
        elif i == len(a):
            result = False
        elif b[j] == _QMARK:
            result = _single_char(a[i]) and a[i] != _STAR and covers(i + 1, j + 1)
        else:
            result = a[i] == b[j] and covers(i + 1, j + 1)
        memo[key] = result
        return result

    return covers(0, 0)


@lru_cache(maxsize=16384)
def globs_intersect(first: str, second: str, variables: bool = False) -> bool:
    """Some string matches both patterns (a variable counts as `*`: may intersect)."""
    a = tuple(_STAR if t.startswith("${") else t for t in _tokens(first, variables))
    b = tuple(_STAR if t.startswith("${") else t for t in _tokens(second, variables))
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] == _STAR:
            stack.append((i + 1, j))
        if j < len(b) and b[j] == _STAR:
            stack.append((i, j + 1))
        if i < len(a) and j < len(b):
            x, y = a[i], b[j]
            if x == _STAR and y == _STAR:
                stack.append((i + 1, j + 1))
            elif x == _STAR:
                stack.append((i, j + 1))
            elif y == _STAR:
                stack.append((i + 1, j))
            elif x == _QMARK or y == _QMARK or x == y:
                stack.append((i + 1, j + 1))
    return False


def action_covers(inner: str, outer: str) -> bool:
    """Action patterns are case-insensitive."""
    return glob_covers(inner.lower(), outer.lower())


def allows_action(statement: Statement, action: str) -> bool:
    """The statement is an `Allow` whose `Action` / `NotAction` covers `action`."""
    if statement.effect != "Allow":
        return False
    if statement.action is not None:
        return any(isinstance(p, str) and action_covers(action, p) for p in statement.action)
    if statement.not_action is not None:
        return not any(isinstance(p, str) and action_covers(action, p) for p in statement.not_action)
    return False


def actions_intersect(first: str, second: str) -> bool:
    return globs_intersect(first.lower(), second.lower())


def resource_covers(inner: str, outer: str, variables: bool = False) -> bool:
    """Every ARN `inner` matches is matched by `outer` (segment by segment, sound)."""
    if outer == "*" or inner == outer:
        return True
    if not outer.startswith("arn:"):
        # `*bucket*`: one glob over the whole string, which covers any segment split.
        return glob_covers(inner, outer, variables)
    if not inner.startswith("arn:"):
        return False
    outer_parts = outer.split(":", 5)
    if len(outer_parts) == 6:
        inner_parts = inner.split(":", 5)
        if len(inner_parts) != 6:
            return False
        return all(glob_covers(i, o, variables) for i, o in zip(inner_parts, outer_parts))
    if not outer.endswith("*"):
        return False
    # An early stop with a trailing `*` (`arn:aws:s3:*`): the final star crosses colons.
    k = len(outer_parts) - 1
    inner_parts = inner.split(":", k)
    if len(inner_parts) != k + 1:
        return False
    return all(
        glob_covers(i, o, variables) for i, o in zip(inner_parts[:k], outer_parts[:k])
    ) and glob_covers(inner_parts[k], outer_parts[k], variables)


def resources_intersect(first: str, second: str, variables: bool = False) -> bool:
    """May some ARN match both? (whole-string glob intersection: over-approximates)."""
    return globs_intersect(first, second, variables)


@dataclass(frozen=True)
class PatternSet:
    """`Action`/`NotAction` or `Resource`/`NotResource`: patterns and whether negated."""

    patterns: tuple[str, ...]
    negated: bool = False

    @property
    def everything(self) -> bool:
        return (not self.negated and "*" in self.patterns) or (self.negated and not self.patterns)


EVERYTHING = PatternSet(("*",))


def set_covers(
    outer: PatternSet,
    inner: PatternSet,
    covers: Callable[[str, str], bool],
    intersect: Callable[[str, str], bool],
) -> bool:
    """Everything `inner` matches is matched by `outer` (sound, not complete)."""
    if outer.everything:
        return True
    if not outer.negated and not inner.negated:
        return all(any(covers(p, q) for q in outer.patterns) for p in inner.patterns)
    if not outer.negated and inner.negated:
        return False  # a complement is covered only by everything
    if outer.negated and not inner.negated:
        # outer matches all but its list: each inner pattern must miss that list.
        return all(not intersect(p, q) for p in inner.patterns for q in outer.patterns)
    # both negated: complement(inner) within complement(outer) iff outer's list within inner's
    return all(any(covers(q, p) for p in inner.patterns) for q in outer.patterns)


def action_set(statement: Statement) -> PatternSet:
    patterns, negated = statement.actions
    return PatternSet(tuple(patterns), negated)


def resource_set(statement: Statement) -> PatternSet:
    found = statement.resources
    if found is None:
        return EVERYTHING  # trust policies and other statements without Resource
    patterns, negated = found
    return PatternSet(tuple(patterns), negated)


def actions_cover(outer: PatternSet, inner: PatternSet) -> bool:
    return set_covers(outer, inner, action_covers, actions_intersect)


def resources_cover(outer: PatternSet, inner: PatternSet, variables: bool) -> bool:
    return set_covers(
        outer,
        inner,
        lambda i, o: resource_covers(i, o, variables),
        lambda a, b: resources_intersect(a, b, variables),
    )


# -- principals ----------------------------------------------------------------------------


def _aws_star(principal: Principal) -> bool:
    return "*" in principal.values.get("AWS", [])


def principal_covers(outer: Statement, inner: Statement) -> bool:
    """Every principal `inner` names is named by `outer` (sound, not complete).

    Statements without Principal/NotPrincipal (identity policies) cover each other.
    `"*"` covers everyone; `{"AWS": "*"}` every principal but AWS services (IAM User
    Guide, Principal element: the AWS wildcard does not name service principals).
    """
    if outer.principal is None and outer.not_principal is None:
        return inner.principal is None and inner.not_principal is None
    if outer.not_principal is not None:
        return inner.not_principal is not None and inner.not_principal == outer.not_principal
    assert outer.principal is not None
    if outer.principal.wildcard:
        return True
    if inner.not_principal is not None or inner.principal is None:
        return False
    if inner.principal.wildcard:
        return False
    for kind, names in inner.principal.values.items():
        if kind != "Service" and _aws_star(outer.principal):
            continue
        have = outer.principal.values.get(kind, [])
        if kind == "Service":
            have_lower = {h.lower() for h in have}
            if not all(n.lower() in have_lower for n in names):
                return False
        elif not all(n in have for n in names):
            return False
    return True


# -- conditions ----------------------------------------------------------------------------


def _entry_key(entry: ConditionEntry) -> tuple[str, str, frozenset[str]]:
    values = frozenset(
        ("true" if v is True else "false" if v is False else str(v)) for v in entry.values
    )
    return entry.operator.lower(), entry.key.lower(), values


def conditions_implied(outer: Statement, inner: Statement) -> bool:
    """Whenever `inner`'s Condition holds, `outer`'s does: outer's entries are among inner's."""
    if not outer.condition:
        return True
    have = {_entry_key(e) for e in inner.condition}
    return all(_entry_key(e) in have for e in outer.condition)


def statement_covers(outer: Statement, inner: Statement, *, variables: bool) -> bool:
    """`outer` matches every request `inner` matches (principal, action, resource, condition)."""
    return (
        principal_covers(outer, inner)
        and actions_cover(action_set(outer), action_set(inner))
        and resources_cover(resource_set(outer), resource_set(inner), variables)
        and conditions_implied(outer, inner)
    )


def covering_denies(
    statements: list[Statement], inner: Statement, *, variables: bool
) -> Iterator[Statement]:
    """The `Deny` statements that apply whenever `inner` does (so `inner` never grants)."""
    for deny in statements:
        if deny.effect != "Deny" or deny is inner:
            continue
        if statement_covers(deny, inner, variables=variables):
            yield deny
