"""Load-time quality checks of MARC records (issue 7): what a cataloguer should fix.

Each check is a pure function over the pymarc record, the mapped :class:`kg.model.BibRecord`
and a small :class:`CheckContext`; it returns :class:`kg.model.Finding` s with a name, a
severity (``error`` / ``warning`` / ``info``) and a message in English that names the field
and the value. :func:`run_checks` runs them all; the loader puts the findings on the record,
the mapping writes them into the record's graph (``kg:QualityFinding``), and the load report
counts them by check. The checks and their rules are listed in docs/quality.md.

>>> rec = pymarc.Record()
>>> rec.add_field(pymarc.Field("020", [" ", " "], [pymarc.Subfield("a", "7-5037-1744-1")]))
>>> [f.check for f in isbn_issn(rec, BibRecord("1", "marc21"), CheckContext("X"))]
['isbn-check-digit']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pymarc
from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn

from kg.classes import cut_points, deepest_class, normalise
from kg.ids import Minter
from kg.keys import fold
from kg.model import BibRecord, Finding, Title
from kg.store import Store
from kg.terms import text_of
from loaders.marc.encoding import is_double_utf8
from loaders.marc.linkage import link_of

UNIMARC = "unimarc"

# The MARC Code List for Languages (ISO 639-2/B; local-use codes qaa-qtz excluded), taken
# from the ISO 639-2 table in qa-catalogue's avram-unimarc.json (../shared/data).
LANGUAGES = frozenset(
    """
aar abk ace ach ada ady afa afh afr ain aka akk alb ale alg alt amh ang anp apa ara arc
arg arm arn arp art arw asm ast ath aus ava ave awa aym aze bad bai bak bal bam ban baq
bas bat bej bel bem ben ber bho bih bik bin bis bla bnt bos bra bre btk bua bug bul bur
byn cad cai car cat cau ceb cel cha chb che chg chi chk chm chn cho chp chr chu chv chy
cmc cop cor cos cpe cpf cpp cre crh crp csb cus cze dak dan dar day del den dgr din div
doi dra dsb dua dum dut dyu dzo efi egy eka elx eng enm epo est ewe ewo fan fao fat fij
fil fin fiu fon fre frm fro frr frs fry ful fur gaa gay gba gem geo ger gez gil gla gle
glg glv gmh goh gon gor got grb grc gre grn gsw guj gwi hai hat hau haw heb her hil him
hin hit hmn hmo hsb hun hup iba ibo ice ido iii ijo iku ile ilo ina inc ind ine inh ipk
ira iro ita jav jbo jpn jpr jrb kaa kab kac kal kam kan kar kas kau kaw kaz kbd kha khi
khm kho kik kin kir kmb kok kom kon kor kos kpe krc krl kro kru kua kum kur kut lad lah
lam lao lat lav lez lim lin lit lol loz ltz lua lub lug lui lun luo lus mac mad mag mah
mai mak mal man mao map mar mas may mdf mdr men mga mic min mis mkh mlg mlt mnc mni mno
moh mol mon mos mul mun mus mwl mwr myn myv nah nai nap nau nav nbl nde ndo nds nep new
nia nic niu nno nob nog non nor nqo nso nub nwc nya nym nyn nyo nzi oci oji ori orm osa
oss ota oto paa pag pal pam pan pap pau peo per phi phn pli pol pon por pra pro pus que
raj rap rar roa roh rom rum run rup rus sad sag sah sai sal sam san sas sat scc scn sco
scr sel sem sga sgn shn sid sin sio sit sla slo slv sma sme smi smj smn smo sms sna snd
snk sog som son sot spa srd srn srr ssa ssw suk sun sus sux swa swe syc syr tah tai tam
tat tel tem ter tet tgk tgl tha tib tig tir tiv tkl tlh tli tmh tog ton tpi tsi tsn tso
tuk tum tup tur tut tvl twi tyv udm uga uig ukr umb und urd uzb vai ven vie vol vot wak
wal war was wel wen wln wol xal xho yao yap yid yor ypk zap zbl zen zha znd zul zun zxx
zza
""".split()  # noqa: SIM905 - a code list reads best laid out as the standard prints it
)
# Codes the MARC list has discontinued (written "-esk" there): seen in older records.
OBSOLETE_LANGUAGES = frozenset(
    """
