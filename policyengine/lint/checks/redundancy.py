"""Lint rules: statements, principals and condition values that add nothing.

(`REDUNDANT_ACTION` and `REDUNDANT_RESOURCE`, which need the action catalogue, live with
the action and resource rules.)

A statement is redundant when another statement of the same effect matches every
request it matches: its principals are among the other's (or the other names `*`), its
actions and resources are covered by the other's patterns, and the other's conditions
are all among its own (no conditions at all covers everything). Removing it changes
nothing. Coverage is decided by `_coverage`, which only answers "covered" when it is
sure.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ...evaluation.conditions import lookup_operator
from ...evaluation.conditions.errors import ConditionCompileError
from ...model.policy import Statement
from ..document import LintDocument
from ..finding import Finding, Severity
from ..rules import Rule
from ._common import example_policy as _policy, matches_nothing, statement_name
from ._coverage import statement_covers
from .principals import principal_values


def _services(statement: Statement) -> frozenset[str] | None:
    """Service prefixes the statement's actions can reach; None when unbounded."""
    patterns, negated = statement.actions
    if negated:
        return None
    out = set()
    for pattern in patterns:
        prefix, sep, _ = pattern.lower().partition(":")
        if not sep or "*" in prefix or "?" in prefix:
            return None
        out.add(prefix)
    return frozenset(out)


_Summary = tuple[Statement, frozenset[str] | None]


def _may_cover(outer: _Summary, inner: _Summary) -> bool:
    """Cheap necessary conditions for `outer` to cover `inner`."""
    o, o_services = outer
    i, i_services = inner
    if o is i or o.effect != i.effect:
        return False
    if o_services is not None and (i_services is None or not i_services <= o_services):
        return False
    return len(o.condition) <= len(i.condition)


_WILD = re.compile(r"[*?$]")


def _head(pattern: str) -> str:
    """The literal start of a resource pattern: every resource it matches begins with it."""
    found = _WILD.search(pattern)
    return pattern if found is None else pattern[: found.start()]


class _ResourceIndex:
    """Statements filed by the literal heads of their resource patterns.

    A statement can only cover another if one of its heads is a prefix of the other's
    first head, so looking up every prefix of that head finds all candidates without
    comparing every pair (a policy of thousands of statements stays linear).
    """

    def __init__(self, statements: list[_Summary]) -> None:
        self.by_head: dict[str, list[_Summary]] = {}
        self.everywhere: list[_Summary] = []
        for summary in statements:
            found = summary[0].resources
            if found is None or found[1]:
                self.everywhere.append(summary)
                continue
            for head in {_head(p) for p in found[0]}:
                self.by_head.setdefault(head, []).append(summary)

    def candidates(self, statement: Statement) -> list[_Summary]:
        found = statement.resources
        if found is None or found[1] or not found[0]:
            return self.everywhere + [s for group in self.by_head.values() for s in group]
        head = _head(found[0][0])
        out = list(self.everywhere)
        seen = {id(s[0]) for s in out}
        for end in range(len(head) + 1):
            for summary in self.by_head.get(head[:end], ()):
                if id(summary[0]) not in seen:
                    seen.add(id(summary[0]))
                    out.append(summary)
        return sorted(out, key=lambda summary: summary[0].index)


def _check_redundant_statement(doc: LintDocument) -> Iterator[Finding]:
    variables = doc.policy.variables_enabled
    live = [(s, _services(s)) for s in doc.policy.statements if not matches_nothing(s)]
    index = _ResourceIndex(live)
    for path, inner, _raw in doc.statements():
        if matches_nothing(inner):
            continue
        me = (inner, _services(inner))
        for candidate in index.candidates(inner):
            if not _may_cover(candidate, me):
                continue
            outer = candidate[0]
            if not statement_covers(outer, inner, variables=variables):
                continue
            mutual = statement_covers(inner, outer, variables=variables)
            if mutual and outer.index > inner.index:
                continue  # two statements that cover each other: report only the later one
            verb = "grants" if inner.effect == "Allow" else "denies"
            what = f"the same as what {statement_name(outer)} {verb}" if mutual else (
                f"nothing beyond what {statement_name(outer)} {verb} already"
            )
            yield doc.finding(
                "REDUNDANT_STATEMENT",
                path,
                f"{statement_name(inner)} {verb} {what}: its principals, actions and resources are covered "
                "and its conditions are no looser; remove it (or, if it was meant to differ, fix "
                "the one that is too broad)",
            )
            break


# -- principals in trust policies ------------------------------------------------------------

_ROLE = re.compile(r"^arn:(?P<p>aws(?:-[a-z]+)*):iam::(?P<a>\d{12}):role/(?:.*/)?(?P<r>[^/]+)$")
_SESSION = re.compile(
    r"^arn:(?P<p>aws(?:-[a-z]+)*):sts::(?P<a>\d{12}):assumed-role/(?P<r>[^/]+)/[^/]+$"
)


