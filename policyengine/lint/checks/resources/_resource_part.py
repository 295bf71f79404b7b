"""A resource part that fits no documented resource type: visibly malformed, or merely undocumented?

The resource part is compared with every resource type of the ARN's service (every
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
"""

from __future__ import annotations

import re
from typing import Any

from ... import patterns as pt
from ...catalogue import ResourceTypeInfo
from ...document import LintDocument
from .._catalogued import analyze_actions, has_wildcard, join_names
from ._shared import _Problem

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
        shapes = join_names(sorted({t.arn_template for t in same}, key=lambda t: (len(t), t)), 2)
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
        listed = f"its `{word}` ARNs as {join_names(sorted({t.arn_template for t in known}, key=lambda t: (len(t), t)), 2)}"
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
    owners = {t.service for t in doc.catalogue.resource_types_for_arn_service(problem.service, every_service=True)}
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