ajm cam esk esp eth far fri gae gag gal gua int iri kus lan lap max mla sao sho snh sso
swz tag taj tar tru tsw
""".split()  # noqa: SIM905 - as above
)
# CLC main classes (中图法 基本大类); T is divided into two-letter classes (TB … TV).
_CLC = re.compile(r'(?:[A-KN-VXZ]|T[A-Z])[0-9A-Z.\-+=/:()"]*')
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
_ISSN_TOKEN = re.compile(r"[0-9]{4}-?[0-9]{3}[0-9Xx]")
_ISBN_TOKEN = re.compile(r"[0-9][0-9\- ]{7,}[0-9Xx]|[0-9]{9}[0-9Xx]")
# Text of a UTF-8 record that is still double-encoded UTF-8: "Ã©", "â€™" (C2-F4 lead, then
# 80-BF continuations read as Latin-1 / Windows-1252 characters).
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
    "\u017e\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# EACC (MARC-8 CJK) bytes left in UTF-8 text when the escape to CJK was lost: CJK or kana
# followed by a run of ASCII triples such as "!$+i%9" (pride-and-prejudice-fixed.mrc 245 $c).
_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_EACC_RUN = re.compile(f"[{_CJK}]((?:[!-~]{{3}}){{2,}})")


@dataclass(slots=True)
class CheckContext:
    """What the checks need besides the record: the institution, the file, the loaded CLC
    table, and the control numbers seen in this file and already in the store."""

    institution: str
    file: str = ""
    clc: frozenset[str] = frozenset()
    """Notations of the loaded CLC table (empty when none is loaded: syntax is checked)."""
    loaded_from: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    """Control number → (name of the file it was loaded from, folded main titles), for this
    institution's records already in the store (earlier loads)."""
    seen: dict[str, int] = field(default_factory=dict)
    """Control number → record number, in the file being loaded."""
    looked_up: set[str] = field(default_factory=set)
    """The control numbers whose earlier loads were asked of the store (:func:`look_up_loaded`)."""
    _parents: frozenset[str] | None = None

    def has_narrower(self, notation: str) -> bool:
        """True when the CLC table has a class below ``notation``."""
        if self._parents is None:
            self._parents = frozenset(n[:cut] for n in self.clc for cut in cut_points(n)[1:])
        return notation in self._parents


Check = Callable[[pymarc.Record, BibRecord, CheckContext], Iterator[Finding]]


def run_checks(
    record: pymarc.Record,
    rec: BibRecord,
    ctx: CheckContext,
    notes: Sequence[str] = (),
    number: int = 0,
) -> list[Finding]:
    """Every check on one record; ``notes`` are the reader's warnings about it (encoding
    repairs), ``number`` its position in the file (for duplicate control numbers).

    The one check that needs the store, :func:`loaded_before`, runs per batch.
    """
    if rec.status == "deleted":
        return []
    findings = [f for check in CHECKS for f in check(record, rec, ctx)]
    findings += encoding_notes(notes)
    findings += duplicates(rec, ctx, number)
    return findings


def _subfields(record: pymarc.Record, tag: str, codes: str) -> Iterator[tuple[str, str]]:
    for fld in record.get_fields(tag):
        if not fld.is_control_field():
            for sub in fld.subfields:
                if sub.code in codes:
                    yield sub.code, sub.value


# --- title ------------------------------------------------------------------------------


def title(record: pymarc.Record, rec: BibRecord, ctx: CheckContext) -> Iterator[Finding]:
    """Missing or empty title proper: MARC21 245 $a (or $k), UNIMARC 200 $a."""
    tag = "200" if rec.flavour == UNIMARC else "245"
    codes = "a" if rec.flavour == UNIMARC else "ak"
    fields = record.get_fields(tag)
    if not fields:
        yield Finding("missing-title", "error", f"No title: field {tag} is missing.", tag)
        return
    values = [v for _, v in _subfields(record, tag, codes)]
    if not any(v.strip(" /:;=.,[]") for v in values):
        yield Finding(
            "missing-title",
            "error",
            f"Empty title: field {tag} has no text in $a"
            + (f" (it reads {fields[0].value()!r})." if fields[0].value() else "."),
            tag,
        )


