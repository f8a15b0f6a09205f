"""Text of a Word document (ECMA-376 WordprocessingML) with python-docx: paragraphs and
table cells in order, ``Title``/``Heading 1`` paragraphs as headings, core properties
(title, created) as metadata."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError

from loaders.docs.extract import DocumentError, Extracted

_HEADING_STYLES = ("Title", "Heading 1")


def read_docx(data: bytes) -> Extracted:
    """Text, headings and core properties of a DOCX.

    :raises DocumentError: ``corrupt`` when the file is not a readable DOCX package.
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError("corrupt", f"not a readable DOCX ({type(exc).__name__})") from exc
    lines: list[str] = []
    headings: list[str] = []
    for paragraph in document.paragraphs:
        lines.append(paragraph.text)
        style = paragraph.style.name if paragraph.style is not None else ""
        if style in _HEADING_STYLES and paragraph.text.strip():
            headings.append(paragraph.text.strip())
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    props = document.core_properties
    created = props.created.date().isoformat() if props.created else None
    return Extracted(
        "\n".join(lines),
        "docx",
        title=(props.title or "").strip() or None,
        date=created,
        language=(props.language or "").strip() or None,
        headings=headings,
    )