def _check_redundant_principal(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in doc.statements():
        roles: dict[tuple[str, str, str], str] = {}
        sessions = []
        for where, element, kind, value in principal_values(path, statement):
            if element != "Principal" or kind != "AWS":
                continue
            if match := _ROLE.match(value):
                roles[(match["p"], match["a"], match["r"])] = value
            elif match := _SESSION.match(value):
                sessions.append((where, value, (match["p"], match["a"], match["r"])))
        for where, value, role in sessions:
            if role in roles:
                yield doc.finding(
                    "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
                    where,
                    f"`{value}` is a session of `{roles[role]}`, which the statement already "
                    "trusts (naming a role trusts all its sessions); remove the session",
                )


# -- numeric condition values ----------------------------------------------------------------

# Values are OR-ed: below any of several upper bounds is below the largest, above any of
# several lower bounds is above the smallest.
_BOUNDS = {"lt": max, "le": max, "gt": min, "ge": min}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _check_redundant_numeric(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in doc.statements():
        for entry in statement.condition:
            if len(entry.values) < 2:
                continue
            try:
                op = lookup_operator(entry.operator)
            except ConditionCompileError:
                continue
            if op.spec.family.value != "Numeric" or op.negated:
                continue
            pick = _BOUNDS.get(op.spec.relation)
            numbers = [_number(v) for v in entry.values]
            if pick is None or any(n is None for n in numbers):
                continue
            best = pick(n for n in numbers if n is not None)
            keep = next(i for i, n in enumerate(numbers) if n == best)
            where = path + ("Condition", entry.operator, entry.key)
            for i, n in enumerate(numbers):
                if i == keep:
                    continue
                yield doc.finding(
                    "REDUNDANT_CONDITION_VALUE_NUM",
                    where + (i,),
                    f"`{entry.values[i]}` is redundant: with several values `{op.spec.name}` on "
                    f"`{entry.key}` holds when any of them does, so `{entry.values[keep]}` alone "
                    "decides; keep only that value",
                )


# -- the rules -------------------------------------------------------------------------------

_GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
_ROLE_ARN = "arn:aws:iam::111122223333:role/deployer"
_SESSION_ARN = "arn:aws:sts::111122223333:assumed-role/deployer/ci"
_OTHER_SESSION_ARN = "arn:aws:sts::111122223333:assumed-role/auditor/ci"
_MFA_AGE = "aws:MultiFactorAuthAge"


RULES: tuple[Rule, ...] = (
    Rule(
        code="REDUNDANT_STATEMENT",
        severity=Severity.SUGGESTION,
        summary="A statement that another statement of the same effect already covers.",
        learn_more="Removing it changes nothing; duplicates drift apart when only one copy is "
        "edited later. A statement is covered when another with the same effect names all its "
        "principals, actions and resources, with no condition it does not also have.",
        check=_check_redundant_statement,
        access_analyzer=True,
        example=_policy({**_GET, "Action": "s3:Get*"}, _GET),
        near_miss=_policy({**_GET, "Action": "s3:Get*",
                           "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, _GET),
    ),
    Rule(
        code="REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
        severity=Severity.SUGGESTION,
        summary="A role session principal listed next to its own role.",
        learn_more="Trusting a role trusts every session of it, so listing one of its sessions "
        "adds nothing.",
        check=_check_redundant_principal,
        policy_types=frozenset({"trust"}),
        access_analyzer=True,
        example=_policy({"Effect": "Allow", "Action": "sts:AssumeRole",
                         "Principal": {"AWS": [_ROLE_ARN, _SESSION_ARN]}}),
        near_miss=_policy({"Effect": "Allow", "Action": "sts:AssumeRole",
                           "Principal": {"AWS": [_ROLE_ARN, _OTHER_SESSION_ARN]}}),
        example_policy_type="trust",
    ),
    Rule(
        code="REDUNDANT_CONDITION_VALUE_NUM",
        severity=Severity.SUGGESTION,
        summary="Several values for a numeric comparison, where one bound decides.",
        learn_more="Values of one key are OR-ed: `NumericLessThan` with 2700 and 3600 holds below "
        "3600, so 2700 adds nothing (the largest bound decides for less-than, the smallest for "
        "greater-than).",
        check=_check_redundant_numeric,
        access_analyzer=True,
        example=_policy({**_GET, "Condition": {"NumericLessThan": {_MFA_AGE: ["2700", "3600"]}}}),
        near_miss=_policy({**_GET, "Condition": {"NumericLessThan": {_MFA_AGE: "3600"}}}),
    ),
)
