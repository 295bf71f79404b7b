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
from typing import Any, Sequence

from .registry import (
    Family,
    OperatorSpec,
    PolicyValue,
    PolicyValueError,
    RequestValueError,
    ValueSet,
    register,
    show,
)


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


def compile_binary(spec: OperatorSpec, values: Sequence[PolicyValue], variables_enabled: bool) -> ValueSet:
    decoded: list[bytes] = []
    for index, raw in enumerate(values):
        data = decode_base64(raw) if isinstance(raw, str) else None
        if data is None:
            raise PolicyValueError(
                index,
                f"`{raw}` is not base64, which `{spec.name}` expects",
                "TYPE_MISMATCH_STRING",
                help="write the bytes base64-encoded, e.g. `QmluYXJ5VmFsdWU=`",
            )
        decoded.append(data)
    accepted = frozenset(decoded)

    def test_for(expected: bytes) -> Any:
        return lambda value, ctx: value == expected

    return ValueSet(
        any_match=lambda value, ctx: to_bytes(value) in accepted,
        normalize=to_bytes,
        tests=tuple(test_for(data) for data in decoded),
        displays=tuple(str(raw) for raw in values),
    )


register(
    OperatorSpec(
        name="BinaryEquals",
        family=Family.BINARY,
        negated=False,
        allows_wildcards=False,
        allows_variables=False,
        compile_values=compile_binary,
        verb=("equals", "does not equal"),
    )
)
