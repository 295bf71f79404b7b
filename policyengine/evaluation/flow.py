"""The AWS decision flow for one request (IAM User Guide, policy evaluation logic).

Each applicable policy layer is scanned once into buckets (matching allows with how
they name the principal, matching denies, errors); `_verdict` then applies AWS's
order: explicit deny anywhere, RCPs, SCPs, VPC endpoint policy, the resource policy
(trust and KMS key policies must grant), identity policies, permissions boundary,
session policies. Any exception during evaluation yields `implicitDeny` (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model.decision import (
    ALLOWED,
    EXPLICIT_DENY,
    IMPLICIT_DENY,
    Decision,
    DecisionCode,
    PolicyTypeResult,
    StatementRef,
)
from .compile import CompiledStatement, PolicyLayer
from .prepare import PreparedRequest
from .principals import GrantKind, PrincipalKind, excluded_by_not_principal, principal_grant

if TYPE_CHECKING:
    from ..policyset import PolicySet

TRUST_ACTIONS = frozenset(
    {"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity", "sts:tagsession",
     "sts:setsourceidentity", "sts:setcontext"}
)
ALWAYS_ALLOWED_ACTIONS = frozenset({"sts:getcalleridentity"})


@dataclass(slots=True)
class LayerScan:
    layer: PolicyLayer
    allows: list[tuple[CompiledStatement, GrantKind | None]] = field(default_factory=list)
    denies: list[CompiledStatement] = field(default_factory=list)
    errors: list[tuple[CompiledStatement, Exception]] = field(default_factory=list)
    boundary_trap: bool = False  # a Deny+NotPrincipal applied only because of the boundary trap


def scan(layer: PolicyLayer, req: PreparedRequest, *, has_boundary: bool) -> LayerScan:
    """Sort the layer's candidate statements into matching allows, denies and errors."""
    out = LayerScan(layer)
    action, resource, ctx, who = req.action, req.resource, req.context, req.principal
    needs_principal = layer.needs_principal
    for st in layer.index.candidates(action, req.service):
        try:
            if not st.actions(action):
                continue
            if st.resources is not None and not st.resources(resource, ctx):
                continue
            grant: GrantKind | None = None
            trap = False
            if needs_principal:
                if st.principal is not None:
                    grant = principal_grant(st.principal, who)
                    if grant is None:
                        continue
                elif st.not_principal is not None:
                    if excluded_by_not_principal(st.not_principal, who):
                        if not (has_boundary and st.is_deny):
                            continue
                        trap = True
                    grant = GrantKind.DIRECT
            if st.conditions is not None and not st.conditions.matches(ctx):
                continue
        except Exception as exc:  # noqa: BLE001 - fail closed, reported in the decision
            out.errors.append((st, exc))
            continue
        if st.is_deny:
            out.denies.append(st)
            out.boundary_trap = out.boundary_trap or trap
        else:
            out.allows.append((st, grant))
    return out


@dataclass(slots=True)
class Scans:
    identity: LayerScan | None = None
    resource: LayerScan | None = None
    boundary: LayerScan | None = None
    session: LayerScan | None = None
    vpc_endpoint: LayerScan | None = None
    scps: list[LayerScan] = field(default_factory=list)
    rcps: list[LayerScan] = field(default_factory=list)
    not_applied: dict[str, str] = field(default_factory=dict)  # policy type -> why not

    def all(self) -> list[LayerScan]:
        found = [self.identity, self.resource, self.boundary, self.session, self.vpc_endpoint]
        return [s for s in found if s is not None] + self.scps + self.rcps


def principal_has_boundary(ps: PolicySet, req: PreparedRequest) -> bool:
    """A permissions boundary applies to IAM users and roles (and sessions of them)."""
    return ps.permissions_boundary is not None and req.principal.kind in (
        PrincipalKind.USER, PrincipalKind.ROLE_SESSION, PrincipalKind.FEDERATED_USER)


