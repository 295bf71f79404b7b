"""The engines compared by the decision benchmark, behind one small interface.

Each engine is built once per workload (policies parsed / compiled / translated up front); its
`prepare(request)` turns a request into the engine's own input form, also once, and returns the
zero-argument call that the benchmark times; `decide(request)` gives the IAM decision string for
the correctness checks.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from cedar_translation import CedarTranslation, translate
from workloads import ALLOWED, EXPLICIT_DENY, BenchRequest, PolicyDoc, Workload

DENIED = "denied"

class Engine(Protocol):
    name: str

    def prepare(self, request: BenchRequest) -> Callable[[], object]: ...

    def decide(self, request: BenchRequest) -> str: ...


def import_policyengine() -> tuple[ModuleType | None, str]:
    """policyengine, installed or from the checkout beside this folder; or None and why not."""
    try:
        import policyengine
    except ModuleNotFoundError:
        root = str(Path(__file__).resolve().parent.parent)
        if root not in sys.path:
            sys.path.insert(0, root)
        try:
            import policyengine
        except Exception as exc:  # absent, or half-written while it is being developed
            return None, f"policyengine not available ({type(exc).__name__}: {exc})"
    except Exception as exc:
        return None, f"policyengine not available ({type(exc).__name__}: {exc})"
    missing = [name for name in ("PolicySet", "Request", "load_policy")
               if not hasattr(policyengine, name)]
    if missing:
        return None, f"policyengine not available (no {', '.join(missing)} yet)"
    return policyengine, ""


# --- policyengine -------------------------------------------------------------------------------

class PolicyEngine:
    name = "policyengine"

    def __init__(self, pe: ModuleType, workload: Workload) -> None:
        self._pe = pe
        self.policies = pe.PolicySet(
            identity=copy.deepcopy(list(workload.identity)),
            resource=copy.deepcopy(workload.resource_policy),
            permissions_boundary=copy.deepcopy(workload.permissions_boundary),
            session=[],
            scps=None if workload.scps is None
            else [copy.deepcopy(list(level)) for level in workload.scps],
            rcps=None,
            vpc_endpoint=None,
        )

    def _request(self, request: BenchRequest) -> Any:
        return self._pe.Request(principal=request.principal, action=request.action,
                                resource=request.resource, context=dict(request.context),
                                resource_account=request.resource_account)

    def prepare(self, request: BenchRequest) -> Callable[[], object]:
        authorize = self.policies.authorize
        pe_request = self._request(request)
        return lambda: authorize(pe_request)

    def decide(self, request: BenchRequest) -> str:
        decision = self.policies.authorize(self._request(request)).decision
        return str(getattr(decision, "value", decision))


# --- moto ---------------------------------------------------------------------------------------

class Moto:
    """moto's `IAMPolicy`, combined as `IAMRequestBase.check_action_permitted` does: any
    DENIED -> deny, any PERMITTED -> allow. moto knows no policy types, so every document of the
    workload (identity, boundary, SCPs, bucket policy) is one more policy in that union."""

    name = "moto"

    def __init__(self, workload: Workload) -> None:
        from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, PermissionResult

        self._statement_type = IAMPolicyStatement
        self._denied = PermissionResult.DENIED
        self._permitted = PermissionResult.PERMITTED
        self.documents: list[PolicyDoc] = workload.documents()
        self.policies = [IAMPolicy(json.dumps(doc)) for doc in self.documents]

    def prepare(self, request: BenchRequest) -> Callable[[], object]:
        policies, denied, permitted = self.policies, self._denied, self._permitted
        action, resource = request.action, request.resource
        context = dict(request.context)

        def check() -> bool:
            allowed = False
            for policy in policies:
                result = policy.is_action_permitted(action, resource, None, context)
                if result == denied:
                    return False
                if result == permitted:
                    allowed = True
            return allowed

        return check

    def decide(self, request: BenchRequest) -> str:
        """`allowed` or `denied`: moto raises the same AccessDenied for either kind of deny."""
        return ALLOWED if self.prepare(request)() else DENIED

    @staticmethod
    def agrees(answer: str, expected: str) -> bool:
        """Whether moto's allowed/denied answer is right for an IAM decision."""
        return (answer == ALLOWED) == (expected == ALLOWED)

    def _verdicts(self, request: BenchRequest) -> list[tuple[int, PolicyDoc, Any]]:
        """moto's result for each statement in evaluation order, up to its first DENIED."""
        out = []
        position = 0
        for doc in self.documents:
            statements = doc["Statement"]
            for stmt in statements if isinstance(statements, list) else [statements]:
                result = self._statement_type(stmt).is_action_permitted(
                    request.action, request.resource, None, dict(request.context))
                out.append((position, stmt, result))
                position += 1
                if result == self._denied:
                    return out
        return out

    def denials(self, request: BenchRequest) -> list[str]:
        """Every statement moto answers DENIED for (not stopping at the first), with moto's flaw
        that makes it deny; use for a request that no Deny applies to."""
        out = []
        position = 0
        for doc in self.documents:
            statements = doc["Statement"]
            for stmt in statements if isinstance(statements, list) else [statements]:
                position += 1
                result = self._statement_type(stmt).is_action_permitted(
                    request.action, request.resource, None, dict(request.context))
                if result == self._denied:
                    out.append(f"#{position} {stmt.get('Sid', '-')} ({_moto_flaw(stmt)})")
        return out

    def statements_evaluated(self, request: BenchRequest) -> int:
        return len(self._verdicts(request))

    def explain(self, request: BenchRequest, expected: str) -> str:
        """Why moto's answer differs from `expected` (call only when it does)."""
        verdicts = self._verdicts(request)
        if verdicts and verdicts[-1][2] == self._denied:
            position, stmt, _ = verdicts[-1]
            return f"denied at statement {position + 1} ({_describe(stmt)}): {_moto_flaw(stmt)}"
        allowing = [stmt for _, stmt, result in verdicts if result == self._permitted]
        if allowing:
            stmt = allowing[0]
            flaw = _moto_flaw(stmt)
            if expected == EXPLICIT_DENY:
                flaw = "the Deny that applies is not seen: " + flaw
            return f"allowed by {_describe(stmt)}: {flaw}"
        return "no statement allows in moto's view"


