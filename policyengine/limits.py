"""Caps on untrusted input, configurable by the caller.

    from policyengine.limits import Limits, DEFAULT_LIMITS
    pe.load_policy(text, limits=Limits(max_depth=64, max_statements=100))

Every reader that accepts `limits=` refuses input beyond a cap with a `LimitExceededError`
(code `LIMIT_EXCEEDED`) that carries the file and, where known, the line, column and JSON
path of the first thing over the cap. The defaults are far above what AWS itself accepts (the
largest policy quota, a KMS key policy, is 32 KB; the AWS managed policies are at most ~48 KB
with their whitespace and a few hundred statements) and low enough that no stage of the
engine ever works on more than a bounded amount of hostile input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Mapping, TypeVar

from .errors import JsonPath, PolicyEngineError


class LimitExceededError(PolicyEngineError):
    """Input larger than a cap of `Limits` (document size, nesting depth, statements, pattern length).

    Raised as a subclass that also derives from the reader's usual error class
    (`PolicySyntaxError` for JSON nesting, `ScenarioError`, `EnvironmentError`), so existing
    `except` clauses keep working; catch `LimitExceededError` to handle every cap at once.
    """

    code = "LIMIT_EXCEEDED"


E = TypeVar("E", bound=PolicyEngineError)
_CLASSES: dict[type[PolicyEngineError], type[PolicyEngineError]] = {}


def limit_error_class(base: type[E]) -> type[E]:
    """A subclass of both `base` and `LimitExceededError` (one per base, created once)."""
    if issubclass(base, LimitExceededError):
        return base
    made = _CLASSES.get(base)
    if made is None:
        name = base.__name__.removesuffix("Error") + "LimitExceededError"
        made = _CLASSES[base] = type(name, (LimitExceededError, base), {"code": "LIMIT_EXCEEDED",
                                                                        "__module__": __name__})
    return made  # type: ignore[return-value]  # made derives from base, which mypy cannot follow


def error_class_like(cause: PolicyEngineError, base: type[E]) -> type[E]:
    """`base`, or its LIMIT_EXCEEDED subclass when `cause` is over a cap: for readers that
    re-raise an inner error as their own class."""
    return limit_error_class(base) if isinstance(cause, LimitExceededError) else base


@dataclass(frozen=True)
class Limits:
    """Caps on what the readers accept. Every field is a positive int; change any with
    `Limits(max_depth=64)` or `dataclasses.replace(DEFAULT_LIMITS, ...)`."""

    #: Size of one policy document given as text or bytes (UTF-8 bytes). AWS's largest quota is
    #: 32 KB (KMS key policy); the largest AWS managed policy is ~48 KB with its whitespace.
    max_document_bytes: int = 1024 * 1024
    #: Nesting of JSON arrays and objects (policies, scenario and environment JSON, lint inputs).
    max_depth: int = 512
    #: Statements in one policy document. A 32 KB policy holds at most ~1,000 statements.
    max_statements: int = 10_000
    #: Characters in one string of a statement (action, resource and principal patterns,
    #: condition values). No policy within AWS's quotas can hold a longer one.
    max_pattern_length: int = 32_768
    #: Nesting of YAML mappings and sequences (scenario, environment and lint input files).
    max_yaml_depth: int = 128
    #: Nodes in one YAML file, every alias expansion counted: defeats "billion laughs" files,
    #: whose few lines expand to billions of nodes.
    max_yaml_nodes: int = 1_000_000
    #: Size of one input file that may hold many policies: lint inputs (CloudFormation
    #: templates, `get-account-authorization-details` output), scenario and environment files.
    max_file_bytes: int = 64 * 1024 * 1024

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Limits.{name} must be a positive integer, not {value!r}")


DEFAULT_LIMITS = Limits()

_PATTERN_KEYS = ("Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition")


def read_capped(path: str | Path, limits: Limits, *, file: str | None = None,
                error: type[PolicyEngineError] = PolicyEngineError) -> bytes:
    """The bytes of a file, refused over `limits.max_file_bytes` (`OSError` is the caller's).

    Reads at most one byte past the cap, so a huge or endless file (`/dev/zero`, a pipe)
    never fills memory. The refusal is a subclass of `error` and `LimitExceededError`.
    """
    with open(path, "rb") as handle:
        data = handle.read(limits.max_file_bytes + 1)
    _refuse_over_cap(len(data), limits, str(path) if file is None else file, error)
    return data


def read_stream_capped(stream: IO[Any], limits: Limits, *, file: str | None,
                       error: type[PolicyEngineError] = PolicyEngineError) -> Any:
    """What an open stream (stdin) holds, text or bytes, refused over `limits.max_file_bytes`."""
    data = stream.read(limits.max_file_bytes + 1)
    _refuse_over_cap(len(data), limits, file, error)
    return data


def _refuse_over_cap(size: int, limits: Limits, file: str | None, error: type[PolicyEngineError]) -> None:
    if size > limits.max_file_bytes:
        raise limit_error_class(error)(
            f"the file holds more than {limits.max_file_bytes:,} bytes (max_file_bytes)", file=file,
            help="raise Limits.max_file_bytes to read larger files",
        )


def _utf8_size_over(text: str, cap: int) -> int | None:
    """The UTF-8 size of `text` when it is over `cap`, else None (without encoding short text)."""
    if len(text) * 4 <= cap:  # UTF-8 takes at most 4 bytes per character
        return None
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    return size if size > cap else None


_SIZE_HELP = "AWS accepts policies of at most 32 KB; raise Limits.max_document_bytes to read larger documents"


def check_document_size(source: str | bytes | bytearray | memoryview, limits: Limits, *,
                        file: str | None) -> None:
    """Refuse a policy text over `limits.max_document_bytes` (counted in UTF-8 bytes)."""
    cap = limits.max_document_bytes
    if isinstance(source, str):
        size = _utf8_size_over(source, cap)
        if size is None:
            return
        before = source[:cap]
    else:
        size = len(source)
        if size <= cap:
            return
        before = bytes(source[:cap]).decode("utf-8", "replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    raise LimitExceededError(
        f"the document is {size:,} bytes, more than the limit of {cap:,} (max_document_bytes)",
        file=file, line=line, column=column, help=_SIZE_HELP,
    )


def check_minified_size(minified: str, limits: Limits, *, file: str | None,
                        where: tuple[int, int] | None) -> None:
    """Refuse a parsed document whose compact JSON (`minified`, no whitespace: how AWS counts a
    policy's size) is over `limits.max_document_bytes`; `where` is the document's position."""
    size = _utf8_size_over(minified, limits.max_document_bytes)
    if size is None:
        return
    line, column = where or (None, None)
    raise LimitExceededError(
        f"the document is {size:,} bytes without whitespace, more than the limit of "
        f"{limits.max_document_bytes:,} (max_document_bytes)", file=file, line=line, column=column,
        help=_SIZE_HELP,
    )


def _over(value: Mapping[str, Any], limits: Limits) -> tuple[str, JsonPath] | None:
    """The first cap a parsed policy document exceeds (message, JSON path), if any."""
    statements = value.get("Statement")
    if isinstance(statements, list) and len(statements) > limits.max_statements:
        return (f"the document has {len(statements):,} statements, more than the limit of "
                f"{limits.max_statements:,} (max_statements)", ("Statement", limits.max_statements))
    cap = limits.max_pattern_length
    items = enumerate(statements) if isinstance(statements, list) else [(None, statements)]
    for index, statement in items:
        if not isinstance(statement, Mapping):
            continue
        base: JsonPath = ("Statement",) if index is None else ("Statement", index)
        for key in _PATTERN_KEYS:
            if key not in statement:
                continue
            stack: list[tuple[JsonPath, Any]] = [(base + (key,), statement[key])]
            while stack:
                path, node = stack.pop()
                if isinstance(node, str):
                    if len(node) > cap:
                        return (f"a string of {len(node):,} characters, longer than the limit of {cap:,} "
                                f"(max_pattern_length)", path)
                elif isinstance(node, Mapping):
                    stack.extend((path + (k,), v) for k, v in node.items())
                elif isinstance(node, list):
                    stack.extend((path + (i,), v) for i, v in enumerate(node))
                else:
                    continue
                if len(path) - len(base) > limits.max_depth:  # a dict built in Python can nest anything
                    return (f"the document nests arrays and objects deeper than {limits.max_depth} levels "
                            f"(max_depth)", path[: len(base) + limits.max_depth + 1])
    return None


def check_document(value: Any, limits: Limits, *, file: str | None,
                   locations: Mapping[JsonPath, tuple[int, int]] | None = None) -> None:
    """Refuse a parsed policy document with too many statements or too long a string.

    Located by JSON path, and by line and column when `locations` are known.
    """
    if not isinstance(value, Mapping):
        return
    found = _over(value, limits)
    if found is None:
        return
    message, path = found
    line = column = None
    if locations:
        for n in range(len(path), -1, -1):
            if path[:n] in locations:
                line, column = locations[path[:n]]
                break
    raise LimitExceededError(message, file=file, line=line, column=column, path=path,
                             help="raise the cap with policyengine.limits.Limits(...) if the input is trusted")
