"""MARCXML and its relatives (MARCXchange, CNMARC/UNIMARC XML, SRU and OAI wrappers).

pymarc's XML reader (``pymarc.marcxml``) is a SAX handler that, in strict mode, knows only
the MARC21 slim namespace, and that stops the whole file at the first defect
(``KeyError`` on a field without a tag, ``RecordLeaderInvalid`` on a short leader). Here
``record/leader/controlfield/datafield/subfield`` are matched by local name in any
namespace, streamed with :func:`lxml.etree.iterparse`, and each record is built as pymarc
objects on its own, so one bad record is one rejection.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO, cast

import pymarc
from lxml import etree

from loaders.marc.encoding import UTF8, Decoded, RecordError, nfc, normalise_leader

# Leader used when a record has none: blanks, Unicode (leader/09 'a'), 22 and 4500.
DEFAULT_LEADER = "         a22        4500"
_MARC_CHILDREN = frozenset({"leader", "controlfield", "datafield"})
# A leader whose runs of blanks were collapsed: up to 10 characters, '22', an optional
# 5-digit base address, up to 8 characters, the entry map ('4500').
_SHORT_LEADER = re.compile(r"(?P<head>.{0,10}?)22(?P<base>\d{5})?(?P<rest>.{0,8}?)(?P<map>\d{3}.?)")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _widen(text: str, size: int) -> str:
    """Pad ``text`` to ``size`` by lengthening its last run of blanks."""
    missing = size - len(text)
    if missing <= 0:
        return text
    cut = text.rfind(" ")
    return text + " " * missing if cut < 0 else text[:cut] + " " * missing + text[cut:]


def repair_leader(raw: str | None) -> tuple[str, str | None]:
    """A 24-character leader for a MARCXML record, and a note when it was not as given.

    Blanks written as '#' or '-' become spaces silently. A leader whose runs of blanks
    were collapsed (pulibrary's ``01093cam a2200277 4500``) is re-aligned on '22' and the
    entry map '4500'; anything else is replaced by :data:`DEFAULT_LEADER`.
    """
    if raw is None:
        return DEFAULT_LEADER, "the record has no leader; a default leader is used"
    text = normalise_leader(raw).strip("\r\n\t")  # keep blanks: they are positions
    if len(text) == 24:
        return text, None
    match = _SHORT_LEADER.fullmatch(text)
    if match and len(text) < 24:
        base = match["base"] or ""
        rebuilt = (
            _widen(match["head"], 10)
            + "22"
            + base
            + _widen(match["rest"], 8 - len(base))
            + match["map"].ljust(4)
        )
        if len(rebuilt) == 24:
            return rebuilt, (
                f"leader {raw!r} has {len(raw)} characters, not 24 (blanks collapsed?); "
                f"read as {rebuilt!r}"
            )
    return DEFAULT_LEADER, (
        f"leader {raw!r} has {len(raw)} characters, not 24; a default leader is used"
    )


def _text(elem: etree._Element) -> str:
    return nfc(elem.text or "")


def _indicator(value: str | None) -> tuple[str, bool]:
    """(indicator, was it usable as given)."""
    if value is None or value == "":
        return " ", False
    return value[0], len(value) == 1


def _control_tag(tag: str) -> bool:
    return tag < "010" and tag.isdigit()


@functools.cache
def _big_lines_skewed() -> bool:
    """Does libxml2 place elements past line 65535 at the end of their first text child?

    libxml2 stores 16-bit line numbers and, beyond them, takes an element's line from its
    first child; for whitespace text that is the line where the text ends (2.14 does).
    """
    doc = b"<a>" + b"\n" * 70000 + b"<r>\n<x/></r></a>"
    line = next(
        el.sourceline for _, el in etree.iterparse(io.BytesIO(doc), tag="r", huge_tree=True)
    )
    return bool(line == 70002)


def _line(elem: etree._Element) -> int | None:
    """Source line where an element starts (lxml-stubs leave ``sourceline`` untyped)."""
    line = cast("int | None", elem.sourceline)
    if line is not None and line > 65535 and elem.text and _big_lines_skewed():
        line -= elem.text.count("\n")
    return line


class _Notes:
    """Per-record findings, gathered so that repeated ones become one warning."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.indicators: list[str] = []
        self.unexpected: dict[str, int | None] = {}

    def element(self, elem: etree._Element) -> None:
        self.unexpected.setdefault(_local(str(elem.tag)), _line(elem))

    def finish(self) -> list[str]:
        if self.indicators:
            self.notes.append(
                f"{len(self.indicators)} datafield(s) with missing, empty or long indicators "
                f"(first: {self.indicators[0]}); read as blank or first character"
            )
        self.notes.extend(
            f"unexpected element <{name}> at line {line} ignored"
            for name, line in self.unexpected.items()
        )
        return self.notes


def _field_tag(child: etree._Element, name: str, notes: _Notes) -> str:
    raw = child.get("tag")
    tag = (raw or "").strip()
    if not tag:
        what = (child.text or "").strip() or " ".join((s.text or "").strip() for s in child)
        problem = "no tag attribute" if raw is None else f"an empty tag attribute ({raw!r})"
        raise RecordError(
            "missing-tag", f"{name} at line {_line(child)} has {problem} (value {what[:60]!r})"
        )
    if len(tag) != 3:
        notes.notes.append(f"{name} tag {tag!r} at line {_line(child)} is not three characters")
    return tag


def _controlfield(child: etree._Element, notes: _Notes) -> pymarc.Field:
    tag = _field_tag(child, "controlfield", notes)
    if _control_tag(tag) or not tag.isdigit():
        return pymarc.Field(tag=tag, data=_text(child))
    notes.notes.append(
        f"controlfield {tag} at line {_line(child)} has a data field tag; its value kept as $a"
    )
    return pymarc.Field(tag, subfields=[pymarc.Subfield("a", _text(child))])


def _datafield(child: etree._Element, notes: _Notes) -> pymarc.Field:
    tag = _field_tag(child, "datafield", notes)
    subfields: list[pymarc.Subfield] = []
    for sub in child:
        if not isinstance(sub.tag, str):
            continue
        if _local(sub.tag) != "subfield":
            notes.element(sub)
            continue
        code = sub.get("code")
        if not code:
            raise RecordError(
                "missing-code",
                f"subfield of field {tag} at line {_line(sub)} has no code attribute "
                f"(value {(sub.text or '')[:60]!r})",
            )
        subfields.append(pymarc.Subfield(code, _text(sub)))
    if _control_tag(tag):
        notes.notes.append(
            f"datafield {tag} at line {_line(child)} has a control field tag; kept as data"
        )
        return pymarc.Field(tag, data="".join(s.value for s in subfields))
    ind1, ok1 = _indicator(child.get("ind1"))
    ind2, ok2 = _indicator(child.get("ind2"))
    if not (ok1 and ok2):
        notes.indicators.append(f"{tag} at line {_line(child)}")
    return pymarc.Field(tag, pymarc.Indicators(ind1, ind2), subfields)


def _build(elem: etree._Element) -> Decoded:
    """A pymarc record from one MARC ``record`` element (any namespace)."""
    leader: str | None = None
    fields: list[pymarc.Field] = []
    notes = _Notes()
    for child in elem:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        name = _local(child.tag)
        if name == "datafield":
            fields.append(_datafield(child, notes))
        elif name == "controlfield":
            fields.append(_controlfield(child, notes))
        elif name == "leader":
            leader = child.text or ""
        else:
            notes.element(child)
    if not fields:
        raise RecordError("missing-fields", "the record has no control or data fields")
    text, note = repair_leader(leader)
    found = notes.finish()
    if note:
        found.insert(0, note)
    record = pymarc.Record(leader=text)
    record.leader = pymarc.Leader(text)  # pymarc's constructor rewrites leader/10-11, 20-23
    record.fields.extend(fields)
    return Decoded(record, UTF8, found)


def _no_marc(elem: etree._Element) -> RecordError:
    """Explain a ``record`` element without MARC inside (SRU diagnostic, Dublin Core...)."""
    message = next(
        (
            e.text.strip()
            for e in elem.iter()
            if isinstance(e.tag, str) and _local(e.tag) == "message" and e.text
        ),
        None,
    )
    if message is not None:
        return RecordError("sru-diagnostic", f"the server sent a diagnostic: {message}")
    kinds = sorted({_local(e.tag) for e in elem if isinstance(e.tag, str)})
    return RecordError(
        "no-marc-data", f"<record> has no leader, controlfield or datafield (has {kinds})"
    )


def iter_marcxml(path: str | Path) -> Generator[tuple[int | None, Decoded | RecordError]]:
    """Yield (line, decoded record or error) for each ``record`` element, streaming.

    A ``record`` element is a MARC record when it has leader/controlfield/datafield
    children; one that only wraps a MARC record (SRU, OAI-PMH) is skipped; one with no
    MARC inside is reported. XML that is not well-formed ends the file with one
    ``xml-error`` after the records before it.
    """
    with open(path, "rb") as fh:
        yield from _iterparse(fh)


def _iterparse(fh: BinaryIO) -> Iterator[tuple[int | None, Decoded | RecordError]]:
    context = etree.iterparse(
        fh,
        events=("start", "end"),
        tag="{*}record",
        huge_tree=True,
        resolve_entities=False,
        no_network=True,
    )
    started: list[int] = []
    emitted = 0
    try:
        for event, elem in context:
            if event == "start":
                started.append(emitted)
                continue
            before = started.pop()
            item: Decoded | RecordError | None = None
            if any(isinstance(c.tag, str) and _local(c.tag) in _MARC_CHILDREN for c in elem):
                try:
                    item = _build(elem)
                except RecordError as err:
                    item = err
            elif emitted == before:
                item = _no_marc(elem)
            if item is not None:
                emitted += 1
                yield _line(elem), item
            elem.clear(keep_tail=True)
            parent = elem.getparent()
            if parent is not None and not started:
                while elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        yield exc.lineno, RecordError("xml-error", f"XML is not well-formed: {exc.msg}")
