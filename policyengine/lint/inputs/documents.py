"""What every shape recogniser hands back (`Found`) and the tests they share for "is this a
policy?", kept apart so that the shape modules share them without depending on each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ...errors import JsonPath, PolicyEngineError
from ...parsing import parse_json
from ...parsing.source import is_url_encoded, policy_text

__all__ = [
    "Found",
    "Locations",
    "as_document",
    "is_document",
    "is_document_text",
    "is_policy",
    "is_policy_text",
    "items",
    "located",
    "reroot",
]

Locations = dict[JsonPath, tuple[int, int]]


@dataclass
class Found:
    """A document recognised in a file, before its positions and type are settled."""

    path: JsonPath
    value: Any
    policy_type: str | None
    reason: str
    kind: str | None
    label: str
    origin: str
    # Positions relative to the document, when the recogniser computed them itself.
    locations: Locations | None = None
    # Intrinsic functions already made lintable (CloudFormation recognisers do it).
    normalized: bool = False
    # The file the document is in, when it is not the input's own (a policy file an
    # environment file names); its `locations` are then that file's.
    file: str | None = None


def is_policy(value: Any) -> bool:
    return isinstance(value, dict) and "Statement" in value


def is_policy_text(value: Any) -> bool:
    if not isinstance(value, str) or ("Statement" not in value and not is_url_encoded(value)):
        return False
    document = as_document(value)
    return document is not None and "Statement" in document


def is_document(value: Any) -> bool:
    """A policy as an object or as text (of any content: the parser will judge it)."""
    return isinstance(value, dict) or (isinstance(value, str) and bool(value.strip()))


def is_document_text(value: Any) -> bool:
    """Text that can only be meant as a policy: JSON object text or URL-encoded text."""
    return isinstance(value, str) and (value.lstrip()[:1] == "{" or is_url_encoded(value))


def as_document(value: Any) -> dict[str, Any] | None:
    """`value` as a JSON object: itself, or the object its (maybe URL-encoded) text holds."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = parse_json(policy_text(str(value)))
        except PolicyEngineError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The objects of a list, with their indexes; nothing when `value` is not a list."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def reroot(value: Any, locations: Locations, prefix: JsonPath) -> Locations:
    """The file positions of the nodes of `value`, which sits at `prefix` in the file."""
    if not prefix:
        return locations
    out: Locations = {}
    size = len(prefix)
    stack: list[tuple[Any, JsonPath]] = [(value, prefix)]
    while stack:
        node, path = stack.pop()
        where = locations.get(path)
        if where is not None:
            out[path[size:]] = where
        if isinstance(node, dict):
            stack.extend((child, path + (key,)) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, path + (index,)) for index, child in enumerate(node))
    return out


def located(value: Any, locations: Locations, path: JsonPath) -> Locations | None:
    """The positions of `value`, found at `path`: a document stored as text has only its own.

    Positions inside a string are not positions in the file, so text is located as a whole
    (under `()`).
    """
    if isinstance(value, str):
        where = locations.get(path)
        return {(): where} if where else None
    return reroot(value, locations, path)
