"""Every lint rule, in the order findings are produced (one module per rule family)."""

from __future__ import annotations

from ..rules import Rule

RULES: tuple[Rule, ...] = ()
