"""The BinaryEquals operator (IAM documents no negated form).

- Policy values are base64 (standard alphabet, padded); they are decoded once and
  compared byte for byte. Invalid base64 is a compile error.
- Request values are `bytes` / `bytearray` / `memoryview`, or a base64 string, which
  is decoded the same strict way; anything else is a type error.
- No wildcards, no policy variables.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from .ordered import comparison_compiler
from .registry import Family, OperatorSpec, RequestValueError, register, show


def decode_base64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def to_bytes(value: Any) -> bytes:
    if type(value) is bytes:
        return value
    if isinstance(value, str):
        decoded = decode_base64(value)
        if decoded is not None:
            return decoded
        raise RequestValueError(f"`{value}` is not base64")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise RequestValueError(f"`{show(value)}` is not binary data")


register(
    OperatorSpec(
        name="BinaryEquals",
        family=Family.BINARY,
        negated=False,
        allows_wildcards=False,
        allows_variables=False,
        # equality of decoded bytes: the `eq` of the comparison families
        compile_values=comparison_compiler(
            decode_base64,
            to_bytes,
            "base64",
            "TYPE_MISMATCH_STRING",
            help="write the bytes base64-encoded, e.g. `QmluYXJ5VmFsdWU=`",
            verb="expects",
        ),
        verb=("equals", "does not equal"),
        relation="eq",
    )
)
