"""Theme definitions (YAML) for the topic knowledge bases (专题知识库); see :mod:`kg.themes`.

The file holds a list ``themes``; each item::

    - id: ceramics                      # lower-case ASCII slug, unique
      parent: jiangxi-collections       # optional: the id of the broader theme
      labels: {zh-Hans: 陶瓷, en: Ceramics}   # at least one; keys are language tags
      description: Jingdezhen porcelain ...    # optional (skos:definition)
      rules:                            # kind: a value or a list of values
        clc: [TQ174, J527, K876.3, X1/X5]      # class prefixes or inclusive ranges
        subject: [陶瓷, 瓷器]            # subject labels (heading or part), folded
        subject_pattern: ['^陶瓷']       # regular expressions on subject labels
        keyword: [景德镇]                # substrings of titles and summaries, folded
        place: [jingdezhen]             # gazetteer ids
        institution: [JCI]              # roster codes
      include: [JXAU/990002180740203961, isbn:9787503717444]
      exclude: []

:func:`load_themes` replaces the loaded definitions and re-evaluates every work already
in the store, in one transaction; MARC loads evaluate new and changed records against
the loaded definitions (:func:`themes_from_store`).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from kg.counting import Counting
from kg.ids import Minter
from kg.store import Store
from kg.terms import Lit, Quad, text_of
from kg.themes import (
    ID,
    RULE_KINDS,
    SCHEME,
    Rule,
    Theme,
    WorkFacts,
    evaluate,
    institution_code,
    membership_triples,
    place_id,
    record_id,
    theme_triples,
    themes_graph,
)
from loaders.hierarchy import hierarchy_problem

_KEYS = frozenset({"id", "labels", "description", "parent", "rules", "include", "exclude"})
_LANG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
_RECORD_REF = re.compile(r"isbn:97[89]\d{10}|[^/\s]+/\S+")


class ThemeError(ValueError):
    """A theme file that cannot be loaded: names the file, the theme and the reason."""


@dataclass(slots=True)
class ThemesReport:
    """What a theme load wrote: themes, works per theme id, records evaluated, seconds."""

    file: str
    themes: int
    works: dict[str, int] = field(default_factory=dict)
    records: int = 0
    memberships: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.works.items())
        return (
            f"{self.file}: {self.themes} themes; {self.records} records evaluated, "
            f"{self.memberships} memberships ({counts}) in {self.seconds:.2f} s"
        )


def read_themes(path: Path) -> list[Theme]:
    """The themes of a YAML file, checked.

    :raises ThemeError: for unreadable YAML, a missing or bad id, a duplicate id, missing
        labels, an unknown rule kind, a bad regular expression or CLC range, a malformed
        include/exclude entry, an unknown parent or a parent cycle, naming the file and
        the theme.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ThemeError(f"{path}: {exc}") from exc
    items = data.get("themes") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ThemeError(f"{path}: expected a list under 'themes:'")
    themes: list[Theme] = []
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        theme = _theme(item, f"{path}, theme {n}")
        if theme.id in seen:
            raise ThemeError(f"{path}, theme {n} ({theme.id}): duplicate id {theme.id!r}")
        seen.add(theme.id)
        themes.append(theme)
    _check_parents(themes, path)
    return themes


def _theme(item: object, where: str) -> Theme:
    if not isinstance(item, dict):
        raise ThemeError(f"{where}: expected a mapping")
    theme_id = str(item.get("id") or "").strip()
    if not ID.fullmatch(theme_id):
        raise ThemeError(f"{where}: id {theme_id!r} is not a lower-case ASCII slug")
    where = f"{where} ({theme_id})"
    unknown = sorted(set(map(str, item)) - _KEYS)
    if unknown:
        raise ThemeError(f"{where}: unknown key(s) {', '.join(unknown)}")
    labels = item.get("labels")
    if not isinstance(labels, dict) or not labels:
        raise ThemeError(f"{where}: missing labels (a mapping of language tag to label)")
    for lang, label in labels.items():
        if not _LANG.fullmatch(str(lang)) or not str(label or "").strip():
            raise ThemeError(f"{where}: bad label {lang!r}: {label!r}")
    parent = str(item["parent"]).strip() if item.get("parent") else None
    return Theme(
        id=theme_id,
        labels={str(k): str(v).strip() for k, v in labels.items()},
        description=str(item["description"]).strip() if item.get("description") else None,
        parent=parent,
        rules=_rules(item.get("rules"), where),
        include=_refs(item.get("include"), where, "include"),
        exclude=_refs(item.get("exclude"), where, "exclude"),
    )


