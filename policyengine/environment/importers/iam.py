"""`aws iam get-account-authorization-details` -> users, groups, roles and managed policies.

Inline policies (`UserPolicyList`, `GroupPolicyList`, `RolePolicyList`) become inline
documents; attached managed policies and permissions boundaries become references to
`managed_policies`, filled from `Policies` with each policy's **default** version. An attached
policy that the output does not hold (e.g. the output was filtered) is an error when the
environment loads.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import EnvironmentError
from .common import document, items, required, tags


def import_authorization_details(details: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(details, Mapping):
        raise EnvironmentError("expected the object `aws iam get-account-authorization-details` prints")
    return {
        "managed_policies": _managed(details),
        "users": [_user(u, ("UserDetailList", i)) for i, u in enumerate(items(details, "UserDetailList"))],
        "groups": [_group(g, ("GroupDetailList", i)) for i, g in enumerate(items(details, "GroupDetailList"))],
        "roles": [_role(r, ("RoleDetailList", i)) for i, r in enumerate(items(details, "RoleDetailList"))],
    }


def _managed(details: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, record in enumerate(items(details, "Policies")):
        path = ("Policies", i)
        arn = required(record, "Arn", path)
        default = record.get("DefaultVersionId")
        versions = items(record, "PolicyVersionList")
        chosen = [(n, v) for n, v in enumerate(versions)
                  if v.get("IsDefaultVersion") or (default is not None and v.get("VersionId") == default)]
        if not chosen:
            raise EnvironmentError(f"managed policy `{arn}` lists no default version in `PolicyVersionList`",
                                   path=path + ("PolicyVersionList",))
        n, version = chosen[0]
        out[arn] = document(required(version, "Document", path + ("PolicyVersionList", n)),
                            path + ("PolicyVersionList", n, "Document"))
    return out


def _inline(record: Mapping[str, Any], key: str, path: tuple[str | int, ...]) -> list[Any]:
    return [document(required(p, "PolicyDocument", path + (key, n)), path + (key, n, "PolicyDocument"))
            for n, p in enumerate(items(record, key))]


def _attached(record: Mapping[str, Any], path: tuple[str | int, ...]) -> list[Any]:
    return [required(p, "PolicyArn", path + ("AttachedManagedPolicies", n))
            for n, p in enumerate(items(record, "AttachedManagedPolicies"))]


def _boundary(record: Mapping[str, Any]) -> str | None:
    boundary = record.get("PermissionsBoundary")
    return boundary.get("PermissionsBoundaryArn") if isinstance(boundary, Mapping) else None


def _user(record: Mapping[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    return {
        "arn": required(record, "Arn", path),
        "policies": _inline(record, "UserPolicyList", path) + _attached(record, path),
        "groups": list(items(record, "GroupList")),  # group names; the environment resolves them
        "permissions_boundary": _boundary(record),
        "tags": tags(record.get("Tags"), path + ("Tags",)),
    }


def _group(record: Mapping[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    return {
        "arn": required(record, "Arn", path),
        "policies": _inline(record, "GroupPolicyList", path) + _attached(record, path),
    }


def _role(record: Mapping[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    trust = record.get("AssumeRolePolicyDocument")
    return {
        "arn": required(record, "Arn", path),
        "trust_policy": None if trust is None else document(trust, path + ("AssumeRolePolicyDocument",)),
        "policies": _inline(record, "RolePolicyList", path) + _attached(record, path),
        "permissions_boundary": _boundary(record),
        "tags": tags(record.get("Tags"), path + ("Tags",)),
    }
