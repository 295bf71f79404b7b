"""Scenario files: one request and the policies that apply to it (design.md, "Scenario files").

`simulate(scenario)` is the JSON-in/JSON-out core of `policyengine simulate`.
Policies may be inline or paths relative to the scenario file; inline policies of a
JSON scenario keep their line and column in the scenario file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .errors import PolicyEngineError, PolicyValidationError, ScenarioError
from .model.decision import Decision
from .model.policy import PolicyDocument
from .model.request import Request
from .parsing import parse_json_with_locations, parse_policy
from .parsing.source import decode_bytes
from .parsing.yaml_guard import safe_load_yaml
from .limits import DEFAULT_LIMITS, LimitExceededError, Limits, read_capped
from .policyset import PolicySet

JsonPath = tuple[str | int, ...]
Locations = dict[JsonPath, tuple[int, int]]

SCENARIO_KEYS = frozenset({
    "name", "description", "request", "identity_policies", "resource_policy", "permissions_boundary",
    "session_policies", "scps", "rcps", "vpc_endpoint_policy", "expect", "management_account", "rcp_services",
})
REQUEST_KEYS = frozenset({"principal", "action", "resource", "resource_account", "context", "fill_context"})
DECISIONS = ("allowed", "explicitDeny", "implicitDeny")


class _Loader:
    """Reads the policies of one scenario, relative to its file, keeping locations."""

    def __init__(self, file: str | None, base_dir: Path | None, locations: Locations | None,
                 limits: Limits | None = None) -> None:
        self.file = file
        self.base_dir = base_dir
        self.locations = locations
        self.limits = limits

    def error(self, message: str, path: JsonPath) -> ScenarioError:
        where = self._where(path)
        if where is None and not path:
            where = (1, 1)  # the document itself
        return ScenarioError(message, file=self.file, line=where[0] if where else None,
                             column=where[1] if where else None, path=path)

    def _where(self, path: JsonPath) -> tuple[int, int] | None:
        if not self.locations:
            return None
        while True:
            found = self.locations.get(path)
            if found is not None or not path:
                return found
            path = path[:-1]

    def policy(self, value: Any, path: JsonPath) -> PolicyDocument:
        if isinstance(value, str):
            return self._policy_file(value, path)
        if not isinstance(value, dict):
            raise self.error("a policy must be an object or a path to a policy file", path)
        try:
            doc = parse_policy(value, file=self.file, limits=self.limits)
        except PolicyValidationError as exc:
            raise self._relocated(exc, path) from None
        except LimitExceededError as exc:  # located within the scenario file
            exc.file, exc.path = self.file, path + tuple(exc.path)
            exc.line, exc.column = self._where(exc.path) or (None, None)
            raise
        doc = doc.model_copy(update={"name": _path_label(path)})
        if self.locations:
            n = len(path)
            doc.with_locations({p[n:]: pos for p, pos in self.locations.items() if p[:n] == path})
        return doc

    def _relocated(self, exc: PolicyValidationError, prefix: JsonPath) -> PolicyValidationError:
        for err in exc.errors:
            full = prefix + tuple(err.path)
            where = self._where(full)
            err.file, err.path = self.file, full
            if where:
                err.line, err.column = where
        return PolicyValidationError(exc.errors)

    def _policy_file(self, name: str, path: JsonPath) -> PolicyDocument:
        target = Path(name)
        if not target.is_absolute() and self.base_dir is not None:
            target = self.base_dir / target
        try:
            text = read_capped(target, self.limits or DEFAULT_LIMITS, error=ScenarioError).decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise self.error(f"cannot read policy file `{name}`: {exc}", path) from None
        if target.suffix.lower() in (".yaml", ".yml"):
            return parse_policy(_yaml(text, str(target), self.limits), file=str(target), limits=self.limits)
        return parse_policy(text, file=str(target), locations=True, limits=self.limits)

    def policies(self, value: Any, path: JsonPath) -> list[PolicyDocument]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error("expected a list of policies", path)
        return [self.policy(v, path + (i,)) for i, v in enumerate(value)]

    def levels(self, value: Any, path: JsonPath) -> list[list[PolicyDocument]] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            raise self.error("expected a list of levels (root first), each a list of policies", path)
        out = []
        for i, level in enumerate(value):
            if not isinstance(level, list):
                raise self.error("each level must be a list of policies", path + (i,))
            out.append([self.policy(v, path + (i, j)) for j, v in enumerate(level)])
        return out


def _path_label(path: JsonPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _yaml(text: str, file: str, limits: Limits | None = None) -> Any:
    return safe_load_yaml(text, file=file, error=ScenarioError, limits=limits or DEFAULT_LIMITS)


def load_scenario_file(path: str | Path, *, limits: Limits | None = None) -> tuple[Any, Locations | None]:
    """A scenario file's value and, for JSON, the location of every node (nesting capped by
    `limits`: max_file_bytes, max_depth, max_yaml_depth, max_yaml_nodes)."""
    path = Path(path)
    try:
        data = read_capped(path, limits or DEFAULT_LIMITS, error=ScenarioError)
    except OSError as exc:
        raise ScenarioError(f"cannot read `{path}`: {exc}", file=str(path)) from None
    try:
        text = decode_bytes(data, file=str(path))
    except PolicyEngineError as exc:  # not UTF-8: located at the first bad byte
        raise ScenarioError(f"cannot read `{path}`: {exc.message}", file=str(path), line=exc.line,
                            column=exc.column, help=exc.help) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        return _yaml(text, str(path), limits), None
    return parse_json_with_locations(text, file=str(path), limits=limits)


def build(scenario: Mapping[str, Any], *, file: str | None = None, base_dir: Path | None = None,
          locations: Locations | None = None, limits: Limits | None = None) -> tuple[PolicySet, Request]:
    """The PolicySet and Request a scenario describes; ScenarioError/validation errors otherwise.

    Its policies are checked against `limits` (`DEFAULT_LIMITS` when None)."""
    load = _Loader(file, base_dir, locations, limits)
    if not isinstance(scenario, Mapping):
        raise load.error("a scenario must be an object with a `request` and its policies", ())
    for key in scenario:
        if key not in SCENARIO_KEYS:
            raise load.error(f"unknown scenario key `{key}`; expected one of {', '.join(sorted(SCENARIO_KEYS))}",
                             (key,))
    raw = scenario.get("request")
    if not isinstance(raw, Mapping):
        raise load.error("a scenario needs a `request` object with `principal` and `action`", ("request",))
    for key in raw:
        if key not in REQUEST_KEYS:
            raise load.error(f"unknown request key `{key}`; expected one of {', '.join(sorted(REQUEST_KEYS))}",
                             ("request", key))
    for key in ("principal", "action"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            raise load.error(f"the request needs `{key}` as a string", ("request", key))
    context = raw.get("context") or {}
    if not isinstance(context, Mapping):
        raise load.error("`context` must be an object of condition keys", ("request", "context"))
    resource = raw.get("resource", "*")
    if not isinstance(resource, str):
        raise load.error("`resource` must be an ARN string or `*`", ("request", "resource"))
    request = Request(
        principal=raw["principal"],
        action=raw["action"],
        resource=resource,
        context=dict(context),
        resource_account=_str_or_none(load, raw.get("resource_account"), ("request", "resource_account")),
        fill_context=bool(raw.get("fill_context", True)),
    )
    resource_policy = scenario.get("resource_policy")
    boundary = scenario.get("permissions_boundary")
    vpce = scenario.get("vpc_endpoint_policy")
    policies = PolicySet(
        identity=load.policies(scenario.get("identity_policies"), ("identity_policies",)),
        resource=None if resource_policy is None else load.policy(resource_policy, ("resource_policy",)),
        permissions_boundary=None if boundary is None else load.policy(boundary, ("permissions_boundary",)),
        session=load.policies(scenario.get("session_policies"), ("session_policies",)),
        scps=load.levels(scenario.get("scps"), ("scps",)),
        rcps=load.levels(scenario.get("rcps"), ("rcps",)),
        vpc_endpoint=None if vpce is None else load.policy(vpce, ("vpc_endpoint_policy",)),
        management_account=_str_or_none(load, scenario.get("management_account"), ("management_account",)),
        rcp_services=scenario.get("rcp_services"),
    )
    expect = scenario.get("expect")
    if expect is not None and expect not in DECISIONS:
        raise load.error(f"`expect` must be one of {', '.join(DECISIONS)}, not `{expect}`", ("expect",))
    return policies, request


def _str_or_none(load: _Loader, value: Any, path: JsonPath) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise load.error("expected a string (an account ID is written in quotes)", path)
    return value


def result(name: str, decision: Decision, expected: str | None, *, explain: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "decision": decision.decision,
        "expected": expected,
        "passed": None if expected is None else decision.decision == expected,
        "code": decision.code.value,
        "reasons": list(decision.reasons),
        "matched_statements": [s.to_dict() for s in decision.matched_statements],
        "missing_context_keys": list(decision.missing_context_keys),
        "errors": list(decision.errors),
    }
    if explain and decision.trace is not None:
        out["trace"] = [t.to_dict() for t in decision.trace]
    return out


def simulate(scenario: Mapping[str, Any], *, base_dir: str | Path | None = None, explain: bool = False,
             name: str | None = None, limits: Limits | None = None) -> dict[str, Any]:
    """Evaluate one scenario dict; returns the JSON result object of `policyengine simulate`."""
    policies, request = build(scenario, base_dir=Path(base_dir) if base_dir else None, limits=limits)
    decision = policies.authorize(request, explain=explain)
    label = name or str(scenario.get("name") or "scenario")
    return result(label, decision, scenario.get("expect"), explain=explain)


def simulate_file(path: str | Path, *, explain: bool = False,
                  limits: Limits | None = None) -> tuple[dict[str, Any], Decision]:
    """Evaluate a scenario file; raises PolicyEngineError subclasses with locations
    (`LimitExceededError` for input over a cap of `limits`)."""
    path = Path(path)
    value, locations = load_scenario_file(path, limits=limits)
    policies, request = build(value, file=str(path), base_dir=path.parent, locations=locations, limits=limits)
    decision = policies.authorize(request, explain=explain)
    label = str(value.get("name") or path.name)
    return result(label, decision, value.get("expect"), explain=explain), decision


__all__ = ["simulate", "simulate_file", "build", "load_scenario_file", "PolicyEngineError"]
