"""Counterexample messages: the request, the decision and why, the deciding statements with file:line.

Statements written inline in an environment file carry no position of their own (the
document was not parsed from text); `locate` finds them in the environment file itself
from the policy's name (`users.1.policies.0`) and the statement's path.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..model.decision import Decision, StatementRef
from ..model.request import Request
from .subject import Subject

__all__ = ["describe_decision", "describe_request", "locate"]


@lru_cache(maxsize=32)
def _environment_locations(file: str) -> dict[tuple[str | int, ...], tuple[int, int]]:
    from ..environment.loader import load_environment_value

    try:
        return load_environment_value(Path(file))[1] or {}
    except Exception:  # noqa: BLE001 - a location is a nicety; never fail a report for it
        return {}


def locate(ref: StatementRef, subject: Subject | None = None) -> str | None:
    """`file:line:column` of a statement, or None when unknown."""
    if ref.line is not None:
        return f"{ref.file or ref.policy_name}:{ref.line}:{ref.column}"
    env = subject.environment if subject is not None else None
    if env is None or not env.file:
        return None
    head = tuple(int(p) if p.isdigit() else p for p in ref.policy_name.split("."))
    where = _environment_locations(env.file).get(head + tuple(ref.path))
    return f"{env.file}:{where[0]}:{where[1]}" if where else None


def describe_request(request: Request) -> str:
    lines = [f"  principal: {request.principal}", f"  action:    {request.action}",
             f"  resource:  {request.resource}"]
    lines.append(f"  context:   {json.dumps(dict(request.context), sort_keys=True, default=str)}")
    return "\n".join(lines)


def describe_decision(decision: Decision, subject: Subject | None = None) -> str:
    lines = [f"decision: {decision.decision} ({decision.code.value})"]
    lines += [f"  {reason}" for reason in decision.reasons]
    statements = decision.deciding_statements or decision.matched_statements
    if statements:
        lines.append("deciding statements:" if decision.deciding_statements else "matched statements:")
        for ref in statements:
            where = locate(ref, subject)
            lines.append(f"  {ref.effect} {ref.policy_type} {ref.label()}" + (f" ({where})" if where else ""))
    if decision.missing_context_keys:
        lines.append("missing context keys: " + ", ".join(decision.missing_context_keys))
    return "\n".join(lines)


def counterexample(title: str, request: Request, subject: Subject, decision: Decision | None = None) -> str:
    """The full message: a title, the request, and the decision with its explanation."""
    explained = subject.authorize(request, explain=True) if decision is None else decision
    return f"{title}\nrequest:\n{describe_request(request)}\n{describe_decision(explained, subject)}"