# --- standard numbers -------------------------------------------------------------------


def isbn_issn(record: pymarc.Record, rec: BibRecord, ctx: CheckContext) -> Iterator[Finding]:
    """ISBN (MARC21 020 $a, UNIMARC 010 $a) and ISSN (022 $a, 011 $a) check digits.

    Numbers in $z (cancelled/invalid) and 022 $y (incorrect) are catalogued as wrong on
    purpose and not checked.
    """
    unimarc = rec.flavour == UNIMARC
    isbn_tag, issn_tag = ("010", "011") if unimarc else ("020", "022")
    for _, value in _subfields(record, isbn_tag, "a"):
        finding = _isbn(value, isbn_tag)
        if finding is not None:
            yield finding
    for _, value in _subfields(record, issn_tag, "a"):
        finding = _issn(value, issn_tag)
        if finding is not None:
            yield finding


def _isbn(value: str, tag: str) -> Finding | None:
    match = _ISBN_TOKEN.search(value)
    digits = re.sub(r"[^0-9Xx]", "", match.group(0)).upper() if match else ""
    where = f"ISBN {value.strip()!r} in {tag} $a"
    if len(digits) not in (10, 13):
        return Finding(
            "isbn-malformed",
            "error",
            f"{where} is not an ISBN: it has {len(digits)} digits, an ISBN has 10 or 13.",
            tag,
        )
    if stdnum_isbn.is_valid(digits):
        return None
    if len(digits) == 13 and digits[:3] not in ("978", "979"):
        return Finding(
            "isbn-malformed", "error", f"{where}: a 13-digit ISBN starts with 978 or 979.", tag
        )
    right = _isbn_check_digit(digits[:-1])
    return Finding(
        "isbn-check-digit",
        "error",
        f"{where}: wrong check digit {digits[-1]}, it should be {right} "
        "(a typing error, or the number belongs to another book).",
        tag,
    )


def _isbn_check_digit(body: str) -> str:
    """The check digit of an ISBN-10 (mod 11) or ISBN-13 (mod 10) without its last digit.

    >>> _isbn_check_digit("750371744"), _isbn_check_digit("978750371744")
    ('0', '4')
    """
    if len(body) == 9:
        total = sum((10 - i) * int(d) for i, d in enumerate(body))
        check = (11 - total % 11) % 11
        return "X" if check == 10 else str(check)
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return str((10 - total % 10) % 10)


def _issn(value: str, tag: str) -> Finding | None:
    match = _ISSN_TOKEN.search(value)
    digits = re.sub(r"[^0-9Xx]", "", match.group(0) if match else value).upper()
    where = f"ISSN {value.strip()!r} in {tag} $a"
    if len(digits) != 8:
        return Finding(
            "issn-malformed",
            "error",
            f"{where} is not an ISSN: it has {len(digits)} digits, an ISSN has 8.",
            tag,
        )
    if stdnum_issn.is_valid(digits):
        return None
    right = stdnum_issn.calc_check_digit(digits[:-1])
    return Finding(
        "issn-check-digit",
        "error",
        f"{where}: wrong check digit {digits[-1]}, it should be {right}.",
        tag,
    )


# --- dates ------------------------------------------------------------------------------

# Date types whose Date 1 and Date 2 bound a range (MARC21 008/06, UNIMARC 100/08).
_RANGES = set("mqcdiku") | set("abgf")  # UNIMARC a/b/g: serials, f: questionable range
_SKIPPED = set("nb| ")  # no dates, B.C., not coded


