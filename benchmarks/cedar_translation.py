"""Translate IAM policies into Cedar, for the cedarpy peer of the decision benchmark.

The translation keeps IAM's semantics for the policies the benchmark uses and refuses (raises
`UnsupportedPolicy`) whatever it cannot express faithfully, rather than approximating it.

Choices:
- Every IAM statement becomes one Cedar policy with an unconstrained scope; all matching is in
  the `when` clause. `Allow` -> `permit`, `Deny` -> `forbid`.
- The action and the resource ARN travel in the request context (`context.action`,
  `context.resource`) as strings, because IAM matches them with wildcards and Cedar's `like` works
  on strings, not on entity ids. Actions are compared lower-cased (IAM action names are
  case-insensitive), resources as written (ARNs are case-sensitive). `*` becomes `like`'s `*`; a
  `?` wildcard or a policy variable is refused. `NotAction` / `NotResource` negate the match.
  A resource pattern is matched against the whole ARN; AWS matches the first five ARN segments
  one by one, which differs only when a wildcard is meant to stop at a `:` in those segments.
- Condition keys are lower-cased (IAM keys are case-insensitive) and read as
  `context["aws:sourceip"]`. Each key gets one Cedar type from the operators that use it:
  String* -> String (`==` / `like`), Numeric* -> Long (integers only), Date* -> Long epoch
  milliseconds (both sides converted at translation / request-building time), Bool -> Bool,
  IpAddress -> String in the context and `ip(context[k]).isInRange(ip("cidr"))` in the policy.
  AWS's rules for a key missing from the request are kept with `has`: a positive operator on a
  missing key is false, a negated one (StringNotEquals, NotIpAddress, ...) is true, `...IfExists`
  is true, `Null` tests presence. Several values of one key are OR-ed; a negated operator is the
  negation of the OR. Keys and operators inside one `Condition` are AND-ed.
- Principals: identity policies need none. A resource policy's `Principal` of role, user or
  session ARNs becomes `principal in IamPrincipal::"arn"`; the request's principal entity is the
  session, whose parent is its role (so a role ARN matches every session of the role, as in
  AWS). `"*"` matches anyone. Account, service and federated principals are refused.
- Policy types other than identity and resource policies (permissions boundary, session
  policies, each SCP or RCP level) must each allow: each becomes one guard,
  `forbid (...) unless { <any Allow statement of that policy or level matches> };`, and its Deny
  statements become ordinary `forbid`s. Within one account a resource policy that names the
  session or user ARN itself is not limited by the boundary or session policy: such statements
  are added to those guards' `unless`. Cross-account requests are refused.
- Decision: Cedar `Allow` -> `allowed`; `Deny` -> `explicitDeny` when a translated IAM Deny
  statement is among the determining policies, otherwise `implicitDeny` (no permit, or a guard).
  Each policy carries an `@id` naming its IAM origin (`deny:identity[0]#3`, `guard:scp[1]`, ...).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

PolicyDoc = Mapping[str, Any]
Statement = Mapping[str, Any]


class UnsupportedPolicy(ValueError):
    """The policy (or request) uses something this translation cannot express faithfully."""


class KeyType(Enum):
    STRING = "String"
    LONG = "Long"
    DATE = "Long (epoch ms)"
    BOOL = "Bool"
    IP = "String (IP address)"
    PRESENCE = "any (only tested with Null)"


@dataclass(frozen=True)
class _Operator:
    key_type: KeyType
    cedar: str  # "==", "like", "<", ..., "ip", "bool"
    negated: bool = False


_OPERATORS: Mapping[str, _Operator] = {
    "stringequals": _Operator(KeyType.STRING, "=="),
    "stringnotequals": _Operator(KeyType.STRING, "==", negated=True),
    "stringlike": _Operator(KeyType.STRING, "like"),
    "stringnotlike": _Operator(KeyType.STRING, "like", negated=True),
    "numericequals": _Operator(KeyType.LONG, "=="),
    "numericnotequals": _Operator(KeyType.LONG, "==", negated=True),
    "numericlessthan": _Operator(KeyType.LONG, "<"),
    "numericlessthanequals": _Operator(KeyType.LONG, "<="),
    "numericgreaterthan": _Operator(KeyType.LONG, ">"),
    "numericgreaterthanequals": _Operator(KeyType.LONG, ">="),
    "dateequals": _Operator(KeyType.DATE, "=="),
    "datenotequals": _Operator(KeyType.DATE, "==", negated=True),
    "datelessthan": _Operator(KeyType.DATE, "<"),
    "datelessthanequals": _Operator(KeyType.DATE, "<="),
    "dategreaterthan": _Operator(KeyType.DATE, ">"),
    "dategreaterthanequals": _Operator(KeyType.DATE, ">="),
    "bool": _Operator(KeyType.BOOL, "=="),
    "ipaddress": _Operator(KeyType.IP, "ip"),
    "notipaddress": _Operator(KeyType.IP, "ip", negated=True),
}


def _string(value: str) -> str:
    """A Cedar string literal."""
    return json.dumps(value)


def _pattern(value: str) -> str:
    """A Cedar `like` pattern from an IAM wildcard pattern (`*` only)."""
    if "?" in value:
        raise UnsupportedPolicy(f"the `?` wildcard in `{value}` has no Cedar equivalent")
    escaped = json.dumps(value)[1:-1]  # quotes and backslashes; IAM has no literal `*`
    return f'"{escaped}"'


def _no_variables(value: str) -> str:
    if "${" in value:
        raise UnsupportedPolicy(f"policy variable in `{value}`")
    return value


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _condition_strings(value: Any) -> list[str]:
    out = []
    for item in _as_list(value):
        if isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, (str, int, float)):
            out.append(_no_variables(str(item)))
        else:
            raise UnsupportedPolicy(f"condition value `{item!r}`")
    return out


def epoch_ms(value: str) -> int:
    """An IAM date (ISO 8601 or epoch seconds) as epoch milliseconds."""
    text = value.strip()
    if text.isdigit():
        return int(text) * 1000
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UnsupportedPolicy(f"date `{value}`") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


def _integer(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise UnsupportedPolicy(f"non-integer number `{value}` (Cedar Long)") from exc


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise UnsupportedPolicy(f"boolean value `{value!r}`")


def _any(parts: Sequence[str]) -> str:
    if not parts:
        return "false"
    if "true" in parts:
        return "true"
    return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"


def _all(parts: Sequence[str]) -> str:
    parts = [p for p in parts if p != "true"]
    if "false" in parts:
        return "false"
    if not parts:
        return "true"
    return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"


def _not(expr: str) -> str:
    if expr == "true":
        return "false"
    if expr == "false":
        return "true"
    return f"!({expr})"


def _role_of_session(arn: str) -> str | None:
    """`arn:aws:sts::A:assumed-role/R/S` -> `arn:aws:iam::A:role/R` (paths are not known)."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[2] == "sts" and parts[5].startswith("assumed-role/"):
        role = parts[5].split("/")[1]
        return f"arn:{parts[1]}:iam::{parts[4]}:role/{role}"
    return None


