"""Lint rules: resources (`Resource` / `NotResource`), checked against the catalogue.

One module per concern, in the order their findings come: `arn_shape` (each entry's own
shape, against the catalogue's ARN templates), `action_fit` (the statement's actions
against its resources) and `redundant` (entries another entry already matches).
`_resource_part` decides what a resource part that fits no documented type is.
"""

from __future__ import annotations

from ...rules import Rule
from . import action_fit, arn_shape, redundant

RULES: tuple[Rule, ...] = (
    *arn_shape.RULES,
    *action_fit.RULES,
    *redundant.RULES,
)
