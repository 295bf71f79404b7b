"""Text -> typed policy documents.

    parse_policy(text_bytes_or_dict, file="p.json")    -> PolicyDocument
    parse_json_with_locations(text, file="s.json")      -> (value, {path: (line, column)})

Two JSON readers accept exactly the same documents: the positional one
(`json_positions.py`, a lark LALR grammar) records the line and column of every key and
value; the fast one (`fast_json.py`, the C `json` module with IAM's extra rules) keeps none
and hands any failure to the positional one so errors are always located. `policy.py` then
checks the structure and builds the model. Every failure is a `PolicyEngineError`
(`PolicySyntaxError` for the JSON, `PolicyValidationError` for the structure).
"""

from __future__ import annotations

from typing import Any

from ..errors import PolicyValidationError
from ..limits import DEFAULT_LIMITS, Limits, LimitExceededError, check_document, check_document_size
from ..model.policy import PolicyDocument
from .fast_json import loads_fast
from .json_errors import MAX_DEPTH
from .json_positions import Locations, loads_with_locations
from .policy import build_policy
from .source import decode_bytes, policy_text, strip_bom

__all__ = [
    "MAX_DEPTH",
    "Locations",
    "build_policy",
    "parse_json",
    "parse_json_with_locations",
    "parse_policy",
]


def parse_policy(
    source: str | bytes | bytearray | dict[str, Any] | PolicyDocument,
    *,
    file: str | None = None,
    locations: bool = True,
    limits: Limits | None = None,
) -> PolicyDocument:
    """Parse and validate one policy document, as IAM would.

    `source` is JSON text (a leading BOM and URL-encoding, as the IAM API returns documents,
    are accepted), UTF-8 bytes, or an already-parsed dict (validated; it has no positions).
    With `locations=True` the document keeps the (line, column) of every node
    (`doc.locations`); `locations=False` is the fast path, and its errors are located all
    the same (the text is re-read with positions only when something is wrong). `file`
    names the source in messages and becomes `doc.source`.

    Raises `PolicySyntaxError` for text that is not JSON as IAM reads it,
    `PolicyValidationError` (with `.errors`, every problem found) for a document IAM would
    refuse, and `LimitExceededError` (code `LIMIT_EXCEEDED`, located) for a document over a
    cap of `limits` (`DEFAULT_LIMITS` when None; see policyengine/limits.py). A dict has no
    size: only its statements, strings and nesting are checked.
    """
    if isinstance(source, PolicyDocument):
        return source
    limits = DEFAULT_LIMITS if limits is None else limits
    depth = limits.max_depth
    if not isinstance(source, (str, bytes, bytearray, memoryview)):
        check_document(source, limits, file=file)
        return build_policy(source, file=file)
    check_document_size(source, limits, file=file)
    text = policy_text(source, file=file)
    if locations:
        value, where = loads_with_locations(text, file=file, max_depth=depth)
        check_document(value, limits, file=file, locations=where)
        return build_policy(value, locations=where, file=file)
    value = loads_fast(text, file=file, max_depth=depth)
    try:
        check_document(value, limits, file=file)
        return build_policy(value, file=file)
    except (PolicyValidationError, LimitExceededError):
        value, where = loads_with_locations(text, file=file, max_depth=depth)
        check_document(value, limits, file=file, locations=where)  # the same errors, located
        build_policy(value, locations=where, file=file)
        raise


def parse_json_with_locations(
    text: str | bytes | bytearray, file: str | None = None, *, limits: Limits | None = None
) -> tuple[Any, Locations]:
    """Any JSON text (scenario files, environments): the value and every node's position.

    Locations map a JSON path (a tuple of keys and indexes; `()` for the root) to the
    1-based (line, column) of the member's key, or of the element for array items. The JSON
    rules are IAM's: duplicate keys, trailing commas, comments, NaN and nesting deeper than
    `limits.max_depth` (MAX_DEPTH by default) are refused with a located `PolicySyntaxError`
    (a `LimitExceededError` for the depth).
    """
    text = decode_bytes(text, file=file) if not isinstance(text, str) else strip_bom(text)
    return loads_with_locations(text, file=file, max_depth=(limits or DEFAULT_LIMITS).max_depth)


def parse_json(text: str | bytes | bytearray, file: str | None = None, *, limits: Limits | None = None) -> Any:
    """Like `parse_json_with_locations`, without positions (the fast path)."""
    text = decode_bytes(text, file=file) if not isinstance(text, str) else strip_bom(text)
    return loads_fast(text, file=file, max_depth=(limits or DEFAULT_LIMITS).max_depth)
