"""Shared readers for AWS outputs: policy documents as AWS returns them, tags, located errors."""

from __future__ import annotations

import urllib.parse
from typing import Any, Mapping, Sequence

from ...errors import PolicyEngineError
from ...parsing import parse_json
from ..errors import EnvironmentError

Path_ = tuple[str | int, ...]


def document(value: Any, path: Path_) -> dict[str, Any]:
    """A policy document as the API returns it: a dict (the CLI decodes it), JSON text, or
    URL-encoded JSON text (the raw IAM API)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("%7B") or text.startswith("%7b") or (not text.startswith("{") and "%" in text):
            text = urllib.parse.unquote(text)
        try:
            parsed = parse_json(text)
        except PolicyEngineError as exc:
            raise EnvironmentError(f"invalid policy JSON at `{_label(path)}`: {exc.message}", path=path) from None
        if isinstance(parsed, dict):
            return parsed
    raise EnvironmentError(f"expected a policy document at `{_label(path)}`", path=path)


def tags(value: Any, path: Path_) -> dict[str, str]:
    """`[{"Key": k, "Value": v}, ...]` (IAM) or `{k: v}` (Lambda) -> `{k: v}`."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    out: dict[str, str] = {}
    for i, tag in enumerate(value):
        if not isinstance(tag, Mapping) or "Key" not in tag:
            raise EnvironmentError(f"expected `{{\"Key\": ..., \"Value\": ...}}` at `{_label(path + (i,))}`",
                                   path=path + (i,))
        out[str(tag["Key"])] = str(tag.get("Value", ""))
    return out


def required(record: Mapping[str, Any], key: str, path: Path_) -> Any:
    if not isinstance(record, Mapping):
        raise EnvironmentError(f"expected an object at `{_label(path)}`", path=path)
    if key not in record:
        raise EnvironmentError(f"`{key}` is missing at `{_label(path)}`", path=path + (key,))
    return record[key]


def items(record: Mapping[str, Any], key: str) -> Sequence[Any]:
    value = record.get(key)
    return value if isinstance(value, list) else []


def _label(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"
