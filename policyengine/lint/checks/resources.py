"""Lint rules: resources (`Resource` / `NotResource`), checked against the catalogue.

Each entry is examined once (`_examine`, cached by text) and gets at most one finding
about its own shape, in this order: not an ARN (`INVALID_ARN_PREFIX`), too few fields
(`MISSING_ARN_FIELD`), a policy variable in the partition or service
(`UNSUPPORTED_VARIABLE_IN_ARN`), an unknown partition, a partial wildcard in the
service, the service's letter case, an unknown service, a resource part that fits no
resource type of the service (`INVALID_ARN_RESOURCE`), then the region and account
fields against the types whose resource part fits. `ACTION_RESOURCE_MISMATCH` then
compares the statement's actions with its resources.

Decisions (each made so that valid AWS policies are not reported):
- Policy variables stand for any text. AWS's own managed policies put
  `${aws:PrincipalAccount}` in the account field and `${aws:RequestedRegion}` in the
  region field, and IAM accepts them, so only variables in the partition or service
  field are reported.
- AWS publishes resources of its own with an empty or `aws` account
  (`arn:aws:ssm:us-east-1::document/AWS-RunShellScript`, `/aws/service/...` public
  parameters, `arn:aws:cloudformation:*:aws:transform/...`): an empty account fits a
  template's `${Account}`, and `MISSING_ARN_ACCOUNT` is reported only for services
  without Regions (IAM), where an empty account is always wrong. ARNs in the `aws`
  account are not matched against resource types (the reference omits many).
- A `*` alone in the service field (`arn:aws:*:*:111122223333:*`) is a deliberate "any
  service" pattern and is accepted; a partial wildcard (`s3*`) is an error.
- The resource part is compared with every resource type of the ARN's service (every
  ARN format AWS's Service Authorization Reference gives), case-insensitively, wildcards
  and variables standing for any text. That reference lags behind some services: AWS's
  own managed policies use real ARNs it omits (WAF `changetoken/*`, CloudFormation
  `transform/...`, Application Auto Scaling `scalingPolicy:...`, Q Developer `plugin/...`,
  API Gateway collections such as `/tags`), and at least once it gives the wrong shape
  (Pricing Plan Manager writes `subscription/${SubscriptionId}`, real ARNs read
  `subscription:sub_...`). So a resource part that fits no documented type is an ERROR
  (`INVALID_ARN_RESOURCE`) only when something besides the reference's silence shows that
  it matches nothing:
  - it is empty, or starts with `:` (an extra colon: no ARN's resource part does);
  - it starts with a documented type's word and separator (`stack/`, `listener/`) but
    does not fit that type's shape (a stack ARN without its ID, an ELB `listener/` without
    `app/`, `net/` or `gwy/`); for path-style services (API Gateway, Grafana) a path that
    is a documented one cut short (`/workspaces`, `/tags`) is a collection and exempt;
  - its type word is a documented one spelt with other separators (`endpointconfig`,
    `connector-profile`: `endpoint-config`, `connectorprofile`);
  - it has no type at all (a bare name such as `iotfleethub*`, or a path in a service
    whose ARNs never start with `/`), and putting the type word of one of the statement's
    own actions' resource types in front makes it fit (`/aws-glue/*` ->
    `log-group:/aws-glue/*`), unless the statement also names an action of that service
    the reference does not know, or one it documents without resource types (the
    reference is then visibly behind on that service).
  Anything else that fits no documented type is `UNDOCUMENTED_ARN_RESOURCE`, a warning: a
  well-formed ARN of a known service in a shape the reference does not list. Both skip
  `NotResource`, where AWS lists principal ARNs (`arn:aws:iam::*:root`) that are not
  resource types.
- `ACTION_RESOURCE_MISMATCH` (a warning) reports an action that none of its statement's
  resources fits, only when every action is known, every resource is a specific ARN,
  the action has resource types (IAM also matches some type-less actions against
  service-wide ARNs such as `arn:aws:s3:::*`), and no other Allow statement of the
  policy names the action. Several such actions of one statement make one finding.
- Regions are checked for shape only (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`),
  offline; accounts must be 12 digits, `aws`, or a literal of the service's template.
"""


