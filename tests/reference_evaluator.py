"""A deliberately naive AWS policy evaluator: the oracle of the differential test.

Written straight from the AWS documentation as summarised in lambda-permissions.md
(§1.3 closed form, §1.5 same-account table, §1.6 cross-account, §1.7 exemptions, §2
conditions), and from nothing in `policyengine.evaluation`: it reads the raw policy
dicts of a scenario (`strategies.py` shape), loops over every statement of every policy,
matches wildcards by plain recursion over (pattern, text) positions, and implements each
condition operator family by hand. It is slow on purpose; clarity is the point.

`evaluate(policies, request)` returns a `RefDecision(decision, reason)` where `decision`
is "allowed", "explicitDeny" or "implicitDeny".

Modelling choices that the docs leave open are the same the engine documents (so that
they are not reported as disagreements), each marked MODEL below:
- a request value of the wrong type for an operator is an evaluation error, and an
  error in any reached statement denies (§1.3 step 9) unless an explicit Deny decides;
  what each type accepts is written out below from the engine's documented forms
  (docs/concepts.md "Documented choices": numbers, dates, IP addresses), with ASCII
  digits and no surrounding spaces; a policy variable standing for a JSON object is
  such an error too (a list is "no value", a number or boolean its JSON text);
- the resource's account is the ARN's account, else the principal's (S3 ARNs carry none);
- `sts:GetCallerIdentity` is always allowed;
- a plain (non-set) operator on a list value: any element matching (positive) / none
  matching (negated).
"""

from __future__ import annotations

import base64
import calendar
import datetime as _dt
import ipaddress
import math
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

VARIABLES_VERSION = "2012-10-17"

TRUST_ACTIONS = {"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
                 "sts:tagsession", "sts:setsourceidentity", "sts:setcontext"}
DEFAULT_RCP_SERVICES: set[str] | None = None  # read lazily from the package data file (plain JSON)


class EvalError(Exception):
    """A request value that the operator cannot read (fails closed)."""


@dataclass(frozen=True)
class RefDecision:
    decision: str
    reason: str

    @property
    def allowed(self) -> bool:
        return self.decision == "allowed"


# -- the request principal (IAM User Guide, Principal element; §1.5) ----------------------------


@dataclass
class Who:
    kind: str  # user, session, federated, root, service, web, anonymous
    account: str | None = None
    arn: str | None = None  # aws:PrincipalArn
    session_arn: str | None = None
    role_account: str | None = None
    role_name: str | None = None
    role_arn: str | None = None
    user_name: str | None = None
    service: str | None = None
    provider: str | None = None

    @property
    def has_identity_policies(self) -> bool:
        return self.kind in ("user", "session", "federated")

    @property
    def is_session(self) -> bool:
        return self.kind in ("session", "federated")

    @property
    def is_service_linked(self) -> bool:
        return self.kind == "session" and (":role/aws-service-role/" in (self.role_arn or "")
                                           or (self.role_name or "").startswith("AWSServiceRoleFor"))


WEB_PROVIDERS = {"cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"}


def read_principal(text: str) -> Who:
    if text == "*":
        return Who("anonymous")
    if len(text) == 12 and text.isdigit():
        return Who("root", account=text, arn=f"arn:aws:iam::{text}:root")
    if not text.startswith("arn:"):
        if text.lower() in WEB_PROVIDERS:
            return Who("web", provider=text.lower())
        return Who("service", service=text.lower())
    parts = text.split(":", 5)
    partition, service, account, res = parts[1], parts[2], parts[4], parts[5]
    if service == "iam" and res == "root":
        return Who("root", account=account, arn=text)
    if service == "iam" and res.startswith("user/"):
        return Who("user", account=account, arn=text, user_name=res.split("/")[-1])
    if service == "iam" and res.startswith("role/"):
        # a request "by the role": a session of it whose name we do not know
        return Who("session", account=account, arn=text, role_arn=text, role_name=res.split("/")[-1])
    if service == "sts" and res.startswith("assumed-role/"):
        _, role, _session = res.split("/")
        role_arn = f"arn:{partition}:iam::{account}:role/{role}"
        return Who("session", account=account, arn=role_arn, session_arn=text, role_arn=role_arn, role_name=role)
    if service == "sts" and res.startswith("federated-user/"):
        return Who("federated", account=account, arn=text, session_arn=text, user_name=res.split("/", 1)[1])
    return Who("web", account=account, provider=text)