def dates(record: pymarc.Record, rec: BibRecord, ctx: CheckContext) -> Iterator[Finding]:
    """Date 1/2 of MARC21 008/06-14 (UNIMARC 100 $a/08-16) against the years of publication
    in 260/264 $c (UNIMARC 210/214 $d)."""
    if rec.flavour == UNIMARC:
        data = next((v for _, v in _subfields(record, "100", "a")), "")
        kind, date1, date2, coded = data[8:9], data[9:13], data[13:17], "100 $a/08-16"
        places = [("210", "d"), ("214", "d")]
    else:
        data = (record["008"].data or "") if "008" in record else ""
        kind, date1, date2, coded = data[6:7], data[7:11], data[11:15], "008/06-14"
        places = [("260", "c"), ("264", "c")]
    if len(date1) < 4 or kind in _SKIPPED or not re.fullmatch(r"[0-9][0-9u]{3}", date1):
        return
    stated: list[tuple[str, str, str]] = []  # (tag, text, year)
    for tag, code in places:
        for fld in record.get_fields(tag):
            if tag == "264" and fld.indicator2 not in ("1", "4"):
                continue  # production, distribution, manufacture
            for sub in fld.subfields:
                if sub.code == code:
                    stated += [(tag, sub.value, y) for y in _YEAR.findall(sub.value)]
    if not stated:
        return
    if any(_agrees(y, kind, date1, date2) for _, _, y in stated):
        return
    tag, text, year = stated[0]
    yield Finding(
        "date-mismatch",
        "warning",
        f"Date of publication {date1} in {coded} (type {kind!r}) disagrees with {tag} "
        f"{text.strip()!r} ({year}).",
        "100" if rec.flavour == UNIMARC else "008",
    )


def _agrees(year: str, kind: str, date1: str, date2: str) -> bool:
    def same(coded: str) -> bool:
        return len(coded) == 4 and all(c in ("u", y) for c, y in zip(coded, year, strict=True))

    if same(date1) or same(date2):
        return True
    if kind in _RANGES and date1.isdigit():
        end = date2 if date2.isdigit() else "9999"
        return date1 <= year <= end
    return False


# --- languages --------------------------------------------------------------------------


def languages(record: pymarc.Record, rec: BibRecord, ctx: CheckContext) -> Iterator[Finding]:
    """Language codes of MARC21 008/35-37 and 041, UNIMARC 101, against the MARC list."""
    coded: list[tuple[str, str]] = []
    if rec.flavour == UNIMARC:
        coded += [("101", v) for _, v in _subfields(record, "101", "abcdefghij")]
    else:
        fixed = (record["008"].data or "") if "008" in record else ""
        if len(fixed) >= 38:
            coded.append(("008", fixed[35:38]))
        for fld in record.get_fields("041"):
            if fld.indicator2 == "7":
                continue  # codes from another list, named in $2
            coded += [("041", s.value) for s in fld.subfields if s.code in "abdefghjkmn"]
    for tag, value in coded:
        for code in _codes(tag, value):
            where = "008/35-37" if tag == "008" else f"{tag}"
            if code in OBSOLETE_LANGUAGES:
                yield Finding(
                    "language-code",
                    "info",
                    f"Language code {code!r} in {where} is discontinued in the MARC list.",
                    tag,
                )
            elif code not in LANGUAGES:
                yield Finding(
                    "language-code",
                    "warning",
                    f"Unknown language code {code!r} in {where}: not in the MARC list of "
                    "languages.",
                    tag,
                )


def _codes(tag: str, value: str) -> list[str]:
    """Three-letter codes of a subfield; 041 and 101 may run codes together ("engfre")."""
    text = value.strip()
    if tag == "008" and text in ("", "|||", "###"):
        return []
    if tag == "008" or len(text) % 3 or not text:
        return [text.lower() if text.isalpha() else text]
    return [text[i : i + 3].lower() for i in range(0, len(text), 3)]


# --- classification ---------------------------------------------------------------------


