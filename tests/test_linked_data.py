"""Dereferenceable URIs (issue 7, item 1): content negotiation against a real ``kg serve``
(uvicorn subprocess, real HTTP), format suffixes, 404 and 406, the HTML page's links, the
published JSON-LD context; and routing derived from the base's path (in process).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from starlette.testclient import TestClient

from kg.app import create_app
from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.vocab import PREFIXES
from kg.web.describe import CONTEXT
from loaders.sample import load_sample
from tests.conftest import free_port, running_service

WORK = "work/c0791354b29b86f1"  # 92中国备忘, two NCU records in the sample
FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def fetch(url: str, accept: str | None = None, method: str = "GET") -> tuple[int, str, bytes]:
    """Status, Content-Type and body of one real HTTP request."""
    headers = {"Accept": accept} if accept else {}
    request = urllib.request.Request(url, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``kg serve`` on a free port, with KG_BASE pointing at that port: every minted URI is
    a URL of the running service."""
    port = free_port()
    store = tmp_path_factory.mktemp("ld") / "store"
    with running_service(store, port, f"http://127.0.0.1:{port}/") as url:
        yield url


def parse(body: bytes, fmt: str, base: str) -> Graph:
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser builds a ConjunctiveGraph, which rdflib 7 deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=body, format=fmt, publicID=base)


def test_every_rdf_format_says_the_same_over_http(served: str) -> None:
    graphs = {}
    for media_type, fmt in FORMATS.items():
        status, content_type, body = fetch(served + WORK, media_type)
        assert status == 200, body
        assert content_type.split(";")[0] == media_type
        graphs[media_type] = parse(body, fmt, served)  # JSON-LD fetches our /context.jsonld
    turtle = graphs["text/turtle"]
    assert len(turtle) > 10
    assert all(isomorphic(turtle, g) for g in graphs.values())
    work = f"{served}{WORK}"
    assert any(str(s) == work for s in turtle.subjects())


def test_suffixes_pick_the_format_without_negotiation(served: str) -> None:
    for suffix, media_type in (
        (".ttl", "text/turtle"),
        (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"),
        (".rdf", "application/rdf+xml"),
        (".html", "text/html"),
    ):
        status, content_type, _ = fetch(served + WORK + suffix, "image/png")
        assert (status, content_type.split(";")[0]) == (200, media_type), suffix


def test_accept_weights_and_wildcards(served: str) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    cases = {
        browser: "text/html",
        "application/rdf+xml;q=0.5, application/n-triples": "application/n-triples",
        "*/*": "text/turtle",
        "application/*": "application/ld+json",
    }
    for accept, expected in cases.items():
        status, content_type, _ = fetch(served + WORK, accept)
        assert (status, content_type.split(";")[0]) == (200, expected), accept


def test_unknown_id_is_404_and_unservable_accept_is_406(served: str) -> None:
    status, _, body = fetch(served + "work/0000000000000000", "text/turtle")
    assert status == 404
    assert json.loads(body) == {
        "status": 404,
        "error": f"Nothing is known about {served}work/0000000000000000",
    }
    status, _, body = fetch(served + WORK, "image/png, text/turtle;q=0")
    assert status == 406
    assert json.loads(body)["available"] == [*FORMATS, "text/html"]


def test_html_page_has_labels_and_links_that_dereference(served: str) -> None:
    status, _, body = fetch(served + "instance/isbn-9787221029683", "text/html")
    assert status == 200
    page = body.decode("utf-8")
    assert "<title>&#x27;92中国备忘</title>" in page  # the Chinese title is the page title
    assert "名称 · Labels" in page and "陈述 · Statements" in page
    links = set(re.findall(r'href="(/(?:work|agent|item|org|record)/[^"#]+)', page))
    assert any(link.startswith("/work/") for link in links)
    for link in sorted(links)[:8]:  # neighbours are URIs of this service: they answer
        status, content_type, _ = fetch(served.rstrip("/") + link, "text/html")
        assert (status, content_type.split(";")[0]) == (200, "text/html"), link


def test_published_context_is_stable_and_served(served: str) -> None:
    status, content_type, body = fetch(served + "context.jsonld")
    assert (status, content_type) == (200, "application/ld+json")
    assert json.loads(body) == json.loads(CONTEXT.read_text(encoding="utf-8"))
    context = json.loads(body)["@context"]
    assert all(context[p] == ns.iri for p, ns in PREFIXES.items())
    _, _, doc = fetch(served + WORK, "application/ld+json")
    assert json.loads(doc)["@context"] == f"{served}context.jsonld"


def test_head_answers_without_a_body(served: str) -> None:
    status, content_type, body = fetch(served + WORK, "text/turtle", method="HEAD")
    assert (status, content_type.split(";")[0], body) == (200, "text/turtle", b"")


# -- routing follows the base's path (in process) -----------------------------------------


@pytest.fixture(scope="module")
def under_path() -> Iterator[TestClient]:
    ids = Minter("https://data.example.org/kg/")
    store = OxigraphStore(None)
    load_sample(store, ids)
    yield TestClient(create_app(store, ids))
    store.close()


def test_routes_derive_from_the_base_path(under_path: TestClient) -> None:
    response = under_path.get(f"/kg/{WORK}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "<https://data.example.org/kg/work/c0791354b29b86f1>" in response.text
    assert under_path.get(f"/{WORK}").status_code == 404
    assert under_path.get("/kg/context.jsonld").status_code == 200
    page = under_path.get(f"/kg/{WORK}.html").text
    assert 'href="/kg/agent/' in page  # links are paths of this service


def test_catalogue_and_graph_uris_dereference(under_path: TestClient) -> None:
    assert under_path.get("/kg/catalogue.ttl").status_code in (200, 404)
    graph = under_path.get("/kg/graph/record/NCU/990002072570203961.nt")
    assert graph.status_code == 200
    assert "http://www.w3.org/ns/prov#wasGeneratedBy" in graph.text


def chromium() -> str:
    """The headless browser scripts/chromium installed (scripts/test sets KG_CHROMIUM)."""
    path = os.environ.get("KG_CHROMIUM") or shutil.which("chromium")
    assert path, "no Chromium: run scripts/chromium (scripts/test does)"
    return path


def rendered(url: str) -> str:
    """The page's DOM after a real headless Chromium loaded it (its own Accept header)."""
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_a_browser_gets_the_html_page_with_both_languages_and_working_links(
    served: str,
) -> None:
    page = rendered(served + "org/NCU")  # a browser asks for text/html first
    assert "南昌大学图书馆" in page and "Nanchang University Library" in page
    links = sorted(set(re.findall(r'href="(/(?:org|work|instance)/[^"#]+)"', page)))
    assert links, "the page links its neighbours"
    neighbour = rendered(served.rstrip("/") + links[0])  # followed in the browser too
    assert "<h1" in neighbour and "陈述 · Statements" in neighbour