def principal_type(who: Who) -> str | None:
    return {"user": "User", "session": "AssumedRole", "federated": "FederatedUser", "root": "Account",
            "anonymous": "Anonymous"}.get(who.kind)


# -- wildcards: `*` any run, `?` one character, by recursion over positions ---------------------

STAR, QMARK = object(), object()


def tokens(text: str, wild: bool = True) -> list[Any]:
    if not wild:
        return list(text)
    return [STAR if c == "*" else QMARK if c == "?" else c for c in text]


def glob(pattern: list[Any], text: str, ignore_case: bool = False) -> bool:
    """Whole-string match, memoised on (i, j) so the recursion is polynomial."""
    if ignore_case:
        pattern = [t.lower() if isinstance(t, str) else t for t in pattern]
        text = text.lower()
    memo: dict[tuple[int, int], bool] = {}

    def m(i: int, j: int) -> bool:
        while True:  # walk literal characters iteratively (deep recursion only at stars)
            if i == len(pattern):
                return j == len(text)
            t = pattern[i]
            if t is STAR:
                break
            if j == len(text) or (t is not QMARK and t != text[j]):
                return False
            i, j = i + 1, j + 1
        key = (i, j)
        if key not in memo:
            # the star takes no character, or one more
            memo[key] = any(m(i + 1, k) for k in range(j, len(text) + 1))
        return memo[key]

    return m(0, 0)


def split_tokens(toks: list[Any], limit: int) -> list[list[Any]]:
    """Split at the first `limit` ':' characters (of any origin)."""
    out: list[list[Any]] = [[]]
    for t in toks:
        if t == ":" and isinstance(t, str) and len(out) <= limit:
            out.append([])
        else:
            out[-1].append(t)
    return out


# -- policy variables (IAM-VARS; §2.7) -----------------------------------------------------------


class Unresolved(Exception):
    pass


def substitute(text: str, ctx: dict[str, Any], enabled: bool) -> list[Any]:
    """`text` as wildcard tokens with `${...}` replaced (replacement text is literal).

    Raises Unresolved for a variable with no value and no default."""
    if not enabled:
        return tokens(text)
    out: list[Any] = []
    i = 0
    while i < len(text):
        if text.startswith("${", i):
            end = text.index("}", i)
            inner = text[i + 2:end]
            i = end + 1
            if inner in ("*", "?", "$"):
                out += list(inner)
                continue
            default = None
            if "," in inner:
                inner, _, rest = inner.partition(",")
                default = rest.strip()[1:-1]
            value = ctx.get(inner.strip().lower())
            if value is None or isinstance(value, list):
                if default is None:
                    raise Unresolved(inner)
                value = default
            out += list(as_text(value))
        else:
            out += tokens(text[i])
            i += 1
    return out


# -- Action / Resource / Principal ---------------------------------------------------------------


def listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def action_matches(stmt: dict[str, Any], action: str) -> bool:
    if "Action" in stmt:
        return any(glob(tokens(p), action, ignore_case=True) for p in listify(stmt["Action"]))
    return not any(glob(tokens(p), action, ignore_case=True) for p in listify(stmt["NotAction"]))


def resource_pattern_matches(pattern: str, resource: str, ctx: dict[str, Any], enabled: bool) -> bool:
    if pattern == "*":
        return True
    try:
        toks = substitute(pattern, ctx, enabled)
    except Unresolved:
        return False  # an entry with an unresolvable variable matches no resource
    parts = split_tokens(toks, 5)
    if parts[0] != list("arn"):
        return glob(toks, resource)
    if len(parts) == 6:
        values = resource.split(":", 5)
        return len(values) == 6 and all(glob(p, v) for p, v in zip(parts, values))
    # fewer than six components: only a segment-final `*` runs across the remaining colons
    values = resource.split(":", len(parts) - 1)
    if len(values) != len(parts):
        return False
    if parts[-1] and parts[-1][-1] is STAR:
        return all(glob(p, v) for p, v in zip(parts, values))
    return False


def resource_matches(stmt: dict[str, Any], resource: str, ctx: dict[str, Any], enabled: bool) -> bool:
    if "Resource" in stmt:
        return any(resource_pattern_matches(p, resource, ctx, enabled) for p in listify(stmt["Resource"]))
    if "NotResource" in stmt:
        return not any(resource_pattern_matches(p, resource, ctx, enabled) for p in listify(stmt["NotResource"]))
    return True


