"""Text and metadata out of a document file: PDF, DOCX, HTML or plain text.

Each format has its own reader module; this one dispatches by file name (and, for a
file whose name says nothing, by its first bytes) and turns every failure into one
:class:`DocumentError` with a reason code a curator can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
}
MAX_BYTES = 50 * 1024 * 1024
"""Files larger than this are refused unread (``too-large``): the whole text of a document
goes through the NLP pipeline, so the bound on a file is the bound on memory."""


class DocumentError(Exception):
    """A document that cannot be read: a reason code and what was found.

    Reason codes: ``unsupported`` (not a format we read), ``empty`` (no bytes, or no text),
    ``too-large``, ``binary`` (a text file that is not text), ``encrypted`` (a PDF that
    needs a password), ``corrupt`` (a PDF/DOCX/HTML the parser cannot read), ``unreadable``
    (an I/O error).
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Extracted:
    """What a reader found: the text, its format and whatever metadata the file states.

    ``headings`` are the text of headings the format marks as such (HTML ``h1``, DOCX
    ``Title``/``Heading 1`` styles), first first; ``encoding`` is set for plain text.
    """

    text: str
    format: str
    title: str | None = None
    date: str | None = None
    language: str | None = None
    headings: list[str] = field(default_factory=list)
    encoding: str | None = None


Reader = Callable[[bytes], Extracted]


def format_of(path: Path, head: bytes = b"") -> str | None:
    """The format of a file from its suffix, else from its first bytes; None if unknown.

    >>> format_of(Path("a/report.PDF")), format_of(Path("x.bin"), b"%PDF-1.7"), format_of(Path("x"))
    ('pdf', 'pdf', None)
    """
    known = FORMATS.get(path.suffix.lower())
    if known:
        return known
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def extract(path: Path, max_bytes: int = MAX_BYTES) -> Extracted:
    """Read ``path`` into text and metadata.

    :raises DocumentError: with a reason code (see :class:`DocumentError`).
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                "too-large",
                f"{size:,} bytes, over the limit of {max_bytes:,} (--max-size)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError("unreadable", str(exc)) from exc
    if not data.strip():
        raise DocumentError("empty", "the file has no content" if not data else "only blanks")
    kind = format_of(path, data[:64])
    if kind is None:
        raise DocumentError("unsupported", f"not PDF, DOCX, HTML or text: {path.suffix or path}")
    extracted = _reader(kind)(data)
    if not extracted.text.strip():
        raise DocumentError("empty", f"no text in the {kind.upper()} (a scan needs OCR first)")
    return extracted


def _reader(kind: str) -> Reader:
    # imported on use: a run over text files does not load the PDF or DOCX libraries
    if kind == "pdf":
        from loaders.docs.pdf_text import read_pdf  # noqa: PLC0415

        return read_pdf
    if kind == "docx":
        from loaders.docs.docx_text import read_docx  # noqa: PLC0415

        return read_docx
    if kind == "html":
        from loaders.docs.html_text import read_html  # noqa: PLC0415

        return read_html
    from loaders.docs.plain_text import read_text  # noqa: PLC0415

    return read_text