from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from .. import patterns as pt
from ..catalogue import Catalogue, ResourceTypeInfo
from ..document import JsonPath, LintDocument
from ..finding import Finding, Severity
from ..rules import Rule
from ._common import example_policy as _policy
from ._catalogued import analyze_actions, analyze_pattern, entries, has_wildcard, join_names, per_document

PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})
_REGION = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$")
_ACCOUNT = re.compile(r"^\d{12}$")
_RESOURCE_ELEMENTS = ("Resource", "NotResource")
_FIT_CODES = ("INVALID_ARN_RESOURCE", "UNDOCUMENTED_ARN_RESOURCE")


@dataclass(frozen=True)
class _Problem:
    code: str
    message: str
    # UNDOCUMENTED_ARN_RESOURCE for a resource part with no type word: the statement's
    # actions may show which type it left out (see `_missing_type`)
    nameless: bool = False
    service: str = ""
    rest: str = ""


def _is_fixed(segment: str, variables: bool) -> bool:
    """No wildcard and no policy variable in the segment."""
    return not has_wildcard(segment) and not (variables and "${" in segment)


@lru_cache(maxsize=16384)
def _examine(resource: str, variables: bool, catalogue: Catalogue) -> _Problem | None:
    if not resource or set(resource) <= {"*", "?"}:
        return None
    if not resource.startswith("arn:"):
        if resource.startswith("${") or (resource.startswith("arn") and has_wildcard(resource[3:4])):
            return None
        return _Problem(
            "INVALID_ARN_PREFIX",
            f"`{resource}` is not an ARN: a resource is `*` or starts with `arn:` "
            "(e.g. `arn:aws:s3:::my-bucket/*`)",
        )
    segments = pt.split_arn(resource, variables)
    if segments is None:
        return _Problem(
            "MISSING_ARN_FIELD",
            f"`{resource}` has {len(pt._split_colons(resource, 5, variables))} of the 6 colon-separated ARN fields "
            "(`arn:partition:service:region:account:resource`)",
        )
    _, partition, service, region, account, _rest = segments
    if variables and ("${" in partition or "${" in service):
        return _Problem(
            "UNSUPPORTED_VARIABLE_IN_ARN",
            f"`{resource}` has a policy variable in its partition or service field, where IAM does "
            "not substitute it; write the partition and service out",
        )
    if _is_fixed(partition, variables) and partition not in PARTITIONS:
        return _Problem(
            "INVALID_PARTITION",
            f"`{partition}` in `{resource}` is not an AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...)",
        )
    if has_wildcard(service):
        if set(service) == {"*"}:
            return None
        return _Problem(
            "WILDCARD_IN_ARN_SERVICE",
            f"`{service}` in `{resource}` has a wildcard in the service field; write the service "
            "prefix out (`s3`, `dynamodb`, ...)",
        )
    if service != service.lower():
        return _Problem(
            "INVALID_ARN_SERVICE_CASE",
            f"the service field `{service}` of `{resource}` must be lower case (`{service.lower()}`): "
            "ARNs are case-sensitive and this one matches nothing",
        )
    types = catalogue.resource_types_for_arn_service(service)
    if not types:
        if catalogue.service_exists(service):
            return None  # a service with no resource types: nothing to compare with
        close = catalogue.suggest_service(service)
        hint = f"; did you mean `{close}`?" if close else ""
        return _Problem("INVALID_SERVICE", f"`{service}` in `{resource}` is not an AWS service{hint}")
    # Compare the region and account with the types whose resource part fits, so that
    # e.g. a DynamoDB table ARN is held to the table's template, not the global table's.
    rest_glob = pt.glob_tokens(_rest, variables=variables, fold_case=True)
    fitting = [t for t in types if t.glob_fits(5, rest_glob)]
    if not fitting and account == "aws":
        return None  # AWS-owned resources the reference does not always list (transforms, hubs)
    if not fitting:
        return _unfit(resource, service, _rest, tuple(types), variables)
    if region == "" and all(t.requires_region for t in fitting):
        return _Problem(
            "MISSING_ARN_REGION",
            f"`{resource}` has no Region, but {_kind(fitting, service)} ARNs always carry one; "
            "write it (e.g. `us-east-1`) or `*`",
        )
    if region and _is_fixed(region, variables) and not any(t.requires_region for t in fitting):
        return _Problem(
            "ARN_REGION_NOT_ALLOWED",
            f"`{resource}` has the Region `{region}`, but {_kind(fitting, service)} ARNs have none; "
            "leave the field empty (`::`)",
        )
    if account == "" and all(t.requires_account and not t.requires_region for t in fitting):
        return _Problem(
            "MISSING_ARN_ACCOUNT",
            f"`{resource}` has no account, but {_kind(fitting, service)} ARNs always carry one; "
            "write the 12-digit account ID or `*`",
        )
    if account and _is_fixed(account, variables) and not any(t.requires_account for t in fitting):
        return _Problem(
            "ARN_ACCOUNT_NOT_ALLOWED",
            f"`{resource}` has the account `{account}`, but {_kind(fitting, service)} ARNs have none; "
            "leave the field empty (`::`)",
        )
    if account and _is_fixed(account, variables) and not _ACCOUNT.match(account) and account != "aws":
        if not any(t.segment_fits(4, account, variables=variables) and pt.is_literal(pt.template_tokens(t.segments[4])) for t in types):
            return _Problem(
                "INVALID_ARN_ACCOUNT",
                f"the account `{account}` in `{resource}` is not a 12-digit account ID",
            )
    if region and _is_fixed(region, variables) and not _REGION.match(region):
        if not any(t.segments[3] == region for t in types):
            return _Problem(
                "INVALID_ARN_REGION",
                f"`{region}` in `{resource}` is not a Region name (such as `us-east-1`)",
            )
    if not any(t.matches(resource, variables=variables) for t in fitting):
        return _Problem(
            "INVALID_ARN_RESOURCE",
            f"`{resource}` fits no resource type of `{service}`: its Region or account field does "
            f"not fit {_kind(fitting, service)} ARNs (e.g. `{min((t.arn_template for t in fitting), key=len)}`)",
        )
    return None