def account_named(value: str) -> str | None:
    if len(value) == 12 and value.isdigit():
        return value
    parts = value.split(":")
    if len(parts) == 6 and parts[2] == "iam" and parts[5] == "root":
        return parts[4]
    return None


def names_role(value: str, who: Who) -> bool:
    parts = value.split(":", 5)
    if who.kind != "session" or len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        return False
    return value == who.role_arn or (parts[4] == who.account and parts[5].split("/")[-1] == who.role_name)


def principal_entries(element: Any) -> list[tuple[str, str]]:
    if element == "*":
        return [("*", "*")]
    return [(kind, v) for kind, values in element.items() for v in listify(values)]


def grant_kind(element: Any, who: Who) -> str | None:
    """How a Principal element names the caller (§1.5): 'direct', 'role', 'account' or None."""
    found: set[str] = set()
    for kind, value in principal_entries(element):
        if kind == "*":
            found.add("direct")
        elif kind == "AWS":
            if value == "*":
                if who.kind != "service":
                    found.add("direct")
            elif account_named(value) is not None:
                if who.kind not in ("service", "anonymous") and who.account == account_named(value):
                    found.add("account")
            elif who.kind == "user" and value == who.arn or who.kind in ("session", "federated") and who.session_arn is not None and value == who.session_arn:
                found.add("direct")
            elif names_role(value, who):
                found.add("role")
        elif kind == "Service":
            if who.kind == "service" and value.lower() == who.service:
                found.add("direct")
        elif kind == "Federated":
            if who.kind == "web" and value.lower() == (who.provider or "").lower():
                found.add("direct")
        elif kind == "CanonicalUser":
            pass
    for best in ("direct", "role", "account"):
        if best in found:
            return best
    return None


def not_principal_exempts(element: Any, who: Who) -> bool:
    """NotPrincipal lists whom a Deny spares; AWS checks the account, then the role, then the
    session, so a principal is spared only when each level it passes through is listed."""
    entries = principal_entries(element)
    if ("*", "*") in entries:
        return True
    aws = [v for k, v in entries if k == "AWS"]
    if who.kind == "service":
        return any(v.lower() == who.service for k, v in entries if k == "Service")
    if "*" in aws:
        return True
    if who.kind == "web":
        return any(v.lower() == (who.provider or "").lower() for k, v in entries if k == "Federated")
    if who.kind == "anonymous":
        return False
    if not any(account_named(v) == who.account for v in aws):
        return False
    if who.kind == "root":
        return True
    if who.kind in ("user", "federated"):
        return who.arn in aws
    return any(names_role(v, who) for v in aws)


# -- conditions (IAM-OPS, IAM-MULTI, IAM-SETOPS; §2) ---------------------------------------------


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise EvalError(f"{value!r} is not a string")


DIGITS = set("0123456789")  # JSON and ISO 8601 digits are ASCII


def is_digits(text: str) -> bool:
    return bool(text) and all(c in DIGITS for c in text)


def is_decimal(text: str, exponent: bool) -> bool:
    """`[sign] digits [. [digits]]` or `[sign] . digits`, then `e|E [sign] digits` if `exponent`."""
    if text[:1] in ("+", "-"):
        text = text[1:]
    if exponent:
        for e in ("e", "E"):
            if e in text:
                text, _, power = text.partition(e)
                if not is_digits(power[1:] if power[:1] in ("+", "-") else power):
                    return False
                break
    whole, _, fraction = text.partition(".")
    return bool(whole or fraction) and (not whole or is_digits(whole)) and (not fraction or is_digits(fraction))


