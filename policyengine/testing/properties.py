"""Property helpers: assert what must never, only, or at most be allowed, with a counterexample.

Each helper searches in two phases: first a deterministic list of requests built from what
the policies mention (`Aim.seeds`), then `max_examples` hypothesis examples drawn from the
aimed strategies (derandomized, no example database, shrunk on failure). A failure raises
`AssertionError` whose message shows the request and the decision's explanation: the
reasons and the deciding statements with file:line:column.

- `assert_never_allowed(target, principal=..., actions=..., resources=...)`: no request by
  those principals (all candidates when not given) for those actions on those resources is
  allowed, whatever its context.
- `assert_only(target, principals=[...], can=[...], on=[...])`: for every action of `can` and
  resource of `on`, (1) no principal outside `principals` is ever allowed (as
  `assert_never_allowed`, over every candidate principal: the environment's users and
  roles, the principals the policies name, strangers in known and foreign accounts, service
  principals, near misses of all of these, and `*`), and (2) each listed principal is
  allowed in at least one context (the empty context or one that satisfies the policies'
  conditions: a service principal typically needs `aws:SourceArn`/`aws:SourceAccount`). A
  listed role ARN also covers its sessions. Account root users are left out of (1) unless
  `include_root=True`: AWS lets the root user of an account do everything in it that no
  SCP denies, whatever the policies say, so it could never be excluded.
- `assert_least_privilege(target, role, needed=[(action, resource), ...])`: every needed
  pair is allowed, and no other permission can be shown to be granted. It probes the
  actions the role's Allow statements cover (wildcards expanded over the catalogue, `*` and
  `NotAction` over the services the policies and `needed` mention) on resources matching
  the statements' resource patterns (`*` filled from the ARN templates of each action's
  resource types, in the accounts and regions of `needed`), and reports every probe that is
  allowed and not covered by `needed`. Needed actions and resources may be patterns.
  `role` may also be a Lambda function ARN of the environment: its execution role's session.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from hypothesis import HealthCheck, Phase, given, settings

from ..evaluation.wildcard import compile_glob
from ..lint.catalogue import UnknownServiceError, default_catalogue
from ..model.request import Request
from .report import counterexample, describe_decision, describe_request
from .strategies import fill_template
from .subject import Subject
from .targeted import Aim, _expand_actions, _listify, resource_fills

__all__ = ["assert_least_privilege", "assert_never_allowed", "assert_only"]


def _settings(max_examples: int) -> settings:
    return settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck), phases=(Phase.generate, Phase.shrink))


def _search(subject: Subject, aim: Aim, is_bad: Callable[[Request], bool], title: str, *, max_examples: int,
            seeds: int) -> None:
    """Raise AssertionError with a counterexample for the first request `is_bad` accepts."""
    for request in aim.seeds(seeds):
        if is_bad(request):
            raise AssertionError(counterexample(title, request, subject))
    if max_examples <= 0:
        return

    @_settings(max_examples)
    @given(aim.requests())
    def search(request: Request) -> None:
        if is_bad(request):
            raise AssertionError(counterexample(title, request, subject))

    search()


def assert_never_allowed(env_or_policies: Any, principal: str | Iterable[str] | None = None, *,
                         actions: str | Iterable[str] | None = None, resources: str | Iterable[str] | None = None,
                         max_examples: int = 200, seeds: int = 200) -> None:
    """No request by `principal` for `actions` on `resources` is allowed, in any context.

    Each argument may be one value or a list; action and resource patterns are expanded
    (see `Aim`); left out, every candidate the policies suggest is tried.
    """
    subject = Subject.of(env_or_policies)
    aim = Aim(subject, principals=principal, actions=actions, resources=resources)
    _search(subject, aim, lambda r: subject.authorize(r).allowed,
            "policyengine: a request that must never be allowed is allowed", max_examples=max_examples,
            seeds=seeds)


def _covers(listed: str, principal: str) -> bool:
    if listed == principal:
        return True
    if ":role/" in listed:
        parts = listed.split(":")
        if len(parts) >= 6:
            name = listed.rsplit("/", 1)[-1]
            return principal.startswith(f"arn:{parts[1]}:sts::{parts[4]}:assumed-role/{name}/")
    return False


def _witness(subject: Subject, aim: Aim, principal: str, action: str, resource: str,
             base: dict[str, Any] | None = None) -> tuple[bool, Request]:
    """Whether some context allows the request; the allowed request, else the empty-context one."""
    from .targeted import near_miss_contexts

    first = Request(principal, action, resource, dict(base or {}))
    tries = [{}, *aim.satisfying_contexts]
    tries += [c for ctx in aim.satisfying_contexts for c in near_miss_contexts(ctx)]
    for ctx in tries:
        request = Request(principal, action, resource, {**ctx, **(base or {})})
        if subject.authorize(request).allowed:
            return True, request
    return False, first


def assert_only(env: Any, principals: str | Iterable[str], can: str | Iterable[str], on: str | Iterable[str], *,
                max_examples: int = 200, seeds: int = 300, include_root: bool = False) -> None:
    """Only `principals` may perform `can` on `on` (see the module docstring for the exact meaning)."""
    subject = Subject.of(env)
    listed = _listify(principals) or []
    actions = _listify(can) or []
    resources = _listify(on) or []
    aim = Aim(subject, actions=actions, resources=resources)
    aim.principals = [p for p in aim.principals if not any(_covers(x, p) for x in listed)
                      and (include_root or not p.endswith(":root"))]
    if aim.principals:
        _search(subject, aim, lambda r: subject.authorize(r).allowed,
                f"policyengine: a principal other than {', '.join(listed)} is allowed",
                max_examples=max_examples, seeds=seeds)
    exact = Aim(subject, actions=actions, resources=resources, near_misses=False)
    for principal in listed:
        for action in exact.actions:
            for resource in exact.resources:
                ok, request = _witness(subject, aim, principal, action, resource)
                if not ok:
                    raise AssertionError(counterexample(
                        f"policyengine: {principal} is listed but no context tried allows it", request, subject))


def _glob(pattern: str, ignore_case: bool = False) -> Callable[[str], bool]:
    return compile_glob(pattern, ignore_case=ignore_case)


def _function_principal(subject: Subject, role: str) -> tuple[str, dict[str, Any]]:
    env = subject.environment
    if env is not None and ":lambda:" in role and ":function:" in role:
        fn = env.function(role)
        if fn is not None and fn.role:
            from ..lambda_rules.function_can import execution_context
            from ..lambda_rules.functions import execution_session

            return execution_session(fn.role, fn.arn), execution_context(fn.arn)
    return role, {}


def _probe_resources(action: str, patterns: list[str] | None, negated: bool,
                     hints: list[tuple[str, str, str]]) -> list[str]:
    """Resources to try for `action` under a statement's resource patterns."""
    out: list[str] = []
    if patterns is not None and not negated:
        for pattern in patterns:
            if pattern != "*":
                out += resource_fills(pattern)
    if patterns is None or negated or "*" in patterns:
        cat = default_catalogue()
        service, _, name = action.partition(":")
        try:
            info = cat.action(service, name)
        except UnknownServiceError:
            info = None
        types = [t for t, _ in info.resource_types] if info else []
        if not types:
            out.append("*")
        for rtype in types[:3]:
            for partition, region, account in hints[:2] or [("aws", "us-east-1", "111122223333")]:
                out.append(fill_template(rtype, {"Partition": partition, "Region": region, "Account": account},
                                         lambda _n: "policyengine-probe"))
        if negated and patterns:
            keep = [_glob(p) for p in patterns]
            out = [r for r in out if not any(k(r) for k in keep)]
    return list(dict.fromkeys(out))


