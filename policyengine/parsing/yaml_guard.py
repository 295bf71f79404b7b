"""Guarded `yaml.safe_load` for scenario and environment files.

PyYAML builds values recursively, so a deeply nested document exhausts Python's stack
(`RecursionError`), and a plain integer longer than `sys.get_int_max_str_digits()` makes
it raise `ValueError`. Before loading, one pass over the event stream (no recursion)
refuses nesting deeper than `max_depth` (`Limits.max_yaml_depth`, `MAX_YAML_DEPTH` by
default) and integers with too many digits, each with
the line and column where it happens; anything PyYAML still raises becomes the caller's
error class, located where PyYAML says.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import yaml

from ..errors import PolicyEngineError
from ..limits import DEFAULT_LIMITS, limit_error_class

# Deeper than any scenario or environment needs, and well inside PyYAML's recursion.
MAX_YAML_DEPTH = DEFAULT_LIMITS.max_yaml_depth

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INTEGER = re.compile(r"[-+]?[0-9][0-9_]*")


def _at(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML mark; the start of the text when there is none."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def safe_load_yaml(text: str, *, file: str, error: type[PolicyEngineError],
                   max_depth: int = MAX_YAML_DEPTH) -> Any:
    """`yaml.safe_load(text)`, raising only `error` (located) for text it cannot read.

    Nesting deeper than `max_depth` and over-long integers raise a subclass of both `error`
    and `LimitExceededError` (code `LIMIT_EXCEEDED`).
    """
    limit = sys.get_int_max_str_digits() or None
    too_much = limit_error_class(error)
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > max_depth:
                    line, column = _at(event.start_mark)
                    raise too_much(f"invalid YAML: nesting deeper than {max_depth} levels (max_yaml_depth)",
                                   file=file, line=line, column=column)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif (limit and isinstance(event, yaml.ScalarEvent) and event.style is None
                  and len(event.value) > limit and _INTEGER.fullmatch(event.value)):
                line, column = _at(event.start_mark)
                raise too_much(f"invalid YAML: an integer with {len(event.value)} digits (at most {limit})",
                               file=file, line=line, column=column)
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
