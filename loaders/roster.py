"""The alliance roster (CSV or YAML): institutions and their memberships, as W3C ORG.

CSV columns: ``code, alliance, name_zh, name_en, kind, city, county, lat, lon, tier,
joined``; one row per membership, so an institution in two alliances has two rows with
the same code. YAML: a list ``institutions`` whose items carry the same keys and a list
``memberships`` of ``{alliance, tier, joined}``. Each institution is an
org:Organization; each alliance an org:FormalOrganization; each membership an
org:Membership with the tier as its org:role and the join date as its org:memberDuring.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.counting import Counting
from kg.ids import Minter
from kg.store import Store
from kg.terms import Lit, Quad, Triple, text_of
from kg.vocab import ORG, RDF, RDFS, SCHEMA, SKOS, XSD
from loaders.vocab.gazetteer import matcher_from_store

REQUIRED = ("code", "alliance", "name_zh")
KINDS = frozenset(
    {
        "university",
        "college",
        "public",
        "research-institute",
        "hospital",
        "information-institute",
        "enterprise",
    }
)
TIERS = frozenset({"core", "close", "service", "central", "branch", "founder", "member"})


class RosterError(ValueError):
    """A roster file that cannot be loaded: names the file, the line and the reason."""


@dataclass(frozen=True, slots=True)
class RosterReport:
    """What a roster load wrote."""

    institutions: int
    alliances: int
    memberships: int


def read_roster(path: Path) -> list[dict[str, str]]:
    """One row per membership from a roster CSV or YAML file, checked.

    :raises RosterError: for a missing column, an empty code, an unknown kind or tier,
        or bad coordinates, naming the file and the line (CSV) or entry (YAML).
    """
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise RosterError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            clean = {k: (v or "").strip() for k, v in row.items() if k}
            _check(clean, f"{path}, line {line}")
            rows.append(clean)
        return rows


def _read_yaml(path: Path) -> list[dict[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RosterError(f"{path}: {exc}") from exc
    institutions = data.get("institutions") if isinstance(data, dict) else None
    if not isinstance(institutions, list):
        raise RosterError(f"{path}: expected a list under 'institutions:'")
    rows = []
    for n, entry in enumerate(institutions, start=1):
        where = f"{path}, institution {n}"
        if not isinstance(entry, dict):
            raise RosterError(f"{where}: expected a mapping")
        base = {k: str(v).strip() for k, v in entry.items() if k != "memberships" and v is not None}
        memberships = entry.get("memberships") or []
        if not memberships:
            raise RosterError(f"{where} ({base.get('code', '?')}): no memberships")
        for membership in memberships:
            row = base | {k: str(v).strip() for k, v in membership.items() if v is not None}
            _check(row, where)
            rows.append(row)
    return rows


def _check(row: dict[str, str], where: str) -> None:
    """Required values, known kind and tier, numeric coordinates."""
    for key in REQUIRED:
        if not row.get(key):
            raise RosterError(
                f"{where}: empty {key}" if key != "code" else f"{where}: empty institution code"
            )
    if row.get("kind") and row["kind"] not in KINDS:
        raise RosterError(f"{where}: kind {row['kind']!r} is not one of {', '.join(sorted(KINDS))}")
    if row.get("tier") and row["tier"] not in TIERS:
        raise RosterError(f"{where}: tier {row['tier']!r} is not one of {', '.join(sorted(TIERS))}")
    for key in ("lat", "lon"):
        if row.get(key):
            try:
                float(row[key])
            except ValueError:
                raise RosterError(f"{where}: {key} {row[key]!r} is not a number") from None


def roster_triples(rows: list[dict[str, str]], ids: Minter) -> list[Triple]:
    """W3C ORG triples for the roster rows."""
    out: list[Triple] = []
    for row in rows:
        org = ids.institution(row["code"])
        alliance = ids.institution(row["alliance"])
        out += [
            (org, RDF.type, ORG.Organization),
            (org, SKOS.notation, Lit(row["code"])),
            (org, SKOS.prefLabel, Lit(row["name_zh"], "zh-Hans")),
            (alliance, RDF.type, ORG.FormalOrganization),
            (alliance, SKOS.notation, Lit(row["alliance"])),
            (alliance, RDFS.label, Lit(row["alliance"])),
        ]
        if row.get("name_en"):
            out.append((org, SKOS.prefLabel, Lit(row["name_en"], "en")))
        if row.get("kind"):
            out.append((org, ORG.classification, Lit(row["kind"])))
        if row.get("city"):
            out.append((org, SCHEMA.addressLocality, Lit(row["city"], "zh-Hans")))
        if row.get("county"):
            out.append((org, SCHEMA.addressRegion, Lit(row["county"], "zh-Hans")))
        decimal = XSD.decimal
        if row.get("lat") and row.get("lon"):
            out.append((org, SCHEMA.latitude, Lit(row["lat"], None, decimal)))
            out.append((org, SCHEMA.longitude, Lit(row["lon"], None, decimal)))
        membership = f"{org}/membership/{row['alliance']}"
        out += [
            (membership, RDF.type, ORG.Membership),
            (membership, ORG.member, org),
            (membership, ORG.organization, alliance),
            (org, ORG.memberOf, alliance),
        ]
        if row.get("tier"):
            out.append((membership, ORG.role, Lit(row["tier"])))
        if row.get("joined"):
            out.append((membership, ORG.memberDuring, Lit(row["joined"], None, XSD.date)))
    return out


def load_roster(store: Store, ids: Minter, path: Path) -> RosterReport:
    """Replace the roster graph with the roster in ``path`` (one transaction)."""
    rows = read_roster(path)
    graph = ids.roster_graph()
    triples = roster_triples(rows, ids)
    places = matcher_from_store(store, ids)
    if places is not None:  # cities link to the gazetteer when it is loaded first
        for row in rows:
            place = places(row["city"]) if row.get("city") else None
            if place is not None:
                triples.append((ids.institution(row["code"]), SCHEMA.location, place))
    quads: list[Quad] = [(s, p, o, graph) for s, p, o in triples]
    store.write([graph], quads)
    Counting(store, ids).rebuild()  # what counts roll up over has changed
    return RosterReport(
        institutions=len({r["code"] for r in rows}),
        alliances=len({r["alliance"] for r in rows}),
        memberships=len(rows),
    )


def institution_codes(store: Store) -> set[str]:
    """Codes of the institutions the loaded roster knows."""
    return {text_of(r["code"]) for r in store.select("institutions")}
