"""Hypothesis strategies for decision laws: targeted policies and requests.

Blind sampling almost never produces a request that a policy names, so every strategy
here draws the request first and then derives the policies from it: action patterns
from the request's action (`s3:GetObject` -> `s3:Get*`, `s3:?etObject`, `s3:*`, `*`),
resource patterns from its resource (account or region wildcarded, a trailing `*`, a
`?`), principals from its principal (the user, the role of a session, the account,
`*`), and conditions whose keys the request may or may not carry, with values that may
or may not match. A few unrelated values are mixed in so that statements also miss.

A scenario is plain data (`{"policies": {...}, "request": {...}}`), so a shrunk
counterexample can be pasted into an `@example(...)` as it is printed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

import policyengine as pe

A = "111122223333"
B = "444455556666"
VERSION = "2012-10-17"

# -- vocabulary ---------------------------------------------------------------------------------

USER = f"arn:aws:iam::{A}:user/alice"
SESSION = f"arn:aws:sts::{A}:assumed-role/app/s1"
ROLE = f"arn:aws:iam::{A}:role/app"
FEDERATED = f"arn:aws:sts::{A}:federated-user/fed"
ROOT = f"arn:aws:iam::{A}:root"
OTHER_USER = f"arn:aws:iam::{B}:user/bob"
OTHER_SESSION = f"arn:aws:sts::{B}:assumed-role/ops/s2"
SERVICE = "lambda.amazonaws.com"
ANONYMOUS = "*"

PRINCIPALS = [USER, SESSION, ROLE, FEDERATED, ROOT, OTHER_USER, OTHER_SESSION, SERVICE, ANONYMOUS]
IAM_PRINCIPALS = [USER, SESSION, ROLE, FEDERATED, OTHER_USER, OTHER_SESSION]  # have identity policies

ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "sqs:SendMessage",
    "ec2:StartInstances",
    "kms:Decrypt",
    "lambda:InvokeFunction",
    "sts:AssumeRole",
]
ALWAYS_ALLOWED_ACTION = "sts:GetCallerIdentity"

RESOURCES_BY_SERVICE = {
    "s3": ["arn:aws:s3:::reports/q1.csv", "arn:aws:s3:::reports/2024/q2.csv", "arn:aws:s3:::private/key",
           "arn:aws:s3:::home/alice/notes.txt"],
    "sqs": [f"arn:aws:sqs:us-east-1:{A}:jobs", f"arn:aws:sqs:eu-west-1:{B}:jobs"],
    "ec2": [f"arn:aws:ec2:us-east-1:{A}:instance/i-0abc"],
    "kms": [f"arn:aws:kms:us-east-1:{A}:key/k1", f"arn:aws:kms:us-east-1:{B}:key/k2"],
    "lambda": [f"arn:aws:lambda:us-east-1:{A}:function:f1", f"arn:aws:lambda:us-east-1:{B}:function:f2"],
    "sts": [ROLE, f"arn:aws:iam::{B}:role/ops"],
}
ALL_RESOURCES = [r for rs in RESOURCES_BY_SERVICE.values() for r in rs]


def action_patterns(action: str) -> list[str]:
    """Patterns that name `action` in every way IAM allows (plus the action itself)."""
    service, _, name = action.partition(":")
    return [
        action,
        f"{service}:*",
        f"{service}:{name[:3]}*",
        f"{service}:?{name[1:]}",
        f"{service}:*{name[-4:]}",
        "*",
        f"{service[0]}*:{name}",
    ]


def resource_patterns(resource: str) -> list[str]:
    """Patterns that match `resource`: exact, and with wildcards in each segment."""
    if resource == "*":
        return ["*"]
    parts = resource.split(":", 5)
    out = [resource, "*"]
    if len(parts) == 6:
        _, partition, service, region, account, rest = parts
        out += [
            f"arn:{partition}:{service}:*:{account}:{rest}",
            f"arn:{partition}:{service}:{region}:*:{rest}",
            f"arn:{partition}:{service}:{region}:{account}:{rest[:3]}*",
            f"arn:{partition}:{service}:{region}:{account}:{rest[:-1]}?",
            f"arn:{partition}:{service}:*",
        ]
        if rest.startswith("home/"):
            out.append("arn:aws:s3:::home/${aws:username}/*")  # a policy variable
    return out


def principal_values(principal: str) -> list[Any]:
    """`Principal` elements that name `principal` (directly, by role, or by account)."""
    if principal == ANONYMOUS:
        return ["*", {"AWS": "*"}]
    if principal.endswith(".amazonaws.com"):
        return [{"Service": principal}, "*"]
    arn_parts = principal.split(":")
    account = arn_parts[4]
    out: list[Any] = [{"AWS": principal}, {"AWS": account}, {"AWS": f"arn:aws:iam::{account}:root"}, "*"]
    if ":assumed-role/" in principal:
        role = principal.split("/")[1]
        out.append({"AWS": f"arn:aws:iam::{account}:role/{role}"})
        out.append({"AWS": f"arn:aws:iam::{account}:role/other"})
    return out


def not_principal_values(principal: str) -> list[Any]:
    """`NotPrincipal` lists that do or do not spare `principal` (IAM-NOTPRINC: AWS checks the
    account, then the role or user, then the session, so each level must be listed)."""
    if principal == ANONYMOUS:
        return [{"AWS": "*"}]
    if principal.endswith(".amazonaws.com"):
        return [{"Service": principal}]
    account = principal.split(":")[4]
    out: list[Any] = [{"AWS": [principal, account]}, {"AWS": [principal]}, {"AWS": [account]}]
    if ":assumed-role/" in principal:
        role = f"arn:aws:iam::{account}:role/{principal.split('/')[1]}"
        out += [{"AWS": [role, account]}, {"AWS": [principal, role, account]}, {"AWS": [role]}]
    return out


OTHER_PRINCIPAL_VALUES: list[Any] = [
    {"AWS": OTHER_USER},
    {"AWS": B},
    {"AWS": [USER, f"arn:aws:iam::{B}:root"]},
    {"Service": "s3.amazonaws.com"},
    {"AWS": ROLE},
]

# (operator, key, policy values that may or may not match the request's value)
CONDITIONS: list[tuple[str, str, list[Any]]] = [
    ("StringEquals", "aws:PrincipalTag/team", ["red", ["red", "blue"], "green"]),
    ("StringNotEquals", "aws:PrincipalTag/team", ["red", ["blue", "green"]]),
    ("StringLike", "aws:PrincipalTag/team", ["r*", "?lue", ["g*", "*d"]]),
    ("StringLike", "aws:PrincipalArn", [f"arn:aws:iam::{A}:*", f"arn:aws:iam::{B}:*", "*:user/*"]),
    ("StringEquals", "aws:PrincipalAccount", [A, B]),
    ("StringEquals", "aws:ResourceAccount", ["${aws:PrincipalAccount}", A]),
    ("StringLike", "aws:PrincipalArn", ["arn:aws:*::${aws:PrincipalAccount}:*"]),
    ("NumericLessThan", "s3:max-keys", [10, "100", [5, "50"]]),
    ("NumericGreaterThanEquals", "s3:max-keys", [50, "10"]),
    ("Bool", "aws:MultiFactorAuthPresent", ["true", True, "false"]),
    ("Bool", "aws:SecureTransport", ["false", "true"]),
    ("IpAddress", "aws:SourceIp", ["10.0.0.0/8", ["10.0.0.0/8", "192.0.2.0/24"], "203.0.113.9/32"]),
    ("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8", ["192.0.2.0/24"]]),
    ("DateGreaterThan", "aws:CurrentTime", ["2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z"]),
    ("DateLessThan", "aws:CurrentTime", ["2099-01-01T00:00:00Z", "2020-01-01T00:00:00Z"]),
    ("ForAnyValue:StringEquals", "aws:TagKeys", [["env", "team"], "owner"]),
    ("ForAllValues:StringLike", "aws:TagKeys", [["env", "t*"], "owner"]),
    ("Null", "aws:SourceIp", ["true", "false"]),
    ("Null", "aws:PrincipalTag/team", ["true", "false"]),
]

# Request values for the condition keys above (a key may also be left out).
CONTEXT_VALUES: dict[str, list[Any]] = {
    "aws:PrincipalTag/team": ["red", "blue", "green"],
    "s3:max-keys": [1, 7, 10, 50, 99, 150, "20", "abc"],  # "abc": a type error, evaluation fails
    "aws:MultiFactorAuthPresent": [True, False, "true", "false"],
    "aws:SecureTransport": [True, False],
    "aws:SourceIp": ["10.1.2.3", "192.0.2.44", "203.0.113.9", "not-an-ip"],
    "aws:CurrentTime": ["2019-06-01T00:00:00Z", "2040-06-01T00:00:00Z"],
    "aws:TagKeys": [[], ["env"], ["team", "env"], ["owner"], ["temp"]],
}

# Request values of the wrong type, or malformed, for each key above. `Request` takes any
# context as it is (only a context that is not a map is refused), so each of these is a
# decision case: the operator reads the value or it is an evaluation error (implicitDeny,
# EVALUATION_ERROR; docs/concepts.md, failing closed). Some are valid on purpose (epoch
# seconds for a Date key, `"TRUE"` for a Bool key, an IPv6 address) so that the readers'
# edges are compared, not just their refusals. Drawn only by `requests(malformed=True)`.
MALFORMED_VALUES: dict[str, list[Any]] = {
    "aws:PrincipalTag/team": [7, 2.5, True, "RED", "", " red", ["red", "blue"], ["red", 7], ["red", ""],
                              [["red"]]],
    "s3:max-keys": ["abc", "", " 10", "10 ", "1_000", "0x10", "NaN", "-Infinity", "1e2", "1E-1", "+7", ".5", "5.",
                    "1.0", "٣", True, False, 7.0, 1e300, -0.0, ["10", "abc"], ["5"], [5, None], [True]],
    "aws:MultiFactorAuthPresent": ["yes", "TRUE", "False", "", " true", 1, 0, 1.0, ["true", "maybe"], [False]],
    "aws:SecureTransport": ["True", "1", "on", 1, 0.0, [True, False], [True, "no"]],
    "aws:SourceIp": ["not-an-ip", "", "2001:db8::1", "::ffff:10.1.2.3", "fe80::1%eth0", "10.0.0.0/8",
                     "10.1.2.3/33", "10.1.2.3/x", " 10.1.2.3", "10.1.2", "256.1.1.1", "010.1.2.3", 167838211,
                     ["10.1.2.3", "2001:db8::1"], ["10.1.2.3", 5], ["192.0.2.44", "bad"]],
    "aws:CurrentTime": [1700000000, 1.7e9, -1, 0, 4102444800, "1700000000", "1700000000.5", "-5", "2020", "1e9",
                        "2019-06", "2019-06-01", "2040-06-01T00:00", "2040-06-01t00:00:00z",
                        "2019-06-01T00:00:00.123456789123Z", "2040-06-01T00:00:00,5Z", "2040-06-01T00:00:00+0100",
                        "2040-06-01T00:00:00-05", "2040-06-01T00:00:00+25:00", "2019-06-01 00:00:00Z",
                        "2019-13-01T00:00:00Z", "2019-02-30", "2019-06-01T24:00:00Z", " 2019-06-01T00:00:00Z",
                        "2019-W22-6", "20190601", "yesterday", "", True,
                        ["2019-06-01T00:00:00Z", "2040-06-01T00:00:00Z"], ["2019-06-01T00:00:00Z", "never"]],
    "aws:TagKeys": ["env", "", [""], ["env", ""], ["env", None], ["env", 3], [["env"]], [True], ["ENV"]],
}
# Wrong for every key: absent-like (null), a nested object, non-finite floats, a bare
# number or boolean, lists holding null or an object.
MALFORMED_ANY: list[Any] = [None, {"team": "red"}, float("nan"), float("inf"), 42, False, [None], [{"a": 1}], []]

# -- small helpers ------------------------------------------------------------------------------


def one_or_list(draw: st.DrawFn, values: list[Any]) -> Any:
    """A bare value or a list (bare only when there is exactly one value)."""
    if len(values) == 1 and draw(st.booleans()):
        return values[0]
    return list(values)


def pick(draw: st.DrawFn, near: list[Any], far: list[Any], p_near: int = 4) -> Any:
    """Mostly a value from `near` (derived from the request), sometimes one from `far`."""
    if far and draw(st.integers(0, p_near)) == 0:
        return draw(st.sampled_from(far))
    return draw(st.sampled_from(near))


# -- requests -----------------------------------------------------------------------------------


def context_value(draw: st.DrawFn, key: str, malformed: bool) -> Any:
    """A request value for `key`; with `malformed`, one draw in eight is wrong-typed or malformed."""
    if malformed and draw(st.integers(0, 7)) == 0:
        return copy.deepcopy(draw(st.sampled_from(MALFORMED_VALUES.get(key, []) + MALFORMED_ANY)))
    return copy.deepcopy(draw(st.sampled_from(CONTEXT_VALUES[key])))


@st.composite
def requests(draw: st.DrawFn, principals: list[str] = PRINCIPALS, malformed: bool = False) -> dict[str, Any]:
    principal = draw(st.sampled_from(principals))
    action = draw(st.sampled_from(ACTIONS + [ALWAYS_ALLOWED_ACTION]) if draw(st.integers(0, 30)) == 0
                  else st.sampled_from(ACTIONS))
    service = action.split(":")[0]
    choice = draw(st.integers(0, 9))
    if choice == 0:
        resource = "*"
    elif choice == 1:
        resource = draw(st.sampled_from(ALL_RESOURCES))
    else:
        resource = draw(st.sampled_from(RESOURCES_BY_SERVICE.get(service, ALL_RESOURCES)))
    keys = draw(st.lists(st.sampled_from(sorted(CONTEXT_VALUES)), unique=True, max_size=4))
    context = {key: context_value(draw, key, malformed) for key in keys}
    return {"principal": principal, "action": action, "resource": resource, "context": context}


def make_request(req: dict[str, Any]) -> pe.Request:
    return pe.Request(principal=req["principal"], action=req["action"], resource=req["resource"],
                      context=copy.deepcopy(req["context"]))


# -- statements and policies --------------------------------------------------------------------


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    block: dict[str, dict[str, Any]] = {}
    for operator, key, values in draw(st.lists(st.sampled_from(CONDITIONS), min_size=1, max_size=2)):
        if operator != "Null" and ":" not in operator:
            variant = draw(st.integers(0, 5))
            if variant == 0:
                operator += "IfExists"
            elif variant == 1 and not operator.startswith("Bool"):
                operator = "ForAnyValue:" + operator
        block.setdefault(operator, {})[key] = copy.deepcopy(draw(st.sampled_from(values)))
    return block


@st.composite
def statements(draw: st.DrawFn, req: dict[str, Any], policy_type: str,
               effect: str | None = None) -> dict[str, Any]:
    """One statement targeted at `req` for a policy of `policy_type`."""
    if effect is None:
        # Denies are rarer than allows, or nearly every decision would be an explicit deny.
        effect = "Deny" if draw(st.integers(0, 4)) == 0 else "Allow"
    if policy_type == "rcp" and effect == "Allow":
        return dict(FULL_ACCESS, Principal="*")  # the only Allow an RCP may hold (RCPFullAWSAccess)
    out: dict[str, Any] = {"Effect": effect}
    if policy_type == "rcp":
        out["Principal"] = "*"  # RCPs restrict whom they apply to with conditions
    elif policy_type in ("resource", "vpc_endpoint"):
        if out["Effect"] == "Deny" and draw(st.integers(0, 5)) == 0:
            out["NotPrincipal"] = copy.deepcopy(pick(draw, not_principal_values(req["principal"]),
                                                     OTHER_PRINCIPAL_VALUES[:3]))
        else:
            out["Principal"] = copy.deepcopy(pick(draw, principal_values(req["principal"]),
                                                  OTHER_PRINCIPAL_VALUES))
    other_actions = [a for a in ACTIONS if a != req["action"]]
    patterns = [pick(draw, action_patterns(req["action"]), other_actions)
                for _ in range(draw(st.integers(1, 2)))]
    if policy_type != "rcp" and draw(st.integers(0, 7)) == 0:
        out["NotAction"] = one_or_list(draw, [pick(draw, other_actions, action_patterns(req["action"]))])
    else:
        out["Action"] = one_or_list(draw, list(dict.fromkeys(patterns)))
    target = req["resource"] if req["resource"] != "*" else draw(st.sampled_from(ALL_RESOURCES))
    resources = [pick(draw, resource_patterns(target), ALL_RESOURCES)
                 for _ in range(draw(st.integers(1, 2)))]
    if draw(st.integers(0, 7)) == 0:
        out["NotResource"] = one_or_list(draw, [pick(draw, ALL_RESOURCES, resource_patterns(target))])
    else:
        out["Resource"] = one_or_list(draw, list(dict.fromkeys(resources)))
    if draw(st.integers(0, 2)) == 0:
        out["Condition"] = draw(conditions())
    return out


FULL_ACCESS = {"Effect": "Allow", "Action": "*", "Resource": "*"}


@st.composite
def documents(draw: st.DrawFn, req: dict[str, Any], policy_type: str, *, ceiling: bool = False) -> dict[str, Any]:
    """A policy document; `ceiling` policies (boundary, SCP...) often start with a broad Allow."""
    stmts = draw(st.lists(statements(req, policy_type), min_size=1, max_size=3))
    if ceiling and draw(st.integers(0, 2)) != 0:
        broad = dict(FULL_ACCESS)
        if policy_type in ("vpc_endpoint", "rcp"):
            broad["Principal"] = "*"
        stmts.insert(0, broad)
    return {"Version": VERSION, "Statement": stmts}


@st.composite
def policy_sets(draw: st.DrawFn, req: dict[str, Any]) -> dict[str, Any]:
    """PolicySet keyword arguments, as plain data."""
    out: dict[str, Any] = {}
    if draw(st.integers(0, 5)) != 0:
        out["identity"] = draw(st.lists(documents(req, "identity"), min_size=1, max_size=2))
    if draw(st.booleans()):
        out["resource"] = draw(documents(req, "resource"))
    if draw(st.integers(0, 3)) == 0:
        out["permissions_boundary"] = draw(documents(req, "permissions_boundary", ceiling=True))
    if draw(st.integers(0, 3)) == 0:
        out["session"] = draw(st.lists(documents(req, "session", ceiling=True), min_size=1, max_size=2))
    if draw(st.integers(0, 3)) == 0:
        out["scps"] = draw(st.lists(st.lists(documents(req, "scp", ceiling=True), min_size=1, max_size=2),
                                    min_size=1, max_size=2))
    if draw(st.integers(0, 5)) == 0:
        out["rcps"] = draw(st.lists(st.lists(documents(req, "rcp", ceiling=True), min_size=1, max_size=2),
                                    min_size=1, max_size=2))
    if draw(st.integers(0, 7)) == 0:
        out["vpc_endpoint"] = draw(documents(req, "vpc_endpoint", ceiling=True))
    if draw(st.integers(0, 9)) == 0:
        out["management_account"] = draw(st.sampled_from([A, B]))
    return label_statements(out)


@st.composite
def scenarios(draw: st.DrawFn, principals: list[str] = PRINCIPALS, malformed: bool = False) -> dict[str, Any]:
    """`malformed`: some request values are of the wrong type (see MALFORMED_VALUES)."""
    req = draw(requests(principals, malformed))
    return {"policies": draw(policy_sets(req)), "request": req}


# -- walking a scenario's policies --------------------------------------------------------------

# Where documents live in PolicySet keyword arguments: (key, shape)
# shape: "one" a single document, "list" a list of documents, "levels" a list of lists.
LAYOUT = [
    ("identity", "list"),
    ("resource", "one"),
    ("permissions_boundary", "one"),
    ("session", "list"),
    ("vpc_endpoint", "one"),
    ("scps", "levels"),
    ("rcps", "levels"),
]
POLICY_TYPE_OF = {"identity": "identity", "resource": "resource", "permissions_boundary": "permissions_boundary",
                  "session": "session", "vpc_endpoint": "vpc_endpoint", "scps": "scp", "rcps": "rcp"}


def documents_of(policies: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every (policy kwarg, document) pair, in a stable order."""
    out: list[tuple[str, dict[str, Any]]] = []
    for key, shape in LAYOUT:
        value = policies.get(key)
        if value is None:
            continue
        if shape == "one":
            out.append((key, value))
        elif shape == "list":
            out += [(key, doc) for doc in value]
        else:
            out += [(key, doc) for level in value for doc in level]
    return out


