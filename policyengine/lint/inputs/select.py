"""`--select JMESPATH`: the user's way to lint documents in a shape we do not recognise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jmespath
import jmespath.exceptions

from ...errors import JsonPath, PolicyEngineError, format_path
from .documents import Found, is_policy, is_policy_text
from .shapes import recognise
from .targets import InputError, NoPolicyFoundError

if TYPE_CHECKING:
    from .files import Loaded

__all__ = ["SELECT_PATH", "compile_select", "selected"]

SELECT_PATH = "<select>"


def compile_select(text: str) -> Any:
    """The compiled expression; `InputError` (`INVALID_ARGUMENT`) when it is not JMESPath."""
    try:
        return jmespath.compile(text)
    except jmespath.exceptions.JMESPathError as exc:
        raise InputError(f"`{text}` is not a JMESPath expression: {exc}",
                         code="INVALID_ARGUMENT") from None


def selected(loaded: Loaded, expression: Any, text: str) -> list[Found]:
    """The documents `expression` picks from the file, in place of shape recognition.

    Every result of the expression (lists are flattened) that is a policy (an object with
    `Statement`, or JSON text of one) is a document; a document the file's shape also names
    keeps that shape's type and label. JMESPath returns the file's own objects for field,
    index, slice, projection and filter expressions, so the document path is found by
    identity; for results the expression built (multiselect, functions) it is unknown and the
    path is `("<select>", n)`, n being the result's position, and the label says so.
    """
    try:
        result = expression.search(loaded.value)
    except jmespath.exceptions.JMESPathError as exc:
        raise InputError(f"--select `{text}` failed on this file: {exc}", file=loaded.file,
                         code="INVALID_ARGUMENT") from None
    results: list[Any] = []
    _flatten(result, results)
    policies = [r for r in results if is_policy(r) or is_policy_text(r)]
    if not policies:
        where = loaded.locations.get(()) or (1, 1)
        raise NoPolicyFoundError(f"--select `{text}` found no policy document in this file",
                                 file=loaded.file, line=where[0], column=where[1])
    paths = _paths_by_identity(loaded.value, policies)
    known: dict[JsonPath, Found] = {}
    try:
        known = {f.path: f for f in recognise(loaded)}
    except PolicyEngineError:
        pass
    found = []
    for index, policy in enumerate(policies):
        path = paths.get(id(policy))
        if path is None:
            found.append(Found((SELECT_PATH, index), policy, None, "--select",
                               None, f"--select result {index} (its place in the file is unknown)",
                               "select", {}))
            continue
        shape = known.get(path)
        if shape is not None:
            found.append(Found(path, policy, shape.policy_type, shape.reason, shape.kind,
                               shape.label, "select"))
        else:
            found.append(Found(path, policy, None, "--select", None,
                               f"--select {format_path(path)}", "select"))
    return found


def _flatten(value: Any, out: list[Any]) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif item is not None:
            out.append(item)


def _paths_by_identity(root: Any, wanted: list[Any]) -> dict[int, JsonPath]:
    ids = {id(w) for w in wanted}
    paths: dict[int, JsonPath] = {}
    stack: list[tuple[Any, JsonPath]] = [(root, ())]
    while stack and len(paths) < len(ids):
        node, path = stack.pop()
        if id(node) in ids and id(node) not in paths:
            paths[id(node)] = path
        if isinstance(node, dict):
            stack.extend((child, path + (key,)) for key, child in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((child, path + (i,)) for i, child in reversed(list(enumerate(node))))
    return paths
