"""Robust reading of MARC files: ISO 2709, MARCXML (any namespace) and MARC-in-JSON.

>>> marc = MarcFile("sample/ecjtu-gwu.mrc")
>>> marc.format, marc.flavour
('iso2709', 'marc21')
>>> first = next(iter(marc))
>>> first.number, first.offset, first.encoding, first.record["001"].data
(1, 0, 'utf-8', '7925070')

A rejection prints as ``FILE: record 19 at byte 62502: truncated record (...)``.

The format is detected from the first bytes and the flavour (MARC21 or UNIMARC/CNMARC)
from the first records; both can be forced. A bad record becomes a :class:`Rejection`
with a reason code and never stops the read; good records around it still load.
Decoding is pymarc's; :mod:`loaders.marc.iso2709`, :mod:`loaders.marc.marcxml` and
:mod:`loaders.marc.encoding` say where and why it is wrapped.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pymarc

from loaders.marc.encoding import UTF8, Decoded, RecordError, nfc
from loaders.marc.flavour import FLAVOURS, SAMPLE_SIZE, Sample, decide, sample_iso, sample_record
from loaders.marc.iso2709 import decode_chunk, iter_chunks
from loaders.marc.marcxml import iter_marcxml, repair_leader

__all__ = ["FORMATS", "MarcFile", "RawRecord", "Rejection", "detect_format"]

FORMATS = ("iso2709", "marcxml", "json")

_PHRASES = {
    "truncated": "truncated record",
    "bad-leader": "invalid leader",
    "bad-directory": "invalid directory",
    "bad-field": "invalid field",
    "bad-encoding": "undecodable characters",
    "missing-fields": "record without fields",
    "missing-tag": "field without a tag",
    "missing-code": "subfield without a code",
    "xml-error": "broken XML",
    "json-error": "broken JSON",
    "no-marc-data": "no MARC data",
    "sru-diagnostic": "SRU diagnostic instead of a record",
    "bad-record": "unreadable record",
}


@dataclass(slots=True)
class RawRecord:
    """A record read from a file, decoded to Unicode (NFC)."""

    record: pymarc.Record
    number: int  # 1-based position of the record in the file
    offset: int | None  # byte offset of the leader in ISO 2709 files
    line: int | None  # first line of the record in MARCXML and MARC-in-JSON
    encoding: str  # "utf-8", "marc-8" or (UNIMARC fallback) "latin-1"
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Rejection:
    """A record that could not be read, and why."""

    file: str
    number: int
    offset: int | None
    line: int | None
    reason: str  # short code: "truncated", "bad-directory", "bad-encoding", "xml-error", ...
    detail: str  # for a cataloguer, with the offending value

    def __str__(self) -> str:
        if self.offset is not None:
            where = f" at byte {self.offset}"
        elif self.line is not None:
            where = f" at line {self.line}"
        else:
            where = ""
        phrase = _PHRASES.get(self.reason, self.reason)
        return f"{self.file}: record {self.number}{where}: {phrase} ({self.detail})"


def detect_format(path: str | Path) -> str:
    """'marcxml' if the content starts with '<', 'json' with '{' or '[', else 'iso2709'.

    A UTF-8 byte order mark and leading whitespace are skipped; a UTF-16 BOM means XML.
    """
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "marcxml"
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head[:1] == b"<":
        return "marcxml"
    if head[:1] in (b"{", b"["):
        return "json"
    return "iso2709"


class MarcFile:
    """One MARC file: format and flavour detected (or forced), records read robustly.

    Iterating yields :class:`RawRecord` or :class:`Rejection` in file order and can be
    repeated; each pass re-reads the file, streaming.
    """

    def __init__(
        self, path: str | Path, format: str | None = None, flavour: str | None = None
    ) -> None:
        self.path = Path(path)
        if format is not None and format not in FORMATS:
            raise ValueError(f"unknown MARC format {format!r}; expected one of {FORMATS}")
        if flavour is not None and flavour not in FLAVOURS:
            raise ValueError(f"unknown MARC flavour {flavour!r}; expected one of {FLAVOURS}")
        self.format: str = format or detect_format(self.path)
        self._flavour = flavour

    @property
    def flavour(self) -> str:
        """'marc21' or 'unimarc', scored over the first records unless forced."""
        if self._flavour is None:
            self._flavour = decide(self._samples())
        return self._flavour

    def __repr__(self) -> str:
        return f"MarcFile({str(self.path)!r}, format={self.format!r}, flavour={self._flavour!r})"

    def __iter__(self) -> Iterator[RawRecord | Rejection]:
        if self.format == "iso2709":
            yield from self._iso2709()
            return
        name = str(self.path)
        items = iter_marcxml(self.path) if self.format == "marcxml" else _iter_json(self.path)
        with contextlib.closing(items):
            for number, (line, item) in enumerate(items, 1):
                if isinstance(item, RecordError):
                    yield Rejection(name, number, None, line, item.reason, item.detail)
                else:
                    yield RawRecord(item.record, number, None, line, item.encoding, item.warnings)

    def _iso2709(self) -> Iterator[RawRecord | Rejection]:
        name, flavour = str(self.path), self.flavour
        with open(self.path, "rb") as fh:
            for number, chunk in enumerate(iter_chunks(fh), 1):
                if not chunk.terminated:
                    detail = (
                        f"the file ends {len(chunk.data)} bytes into the record, before a "
                        "record terminator (0x1D); leader/00-04 says "
                        f"{chunk.data[:5].decode('latin-1')!r} bytes"
                    )
                    yield Rejection(name, number, chunk.offset, None, "truncated", detail)
                    continue
                try:
                    got = decode_chunk(chunk.data, flavour)
                except RecordError as err:
                    yield Rejection(name, number, chunk.offset, None, err.reason, err.detail)
                    continue
                yield RawRecord(got.record, number, chunk.offset, None, got.encoding, got.warnings)

    def _samples(self) -> list[Sample]:
        """Flavour features of the first records that parse (ISO 2709: raw directories)."""
        if self.format == "iso2709":
            with open(self.path, "rb") as fh:
                chunks = itertools.islice(iter_chunks(fh), SAMPLE_SIZE)
                return [s for c in chunks if (s := sample_iso(c.data)) is not None]
        items = iter_marcxml(self.path) if self.format == "marcxml" else _iter_json(self.path)
        with contextlib.closing(items):
            decoded = (item for _, item in items if isinstance(item, Decoded))
            return [sample_record(d.record) for d in itertools.islice(decoded, SAMPLE_SIZE)]


# --- MARC-in-JSON ---------------------------------------------------------------------
# pymarc.JSONReader loads a whole document with json.load(strict=False): it cannot stream
# JSON Lines, accepts raw control characters inside strings (marc4j's
# illegal-marc-in-json.json) and raises KeyError on the first malformed record.

_WS = re.compile(r"\s*")


def _skip(text: str, pos: int) -> int:
    """Position of the next non-whitespace character."""
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _indicator(value: object) -> str:
    return value[0] if isinstance(value, str) and value else " "


def _json_field(tag: str, value: object, notes: list[str]) -> pymarc.Field:
    control = tag < "010" and tag.isdigit()
    if isinstance(value, str):
        if control:
            return pymarc.Field(tag=tag, data=nfc(value))
        notes.append(f"field {tag} is a plain string, not subfields; kept as $a")
        return pymarc.Field(tag, subfields=[pymarc.Subfield("a", nfc(value))])
    if not isinstance(value, dict) or not isinstance(value.get("subfields"), list):
        raise RecordError("bad-field", f"field {tag} is neither a string nor has subfields")
    subfields = []
    for sub in value["subfields"]:
        if not isinstance(sub, dict) or len(sub) != 1:
            raise RecordError("bad-field", f"field {tag} has a malformed subfield {sub!r:.60}")
        ((code, text),) = sub.items()
        if not code:
            raise RecordError("missing-code", f"field {tag} has a subfield without a code")
        subfields.append(pymarc.Subfield(str(code), nfc(str(text))))
    if control:
        notes.append(f"field {tag} has subfields but a control field tag; kept as data")
        return pymarc.Field(tag, data="".join(s.value for s in subfields))
    indicators = pymarc.Indicators(_indicator(value.get("ind1")), _indicator(value.get("ind2")))
    return pymarc.Field(tag, indicators, subfields)


def _json_record(obj: object) -> Decoded:
    """A pymarc record from one MARC-in-JSON object (leader + list of one-key fields)."""
    if not isinstance(obj, dict):
        raise RecordError("json-error", f"expected a MARC-in-JSON object, found {obj!r:.60}")
    items = obj.get("fields")
    if not isinstance(items, list) or not items:
        raise RecordError("missing-fields", "the object has no 'fields' list")
    notes: list[str] = []
    fields = []
    for k, item in enumerate(items, 1):
        if not isinstance(item, dict) or len(item) != 1:
            raise RecordError("bad-field", f"field {k} is not a one-key object: {item!r:.60}")
        ((tag, value),) = item.items()
        if not tag:
            raise RecordError("missing-tag", f"field {k} has an empty tag")
        fields.append(_json_field(str(tag), value, notes))
    raw = obj.get("leader")
    leader, note = repair_leader(raw if isinstance(raw, str) else None)
    if note:
        notes.insert(0, note)
    record = pymarc.Record(leader=leader)
    record.leader = pymarc.Leader(leader)
    record.fields.extend(fields)
    return Decoded(record, UTF8, notes)


def _iter_json(path: Path) -> Generator[tuple[int | None, Decoded | RecordError]]:
    """Yield (line, record or error) for a JSON array, one object, or JSON Lines."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield 1, RecordError("json-error", f"the file is not UTF-8 (byte {exc.start})")
        return
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    in_array = text.startswith("[", pos)
    if in_array:
        pos = _skip(text, pos + 1)
    line, counted = 1, 0
    while pos < len(text) and not (in_array and text.startswith("]", pos)):
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield (
                line,
                RecordError("json-error", f"line {exc.lineno} column {exc.colno}: {exc.msg}"),
            )
            resume = -1 if in_array else text.find("\n{", exc.pos)
            if resume < 0:
                return
            pos = resume + 1
            continue
        try:
            yield line, _json_record(obj)
        except RecordError as err:
            yield line, err
        pos = _skip(text, pos)
        if in_array and text.startswith(",", pos):
            pos = _skip(text, pos + 1)
