"""`PolicySet`: the policies that apply to a request, compiled once, authorized many times."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Iterable, Mapping, Sequence

from .errors import PolicyEngineError, PolicyValidationError
from .evaluation import flow
from .evaluation.actions import ActionIndex
from .evaluation.compile import PolicyLayer, compile_layer
from .evaluation.explain import trace
from .limits import Limits
from .evaluation.prepare import prepare
from .model.decision import Decision
from .model.policy import PolicyDocument
from .model.request import Request
from .parsing import parse_policy

PolicyInput = PolicyDocument | Mapping[str, Any] | str | bytes


def default_rcp_services() -> frozenset[str]:
    data = json.loads((resources.files("policyengine") / "data" / "rcp_services.json").read_text("utf-8"))
    return frozenset(data["services"])


def as_document(policy: PolicyInput, *, name: str | None = None, limits: Limits | None = None) -> PolicyDocument:
    """A PolicyDocument from a document, a dict, or JSON text (checked against `limits`)."""
    if isinstance(policy, PolicyDocument):
        return policy
    if isinstance(policy, (str, bytes)):
        return parse_policy(policy, file=name, locations=True, limits=limits)
    if isinstance(policy, Mapping):
        return parse_policy(dict(policy), file=name, limits=limits)
    raise PolicyEngineError(f"a policy must be a document, a dict or JSON text, not {type(policy).__name__}",
                            code="INVALID_POLICY_INPUT")


def _named(policies: Iterable[PolicyInput] | Mapping[str, PolicyInput] | PolicyInput | None,
           policy_type: str, limits: Limits | None = None) -> list[tuple[str, PolicyDocument]]:
    if policies is None:
        return []
    if isinstance(policies, Mapping) and not _looks_like_policy(policies):
        items = list(policies.items())
    elif isinstance(policies, (PolicyDocument, str, bytes, Mapping)):
        items = [(None, policies)]
    else:
        items = [(None, p) for p in policies]
    out = []
    for number, (name, policy) in enumerate(items):
        doc = as_document(policy, name=name, limits=limits)
        label = doc.name or name or doc.source or (policy_type if len(items) == 1 else f"{policy_type}[{number}]")
        out.append((str(label), doc))
    return out


def _looks_like_policy(value: Mapping[str, Any]) -> bool:
    return "Statement" in value or "Version" in value


class PolicySet:
    """The policies of one request context, by type, compiled and indexed.

    `scps` and `rcps` are lists of levels, root first; each level is a list of
    policies (or a mapping of name to policy) and must allow. `management_account`
    names the organization's management account (SCPs and RCPs do not apply there).
    `limits` caps the documents given as dicts or text (`DEFAULT_LIMITS` when None; a
    `LimitExceededError` names the first one over a cap); `PolicyDocument`s were checked
    when they were parsed.
    """

    def __init__(
        self,
        identity: Iterable[PolicyInput] | Mapping[str, PolicyInput] | None = None,
        resource: PolicyInput | None = None,
        permissions_boundary: PolicyInput | None = None,
        session: Iterable[PolicyInput] | Mapping[str, PolicyInput] | None = None,
        scps: Sequence[Iterable[PolicyInput] | Mapping[str, PolicyInput]] | None = None,
        rcps: Sequence[Iterable[PolicyInput] | Mapping[str, PolicyInput]] | None = None,
        vpc_endpoint: PolicyInput | None = None,
        *,
        management_account: str | None = None,
        rcp_services: Iterable[str] | None = None,
        limits: Limits | None = None,
    ) -> None:
        problems: list[PolicyEngineError] = []

        def layer(policy_type: str, label: str, docs: list[tuple[str, PolicyDocument]]) -> PolicyLayer | None:
            if not docs:
                return None
            try:
                return compile_layer(policy_type, label, docs)
            except PolicyValidationError as exc:
                problems.extend(exc.errors)
                return None

        def single(policy: PolicyInput | None, policy_type: str) -> list[tuple[str, PolicyDocument]]:
            return [] if policy is None else _named([policy], policy_type, limits)

        self.identity = layer("identity", "identity", _named(identity, "identity", limits))
        self.resource = layer("resource", "resource", single(resource, "resource"))
        self.permissions_boundary = layer("permissions_boundary", "boundary",
                                          single(permissions_boundary, "permissions_boundary"))
        # An empty session list means no session policy was passed.
        self.session = layer("session", "session", _named(session, "session", limits) if session else [])
        self.vpc_endpoint = layer("vpc_endpoint", "vpc endpoint", single(vpc_endpoint, "vpc_endpoint"))
        self.scps = self._levels("scp", scps, layer, limits)
        self.rcps = self._levels("rcp", rcps, layer, limits)
        self.management_account = management_account
        self.rcp_services = frozenset(s.lower() for s in rcp_services) if rcp_services is not None \
            else default_rcp_services()
        if problems:
            raise PolicyValidationError(problems)

    @staticmethod
    def _levels(policy_type: str, levels: Sequence[Any] | None, layer: Any,
                limits: Limits | None = None) -> list[PolicyLayer]:
        if levels is None:
            return []
        out = []
        for number, level in enumerate(levels, 1):
            docs = _named(level, f"{policy_type} level {number}", limits)
            names = ", ".join(name for name, _ in docs) or "no policies"
            compiled = layer(policy_type, names, docs)
            if compiled is None:
                # A level with no policies allows nothing: keep it, empty.
                compiled = PolicyLayer(policy_type, names, [], ActionIndex())
            out.append(compiled)
        return out

    def authorize(self, request: Request, *, explain: bool = False) -> Decision:
        """Decide `request` as AWS would; never raises for evaluation problems (fails closed).

        Raises `RequestError` only for a request that cannot be read (no principal, an
        action without a service prefix, ...).
        """
        req = prepare(request)
        if req.action in flow.ALWAYS_ALLOWED_ACTIONS:
            decision = flow.always_allowed(req)
            return decision.with_trace(()) if explain else decision
        try:
            scans = flow.collect(self, req)
            verdict = flow.verdict(self, req, scans)
            decision = flow.build_decision(self, req, scans, verdict)
            if explain:
                has_boundary = flow.principal_has_boundary(self, req)
                decision = decision.with_trace(trace(scans, req, has_boundary=has_boundary))
            return decision
        except Exception as exc:  # noqa: BLE001 - fail closed: never an Allow on error
            return flow.failed_closed(exc)


def authorize(request: Request, *, explain: bool = False, **policies: Any) -> Decision:
    """One-shot convenience: `authorize(request, identity=[...], resource=..., ...)`."""
    return PolicySet(**policies).authorize(request, explain=explain)
