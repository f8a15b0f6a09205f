"""ISO 2709 ("binary MARC"): split the byte stream, check the structure, decode with pymarc.

pymarc's ``MARCReader`` trusts leader/00-04 to find the next record and gives up on the
first broken one; ``pymarc.Record(data=...)`` trusts leader/12-16 and every directory
entry. This module splits the stream itself (leader length when it lands on a record
terminator, else the next terminator), hands each record to ``pymarc.Record`` unchanged
when a few O(1) checks pass, and otherwise repairs what the bytes allow before handing it
over: a wrong base address, a record longer than the format's 99999 bytes (offsets that
wrapped, saturated at 99999 or widened to six digits), lengths that disagree with the
field terminators, non-ASCII indicator bytes. Repairs never guess at text; each one is
reported as a warning.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pymarc

from loaders.marc.encoding import (
    LATIN1,
    MARC8,
    UTF8,
    Decoded,
    RecordError,
    expand_ncrs,
    is_double_utf8,
    marc8_problems,
    nfc_record,
    normalise_leader,
    pymarc_capture,
    repair_double_utf8,
    show_bytes,
)
from loaders.marc.flavour import UNIMARC

RT, FT = 0x1D, 0x1E
MAX_RECORD = 99999  # five digits in leader/00-04
MAX_FIELD = 9999  # four digits in a directory entry
_SEPARATORS = b"\r\n\x00\x1a"  # line ends and padding some writers put between records
_BLANK = b" \t\r\n\x00\x1a"
_NON_ASCII_CODE = re.compile(rb"\x1f[\x80-\xff][\x80-\xbf]*")  # delimiter + damaged code

# In ISO 5426 / ISO 6937 (UNIMARC, some European MARC21 exports) 0xC1-0xC4 are grave,
# acute, circumflex and tilde written before the letter; in MARC-8 they are the spacing
# symbols ℓ ℗ © ♯, which hardly ever stand right before a letter.
_PREFIX_ACCENT = re.compile(rb"[\xc1-\xc4][A-Za-z]")
# Text left behind by other conversions: XML entities, MARC-8 with the ESC bytes removed.
_ENTITY = re.compile(rb"&(?:amp|lt|gt|quot|apos|nbsp);")
_ESC_LOST = re.compile(rb"\$1(?:[\x21-\x7e]{3})+\(B")
# C0 controls other than ESC (MARC-8) and the three ISO 2709 delimiters.
_CONTROL = re.compile(rb"[\x00-\x1a\x1c]")

Fields = list[tuple[str, bytes]]  # (tag, field data ending with the field terminator)


@dataclass(slots=True)
class Chunk:
    """The bytes of one record as found in the file."""

    offset: int
    data: bytes
    terminated: bool  # ends with the record terminator 0x1D


class _Stream:
    """A read buffer over a binary file that hands out records without re-reading."""

    __slots__ = ("block", "buf", "eof", "fh", "pos", "start")

    def __init__(self, fh: BinaryIO, block: int) -> None:
        self.fh, self.block = fh, block
        self.buf, self.start, self.pos, self.eof = b"", 0, 0, False

    def fill(self, n: int) -> bool:
        """Make at least ``n`` bytes available from ``pos``; False at end of file."""
        while len(self.buf) - self.pos < n and not self.eof:
            data = self.fh.read(max(self.block, n))
            if not data:
                self.eof = True
                break
            self.buf = self.buf[self.pos :] + data
            self.start += self.pos
            self.pos = 0
        return len(self.buf) - self.pos >= n

    def find_rt(self) -> int:
        """Distance from ``pos`` to the next record terminator, -1 if there is none."""
        searched = 0
        while True:
            i = self.buf.find(b"\x1d", self.pos + searched)
            if i >= 0:
                return i - self.pos
            searched = len(self.buf) - self.pos
            if not self.fill(searched + 1):
                return -1

    def take(self, n: int) -> bytes:
        data = self.buf[self.pos : self.pos + n]
        self.pos += n
        return data


def iter_chunks(fh: BinaryIO, block: int = 1 << 20) -> Iterator[Chunk]:
    """Split an ISO 2709 stream into records.

    Record length (leader/00-04) is used when it is five digits and the byte it points to
    is the record terminator 0x1D; otherwise the record runs to the next 0x1D. A last
    record without a terminator is yielded with ``terminated=False``.
    """
    s = _Stream(fh, block)
    if s.fill(3) and s.buf.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark
        s.pos = 3
    while True:
        while s.fill(1) and s.buf[s.pos] in _SEPARATORS:
            s.pos += 1
        if not s.fill(1):
            return
        offset = s.start + s.pos
        head = s.buf[s.pos : s.pos + 5] if s.fill(5) else b""
        length = int(head) if head.isdigit() else 0
        if length >= 25 and s.fill(length) and s.buf[s.pos + length - 1] == RT:
            yield Chunk(offset, s.take(length), True)
            continue
        end = s.find_rt()
        if end < 0:
            data = s.take(len(s.buf) - s.pos)
            if data.strip(_BLANK):
                yield Chunk(offset, data, False)
            return
        data = s.take(end + 1)
        if data[:-1].strip(_BLANK):
            yield Chunk(offset, data, True)


# --- structure ------------------------------------------------------------------------


def _mask(match: re.Match[bytes]) -> bytes:
    """Same-length stand-in for a non-ASCII subfield code (see ``_decode``)."""
    return b"\x1f" + b"?" * (len(match.group()) - 1)


def _fast(chunk: bytes, leader: str) -> bool:
    """O(1) checks that let pymarc read the record as it is (the common case)."""
    n = len(chunk)
    base_s = leader[12:17]
    if n > MAX_RECORD or not base_s.isdigit():
        return False
    base = int(base_s)
    entries, rem = divmod(base - 25, 12)
    if rem or entries < 1 or base >= n or chunk[base - 1] != FT:
        return False
    last = chunk[base - 13 : base - 1]
    return (
        last[3:12].isdigit()
        and base + int(last[7:12]) + int(last[3:7]) == n - 1
        and chunk.count(b"\x1e") == entries + 1
    )


def _entries(directory: bytes, wide: bool) -> list[tuple[str, int, int]]:
    """Directory entries (tag, length, offset); ``wide`` allows six-digit offsets.

    Some writers of records over 99999 bytes widen the offset to six digits once it
    passes 99999 (marc4j's ``datos-20161010-slice.mrc``); such an entry is recognised by
    its offset being exactly the sum of the lengths before it.
    """
    out: list[tuple[str, int, int]] = []
    k, total = 0, 0
    while k < len(directory):
        entry = directory[k : k + 12]
        width = 12
        if wide and total > MAX_RECORD and directory[k + 7 : k + 13] == b"%06d" % total:
            width = 13
        length, offset = directory[k + 3 : k + 7], directory[k + 7 : k + width]
        if len(entry) < 12 or not (length.isdigit() and offset.isdigit()):
            raise RecordError(
                "bad-directory",
                f"directory entry {len(out) + 1} ({directory[k : k + width].decode()!r}) "
                "does not have the form tag + 4-digit length + 5-digit offset",
            )
        out.append((entry[:3].decode("ascii"), int(length), int(offset)))
        total += int(length)
        k += width
    return out


def _layout_error(directory: bytes) -> str:
    """Explain why a directory is not a whole number of 12-byte entries."""
    return (
        f"the directory is {len(directory)} bytes, not a whole number of 12-byte entries "
        f"(tag, length, offset): {directory[:48].decode()!r}..."
    )


def _by_offsets(chunk: bytes, base: int, entries: list[tuple[str, int, int]]) -> Fields | None:
    end, out = len(chunk) - 1, []
    for tag, length, offset in entries:
        a, b = base + offset, base + offset + length
        if length < 1 or b > end or chunk[b - 1] != FT:
            return None
        out.append((tag, chunk[a:b]))
    return out


def _by_lengths(chunk: bytes, base: int, entries: list[tuple[str, int, int]]) -> Fields | None:
    end, pos, out = len(chunk) - 1, base, []
    for tag, length, _ in entries:
        b = pos + length
        if length < 1 or b > end or chunk[b - 1] != FT:
            return None
        out.append((tag, chunk[pos:b]))
        pos = b
    return out if pos == end else None


def _by_terminators(chunk: bytes, base: int, entries: list[tuple[str, int, int]]) -> Fields | None:
    pieces = chunk[base:-1].split(b"\x1e")
    if pieces[-1] or len(pieces) - 1 != len(entries):
        return None
    ordered = sorted(entries, key=lambda e: e[2])
    return [(tag, piece + b"\x1e") for (tag, _, _), piece in zip(ordered, pieces, strict=False)]


def _mismatch(chunk: bytes, base: int, entries: list[tuple[str, int, int]]) -> str:
    end = len(chunk) - 1
    for k, (tag, length, offset) in enumerate(entries, 1):
        a, b = base + offset, base + offset + length
        if b > end:
            return (
                f"directory entry {k} puts field {tag} at bytes {a}-{b - 1}, past the end of "
                f"the record ({len(chunk)} bytes)"
            )
        if length < 1 or chunk[b - 1] != FT:
            return (
                f"field {tag} (directory entry {k}: {length} bytes at offset {offset}) does "
                f"not end with a field terminator: {show_bytes(chunk, max(a, b - 1))}"
            )
    return "the directory does not match the field terminators"


def _structure(chunk: bytes, leader: str, notes: list[str]) -> Fields:
    """Locate every field of a record whose structure failed the quick checks."""
    n = len(chunk)
    dir_end = chunk.find(b"\x1e", 24)
    if dir_end < 0:
        raise RecordError("bad-directory", "no field terminator (0x1E) ends the directory")
    directory = chunk[24:dir_end]
    if not directory:
        raise RecordError("missing-fields", "the directory is empty: the record has no fields")
    if not directory.isascii():
        i = next(i for i, b in enumerate(directory) if b > 0x7F)
        raise RecordError(
            "bad-directory",
            f"directory entry {i // 12 + 1} contains a non-ASCII byte: {show_bytes(chunk, 24 + i)}",
        )
    if len(directory) % 12 and n <= MAX_RECORD:
        raise RecordError("bad-directory", _layout_error(directory))
    entries = _entries(directory, wide=n > MAX_RECORD)
    base = dir_end + 1
    if leader[12:17] != f"{base:05d}" and n <= MAX_RECORD:
        notes.append(
            f"base address of data (leader/12-16) is {leader[12:17]!r} but the directory "
            f"ends at byte {dir_end}; data read from byte {base}"
        )
    fields = _by_offsets(chunk, base, entries) if n <= MAX_RECORD else None
    if fields is None:
        fields = _by_lengths(chunk, base, entries)
        if fields is not None:
            notes.append("directory offsets do not fit the data; fields located by their lengths")
    if fields is None:
        fields = _by_terminators(chunk, base, entries)
        if fields is None:
            raise RecordError("bad-directory", _mismatch(chunk, base, entries))
        notes.append(
            "directory lengths do not match the data; fields located by their terminators (0x1E)"
        )
    return _fix_indicators(fields, notes)


def _fix_indicators(fields: Fields, notes: list[str]) -> Fields:
    """Blank non-ASCII indicator bytes (pymarc rejects the record for them)."""
    out: Fields = []
    for tag, data in fields:
        cut = data.find(b"\x1f")
        head = data[:cut] if cut >= 0 else data[:-1]
        if (tag < "010" and tag.isdigit()) or head.isascii():
            out.append((tag, data))
            continue
        bad = " ".join(f"0x{b:02X}" for b in head if b > 0x7F)
        where = "indicator byte(s)" if 0 <= cut <= 2 else "non-ASCII byte(s) before any subfield"
        notes.append(f"field {tag}: {where} {bad} are not valid; read as blank")
        fixed = bytes(b if b < 0x80 else 0x20 for b in head)
        out.append((tag, fixed + data[len(head) :]))
    return out


def _build(leader: str, fields: Fields) -> list[bytes]:
    """Re-serialise fields as well-formed records of at most 99999 bytes each."""
    parts: list[bytes] = []
    group: Fields = []
    size = 0
    for tag, data in fields:
        if len(data) > MAX_FIELD:
            raise RecordError(
                "bad-field", f"field {tag} is {len(data)} bytes, more than ISO 2709 allows (9999)"
            )
        if group and 26 + 12 * (len(group) + 1) + size + len(data) > MAX_RECORD:
            parts.append(_assemble(leader, group, size))
            group, size = [], 0
        group.append((tag, data))
        size += len(data)
    parts.append(_assemble(leader, group, size))
    return parts


def _assemble(leader: str, fields: Fields, size: int) -> bytes:
    directory, offset = [], 0
    for tag, data in fields:
        directory.append(b"%s%04d%05d" % (tag.encode("ascii"), len(data), offset))
        offset += len(data)
    base = 24 + 12 * len(fields) + 1
    head = f"{base + size + 1:05d}{leader[5:12]}{base:05d}{leader[17:]}".encode("ascii")
    return b"".join([head, *directory, b"\x1e", *(d for _, d in fields), b"\x1d"])


# --- decoding -------------------------------------------------------------------------


def _read(
    parts: list[bytes], encoding: str, notes: list[str], stderr: io.StringIO | None = None
) -> pymarc.Record:
    """Decode the parts of one record with pymarc and merge them."""
    locate = None
    if any(_NON_ASCII_CODE.search(p) for p in parts):

        def locate(sub: bytes) -> str:
            part = next((p for p in parts if sub in p), parts[0])
            return f"field {_tag_at(part, part.find(sub))}"

    records = []
    with pymarc_capture(notes, stderr=stderr, subfield_codes=locate):
        for part in parts:
            if encoding == UTF8:
                records.append(pymarc.Record(data=part, force_utf8=True))
                continue
            # pymarc decodes MARC-8 only when leader/09 is not 'a'
            data = part if part[9] == 0x20 else part[:9] + b" " + part[10:]
            codec = "latin-1" if encoding == LATIN1 else "iso8859-1"  # "iso8859-1" = MARC-8
            records.append(pymarc.Record(data=data, file_encoding=codec))
    record = records[0]
    for other in records[1:]:
        record.fields.extend(other.fields)
    return record


def _tag_at(chunk: bytes, pos: int) -> str:
    """The tag of the field holding byte ``pos`` ('?' when the directory is unreadable)."""
    dir_end = chunk.find(b"\x1e", 24)
    directory = chunk[24:dir_end]
    for k in range(0, len(directory) - 11, 12):
        entry = directory[k : k + 12]
        if entry[3:12].isdigit():
            a = dir_end + 1 + int(entry[7:12])
            if a <= pos < a + int(entry[3:7]):
                return entry[:3].decode("latin-1")
    return "?"


def _bad_utf8(chunk: bytes, exc: UnicodeDecodeError) -> str:
    return f"field {_tag_at(chunk, exc.start)}: {show_bytes(chunk, exc.start)} is not valid UTF-8"


def _marc8(chunk: bytes, parts: list[bytes], notes: list[str]) -> tuple[pymarc.Record, list[str]]:
    """Decode as MARC-8; return the record and the converter's complaints."""
    err = io.StringIO()
    try:
        record = _read(parts, MARC8, notes, stderr=err)
    except UnicodeDecodeError as exc:
        if exc.encoding != "marc8_to_unicode":
            raise  # a structural problem (non-ASCII indicator, ...), not the text
        pos = chunk.find(exc.object) if isinstance(exc.object, bytes) else -1
        where = f"field {_tag_at(chunk, pos)}" if pos >= 0 else "a field"
        raise RecordError(
            "bad-encoding",
            f"{where} is not valid MARC-8 (escape sequence or multibyte character cut off): "
            f"{show_bytes(chunk, max(pos, 0) + exc.start)}",
        ) from exc
    if b"#x" in chunk:
        expand_ncrs(record)
    problems = marc8_problems(err.getvalue())
    if accent := _PREFIX_ACCENT.search(chunk):
        problems.append(
            f"field {_tag_at(chunk, accent.start())}: {show_bytes(chunk, accent.start())} looks "
            "like ISO 5426/6937 (an accent byte before its letter), which is not MARC-8"
        )
    return record, problems


def _decode(
    chunk: bytes, leader: str, flavour: str, parts: list[bytes], notes: list[str]
) -> tuple[pymarc.Record, str]:
    """Pick the character encoding (leader/09 for MARC21, sniffing for UNIMARC) and decode."""
    flag = leader[9]
    odd = flavour != UNIMARC and flag not in "a "
    oddity = f"character coding scheme (leader/09) is {flag!r}, neither 'a' nor blank"
    # A non-ASCII byte right after a subfield delimiter is a damaged subfield code, not
    # text: pymarc guesses the code (and we warn); it must not decide the encoding.
    probe = _NON_ASCII_CODE.sub(_mask, chunk) if _NON_ASCII_CODE.search(chunk) else chunk
    if probe.isascii() and b"\x1b" not in chunk:
        if odd:
            notes.append(f"{oddity}; the text is plain ASCII")
        record = _read(parts, UTF8, notes)
        if flavour != UNIMARC and flag == " ":  # ASCII is the same in MARC-8 and UTF-8
            if b"&#x" in chunk:
                expand_ncrs(record)
            return record, MARC8
        return record, UTF8
    try:
        text = probe.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _not_utf8(chunk, leader, flavour, parts, notes, exc=exc)
    escaped = b"\x1b" in chunk
    if flavour == UNIMARC or flag == "a" or not escaped:
        if flavour != UNIMARC and flag == " ":
            notes.append("leader/09 says MARC-8 but the text is UTF-8; read as UTF-8")
        elif odd:
            notes.append(f"{oddity}; the text is UTF-8, read as UTF-8")
        record = _read(parts, UTF8, notes)
        if is_double_utf8(text):
            notes.append(f"text was UTF-8 encoded twice; repaired ({repair_double_utf8(record)})")
            nfc_record(record)
        elif not unicodedata.is_normalized("NFC", text):
            nfc_record(record)
        return record, UTF8
    record, problems = _marc8(chunk, parts, notes)
    if odd:
        notes.append(f"{oddity}; read as MARC-8")
    notes.extend(problems)
    return record, MARC8


def _not_utf8(
    chunk: bytes,
    leader: str,
    flavour: str,
    parts: list[bytes],
    notes: list[str],
    *,
    exc: UnicodeDecodeError,
) -> tuple[pymarc.Record, str]:
    """Decode a record whose bytes are not UTF-8."""
    flag = leader[9]
    where = _bad_utf8(chunk, exc)
    if flavour == UNIMARC:
        try:
            trial: list[str] = []
            record, problems = _marc8(chunk, parts, trial)
        except RecordError:
            problems = ["not MARC-8"]
        if not problems:
            notes.append(f"{where}; read as MARC-8")
            notes.extend(trial)
            return record, MARC8
        notes.append(f"{where}, nor clean MARC-8; read as Latin-1")
        return _read(parts, LATIN1, notes), LATIN1
    if flag == "a":
        try:
            record, problems = _marc8(chunk, parts, notes)
        except RecordError as err:
            raise RecordError(
                "bad-encoding", f"leader/09 says UTF-8 but {where}; nor is it MARC-8"
            ) from err
        if problems:
            raise RecordError(
                "bad-encoding",
                f"leader/09 says UTF-8 but {where}; as MARC-8: {'; '.join(problems)}",
            )
        notes.append(f"leader/09 says UTF-8 but {where}; read as MARC-8")
        return record, MARC8
    record, problems = _marc8(chunk, parts, notes)
    if flag != " ":
        notes.append(f"character coding scheme (leader/09) is {flag!r}; read as MARC-8")
    notes.extend(problems)
    return record, MARC8


def _unimarc_charset(record: pymarc.Record, notes: list[str]) -> None:
    """Note when UNIMARC 100 $a/26-29 (character sets) does not declare Unicode ('50')."""
    f100 = record.get("100")
    value = None if f100 is None else f100.get("a")
    if value and len(value) >= 28 and "50" not in (value[26:28], value[28:30]):
        notes.append(
            f"character sets (100 $a/26-29) are {value[26:30]!r}, not '50' (Unicode), "
            "but the text is UTF-8; read as UTF-8"
        )


def _residue(chunk: bytes, notes: list[str]) -> None:
    """Note text that another conversion left escaped; it is kept as written."""
    if b"&" in chunk and (m := _ENTITY.search(chunk)):
        notes.append(
            f"field {_tag_at(chunk, m.start())}: XML entity {m.group().decode()!r} in the "
            "text (escaped twice by an earlier conversion?); kept as written"
        )
    if b"(B" in chunk and (m := _ESC_LOST.search(chunk)):
        notes.append(
            f"field {_tag_at(chunk, m.start())}: {m.group()[:24].decode()!r} looks like MARC-8 "
            "whose escape bytes (0x1B) were removed; kept as written"
        )


def _classify(exc: Exception, chunk: bytes) -> RecordError:
    if isinstance(exc, RecordError):
        return exc
    if isinstance(exc, UnicodeDecodeError) and exc.encoding == "utf-8":
        pos = chunk.find(exc.object) if isinstance(exc.object, bytes) else -1
        pos = pos + exc.start if pos >= 0 else 0
        return RecordError(
            "bad-encoding", f"field {_tag_at(chunk, pos)}: {show_bytes(chunk, pos)} is not UTF-8"
        )
    reasons: dict[type[Exception], str] = {
        pymarc.TruncatedRecord: "truncated",
        pymarc.NoFieldsFound: "missing-fields",
        pymarc.RecordLeaderInvalid: "bad-leader",
        pymarc.BaseAddressInvalid: "bad-directory",
        pymarc.BaseAddressNotFound: "bad-directory",
        pymarc.RecordDirectoryInvalid: "bad-directory",
    }
    reason = next((r for t, r in reasons.items() if isinstance(exc, t)), "bad-record")
    return RecordError(reason, f"pymarc: {type(exc).__name__}: {exc}")


def decode_chunk(chunk: bytes, flavour: str) -> Decoded:
    """Decode one terminated ISO 2709 record (with its 0x1D) of the given flavour."""
    n = len(chunk)
    if n < 25:
        raise RecordError("bad-leader", f"only {n} bytes, too short for a 24-byte leader")
    head = chunk[:24]
    if not head.isascii():
        raise RecordError("bad-leader", f"the leader contains non-ASCII bytes: {head!r}")
    leader = head.decode("ascii")
    notes: list[str] = []
    if leader[:5] != f"{n:05d}":
        notes.append(
            f"record length (leader/00-04) is {leader[:5]!r} but the record is {n} bytes"
            + (", more than ISO 2709 allows (99999)" if n > MAX_RECORD else "")
        )
    record: pymarc.Record | None = None
    encoding = UTF8
    if _fast(chunk, leader):
        parts = [chunk] if leader[:5] == f"{n:05d}" else [b"%05d" % n + chunk[5:]]
        kept = len(notes)
        try:
            record, encoding = _decode(chunk, leader, flavour, parts, notes)
        except RecordError:
            raise
        except Exception:  # e.g. a non-ASCII indicator: retry with the structural repairs
            del notes[kept:]
    if record is None:
        try:
            parts = _build(leader, _structure(chunk, leader, notes))
            record, encoding = _decode(chunk, leader, flavour, parts, notes)
        except Exception as exc:  # any pymarc failure becomes a rejection
            raise _classify(exc, chunk) from exc
    if flavour == UNIMARC and encoding == UTF8 and not chunk.isascii():
        _unimarc_charset(record, notes)
    if b"&" in chunk or b"(B" in chunk:
        _residue(chunk, notes)
    if control := _CONTROL.search(chunk, 24):
        notes.append(
            f"field {_tag_at(chunk, control.start())} contains the control character "
            f"0x{control.group()[0]:02X}: {show_bytes(chunk, control.start())}; kept as written"
        )
    record.leader = pymarc.Leader(normalise_leader(leader))
    return Decoded(record, encoding, notes)