# --- a resource part that fits no documented type ---------------------------------------

_SEPARATORS = "/:"


def _lead(rest: str) -> tuple[str, str]:
    """(type word, separator) at the start of a resource part: `stack/x` -> (`stack`, `/`),
    `log-group:x` -> (`log-group`, `:`); a path-style part gives its first segment with its
    slash: `/workspaces/x` -> (`/workspaces`, `/`). The separator is `` when none follows."""
    if rest.startswith("/"):
        match = re.match(r"(/[^/]*)(/?)", rest)
    else:
        match = re.match(r"([^/:]*)([/:]?)", rest)
    assert match is not None
    return match.group(1), match.group(2)


def _type_leads(types: tuple[ResourceTypeInfo, ...]) -> dict[tuple[str, str], ResourceTypeInfo]:
    """(lower-case type word, separator) -> a type whose ARNs start with them, for types
    whose resource part starts with a literal word (not with a placeholder)."""
    leads: dict[tuple[str, str], ResourceTypeInfo] = {}
    for rtype in types:
        word, sep = _lead(rtype.segments[5])
        if word.strip("/") and "${" not in word and (sep or rtype.segments[5] == word):
            leads.setdefault((word.lower(), sep), rtype)
    return leads


def _normalized(word: str) -> str:
    return re.sub(r"[-_.]", "", word.lower())


def _literal_word(word: str, variables: bool) -> bool:
    return bool(word.strip("/")) and not has_wildcard(word) and not (variables and "${" in word)