def clc(record: pymarc.Record, rec: BibRecord, ctx: CheckContext) -> Iterator[Finding]:
    """CLC notations (UNIMARC 690 $a, MARC21 093/084 $2 clc): well-formed, and in the
    loaded table (:func:`kg.classes.deepest_class`)."""
    tag = "690" if rec.flavour == UNIMARC else "093"
    for c in rec.classifications:
        if c.scheme != "clc":
            continue
        notation = normalise(c.notation)
        if not _CLC.fullmatch(notation):
            yield Finding(
                "clc-unknown-class",
                "error",
                f"CLC notation {c.notation!r} in {tag} is not well-formed: it must start "
                "with a main class letter (A-K, N-V, X, Z; TB-TV).",
                tag,
            )
            continue
        if not ctx.clc:
            continue
        klass, rest = deepest_class(notation, ctx.clc)
        if klass is None:
            yield Finding(
                "clc-unknown-class",
                "error",
                f"CLC notation {c.notation!r} in {tag} matches no class of the loaded table.",
                tag,
            )
        elif rest and (rest[0].isalnum() or rest[0] == ".") and ctx.has_narrower(klass):
            yield Finding(
                "clc-unknown-class",
                "warning",
                f"CLC notation {c.notation!r} in {tag}: the table has no class {notation!r} "
                f"under {klass} (only {klass} itself matches).",
                tag,
            )


# --- 880 linkage ------------------------------------------------------------------------


def linkage(record: pymarc.Record, rec: BibRecord, ctx: CheckContext) -> Iterator[Finding]:
    """MARC21 880 fields and their partners, linked by $6 (tag-occurrence)."""
    if rec.flavour == UNIMARC:
        return
    regular: dict[tuple[str, str], str] = {}
    for fld in record.fields:
        if fld.tag != "880" and not fld.is_control_field():
            link = link_of(fld)
            if link is not None and link.tag == "880":
                regular[(fld.tag, link.occurrence)] = fld.tag
    linked: set[tuple[str, str]] = set()
    for fld in record.get_fields("880"):
        link = link_of(fld)
        text = " ".join(s.value for s in fld.subfields if s.code != "6")[:60]
        if link is None:
            yield Finding(
                "880-unpaired",
                "warning",
                f"880 {text!r} has no $6 linkage: its regular field cannot be found.",
                "880",
            )
        elif link.occurrence == "00":
            yield Finding(
                "880-unpaired",
                "info",
                f"880 {text!r} ($6 {link.tag}-00) has no regular field, as occurrence 00 says.",
                "880",
            )
        elif (link.tag, link.occurrence) not in regular:
            yield Finding(
                "880-unpaired",
                "warning",
                f"880 {text!r} ($6 {link.tag}-{link.occurrence}): no field {link.tag} "
                f"has $6 880-{link.occurrence}.",
                "880",
            )
        else:
            linked.add((link.tag, link.occurrence))
    for tag, occurrence in sorted(set(regular) - linked):
        yield Finding(
            "880-unpaired",
            "warning",
            f"Field {tag} has $6 880-{occurrence} but there is no 880 with $6 {tag}-{occurrence}.",
            tag,
        )


# --- encoding damage --------------------------------------------------------------------


def encoding(record: pymarc.Record, rec: BibRecord, ctx: CheckContext) -> Iterator[Finding]:
    """Encoding damage left in the text: MARC-8 escapes or EACC bytes inside UTF-8, and
    double-encoded UTF-8 ("Ã©" for "é") that the reader could not repair."""
    for fld in record.fields:
        if fld.is_control_field():
            continue
        for sub in fld.subfields:
            value = sub.value
            where = f"{fld.tag} ${sub.code}"
            if "\x1b" in value:
                yield Finding(
                    "marc8-in-utf8",
                    "error",
                    f"{where} {_show(value)!r} contains a MARC-8 escape (0x1B): the text was "
                    "not converted to Unicode.",
                    fld.tag,
                )
            elif (run := _EACC_RUN.search(value)) and _punctuated(run.group(1)):
                yield Finding(
                    "marc8-in-utf8",
                    "error",
                    f"{where} {value[:60]!r}: {run.group(1)!r} looks like MARC-8 CJK (EACC) "
                    "bytes left in Unicode text.",
                    fld.tag,
                )
            elif _MOJIBAKE.search(value) and is_double_utf8(value):
                yield Finding(
                    "double-encoded-utf8",
                    "error",
                    f"{where} {value[:60]!r} is UTF-8 encoded twice (reads "
                    f"{_undouble(value)[:60]!r}).",
                    fld.tag,
                )