def collect(ps: PolicySet, req: PreparedRequest) -> Scans:
    """Scan every layer that applies to this request; note why the others do not."""
    who = req.principal
    scans = Scans()
    has_boundary = principal_has_boundary(ps, req)

    def run(layer: PolicyLayer) -> LayerScan:
        return scan(layer, req, has_boundary=has_boundary)

    if ps.identity is not None:
        if who.has_identity_policies:
            scans.identity = run(ps.identity)
        else:
            scans.not_applied["identity"] = f"{who.describe_with_article()} has no identity-based policies"
    if ps.resource is not None:
        scans.resource = run(ps.resource)
    if ps.permissions_boundary is not None:
        if has_boundary:
            scans.boundary = run(ps.permissions_boundary)
        else:
            scans.not_applied["permissions_boundary"] = f"{who.describe_with_article()} has no permissions boundary"
    if ps.session is not None:
        if who.is_session:
            scans.session = run(ps.session)
        else:
            scans.not_applied["session"] = f"{who.describe_with_article()} is not a session"
    if ps.vpc_endpoint is not None:
        scans.vpc_endpoint = run(ps.vpc_endpoint)
    if ps.scps:
        why = _scps_skip_reason(ps, req)
        if why is None:
            scans.scps = [run(level) for level in ps.scps]
        else:
            scans.not_applied["scp"] = why
    if ps.rcps:
        why = _rcps_skip_reason(ps, req)
        if why is None:
            scans.rcps = [run(level) for level in ps.rcps]
        else:
            scans.not_applied["rcp"] = why
    return scans


def _scps_skip_reason(ps: PolicySet, req: PreparedRequest) -> str | None:
    who = req.principal
    if not who.is_org_principal:
        return f"SCPs restrict principals of member accounts, not {who.describe_with_article()}"
    if who.is_service_linked_role:
        return "SCPs never restrict service-linked roles"
    if ps.management_account is not None and who.account == ps.management_account:
        return "SCPs do not affect principals of the management account"
    return None


def _rcps_skip_reason(ps: PolicySet, req: PreparedRequest) -> str | None:
    if req.service not in ps.rcp_services:
        return f"RCPs do not apply to `{req.service}` (not an RCP-supported service)"
    if req.principal.is_service_linked_role:
        return "RCPs do not apply to calls made by service-linked roles"
    if ps.management_account is not None and req.resource_account == ps.management_account:
        return "RCPs do not affect resources of the management account"
    return None


def _is_trust_request(req: PreparedRequest) -> bool:
    arn = req.resource_arn
    return req.action in TRUST_ACTIONS and arn is not None and arn.service == "iam" and \
        arn.resource.startswith("role/")


def _is_key_request(req: PreparedRequest) -> bool:
    arn = req.resource_arn
    return req.service == "kms" and arn is not None and arn.service == "kms" and arn.resource.startswith("key/")


@dataclass(slots=True)
class Verdict:
    decision: str
    code: DecisionCode
    headline: str
    deciding: list[CompiledStatement]


