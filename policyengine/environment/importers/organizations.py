"""AWS Organizations outputs -> the SCP and RCP levels of each account.

The input (`organization_policies`) is one object:

    {
      "organization": <aws organizations describe-organization output>,   # optional
      "id": "o-...", "management_account": "123456789012",                # or these
      "scps": {account_id: [[root policies...], [OU policies...], ..., [account policies...]]},
      "rcps": {account_id: [...]}
    }

Each level lists the policies attached to one target on the account's path, root first.
A policy is the `Content` string of `aws organizations describe-policy`, the whole
describe-policy output (its `PolicySummary.Type` must match the slot), or a document.
`levels_from_listings` builds one account's levels from the outputs of
`list-policies-for-target --filter SERVICE_CONTROL_POLICY|RESOURCE_CONTROL_POLICY` per
target on the path and `describe-policy` per policy id.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..errors import EnvironmentError
from .common import document

TYPES = {"scps": "SERVICE_CONTROL_POLICY", "rcps": "RESOURCE_CONTROL_POLICY"}


def import_organization(value: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise EnvironmentError("expected an object with `scps` / `rcps` (see docs/environment.md)")
    unknown = set(value) - {"organization", "id", "management_account", "scps", "rcps"}
    if unknown:
        key = sorted(unknown)[0]
        raise EnvironmentError(f"unknown key `{key}` in the organization policies", path=(key,))
    described = (value.get("organization") or {}).get("Organization") or {}
    out: dict[str, Any] = {
        "id": value.get("id") or described.get("Id"),
        "management_account": value.get("management_account") or described.get("MasterAccountId")
        or _account_of_arn(described.get("MasterAccountArn")),
        "accounts": {},
    }
    for kind in ("scps", "rcps"):
        for account, levels in (value.get(kind) or {}).items():
            entry = out["accounts"].setdefault(str(account), {})
            entry[kind] = [[_content(p, kind, (kind, account, n, k)) for k, p in enumerate(level)]
                           for n, level in enumerate(levels)]
    return out


def levels_from_listings(path: Sequence[str], listings: Mapping[str, Mapping[str, Any]],
                         policies: Mapping[str, Mapping[str, Any]]) -> list[list[Any]]:
    """One account's levels: `path` is the target ids root first (`r-...`, `ou-...`, the account
    id), `listings` maps each to its `list-policies-for-target` output and `policies` maps policy
    ids to `describe-policy` outputs."""
    levels: list[list[Any]] = []
    for target in path:
        listing = listings.get(target)
        if listing is None:
            raise EnvironmentError(f"no `list-policies-for-target` output for `{target}`", path=(target,))
        level = []
        for k, summary in enumerate(listing.get("Policies") or []):
            policy_id = summary.get("Id")
            described = policies.get(policy_id)
            if described is None:
                raise EnvironmentError(f"no `describe-policy` output for `{policy_id}` attached to `{target}`",
                                       path=(target, "Policies", k))
            level.append(described)
        levels.append(level)
    return levels


def _content(policy: Any, kind: str, path: tuple[str | int, ...]) -> dict[str, Any]:
    if isinstance(policy, Mapping) and "Policy" in policy and isinstance(policy["Policy"], Mapping):
        described = policy["Policy"]
        kind_found = (described.get("PolicySummary") or {}).get("Type")
        if kind_found is not None and kind_found != TYPES[kind]:
            name = (described.get("PolicySummary") or {}).get("Name", "?")
            raise EnvironmentError(f"policy `{name}` is a {kind_found}, listed under `{kind}`", path=path)
        return document(described.get("Content"), path + ("Policy", "Content"))
    return document(policy, path)


def _account_of_arn(arn: str | None) -> str | None:
    return arn.split(":")[4] if arn and arn.count(":") >= 5 else None
