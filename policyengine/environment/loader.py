"""Read an environment file (JSON or YAML, both with locations) into a plain value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import PolicyEngineError
from ..parsing import parse_json_with_locations
from ..parsing.source import decode_bytes
from ..parsing.yaml_guard import safe_load_yaml
from ..limits import DEFAULT_LIMITS, Limits, error_class_like, read_capped
from .errors import EnvironmentError

Locations = dict[tuple[str | int, ...], tuple[int, int]]


def load_environment_value(path: Path, limits: Limits | None = None) -> tuple[Any, Locations | None]:
    """The file's value and node locations; size and nesting capped by `limits` (max_file_bytes,
    max_depth, max_yaml_depth, max_yaml_nodes)."""
    limits = DEFAULT_LIMITS if limits is None else limits
    try:
        data = read_capped(path, limits, error=EnvironmentError)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise EnvironmentError(f"cannot read environment file `{path}`: {reason}", file=str(path)) from None
    try:
        text = decode_bytes(data, file=str(path))
    except PolicyEngineError as exc:  # not UTF-8: located at the first bad byte
        raise EnvironmentError(f"cannot read environment file `{path}`: {exc.message}", file=str(path),
                               line=exc.line, column=exc.column, help=exc.help) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        value, locations = _load_yaml(text, str(path), limits)
    else:
        try:
            value, locations = parse_json_with_locations(text, file=str(path), limits=limits)
        except PolicyEngineError as exc:
            raise error_class_like(exc, EnvironmentError)(f"invalid JSON: {exc.message}", file=str(path), line=exc.line,
                      column=exc.column, path=exc.path, help=exc.help) from None
    if not isinstance(value, dict):
        raise EnvironmentError("an environment file holds one object (users, roles, functions, ...)",
                               file=str(path), line=1, column=1)
    return value, locations


def _load_yaml(text: str, file: str, limits: Limits) -> tuple[Any, Locations]:
    value = safe_load_yaml(text, file=file, error=EnvironmentError, limits=limits)  # depth, nodes, digits
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    locations: Locations = {}
    if node is not None:
        _walk_yaml(node, (), locations)
    return value, locations


def _walk_yaml(node: yaml.Node, path: tuple[str | int, ...], out: Locations) -> None:
    """Record the 1-based position of every mapping key and sequence item, as the JSON reader does."""
    if isinstance(node, yaml.MappingNode):
        for key, child in node.value:
            here = path + (key.value,)
            out[here] = (key.start_mark.line + 1, key.start_mark.column + 1)
            _walk_yaml(child, here, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            here = path + (i,)
            out[here] = (child.start_mark.line + 1, child.start_mark.column + 1)
            _walk_yaml(child, here, out)