def _punctuated(run: str) -> bool:
    """EACC triples are mostly punctuation ("!$+i%9"); words, numbers and dates are not."""
    return sum(not c.isalnum() for c in run) * 2 >= len(run)


def _undouble(text: str) -> str:
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def _show(value: str) -> str:
    return value.replace("\x1b", "<ESC>")[:60]


_READER_NOTES = (
    ("UTF-8 encoded twice", "double-encoded-utf8"),
    ("escape bytes (0x1B) were removed", "marc8-in-utf8"),
)


def encoding_notes(notes: Sequence[str]) -> list[Finding]:
    """Damage the reader found and repaired (loaders.marc.iso2709): still the member's to
    fix in its catalogue, so a warning."""
    return [
        Finding(check, "warning", f"Encoding damage repaired when reading: {note}.", None)
        for note in notes
        for marker, check in _READER_NOTES
        if marker in note
    ]


# --- duplicates -------------------------------------------------------------------------


def duplicates(rec: BibRecord, ctx: CheckContext, number: int) -> list[Finding]:
    """The same control number (001) twice in one file: the later record replaces the
    earlier one."""
    control = rec.control_number
    earlier = ctx.seen.setdefault(control, number)
    if earlier == number:
        return []
    return [
        Finding(
            "duplicate-control-number",
            "error",
            f"Control number {control!r} (001) is also record {earlier} of this file; "
            "this record replaced it.",
            "001",
        )
    ]


def loaded_before(rec: BibRecord, ctx: CheckContext) -> list[Finding]:
    """The same control number (001) already loaded from another file of the same
    institution for a record with another title (``ctx.loaded_from``, filled per batch by
    :func:`look_up_loaded`)."""
    if rec.status == "deleted":
        return []
    control = rec.control_number
    source, titles = ctx.loaded_from.get(control, ("", set()))
    mine = {fold(t.value) for t in (rec.main_title() or Title("main", [])).main}
    # A newer export of the same catalogue repeats every control number: only a record with
    # another title under the same number is a duplicate (and a reload stays unchanged).
    if source and source != ctx.file and titles and mine and not titles & mine:
        return [
            Finding(
                "duplicate-control-number",
                "warning",
                f"Control number {control!r} (001) was already loaded from {source} for a "
                f"record with another title; this record from {ctx.file} replaced it.",
                "001",
            )
        ]
    return []


CHECKS: tuple[Check, ...] = (title, isbn_issn, dates, languages, clc, linkage, encoding)
"""The record checks, in the order their findings are listed."""


# --- per load ---------------------------------------------------------------------------


def context_for(institution: str, file: str, clc: set[str] | None) -> CheckContext:
    """The context of one load run (one file of ``institution``); ``clc`` the notations of
    the loaded CLC table."""
    return CheckContext(institution, file.rsplit("/", 1)[-1], frozenset(clc or ()))


def look_up_loaded(store: Store, ids: Minter, ctx: CheckContext, controls: Iterable[str]) -> None:
    """Add to ``ctx.loaded_from`` what the store holds for the control numbers this run has
    not looked up yet (one ``quality_loaded_records`` query per batch).

    Asked before the batch is written and once per control number, so the answer is the
    store as it was before this run, whatever this run's earlier batches wrote since.
    """
    new = [c for c in dict.fromkeys(controls) if c not in ctx.looked_up]
    if not new:
        return
    ctx.looked_up.update(new)
    graphs = [ids.record_graph(ctx.institution, c) for c in new]
    for r in store.select("quality_loaded_records", graphs=graphs):
        entry = ctx.loaded_from.setdefault(text_of(r["control"]), (text_of(r["file"]), set()))
        if "title" in r:
            entry[1].add(fold(text_of(r["title"])))