def _account_of(arn: str) -> str:
    parts = arn.split(":")
    if len(parts) < 6 or not parts[4]:
        raise UnsupportedPolicy(f"principal `{arn}` has no account")
    return parts[4]


@dataclass(frozen=True)
class CedarTranslation:
    """A Cedar policy set, its entities, and how to build requests and read decisions."""

    policies: str
    entities: list[dict[str, Any]]
    key_types: Mapping[str, KeyType]
    principal: str

    def context(self, action: str, resource: str, context: Mapping[str, Any]) -> dict[str, Any]:
        """The Cedar context: action, resource and the condition keys the policies read."""
        out: dict[str, Any] = {"action": action.lower(), "resource": resource}
        lowered = {key.lower(): value for key, value in context.items()}
        for key, key_type in self.key_types.items():
            if key not in lowered:
                continue
            value = lowered[key]
            if isinstance(value, list):
                raise UnsupportedPolicy(f"multi-valued context key `{key}`")
            if key_type is KeyType.BOOL:
                out[key] = _bool(value)
            elif key_type is KeyType.LONG:
                out[key] = _integer(str(value))
            elif key_type is KeyType.DATE:
                out[key] = epoch_ms(str(value))
            elif isinstance(value, bool):
                out[key] = "true" if value else "false"
            else:
                out[key] = str(value)
        return out

    def request(self, principal: str, action: str, resource: str,
                context: Mapping[str, Any]) -> dict[str, Any]:
        """A cedarpy request; the context is serialized once, here, not on every call."""
        if principal != self.principal:
            raise UnsupportedPolicy("the entities were built for another principal")
        return {
            "principal": {"type": "IamPrincipal", "id": principal},
            "action": {"type": "Action", "id": action},
            "resource": {"type": "Resource", "id": resource},
            "context": json.dumps(self.context(action, resource, context)),
        }

    @staticmethod
    def iam_decision(allowed: bool, determining_ids: Iterable[str]) -> str:
        """The IAM decision from Cedar's answer and the `@id`s of its determining policies."""
        if allowed:
            return "allowed"
        if any(policy_id.startswith("deny:") for policy_id in determining_ids):
            return "explicitDeny"
        return "implicitDeny"


