"""`Environment`: an account snapshot that finds, by itself, every policy a request needs.

`authorize(principal, action, resource)` looks up the caller's identity policies (a user's
own and its groups', or a role's), its permissions boundary, the resource's policy (a
function policy, a bucket policy for objects, a role's trust policy for sts:AssumeRole*),
and the SCPs of the caller's account and RCPs of the resource's account, then asks the
engine. Compiled policy sets are cached per (caller, resource policy) and dropped whenever
the environment changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from pydantic import ValidationError

from ..errors import PolicyEngineError, PolicyValidationError, ScenarioError
from ..limits import DEFAULT_LIMITS, Limits, error_class_like, read_capped
from ..evaluation.arns import Arn
from ..evaluation.compile import compile_layer
from ..evaluation.flow import TRUST_ACTIONS
from ..evaluation.principals import PrincipalKind, RequestPrincipal, parse_principal
from ..model.decision import Decision
from ..model.policy import PolicyDocument
from ..model.request import Request
from ..parsing import parse_policy
from ..policyset import PolicySet
from .errors import EnvironmentError
from .lambda_methods import LambdaMethods
from .loader import Locations, load_environment_value
from .model import EnvironmentData, FunctionRecord, GroupRecord, PolicyRef, ResourceRecord, RoleRecord, UserRecord


def function_base_arn(arn: str) -> tuple[str, str | None]:
    """`arn:...:function:name[:qualifier]` -> (unqualified ARN, qualifier or None)."""
    parts = arn.split(":")
    if len(parts) == 8 and parts[5] == "function":
        return ":".join(parts[:7]), parts[7]
    return arn, None


_TYPE_NAMES = {"identity": "an identity policy", "permissions_boundary": "a permissions boundary",
               "resource": "a resource policy", "scp": "an SCP", "rcp": "an RCP"}


class Environment(LambdaMethods):
    def __init__(self, data: EnvironmentData, *, base_dir: Path | None = None, file: str | None = None,
                 limits: Limits | None = None) -> None:
        self.data = data
        self.base_dir = base_dir
        self.file = file
        self.limits = DEFAULT_LIMITS if limits is None else limits  # caps the policies it reads
        self._version = 0
        self._policy_sets: dict[tuple[Any, ...], PolicySet] = {}
        self._documents: dict[int, PolicyDocument] = {}
        self._index()

    # -- loading ----------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path, *, limits: Limits | None = None) -> Environment:
        """Read a native environment file (JSON or YAML); errors carry the file location.

        `limits` caps the file (size, nesting) and every policy in it or in a policy file it
        names (`DEFAULT_LIMITS` when None)."""
        path = Path(path)
        value, locations = load_environment_value(path, limits)
        return cls.from_dict(value, base_dir=path.parent, file=str(path), locations=locations, limits=limits)

    @classmethod
    def from_dict(cls, value: Mapping[str, Any], *, base_dir: Path | None = None, file: str | None = None,
                  locations: dict[tuple[str | int, ...], tuple[int, int]] | None = None,
                  limits: Limits | None = None) -> Environment:
        try:
            data = EnvironmentData.model_validate(dict(value))
        except ValidationError as exc:
            first = exc.errors()[0]
            path = tuple(first["loc"])
            error = EnvironmentError(f"{first['msg'].lower()} at `{'.'.join(map(str, path))}`", file=file, path=path)
            _locate(error, locations or {})
            raise error from None
        env = cls(data, base_dir=base_dir, file=file, limits=limits)
        try:
            env.validate()
        except EnvironmentError as exc:
            if exc.line is None and locations and exc.file in (None, file):
                _locate(exc, locations)
                exc.file = file
            raise
        return env

    @classmethod
    def from_aws(cls, *args: Any, **kwargs: Any) -> Environment:
        """From AWS CLI outputs: see `policyengine.environment.importers.from_aws`."""
        from .importers import from_aws

        return from_aws(*args, **kwargs)

    @classmethod
    def from_aws_files(cls, *args: Any, **kwargs: Any) -> Environment:
        """From files of AWS CLI outputs: see `policyengine.environment.importers.from_aws_files`."""
        from .importers import from_aws_files

        return from_aws_files(*args, **kwargs)

    def validate(self) -> None:
        """Resolve every policy reference now, and check each policy against the rules of the
        type it is used as, so a bad one fails at load time, located, not mid-request."""
        d = self.data
        for i, user in enumerate(d.users):
            self._check_all(user.policies, ("users", i, "policies"), "identity")
            for group in user.groups:
                if self._group(group) is None:
                    raise EnvironmentError(f"user `{user.arn}` names the unknown group `{group}`",
                                           file=self.file, path=("users", i, "groups"))
            self._check(user.permissions_boundary, ("users", i, "permissions_boundary"), "permissions_boundary")
        for i, group_record in enumerate(d.groups):
            self._check_all(group_record.policies, ("groups", i, "policies"), "identity")
        for i, role in enumerate(d.roles):
            self._check_all(role.policies, ("roles", i, "policies"), "identity")
            self._check(role.trust_policy, ("roles", i, "trust_policy"), "resource")
            self._check(role.permissions_boundary, ("roles", i, "permissions_boundary"), "permissions_boundary")
        for i, fn in enumerate(d.functions):
            self._check(fn.resource_policy, ("functions", i, "resource_policy"), "resource")
        for i, res in enumerate(d.resources):
            self._check(res.policy, ("resources", i, "policy"), "resource")
        if d.organization is not None:
            for account, org in d.organization.accounts.items():
                for kind in ("scps", "rcps"):
                    for n, level in enumerate(getattr(org, kind) or []):
                        self._check_all(level, ("organization", "accounts", account, kind, n), kind[:-1])

    def _check_all(self, refs: Sequence[PolicyRef], path: tuple[str | int, ...], policy_type: str) -> None:
        for i, ref in enumerate(refs):
            self._check(ref, path + (i,), policy_type)

    def _check(self, ref: PolicyRef | None, path: tuple[str | int, ...], policy_type: str) -> None:
        """Resolve `ref` and refuse what `policy_type` forbids (a `Principal` in an identity
        policy, an RCP statement without one), as AWS refuses to attach such a policy."""
        doc = self._doc(ref, path)
        if doc is None:
            return
        label = ".".join(map(str, path))
        try:
            compile_layer(policy_type, label, [(doc.name or label, doc)])
        except PolicyValidationError as exc:
            first = exc.errors[0]
            more = f" (and {len(exc.errors) - 1} more)" if len(exc.errors) > 1 else ""
            message = f"the policy at `{label}` cannot be used as {_TYPE_NAMES[policy_type]}: {first.message}{more}"
            if doc.source and doc.source != self.file:  # from a policy file: located in that file
                raise EnvironmentError(message, file=doc.source, line=first.line, column=first.column,
                                       path=first.path, help=first.help) from None
            raise EnvironmentError(message, file=self.file, path=path + tuple(first.path), help=first.help) from None

    def _index(self) -> None:
        d = self.data
        self._users = {u.arn: u for u in d.users}
        self._groups_by_arn = {g.arn: g for g in d.groups}
        self._groups_by_name = {g.arn.rsplit("/", 1)[-1]: g for g in d.groups}
        self._roles = {(r.arn.split(":")[4], r.arn.rsplit("/", 1)[-1]): r for r in d.roles}
        self._roles_by_arn = {r.arn: r for r in d.roles}
        self._functions = {f.arn: f for f in d.functions}
        self._resources = {r.arn: r for r in d.resources}

    def changed(self, data: EnvironmentData) -> None:
        """Replace the environment's data (e.g. a new function policy); drops every cache.

        The new data is checked as at load (so policies keep the names they had, and a bad
        one is refused now, with the environment left as it was)."""
        before = (self.data, dict(self._documents))
        self.data = data
        self._documents.clear()
        self._index()
        try:
            self.validate()
        except EnvironmentError:
            self.data, self._documents = before[0], before[1]
            self._index()
            raise
        self._version += 1
        self._policy_sets.clear()

    # -- policy references --------------------------------------------------------------------

    def _doc(self, ref: PolicyRef | None, path: tuple[str | int, ...]) -> PolicyDocument | None:
        if ref is None:
            return None
        key = id(ref)
        cached = self._documents.get(key)
        if cached is not None:
            return cached
        doc = self._resolve(ref, path)
        self._documents[key] = doc
        return doc

    def _docs(self, refs: Sequence[PolicyRef], path: tuple[str | int, ...]) -> list[PolicyDocument]:
        return [d for i, ref in enumerate(refs) if (d := self._doc(ref, path + (i,))) is not None]

    def _resolve(self, ref: PolicyRef, path: tuple[str | int, ...]) -> PolicyDocument:
        label = ".".join(map(str, path))
        if isinstance(ref, dict):
            try:
                return parse_policy(ref, file=self.file, limits=self.limits).model_copy(update={"name": label})
            except PolicyEngineError as exc:
                raise error_class_like(exc, EnvironmentError)(f"invalid policy at `{label}`: {exc.message}", file=self.file,
                                       path=path + tuple(exc.path)) from None
        if ref.startswith("arn:"):
            managed = self.data.managed_policies.get(ref)
            if managed is None:
                raise EnvironmentError(f"`{ref}` at `{label}` is not listed under `managed_policies`",
                                       file=self.file, path=path)
            return self._resolve(managed, ("managed_policies", ref)).model_copy(update={"name": ref})
        target = Path(ref) if self.base_dir is None else self.base_dir / ref
        try:
            text = read_capped(target, self.limits, error=EnvironmentError).decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise EnvironmentError(f"cannot read policy file `{ref}` at `{label}`: {reason}",
                                   file=self.file, path=path) from None
        try:
            return parse_policy(text, file=str(target), locations=True, limits=self.limits)
        except PolicyEngineError as exc:
            # located in the policy file itself, not in the environment file
            raise error_class_like(exc, EnvironmentError)(f"invalid policy file `{ref}` at `{label}`: {exc.message}", file=str(target),
                                   line=exc.line, column=exc.column, path=exc.path, help=exc.help) from None

    # -- lookups ------------------------------------------------------------------------------

    def _group(self, name_or_arn: str) -> GroupRecord | None:
        return self._groups_by_arn.get(name_or_arn) or self._groups_by_name.get(name_or_arn)

    def user(self, arn: str) -> UserRecord | None:
        return self._users.get(arn)

    def role(self, arn: str) -> RoleRecord | None:
        """A role by ARN (path included), or by account and name."""
        found = self._roles_by_arn.get(arn)
        if found is not None:
            return found
        parts = arn.split(":")
        return self._roles.get((parts[4], arn.rsplit("/", 1)[-1])) if len(parts) >= 6 else None

    def function(self, arn: str) -> FunctionRecord | None:
        """A function by ARN, qualified or not."""
        return self._functions.get(function_base_arn(arn)[0])

    def resource(self, arn: str) -> ResourceRecord | None:
        return self._resources.get(arn)

    def resource_record(self, arn: str) -> ResourceRecord | None:
        """The record governing `arn`: the resource itself, or the bucket of an S3 object."""
        record = self._resources.get(arn)
        if record is None and arn.startswith("arn:") and ":s3:::" in arn and "/" in arn:
            record = self._resources.get(arn.split("/", 1)[0])
        return record

    def resource_account(self, resource: str, principal: str | None = None) -> str | None:
        """The account owning `resource`: the ARN's account, else the record's `account`
        (S3 bucket ARNs carry none), else the principal's."""
        account = _account_of(resource)
        if account:
            return account
        record = self.resource_record(resource)
        if record is not None and record.account:
            return record.account
        return parse_principal(principal).account if principal else None

    def _principal_record(self, who: RequestPrincipal) -> UserRecord | RoleRecord | None:
        if who.kind is PrincipalKind.USER and who.arn:
            return self.user(who.arn)
        if who.kind is PrincipalKind.ROLE_SESSION and who.role_arn:
            return self.role(who.role_arn)
        return None

    def _resource_policy(self, action: str, resource: str) -> tuple[str, PolicyDocument | None]:
        """The resource-based policy that governs `resource` for `action`, with a cache key."""
        arn = Arn.parse(resource)
        if arn is None:
            return "", None
        if arn.service == "iam" and arn.resource.startswith("role/"):
            if action.lower() not in TRUST_ACTIONS:
                return "", None
            role = self.role(resource)
            return (f"trust:{role.arn}", self._doc(role.trust_policy, ("roles", role.arn, "trust_policy"))) \
                if role else ("", None)
        if arn.service == "lambda":
            fn = self.function(resource)
            if fn is not None:
                return f"fn:{fn.arn}", self._doc(fn.resource_policy, ("functions", fn.arn, "resource_policy"))
        record = self.resource_record(resource)
        if record is not None:
            return f"res:{record.arn}", self._doc(record.policy, ("resources", record.arn, "policy"))
        return "", None

    def _org_levels(self, account: str | None, kind: str) -> list[list[PolicyDocument]] | None:
        org = self.data.organization
        if org is None or account is None or account not in org.accounts:
            return None
        levels = getattr(org.accounts[account], kind)
        if levels is None:
            return None
        return [self._docs(level, ("organization", "accounts", account, kind, n)) for n, level in enumerate(levels)]

    def tags_of(self, arn: str) -> dict[str, str]:
        fn = self.function(arn)
        if fn is not None:
            return fn.tags
        record = self.resource(arn)
        if record is not None:
            return record.tags
        role = self.role(arn) if ":role/" in arn else None
        return role.tags if role is not None else {}

    # -- authorization --------------------------------------------------------------------------

    def policy_set(self, principal: str, action: str, resource: str,
                   session_policies: Sequence[Mapping[str, Any]] | None = None) -> PolicySet:
        """The compiled policies that apply to this request (cached)."""
        who = parse_principal(principal)
        record = self._principal_record(who)
        rkey, rdoc = self._resource_policy(action, resource)
        resource_account = self.resource_account(resource) or who.account
        key = (id(record), who.account, rkey, resource_account, _session_key(session_policies))
        cached = self._policy_sets.get(key)
        if cached is not None:
            return cached
        identity: list[PolicyDocument] = []
        boundary = None
        if isinstance(record, UserRecord):
            identity = self._docs(record.policies, ("users", record.arn, "policies"))
            for group in record.groups:
                g = self._group(group)
                if g is not None:
                    identity += self._docs(g.policies, ("groups", g.arn, "policies"))
            boundary = self._doc(record.permissions_boundary, ("users", record.arn, "permissions_boundary"))
        elif isinstance(record, RoleRecord):
            identity = self._docs(record.policies, ("roles", record.arn, "policies"))
            boundary = self._doc(record.permissions_boundary, ("roles", record.arn, "permissions_boundary"))
        org = self.data.organization
        policies = PolicySet(
            identity=identity,
            resource=rdoc,
            permissions_boundary=boundary,
            session=list(session_policies or []),
            scps=self._org_levels(who.account, "scps"),
            rcps=self._org_levels(resource_account, "rcps"),
            management_account=org.management_account if org else None,
        )
        self._policy_sets[key] = policies
        return policies

    def context_for(self, principal: str, resource: str, context: Mapping[str, Any] | None) -> dict[str, Any]:
        """The request context plus what the environment knows: principal and resource tags, org IDs."""
        out = dict(context or {})
        lowered = {k.lower() for k in out}

        def put(key: str, value: Any) -> None:
            if key.lower() not in lowered:
                out[key] = value

        who = parse_principal(principal)
        record = self._principal_record(who)
        if record is not None:
            for k, v in record.tags.items():
                put(f"aws:PrincipalTag/{k}", v)
        for k, v in self.tags_of(resource).items():
            put(f"aws:ResourceTag/{k}", v)
        org = self.data.organization
        if org is not None and org.id:
            if who.account in org.accounts:
                put("aws:PrincipalOrgID", org.id)
            if self.resource_account(resource) in org.accounts:
                put("aws:ResourceOrgID", org.id)
        return out

    def authorize(self, principal: str, action: str, resource: str = "*", context: Mapping[str, Any] | None = None,
                  *, session_policies: Sequence[Mapping[str, Any]] | None = None, explain: bool = False,
                  fill_context: bool = True) -> Decision:
        """Decide a request with every policy of the environment that applies to it."""
        policies = self.policy_set(principal, action, resource, session_policies)
        ctx = self.context_for(principal, resource, context) if fill_context else dict(context or {})
        request = Request(principal=principal, action=action, resource=resource, context=ctx,
                          resource_account=self.resource_account(resource), fill_context=fill_context)
        return policies.authorize(request, explain=explain)


def _session_key(session_policies: Sequence[Any] | None) -> tuple[Any, ...]:
    """A cache key for session policies by content: an `id()` could be reused by a new dict."""
    if not session_policies:
        return ()
    out: list[Any] = []
    for p in session_policies:
        if isinstance(p, Mapping):
            out.append(json.dumps(p, sort_keys=True, default=str))
        elif isinstance(p, (str, bytes)):
            out.append(p)
        else:  # a PolicyDocument
            out.append(p.model_dump_json() if hasattr(p, "model_dump_json") else repr(p))
    return tuple(out)


def _locate(exc: PolicyEngineError, locations: Locations) -> None:
    """Fill line/column from the nearest located ancestor of the error's path."""
    path = tuple(exc.path)
    while path:
        where = locations.get(path)
        if where is not None:
            exc.line, exc.column = where
            return
        path = path[:-1]


def _account_of(resource: str) -> str | None:
    arn = Arn.parse(resource)
    return arn.account or None if arn is not None else None


__all__ = ["Environment", "EnvironmentError", "function_base_arn", "ScenarioError"]