def as_number(value: Any) -> Decimal:
    """MODEL (numeric.py, docs/concepts.md "Numbers"): an integer or decimal, exactly; a JSON
    number (finite) or text `[sign] digits [. digits] [e exponent]`. No spaces, `_`, NaN,
    Infinity; a boolean is not a number."""
    if isinstance(value, bool):
        raise EvalError("a boolean is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EvalError(f"{value!r} is not a finite number")
        return Decimal(repr(value))
    if isinstance(value, str) and is_decimal(value, exponent=True):
        return Decimal(value)
    raise EvalError(f"{value!r} is not a number")


NANO = Decimal("0.000000001")


def as_date(value: Any) -> Decimal:
    """MODEL (date.py, docs/concepts.md "Date forms"): seconds since the epoch, to the
    nanosecond (rounded down). Epoch seconds as a finite JSON number or as text
    `[sign] digits [. digits]` (digits only: epoch seconds, never a year), or the W3C
    profile of ISO 8601 (`YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff]]` with an
    optional zone; details in `iso_seconds`). Anything else is not a date."""
    if isinstance(value, bool):
        raise EvalError("a boolean is not a date")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EvalError(f"{value!r} is not a date")
        seconds = Decimal(repr(value))
    elif isinstance(value, str) and is_decimal(value, exponent=False):
        seconds = Decimal(value)
    elif isinstance(value, str):
        seconds = iso_seconds(value)
    else:
        raise EvalError(f"{value!r} is not a date")
    return seconds.quantize(NANO, rounding="ROUND_FLOOR")


def iso_seconds(text: str) -> Decimal:
    """`YYYY-MM[-DD[Thh:mm[:ss[(.|,)digits]][zone]]]`, `T` either case; zone `Z`/`z`, `+hh`,
    `+hhmm`, `+hh:mm` (or `-`), hours < 24 and minutes < 60; no zone is UTC; fraction
    digits past the ninth are dropped."""
    bad = EvalError(f"{text!r} is not a date")
    cut = min((i for i in (text.find("T"), text.find("t")) if i >= 0), default=-1)
    day_text, clock_text = (text, None) if cut < 0 else (text[:cut], text[cut + 1:])
    fields = day_text.split("-")
    if not (len(fields) == 3 or len(fields) == 2 and clock_text is None):
        raise bad
    if not all(is_digits(f) and len(f) == (4 if i == 0 else 2) for i, f in enumerate(fields)):
        raise bad
    year, month, day = int(fields[0]), int(fields[1]), int(fields[2]) if len(fields) == 3 else 1
    hour = minute = second = 0
    fraction = Decimal(0)
    offset = 0
    if clock_text is not None:
        zone = ""
        if clock_text[-1:] in ("Z", "z"):
            clock_text = clock_text[:-1]
        else:
            for sign in ("+", "-"):
                if sign in clock_text:
                    clock_text, _, zone = clock_text.partition(sign)
                    zone = sign + zone
                    break
        if zone:
            zone_digits = zone[1:].replace(":", "", 1) if zone[3:4] == ":" else zone[1:]
            if not is_digits(zone_digits) or len(zone_digits) not in (2, 4):
                raise bad
            zone_hours, zone_minutes = int(zone_digits[:2]), int(zone_digits[2:] or "0")
            if zone_hours > 23 or zone_minutes > 59:
                raise bad
            offset = (zone_hours * 3600 + zone_minutes * 60) * (1 if zone[0] == "+" else -1)
        parts = clock_text.split(":")
        if len(parts) == 3:
            whole, mark, digits = parts[2], "", ""
            for mark in (".", ","):
                if mark in whole:
                    whole, _, digits = whole.partition(mark)
                    if not is_digits(digits):
                        raise bad
                    break
            if not (is_digits(whole) and len(whole) == 2):
                raise bad
            second = int(whole)
            if digits:
                fraction = Decimal("0." + digits[:9])
            parts = parts[:2]
        if len(parts) != 2 or not all(is_digits(p) and len(p) == 2 for p in parts):
            raise bad
        hour, minute = int(parts[0]), int(parts[1])
    try:
        moment = _dt.datetime(year, month, day, hour, minute, second, tzinfo=_dt.UTC)
    except ValueError:
        raise bad from None
    return Decimal(calendar.timegm(moment.timetuple())) + fraction - offset


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise EvalError(f"{value!r} is not a boolean")


def as_ip(value: Any) -> Any:
    """MODEL (ipaddress.py): one IPv4 or IPv6 address, as text exactly (no spaces, no prefix);
    an IPv6 zone (`%eth0`) is ignored."""
    if not isinstance(value, str):
        raise EvalError(f"{value!r} is not an IP address")
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        raise EvalError(f"{value!r} is not an IP address") from None


ORDER = {"Equals": lambda a, b: a == b, "NotEquals": lambda a, b: a == b,
         "LessThan": lambda a, b: a < b, "LessThanEquals": lambda a, b: a <= b,
         "GreaterThan": lambda a, b: a > b, "GreaterThanEquals": lambda a, b: a >= b}

NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals",
           "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike"}