class _Translator:
    def __init__(self, principal: str) -> None:
        self.principal = principal
        self.key_types: dict[str, KeyType] = {}
        self.policies: list[str] = []

    # --- elements -------------------------------------------------------------------------------

    def _match_list(self, target: str, values: list[str], *, lower: bool) -> str:
        exact: list[str] = []
        patterns: list[str] = []
        for raw in values:
            value = _no_variables(raw.lower() if lower else raw)
            if value == "*":
                return "true"
            if "*" in value or "?" in value:
                patterns.append(f"{target} like {_pattern(value)}")
            else:
                exact.append(value)
        parts = list(patterns)
        if len(exact) == 1:
            parts.insert(0, f"{target} == {_string(exact[0])}")
        elif exact:
            parts.insert(0, f"[{', '.join(_string(v) for v in exact)}].contains({target})")
        return _any(parts)

    def _element(self, stmt: Statement, name: str, target: str, *, lower: bool) -> str:
        if name in stmt:
            return self._match_list(target, _as_list(stmt[name]), lower=lower)
        negated = f"Not{name}"
        if negated in stmt:
            return _not(self._match_list(target, _as_list(stmt[negated]), lower=lower))
        raise UnsupportedPolicy(f"statement without {name} or {negated}")

    def _principal(self, stmt: Statement) -> str:
        if "NotPrincipal" in stmt:
            raise UnsupportedPolicy("NotPrincipal")
        principal = stmt.get("Principal")
        if principal is None:
            raise UnsupportedPolicy("resource policy statement without Principal")
        if principal == "*":
            return "true"
        if not isinstance(principal, Mapping) or set(principal) != {"AWS"}:
            raise UnsupportedPolicy(f"principal `{principal}`")
        parts = []
        for arn in _as_list(principal["AWS"]):
            if arn == "*":
                return "true"
            if ":role/" in arn or ":user/" in arn or ":assumed-role/" in arn:
                parts.append(f"principal in IamPrincipal::{_string(arn)}")
            else:
                raise UnsupportedPolicy(f"principal `{arn}` (accounts, services, federation)")
        return _any(parts)

    def _condition(self, block: Mapping[str, Any]) -> str:
        parts: list[str] = []
        for operator_name, keys in block.items():
            name = operator_name.lower()
            if_exists = name.endswith("ifexists")
            if if_exists:
                name = name[: -len("ifexists")]
            if ":" in name:
                raise UnsupportedPolicy(f"set operator `{operator_name}` (multi-valued keys)")
            for key, values in keys.items():
                parts.append(self._key_test(name, if_exists, key.lower(), values))
        return _all(parts)

    def _key_test(self, name: str, if_exists: bool, key: str, values: Any) -> str:
        _no_variables(key)
        present = f"context has {_string(key)}"
        ref = f"context[{_string(key)}]"
        if name == "null":
            if if_exists:
                raise UnsupportedPolicy("NullIfExists")
            flags = {_bool(v) for v in _as_list(values)}
            if len(flags) != 1:
                raise UnsupportedPolicy(f"Null with values `{values}`")
            self._declare(key, KeyType.PRESENCE)
            return _not(present) if flags.pop() else present
        operator = _OPERATORS.get(name)
        if operator is None:
            raise UnsupportedPolicy(f"condition operator `{name}`")
        self._declare(key, operator.key_type)
        literals = [self._literal(operator.key_type, operator.cedar, value)
                    for value in _condition_strings(values)]
        if operator.cedar == "==" and len(literals) > 1:
            any_match = f"[{', '.join(literals)}].contains({ref})"
        elif operator.cedar == "ip":
            any_match = _any([f"ip({ref}).isInRange({lit})" for lit in literals])
        else:
            any_match = _any([f"{ref} {operator.cedar} {lit}" for lit in literals])
        if operator.negated:  # missing key -> true
            return _not(_all([present, any_match]))
        if if_exists:  # missing key -> true
            return _any([_not(present), any_match])
        return _all([present, any_match])

    @staticmethod
    def _literal(key_type: KeyType, cedar_operator: str, value: str) -> str:
        if key_type is KeyType.STRING:
            return _pattern(value) if cedar_operator == "like" else _string(value)
        if key_type is KeyType.LONG:
            return str(_integer(value))
        if key_type is KeyType.DATE:
            return str(epoch_ms(value))
        if key_type is KeyType.BOOL:
            return "true" if _bool(value) else "false"
        return f"ip({_string(value)})"

    def _declare(self, key: str, key_type: KeyType) -> None:
        known = self.key_types.get(key)
        if known is None or known is KeyType.PRESENCE:
            self.key_types[key] = key_type
        elif known is not key_type and key_type is not KeyType.PRESENCE:
            raise UnsupportedPolicy(f"key `{key}` used as {known.value} and {key_type.value}")

    # --- statements and policies ----------------------------------------------------------------

    def match(self, stmt: Statement, *, with_principal: bool) -> str:
        parts = []
        if with_principal:
            parts.append(self._principal(stmt))
        elif "Principal" in stmt or "NotPrincipal" in stmt:
            raise UnsupportedPolicy("Principal in a policy that is not a resource policy")
        parts.append(self._element(stmt, "Action", "context.action", lower=True))
        parts.append(self._element(stmt, "Resource", "context.resource", lower=False))
        if "Condition" in stmt:
            parts.append(self._condition(stmt["Condition"]))
        return _all(parts)

    def emit(self, policy_id: str, effect: str, expr: str, clause: str = "when") -> None:
        head = f"@id({_string(policy_id)})\n{effect} (principal, action, resource)"
        if expr == "true" and clause == "when" or expr == "false" and clause == "unless":
            self.policies.append(f"{head};")
        else:
            self.policies.append(f"{head} {clause} {{ {expr} }};")

    def grants(self, label: str, doc: PolicyDoc, *, with_principal: bool) -> None:
        """Allow -> permit, Deny -> forbid (identity and resource policies)."""
        for index, stmt in enumerate(_as_list(doc["Statement"])):
            expr = self.match(stmt, with_principal=with_principal)
            if stmt["Effect"] == "Allow":
                self.emit(f"allow:{label}#{index}", "permit", expr)
            else:
                self.emit(f"deny:{label}#{index}", "forbid", expr)

    def guard(self, label: str, docs: Sequence[PolicyDoc], extra_allows: Sequence[str]) -> None:
        """A policy type that must allow: Deny -> forbid, no matching Allow -> guard forbid."""
        allows = list(extra_allows)
        for doc_index, doc in enumerate(docs):
            for index, stmt in enumerate(_as_list(doc["Statement"])):
                expr = self.match(stmt, with_principal=False)
                if stmt["Effect"] == "Allow":
                    allows.append(expr)
                else:
                    self.emit(f"deny:{label}.{doc_index}#{index}", "forbid", expr)
        self.emit(f"guard:{label}", "forbid", _any(allows), clause="unless")

    def direct_resource_grants(self, doc: PolicyDoc) -> list[str]:
        """Resource policy Allows naming this user or session ARN itself (not limited by the
        boundary or session policies within one account)."""
        out = []
        for stmt in _as_list(doc["Statement"]):
            principal = stmt.get("Principal")
            arns = _as_list(principal.get("AWS", [])) if isinstance(principal, Mapping) else []
            if stmt["Effect"] == "Allow" and self.principal in arns and (
                    ":user/" in self.principal or ":assumed-role/" in self.principal):
                out.append(self.match(stmt, with_principal=True))
        return out

    def entities(self) -> list[dict[str, Any]]:
        role = _role_of_session(self.principal)
        parents = [{"type": "IamPrincipal", "id": role}] if role else []
        entities: list[dict[str, Any]] = [{"uid": {"type": "IamPrincipal", "id": self.principal},
                                           "attrs": {}, "parents": parents}]
        if role:
            entities.append({"uid": {"type": "IamPrincipal", "id": role},
                             "attrs": {}, "parents": []})
        return entities


