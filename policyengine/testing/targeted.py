"""Strategies aimed at given policies: requests built from what the policies mention.

Blind sampling almost never draws the one resource or condition value a policy names.
`Aim(target)` reads an `Environment`, a `PolicySet` or policy documents and collects
candidates for every part of a request:

- principals: the environment's users and roles, the principals the policies name (an
  account ID becomes its root, a role also one of its sessions), a stranger in each account
  they mention and one in a foreign account, common service principals, and `*`;
- actions: the actions the policies name, their letter-case variants and one-character
  near misses, and the catalogue's actions that wildcard patterns cover (a spread of at most
  `per_pattern` of them);
- resources: the policies' resource patterns with their wildcards filled in (`*` as the
  empty string, one character, or a path), the environment's functions with their versions
  and aliases, and near misses of all of these (one character off, another region or
  account);
- contexts: for every condition key, the values that satisfy each entry and their near
  misses (a neighbouring IP, a date one second across the bound, a number ±1, a string one
  character off, the key absent); plus, for every statement with conditions, the context
  that satisfies all of them, and the same context with one key removed or one value
  pushed across its bound.

`principals=`, `actions=` and `resources=` restrict the candidates (action and resource
patterns are expanded the same way). `aim.requests()` is a hypothesis strategy;
`aim.seeds()` a deterministic list of requests worth trying first.
"""

from __future__ import annotations

import itertools
import random
from typing import Any, Iterable, Sequence

from hypothesis import strategies as st

from ..lint.catalogue import UnknownServiceError, default_catalogue
from ..model.request import Request
from .mentions import COMMON_SERVICES, Mentions
from .near import near_arns, near_strings
from .subject import Subject
from .values import ABSENT, candidate_values, satisfying_value

__all__ = ["Aim", "near_miss_contexts", "near_principals", "resource_fills", "targeted_contexts", "targeted_requests"]

FOREIGN_ACCOUNT = "999988887777"
STRANGER = "policyengine-stranger"