def matches_one(op: str, request_value: Any, policy_value: Any, ctx: dict[str, Any], enabled: bool) -> bool:
    """Does one request value match one policy value, in the positive sense of `op`'s family?"""
    if op.startswith("String"):
        text = as_text(request_value)
        try:
            pattern = substitute(as_text(policy_value), ctx, enabled)
        except Unresolved:
            return False
        if op in ("StringLike", "StringNotLike"):
            return glob(pattern, text)
        literal = "".join(t if isinstance(t, str) else ("*" if t is STAR else "?") for t in pattern)
        if "IgnoreCase" in op:
            return literal.lower() == text.lower()
        return literal == text
    if op.startswith("Numeric"):
        return ORDER[op[len("Numeric"):]](as_number(request_value), as_number(policy_value))
    if op.startswith("Date"):
        return ORDER[op[len("Date"):]](as_date(request_value), as_date(policy_value))
    if op == "Bool":
        return as_bool(request_value) == as_bool(policy_value)
    if op in ("IpAddress", "NotIpAddress"):
        address = as_ip(request_value)
        network = ipaddress.ip_network(str(policy_value).strip(), strict=False)
        return address.version == network.version and address in network
    if op == "BinaryEquals":
        if not isinstance(request_value, (str, bytes)):
            raise EvalError("not binary")
        raw = request_value if isinstance(request_value, bytes) else base64.b64decode(request_value)
        return raw == base64.b64decode(policy_value)
    if op.startswith("Arn"):
        text = as_text(request_value)
        try:
            pattern = substitute(as_text(policy_value), ctx, enabled)
        except Unresolved:
            return False
        parts = split_tokens(pattern, 5)
        values = text.split(":", 5)
        if len(parts) != 6:
            return pattern == list(text)
        return len(values) == 6 and all(glob(p, v) for p, v in zip(parts, values))
    raise AssertionError(f"unknown operator {op}")


def read_as(op: str, value: Any) -> Any:
    """The request value read as the operator's type (EvalError when it is not one)."""
    if op.startswith(("String", "Arn")):
        return as_text(value)
    if op.startswith("Numeric"):
        return as_number(value)
    if op.startswith("Date"):
        return as_date(value)
    if op == "Bool":
        return as_bool(value)
    if op.endswith("IpAddress"):
        return as_ip(value)
    return value


def satisfies(op: str, negated: bool, request_value: Any, policy_values: list[Any],
              ctx: dict[str, Any], enabled: bool) -> bool:
    """One request value against the policy values: OR for a positive operator, NOR for a negated one."""
    if not policy_values:
        read_as(op, request_value)  # nothing to match, but the value must still be readable
        return negated
    hit = False
    for pv in policy_values:
        if matches_one(op, request_value, pv, ctx, enabled):
            hit = True
            break
    return not hit if negated else hit


def condition_holds(operator: str, key: str, policy_values: list[Any], ctx: dict[str, Any], enabled: bool) -> bool:
    qualifier = None
    if ":" in operator:
        qualifier, operator = operator.split(":", 1)
        qualifier = qualifier.lower()
    if_exists = operator.endswith("IfExists")
    op = operator[: -len("IfExists")] if if_exists else operator
    op = next(name for name in OPERATORS if name.lower() == op.lower())
    negated = op in NEGATED
    value = ctx.get(key.lower())
    if op == "Null":
        absent = value is None or value == []
        if qualifier is not None and absent:  # quantified over no values (docs/concepts.md)
            return qualifier == "forallvalues"
        return any(absent == as_bool(pv) for pv in policy_values)
    if value is None:  # absent (or JSON null)
        if qualifier == "forallvalues":
            return True
        if qualifier == "foranyvalue":  # false, IfExists or not (observed in AWS; docs/concepts.md)
            return False
        return if_exists or negated
    if qualifier is None:
        if isinstance(value, list):  # MODEL: undocumented; any element (positive) / no element (negated)
            if negated:
                return all(satisfies(op, True, v, policy_values, ctx, enabled) for v in value)
            return any(satisfies(op, False, v, policy_values, ctx, enabled) for v in value)
        return satisfies(op, negated, value, policy_values, ctx, enabled)
    elements = value if isinstance(value, list) else ([] if value == "" else [value])
    if qualifier == "forallvalues":
        return all(satisfies(op, negated, v, policy_values, ctx, enabled) for v in elements)
    return any(satisfies(op, negated, v, policy_values, ctx, enabled) for v in elements)