def verdict(ps: PolicySet, req: PreparedRequest, scans: Scans) -> Verdict:
    """The AWS order of checks over the scanned buckets; the one place that knows it."""
    who = req.principal
    action = req.request.action
    layers = scans.all()

    denies = [st for s in layers for st in s.denies]
    if denies:
        trap = any(s.boundary_trap for s in layers)
        code = DecisionCode.NOT_PRINCIPAL_WITH_BOUNDARY if trap and len(denies) == 1 else DecisionCode.EXPLICIT_DENY
        kinds = sorted({_type_phrase(st.policy_type) for st in denies})
        headline = f"explicit deny in {' and '.join(kinds)}"
        if trap:
            headline += (" (a Deny with NotPrincipal in a resource-based policy always applies to a principal"
                         " that has a permissions boundary)")
        return Verdict(EXPLICIT_DENY, code, headline, denies)

    errors = [(st, exc) for s in layers for st, exc in s.errors]
    if errors:
        st, exc = errors[0]
        return Verdict(IMPLICIT_DENY, DecisionCode.EVALUATION_ERROR,
                       f"evaluation failed in {st.ref().label()}: {exc}; failing closed", [])

    for number, level in enumerate(scans.rcps, 1):
        if not level.allows:
            return Verdict(IMPLICIT_DENY, DecisionCode.NO_RCP_ALLOW,
                           f"RCP level {number} ({level.layer.label}) has no Allow for {action}", [])
    for number, level in enumerate(scans.scps, 1):
        if not level.allows:
            return Verdict(IMPLICIT_DENY, DecisionCode.NO_SCP_ALLOW,
                           f"SCP level {number} ({level.layer.label}) has no Allow for {action}", [])
    if scans.vpc_endpoint is not None and not scans.vpc_endpoint.allows:
        return Verdict(IMPLICIT_DENY, DecisionCode.NO_VPC_ENDPOINT_ALLOW,
                       f"the VPC endpoint policy has no Allow for {action} by this principal", [])

    rbp = scans.resource
    rbp_allows = rbp.allows if rbp is not None else []
    direct = [st for st, g in rbp_allows if g is GrantKind.DIRECT]
    role = [st for st, g in rbp_allows if g is GrantKind.ROLE]
    rbp_any = [st for st, _ in rbp_allows]
    account = req.resource_account or "the resource's account"

    if _is_trust_request(req) and not rbp_any:
        return Verdict(IMPLICIT_DENY, DecisionCode.NO_TRUST_POLICY_ALLOW,
                       f"the role's trust policy does not allow this {who.describe()} to {action}; "
                       "a trust policy must allow it even in the same account", [])
    if _is_key_request(req) and not rbp_any:
        return Verdict(IMPLICIT_DENY, DecisionCode.NO_KEY_POLICY_ALLOW,
                       f"the key policy grants {action} neither to this principal nor to its account; "
                       "identity policies count only when the key policy grants the account", [])

    if who.kind in (PrincipalKind.SERVICE, PrincipalKind.ANONYMOUS, PrincipalKind.WEB_IDENTITY):
        if rbp_any:
            return Verdict(ALLOWED, DecisionCode.ALLOWED,
                           f"the resource policy grants {action} to this {who.describe()}", rbp_any)
        return Verdict(IMPLICIT_DENY, DecisionCode.NO_RESOURCE_POLICY_ALLOW,
                       f"{who.describe_with_article()} gets access only from a resource-based policy, and "
                       f"{'none was given' if rbp is None else 'the resource policy grants it nothing'}", [])

    identity_allows = [st for st, _ in scans.identity.allows] if scans.identity is not None else []
    is_root = who.kind is PrincipalKind.ROOT
    grants: list[CompiledStatement]
    if req.same_account:
        if direct:
            return Verdict(ALLOWED, DecisionCode.ALLOWED,
                           f"the resource policy grants {action} to this {who.describe()} directly "
                           "(same account: not limited by identity, boundary or session policies)", direct)
        if not (identity_allows or is_root or role):
            return Verdict(IMPLICIT_DENY, DecisionCode.NO_IDENTITY_ALLOW,
                           f"no identity-based policy allows {action} on {req.resource}"
                           + (" and the resource policy grants nothing that counts on its own" if rbp else ""), [])
        grants = identity_allows + role
    else:
        if not rbp_any:
            side = "the identity policy allows" if identity_allows or is_root else "no identity policy allows"
            return Verdict(IMPLICIT_DENY, DecisionCode.NO_RESOURCE_POLICY_ALLOW,
                           f"cross-account: {side}, but the resource policy of {account} "
                           f"{'grants nothing to this principal' if rbp is not None else 'is missing'}", [])
        if not (identity_allows or is_root):
            return Verdict(IMPLICIT_DENY, DecisionCode.NO_IDENTITY_ALLOW,
                           f"cross-account: the resource policy of {account} allows, but no identity-based "
                           f"policy of {who.account} allows {action} on {req.resource}", [])
        grants = identity_allows + rbp_any

    if scans.boundary is not None and not scans.boundary.allows:
        return Verdict(IMPLICIT_DENY, DecisionCode.NO_BOUNDARY_ALLOW,
                       f"the permissions boundary has no Allow for {action}", [])
    if scans.session is not None and not scans.session.allows:
        return Verdict(IMPLICIT_DENY, DecisionCode.NO_SESSION_ALLOW,
                       f"the session policies have no Allow for {action}", [])
    if who.kind is PrincipalKind.FEDERATED_USER and scans.session is None:
        return Verdict(IMPLICIT_DENY, DecisionCode.NO_SESSION_ALLOW,
                       "a federated-user session without a session policy has no permissions "
                       "(unless a resource policy names the session)", [])
    if is_root and not identity_allows and not rbp_any:
        return Verdict(ALLOWED, DecisionCode.ALLOWED,
                       "the account root user has full access in its own account", [])
    return Verdict(ALLOWED, DecisionCode.ALLOWED, _allow_headline(action, grants, rbp_any, req), grants)


def _allow_headline(action: str, grants: list[CompiledStatement], rbp: list[CompiledStatement],
                    req: PreparedRequest) -> str:
    types = sorted({_type_phrase(st.policy_type) for st in grants})
    if not req.same_account and rbp:
        return f"cross-account: both the identity-based policy and the resource policy allow {action}"
    return f"{' and '.join(types) or 'the account root'} allow{'s' if len(types) == 1 else ''} {action}"


_PHRASES = {
    "identity": "an identity-based policy",
    "resource": "the resource-based policy",
    "permissions_boundary": "the permissions boundary",
    "session": "a session policy",
    "scp": "a service control policy",
    "rcp": "a resource control policy",
    "vpc_endpoint": "the VPC endpoint policy",
}


def _type_phrase(policy_type: str) -> str:
    return _PHRASES.get(policy_type, policy_type)


