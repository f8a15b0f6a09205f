"""The regional gazetteer (CSV): places as SKOS concepts and schema.org places.

Columns: ``id, name_zh, name_zh_hant, pinyin, name_en, kind, parent, note``. ``id`` is a
stable ASCII slug (``nanchang``, ``nanchang-xian``); ``kind`` is one of :data:`KINDS`;
``parent`` is the id of the place one level up (empty for the root). Each place becomes
``{base}place/{id}``, a schema:Place and skos:Concept in the scheme ``places``, with one
skos:prefLabel per script (``zh-Hans``, ``zh-Hant``, ``zh-Latn-pinyin``, ``en``),
skos:broader and schema:containedInPlace its parent. The product ships
``sample/gazetteer.csv``: Jiangxi, its cities, and the county-level units of the Poyang
Lake Eco-Economic Zone.

:func:`place_matcher` finds the place a catalogue names ("南昌", "九江縣", "Jiujiang Shi",
"江西省南昌市"): see :class:`PlaceMatcher`.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.counting import Counting
from kg.ids import Minter, segment
from kg.keys import fold
from kg.store import Store
from kg.terms import Lit, Quad, Triple, text_of
from kg.vocab import KG, RDF, SCHEMA, SKOS, concept_scheme
from loaders.hierarchy import hierarchy_problem

COLUMNS = ("id", "name_zh", "name_zh_hant", "pinyin", "name_en", "kind", "parent", "note")
REQUIRED = ("id", "name_zh", "kind")
KINDS = ("province", "city", "county", "district", "county-city", "zone", "lake")
SCHEME = "places"
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_LABELS = (("name_zh", "zh-Hans"), ("name_zh_hant", "zh-Hant"), ("pinyin", "zh-Latn-pinyin"))

# The administrative suffix of each kind, per script: a name without it ("南昌",
# "Nanchang") still finds the place. Zones and lakes keep their whole name.
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "province": ("省", "sheng", "province"),
    "city": ("市", "shi", "city", "prefecture"),
    "county-city": ("市", "shi", "city"),
    "county": ("县", "xian", "county"),
    "district": ("区", "qu", "district"),
}
# A suffix the catalogue writes that the gazetteer's name does not have ("新建区" for
# 新建县 since 2015) still finds the place; it prefers places of the suffix's kinds.


def _generic() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for kind, forms in _SUFFIXES.items():
        for form in forms:
            out[form] = (*out.get(form, ()), kind)
    return out


_GENERIC = _generic()
# Leading words of a compound name that are not places of the gazetteer.
_IGNORABLE = frozenset({"中国", "中华人民共和国", "china", "prc"})
_MAX_KEY = 64
_MAX_PARTS = 4  # places in one compound name: province, city, county and one more


class GazetteerError(ValueError):
    """A gazetteer file that cannot be loaded: names the file, the line and the reason."""


@dataclass(frozen=True, slots=True)
class GazetteerReport:
    """What a gazetteer load wrote."""

    graph: str
    places: int
    kinds: dict[str, int]
    quads: int


def place_uri(ids: Minter, place_id: str) -> str:
    """The URI of a gazetteer place: ``{base}place/{id}``."""
    return f"{ids.base}place/{segment(place_id)}"


def places_graph(ids: Minter) -> str:
    """The named graph of the gazetteer."""
    return ids.base + "graph/vocab/places"


def read_gazetteer(path: Path) -> list[dict[str, str]]:
    """Rows of a gazetteer CSV, checked: columns, unique slug ids, kinds, parents, no cycle.

    :raises GazetteerError: with the file and line of the first problem.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise GazetteerError(f"{path}: missing column(s) {', '.join(missing)}")
        rows: list[dict[str, str]] = []
        lines: dict[str, int] = {}
        for line, raw in enumerate(reader, start=2):
            row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
            where = f"{path}, line {line}"
            if not _SLUG.fullmatch(row["id"]):
                raise GazetteerError(f"{where}: id {row['id']!r} is not a lower-case ASCII slug")
            if row["id"] in lines:
                raise GazetteerError(
                    f"{where}: id {row['id']!r} already on line {lines[row['id']]}"
                )
            if not row["name_zh"]:
                raise GazetteerError(f"{where}: empty name_zh")
            if row["kind"] not in KINDS:
                raise GazetteerError(f"{where}: kind {row['kind']!r} is not one of {KINDS}")
            lines[row["id"]] = line
            rows.append(row)
    _check_parents(rows, lines, path)
    return rows