def statements_of(policies: dict[str, Any]) -> list[tuple[str, dict[str, Any], int]]:
    """Every (policy kwarg, document, statement index)."""
    return [(key, doc, i) for key, doc in documents_of(policies) for i in range(len(doc["Statement"]))]


def label_statements(policies: dict[str, Any]) -> dict[str, Any]:
    """Give every statement a unique Sid, so decisions can be compared by statement."""
    for number, (_, doc, index) in enumerate(statements_of(policies)):
        doc["Statement"][index]["Sid"] = f"S{number}"
    return policies


def map_documents(policies: dict[str, Any], fn: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    """A copy of `policies` with `fn` applied to every document."""
    out: dict[str, Any] = {}
    for key, value in policies.items():
        shape = dict(LAYOUT).get(key)
        if shape == "one":
            out[key] = fn(copy.deepcopy(value))
        elif shape == "list":
            out[key] = [fn(copy.deepcopy(doc)) for doc in value]
        elif shape == "levels":
            out[key] = [[fn(copy.deepcopy(doc)) for doc in level] for level in value]
        else:
            out[key] = value
    return out


def map_statements(policies: dict[str, Any], fn: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    def per_doc(doc: dict[str, Any]) -> dict[str, Any]:
        doc["Statement"] = [fn(s) for s in doc["Statement"]]
        return doc

    return map_documents(policies, per_doc)


def build(policies: dict[str, Any]) -> pe.PolicySet:
    return pe.PolicySet(**copy.deepcopy(policies))


def compiled_layers(ps: pe.PolicySet) -> list[Any]:
    layers = [ps.identity, ps.resource, ps.permissions_boundary, ps.session, ps.vpc_endpoint, *ps.scps, *ps.rcps]
    return [layer for layer in layers if layer is not None]
