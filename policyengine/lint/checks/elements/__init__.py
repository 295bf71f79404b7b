"""Lint rules: elements right for the policy type, Version, Sids, and empty lists and objects.

Parse errors (wrong JSON shapes) are the parser's, reported under `syntax` codes; the
rules here read the parsed model and, for shapes the model normalises away (`{}`,
`[]`, `""`), the raw JSON.

One module per concern, in the order their findings come: `policy_types` (`Principal`
and `Resource` per policy type), `resource_kinds` (actions and ARNs of the resource a
policy is attached to), `rcp` (the RCP grammar), `version` (`Version` and the
policy variables it enables), `sids` and `empty` (empty lists and objects).
"""

from __future__ import annotations

from ...rules import Rule
from . import empty, policy_types, rcp, resource_kinds, sids, version

RULES: tuple[Rule, ...] = (
    *policy_types.RULES,
    *resource_kinds.RULES,
    *rcp.RULES,
    *version.RULES,
    *sids.RULES,
    *empty.RULES,
)
