"""Text of a PDF (ISO 32000) with pypdf: page by page, with the document information
dictionary's title and creation date."""

from __future__ import annotations

import io
import logging
import re

import pypdf
from pypdf.errors import FileNotDecryptedError, PdfReadError

from loaders.docs.extract import DocumentError, Extracted

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")
_UNTITLED = re.compile(r"^(untitled|microsoft word - .*|document\d*)$", re.I)


def read_pdf(data: bytes) -> Extracted:
    """Text and metadata of a PDF; pages are separated by form feeds (``\\f``).

    :raises DocumentError: ``encrypted`` when a password is needed, ``corrupt`` when the
        file is not a PDF pypdf can read.
    """
    # pypdf logs recoverable damage as warnings; the loader reports what it cannot recover
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DocumentError("encrypted", "the PDF needs a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except DocumentError:
        raise
    except FileNotDecryptedError as exc:
        raise DocumentError("encrypted", str(exc)) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        # pypdf raises plain Python errors for some damage (a broken xref, a bad stream)
        raise DocumentError("corrupt", f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    title = (info.title or "").strip() if info else ""
    return Extracted(
        "\f".join(pages),
        "pdf",
        title=None if not title or _UNTITLED.match(title) else title,
        date=_date(str(info.get("/CreationDate", "")) if info else ""),
    )


def _opens_without_password(reader: pypdf.PdfReader) -> bool:
    """Many PDFs are encrypted with an empty user password (permissions only)."""
    try:
        return bool(reader.decrypt(""))
    except (FileNotDecryptedError, NotImplementedError, PdfReadError):
        return False


def _date(value: str) -> str | None:
    """ISO 8601 (as precise as given) of a PDF date string (ISO 32000-1, 7.9.4).

    >>> _date("D:20220315093000+08'00'"), _date("D:2009"), _date("")
    ('2022-03-15', '2009', None)
    """
    match = _PDF_DATE.match(value)
    if not match:
        return None
    return "-".join(part for part in match.groups() if part)