def translate(*, principal: str,
              identity: Sequence[PolicyDoc],
              resource: PolicyDoc | None = None,
              permissions_boundary: PolicyDoc | None = None,
              session: Sequence[PolicyDoc] = (),
              scps: Sequence[Sequence[PolicyDoc]] | None = None,
              rcps: Sequence[Sequence[PolicyDoc]] | None = None,
              resource_account: str | None = None) -> CedarTranslation:
    """Translate the policies that apply to requests by `principal` into one Cedar policy set."""
    account = _account_of(principal)
    if resource is not None and resource_account not in (None, account):
        raise UnsupportedPolicy("cross-account requests")
    translator = _Translator(principal)
    for index, doc in enumerate(identity):
        translator.grants(f"identity[{index}]", doc, with_principal=False)
    direct: list[str] = []
    if resource is not None:
        translator.grants("resource", resource, with_principal=True)
        direct = translator.direct_resource_grants(resource)
    if permissions_boundary is not None:
        translator.guard("boundary", [permissions_boundary], direct)
    if session:
        translator.guard("session", session, direct)
    for kind, levels in (("scp", scps), ("rcp", rcps)):
        for level_index, level in enumerate(levels or ()):
            translator.guard(f"{kind}[{level_index}]", level, [])
    return CedarTranslation(
        policies="\n".join(translator.policies) + "\n",
        entities=translator.entities(),
        key_types=dict(translator.key_types),
        principal=principal,
    )
