"""Plain text in UTF-8 (with or without BOM), UTF-16 (with BOM), GB18030/GBK or whatever
charset-normalizer recognises; a binary file with a text name is refused."""

from __future__ import annotations

import re

import charset_normalizer

from loaders.docs.extract import DocumentError, Extracted

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
MAX_CONTROL_SHARE = 0.01
"""More control characters than this share of the text: not a text file."""


def read_text(data: bytes) -> Extracted:
    """Decode a text file (UTF-8 first, then GB18030, which covers GBK and GB2312).

    >>> read_text("鄱阳湖".encode("gbk")).encoding, read_text("鄱阳湖".encode()).text
    ('gb18030', '鄱阳湖')

    :raises DocumentError: ``binary`` for bytes that are no text in any of them.
    """
    text, encoding = _decode(data)
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise DocumentError("binary", f"{controls:,} control characters: not a text file")
    return Extracted(text.replace("\r\n", "\n").replace("\r", "\n"), "txt", encoding=encoding)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    if b"\x00" in data:
        raise DocumentError("binary", "NUL bytes in the file: not a text file")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise DocumentError("binary", "no text encoding fits the bytes")
    return str(best), best.encoding
