"""The curator's commands on a Neo4j store (issue 5, item 5), as a curator types them:
``kg copy --from PATH --to bolt://…``, ``kg --store bolt://… load marc``, ``stats`` and
``serve``, against the real test server."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from kg.backends import open_store
from kg.backends.oxigraph import OxigraphStore
from kg_cli import cli
from tests.backends.conftest import NEO4J_URL, needs_neo4j, open_neo4j
from tests.conftest import SAMPLE, free_port, http_json, serving

BASE = "http://kg.test/"


def kg(*args: str, store: str) -> str:
    """Run ``kg ARGS`` with ``KG_STORE`` = ``store``; its output (it must succeed)."""
    runner = CliRunner(env={"KG_STORE": store, "KG_BASE": BASE})
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@needs_neo4j
def test_copy_then_load_stats_and_serve_on_neo4j(tmp_path: Path) -> None:
    open_neo4j().close()  # an empty server
    embedded = str(tmp_path / "store")
    kg("load", "roster", str(SAMPLE / "roster.csv"), store=embedded)
    kg(
        "load",
        "marc",
        str(SAMPLE / "jxau-dp2-cnmarc.xml"),
        "-i",
        "JXAU",
        "--silent",
        store=embedded,
    )

    out = kg("copy", "--from", embedded, "--to", NEO4J_URL, "--batch-quads", "200", store=embedded)
    with OxigraphStore(Path(embedded)) as source:
        graphs, quads = len(source.graphs()), len(list(source.quads()))
        expected = sorted(source.quads(), key=repr)
    assert f"Copied {graphs} graphs ({quads} quads) in " in out
    assert int(out.split(" transactions")[0].rsplit(" ", 1)[1]) > 1  # in batches
    with open_store(NEO4J_URL) as server:  # every statement, in the same graphs
        assert sorted(server.quads(), key=repr) == expected

    # the same book in UNIMARC from another member merges into JXAU's instances, on Neo4j
    out = kg(
        "load", "marc", str(SAMPLE / "ncu-dp2-unimarc.xml"), "-i", "NCU", "--silent",
        store=NEO4J_URL,
    )  # fmt: skip
    assert "merged      5 into existing instances (record reuse ratio 100%)" in out
    stats = kg("stats", store=NEO4J_URL)
    assert "JXAU" in stats and "NCU" in stats

    port = free_port()
    env = {
        "KG_STORE": NEO4J_URL,
        "KG_BASE": BASE,
        "KG_SEARCH_INDEX": str(tmp_path / "search.sqlite"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    with serving(env, port) as url:
        _, health = http_json(f"{url}health")
    assert health["store"]["backend"] == "Neo4jStore"
    assert health["store"]["works"] > 0