def summaries(ps: PolicySet, req: PreparedRequest, scans: Scans) -> list[PolicyTypeResult]:
    """One line per policy type: what it contributed."""
    action = req.request.action
    out: list[PolicyTypeResult] = []

    def describe(label: str, s: LayerScan, allow_text: str, none_text: str) -> str:
        if s.denies:
            return f"{label}: denies {action} ({', '.join(st.ref().label() for st in s.denies)})"
        if s.errors:
            return f"{label}: could not be evaluated ({s.errors[0][1]})"
        if s.allows:
            return f"{label}: {allow_text} ({', '.join(st.ref().label() for st, _ in s.allows)})"
        return f"{label}: {none_text}"

    def add(policy_type: str, s: LayerScan | None, label: str, allow_text: str, none_text: str) -> None:
        if s is None:
            if policy_type in scans.not_applied:
                out.append(PolicyTypeResult(policy_type, False, False, False,
                                            f"{label}: does not apply ({scans.not_applied[policy_type]})"))
            return
        out.append(PolicyTypeResult(policy_type, True, bool(s.allows), bool(s.denies),
                                    describe(label, s, allow_text, none_text)))

    add("identity", scans.identity, "identity-based policies", f"allow {action}",
        f"no statement allows {action} on {req.resource}")
    if scans.resource is not None:
        grants = {g for _, g in scans.resource.allows}
        if GrantKind.DIRECT in grants:
            text = f"grants the {req.principal.describe()} directly"
        elif GrantKind.ROLE in grants:
            text = "grants the role of this session (still limited by its boundary and session policies)"
        elif GrantKind.ACCOUNT in grants:
            text = f"grants the account {req.principal.account} (an identity-based policy must also allow)"
        else:
            text = "allows"
        add("resource", scans.resource, "resource-based policy", text,
            f"grants nothing to this principal for {action}")
    elif ps.resource is None and not req.same_account and req.principal.has_identity_policies:
        out.append(PolicyTypeResult("resource", False, False, False,
                                    "resource-based policy: none given (a cross-account request needs one)"))
    add("permissions_boundary", scans.boundary, "permissions boundary", "allows", f"has no Allow for {action}")
    add("session", scans.session, "session policies", "allow", f"have no Allow for {action}")
    add("vpc_endpoint", scans.vpc_endpoint, "VPC endpoint policy", "allows", f"has no Allow for {action}")
    for number, s in enumerate(scans.scps, 1):
        add("scp", s, f"SCP level {number} ({s.layer.label})", "allows", f"has no Allow for {action}")
    if not scans.scps:
        add("scp", None, "SCPs", "", "")
    for number, s in enumerate(scans.rcps, 1):
        add("rcp", s, f"RCP level {number} ({s.layer.label})", "allows", f"has no Allow for {action}")
    if not scans.rcps:
        add("rcp", None, "RCPs", "", "")
    return out


def build_decision(ps: PolicySet, req: PreparedRequest, scans: Scans, v: Verdict) -> Decision:
    def explain() -> tuple[tuple[StatementRef, ...], tuple[PolicyTypeResult, ...], tuple[str, ...]]:
        deciding = {id(st) for st in v.deciding}
        matched: list[StatementRef] = []
        for s in scans.all():
            for st in s.denies:
                matched.append(st.ref(deciding=id(st) in deciding))
            for st, _ in s.allows:
                matched.append(st.ref(deciding=id(st) in deciding))
        errors = tuple(f"{st.ref().label()}: {exc}" for s in scans.all() for st, exc in s.errors)
        return tuple(matched), tuple(summaries(ps, req, scans)), errors

    missing = tuple(req.context.missing_keys.values()) if req.context.missing_keys else ()
    return Decision(v.decision, v.code, v.headline, missing_context_keys=missing, explain=explain)


def always_allowed(req: PreparedRequest) -> Decision:
    return Decision(ALLOWED, DecisionCode.ALWAYS_ALLOWED,
                    f"{req.request.action} is always allowed: no policy can deny it")


def failed_closed(exc: BaseException) -> Decision:
    message = f"evaluation failed ({type(exc).__name__}: {exc}); failing closed"
    return Decision(IMPLICIT_DENY, DecisionCode.EVALUATION_ERROR, message, errors=(message,))


def outcome_dict(outcome: Any) -> dict[str, Any]:
    """A condition outcome (from the conditions package) as plain data."""
    if hasattr(outcome, "to_dict"):
        return dict(outcome.to_dict())
    out = {}
    for name in ("operator", "key", "matched", "reason", "detail"):
        value = getattr(outcome, name, None)
        out[name] = getattr(value, "value", value)
    return out