def _check_parents(rows: list[dict[str, str]], lines: dict[str, int], path: Path) -> None:
    problem = hierarchy_problem({r["id"]: r["parent"] for r in rows})
    if problem is not None:
        place, reason = problem
        raise GazetteerError(f"{path}, line {lines[place]}: {reason}")


def gazetteer_triples(rows: list[dict[str, str]], ids: Minter) -> list[Triple]:
    """SKOS and schema.org triples for the gazetteer rows (and the scheme)."""
    scheme = ids.scheme(SCHEME)
    out = concept_scheme(scheme, [Lit("地名表", "zh-Hans"), Lit("Regional gazetteer", "en")])
    for row in rows:
        uri = place_uri(ids, row["id"])
        out += [
            (uri, RDF.type, SCHEMA.Place),
            (uri, RDF.type, SKOS.Concept),
            (uri, SKOS.inScheme, scheme),
            (uri, SKOS.notation, Lit(row["id"])),
            (uri, KG.placeKind, Lit(row["kind"])),
            (uri, SCHEMA.name, Lit(row["name_zh"], "zh-Hans")),
        ]
        for column, tag in _LABELS:
            if row[column]:
                out.append((uri, SKOS.prefLabel, Lit(row[column], tag)))
        if row["name_en"]:
            out.append((uri, SKOS.prefLabel, Lit(row["name_en"], "en")))
        if row["note"]:
            out.append((uri, SKOS.editorialNote, Lit(row["note"])))
        if row["parent"]:
            parent = place_uri(ids, row["parent"])
            out.append((uri, SKOS.broader, parent))
            out.append((uri, SCHEMA.containedInPlace, parent))
        else:
            out.append((uri, SKOS.topConceptOf, scheme))
            out.append((scheme, SKOS.hasTopConcept, uri))
    return out


def load_gazetteer(store: Store, ids: Minter, path: Path) -> GazetteerReport:
    """Replace the gazetteer graph with the places in ``path`` (one transaction)."""
    rows = read_gazetteer(path)
    graph = places_graph(ids)
    quads: list[Quad] = [(s, p, o, graph) for s, p, o in gazetteer_triples(rows, ids)]
    store.write([graph], quads)
    Counting(store, ids).rebuild()  # what counts roll up over has changed
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    return GazetteerReport(graph=graph, places=len(rows), kinds=kinds, quads=len(quads))


