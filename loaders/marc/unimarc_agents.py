"""Names of responsibility (700-722) as bf:Contribution, and the name headings that
personal and corporate subjects (600, 601) share with them.

Relators ($4) are UNIMARC three-digit codes (070 author, 340 editor, 730
translator) or, in Chinese records, terms such as 主编, 编, 著, 译: codes go to
``role_codes`` (with their English term in ``roles``), terms to ``roles``.
"""

from __future__ import annotations

import pymarc

from kg.model import Agent, AgentKind, BibRecord, Contribution, Text
from loaders.marc.common import has_han
from loaders.marc.unimarc_text import Sub, first_raw, paired, romanised, text

# UNIMARC relator codes (Appendix C), with the labels of dp2's CNMARC "linkcode" list.
RELATORS: dict[str, str] = {
    "005": "actor",
    "010": "adapter",
    "020": "annotator",
    "030": "arranger",
    "040": "artist",
    "050": "assignee",
    "060": "associated name",
    "065": "auctioneer",
    "070": "author",
    "072": "author in quotations or text extracts",
    "075": "author of afterword, postface, etc.",
    "080": "author of introduction, etc.",
    "090": "author of dialog",
    "100": "bibliographic antecedent",
    "110": "binder",
    "120": "binding designer",
    "130": "book designer",
    "140": "bookjacket designer",
    "150": "bookplate designer",
    "160": "bookseller",
    "170": "calligrapher",
    "180": "cartographer",
    "190": "censor",
    "200": "choreographer",
    "205": "collaborator",
    "210": "commentator",
    "212": "commentator for written text",
    "220": "compiler",
    "230": "composer",
    "240": "compositor",
    "245": "conceptor",
    "250": "conductor",
    "260": "copyright holder",
    "270": "corrector",
    "273": "curator of an exhibition",
    "275": "dancer",
    "280": "dedicatee",
    "290": "dedicator",
    "300": "director",
    "310": "distributor",
    "320": "donor",
    "330": "dubious author",
    "340": "editor",
    "350": "engraver",
    "360": "etcher",
    "365": "expert",
    "370": "film editor",
    "380": "forger",
    "390": "former owner",
    "400": "funder",
    "410": "graphic technician",
    "420": "honoree",
    "430": "illuminator",
    "440": "illustrator",
    "450": "inscriber",
    "460": "interviewee",
    "470": "interviewer",
    "480": "librettist",
    "490": "licensee",
    "500": "licensor",
    "510": "lithographer",
    "520": "lyricist",
    "530": "metal-engraver",
    "540": "monitor",
    "545": "musician",
    "550": "narrator",
    "560": "originator",
    "570": "other",
    "580": "papermaker",
    "590": "performer",
    "600": "photographer",
    "610": "printer",
    "620": "printer of plates",
    "630": "producer",
    "635": "programmer",
    "640": "proofreader",
    "650": "publisher",
    "651": "publishing director",
    "660": "recipient of letters",
    "670": "recording engineer",
    "675": "reviewer",
    "680": "rubricator",
    "690": "scenarist",
    "695": "scientific advisor",
    "700": "scribe",
    "705": "sculptor",
    "710": "secretary",
    "720": "signer",
    "721": "singer",
    "723": "sponsor",
    "727": "thesis advisor",
    "730": "translator",
    "740": "type designer",
    "750": "typographer",
    "755": "vocalist",
    "760": "wood-engraver",
    "770": "writer of accompanying material",
}

_AGENT_KINDS: dict[str, AgentKind] = {"0": "Person", "1": "Organization", "2": "Family"}


def agent_kind(field: pymarc.Field) -> AgentKind:
    """Person (70X), Organization or, with 1st indicator 1, Meeting (71X), Family (72X)."""
    kind = _AGENT_KINDS.get(field.tag[1], "Person")
    if kind == "Organization" and field.indicators and field.indicators[0] == "1":
        return "Meeting"
    return kind


