"""Explain mode: every statement of every applicable policy, and which element failed.

This is the slow path: it visits all statements (no index) and asks each condition for
its outcome, so it never runs unless the caller asks for an explanation.
"""

from __future__ import annotations

from ..model.decision import StatementTrace
from .compile import CompiledStatement
from .flow import LayerScan, Scans, outcome_dict
from .prepare import PreparedRequest
from .principals import excluded_by_not_principal, principal_grant


def trace(scans: Scans, req: PreparedRequest, *, has_boundary: bool) -> tuple[StatementTrace, ...]:
    out: list[StatementTrace] = []
    for layer_scan in scans.all():
        for st in layer_scan.layer.statements:
            out.append(_trace_statement(st, layer_scan, req, has_boundary=has_boundary))
    return tuple(out)


def _trace_statement(st: CompiledStatement, scan: LayerScan, req: PreparedRequest, *,
                     has_boundary: bool) -> StatementTrace:
    ref = st.ref()
    ctx = req.context.fresh()
    try:
        patterns, negated = st.statement.actions
        if not st.actions(req.action):
            element = "NotAction" if negated else "Action"
            detail = (f"{req.request.action} is listed in NotAction" if negated
                      else f"{req.request.action} matches none of {', '.join(patterns)}")
            return StatementTrace(ref, False, "action", f"{element}: {detail}")
        if st.resources is not None and not st.resources(req.resource, ctx):
            found = st.statement.resources
            assert found is not None
            element = "NotResource" if found[1] else "Resource"
            detail = (f"{req.resource} is excluded by NotResource" if found[1]
                      else f"{req.resource} matches none of {', '.join(found[0])}")
            missing = list(ctx.missing_keys.values())
            if missing:
                detail += f" (policy variable without a value: {', '.join(missing)})"
            return StatementTrace(ref, False, "resource", f"{element}: {detail}")
        if scan.layer.needs_principal:
            if st.principal is not None and principal_grant(st.principal, req.principal) is None:
                return StatementTrace(ref, False, "principal",
                                      f"Principal does not name {req.principal.text}")
            if st.not_principal is not None and excluded_by_not_principal(st.not_principal, req.principal):
                if not (has_boundary and st.is_deny):
                    return StatementTrace(ref, False, "principal",
                                          f"NotPrincipal exempts {req.principal.text}")
        if st.conditions is not None:
            outcomes = st.conditions.explain(ctx)
            rows = tuple(outcome_dict(o) for o in outcomes)
            failed = [r for r in rows if not r.get("matched")]
            if failed:
                first = failed[0]
                return StatementTrace(ref, False, "condition",
                                      f"condition {first.get('operator')} on {first.get('key')} is false: "
                                      f"{first.get('detail') or first.get('reason')}", rows)
            return StatementTrace(ref, True, None, f"{st.statement.effect} applies", rows)
    except Exception as exc:  # noqa: BLE001 - reported, never an Allow
        return StatementTrace(ref, False, "error", f"could not be evaluated: {exc}")
    return StatementTrace(ref, True, None, f"{st.statement.effect} applies")
