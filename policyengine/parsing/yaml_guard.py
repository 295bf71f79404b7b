"""Guarded `yaml.safe_load` for scenario and environment files.

PyYAML builds values recursively, so a deeply nested document exhausts Python's stack
(`RecursionError`), and a plain integer longer than `sys.get_int_max_str_digits()` makes
it raise `ValueError`. Before loading, one pass over the event stream (no recursion)
refuses nesting deeper than `Limits.max_yaml_depth`, more nodes than `Limits.max_yaml_nodes`
(every alias expansion counted, which defeats "billion laughs" files: PyYAML shares the
anchored object, but every later walk over the value visits each expansion) and integers
with too many digits, each with the line and column where it happens; anything PyYAML still
raises becomes the caller's error class, located where PyYAML says.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import yaml

from ..errors import PolicyEngineError
from ..limits import DEFAULT_LIMITS, Limits, limit_error_class

# Deeper than any scenario or environment needs, and well inside PyYAML's recursion.
MAX_YAML_DEPTH = DEFAULT_LIMITS.max_yaml_depth

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INTEGER = re.compile(r"[-+]?[0-9][0-9_]*")


def _at(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML mark; the start of the text when there is none."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def safe_load_yaml(text: str, *, file: str, error: type[PolicyEngineError],
                   limits: Limits = DEFAULT_LIMITS) -> Any:
    """`yaml.safe_load(text)`, raising only `error` (located) for text it cannot read.

    Nesting deeper than `limits.max_yaml_depth`, more than `limits.max_yaml_nodes` nodes and
    over-long integers raise a subclass of both `error` and `LimitExceededError` (code
    `LIMIT_EXCEEDED`).
    """
    digits = sys.get_int_max_str_digits() or None
    too_much = limit_error_class(error)

    def refuse(message: str, event: Any) -> PolicyEngineError:
        line, column = _at(event.start_mark)
        return too_much(f"invalid YAML: {message}", file=file, line=line, column=column)

    try:
        open_nodes: list[tuple[str | None, int]] = []  # (anchor, nodes counted before it)
        sizes: dict[str, int] = {}  # anchor -> nodes its value expands to
        nodes = 0
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                open_nodes.append((event.anchor, nodes))
                nodes += 1
                if len(open_nodes) > limits.max_yaml_depth:
                    raise refuse(f"nesting deeper than {limits.max_yaml_depth} levels (max_yaml_depth)", event)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                anchor, before = open_nodes.pop()
                if anchor is not None:
                    sizes[anchor] = nodes - before
            elif kind is yaml.ScalarEvent:
                nodes += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
                if (digits and event.style is None and len(event.value) > digits
                        and _INTEGER.fullmatch(event.value)):
                    raise refuse(f"an integer with {len(event.value)} digits (at most {digits})", event)
            elif kind is yaml.AliasEvent:
                nodes += sizes.get(event.anchor, 1)
            if nodes > limits.max_yaml_nodes:
                raise refuse(f"more than {limits.max_yaml_nodes:,} nodes, aliases counted as often as they "
                             "are used (max_yaml_nodes)", event)
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        if mark is None and isinstance(exc, yaml.reader.ReaderError):
            line = text.count("\n", 0, exc.position) + 1
            column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
            raise error(f"invalid YAML: {exc}", file=file, line=line, column=column) from None
        line, column = _at(mark)
        raise error(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", file=file, line=line,
                    column=column) from None
    except (RecursionError, ValueError, OverflowError) as exc:  # defence in depth: never escape unlocated
        raise error(f"invalid YAML: {type(exc).__name__}: {exc}", file=file, line=1, column=1) from None