def _person(parts: dict[str, list[str]]) -> str:
    """Entry element ($a), rest of name ($b), roman numerals ($d), additions ($c)."""
    name = parts["a"][0] if parts.get("a") else ""
    rest = [v.lstrip(", ") for v in parts.get("b", [])]
    if rest:
        name = f"{name.rstrip(', ')}, {' '.join(rest)}"
    for numeral in parts.get("d", []):
        name = f"{name} {numeral}"
    for addition in parts.get("c", []):
        # CNMARC puts a nationality such as (美) before a Chinese name
        name = f"{addition}{name}" if has_han(name) else f"{name}, {addition}"
    return name


def _corporate(parts: dict[str, list[str]]) -> str:
    """Entry element ($a), subdivisions ($b), inverted element ($g), other name part ($h),
    then additions, number, date and place of a meeting ($c $d $f $e) in parentheses.
    """
    head = parts.get("a", [""])[:1] + parts.get("b", [])
    han = any(has_han(v) for v in head)
    name = ("" if han else ". ").join(v for v in head if v)
    for inverted in parts.get("g", []):
        name = f"{name}, {inverted}"
    for other in parts.get("h", []):
        name = f"{name}. {other}"
    qualifiers = [v for code in "cdfe" for v in parts.get(code, [])]
    return f"{name} ({' ; '.join(qualifiers)})" if qualifiers else name


def _family(parts: dict[str, list[str]]) -> str:
    return parts["a"][0] if parts.get("a") else ""


_BUILDERS = {
    "Person": _person,
    "Organization": _corporate,
    "Meeting": _corporate,
    "Family": _family,
}
_NAME_CODES = {"Person": "abcd", "Organization": "abcdefgh", "Meeting": "abcdefgh", "Family": "a"}


def heading(kind: AgentKind, subs: list[Sub]) -> tuple[str, str | None]:
    """A name heading and its pinyin form (built from the pinyin partners, when $a has one)."""
    codes = _NAME_CODES[kind]
    parts: dict[str, list[str]] = {}
    pinyin: dict[str, list[str]] = {}
    for sub in subs:
        if sub.code in codes:
            parts.setdefault(sub.code, []).append(sub.value)
            if sub.pinyin:
                pinyin.setdefault(sub.code, []).append(sub.pinyin)
    build = _BUILDERS[kind]
    return build(parts), (build(pinyin) if pinyin.get("a") else None)


def authority_ids(field: pymarc.Field) -> list[str]:
    """Authority record numbers ($3) and ISNIs ($o, BnF ``ISNI0000000109320762``)."""
    out = []
    for code, raw in field.subfields:
        value = raw.strip()
        if code == "3" and value:
            out.append(value)
        elif code == "o" and value.startswith("ISNI"):
            out.append("https://isni.org/isni/" + value[4:].replace(" ", ""))
    return out


def relators(field: pymarc.Field) -> tuple[list[str], list[str]]:
    """Roles and role codes from $4: three-character codes, or terms (主编, trad.)."""
    roles: list[str] = []
    codes: list[str] = []
    for code, raw in field.subfields:
        value = raw.strip() if code == "4" else ""
        if not value:
            continue
        term: str | None = value
        if len(value) == 3 and value.isascii() and value.isalnum():
            term = RELATORS.get(value)
            if value not in codes:
                codes.append(value)
        if term and term not in roles:
            roles.append(term)
    return roles, codes


def contribution(rec: BibRecord, field: pymarc.Field, lang: str | None) -> None:
    """Personal (700 primary, 701 alternative, 702 secondary responsibility), corporate
    or meeting (710/711/712) and family (720/721/722) names, with $f dates, $3
    authority numbers, $4 relators and the pinyin of $a as a second name.
    """
    kind = agent_kind(field)
    name, pinyin = heading(kind, paired(field, rec, lang, nine=True))
    if not name:
        return
    roles, codes = relators(field)
    agent = Agent(kind, names_text(name, pinyin, lang), first_raw(field, "f"), authority_ids(field))
    rec.contributions.append(Contribution(agent, roles, codes, primary=field.tag[2] == "0"))


def names_text(name: str, pinyin: str | None, lang: str | None) -> list[Text]:
    """A heading and its pinyin as literals."""
    out = [text(name, lang)]
    if pinyin and pinyin != name:
        out.append(romanised(pinyin, lang))
    return out
