"""policyengine's own file formats, environment files (docs/environment.md) and scenario
files (docs/simulate.md): every policy in them, each linted as the type its place gives it,
so `policyengine lint env.json` checks what the engine will evaluate.

Environment files:

- users', groups' and roles' `policies`: identity; `permissions_boundary`: boundary; a role's
  `trust_policy`: trust; a function's `resource_policy`: a Lambda function policy; a
  resource's `policy`: a resource policy of the kind its ARN names (bucket, queue, topic,
  key, secret, repository, function); the organization's `scps` and `rcps`: SCP and RCP;
- a policy written inline is linted in place; one given as a path (relative to the
  environment file) is read and linted in its own file, once however often it is named;
- a managed policy (`managed_policies`, named by ARN) is linted once, as a permissions
  boundary when it is only ever used as one, else as an identity policy (as for
  `get-account-authorization-details`).

Scenario files: `identity_policies` and `session_policies` as identity policies,
`permissions_boundary`, `resource_policy` (attached to the kind of resource the request
names: a role's is its trust policy), `scps`, `rcps`, and `vpc_endpoint_policy` as a resource
policy; policy files as above.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ...errors import JsonPath, PolicyEngineError
from ..checks.elements.resource_kinds import arn_service, kind_of_arn
from .documents import Found, items
from .targets import UnreadableInputError

if TYPE_CHECKING:
    from .files import Loaded

__all__ = ["environment_file", "scenario_file"]

_KEYS = frozenset({"managed_policies", "users", "groups", "roles", "functions", "resources", "organization",
                   "lambda_sets_source_keys_on_assume_role"})
_LISTS = ("users", "groups", "roles", "functions", "resources")
ORIGIN = "environment"
REASON = "a policyengine environment file"
SCENARIO_REASON = "a policyengine scenario file"


def _is_environment(value: dict[str, Any]) -> bool:
    if not value or not set(value) <= _KEYS or not (set(value) - {"lambda_sets_source_keys_on_assume_role"}):
        return False
    for key in _LISTS:
        entries = value.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) and "arn" in e for e in entries):
            return False
    return isinstance(value.get("managed_policies", {}), dict) and isinstance(value.get("organization", {}), dict)


class _Collector:
    def __init__(self, loaded: Loaded, reason: str = REASON, origin: str = ORIGIN) -> None:
        self.loaded = loaded
        self.reason = reason
        self.origin = origin
        self.found: list[Found] = []
        self.files: dict[str, tuple[str, str, str]] = {}  # path -> (type, label, path in the env)
        self.managed: dict[str, set[str]] = {}  # managed policy ARN -> the types it is used as

    def add(self, ref: Any, path: JsonPath, policy_type: str, label: str, kind: str | None = None) -> None:
        if isinstance(ref, dict):
            self.found.append(Found(path, ref, policy_type, self.reason, kind, label, self.origin))
        elif isinstance(ref, str) and ref.startswith("arn:"):
            self.managed.setdefault(ref, set()).add(policy_type)
        elif isinstance(ref, str):
            self.files.setdefault(ref, (policy_type, label, ".".join(map(str, path))))

    def finish(self, value: dict[str, Any]) -> list[Found]:
        for arn, document in (value.get("managed_policies") or {}).items():
            used = self.managed.get(arn, set())
            policy_type = "boundary" if used == {"boundary"} else "identity"
            label = f"managed policy {arn}"
            if isinstance(document, str) and not document.startswith("arn:"):
                self.files.setdefault(document, (policy_type, label, f"managed_policies.{arn}"))
            elif isinstance(document, dict):
                self.found.append(Found(("managed_policies", arn), document, policy_type, REASON, None, label,
                                        ORIGIN))
        for ref, (policy_type, label, where) in self.files.items():
            self.found.append(self._from_file(ref, policy_type, label, where))
        return self.found

    def _from_file(self, ref: str, policy_type: str, label: str, where: str) -> Found:
        from .files import load  # files imports the shapes; loaded here to avoid the cycle

        base = os.path.dirname(self.loaded.file) if self.loaded.file != "<stdin>" else ""
        target = os.path.join(base, ref)
        try:
            policy = load(target, None, self.loaded.limits, whole_file_policy=True)
        except PolicyEngineError as exc:
            where_in_env = self.loaded.locations.get(tuple(_split(where)))
            raise UnreadableInputError(
                f"the policy file `{ref}` named at `{where}` cannot be linted: {exc.message}",
                file=self.loaded.file, line=where_in_env[0] if where_in_env else None,
                column=where_in_env[1] if where_in_env else None, help=exc.location(),
            ) from None
        return Found((), policy.value, policy_type, f"{self.reason}, at `{where}`", None, f"{label} ({ref})",
                     self.origin, locations=policy.locations, file=policy.file)


def _split(where: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in where.split(".")]


def environment_file(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """The policies of a native environment file (None: not one)."""
    if not _is_environment(value):
        return None
    out = _Collector(loaded)
    for i, user in items(value.get("users")):
        name = user.get("arn")
        for j, ref in enumerate(user.get("policies") or []):
            out.add(ref, ("users", i, "policies", j), "identity", f"user {name} policy {j}")
        out.add(user.get("permissions_boundary"), ("users", i, "permissions_boundary"), "boundary",
                f"user {name} permissions boundary")
    for i, group in items(value.get("groups")):
        for j, ref in enumerate(group.get("policies") or []):
            out.add(ref, ("groups", i, "policies", j), "identity", f"group {group.get('arn')} policy {j}")
    for i, role in items(value.get("roles")):
        name = role.get("arn")
        out.add(role.get("trust_policy"), ("roles", i, "trust_policy"), "trust", f"role {name} trust policy",
                "iam:role")
        for j, ref in enumerate(role.get("policies") or []):
            out.add(ref, ("roles", i, "policies", j), "identity", f"role {name} policy {j}")
        out.add(role.get("permissions_boundary"), ("roles", i, "permissions_boundary"), "boundary",
                f"role {name} permissions boundary")
    for i, function in items(value.get("functions")):
        out.add(function.get("resource_policy"), ("functions", i, "resource_policy"), "resource",
                f"function {function.get('arn')} policy", "lambda:function")
    for i, resource in items(value.get("resources")):
        arn = str(resource.get("arn"))
        out.add(resource.get("policy"), ("resources", i, "policy"), "resource", f"{arn} policy", kind_of_arn(arn))
    accounts = (value.get("organization") or {}).get("accounts") or {}
    for account, org in accounts.items() if isinstance(accounts, dict) else ():
        for kind in ("scps", "rcps"):
            levels = org.get(kind) if isinstance(org, dict) else None
            for n, level in enumerate(levels if isinstance(levels, list) else []):
                for m, ref in enumerate(level if isinstance(level, list) else []):
                    out.add(ref, ("organization", "accounts", account, kind, n, m), kind[:-1],
                            f"account {account} {kind[:-1].upper()} level {n} policy {m}")
    return out.finish(value)


_SCENARIO_KEYS = frozenset({"description", "expect", "identity_policies", "management_account", "name",
                            "permissions_boundary", "rcp_services", "rcps", "request", "resource_policy",
                            "scps", "session_policies", "vpc_endpoint_policy"})


def scenario_file(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """The policies of a scenario file (None: not one: it needs a `request` and nothing else)."""
    if not isinstance(value.get("request"), dict) or not set(value) <= _SCENARIO_KEYS:
        return None
    out = _Collector(loaded, SCENARIO_REASON, "scenario")
    for key, policy_type in (("identity_policies", "identity"), ("session_policies", "identity")):
        refs = value.get(key)
        for i, ref in enumerate(refs if isinstance(refs, list) else []):
            out.add(ref, (key, i), policy_type, f"{key}[{i}]")
    resource = str(value["request"].get("resource", ""))
    if arn_service(resource) == "iam" and ":role/" in resource:  # a role's policy is its trust policy
        out.add(value.get("resource_policy"), ("resource_policy",), "trust", "resource_policy", "iam:role")
    else:
        out.add(value.get("resource_policy"), ("resource_policy",), "resource", "resource_policy",
                kind_of_arn(resource))
    out.add(value.get("permissions_boundary"), ("permissions_boundary",), "boundary", "permissions_boundary")
    out.add(value.get("vpc_endpoint_policy"), ("vpc_endpoint_policy",), "resource", "vpc_endpoint_policy")
    for key in ("scps", "rcps"):
        levels = value.get(key)
        for n, level in enumerate(levels if isinstance(levels, list) else []):
            for m, ref in enumerate(level if isinstance(level, list) else []):
                out.add(ref, (key, n, m), key[:-1], f"{key}[{n}][{m}]")
    return out.finish({})
