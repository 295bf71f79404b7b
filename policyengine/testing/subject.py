"""What a property is about: an `Environment`, a `PolicySet`, or policy documents.

`Subject.of(x)` wraps any of them behind one interface: `authorize(request)` and the
statements that may apply (with their policy type), so the strategies and the helpers do
not care which one they were given. Bare documents (a dict, JSON text, a
`PolicyDocument`, or a list of them) are taken as the identity policies of whichever
principal makes the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..environment import Environment
from ..environment.model import RoleRecord, UserRecord
from ..evaluation.principals import PrincipalKind, parse_principal
from ..model.decision import Decision
from ..model.policy import PolicyDocument, Statement
from ..model.request import Request
from ..policyset import PolicySet

__all__ = ["PolicyStatement", "Subject"]


@dataclass(frozen=True)
class PolicyStatement:
    """A statement with the type and name of the policy that holds it."""

    policy_type: str
    policy_name: str
    statement: Statement
    document: PolicyDocument


class Subject:
    def __init__(self, target: Environment | PolicySet) -> None:
        self.target = target

    @classmethod
    def of(cls, target: Any) -> Subject:
        if isinstance(target, Subject):
            return target
        if isinstance(target, (Environment, PolicySet)):
            return cls(target)
        if isinstance(target, (list, tuple)):
            return cls(PolicySet(identity=list(target)))
        return cls(PolicySet(identity=[target]))

    @property
    def environment(self) -> Environment | None:
        return self.target if isinstance(self.target, Environment) else None

    # -- deciding -------------------------------------------------------------------------------

    def authorize(self, request: Request, *, explain: bool = False) -> Decision:
        if isinstance(self.target, Environment):
            return self.target.authorize(request.principal, request.action, request.resource,
                                         dict(request.context), explain=explain,
                                         fill_context=request.fill_context)
        return self.target.authorize(request, explain=explain)

    # -- what the policies say ------------------------------------------------------------------

    def statements(self, principal: str | None = None) -> list[PolicyStatement]:
        """Every statement that may apply; with `principal`, its own identity policies only
        (plus every policy that is not an identity policy or a boundary)."""
        if isinstance(self.target, PolicySet):
            return list(_policyset_statements(self.target))
        return list(_environment_statements(self.target, principal))

    def principals(self) -> list[str]:
        """The principals the subject knows: an environment's users and roles (as ARNs)."""
        env = self.environment
        if env is None:
            return []
        return [u.arn for u in env.data.users] + [r.arn for r in env.data.roles]

    def resources(self) -> list[str]:
        """The resources an environment describes: functions (and their versions and aliases)
        and resource records."""
        env = self.environment
        if env is None:
            return []
        out: list[str] = []
        for fn in env.data.functions:
            out.append(fn.arn)
            out += [f"{fn.arn}:{q}" for q in [*fn.versions, *fn.aliases]]
        out += [r.arn for r in env.data.resources]
        out += [r.arn for r in env.data.roles]
        return out


def _policyset_statements(ps: PolicySet) -> Iterable[PolicyStatement]:
    layers = [ps.identity, ps.resource, ps.permissions_boundary, ps.session, ps.vpc_endpoint, *ps.scps, *ps.rcps]
    for layer in layers:
        if layer is None:
            continue
        for compiled in layer.statements:
            yield PolicyStatement(compiled.policy_type, compiled.policy_name, compiled.statement, compiled.document)


def _doc_statements(policy_type: str, docs: Iterable[PolicyDocument]) -> Iterable[PolicyStatement]:
    for doc in docs:
        for statement in doc.statements:
            yield PolicyStatement(policy_type, doc.name or doc.source or policy_type, statement, doc)


def _environment_statements(env: Environment, principal: str | None) -> Iterable[PolicyStatement]:
    d = env.data
    docs = env._docs  # noqa: SLF001 - the environment's own resolver (cached, validated at load)
    one = env._doc  # noqa: SLF001
    record: UserRecord | RoleRecord | None = None
    if principal is not None:
        who = parse_principal(principal)
        if who.kind is PrincipalKind.USER and who.arn:
            record = env.user(who.arn)
        elif who.kind is PrincipalKind.ROLE_SESSION and who.role_arn:
            record = env.role(who.role_arn)
    for i, user in enumerate(d.users):
        if principal is None or record is user:
            yield from _doc_statements("identity", docs(user.policies, ("users", i, "policies")))
            for group in user.groups:
                g = env._group(group)  # noqa: SLF001
                if g is not None:
                    gi = d.groups.index(g)
                    yield from _doc_statements("identity", docs(g.policies, ("groups", gi, "policies")))
            yield from _doc_statements("permissions_boundary",
                                       [x for x in [one(user.permissions_boundary,
                                                        ("users", i, "permissions_boundary"))] if x])
    for i, role in enumerate(d.roles):
        if principal is None or record is role:
            yield from _doc_statements("identity", docs(role.policies, ("roles", i, "policies")))
            yield from _doc_statements("permissions_boundary",
                                       [x for x in [one(role.permissions_boundary,
                                                        ("roles", i, "permissions_boundary"))] if x])
        yield from _doc_statements("resource", [x for x in [one(role.trust_policy, ("roles", i, "trust_policy"))] if x])
    if principal is None:
        for i, group_record in enumerate(d.groups):
            yield from _doc_statements("identity", docs(group_record.policies, ("groups", i, "policies")))
    for i, fn in enumerate(d.functions):
        yield from _doc_statements("resource", [x for x in [one(fn.resource_policy, ("functions", i, "resource_policy"))]
                                                if x])
    for i, res in enumerate(d.resources):
        yield from _doc_statements("resource", [x for x in [one(res.policy, ("resources", i, "policy"))] if x])
    if d.organization is not None:
        for account, org in d.organization.accounts.items():
            for kind, policy_type in (("scps", "scp"), ("rcps", "rcp")):
                for n, level in enumerate(getattr(org, kind) or []):
                    yield from _doc_statements(policy_type, docs(level, ("organization", "accounts", account, kind, n)))