def _values(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if isinstance(v, (dict, list)) or v is None or not str(v).strip():
            raise ThemeError(f"{where}: expected text, got {v!r}")
        out.append(str(v).strip())
    return out


def _rules(rules: Any, where: str) -> list[Rule]:
    if rules is None:
        return []
    if not isinstance(rules, dict):
        raise ThemeError(f"{where}: rules must be a mapping of rule kind to values")
    out: list[Rule] = []
    for kind, values in rules.items():
        if kind not in RULE_KINDS:
            raise ThemeError(
                f"{where}: unknown rule kind {kind!r} (expected one of {', '.join(RULE_KINDS)})"
            )
        for value in _values(values, f"{where}, rule {kind}"):
            _check_rule(kind, value, where)
            out.append(Rule(kind, value))
    return out


def _check_rule(kind: str, value: str, where: str) -> None:
    if kind == "subject_pattern":
        try:
            re.compile(value)
        except re.error as exc:
            raise ThemeError(f"{where}: bad regular expression {value!r}: {exc}") from exc
    elif kind == "clc":
        lo, sep, hi = value.partition("/")
        if sep and (not lo or not hi or "/" in hi):
            raise ThemeError(f"{where}: bad CLC range {value!r} (expected e.g. X1/X5)")
        if sep and lo.upper() > hi.upper():
            raise ThemeError(f"{where}: CLC range {value!r} ends before it starts")
    elif kind == "place" and not ID.fullmatch(value):
        raise ThemeError(f"{where}: place {value!r} is not a gazetteer id (e.g. poyang-lake)")


def _refs(value: Any, where: str, key: str) -> list[str]:
    refs = _values(value, f"{where}, {key}")
    for ref in refs:
        if not _RECORD_REF.fullmatch(ref):
            raise ThemeError(
                f"{where}: {key} entry {ref!r} is neither INSTITUTION/CONTROLNUMBER nor isbn:978…"
            )
    return refs


def _check_parents(themes: list[Theme], path: Path) -> None:
    problem = hierarchy_problem({t.id: t.parent for t in themes})
    if problem is not None:
        theme, reason = problem
        raise ThemeError(f"{path}, theme {theme}: {reason}")


def themes_from_store(store: Store, ids: Minter) -> list[Theme]:
    """The theme definitions loaded in ``store`` (none: ``[]``), ordered by id."""
    rows = store.select("theme_definitions", scheme=ids.scheme(SCHEME))
    parts: dict[str, dict[str, Any]] = {}
    for row in rows:
        theme_id = text_of(row["id"])
        t = parts.setdefault(
            theme_id,
            {"labels": {}, "description": None, "parent": None, "rules": {}, "inc": {}, "exc": {}},
        )
        if "label" in row:
            label = row["label"]
            lang = label.lang if isinstance(label, Lit) and label.lang else ""
            t["labels"][lang] = text_of(label)
        if "definition" in row:
            t["description"] = text_of(row["definition"])
        if "parent" in row:
            t["parent"] = str(row["parent"]).rsplit("/", 1)[-1]
        if "rule" in row:
            t["rules"][text_of(row["rule"])] = None
        if "include" in row:
            t["inc"][text_of(row["include"])] = None
        if "exclude" in row:
            t["exc"][text_of(row["exclude"])] = None
    return [
        Theme(
            id=theme_id,
            labels=dict(sorted(t["labels"].items())),  # stable: it is part of content hashes
            description=t["description"],
            parent=t["parent"],
            rules=sorted((Rule.parse(r) for r in t["rules"]), key=str),
            include=sorted(t["inc"]),
            exclude=sorted(t["exc"]),
        )
        for theme_id, t in sorted(parts.items())
    ]


def evaluated_graphs(ids: Minter) -> tuple[str, str]:
    """The IRI prefixes of the graphs themes are evaluated for: MARC records' graphs and
    documents' graphs (:mod:`loaders.docs`)."""
    return f"{ids.base}graph/record/", f"{ids.base}graph/doc/"


def facts_from_store(store: Store, ids: Minter) -> dict[str, tuple[str, str, WorkFacts]]:
    """Per record or document graph: (record URI, work URI, :class:`WorkFacts`) as the
    graph says them."""
    prefixes = evaluated_graphs(ids)
    records = store.select("theme_records")
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = store.select(
        "work_facts",
        clcClasses=Lit(ids.klass("clc", "")),
        places=Lit(f"{ids.base}place/"),
        graphPrefixes=[Lit(p) for p in prefixes],
    )
    for row in rows:
        kind, value = text_of(row["kind"]), text_of(row["value"])
        if kind == "place":
            pid = place_id(ids, value)
            if pid is None:
                continue
            value = pid
        bucket = found[str(row["g"])][kind]
        if value not in bucket:
            bucket.append(value)
    out: dict[str, tuple[str, str, WorkFacts]] = {}
    for row in records:
        graph = str(row["g"])
        if not graph.startswith(prefixes):
            continue
        facts = found.get(graph, {})
        out[graph] = (
            str(row["record"]),
            str(row["work"]),
            WorkFacts(
                record_id=record_id(ids, str(row["record"])),
                isbns=facts.get("isbn", []),
                notations=facts.get("clc", []),
                subject_labels=facts.get("subject", []),
                texts=facts.get("text", []),
                places=sorted(facts.get("place", [])),
                institution=institution_code(ids, str(row["institution"])),
            ),
        )
    return out


def _document_inclusions(
    store: Store, ids: Minter, facts: dict[str, tuple[str, str, WorkFacts]]
) -> dict[str, set[str]]:
    """Theme id → the documents a curator put in it (``kg load docs --theme``): that
    inclusion is recorded only in the document's membership (rule ``include``), so a
    reload of the definitions keeps it while the theme exists."""
    documents = {
        record: f.record_id
        for graph, (record, _, f) in facts.items()
        if graph.startswith(evaluated_graphs(ids)[1])
    }
    kept: dict[str, set[str]] = defaultdict(set)
    for row in store.select("theme_members", scheme=ids.scheme("themes")):
        record = str(row["record"])
        if text_of(row["rule"]) == "include" and record in documents:
            kept[text_of(row["id"])].add(documents[record])
    return kept


def load_themes(store: Store, ids: Minter, path: Path) -> ThemesReport:
    """Replace the loaded theme definitions with those in ``path`` and re-evaluate every
    work already loaded: old memberships out, new ones in, in one transaction."""
    started = time.perf_counter()
    themes = read_themes(path)
    graph = themes_graph(ids)
    quads: list[Quad] = [(s, p, o, graph) for s, p, o in theme_triples(themes, ids)]
    report = ThemesReport(str(path), len(themes), {t.id: 0 for t in themes})
    works: dict[str, set[str]] = defaultdict(set)
    facts_by_graph = facts_from_store(store, ids)
    kept = _document_inclusions(store, ids, facts_by_graph)
    for record_graph, (record, work, facts) in facts_by_graph.items():
        report.records += 1
        for theme in themes:
            included = facts.record_id in kept.get(theme.id, ())
            rules = evaluate(
                replace(theme, include=[*theme.include, facts.record_id]) if included else theme,
                facts,
            )
            if rules:
                report.memberships += 1
                works[theme.id].add(work)
                triples = membership_triples(ids, record, work, theme.id, rules)
                quads.extend((s, p, o, record_graph) for s, p, o in triples)
    store.update("theme_replace", quads, graph=graph)
    Counting(store, ids).rebuild()  # what counts roll up over has changed
    report.works.update((k, len(v)) for k, v in works.items())
    report.seconds = time.perf_counter() - started
    return report
