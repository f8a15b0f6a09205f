"""Text of an HTML page with lxml, boilerplate removed: scripts, styles, navigation,
headers, footers, asides and forms go; block elements become lines. The ``<title>``,
``<h1>``, ``<html lang>`` and a publication date in ``<meta>`` become metadata."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from loaders.docs.extract import DocumentError, Extracted
from loaders.docs.plain_text import read_text

BOILERPLATE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")
_BOILERPLATE_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search")
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "br",
        "section",
        "article",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "td",
        "th",
        "table",
    ]
)
_DATE_META = ("citation_publication_date", "dc.date", "dcterms.date", "date", "pubdate")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def read_html(data: bytes) -> Extracted:
    """Main text and metadata of an HTML page.

    >>> page = b"<html lang='zh'><title>T</title><nav>menu</nav><h1>Head</h1><p>Body</p></html>"
    >>> e = read_html(page); e.text.split(), e.title, e.headings, e.language
    (['Head', 'Body'], 'T', ['Head'], 'zh')

    :raises DocumentError: ``corrupt`` when lxml finds no document in the bytes.
    """
    try:
        root = lxml.html.document_fromstring(_decode(data))
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError("corrupt", f"not readable HTML ({exc})") from exc
    title = root.findtext(".//title")
    headings = [t for h in root.iter("h1") if (t := "".join(map(str, h.itertext())).strip())]
    date = _meta_date(root)
    language = root.get("lang")
    boilerplate = [
        e for e in root.iter() if e.tag in BOILERPLATE or e.get("role") in _BOILERPLATE_ROLES
    ]
    for element in boilerplate:
        if element.getparent() is not None:
            _drop(element)
    body = root.find("body")
    lines: list[str] = []
    _text_lines(body if body is not None else root, lines)
    text = "\n".join(line.strip() for line in "".join(lines).split("\n"))
    return Extracted(
        text,
        "html",
        title=(title or "").strip() or None,
        date=date,
        language=language,
        headings=headings,
    )


def _decode(data: bytes) -> str:
    """The page as text: its declared charset, else UTF-8, else GB18030, else detected.

    lxml given bytes without a declaration reads them as Latin-1 (HTML 4 default), which
    garbles every Chinese page saved without a ``<meta charset>``.
    """
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return read_text(data).text


def _drop(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _text_lines(element: etree._Element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _BLOCKS:
        out.append("\n")
    if element.text and tag:
        out.append(element.text)
    for child in element:
        _text_lines(child, out)
        if child.tail:
            out.append(child.tail)
    if tag in _BLOCKS:
        out.append("\n")


def _meta_date(root: lxml.html.HtmlElement) -> str | None:
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        if name in _DATE_META or name == "article:published_time":
            match = _DATE.match((meta.get("content") or "").strip())
            if match:
                return match.group(0)
    return None