OPERATORS = ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
             "StringLike", "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan",
             "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals",
             "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
             "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals",
             "ArnNotLike", "Null"]


def conditions_hold(stmt: dict[str, Any], ctx: dict[str, Any], enabled: bool) -> bool:
    """AND over operators and keys, in the order written (an error after a false one is not reached)."""
    for operator, block in (stmt.get("Condition") or {}).items():
        for key, values in block.items():
            if not condition_holds(operator, key, listify(values), ctx, enabled):
                return False
    return True


# -- one policy layer ----------------------------------------------------------------------------


@dataclass
class Layer:
    allows: list[tuple[dict[str, Any], str | None]]
    denies: list[dict[str, Any]]
    errors: list[str]
    trap: bool = False


def statements_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return listify(doc["Statement"])


def evaluate_layer(docs: list[dict[str, Any]], names_principals: bool, action: str, resource: str,
                   ctx: dict[str, Any], who: Who, has_boundary: bool) -> Layer:
    layer = Layer([], [], [])
    for doc in docs:
        enabled = doc.get("Version") == VARIABLES_VERSION
        for stmt in statements_of(doc):
            deny = stmt["Effect"] == "Deny"
            if not action_matches(stmt, action):
                continue
            try:  # a policy variable in Resource may stand for a value that is not text
                if not resource_matches(stmt, resource, ctx, enabled):
                    continue
            except EvalError as exc:
                layer.errors.append(str(exc))
                continue
            grant = None
            if names_principals:
                if "Principal" in stmt:
                    grant = grant_kind(stmt["Principal"], who)
                    if grant is None:
                        continue
                elif "NotPrincipal" in stmt:
                    # IAM-NOTPRINC: Deny+NotPrincipal in an RBP always denies a principal
                    # that has a permissions boundary
                    if not_principal_exempts(stmt["NotPrincipal"], who) and not (deny and has_boundary):
                        continue
                    grant = "direct"
            try:
                if not conditions_hold(stmt, ctx, enabled):
                    continue
            except EvalError as exc:
                layer.errors.append(str(exc))
                continue
            if deny:
                layer.denies.append(stmt)
            else:
                layer.allows.append((stmt, grant))
    return layer


# -- the decision (§1.3 closed form, §1.5, §1.6, §1.7) -------------------------------------------


def rcp_services() -> set[str]:
    global DEFAULT_RCP_SERVICES
    if DEFAULT_RCP_SERVICES is None:
        import json
        from pathlib import Path

        path = Path(__file__).resolve().parents[1] / "policyengine" / "data" / "rcp_services.json"
        DEFAULT_RCP_SERVICES = {s.lower() for s in json.loads(path.read_text())["services"]}
    return DEFAULT_RCP_SERVICES


