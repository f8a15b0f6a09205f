"""``kg load marc --bulk``: a first load without a transaction per batch gives the same
graph and counts as the transactional load, and a batch the store refuses leaves nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.store import DataRejected, Store
from kg.terms import Quad
from kg_cli import cli
from loaders.marc.loader import MarcLoader
from loaders.sample import load_vocabularies
from tests.conftest import BASE, SAMPLE
from tests.test_counts import group_by, stored
from tests.test_union import gwu_records, triples_of, write_xml

MEMBERS = (("JXUFE", "jxufe-gwu.xml"), ("ECJTU", "ecjtu-gwu.mrc"), ("JXAU", "jxau-dp2-cnmarc.xml"))


def loaded(store: Store, ids: Minter, bulk: bool) -> list[tuple[int, int, int]]:
    load_vocabularies(store, ids, echo=lambda _: None)
    reports = [
        MarcLoader(store, ids, code, batch_size=9, bulk=bulk).load(SAMPLE / name)
        for code, name in MEMBERS
    ]
    return [(r.new, r.merged_count, len(r.rejected)) for r in reports]


def test_bulk_load_gives_the_graph_and_counts_of_a_transactional_load(
    ids: Minter, tmp_path: Path
) -> None:
    plain, bulk = OxigraphStore(tmp_path / "plain"), OxigraphStore(tmp_path / "bulk")
    reports = loaded(plain, ids, False)
    assert reports[1] == (40, 15, 0)  # ECJTU merges into JXUFE's instances
    assert loaded(bulk, ids, True) == reports
    with_run = lambda triples: {t for t in triples if "/run/" not in str(t[2])}  # noqa: E731
    assert with_run(triples_of(bulk)) == with_run(triples_of(plain))
    assert stored(bulk, ids) == stored(plain, ids) == group_by(bulk, ids)
    assert len(stored(bulk, ids)) > 100
    # a second bulk run over the same files changes nothing (reloads use transactions)
    again = [MarcLoader(bulk, ids, c, bulk=True).load(SAMPLE / n) for c, n in MEMBERS]
    assert [(r.unchanged, r.new) for r in again] == [(r.read, 0) for r in again]
    assert stored(bulk, ids) == group_by(bulk, ids)


class _HalfWritesOneRecord(OxigraphStore):
    """A real Oxigraph store whose bulk load of a batch holding one record's graph stores
    half the batch, then fails, as a bulk load that meets a bad term may."""

    refused = "/nothing-refused"

    def write_bulk(self, quads: Sequence[Quad]) -> None:
        if any(q[3].endswith(self.refused) for q in quads):
            super().write_bulk(quads[: len(quads) // 2])
            raise DataRejected(f"refused a term in {self.refused}")
        super().write_bulk(quads)


def test_a_batch_refused_in_bulk_leaves_nothing_and_its_other_records_load(
    ids: Minter, tmp_path: Path
) -> None:
    store = _HalfWritesOneRecord(tmp_path / "store")
    load_vocabularies(store, ids, echo=lambda _: None)
    records = gwu_records()[:12]
    store.refused = "/JXUFE/" + records[5]["001"].data
    report = MarcLoader(store, ids, "JXUFE", batch_size=4, bulk=True).load(
        write_xml(tmp_path / "a.xml", records)
    )
    assert [(r.number, r.reason) for r in report.rejected] == [(6, "store-rejected")]
    assert report.new == 11
    assert not [q for q in store.quads() if q[3].endswith(store.refused)]
    record_graphs = {q[3] for q in store.quads() if "/graph/record/" in q[3]}
    assert len(record_graphs) == 11
    assert stored(store, ids) == group_by(store, ids)


def test_cli_bulk_flag_loads_and_reports(tmp_path: Path) -> None:
    runner = CliRunner(env={"KG_STORE": str(tmp_path / "store"), "KG_BASE": BASE})
    assert runner.invoke(cli, ["load", "roster", str(SAMPLE / "roster.csv")]).exit_code == 0
    result = runner.invoke(
        cli, ["load", "marc", str(SAMPLE / "jxufe-gwu.xml"), "-i", "JXUFE", "--bulk", "--silent"]
    )
    assert result.exit_code == 0, result.output
    assert "loaded      50 (50 new, 0 replaced)" in result.output, result.output
    assert "rejected    0" in result.output