class PlaceMatcher:
    """Finds the gazetteer place a catalogued place name means; ``None`` when none.

    Names are compared folded (:func:`kg.keys.fold`: NFKC, case, traditional to
    simplified, punctuation and spaces removed), in any of the four scripts, with or
    without the administrative suffix (省/市/县/区, Sheng/Shi/Xian/Qu,
    Province/City/County/District). A whole name ("九江县") beats a name without its
    suffix; a bare name shared by a city and a county ("南昌", "九江") means the
    higher place. A compound ("江西省南昌市", "Nanchang, Jiangxi") resolves when its
    parts are places on one line of descent; the most specific of them wins.
    """

    def __init__(self, rows: Iterable[Mapping[str, str]], ids: Minter) -> None:
        self.ids = ids
        self._parent: dict[str, str] = {}
        self._kind: dict[str, str] = {}
        self._full: dict[str, set[str]] = {}
        self._stem: dict[str, set[str]] = {}
        for row in rows:
            place = row["id"]
            self._parent[place] = row.get("parent") or ""
            self._kind[place] = row.get("kind") or ""
            for column in ("name_zh", "name_zh_hant", "pinyin", "name_en"):
                name = row.get(column) or ""
                key = fold(name)
                if not key:
                    continue
                self._full.setdefault(key, set()).add(place)
                stem = _strip(key, _SUFFIXES.get(self._kind[place], ()))
                if stem:
                    self._stem.setdefault(stem, set()).add(place)
        self._depth = {p: len(self._ancestors(p)) for p in self._parent}

    def __len__(self) -> int:
        return len(self._parent)

    def __call__(self, name: str) -> str | None:
        """The URI of the place ``name`` means, or ``None``."""
        place = self.match_id(name)
        return place_uri(self.ids, place) if place else None

    def match_id(self, name: str) -> str | None:
        """The gazetteer id of the place ``name`` means, or ``None``.

        An LCSH-style qualifier counts as the enclosing places: "Nanchang (Jiangxi Sheng,
        China)" is read as "Nanchang, Jiangxi Sheng, China".
        """
        qualified = _QUALIFIER.fullmatch(name.strip())
        if qualified:
            head = qualified.group(1)
            within = [p for p in qualified.group(2).split(",") if fold(p) not in ("china", "中国")]
            # "Fuzhou (Fujian Sheng, China)" must not fall back to Fuzhou in Jiangxi
            return self.match_id(", ".join([head, *within])) if within else self.match_id(head)
        key = fold(name)
        if not key or len(key) > _MAX_KEY:
            return None
        found = self._candidates(key)
        if found:
            return found[0]
        for parts in self._segmentations(key):
            place = self._chain(parts)
            if place:
                return place
        return None

    def _ancestors(self, place: str) -> list[str]:
        out: list[str] = []
        up = self._parent.get(place, "")
        while up and up not in out:
            out.append(up)
            up = self._parent.get(up, "")
        return out

    def _rank(self, places: Iterable[str], kinds: tuple[str, ...] = ()) -> list[str]:
        """Places of the wanted kinds first, then higher places first, then by id."""
        return sorted(places, key=lambda p: (self._kind[p] not in kinds, self._depth[p], p))

    def _candidates(self, key: str) -> list[str]:
        """The places one name (no compound) may mean, best first."""
        if key in self._full:
            return self._rank(self._full[key])
        if key in self._stem:
            return self._rank(self._stem[key])
        for suffix, kinds in _GENERIC.items():
            stem = key.removesuffix(suffix)
            if stem != key and stem in self._stem:
                return self._rank(self._stem[stem], kinds)
        return []

    def _segmentations(self, key: str, parts: int = _MAX_PARTS) -> Iterator[list[list[str]]]:
        """Ways to read ``key`` as 2 to ``parts`` names, the longest first name first."""
        if parts < 2:
            return
        for cut in range(len(key) - 1, 0, -1):
            head, rest = key[:cut], key[cut:]
            ignorable = head in _IGNORABLE
            first = [] if ignorable else self._candidates(head)
            if not (first or ignorable):
                continue
            for tail in self._readings(rest, parts if ignorable else parts - 1):
                yield [first, *tail] if first else tail

    def _readings(self, key: str, parts: int) -> Iterator[list[list[str]]]:
        """Ways to read ``key`` as one name, then as 2 to ``parts`` names."""
        found = self._candidates(key)
        if found:
            yield [found]
        yield from self._segmentations(key, parts)

    def _chain(self, parts: list[list[str]]) -> str | None:
        """The most specific place of the first choice per part that lies on one line."""
        for choice in itertools.product(*parts):
            deepest = max(choice, key=lambda p: self._depth[p])
            line = {deepest, *self._ancestors(deepest)}
            if all(p in line for p in choice):
                return deepest
        return None


def place_matcher(
    source: Path | str | Iterable[Mapping[str, str]], ids: Minter
) -> Callable[[str], str | None]:
    """A :class:`PlaceMatcher` over a gazetteer file or its rows."""
    rows = read_gazetteer(Path(source)) if isinstance(source, (Path, str)) else source
    return PlaceMatcher(rows, ids)


def _strip(key: str, suffixes: tuple[str, ...]) -> str:
    """``key`` without the first of ``suffixes`` it ends with; "" when it has none."""
    for suffix in suffixes:
        stem = key.removesuffix(suffix)
        if stem != key and stem:
            return stem
    return ""


_QUALIFIER = re.compile(r"(.+?)\s*\(([^()]+)\)")

_LABEL_COLUMNS = {
    "zh-Hans": "name_zh",
    "zh-Hant": "name_zh_hant",
    "zh-Latn-pinyin": "pinyin",
    "en": "name_en",
}


def matcher_from_store(store: Store, ids: Minter) -> PlaceMatcher | None:
    """A :class:`PlaceMatcher` over the gazetteer loaded in ``store``; None if none is."""
    rows: dict[str, dict[str, str]] = {}
    for r in store.select("places", scheme=ids.scheme("places")):
        place_id = text_of(r["id"])
        row = rows.setdefault(place_id, {"id": place_id, "kind": "", "parent": ""})
        if "kind" in r:
            row["kind"] = text_of(r["kind"])
        if "parent" in r:
            row["parent"] = text_of(r["parent"]).rsplit("/", 1)[-1]
        label = r["label"]
        column = _LABEL_COLUMNS.get(getattr(label, "lang", None) or "")
        if column:
            row[column] = text_of(label)
    return PlaceMatcher(rows.values(), ids) if rows else None
