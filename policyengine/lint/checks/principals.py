"""Lint rules: principals (being written)."""

from __future__ import annotations

from ..rules import Rule

RULES: tuple[Rule, ...] = ()
