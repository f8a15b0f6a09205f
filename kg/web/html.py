"""The HTML page of a dereferenced URI, for people: labels in Chinese and English, the
entity's statements with links to its neighbours (each a URI of this service, so it
dereferences too), and links to the same description as RDF.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from kg.store import Store
from kg.terms import Lit, Term
from kg.vocab import PREFIXES
from kg.web.describe import Description

LABEL_CHUNK = 500
"""IRIs per label query."""


def labels(store: Store, iris: set[str]) -> dict[str, list[Lit]]:
    """Labels of ``iris`` in every language (named query ``describe_entity_labels``)."""
    out: dict[str, list[Lit]] = defaultdict(list)
    ordered = sorted(iris)
    for start in range(0, len(ordered), LABEL_CHUNK):
        chunk = ordered[start : start + LABEL_CHUNK]
        for row in store.select("describe_entity_labels", ids=chunk):
            label = row["label"]
            if isinstance(label, Lit) and label not in out[str(row["id"])]:
                out[str(row["id"])].append(label)
    return out


def best_label(found: list[Lit]) -> str | None:
    """Chinese first (simplified, then any ``zh``), then English, then untagged, then any."""
    for rank in range(4):
        for label in found:
            if _rank((label.lang or "").lower()) == rank:
                return label.value
    return found[0].value if found else None


def _rank(tag: str) -> int:
    if tag == "zh-hans":
        return 0
    if tag.startswith("zh") and "latn" not in tag:
        return 1
    return 2 if tag.startswith("en") else 3 if tag == "" else 4


def curie(iri: str) -> str:
    """``bf:title`` for an IRI in a known namespace, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns.iri) and len(iri) > len(ns.iri):
            return f"{prefix}:{iri[len(ns.iri) :]}"
    return iri


class Page:
    """Renders one description; ``local`` maps a URI of this service to its path here."""

    def __init__(self, base: str, base_path: str, found: dict[str, list[Lit]]) -> None:
        self.base, self.base_path, self.found = base, base_path, found

    def href(self, iri: str) -> str:
        """Where a link goes: a path on this service for our URIs, else the IRI itself."""
        if iri.startswith(self.base):
            return self.base_path + iri[len(self.base) :]
        return iri

    def term(self, term: Term) -> str:
        """A value cell: a link with the neighbour's label, or a literal with its language."""
        if isinstance(term, Lit):
            lang = f' <span class="lang">@{escape(term.lang)}</span>' if term.lang else ""
            return f'<span lang="{escape(term.lang or "")}">{escape(term.value)}</span>{lang}'
        label = best_label(self.found.get(term, []))
        text = escape(label) if label else escape(curie(term))
        title = escape(term)
        return f'<a href="{escape(self.href(term))}" title="{title}">{text}</a>'

    def rows(self, triples: list[tuple[str, str, Term]], incoming: bool) -> str:
        """Table rows, one per (subject, property), values joined."""
        grouped: dict[tuple[str, str], list[Term]] = defaultdict(list)
        for s, p, o in triples:
            grouped[(s, p)].append(s if incoming else o)
        out = []
        for (s, p), values in grouped.items():
            subject = "" if incoming else self.term(s)
            cells = "<br>".join(self.term(v) for v in values)
            out.append(
                f"<tr><td>{subject}</td><td>{escape(curie(p))}</td><td>{cells}</td></tr>"
                if not incoming
                else f"<tr><td>{cells}</td><td>{escape(curie(p))}</td></tr>"
            )
        return "\n".join(out)

    def render(self, desc: Description) -> str:
        """The whole page."""
        own = self.found.get(desc.uri, [])
        title = best_label(own) or curie(desc.uri)
        by_lang = "".join(
            f'<li lang="{escape(x.lang or "")}">{escape(x.value)} '
            f'<span class="lang">{escape(x.lang or "")}</span></li>'
            for x in sorted(own, key=lambda x: (x.lang or "", x.value))
        )
        path = self.href(desc.uri)
        formats = " · ".join(
            f'<a href="{escape(path)}{s}">{n}</a>'
            for s, n in ((".ttl", "Turtle"), (".jsonld", "JSON-LD"), (".nt", "N-Triples"))
        )
        more = (
            "<p>更多链接请用 SPARQL 查询 · More incoming links: ask the SPARQL endpoint.</p>"
            if desc.incoming_truncated
            else ""
        )
        return f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<title>{escape(title)}</title>
<link rel="alternate" type="text/turtle" href="{escape(path)}.ttl">
<link rel="alternate" type="application/ld+json" href="{escape(path)}.jsonld">
<style>body{{font-family:sans-serif;margin:2em}}td{{vertical-align:top;padding:2px 8px}}
.lang{{color:#888;font-size:80%}}</style></head>
<body>
<h1>{escape(title)}</h1>
<p><code>{escape(desc.uri)}</code></p>
<h2>名称 · Labels</h2><ul>{by_lang}</ul>
<p>数据格式 · Data: {formats}</p>
<h2>陈述 · Statements</h2>
<table><tr><th>主语 · Subject</th><th>属性 · Property</th><th>值 · Value</th></tr>
{self.rows(desc.outgoing, incoming=False)}
</table>
<h2>指向本实体的链接 · Links here</h2>
<table><tr><th>来自 · From</th><th>属性 · Property</th></tr>
{self.rows(desc.incoming, incoming=True)}
</table>
{more}
</body></html>
"""


def render(store: Store, desc: Description, base: str, base_path: str) -> str:
    """The HTML page of ``desc``, with the labels of every IRI it names."""
    iris = {desc.uri}
    for s, _, o in desc.triples():
        iris.add(s)
        if isinstance(o, str):
            iris.add(o)
    return Page(base, base_path, labels(store, iris)).render(desc)
