"""Every lint rule, in the order findings are produced (one module or package per rule family)."""

from __future__ import annotations

from ..rules import Rule
from . import actions, conditions, elements, principals, redundancy, resources, security, size, syntax

RULES: tuple[Rule, ...] = (
    *syntax.RULES,
    *elements.RULES,
    *principals.RULES,
    *actions.RULES,
    *resources.RULES,
    *conditions.RULES,
    *security.RULES,
    *size.RULES,
    *redundancy.RULES,
)