def _unfit(resource: str, service: str, rest: str, types: tuple[ResourceTypeInfo, ...], variables: bool) -> _Problem:
    """The finding for a resource part that fits none of `types` (see the module docstring)."""
    names = join_names(sorted({t.key for t in types}), 4)
    example = min((t.arn_template for t in types), key=len)
    if not rest:
        return _Problem(
            "INVALID_ARN_RESOURCE",
            f"`{resource}` has an empty resource part, so it matches nothing; `{service}` ARNs "
            f"name a resource after the account ({names}, e.g. `{example}`)",
        )
    if rest.startswith(":"):
        return _Problem(
            "INVALID_ARN_RESOURCE",
            f"the resource part `{rest}` of `{resource}` starts with `:` (an extra colon?), which "
            f"no ARN's does, so it matches nothing; `{service}` ARNs look like `{example}`",
        )
    leads = _type_leads(types)
    word, sep = _lead(rest)
    literal = _literal_word(word, variables)
    path_style = any(t.segments[5].startswith("/") for t in types)
    known_word = literal and any(w == word.lower() for w, _ in leads)
    if known_word and ((word.lower(), sep) in leads or rest == word):
        # a documented type's word and separator (or the bare word), in a shape that type lacks
        collection = pt.glob_tokens(rest.rstrip("/") + "/*", variables=variables, fold_case=True)
        if rest.startswith("/") and any(t.glob_fits(5, collection) for t in types):
            return _Problem(
                "UNDOCUMENTED_ARN_RESOURCE",
                f"`{resource}` is a collection path the reference does not list for `{service}` "
                f"(it lists `{rest.rstrip('/')}/...`); path-style services authorize some requests on such "
                "paths, so check it against the service's documentation",
            )
        same = [t for t in types if _lead(t.segments[5])[0].lower() == word.lower()]
        shapes = join_names(sorted({t.arn_template for t in same}, key=len), 2)
        return _Problem(
            "INVALID_ARN_RESOURCE",
            f"`{resource}` starts like an ARN of `{service}` {join_names(sorted({t.key for t in same}), 3)} "
            f"but fits none of their shapes ({shapes}), so it matches nothing",
        )
    if literal:
        close = sorted({_lead(t.segments[5])[0] for (w, _), t in leads.items()
                        if w != word.lower() and _normalized(w) == _normalized(word)})
        if close:
            return _Problem(
                "INVALID_ARN_RESOURCE",
                f"`{word}` in `{resource}` is not a resource type of `{service}`; did you mean "
                f"`{close[0]}`? As written the ARN matches nothing",
            )
    known = [t for t in types if known_word and _lead(t.segments[5])[0].lower() == word.lower()]
    if known:  # the word of a documented type, another separator (`subscription:` for `subscription/`)
        listed = f"its `{word}` ARNs as {join_names(sorted({t.arn_template for t in known}, key=len), 2)}"
    else:
        listed = f"no such type ({names}, e.g. `{example}`)"
    bare = _strip_variables(rest, variables)
    nameless = not path_style and (rest.startswith("/") or not any(c in bare for c in _SEPARATORS))
    return _Problem(
        "UNDOCUMENTED_ARN_RESOURCE",
        f"`{resource}` fits no resource type of `{service}`: AWS's Service Authorization Reference lists "
        f"{listed}. The reference lags behind some services, so this may be valid: check the ARN "
        "against the service's documentation",
        nameless=nameless, service=service, rest=rest,
    )


def _strip_variables(text: str, variables: bool) -> str:
    return re.sub(r"\$\{[^}]*\}", "x", text) if variables else text


