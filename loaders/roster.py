"""The alliance roster (CSV): institutions and their memberships, as W3C ORG.

Columns: ``code, alliance, name_zh, name_en, kind, city, tier, joined``. One
row per membership; an institution in two alliances has two rows with the
same code. Each institution is an org:Organization; each alliance an
org:FormalOrganization; each membership an org:Membership with the tier as
its org:role and the join date as its org:memberDuring start.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from kg.ids import Minter
from kg.store import Store
from kg.terms import Lit, Quad, Triple
from kg.vocab import ORG, RDF, RDFS, SCHEMA, SKOS, XSD

REQUIRED = ("code", "alliance", "name_zh")


class RosterError(ValueError):
    """A roster file that cannot be loaded: names the file, the line and the reason."""


@dataclass(frozen=True, slots=True)
class RosterReport:
    """What a roster load wrote."""

    institutions: int
    alliances: int
    memberships: int


def read_roster(path: Path) -> list[dict[str, str]]:
    """Rows of a roster CSV, checked for the required columns.

    :raises RosterError: for a missing column or an empty code, with file and line.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise RosterError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            if not (row.get("code") or "").strip():
                raise RosterError(f"{path}, line {line}: empty institution code")
            rows.append({k: (v or "").strip() for k, v in row.items() if k})
        return rows


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
    quads: list[Quad] = [(s, p, o, graph) for s, p, o in roster_triples(rows, ids)]
    store.write([graph], quads)
    return RosterReport(
        institutions=len({r["code"] for r in rows}),
        alliances=len({r["alliance"] for r in rows}),
        memberships=len(rows),
    )


def institution_codes(store: Store) -> set[str]:
    """Codes of the institutions the loaded roster knows."""
    return {str(getattr(r["code"], "value", r["code"])) for r in store.select("institutions")}
