"""Bytes and wrapped text -> the JSON text to parse.

IAM documents are UTF-8. A leading byte-order mark is tolerated (editors on Windows write
one). The IAM API itself returns documents URL-encoded (`%7B%22Version%22...`): such text is
decoded first, and positions then refer to the decoded text.
"""

from __future__ import annotations

from urllib.parse import unquote

from ..errors import PolicySyntaxError

_BOM = "\ufeff"


def decode_bytes(data: bytes | bytearray | memoryview, *, file: str | None = None) -> str:
    """UTF-8 bytes -> text; invalid UTF-8 raises `PolicySyntaxError` at the first bad byte."""
    data = bytes(data)
    try:
        return strip_bom(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        help = "save the file as UTF-8"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            help = "the file looks like UTF-16; save it as UTF-8"
        raise PolicySyntaxError(
            f"the document is not valid UTF-8: byte 0x{data[start]:02X} cannot start or "
            "continue a character",
            file=file,
            line=line,
            column=column,
            help=help,
        ) from None


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith(_BOM) else text


def is_url_encoded(text: str) -> bool:
    """Whether `text` is a URL-encoded JSON object, as the IAM API returns policies."""
    return text.lstrip(" \t\n\r")[:3].upper() == "%7B"


def url_decode(text: str, *, file: str | None = None) -> str:
    try:
        return strip_bom(unquote(text.strip(" \t\n\r"), errors="strict"))
    except UnicodeDecodeError:
        raise PolicySyntaxError(
            "the URL-encoded document does not decode to UTF-8 text",
            file=file,
            line=1,
            column=1,
            help="pass the document exactly as the IAM API returned it, or decoded",
        ) from None


def policy_text(source: str | bytes | bytearray | memoryview, *, file: str | None = None) -> str:
    """The JSON text of a policy given as text or bytes (BOM removed, URL-decoded)."""
    text = decode_bytes(source, file=file) if not isinstance(source, str) else strip_bom(source)
    return url_decode(text, file=file) if is_url_encoded(text) else text
