"""The union catalogue: merge incoming records into shared instances and works.

Each record's description lives in its own named graph, so a corrected record
replaces exactly what it said before, a deleted record (leader/05 ``d``)
removes it, and reloading one member's export touches nothing of another's.
Every merge is explained in the graph by a ``kg:MergeDecision`` naming the
key that matched (DESIGN.md decision 7).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kg.ids import Minter, segment
from kg.keys import instance_keys, stem_keys, work_keys
from kg.mapping import RecordContext, RecordMapper
from kg.model import BibRecord
from kg.store import Store
from kg.terms import Lit, Quad, Triple, text_of
from kg.vocab import BF, KG, PROV, RDF, XSD

Write = Callable[[Sequence[str], Sequence[Quad]], None]
"""A write of whole named graphs in one transaction (:meth:`kg.store.Store.write`)."""


@dataclass(slots=True)
class Incoming:
    """One mapped record on its way into the union catalogue."""

    rec: BibRecord
    institution: str
    content_hash: str
    number: int = 0
    offset: int | None = None


@dataclass(slots=True)
class Outcome:
    """What happened to one incoming record."""

    control_number: str
    record: str
    status: str  # new | replaced | unchanged | deleted | absent
    instance: str | None = None
    matched_on: str | None = None  # isbn | issn | title (None: founded a new instance)
    match_key: str | None = None
    merged_with: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    items: int = 0
    unknown_notations: list[str] = field(default_factory=list)  # "clc Y12": no class matches


@dataclass(slots=True)
class Prepared:
    """A batch ready to write: graphs to drop, quads to add, and what happened to each record."""

    drop: list[str]
    quads: list[Quad]
    outcomes: list[Outcome]
    new_works: frozenset[str] = frozenset()
    """Works this batch minted: no stored or in-flight record has their keys. Their IRIs
    come from those keys and outlive the records that minted them (a record merged into
    one keeps it), so the store may still speak of one: kg.counting asks before it skips
    their stored facts."""


@dataclass(slots=True)
class _Keys:
    instance: list[str]
    stems: list[str]
    work: list[str]


@dataclass(slots=True)
class _Candidate:
    instance: str
    work: str | None
    record: str
    year: str | None


class UnionCatalogue:
    """Writes batches of records into a store, merging across member institutions."""

    def __init__(
        self,
        store: Store,
        ids: Minter,
        run: str,
        mapper: RecordMapper | None = None,
        write: Write | None = None,
    ) -> None:
        self.store = store
        self.ids = ids
        self.run = run
        self.mapper = mapper or RecordMapper(ids)
        self.write = write or store.write  # kg.counting.Counting.write keeps counts current
        # What the last prepared batch will add once its write lands: lets the next batch be
        # prepared while that write is still running (see loaders.marc.loader).
        self._pending_hashes: dict[str, str | None] = {}  # None: deleted
        self._pending_stale: set[str] = set()
        self._pending_keys: dict[str, list[_Candidate]] = {}
        self._pending_works: dict[str, str] = {}

    def apply(self, batch: list[Incoming]) -> list[Outcome]:
        """Merge and write one batch in one transaction; return one outcome per record."""
        prepared = self.prepare(batch)
        self.write(prepared.drop, prepared.quads)
        return prepared.outcomes

    def forget_pending(self) -> None:
        """Forget the batch prepared last (its write landed, or failed and was redone)."""
        self._pending_hashes = {}
        self._pending_stale = set()
        self._pending_keys = {}
        self._pending_works = {}

    def prepare(self, batch: list[Incoming]) -> Prepared:
        """Decide merges and build the batch's quads, without writing.

        The store is asked for what earlier batches wrote; the batch prepared just before
        this one is taken into account even if its write has not landed yet. Write the
        result with one ``store.write`` (one transaction), in preparation order.
        """
        batch = last_per_record(batch, self.ids)
        uris = [self.ids.record(i.institution, i.rec.control_number) for i in batch]
        state = self._existing(uris)
        for u in uris:  # the in-flight batch's outcome overrides what the store still says
            if u in self._pending_hashes:
                pending = self._pending_hashes[u]
                if pending is None:
                    state.pop(u, None)
                else:
                    state[u] = pending
        # Tombstones of the records whose graphs this batch drops start the batch's write.
        drop, quads = self._tombstones(batch, uris, state)
        outcomes: list[Outcome] = []
        live: list[tuple[Incoming, str]] = []
        for inc, uri in zip(batch, uris, strict=True):
            graph = self.ids.record_graph(inc.institution, inc.rec.control_number)
            old_hash = state.get(uri)
            if inc.rec.status == "deleted":
                status = "deleted" if old_hash is not None else "absent"
                outcomes.append(Outcome(inc.rec.control_number, uri, status))
                drop.append(graph)
            elif old_hash == inc.content_hash:
                outcomes.append(Outcome(inc.rec.control_number, uri, "unchanged"))
            else:
                if old_hash is not None:
                    drop.append(graph)
                live.append((inc, uri))
        keys = {
            uri: _Keys(instance_keys(inc.rec), stem_keys(inc.rec), work_keys(inc.rec))
            for inc, uri in live
        }
        wanted = [k for ks in keys.values() for k in ks.instance + ks.stems]
        # Merge decisions of records being rewritten or removed (by this batch, or by the
        # batch whose write is in flight) are stale: only their new versions may match.
        touched = set(uris)
        stale = touched | self._pending_stale
        candidates: dict[str, list[_Candidate]] = defaultdict(list)
        for key, found in self._candidates(wanted).items():
            candidates[key] = [c for c in found if c.record not in stale]
        for key in wanted:
            for cand in self._pending_keys.get(key, ()):
                if cand.record not in touched and cand not in candidates[key]:
                    candidates[key].append(cand)
        work_candidates = self._work_candidates([k for ks in keys.values() for k in ks.work])
        for key, work in self._pending_works.items():
            work_candidates.setdefault(key, work)
        instance_works = self._instance_works(live, keys, stale, touched)
        registered: dict[str, list[_Candidate]] = defaultdict(list)
        works: dict[str, str] = {}
        minted: set[str] = set()
        for inc, uri in live:
            outcome, triples, mine, new_work = self._merge(
                inc,
                uri,
                keys[uri],
                state.get(uri) is not None,
                candidates,
                work_candidates,
                instance_works,
            )
            graph = self.ids.record_graph(inc.institution, inc.rec.control_number)
            quads += [(s, p, o, graph) for s, p, o in triples]
            outcomes.append(outcome)
            for key in keys[uri].instance + keys[uri].stems:
                registered[key].append(mine)
            for key in keys[uri].work:
                works[key] = work_candidates[key]
            if new_work:
                minted.add(new_work)
        self._remember(batch, uris, live, registered, works)
        return Prepared(drop, quads, outcomes, frozenset(minted))

    def _remember(
        self,
        batch: list[Incoming],
        uris: list[str],
        live: list[tuple[Incoming, str]],
        registered: dict[str, list[_Candidate]],
        works: dict[str, str],
    ) -> None:
        """What the batch just prepared will have written, for the next one to see."""
        deleted = [u for inc, u in zip(batch, uris, strict=True) if inc.rec.status == "deleted"]
        self._pending_hashes = dict.fromkeys(deleted)
        self._pending_hashes.update((u, inc.content_hash) for inc, u in live)
        self._pending_stale = set(self._pending_hashes)
        self._pending_keys = dict(registered)
        self._pending_works = works

    def _tombstones(
        self, batch: list[Incoming], uris: list[str], state: dict[str, str]
    ) -> tuple[list[str], list[Quad]]:
        """A tombstone graph for each record whose graph this batch drops (issue 7, item 4).

        Dropping a record graph leaves no trace, so the change feed (``/changes``,
        :mod:`kg.web.changes`) could not tell a portal what was deleted. The tombstone
        ``{base}graph/tombstone/INST/CTRL`` keeps the last dropped version's record, instance
        and work, the run and the time; it is replaced by the next drop of the same record
        and written in the batch's own transaction. ``reason`` is ``deleted`` (leader/05
        ``d``) or ``replaced`` (a later run changed the record).
        """
        gone = [
            (inc, uri, "deleted" if inc.rec.status == "deleted" else "replaced")
            for inc, uri in zip(batch, uris, strict=True)
            if state.get(uri) is not None
            and (inc.rec.status == "deleted" or state[uri] != inc.content_hash)
        ]
        if not gone:
            return [], []
        # The previous version's instance and work (its merge decision), before the drop. A
        # record also in the batch whose write is in flight is read as the store has it.
        former = {
            str(r["record"]): (str(r["instance"]), str(r["work"]))
            for r in self.store.select("changes_former", records=[u for _, u, _ in gone])
        }
        when = Lit(datetime.now(UTC).isoformat(), None, XSD.dateTime)
        graphs: list[str] = []
        quads: list[Quad] = []
        for inc, uri, reason in gone:
            inst, ctrl = segment(inc.institution), segment(inc.rec.control_number)
            tomb = f"{self.ids.base}graph/tombstone/{inst}/{ctrl}"
            record_graph = self.ids.record_graph(inc.institution, inc.rec.control_number)
            triples: list[Triple] = [
                (tomb, RDF.type, KG.Tombstone),
                (tomb, RDF.type, PROV.Entity),
                (tomb, KG.formerRecord, uri),
                (tomb, KG.formerGraph, record_graph),
                (tomb, KG.reason, Lit(reason)),
                (tomb, PROV.wasInvalidatedBy, self.run),
                (tomb, PROV.invalidatedAtTime, when),
            ]
            if uri in former:
                triples += [(tomb, KG.formerInstance, former[uri][0])]
                triples += [(tomb, KG.formerWork, former[uri][1])]
            graphs.append(tomb)
            quads.extend((s, p, o, tomb) for s, p, o in triples)
        return graphs, quads

    def _existing(self, records: list[str]) -> dict[str, str]:
        rows = self.store.select("record_hashes", records=records)
        return {str(r["record"]): text_of(r["hash"]) for r in rows}

    def _candidates(self, keys: list[str]) -> dict[str, list[_Candidate]]:
        out: dict[str, list[_Candidate]] = defaultdict(list)
        if not keys:
            return out
        rows = self.store.select("instances_by_key", keys=[Lit(k) for k in dict.fromkeys(keys)])
        for row in rows:
            year = row.get("year")
            work = row.get("work")
            out[text_of(row["key"])].append(
                _Candidate(
                    str(row["instance"]),
                    str(work) if work else None,
                    str(row["record"]),
                    text_of(year) if year else None,
                )
            )
        return out

    def _instance_works(
        self,
        live: list[tuple[Incoming, str]],
        keys: dict[str, _Keys],
        stale: set[str],
        touched: set[str],
    ) -> dict[str, _Candidate]:
        """A record (stored, in flight) that describes each instance this batch's records
        would mint from their first key, with the work it gives it: an instance has one work.

        A record that merged into another's instance by a later key (a title) stays on it
        when that other record comes back under another title, or goes: the instance's IRI,
        minted from its first key (an ISBN), is then minted again by a record that matches
        no stored key, and must keep the work the staying records give it.
        """
        minted = [self.ids.instance(ks.instance[0]) for ks in keys.values() if ks.instance]
        if not minted:
            return {}
        rows = self.store.select("instance_works", ids=list(dict.fromkeys(minted)))
        out: dict[str, _Candidate] = {}
        for r in rows:
            if str(r["record"]) not in stale:
                cand = _Candidate(str(r["instance"]), str(r["work"]), str(r["record"]), None)
                out.setdefault(cand.instance, cand)
        for found in self._pending_keys.values():
            for cand in found:
                if cand.record not in touched and cand.work:
                    out.setdefault(cand.instance, cand)
        return out

    def _work_candidates(self, keys: list[str]) -> dict[str, str]:
        if not keys:
            return {}
        rows = self.store.select("works_by_key", keys=[Lit(k) for k in dict.fromkeys(keys)])
        return {text_of(r["key"]): str(r["work"]) for r in rows}

    def _merge(
        self,
        inc: Incoming,
        uri: str,
        record_keys: _Keys,
        replaced: bool,
        candidates: dict[str, list[_Candidate]],
        work_candidates: dict[str, str],
        instance_works: dict[str, _Candidate],
    ) -> tuple[Outcome, list[Triple], _Candidate, str | None]:
        """The record's outcome, triples and candidate, and its work if minted here (no
        stored or in-flight work has its keys; see :attr:`Prepared.new_works`).
        ``instance_works``: a record that describes an instance (:meth:`_instance_works`),
        whose work a record that mints that instance again keeps; updated with this one."""
        rec = inc.rec
        keys = record_keys.instance or [f"rec:{inc.institution}/{rec.control_number}"]
        wkeys = record_keys.work
        stems = record_keys.stems
        outcome = Outcome(rec.control_number, uri, "replaced" if replaced else "new")
        known = any(k in work_candidates for k in wkeys)
        match: tuple[str, _Candidate] | None = None
        for key in keys:
            found = [c for c in candidates.get(key, []) if c.record != uri]
            if found:
                match = (key, found[0])
                outcome.merged_with = sorted({c.record for c in found})
                break
        if match is not None:
            key, cand = match
            instance, work = cand.instance, cand.work or self._work(wkeys, work_candidates, keys)
            outcome.matched_on, outcome.match_key = key.partition(":")[0], key
            outcome.conflicts = self._conflicts(rec, uri, key, cand, stems, candidates)
        else:
            instance = self.ids.instance(keys[0])
            work = self._work(wkeys, work_candidates, keys)
            other = instance_works.get(instance)
            known = known or other is not None
            if other is not None and other.work:  # described by others: it keeps their work
                outcome.matched_on, outcome.match_key = keys[0].partition(":")[0], keys[0]
                outcome.merged_with = [other.record]
                if other.work != work:
                    outcome.conflicts.append(f"work {other.work} kept from {other.record}")
                work = other.work
        outcome.instance = instance
        # later records of the same batch see this one as a candidate
        mine = _Candidate(instance, work, uri, rec.date)
        instance_works.setdefault(instance, mine)
        for key in keys + stems:
            candidates[key].append(mine)
        for key in wkeys:
            work_candidates.setdefault(key, work)
        n_items = max(1, len(rec.holdings))
        ctx = RecordContext(
            record=uri,
            instance=instance,
            work=work,
            institution=self.ids.institution(inc.institution),
            items=[self.ids.item(inc.institution, rec.control_number, n) for n in range(n_items)],
            new_work=False,
        )
        outcome.items = n_items
        self.mapper.unmatched = []
        triples = self.mapper.triples(rec, ctx)
        outcome.unknown_notations = list(self.mapper.unmatched)
        triples.extend(self.mapper.items(rec, ctx))
        triples.extend(self._admin(inc, ctx, keys + stems, wkeys, outcome))
        return outcome, triples, mine, (work if match is None and not known else None)

    def _work(self, wkeys: list[str], found: dict[str, str], keys: list[str]) -> str:
        for key in wkeys:
            if key in found:
                return found[key]
        return self.ids.work(wkeys[0] if wkeys else keys[0])

    @staticmethod
    def _conflicts(
        rec: BibRecord,
        own: str,
        key: str,
        cand: _Candidate,
        stems: list[str],
        candidates: dict[str, list[_Candidate]],
    ) -> list[str]:
        """Doubts about a merge: years that differ, or an ISBN/ISSN match with no common title."""
        conflicts = []
        if rec.date and cand.year and rec.date != cand.year:
            conflicts.append(f"year {rec.date} vs {cand.year}")
        if not key.startswith("t:"):
            shared = any(
                c.instance == cand.instance and c.record != own
                for k in stems
                for c in candidates.get(k, [])
            )
            if stems and not shared:
                conflicts.append("matched on " + key + " but no title in common")
        return conflicts

    def _admin(
        self,
        inc: Incoming,
        ctx: RecordContext,
        keys: list[str],
        wkeys: list[str],
        outcome: Outcome,
    ) -> list[Triple]:
        """bf:AdminMetadata for the record and its kg:MergeDecision."""
        r = ctx.record
        graph = self.ids.record_graph(inc.institution, inc.rec.control_number)
        merge = f"{r}#merge"
        out: list[Triple] = [
            (r, RDF.type, BF.AdminMetadata),
            (r, BF.assigner, ctx.institution),
            (r, KG.controlNumber, Lit(inc.rec.control_number)),
            (r, KG.contentHash, Lit(inc.content_hash)),
            (r, KG.flavour, Lit(inc.rec.flavour)),
            (r, BF.status, Lit(inc.rec.status)),
            (graph, PROV.wasGeneratedBy, self.run),
            (graph, KG.institution, ctx.institution),
            (merge, RDF.type, KG.MergeDecision),
            (merge, KG.record, r),
            (merge, KG.instance, ctx.instance),
            (merge, KG.work, ctx.work),
            (merge, KG.matchedOn, Lit(outcome.matched_on or "none")),
        ]
        if inc.rec.control_source:
            out.append((r, BF.source, Lit(inc.rec.control_source)))
        if outcome.match_key:
            out.append((merge, KG.matchedKey, Lit(outcome.match_key)))
        if inc.rec.date:
            out.append((merge, KG.year, Lit(inc.rec.date)))
        out.extend((merge, KG.matchKey, Lit(k)) for k in keys)
        out.extend((merge, KG.workKey, Lit(k)) for k in wkeys)
        out.extend((merge, KG.conflict, Lit(c)) for c in outcome.conflicts)
        return out


def last_per_record(batch: list[Incoming], ids: Minter) -> list[Incoming]:
    """Within one batch the last record with a given control number wins."""
    seen: dict[str, Incoming] = {}
    for inc in batch:
        seen[ids.record(inc.institution, inc.rec.control_number)] = inc
    return list(seen.values()) if len(seen) != len(batch) else batch
