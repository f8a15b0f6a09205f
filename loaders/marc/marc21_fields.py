"""Field handlers for MARC21 bibliographic data fields (one function per field group).

Each handler reads a :class:`Paired` field (a field with its 880 partner) and
adds to a :class:`BibRecord`. Text from the regular field and from its 880
become literals on the same entity, tagged by script.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pymarc

from kg.model import (
    Agent,
    AgentKind,
    BibRecord,
    Classification,
    Contribution,
    Identifier,
    Note,
    Provision,
    Series,
    Subject,
    SubjectPart,
    Text,
    Title,
)
from loaders.marc.common import (
    clean,
    has_han,
    has_letters,
    isbn_identifier,
    issn_identifier,
    romanised_tag,
    text_tagged,
    vernacular_tag,
)
from loaders.marc.linkage import Paired

Handler = Callable[[BibRecord, Paired, str | None], None]


def subs(field: pymarc.Field | None, codes: str) -> list[str]:
    """Values of the subfields whose code is in ``codes``, in field order."""
    if field is None:
        return []
    return [s.value for s in field.subfields if s.code in codes and s.value.strip()]


def joined(field: pymarc.Field | None, codes: str) -> str:
    """The subfields ``codes`` joined by spaces, with trailing ISBD punctuation removed."""
    return clean(" ".join(clean(v) for v in subs(field, codes)))


def texts(p: Paired, codes: str, lang: str | None) -> list[Text]:
    """The text of ``codes`` from a field and its 880, each tagged by script.

    With a partner, the regular field is the romanisation (``zh-Latn-pinyin``)
    and the 880 the vernacular (``zh-Hans``, ``ru-Cyrl``...).
    """
    out: list[Text] = []
    regular = joined(p.field, codes)
    vernacular = joined(p.vernacular, codes)
    if regular:
        if vernacular and not has_han(regular) and has_letters(regular):
            out.append(Text(regular, romanised_tag(lang)))
        else:
            out.append(text_tagged(regular, lang))
    if vernacular and vernacular != regular:
        out.append(Text(vernacular, vernacular_tag(vernacular, lang, p.script)))
    return out


def _main(p: Paired) -> pymarc.Field:
    field = p.field or p.vernacular
    assert field is not None  # a Paired always holds at least one field
    return field


def uris(field: pymarc.Field) -> list[str]:
    """Authority record numbers and real-world object URIs ($0, $1)."""
    return [v.strip() for v in subs(field, "01")]


# --- identifiers: 010, 020, 022, 035 -------------------------------------------------


def isbn(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """ISBN (020): $a valid, $z cancelled/invalid, $q qualifier."""
    field = _main(p)
    qualifier = " ".join(clean(q) for q in subs(field, "q")) or None
    for code, raw in ((s.code, s.value) for s in field.subfields if s.code in "az"):
        ident = isbn_identifier(raw, invalid=code == "z")
        if qualifier and not ident.qualifier:
            ident.qualifier = qualifier.strip("() ")
        rec.identifiers.append(ident)


def issn(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """ISSN (022): $a, $y incorrect, $z cancelled."""
    for s in _main(p).subfields:
        if s.code in "ayz":
            rec.identifiers.append(issn_identifier(s.value, invalid=s.code != "a"))


def lccn(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Library of Congress Control Number (010 $a)."""
    for value in subs(_main(p), "a"):
        rec.identifiers.append(Identifier("Lccn", value.strip(), value))


