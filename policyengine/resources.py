"""Package data: the lark grammars, shipped in the wheel as `policyengine/grammars`.

In a source checkout (editable install) they sit in the top-level `grammars/` folder.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def grammar_text(name: str) -> str:
    """Text of `grammars/<name>`, from the installed package or the source tree."""
    packaged = resources.files("policyengine") / "grammars" / name
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source_tree = Path(__file__).resolve().parent.parent / "grammars" / name
    return source_tree.read_text(encoding="utf-8")
