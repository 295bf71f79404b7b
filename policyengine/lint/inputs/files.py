"""From paths to parsed files: which files a path names, reading them safely, and telling
JSON, YAML and URL-encoded text apart, keeping the (line, column) of every node.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence, TextIO

from ...errors import PolicyEngineError
from ...limits import DEFAULT_LIMITS, Limits, check_minified_size, read_capped, read_stream_capped
from ...parsing import parse_json, parse_json_with_locations
from ...parsing.source import decode_bytes, is_url_encoded, strip_bom, url_decode
from ..yaml_positions import load_yaml
from .cloudformation import is_cfn
from .documents import Locations, is_policy
from .targets import NoPolicyFoundError, UnreadableInputError

__all__ = ["FOLDER_SUFFIXES", "Loaded", "STDIN", "expand", "load"]

FOLDER_SUFFIXES = (".json", ".yaml", ".yml", ".template")
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
STDIN = "<stdin>"


@dataclass
class Loaded:
    """A file read and parsed: its value and the positions of its nodes."""

    file: str
    value: Any
    locations: Locations
    ignores: dict[int, set[str]] = field(default_factory=dict)
    url_encoded: bool = False
    # The file's text, kept for URL-encoded files (the target is the text as written).
    text: str = ""
    # CloudFormation intrinsic functions may appear (a template, or YAML with `!` tags).
    intrinsics: bool = False
    # The caps it was read under, for the files it names (an environment's policy files).
    limits: Limits = DEFAULT_LIMITS


def expand(paths: Sequence[str], errors: list[PolicyEngineError]) -> Iterator[tuple[str, bool]]:
    """The files to read: (path, found by walking a folder).

    A file is read whatever its name. A folder is walked recursively for files ending in
    `.json` (which includes Terraform's `.tf.json` and CDK's `.template.json`), `.yaml`,
    `.yml` and `.template`, in sorted order; hidden files and folders, `node_modules` and
    `__pycache__` are skipped and folder symlinks are not followed. `-` is stdin. A file
    named twice is read once.
    """
    seen: set[str] = set()

    def first_time(path: str) -> bool:
        key = os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in paths:
        if path == "-":
            yield path, False
        elif os.path.isdir(path):
            found = False
            for root, folders, files in os.walk(path, onerror=None):
                folders[:] = sorted(
                    f for f in folders if not f.startswith(".") and f not in SKIPPED_FOLDERS
                )
                for name in sorted(files):
                    if name.startswith(".") or not name.lower().endswith(FOLDER_SUFFIXES):
                        continue
                    found = True
                    full = os.path.join(root, name)
                    if first_time(full):
                        yield full, True
            if not found:
                errors.append(NoPolicyFoundError(
                    "the folder holds no policy files (" + ", ".join(FOLDER_SUFFIXES) + ")",
                    file=path,
                    help="hidden folders, node_modules and __pycache__ are not searched",
                ))
        elif os.path.exists(path):
            if first_time(path):
                yield path, False
        else:
            errors.append(UnreadableInputError("no such file or folder", file=path))


def _read_bytes(file: str, stdin: TextIO | None, limits: Limits) -> bytes | str:
    """The file's content (stdin's for `-`), refused over `limits.max_file_bytes`."""
    if file == "-":
        stream = stdin if stdin is not None else sys.stdin
        buffer = getattr(stream, "buffer", None)
        return read_stream_capped(buffer if buffer is not None else stream, limits, file=STDIN,
                                  error=UnreadableInputError)
    try:
        return read_capped(file, limits, error=UnreadableInputError)
    except IsADirectoryError:
        raise UnreadableInputError("this is a folder, not a file", file=file) from None
    except PermissionError:
        raise UnreadableInputError("permission denied: the file cannot be read",
                                   file=file) from None
    except OSError as exc:
        raise UnreadableInputError(
            f"the file cannot be read: {(exc.strerror or str(exc)).lower()}", file=file
        ) from None


def load(file: str, stdin: TextIO | None, limits: Limits = DEFAULT_LIMITS, *,
         whole_file_policy: bool = True) -> Loaded:
    """The file parsed, with positions.

    Text that starts with `%7B` is a URL-encoded JSON document, as the IAM API returns them
    (positions inside it are not the file's). Otherwise `.json` files are JSON (IAM's strict
    reading: duplicate keys, comments and trailing commas are errors), `.yaml`/`.yml` files
    are YAML (`yaml_positions.py`), and anything else, stdin included, is JSON when its first
    character is `{`, `[` or `"`, YAML if not. The file's size and nesting, and the YAML
    nodes it expands to, are capped by `limits`; with `whole_file_policy`, a JSON file that is
    one policy over `max_document_bytes` is refused before its positions are computed.
    """
    data = _read_bytes(file, stdin, limits)
    name = STDIN if file == "-" else file
    text = strip_bom(data) if isinstance(data, str) else decode_bytes(data, file=name)
    lowered = name.lower()
    start = text.lstrip(" \t\r\n")[:1]
    if is_url_encoded(text):
        decoded = url_decode(text, file=name)
        value = parse_json(decoded, file=name, limits=limits)
        return Loaded(name, value, {(): (1, 1)}, url_encoded=True, text=text.strip(" \t\r\n"), limits=limits)
    if lowered.endswith((".yaml", ".yml")) or (
        not lowered.endswith(".json") and start not in ("{", "[", '"')
    ):
        document = load_yaml(text, file=name, limits=limits)
        return Loaded(name, document.value, document.locations, ignores=document.ignores,
                      intrinsics=document.tags or is_cfn(document.value), limits=limits)
    if whole_file_policy and start == "{" and len(text) > limits.max_document_bytes:
        _refuse_large_policy(text, name, limits)
    value, locations = parse_json_with_locations(text, file=name, limits=limits)
    return Loaded(name, value, locations, intrinsics=is_cfn(value), limits=limits)


def _refuse_large_policy(text: str, file: str, limits: Limits) -> None:
    """Refuse a file that is one policy over `max_document_bytes`, from the fast parse: reading
    its positions first would take seconds per megabyte only to refuse it."""
    try:
        value = parse_json(text, file=file, limits=limits)
    except PolicyEngineError:
        return  # the positioned parse reports it, located
    if is_policy(value):
        offset = len(text) - len(text.lstrip(" \t\r\n"))
        line = text.count("\n", 0, offset) + 1
        where = (line, offset - (text.rfind("\n", 0, offset) + 1) + 1)
        minified = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        check_minified_size(minified, limits, file=file, where=where)
