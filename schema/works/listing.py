"""Works under a scope (a theme, a class, a subject), paged, filtered, sorted, with facets.

Unfiltered totals and facets are the precomputed counts (kg.counting); a filtered
list's total and facets are one GROUP BY (``scope_facets_filtered``). An unfiltered page
of a theme or class within its stored order (kg.orders: the first works in portal order)
is read from it; any other page sorts the scope's works (``scope_works``).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from enum import Enum
from itertools import islice

import strawberry

from kg import orders
from kg.terms import Lit, Term, text_of
from kg.vocab import LANGUAGES, SKOS
from schema.common import Facet, FacetValue, label, literal
from schema.context import Info
from schema.errors import BadArgument
from schema.relay import Connection, Edge, PageInfo, decode_cursor, encode_cursor, page_size
from schema.works.types import Work

FACET_ORDER = ("institution", "tier", "decade", "language", "class")
LABELLED = ("institution", "class")
"""Facets whose values are shown with a label (the others show the value itself)."""


@strawberry.enum
class WorkSort(Enum):
    """How a list of works is sorted."""

    TITLE = "title"
    """By title: Chinese titles in pinyin order, interleaved with Latin ones A–Z."""
    YEAR = "year"
    """By year of publication, oldest first."""


@strawberry.input
class WorkFilter:
    """Restrict a list of works (values of one field: any of them; fields: all of them)."""

    institutions: list[str] | None = None
    """Roster codes of members holding the work (JXUFE)."""
    languages: list[str] | None = None
    """MARC language codes (chi, eng)."""
    decades: list[int] | None = None
    """Decades of publication, by their first year (1990)."""
    classes: list[str] | None = None
    """Top-level classes, by URI or CLC notation (F)."""


def filter_params(info: Info, f: WorkFilter | None) -> dict[str, list[Term]]:
    """The named-query parameters of a filter (empty lists: no restriction)."""
    ids = info.context.ids
    f = f or WorkFilter()
    for decade in f.decades or []:
        if decade % 10 or not 0 < decade < 3000:
            raise BadArgument(f"decades take the decade's first year (1990), not {decade}")
    return {
        "institutions": [ids.institution(c) for c in f.institutions or []],
        "languages": [LANGUAGES.term(code) for code in f.languages or []],
        "decades": [Lit(str(d)) for d in f.decades or []],
        "classes": [c if "/" in c else ids.klass("clc", c) for c in f.classes or []],
    }


def is_filtered(f: WorkFilter | None) -> bool:
    return f is not None and any([f.institutions, f.languages, f.decades, f.classes])


async def works_page(
    info: Info,
    scope: str,
    total: int,
    f: WorkFilter | None,
    sort: WorkSort,
    first: int,
    after: str | None,
) -> Connection[Work]:
    """One page of the works under ``scope`` (``total``: the unfiltered count)."""
    limit = page_size(first)
    after_sort, after_work = decode_cursor(after) if after else ("", "")
    params = filter_params(info, f)
    page = None
    if is_filtered(f):
        total = filtered_total(info, scope, params)
    else:
        page = ordered_page(info, scope, sort, total, after_sort, after_work, limit + 1)
    if page is None:
        rows = info.context.select("scope_works", scope=scope, sort=Lit(sort.value), **params)
        page = keyset_page(rows, after_sort, after_work, limit + 1)
    has_next = len(page) > limit
    page = page[:limit]
    edges = [
        Edge(node=Work(id=strawberry.ID(i)), cursor=encode_cursor(key or "", i)) for i, key in page
    ]
    return Connection(
        total_count=total,
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
    )


def ordered_page(
    info: Info, scope: str, sort: WorkSort, total: int, after_sort: str, after_work: str, n: int
) -> list[tuple[str, str | None]] | None:
    """The first ``n`` works after the cursor from the scope's stored order, or None when
    it has none or the page reaches past it (then the scope is sorted)."""
    ids = info.context.ids
    if not scope.startswith((f"{ids.base}theme/", f"{ids.base}class/")):
        return None  # a subject or place: no order is kept (kg.orders.ordered_scopes)
    found = orders.read(info.context.select("order_values", orders=[ids.order(scope, sort.value)]))
    if not found:
        return None
    ((_, entries),) = found
    page = list(islice(orders.after(entries, after_sort, after_work), n))
    if len(page) < n and len(entries) < total:
        return None
    return [(e.work, e.key if e.has_key else None) for e in page]


def keyset_page(
    rows: list[dict[str, Term]], after_sort: str, after_work: str, limit: int
) -> list[tuple[str, str | None]]:
    """The first ``limit`` works after the cursor, as (work, sort key), from rows of ?work
    and its keys (?sort, absent when it has none): each work's smallest key; works with
    no key first, then by key, then by IRI; after the cursor when (key or "", IRI) is
    greater than (``after_sort``, ``after_work``).

    >>> rows = [{"work": "w:b", "sort": Lit("z")}, {"work": "w:b", "sort": Lit("a")},
    ...         {"work": "w:c", "sort": Lit("a")}, {"work": "w:a"}]
    >>> keyset_page(rows, "", "", 10)
    [('w:a', None), ('w:b', 'a'), ('w:c', 'a')]
    >>> keyset_page(rows, "a", "w:b", 10)
    [('w:c', 'a')]
    """
    smallest: dict[str, str | None] = {}
    for row in rows:
        work = str(row["work"])
        key = text_of(row["sort"]) if "sort" in row else None
        known = smallest.get(work)
        if work not in smallest or (key is not None and (known is None or key < known)):
            smallest[work] = key
    after = (after_sort, after_work)
    found = ((w, k) for w, k in smallest.items() if (k or "", w) > after)
    return heapq.nsmallest(limit, found, key=lambda wk: (wk[1] is not None, wk[1] or "", wk[0]))


def filtered_total(info: Info, scope: str, params: dict[str, list[Term]]) -> int:
    rows = _filtered(info, scope, params)
    return next((int(text_of(r["works"])) for r in rows if text_of(r["dimension"]) == "total"), 0)


def _filtered(info: Info, scope: str, params: dict[str, list[Term]]) -> list[dict[str, Term]]:
    return info.context.select_once(
        "scope_facets_filtered",
        scope=scope,
        classPrefix=Lit(f"{info.context.ids.base}class/"),
        **params,
    )


async def facets(info: Info, scope: str, f: WorkFilter | None) -> list[Facet]:
    """Facet counts of the works under ``scope`` (precomputed unless filtered)."""
    if is_filtered(f):
        rows = [r for r in _filtered(info, scope, filter_params(info, f)) if "value" in r]
    else:
        rows = info.context.select("scope_facets_shown", scope=scope)
    return [f for f in await facets_from_rows(info, rows) if f.dimension != "year"]


async def facets_from_rows(info: Info, rows: list[dict[str, Term]]) -> list[Facet]:
    """Facets from rows of ?dimension ?value ?works, with labels for IRI values."""
    values: dict[str, list[tuple[Term, int]]] = defaultdict(list)
    for r in rows:
        values[text_of(r["dimension"])].append((r["value"], int(text_of(r["works"]))))
    # only institutions and classes show a label (languages and decades show their value)
    iris = sorted({str(v) for d in LABELLED for v, _ in values.get(d, ()) if isinstance(v, str)})
    props = dict(zip(iris, await info.context.labels.load_many(iris), strict=True))
    out = []
    for dimension in sorted(values, key=lambda d: FACET_ORDER.index(d) if d in FACET_ORDER else 9):
        ranked = sorted(values[dimension], key=lambda vc: (-vc[1], text_of(vc[0])))
        if dimension == "decade":
            ranked = sorted(values[dimension], key=lambda vc: text_of(vc[0]))
        out.append(
            Facet(
                dimension=dimension,
                values=[_facet_value(dimension, v, n, props.get(str(v), {})) for v, n in ranked],
            )
        )
    return out


def _facet_value(
    dimension: str, value: Term, count: int, props: dict[str, list[Term]]
) -> FacetValue:
    if dimension == "language":
        code = str(value).removeprefix(LANGUAGES.term(""))
        return FacetValue(value=code, label=code, count=count)
    if dimension == "institution":
        return FacetValue(
            value=literal(props, SKOS.notation) or str(value), label=label(props), count=count
        )
    if dimension == "class":
        notation = literal(props, SKOS.notation)
        return FacetValue(value=notation or str(value), label=label(props), count=count)
    return FacetValue(value=text_of(value), label=None, count=count)