def _missing_type(doc: LintDocument, statement: Any, resource: str, problem: _Problem) -> _Problem | None:
    """INVALID_ARN_RESOURCE for a nameless resource part that fits one of the statement's
    own actions' resource types once that type's word is put in front (see the module
    docstring), else None."""
    analysis = analyze_actions(doc, statement)
    if analysis is None:
        return None
    owners = {t.service for t in doc.catalogue.resource_types_for_arn_service(problem.service)}
    for result in analysis.results:
        if result.service not in owners:
            continue
        if result.status in ("unknown_action", "no_match"):
            return None  # the reference does not know this service's actions either
        if result.status == "ok" and not has_wildcard(result.pattern) and not any(
            t.arn_service.lower() == problem.service for a in result.actions for t, _ in a.resource_types
        ):
            return None  # an action named outright whose resources the reference does not give
    variables = doc.policy.variables_enabled
    candidates: dict[str, ResourceTypeInfo] = {}
    for action in analysis.actions:
        for rtype, _ in action.resource_types:
            if rtype.arn_service.lower() != problem.service:
                continue
            word, sep = _lead(rtype.segments[5])
            if not sep or "${" in word or word.startswith("/"):
                continue
            lead = word + sep
            if lead.endswith("/") and problem.rest.startswith("/"):
                continue  # `workspace//workspaces`: not a name the type left out
            if rtype.glob_fits(5, pt.glob_tokens(lead + problem.rest, variables=variables, fold_case=True)):
                best = candidates.get(lead)
                if best is None or len(rtype.arn_template) < len(best.arn_template):
                    candidates[lead] = rtype
    if not candidates:
        return None
    lead, rtype = next(iter(candidates.items()))
    fixed = resource[: len(resource) - len(problem.rest)] + lead + problem.rest
    others = [k for k in candidates if k != lead]
    also = f" (or {join_names(others, 2)} in front)" if others else ""
    return _Problem(
        "INVALID_ARN_RESOURCE",
        f"`{resource}` names no resource type, so it matches nothing: `{problem.service}` ARNs start with "
        f"one, and this statement's actions act on `{rtype.key}` (`{rtype.arn_template}`); did you mean "
        f"`{fixed}`{also}?",
    )


def _kind(types: list[ResourceTypeInfo], service: str) -> str:
    keys = sorted({t.key for t in types})
    return f"`{service}` {join_names(keys, 2)}" if len(keys) <= 2 else f"`{service}`"


def _problems(doc: LintDocument) -> dict[str, list[tuple[JsonPath, str]]]:
    """Code -> (path, message) of every structural problem of the document's resources."""
    variables = doc.policy.variables_enabled
    catalogue = doc.catalogue
    found: dict[str, list[tuple[JsonPath, str]]] = {}
    for path, statement, raw in doc.statements():
        for element in _RESOURCE_ELEMENTS:
            for entry_path, value in entries(path, raw, element):
                if not isinstance(value, str):
                    continue
                problem = _examine(value, variables, catalogue)
                if problem is None:
                    continue
                if problem.code in _FIT_CODES and element == "NotResource":
                    continue  # principal ARNs such as `arn:aws:iam::*:root` appear there
                if problem.nameless:
                    problem = _missing_type(doc, statement, value, problem) or problem
                found.setdefault(problem.code, []).append((entry_path, problem.message))
    return found


def _structural(code: str):
    def check(doc: LintDocument) -> Iterable[Finding]:
        for path, message in per_document(doc, "resource_problems", _problems).get(code, ()):
            yield doc.finding(code, path, message)

    check.__name__ = f"check_{code.lower()}"
    return check


# --- fit with the statement's actions --------------------------------------------------


def check_action_resource_mismatch(doc: LintDocument) -> Iterable[Finding]:
    variables = doc.policy.variables_enabled
    catalogue = doc.catalogue
    for path, statement, raw in doc.statements():
        if statement.effect != "Allow" or not statement.resource or statement.not_resource is not None:
            continue
        resources = [r for r in statement.resource if isinstance(r, str)]
        if len(resources) != len(statement.resource):
            continue
        parsed = []
        for value in resources:
            segments = pt.split_arn(value, variables)
            if segments is None or has_wildcard(segments[2]) or (variables and "${" in segments[2]):
                break  # `*`, a non-ARN or an any-service ARN may fit anything
            if _examine(value, variables, catalogue) is not None or segments[4] == "aws":
                break  # reported by the structural rules, or an AWS-owned resource
            parsed.append(value)
        else:
            analysis = analyze_actions(doc, statement)
            if analysis is None or not analysis.all_known or analysis.unbounded:
                continue
            never: list[tuple[JsonPath, Any]] = []
            for entry_path, pattern in entries(path, raw, "Action"):
                if not isinstance(pattern, str) or has_wildcard(pattern):
                    continue
                action = analysis_for(pattern, catalogue)
                if action is None or not _never_granted(action, parsed, variables):
                    continue
                if not _allowed_elsewhere(doc, statement, pattern.lower()):
                    never.append((entry_path, action))
            if len(never) == 1:
                entry_path, action = never[0]
                yield doc.finding("ACTION_RESOURCE_MISMATCH", entry_path, _mismatch(action, parsed))
            elif never:
                names = [a.full_name for _, a in never]
                yield doc.finding(
                    "ACTION_RESOURCE_MISMATCH", path + ("Action",),
                    f"{len(names)} actions of this statement ({join_names(names, 4)}) act on none of its "
                    f"resources ({join_names(parsed, 2)}), so it never allows them; move them to a "
                    "statement with resources of their types",
                    actions=names,
                )


