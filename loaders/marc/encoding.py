"""Character-level helpers shared by the MARC readers.

pymarc decodes records but has three blind spots this module covers:

* its MARC-8 converter reports unmappable bytes only by writing to ``sys.stderr`` and
  substituting a space, so "did MARC-8 decode cleanly?" needs that stream captured;
* it reports structural oddities (missing indicators, ...) through the ``pymarc``
  logger and non-ASCII subfield codes through :mod:`warnings`; both are turned into
  per-record warnings here instead of leaking to the console (or, under pytest's
  ``-W error``, aborting the read);
* it does not NFC-normalise UTF-8 text, repair UTF-8 that was encoded twice, or expand
  the numeric character references (``&#xFFFD;``) that MARC-8 uses for characters
  outside its repertoire.

The captures swap process-wide state (``sys.stderr``, a logger filter, the warnings
filters) for the length of one record: read files in parallel with processes, not threads.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pymarc
from pymarc.exceptions import BadSubfieldCodeWarning

UTF8 = "utf-8"
MARC8 = "marc-8"
LATIN1 = "latin-1"

_PYMARC_LOGGER = logging.getLogger("pymarc")
# MARC-8 G0 sets such as Greek (0x53) or Cyrillic (0x4E) have no entry for the space
# character; pymarc complains but maps it to a space anyway, which is correct.
_HARMLESS_MARC8 = re.compile(r"Unable to parse character 0x20 in ")
_UNMAPPED_MARC8 = re.compile(r"Unable to parse character (0x[0-9a-f]+)")
# pymarc moves a MARC-8 combining mark after the next character, so an accented letter
# written as mark + reference comes out as '&' + mark + '#x03B1;'.
_NCR = re.compile(r"&([\u0300-\u036f\ufe20-\ufe2f]*)#x([0-9A-Fa-f]{1,6});")
_VISIBLE = str.maketrans(
    {chr(c): "·" for c in range(0x20)} | {"\x1f": "$", "\x1e": "|", "\x1d": "|", "\x1b": "<ESC>"}
)


class RecordError(Exception):
    """A record that cannot be read: a short reason code and a message for people."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Decoded:
    """A record decoded by one of the format readers, before numbering."""

    record: pymarc.Record
    encoding: str
    warnings: list[str] = field(default_factory=list)


class _Collector(logging.Filter):
    """Swallow pymarc's per-field log messages and keep them as record warnings."""

    def __init__(self, sink: list[str]) -> None:
        super().__init__()
        self.sink = sink

    def filter(self, record: logging.LogRecord) -> bool:
        self.sink.append(f"pymarc: {record.getMessage()}")
        return False


@contextlib.contextmanager
def pymarc_capture(
    sink: list[str],
    *,
    stderr: io.StringIO | None = None,
    subfield_codes: Callable[[bytes], str] | None = None,
) -> Iterator[None]:
    """Run pymarc with its log messages (and optionally stderr, warnings) captured."""
    collector = _Collector(sink)
    _PYMARC_LOGGER.addFilter(collector)
    try:
        with contextlib.ExitStack() as stack:
            if stderr is not None:
                stack.enter_context(contextlib.redirect_stderr(stderr))
            if subfield_codes is not None:
                caught = stack.enter_context(warnings.catch_warnings(record=True))
                warnings.simplefilter("always", BadSubfieldCodeWarning)
            yield
            if subfield_codes is not None:
                sink.extend(
                    _subfield_code_note(w.message, subfield_codes)
                    for w in caught
                    if isinstance(w.message, BadSubfieldCodeWarning)
                )
    finally:
        _PYMARC_LOGGER.removeFilter(collector)


def _subfield_code_note(warning: BadSubfieldCodeWarning, locate: Callable[[bytes], str]) -> str:
    data: bytes = warning.subf
    try:
        code = pymarc.normalize_subfield_code(data)[0]
    except IndexError:
        code = "?"
    excerpt = data[:24].decode("utf-8", "replace")
    return (
        f"{locate(data)}: subfield code byte 0x{data[0]:02X} is not ASCII; "
        f"pymarc read it as {code!r} in '{excerpt}'"
    )


def marc8_problems(stderr_text: str) -> list[str]:
    """Turn pymarc's MARC-8 complaints into warnings, dropping the harmless ones."""
    lines = [ln for ln in stderr_text.splitlines() if ln and not _HARMLESS_MARC8.match(ln)]
    if not lines:
        return []
    unmapped = [m.group(1) for ln in lines if (m := _UNMAPPED_MARC8.match(ln))]
    other = len(lines) - len(unmapped)
    out: list[str] = []
    if unmapped:
        shown = ", ".join(dict.fromkeys(unmapped[:8]))
        out.append(
            f"MARC-8: {len(unmapped)} character(s) have no Unicode mapping ({shown}); "
            "replaced by spaces"
        )
    if other:
        out.append(f"MARC-8: {other} incomplete multibyte (EACC) character(s); replaced by spaces")
    return out


def normalise_leader(leader: str) -> str:
    """Blanks written as '#' or '-' (as in dp2 CNMARC or display formats) become spaces."""
    if "#" in leader or "-" in leader:
        return leader.replace("#", " ").replace("-", " ")
    return leader


def map_text(record: pymarc.Record, func: Callable[[str], str]) -> None:
    """Apply ``func`` to every control-field value and subfield value, in place."""
    for fld in record.fields:
        if fld.control_field:
            if fld.data:
                fld.data = func(fld.data)
        else:
            fld.subfields = [pymarc.Subfield(sf.code, func(sf.value)) for sf in fld.subfields]


def nfc(text: str) -> str:
    """NFC normal form (a no-op, and cheap, for text that already is)."""
    return unicodedata.normalize("NFC", text)


def nfc_record(record: pymarc.Record) -> None:
    """NFC-normalise all text of a record in place."""
    map_text(record, nfc)


def _undouble(text: str) -> str:
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def is_double_utf8(text: str) -> bool:
    """True when UTF-8 text was decoded as Latin-1 and encoded to UTF-8 again ("mÃ¼himme")."""
    if text.isascii():
        return False
    try:
        text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return False
    return True


def repair_double_utf8(record: pymarc.Record) -> str:
    """Undo double UTF-8 encoding in place; return an example for the warning."""
    example = next(
        (
            sf.value
            for fld in record.fields
            if not fld.control_field
            for sf in fld.subfields
            if not sf.value.isascii()
        ),
        "",
    )
    map_text(record, _undouble)
    word = next((w for w in example.split() if not w.isascii()), example)[:40]
    return f"'{word}' read as '{_undouble(word)}'"


def expand_ncrs(record: pymarc.Record) -> None:
    """Expand MARC-8 numeric character references such as ``&#x03B1;`` in place.

    MARC-8 writes characters outside its repertoire this way (LC's lossless conversion).
    """

    def one(match: re.Match[str]) -> str:
        code = int(match.group(2), 16)
        return chr(code) + match.group(1) if code <= 0x10FFFF else match.group(0)

    map_text(record, lambda s: _NCR.sub(one, s) if "#x" in s else s)
    nfc_record(record)


def show_bytes(data: bytes, pos: int, width: int = 20) -> str:
    """A readable excerpt of ``data`` around ``pos`` with the bad byte marked."""
    left = data[max(0, pos - width) : pos].decode("utf-8", "replace")
    bad = data[pos : pos + 1].hex().upper()
    right = data[pos + 1 : pos + 1 + width].decode("utf-8", "replace")
    return f"'{left}[0x{bad}]{right}'".translate(_VISIBLE)