def _listify(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def _spread(values: Sequence[Any], limit: int) -> list[Any]:
    """At most `limit` values, evenly spread over `values` (deterministic)."""
    if len(values) <= limit:
        return list(values)
    step = len(values) / limit
    return [values[int(i * step)] for i in range(limit)]


def resource_fills(pattern: str) -> list[str]:
    """Concrete resources a resource pattern matches: `*` as ``, `x` and `x/y`, `?` as `a`.

    Policy variables are filled with `x`; the bare pattern `*` gives nothing (nothing to aim at).
    """
    if pattern == "*":
        return []
    import re

    base = re.sub(r"\$\{[^}]*\}", "x", pattern)
    if not _has_wildcard(base):
        return [base]
    out = []
    for star in ("", "x", "x/y"):
        filled = base.replace("*", star).replace("?", "a")
        if filled.split(":")[-1] or not filled.endswith(":"):
            out.append(filled)
    return list(dict.fromkeys(out))


def _expand_actions(pattern: str, per_pattern: int) -> list[str]:
    if not _has_wildcard(pattern):
        return [pattern]
    try:
        found = sorted(a.full_name for a in default_catalogue().match_actions(pattern))
    except UnknownServiceError:
        found = []
    return _spread(found, per_pattern)


def _action_variants(action: str) -> list[str]:
    service, _, name = action.partition(":")
    out = [action, f"{service}:{name.lower()}"]
    out += [f"{service}:{miss}" for miss in near_strings(name)[:2] if miss]
    return out


def _principal_candidates(value: str) -> list[str]:
    """Request principals for a value found in a Principal element."""
    if value == "*":
        return ["*"]
    if value.endswith(".amazonaws.com") or value.endswith(".amazonaws.com.cn"):
        return [value]
    if value.isdigit() and len(value) == 12:
        return [f"arn:aws:iam::{value}:root", f"arn:aws:iam::{value}:user/{STRANGER}"]
    if ":role/" in value:
        parts = value.split(":")
        name = value.rsplit("/", 1)[-1]
        return [value, f"arn:{parts[1]}:sts::{parts[4]}:assumed-role/{name}/{STRANGER}"]
    if value.startswith("arn:") and not _has_wildcard(value):
        return [value]
    return []


def near_principals(principal: str) -> list[str]:
    """Principals one step away: the name one character off, the account one digit off."""
    from ..errors import RequestError
    from ..evaluation.principals import parse_principal

    parts = principal.split(":", 5)
    if len(parts) != 6 or not parts[4].isdigit():
        return []
    head, _, name = parts[5].rpartition("/")
    out = [f"{':'.join(parts[:5])}:{head}/{miss}" for miss in near_strings(name)[:1] if head and miss]
    account = parts[4][:-1] + str((int(parts[4][-1]) + 1) % 10)
    out.append(":".join([*parts[:4], account, parts[5]]))
    valid = []
    for candidate in out:
        try:
            parse_principal(candidate)
        except RequestError:
            continue
        valid.append(candidate)
    return valid


class Aim:
    """Candidates for requests aimed at `target` (see the module docstring)."""

    def __init__(self, target: Any, *, principals: str | Iterable[str] | None = None,
                 actions: str | Iterable[str] | None = None, resources: str | Iterable[str] | None = None,
                 per_pattern: int = 12, near_misses: bool = True) -> None:
        self.subject = Subject.of(target)
        self.mentions = Mentions.of(self.subject.statements())
        self.near_misses = near_misses
        self.principals = self._principals(_listify(principals))
        self.actions = self._actions(_listify(actions), per_pattern)
        self.resources = self._resources(_listify(resources))
        self.context_values = self._context_values()
        self.satisfying_contexts = self._satisfying_contexts()

    # -- candidates -----------------------------------------------------------------------------

    def _principals(self, given: list[str] | None) -> list[str]:
        if given is not None:
            return list(dict.fromkeys(given))
        m = self.mentions
        out: list[str] = list(self.subject.principals())
        for value in m.principals:
            out += _principal_candidates(value)
        env = self.subject.environment
        if env is not None:
            out += [f"arn:aws:sts::{r.arn.split(':')[4]}:assumed-role/{r.arn.rsplit('/', 1)[-1]}/{STRANGER}"
                    for r in env.data.roles]
        accounts = list(m.accounts) or ["111122223333"]
        for account in accounts:
            out += [f"arn:aws:iam::{account}:user/{STRANGER}", f"arn:aws:iam::{account}:root"]
        out += [f"arn:aws:iam::{FOREIGN_ACCOUNT}:user/{STRANGER}", *COMMON_SERVICES, "*"]
        if self.near_misses:
            out += [miss for p in list(out) for miss in near_principals(p)[:2]]
        return list(dict.fromkeys(out))

    def _actions(self, given: list[str] | None, per_pattern: int) -> list[str]:
        out: list[str] = []
        if given is not None:
            for pattern in given:
                out += _expand_actions(pattern, per_pattern) if _has_wildcard(pattern) else _action_variants(pattern)[:2]
            return list(dict.fromkeys(out))
        for pattern in self.mentions.actions:
            if _has_wildcard(pattern):
                out += _expand_actions(pattern, per_pattern)
            else:
                out += _action_variants(pattern) if self.near_misses else [pattern]
        return list(dict.fromkeys(out)) or ["s3:GetObject"]

    def _resources(self, given: list[str] | None) -> list[str]:
        out: list[str] = []
        if given is not None:
            for pattern in given:
                out += resource_fills(pattern) if _has_wildcard(pattern) else [pattern]
            return list(dict.fromkeys(out)) or ["*"]
        for pattern in self.mentions.resources:
            fills = resource_fills(pattern)
            out += fills
            if self.near_misses:
                out += [miss for f in fills[:1] for miss in near_arns(f)]
        for known in self.subject.resources():
            out.append(known)
            if self.near_misses:
                out += near_arns(known)[:2]
        return list(dict.fromkeys(out)) or ["*"]

    def _context_values(self) -> dict[str, list[Any]]:
        by_key: dict[str, list[Any]] = {}
        canonical: dict[str, str] = {}
        for c in self.mentions.conditions:
            key = canonical.setdefault(c.key.lower(), c.key)
            values = by_key.setdefault(key, [])
            for v in candidate_values(c.operator, c.values):
                if v is not ABSENT and v not in values:
                    values.append(v)
        return by_key

    def _satisfying_contexts(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for ps in self.subject.statements():
            if not ps.statement.condition:
                continue
            ctx: dict[str, Any] = {}
            for entry in ps.statement.condition:
                value = satisfying_value(entry.operator, entry.values)
                if value is None or value is ABSENT:
                    continue
                ctx[entry.key] = value
            if ctx and ctx not in out:
                out.append(ctx)
        merged: dict[str, Any] = {}
        seen: set[str] = set()
        for ctx in out:
            for k, v in ctx.items():
                if k.lower() not in seen:
                    seen.add(k.lower())
                    merged[k] = v
        if len(out) > 1:
            out.append(merged)
        return out

    # -- strategies -----------------------------------------------------------------------------

    def contexts(self) -> st.SearchStrategy[dict[str, Any]]:
        """Contexts: empty, satisfying, satisfying with one near miss, or any mix of candidate values."""
        options: list[st.SearchStrategy[dict[str, Any]]] = [st.just({})]
        if self.satisfying_contexts:
            options.append(st.sampled_from(self.satisfying_contexts))
            options.append(st.sampled_from(self.satisfying_contexts).flatmap(
                lambda ctx: st.sampled_from(near_miss_contexts(ctx, self.context_values) or [ctx])))
        if self.context_values:
            options.append(st.fixed_dictionaries(
                {}, optional={k: st.sampled_from(v) for k, v in self.context_values.items() if v}))
        return st.one_of(options)

    def requests(self) -> st.SearchStrategy[Request]:
        return st.builds(Request, principal=st.sampled_from(self.principals), action=st.sampled_from(self.actions),
                         resource=st.sampled_from(self.resources), context=self.contexts())

    def seeds(self, limit: int = 200) -> list[Request]:
        """Requests to try first: every principal × action × resource with the empty context and
        each satisfying context (a deterministic sample of `limit` when there are more)."""
        contexts = [{}, *self.satisfying_contexts]
        combos = list(itertools.product(self.principals, self.actions, self.resources, range(len(contexts))))
        if len(combos) > limit:
            combos = random.Random(0).sample(combos, limit)
        return [Request(principal=p, action=a, resource=r, context=dict(contexts[c])) for p, a, r, c in combos]


def near_miss_contexts(context: dict[str, Any], values: dict[str, list[Any]] | None = None) -> list[dict[str, Any]]:
    """`context` with one key removed, and with one value replaced by another candidate for its key."""
    out: list[dict[str, Any]] = []
    lowered = {k.lower(): v for k, v in (values or {}).items()}
    for key in context:
        out.append({k: v for k, v in context.items() if k != key})
        for other in lowered.get(key.lower(), []):
            if other != context[key]:
                out.append({**context, key: other})
    return out


def targeted_requests(target: Any, **restrict: Any) -> st.SearchStrategy[Request]:
    """Requests aimed at `target` (an Environment, PolicySet, or documents); see `Aim`."""
    return Aim(target, **restrict).requests()


def targeted_contexts(target: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Condition contexts aimed at the conditions of `target`'s policies."""
    return Aim(target).contexts()

