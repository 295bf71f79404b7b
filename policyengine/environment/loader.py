"""Read an environment file (JSON with locations, or YAML) into a plain value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import ScenarioError
from ..parsing import parse_json_with_locations

Locations = dict[tuple[str | int, ...], tuple[int, int]]


def load_environment_value(path: Path) -> tuple[Any, Locations | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read environment file `{path}`: {exc}", file=str(path)) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            return yaml.safe_load(text), None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ScenarioError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", file=str(path),
                                line=mark.line + 1 if mark else None,
                                column=mark.column + 1 if mark else None) from None
    value, locations = parse_json_with_locations(text, file=str(path))
    if not isinstance(value, dict):
        raise ScenarioError("an environment file holds one object (users, roles, functions, ...)",
                            file=str(path), line=1, column=1)
    return value, locations