def _describe(stmt: PolicyDoc) -> str:
    return f"{stmt.get('Effect')} Sid {stmt.get('Sid', '-')}"


def _moto_flaw(stmt: PolicyDoc) -> str:
    operators = sorted(stmt.get("Condition", {}))
    ignored = [op for op in operators if op != "StringEquals"]
    if stmt.get("Effect") == "Allow" and operators and not ignored:
        return "a false StringEquals on an Allow becomes an explicit deny in moto"
    if ignored:
        return f"moto ignores {', '.join(ignored)}"
    return ("moto takes the union of all documents (no boundary, SCP or resource-policy "
            "semantics)")


# --- Cedar --------------------------------------------------------------------------------------

class Cedar:
    """cedarpy with the policy set and entities parsed once (pre-parsed handles); each call
    still parses the request context (a JSON string, serialized once per request here)."""

    name = "cedar"

    def __init__(self, workload: Workload) -> None:
        import cedarpy

        self._cedarpy = cedarpy
        self.translation: CedarTranslation = translate(
            principal=workload.request.principal,
            identity=workload.identity,
            resource=workload.resource_policy,
            permissions_boundary=workload.permissions_boundary,
            scps=workload.scps,
            resource_account=workload.request.resource_account,
        )
        self.policy_set = cedarpy.PolicySet.from_str(self.translation.policies)
        self.entities = cedarpy.Entities.from_json_str(json.dumps(self.translation.entities))

    @property
    def policy_count(self) -> int:
        return len(self.policy_set)

    def _request(self, request: BenchRequest) -> dict[str, Any]:
        return self.translation.request(request.principal, request.action, request.resource,
                                        request.context)

    def prepare(self, request: BenchRequest) -> Callable[[], object]:
        is_authorized, policy_set, entities = (self._cedarpy.is_authorized, self.policy_set,
                                               self.entities)
        cedar_request = self._request(request)
        return lambda: is_authorized(cedar_request, policy_set, entities)

    def decide(self, request: BenchRequest) -> str:
        result = self._cedarpy.is_authorized(self._request(request), self.policy_set,
                                             self.entities)
        if result.diagnostics.errors:
            raise RuntimeError(f"cedar evaluation errors: {result.diagnostics.errors}")
        annotations: dict[str, str] = result.diagnostics.id_annotations_by_reason
        return CedarTranslation.iam_decision(result.allowed, annotations.values())


def build_engines(workload: Workload, pe: ModuleType | None,
                  names: Sequence[str]) -> dict[str, Engine]:
    engines: dict[str, Engine] = {}
    if pe is not None and "policyengine" in names:
        engines["policyengine"] = PolicyEngine(pe, workload)
    if "moto" in names:
        engines["moto"] = Moto(workload)
    if "cedar" in names:
        engines["cedar"] = Cedar(workload)
    return engines