def system_number(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """System control number (035): ``(OCoLC)`` numbers become bf:OclcNumber."""
    for s in _main(p).subfields:
        if s.code not in "az":
            continue
        raw = s.value.strip()
        source, _, number = raw[1:].partition(")") if raw.startswith("(") else ("", "", raw)
        number = number.strip()
        if source == "OCoLC":
            digits = number.lstrip("ocmnl").lstrip("ocn").strip()
            rec.identifiers.append(
                Identifier("OclcNumber", digits, raw, source="OCoLC", invalid=s.code == "z")
            )
        else:
            rec.identifiers.append(
                Identifier("Local", number, raw, source=source or None, invalid=s.code == "z")
            )


def languages(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Language code (041 $a $d $e...): three-letter MARC codes, possibly run together."""
    for value in subs(_main(p), "abdefghjkmn"):
        for i in range(0, len(value.strip()) - 2, 3):
            code = value.strip()[i : i + 3].lower()
            if code.isalpha() and code not in rec.languages:
                rec.languages.append(code)


# --- classification: 050, 060, 082, 084, 093 ------------------------------------------


def _classifier(scheme: str) -> Handler:
    def handler(rec: BibRecord, p: Paired, lang: str | None) -> None:
        field = _main(p)
        item = clean(" ".join(subs(field, "b"))) or None
        edition = None
        field_scheme = scheme
        if field.tag in ("082", "083"):
            edition = clean(" ".join(subs(field, "2"))) or None
        elif field.tag == "084":
            field_scheme = (clean(" ".join(subs(field, "2"))) or "local").lower()
        for notation in subs(field, "a"):
            rec.classifications.append(Classification(field_scheme, clean(notation), item, edition))

    handler.__doc__ = f"Classification number ({scheme})."
    return handler


# --- agents: 100/110/111, 700/710/711 -------------------------------------------------

_NAME_CODES = {"Person": "abcq", "Organization": "abcdgn", "Meeting": "acdengq", "Family": "abc"}


def contributor(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Main and added entries (100/110/111, 700/710/711) as bf:Contribution."""
    field = _main(p)
    kind: AgentKind
    if p.tag.endswith("00"):
        kind = "Family" if field.indicators and field.indicators[0] == "3" else "Person"
    elif p.tag.endswith("10"):
        kind = "Organization"
    else:
        kind = "Meeting"
    if p.tag in ("700", "710", "711") and subs(field, "t"):
        # a name/title added entry names a related work, not a contributor
        rec.notes.append(Note("related-work", texts(p, "abcdt", lang)))
        return
    names = texts(p, _NAME_CODES[kind], lang)
    if not names:
        return
    dates = clean(" ".join(subs(field, "d"))) if kind == "Person" else None
    roles = [clean(r) for r in subs(field, "e" if kind != "Meeting" else "j")]
    codes = [c.strip() for c in subs(field, "4") if not c.startswith("http")]
    agent = Agent(kind, names, dates or None, uris(field))
    rec.contributions.append(
        Contribution(agent, [r for r in roles if r], codes, primary=p.tag.startswith("1"))
    )


# --- titles: 130, 240, 245, 246 ------------------------------------------------------


def title_statement(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Title statement (245): $a title, $b remainder, $n/$p part; $c responsibility."""
    main = texts(p, "a", lang)
    existing = rec.main_title()
    if existing is not None and p.field is None:
        existing.main.extend(main)  # an unmatched 880 of 245: same title, other script
        existing.subtitle.extend(texts(p, "b", lang))
        return
    rec.titles.append(Title("main", main, texts(p, "b", lang), texts(p, "fgknps", lang)))
    responsibility = texts(p, "c", lang)
    if responsibility:
        rec.notes.append(Note("responsibility", responsibility))


def variant_title(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Varying form of title (246): 2nd indicator 1 is a parallel title."""
    field = _main(p)
    kind = "parallel" if field.indicators and field.indicators[1] == "1" else "variant"
    main = texts(p, "a", lang)
    if main:
        rec.titles.append(Title(kind, main, texts(p, "b", lang), texts(p, "np", lang)))


def uniform_title(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Uniform title (130, 240): a title of the Work."""
    main = texts(p, "a", lang)
    if main:
        rec.titles.append(Title("uniform", main, [], texts(p, "dfgklmnoprs", lang)))


# --- edition, provision, description --------------------------------------------------

_PROVISION_264 = {
    "0": "Production",
    "1": "Publication",
    "2": "Distribution",
    "3": "Manufacture",
    "4": "Copyright",
}


def edition(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Edition statement (250 $a $b)."""
    rec.edition.extend(texts(p, "ab", lang))


def provision(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Publication, distribution, etc. (260) and production... (264) as bf:ProvisionActivity."""
    field = _main(p)
    kind = "Publication"
    if p.tag == "264" and field.indicators:
        kind = _PROVISION_264.get(field.indicators[1], "Publication")
    out = Provision(kind)
    for code, target in (("a", out.places), ("b", out.agents), ("c", out.dates)):
        for part in (p.field, p.vernacular):
            for value in subs(part, code):
                text = clean(value)
                if text:
                    target.append(_tag_like(text, p, part is p.vernacular, lang))
    rec.provision.append(out)
    if p.tag == "260":
        for code, target in (("e", out.places), ("f", out.agents), ("g", out.dates)):
            target.extend(Text(clean(v)) for v in subs(p.field, code))


def _tag_like(text: str, p: Paired, vernacular: bool, lang: str | None) -> Text:
    if not has_letters(text):
        return Text(text)
    if vernacular:
        return Text(text, vernacular_tag(text, lang, p.script))
    if p.vernacular is not None and not has_han(text):
        return Text(text, romanised_tag(lang))
    return text_tagged(text, lang)


def physical(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Physical description (300): $a extent (+ $b), $c dimensions."""
    rec.extent.extend(texts(p, "ab", lang))
    rec.dimensions.extend(texts(p, "c", lang))


def series_statement(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Series statement (490) and series added entries (800/810/811/830)."""
    codes = "a" if p.tag == "490" else ("t" if p.tag in ("800", "810", "811") else "anp")
    title = texts(p, codes, lang)
    if not title:
        return
    field = _main(p)
    volume = clean(" ".join(subs(field, "v"))) or None
    issn_value = clean(" ".join(subs(field, "x"))) or None
    rec.series.append(Series(title, volume, issn_value))


_NOTE_KINDS = {
    "500": "general",
    "501": "with",
    "502": "dissertation",
    "504": "bibliography",
    "505": "contents",
    "506": "access",
    "508": "credits",
    "510": "references",
    "511": "participants",
    "515": "numbering",
    "518": "event",
    "521": "audience",
    "530": "other-formats",
    "533": "reproduction",
    "534": "original-version",
    "538": "system",
    "540": "terms",
    "541": "acquisition",
    "545": "biography",
    "546": "language",
    "550": "issuing-body",
    "561": "ownership",
    "588": "description-source",
}


def note(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Notes (5XX); 520 Summary becomes bf:summary."""
    if p.tag == "520":
        rec.summaries.extend(texts(p, "ab", lang))
        return
    text = texts(p, "abcdefghijklmnopqrstuvwxyz", lang)
    if text:
        rec.notes.append(Note(_NOTE_KINDS.get(p.tag, f"note-{p.tag}"), text))


# --- subjects: 600-662 ----------------------------------------------------------------

_SUBJECT_KIND = {
    "600": "Person",
    "610": "Organization",
    "611": "Meeting",
    "630": "Work",
    "647": "Event",
    "648": "Temporal",
    "650": "Topic",
    "651": "Place",
    "655": "GenreForm",
}
_SUBDIVISION_KIND = {"v": "GenreForm", "x": "Topic", "y": "Temporal", "z": "Place"}
_THESAURUS = {
    "0": "lcsh",
    "1": "lcshac",
    "2": "mesh",
    "3": "nal",
    "5": "cash",
    "6": "rvm",
}
_HEAD_CODES = {
    "600": "abcdqt",
    "610": "abcdnt",
    "611": "acdent",
    "630": "adfklmnpst",
}


def subject(rec: BibRecord, p: Paired, lang: str | None) -> None:
    """Subject added entries (600/610/611/630/647/648/650/651/655) as SKOS concepts.

    The heading's $v/$x/$y/$z subdivisions become parts; the scheme comes from
    the 2nd indicator (0 LCSH, 2 MeSH...) or $2; $0/$1 URIs are kept.
    """
    field = _main(p)
    head_codes = _HEAD_CODES.get(p.tag, "ab")
    parts = [SubjectPart(_SUBJECT_KIND.get(p.tag, "Topic"), joined(field, head_codes))]
    parts.extend(
        SubjectPart(_SUBDIVISION_KIND[s.code], clean(s.value))
        for s in field.subfields
        if s.code in "vxyz" and clean(s.value)
    )
    parts = [part for part in parts if part.label]
    if not parts:
        return
    ind2 = field.indicators[1] if field.indicators else " "
    scheme = _THESAURUS.get(ind2) or (clean(" ".join(subs(field, "2"))).lower() or "local")
    label = "--".join(part.label for part in parts)
    labels = [text_tagged(label, lang)]
    if p.field is not None and p.vernacular is not None:
        other = "--".join(
            v
            for v in [joined(p.vernacular, head_codes)]
            + [clean(s.value) for s in p.vernacular.subfields if s.code in "vxyz"]
            if v
        )
        if other and other != label:
            labels = [Text(label, romanised_tag(lang)), Text(other, vernacular_tag(other, lang))]
    rec.subjects.append(
        Subject(_SUBJECT_KIND.get(p.tag, "Topic"), labels, scheme, parts, uris(field))
    )


def handlers(pairs: Iterable[tuple[tuple[str, ...], Handler]]) -> dict[str, Handler]:
    """Expand ``(tags, handler)`` pairs into a tag → handler table."""
    return {tag: handler for tags, handler in pairs for tag in tags}


FIELD_HANDLERS: dict[str, Handler] = handlers(
    [
        (("010",), lccn),
        (("020",), isbn),
        (("022",), issn),
        (("035",), system_number),
        (("041",), languages),
        (("050",), _classifier("lcc")),
        (("060",), _classifier("nlm")),
        (("082",), _classifier("ddc")),
        (("084",), _classifier("local")),
        (("093",), _classifier("clc")),
        (("100", "110", "111", "700", "710", "711"), contributor),
        (("130", "240"), uniform_title),
        (("245",), title_statement),
        (("246",), variant_title),
        (("250",), edition),
        (("260", "264"), provision),
        (("300",), physical),
        (("490", "800", "810", "811", "830"), series_statement),
        ((*tuple(_NOTE_KINDS), "520"), note),
        (tuple(_SUBJECT_KIND), subject),
    ]
)