def assert_least_privilege(env: Any, role: str, needed: Sequence[tuple[str, str]], *, max_examples: int = 400,
                           per_pattern: int = 25, report_limit: int = 20) -> None:
    """`role` is allowed every needed (action, resource) and nothing else that a probe can show."""
    subject = Subject.of(env)
    principal, base = _function_principal(subject, role)
    aim = Aim(subject, principals=[principal], near_misses=False)
    for action, resource in needed:
        for concrete_action in _expand_actions(action, 1) if "*" in action or "?" in action else [action]:
            for concrete in resource_fills(resource) or [resource]:
                ok, request = _witness(subject, aim, principal, concrete_action, concrete, base)
                if not ok:
                    raise AssertionError(counterexample(
                        f"policyengine: {role} needs {concrete_action} on {concrete} but is not allowed it",
                        request, subject))
    needed_matchers = [(_glob(a, ignore_case=True), _glob(r)) for a, r in needed]
    services = {a.split(":")[0].lower() for a, _ in needed if ":" in a}
    hints: list[tuple[str, str, str]] = []
    for _, resource in needed:
        parts = resource.split(":")
        if len(parts) >= 6 and parts[3] and parts[4] and "*" not in parts[3] + parts[4]:
            hints.append((parts[1], parts[3], parts[4]))
    statements = [ps for ps in subject.statements(principal)
                  if ps.policy_type == "identity" and ps.statement.effect == "Allow"]
    for ps in statements:
        patterns, _ = ps.statement.actions
        services |= {p.split(":")[0].lower() for p in patterns if ":" in p and not set(p.split(":")[0]) & set("*?")}
        for r in ps.statement.resource or []:
            parts = r.split(":")
            if len(parts) > 2 and parts[2] and not set(parts[2]) & set("*?"):
                services.add(parts[2].lower())
    cat = default_catalogue()
    services = {s for s in services if cat.service_exists(s)}
    probes: list[tuple[str, str]] = []
    for ps in statements:
        patterns, negated = ps.statement.actions
        acts: list[str] = []
        if negated or "*" in patterns:
            for service in sorted(services):
                acts += _expand_actions(f"{service}:*", per_pattern)
            if negated:
                deny = [_glob(p, ignore_case=True) for p in patterns]
                acts = [a for a in acts if not any(d(a) for d in deny)]
        for pattern in patterns if not negated else []:
            if pattern != "*":
                acts += _expand_actions(pattern, per_pattern)
        resource_info = ps.statement.resources
        rpatterns, rnegated = resource_info if resource_info is not None else (None, False)
        for action in dict.fromkeys(acts):
            for resource in _probe_resources(action, rpatterns, rnegated, hints):
                probes.append((action, resource))
    probes = list(dict.fromkeys(probes))
    if len(probes) > max_examples:
        step = len(probes) / max_examples
        probes = [probes[int(i * step)] for i in range(max_examples)]
    excess: list[tuple[Request, Any]] = []
    for action, resource in probes:
        if any(a(action) and r(resource) for a, r in needed_matchers):
            continue
        ok, request = _witness(subject, aim, principal, action, resource, base)
        if ok:
            excess.append((request, subject.authorize(request, explain=True)))
    if excess:
        lines = [f"policyengine: {role} is allowed {len(excess)} permission(s) it does not need"
                 f" (of {len(probes)} probed):"]
        for request, _ in excess[:report_limit]:
            lines.append(f"  {request.action} on {request.resource}")
        if len(excess) > report_limit:
            lines.append(f"  ... and {len(excess) - report_limit} more")
        request, decision = excess[0]
        lines.append("first counterexample:")
        lines.append(describe_request(request))
        lines.append(describe_decision(decision, subject))
        raise AssertionError("\n".join(lines))