def _allowed_elsewhere(doc: LintDocument, statement: Any, action: str) -> bool:
    """Another Allow statement of the policy names the action (or a pattern covering it)."""
    for other in doc.policy.statements:
        if other is statement or other.effect != "Allow" or other.action is None:
            continue
        for pattern in other.action:
            if isinstance(pattern, str) and pt.covers(pt.glob_tokens(pattern.lower(), variables=False), pt.glob_tokens(action, variables=False)):
                return True
    return False


def analysis_for(pattern: str, catalogue: Catalogue) -> Any:
    """The one action a literal pattern names, or None."""
    result = analyze_pattern(pattern, catalogue)
    return result.actions[0] if result.status == "ok" and len(result.actions) == 1 else None


def _never_granted(action: Any, resources: list[str], variables: bool) -> bool:
    """None of `resources` fits a resource type of `action` (which has some)."""
    types = [t for t, _ in action.resource_types]
    if not types:
        # Granted on `*` in principle, but IAM also matches some such actions against
        # service-wide ARNs (`s3:ListAllMyBuckets` on `arn:aws:s3:::*`): not reported.
        return False
    return not any(t.matches(r, variables=variables) for t in types for r in resources)


def _mismatch(action: Any, resources: list[str]) -> str:
    types = [t for t, _ in action.resource_types]
    example = min((t.arn_template for t in types), key=len)
    return (
        f"`{action.full_name}` acts on {join_names(sorted({t.key for t in types}), 4)} "
        f"(e.g. `{example}`), but no resource of this statement ({join_names(resources, 2)}) is one, "
        "so it is never allowed here"
    )


# --- redundancy ------------------------------------------------------------------------


def check_redundant(doc: LintDocument) -> Iterable[Finding]:
    variables = doc.policy.variables_enabled
    for path, _, raw in doc.statements():
        for element in _RESOURCE_ELEMENTS:
            items = [(p, v) for p, v in entries(path, raw, element) if isinstance(v, str)]
            if len(items) < 2:
                continue
            wild = [(j, v) for j, (_, v) in enumerate(items) if has_wildcard(v) and not (variables and "${" in v)]
            first_seen: dict[str, int] = {}
            for i, (entry_path, value) in enumerate(items):
                cover = None
                earlier = first_seen.setdefault(value, i)
                if earlier != i:
                    yield doc.finding(
                        "REDUNDANT_RESOURCE", entry_path, f"`{value}` is listed twice in this statement; remove it",
                    )
                    continue
                if not (variables and "${" in value):
                    for j, other in wild:
                        if other == value:
                            continue
                        if pt.pattern_covers(other, value, variables=variables) and not (
                            j > i and pt.pattern_covers(value, other, variables=variables)
                        ):
                            cover = other
                            break
                if cover is not None:
                    yield doc.finding(
                        "REDUNDANT_RESOURCE", entry_path,
                        f"`{value}` is already matched by `{cover}` in this statement; remove it",
                    )


def _s3(resource: Any, action: Any = "s3:GetObject") -> dict[str, Any]:
    return _policy({"Effect": "Allow", "Action": action, "Resource": resource})


def _rule(code: str, severity: Severity, summary: str, learn_more: str, example: Any, near_miss: Any,
          access_analyzer: bool = True) -> Rule:
    return Rule(
        code=code, severity=severity, summary=summary, learn_more=learn_more, check=_structural(code),
        access_analyzer=access_analyzer, example=example, near_miss=near_miss,
    )