def context_for(request: dict[str, Any], who: Who, resource_account: str | None) -> dict[str, Any]:
    """The request's keys (names case-insensitive), plus the global keys AWS sets itself."""
    ctx = {k.lower(): v for k, v in (request.get("context") or {}).items()}
    filled: dict[str, Any] = {}
    if who.kind == "anonymous":
        filled["aws:principaltype"] = "Anonymous"
    elif who.kind == "service":
        filled["aws:principalisawsservice"] = True
        filled["aws:principalservicename"] = who.service
    else:
        filled["aws:principalisawsservice"] = False
        if who.arn is not None:
            filled["aws:principalarn"] = who.arn
        if who.account is not None:
            filled["aws:principalaccount"] = who.account
        if principal_type(who):
            filled["aws:principaltype"] = principal_type(who)
        if who.kind == "user":
            filled["aws:username"] = who.user_name
        if who.kind == "web" and who.provider:
            filled["aws:federatedprovider"] = who.provider
    if resource_account is not None:
        filled["aws:resourceaccount"] = resource_account
    parts = request["resource"].split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[3]:
        filled["aws:requestedregion"] = parts[3]
    now = int(time.time())
    filled["aws:currenttime"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
    filled["aws:epochtime"] = now
    for key, value in filled.items():
        ctx.setdefault(key, value)
    return ctx


def evaluate(policies: dict[str, Any], request: dict[str, Any]) -> RefDecision:
    who = read_principal(request["principal"])
    action = request["action"].lower()
    service = action.split(":")[0]
    resource = request.get("resource") or "*"
    if action == "sts:getcalleridentity":  # MODEL: no policy can deny it
        return RefDecision("allowed", "always allowed")
    parts = resource.split(":", 5)
    resource_account = (parts[4] if len(parts) == 6 and parts[0] == "arn" and parts[4] else None) or who.account
    ctx = context_for(request, who, resource_account)
    has_boundary = policies.get("permissions_boundary") is not None and who.kind in ("user", "session", "federated")
    mgmt = policies.get("management_account")

    def run(docs: list[dict[str, Any]], names_principals: bool = False) -> Layer:
        return evaluate_layer(docs, names_principals, action, resource, ctx, who, has_boundary)

    identity = run(policies["identity"]) if policies.get("identity") and who.has_identity_policies else None
    rbp = run([policies["resource"]], True) if policies.get("resource") is not None else None
    boundary = run([policies["permissions_boundary"]]) if has_boundary else None
    session = run(policies["session"]) if policies.get("session") and who.is_session else None
    vpce = run([policies["vpc_endpoint"]], True) if policies.get("vpc_endpoint") is not None else None
    scps_apply = (who.kind in ("user", "session", "federated", "root") and not who.is_service_linked
                  and not (mgmt is not None and who.account == mgmt))
    rcps_apply = (service in rcp_services() and not who.is_service_linked
                  and not (mgmt is not None and resource_account == mgmt))
    scps = [run(level) for level in policies.get("scps") or []] if scps_apply else []
    rcps = [run(level, True) for level in policies.get("rcps") or []] if rcps_apply else []
    layers = [x for x in (identity, rbp, boundary, session, vpce) if x is not None] + scps + rcps

    # 2. an explicit Deny in any applicable policy
    if any(x.denies for x in layers):
        return RefDecision("explicitDeny", "explicit deny")
    # 9. an evaluation error ends in a deny
    if any(x.errors for x in layers):
        return RefDecision("implicitDeny", "evaluation error")
    # 3./4. every RCP and SCP level on the path must allow
    if any(not level.allows for level in rcps):
        return RefDecision("implicitDeny", "no RCP allows")
    if any(not level.allows for level in scps):
        return RefDecision("implicitDeny", "no SCP allows")
    if vpce is not None and not vpce.allows:
        return RefDecision("implicitDeny", "no VPC endpoint policy allows")

    rbp_grants = [g for _, g in rbp.allows] if rbp is not None else []
    # 5. role trust policies and KMS key policies must allow explicitly
    is_role_resource = len(parts) == 6 and parts[2] == "iam" and parts[5].startswith("role/")
    if action in TRUST_ACTIONS and is_role_resource and not rbp_grants:
        return RefDecision("implicitDeny", "no trust policy allows")
    if service == "kms" and len(parts) == 6 and parts[2] == "kms" and parts[5].startswith("key/") and not rbp_grants:
        return RefDecision("implicitDeny", "no key policy allows")
    # §1.7: service principals, anonymous and web-identity callers only via a resource policy
    if who.kind in ("service", "anonymous", "web"):
        return RefDecision("allowed" if rbp_grants else "implicitDeny", "resource policy only")

    identity_allows = bool(identity and identity.allows)
    is_root = who.kind == "root"
    same_account = who.account is not None and who.account == resource_account
    if same_account:
        # §1.5: naming the user or the session grants on its own
        if "direct" in rbp_grants:
            return RefDecision("allowed", "resource policy grants directly")
        # 6. identity-based policies (or a role grant, still capped below)
        if not (identity_allows or is_root or "role" in rbp_grants):
            return RefDecision("implicitDeny", "no identity-based policy allows")
    else:
        # §1.6: both accounts must allow
        if not rbp_grants:
            return RefDecision("implicitDeny", "no resource-based policy allows")
        if not (identity_allows or is_root):
            return RefDecision("implicitDeny", "no identity-based policy allows")
    # 7. permissions boundary; 8. session policies
    if boundary is not None and not boundary.allows:
        return RefDecision("implicitDeny", "no permissions boundary allows")
    if session is not None and not session.allows:
        return RefDecision("implicitDeny", "no session policy allows")
    if who.kind == "federated" and session is None:
        return RefDecision("implicitDeny", "federated user without a session policy")
    return RefDecision("allowed", "allowed")