RULES: tuple[Rule, ...] = (
    _rule(
        "INVALID_ARN_PREFIX", Severity.ERROR,
        "A resource that is neither `*` nor an ARN.",
        "Resources are ARNs (`arn:partition:service:region:account:resource`) or `*`; a bare name "
        "such as a bucket name matches nothing.",
        _s3("my-bucket/*"), _s3("arn:aws:s3:::my-bucket/*"),
    ),
    _rule(
        "MISSING_ARN_FIELD", Severity.ERROR,
        "An ARN with fewer than six colon-separated fields.",
        "An ARN has six fields, `arn:partition:service:region:account:resource`, some of them "
        "possibly empty (`arn:aws:s3:::bucket`). A pattern may stop early only after a `*`.",
        _s3("arn:aws:s3:my-bucket"), _s3("arn:aws:s3:*"),
    ),
    _rule(
        "UNSUPPORTED_VARIABLE_IN_ARN", Severity.ERROR,
        "A policy variable in the partition or service field of an ARN.",
        "IAM substitutes policy variables in the region, account and resource fields of an ARN, "
        "not in its partition or service.",
        _s3("arn:aws:${aws:PrincipalTag/service}:::b/*"), _s3("arn:aws:s3:::b/${aws:username}/*"),
        access_analyzer=False,
    ),
    _rule(
        "INVALID_PARTITION", Severity.ERROR,
        "An ARN whose partition is not an AWS partition.",
        "The partition is `aws`, `aws-cn`, `aws-us-gov` (or an isolated partition); `*` matches "
        "them all.",
        _s3("arn:amazon:s3:::b/*"), _s3("arn:aws-cn:s3:::b/*"),
    ),
    _rule(
        "WILDCARD_IN_ARN_SERVICE", Severity.ERROR,
        "A partial wildcard in the service field of an ARN (`arn:aws:s3*:::b`).",
        "The service field names one service; a partial wildcard there is almost always a typo. "
        "Write the prefix out, or `*` alone for any service.",
        _s3("arn:aws:s3*:::b/*"), _s3("arn:aws:*:*:111122223333:*"), access_analyzer=False,
    ),
    _rule(
        "INVALID_ARN_SERVICE_CASE", Severity.ERROR,
        "An ARN whose service field is not lower case.",
        "ARNs are case-sensitive and service prefixes are lower case, so `arn:aws:S3:::b` matches "
        "nothing.",
        _s3("arn:aws:S3:::b/*"), _s3("arn:aws:s3:::B/*"),
    ),
    _rule(
        "INVALID_SERVICE", Severity.ERROR,
        "An ARN whose service field is not an AWS service.",
        "The third field of an ARN names the service (`s3`, `iam`, `dynamodb`); an unknown one "
        "matches nothing. The message suggests the closest service.",
        _s3("arn:aws:s4:::b/*"), _s3("arn:aws:s3:::b/*"),
    ),
    _rule(
        "MISSING_ARN_REGION", Severity.ERROR,
        "An ARN without a Region for a service whose ARNs always have one.",
        "Regional resources have the Region in the fourth field; leaving it empty matches nothing. "
        "Write the Region or `*`.",
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb::111122223333:table/t"}),
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:*:111122223333:table/t"}),
    ),
    _rule(
        "ARN_REGION_NOT_ALLOWED", Severity.ERROR,
        "An ARN with a Region for a service whose ARNs have none (IAM, S3 buckets).",
        "Global resources have an empty Region field; an ARN with a Region there matches nothing.",
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam:us-east-1:111122223333:role/r"}),
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::111122223333:role/r"}),
    ),
    _rule(
        "MISSING_ARN_ACCOUNT", Severity.ERROR,
        "An ARN without an account for a service whose ARNs always have one.",
        "Most resources have the owning account in the fifth field; leaving it empty matches "
        "nothing. Write the 12-digit account ID or `*`.",
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam:::role/r"}),
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::*:role/r"}),
    ),
    _rule(
        "ARN_ACCOUNT_NOT_ALLOWED", Severity.ERROR,
        "An ARN with an account for a service whose ARNs have none (S3 buckets and objects).",
        "S3 bucket and object ARNs have empty Region and account fields (`arn:aws:s3:::bucket`); "
        "with an account the ARN matches nothing.",
        _s3("arn:aws:s3::111122223333:b/*"), _s3("arn:aws:s3:::b/*"),
    ),
    _rule(
        "INVALID_ARN_ACCOUNT", Severity.ERROR,
        "An ARN whose account field is not a 12-digit account ID.",
        "The account field holds a 12-digit ID (or a wildcard or variable); anything else matches "
        "nothing.",
        _policy({"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::1234:role/r"}),
        _policy({"Effect": "Allow", "Action": "iam:GetPolicy", "Resource": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
    ),
    _rule(
        "INVALID_ARN_REGION", Severity.ERROR,
        "An ARN whose Region field is not a Region name.",
        "Region names look like `us-east-1` or `eu-west-3`; the check is offline, so it tests the "
        "shape of the name, not that AWS has opened the Region.",
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east:111122223333:table/t"}),
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/t"}),
    ),
    _rule(
        "INVALID_ARN_RESOURCE", Severity.ERROR,
        "An ARN that fits no resource type of its service and is visibly malformed.",
        "Each service defines the shapes of its ARNs (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`); "
        "an ARN of another shape matches nothing. Reported when the resource part is empty or starts "
        "with `:`, starts with a documented type but breaks its shape (a CloudFormation `stack/NAME` "
        "without its ID), misspells a type (`endpointconfig`), or leaves out the type that the "
        "statement's actions act on (`/aws/lambda/*` for `log-group:/aws/lambda/*`). Wildcards and "
        "policy variables stand for any text and letter case is ignored, so only clear mistakes are "
        "reported; other shapes the reference does not list are `UNDOCUMENTED_ARN_RESOURCE`.",
        _s3("arn:aws:logs:*:*:/aws/lambda/*", "logs:CreateLogStream"),
        _s3("arn:aws:logs:*:*:log-group:/aws/lambda/*", "logs:CreateLogStream"),
    ),
    _rule(
        "UNDOCUMENTED_ARN_RESOURCE", Severity.WARNING,
        "A well-formed ARN of a known service in a shape AWS's reference does not list.",
        "AWS's Service Authorization Reference, from which resource types come, lags behind some "
        "services: AWS's own policies use ARNs it omits (WAF `changetoken/*`, CloudFormation "
        "`transform/...`, Application Auto Scaling `scalingPolicy:...`). Such an ARN may be valid, or "
        "may match nothing; check it against the service's documentation, and suppress the warning "
        "once it is confirmed.",
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem",
                 "Resource": "arn:aws:dynamodb:us-east-1:111122223333:tablespace/Orders"}),
        _policy({"Effect": "Allow", "Action": "dynamodb:GetItem",
                 "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders"}),
        access_analyzer=False,
    ),
    Rule(
        code="ACTION_RESOURCE_MISMATCH",
        severity=Severity.WARNING,
        summary="An action that no resource of its statement fits, so the statement never allows it.",
        learn_more="Each action acts on certain resource types (`s3:GetObject` on objects, "
        "`s3:ListBucket` on buckets); when none of the statement's resources is of such a type the "
        "action is never allowed. Reported only for Allow statements whose actions are all known and "
        "whose resources are all specific ARNs, and not for actions without resource types.",
        check=check_action_resource_mismatch,
        example=_s3("arn:aws:s3:::my-bucket"),
        near_miss=_s3(["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"], ["s3:GetObject", "s3:ListBucket"]),
    ),
    Rule(
        code="REDUNDANT_RESOURCE",
        severity=Severity.SUGGESTION,
        summary="A resource already matched by another entry of the same statement.",
        learn_more="A wildcard ARN such as `arn:aws:s3:::b/*` already matches `arn:aws:s3:::b/key`, and "
        "repeated entries add nothing; removing them keeps the policy short.",
        check=check_redundant,
        access_analyzer=True,
        example=_s3(["arn:aws:s3:::b/*", "arn:aws:s3:::b/reports/x.csv"]),
        near_miss=_s3(["arn:aws:s3:::b/*", "arn:aws:s3:::c/reports/x.csv"]),
    ),
)
