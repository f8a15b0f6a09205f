"""The ``kg`` command: a thin curator CLI over the loaders and the graph core.

Exit codes:
  0  done (rejected records, if any, are listed in the report)
  1  the command could not run (unknown institution, unreadable file, store error)
  2  usage error (bad option or argument)
  3  ``--strict`` and at least one record was rejected
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from kg.backends import open_store
from kg.config import ConfigError, Settings
from kg.copy import CopyReport, copy_store
from kg.ids import Minter
from kg.store import Store, StoreError
from kg.terms import Term, text_of
from loaders.report import LoadReport
from loaders.roster import RosterError, institution_codes, load_roster

if TYPE_CHECKING:
    from kg.search import SearchIndex

T = TypeVar("T")

SAMPLE = Path(__file__).resolve().parent / "sample"


# The bundled sample collection: (institution, file) in load order.
class Context:
    """What every command needs: settings, URI minter and (lazily) the store."""

    def __init__(
        self, store_url: str, base: str, batch_size: int, log_dir: Path | None = None
    ) -> None:
        self.store_url = store_url
        self.log_dir = log_dir
        self.ids = Minter(base)
        self.batch_size = batch_size
        self._store: Store | None = None
        self._search: SearchIndex | None = None
        self._no_search = False

    @property
    def store(self) -> Store:
        """The store, opened on first use."""
        if self._store is None:
            self._store = open_store(self.store_url)
        return self._store

    @property
    def search(self) -> SearchIndex | None:
        """The full-text side index of the store (kg.search), opened on first use; None
        (with one line saying so) for a server store without ``KG_SEARCH_INDEX``."""
        if self._search is None and not self._no_search:
            from kg.search import SearchError, SearchIndex  # noqa: PLC0415 - keeps --help fast

            try:
                self._search = SearchIndex.for_store(self.store)
            except SearchError as exc:
                click.echo(f"Search is off: {exc}", err=True)
                self._no_search = True
                return None
            if self._search.needs_rebuild:
                self._search.rebuild(self.store)
        return self._search

    def close(self) -> None:
        """Flush and close the store (and its search index) if they were opened."""
        if self._search is not None:
            self._search.close()
            self._search = None
        if self._store is not None:
            self._store.close()
            self._store = None


pass_context = click.make_pass_decorator(Context)


@click.group(invoke_without_command=True)
@click.option(
    "--store",
    "store_url",
    envvar="KG_STORE",
    show_default=True,
    default=Settings().store,
    help="Store: a directory (embedded Oxigraph) or memory:.",
)
@click.option(
    "--base",
    envvar="KG_BASE",
    default=Settings().base,
    show_default=True,
    help="Base URI under which entity URIs are minted.",
)
@click.option(
    "--batch-size",
    envvar="KG_BATCH_SIZE",
    type=int,
    default=500,
    show_default=True,
    help="Records per write transaction.",
)
@click.option(
    "--log-dir",
    envvar="KG_LOG_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where load reports are kept as JSON (default: logs/ beside an on-disk store).",
)
@click.pass_context
def cli(
    ctx: click.Context, store_url: str, base: str, batch_size: int, log_dir: Path | None
) -> None:
    """Linked-data union catalogue of a regional library alliance.

    Without a command: load the bundled sample collection (once), print its report
    and statistics, and serve it (``kg demo``, then ``kg serve``).
    """
    ctx.obj = Context(store_url, base, batch_size, log_dir)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(demo)
        # ctx.invoke fills serve's defaults without reading their environment variables
        # (KG_HOST, KG_PORT): read them as `kg serve` would
        ctx.invoke(serve, **_from_environment(serve, ctx))


def _from_environment(command: click.Command, ctx: click.Context) -> dict[str, object]:
    """The values the environment gives ``command``'s options (``envvar``), converted."""
    values: dict[str, object] = {}
    for param in command.params:
        raw = param.value_from_envvar(ctx)
        if raw is not None and param.name:
            values[param.name] = param.type_cast_value(ctx, raw)
    return values


@cli.command()
@click.option(
    "--host",
    envvar="KG_HOST",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on.",
)
@click.option(
    "--port", envvar="KG_PORT", type=int, default=8000, show_default=True, help="Port to listen on."
)
@pass_context
def serve(obj: Context, host: str, port: int) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql) and /health over the store (uvicorn)."""
    import uvicorn  # noqa: PLC0415 - keeps `kg --help` fast

    from kg.app import create_app  # noqa: PLC0415

    search = obj.search
    app = create_app(obj.store, obj.ids, search)
    if search is not None:
        # the first searches count facets in memory, not in SQL (docs/search.md)
        search.read_facet_table(background=True)
    click.echo(f"Serving {obj.store_url} on http://{host}:{port}/graphql (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.command("counts")
@click.option("--rebuild", is_flag=True, help="Recompute every count from the graph.")
@pass_context
def counts_command(obj: Context, rebuild: bool) -> None:
    """Show the precomputed counts portals read (works per class, theme and facet);
    --rebuild recomputes them all (loads keep them current; a vocabulary load rebuilds)."""
    from kg.counting import Counting  # noqa: PLC0415

    try:
        if rebuild:
            started = time.perf_counter()
            n = Counting(obj.store, obj.ids).rebuild()
            click.echo(f"Rebuilt {n} counts in {time.perf_counter() - started:.1f} s.")
        rows = obj.store.select("counts_stored")
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    by_dimension: dict[str, int] = {}
    for row in rows:
        by_dimension[text_of(row["dimension"])] = by_dimension.get(text_of(row["dimension"]), 0) + 1
    catalogue = obj.ids.catalogue()
    total = next(
        (
            text_of(r["works"])
            for r in rows
            if str(r["scope"]) == catalogue and text_of(r["dimension"]) == "rollup"
        ),
        "0",
    )
    click.echo(f"works in the union catalogue: {total}")
    for dimension, n in sorted(by_dimension.items()):
        click.echo(f"{dimension:<12} {n:>8} counts")


@cli.command("schema")
def print_schema() -> None:
    """Print the GraphQL schema (SDL), as committed in schema/schema.graphql."""
    from schema import schema as graphql_schema  # noqa: PLC0415

    click.echo(graphql_schema.as_str())


@cli.group()
def load() -> None:
    """Load a roster or MARC records."""


@load.command("roster")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def load_roster_command(obj: Context, file: Path) -> None:
    """Load the alliance roster (CSV: code, alliance, name_zh, name_en, kind, city, tier...)."""
    report = _curated(RosterError, lambda: load_roster(obj.store, obj.ids, file))
    click.echo(
        f"{file}: {report.institutions} institutions, {report.alliances} alliances, "
        f"{report.memberships} memberships"
    )


def _curated(errors: type[Exception], load: Callable[[], T]) -> T:
    """Run a curator's load; its own errors and the store's become one clear CLI error."""
    try:
        return load()
    except (errors, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc


@load.group("vocab")
def load_vocab() -> None:
    """Load a classification or subject vocabulary (SKOS)."""


@load_vocab.command("clc")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--max-depth", type=int, help="Load classes down to this depth only.")
@pass_context
def load_vocab_clc(obj: Context, file: Path, max_depth: int | None) -> None:
    """Load the Chinese Library Classification (the 5th-edition Markdown table, or a TSV)."""
    from loaders.vocab.clc import VocabError, load_clc  # noqa: PLC0415

    report = _curated(VocabError, lambda: load_clc(obj.store, obj.ids, file, max_depth=max_depth))
    click.echo(str(report))
    for line in report.skipped:
        click.echo(f"  skipped {line}")


@load_vocab.command("thesaurus")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@pass_context
def load_vocab_thesaurus(obj: Context, folder: Path) -> None:
    """Load the Chinese thesaurus (汉语主题词表) from a folder of Markdown term files."""
    from loaders.vocab.thesaurus import ThesaurusError, load_thesaurus  # noqa: PLC0415

    report = _curated(ThesaurusError, lambda: load_thesaurus(obj.store, obj.ids, folder))
    click.echo(str(report))


@load.command("places")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def load_places(obj: Context, file: Path) -> None:
    """Load a gazetteer (CSV: id, name_zh, name_zh_hant, pinyin, name_en, kind, parent, note)."""
    from loaders.vocab.gazetteer import GazetteerError, load_gazetteer  # noqa: PLC0415

    report = _curated(GazetteerError, lambda: load_gazetteer(obj.store, obj.ids, file))
    click.echo(f"{file}: {report.places} places {report.kinds}")


@load.command("themes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def load_themes_command(obj: Context, file: Path) -> None:
    """Load topic knowledge bases (YAML) and re-evaluate the works already loaded."""
    from loaders.themes import ThemeError, load_themes  # noqa: PLC0415

    report = _curated(ThemeError, lambda: load_themes(obj.store, obj.ids, file))
    click.echo(str(report))


@load.command("marc")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--institution", "-i", required=True, help="Roster code of the contributing member.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["iso2709", "marcxml", "json"]),
    help="Force the file format (default: detected from the content).",
)
@click.option(
    "--flavour",
    type=click.Choice(["marc21", "unimarc"]),
    help="Force the MARC flavour (default: detected per file; CNMARC is unimarc).",
)
@click.option("--silent", is_flag=True, help="No progress line.")
@click.option("--strict", is_flag=True, help="Exit with 3 when any record is rejected.")
@click.option(
    "--report-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the full report as JSON to this file.",
)
@click.option(
    "--holdings",
    "holdings_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Holdings profile (TOML): the member's local item fields and their subfields.",
)
@click.option(
    "--bulk",
    is_flag=True,
    help="First load of a big export: batches of new records skip the transaction "
    "(several times faster on the embedded store) and counts are stored at each file's end. "
    "Do not serve the store while it runs.",
)
@pass_context
def load_marc(
    obj: Context,
    files: tuple[Path, ...],
    institution: str,
    format_: str | None,
    flavour: str | None,
    silent: bool,
    strict: bool,
    report_file: Path | None,
    holdings_file: Path | None,
    bulk: bool,
) -> None:
    """Load MARC21 or CNMARC/UNIMARC files (ISO 2709, MARCXML, MARC-in-JSON) of one member."""
    from loaders.marc.holdings import ProfileError, read_profile  # noqa: PLC0415

    try:
        profile = read_profile(holdings_file) if holdings_file else None
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from exc
    reports = [
        _load_file(obj, f, institution, format_, flavour, silent, profile, bulk) for f in files
    ]
    obj.store.optimize()
    for report in reports:
        click.echo(report.render())
    if report_file:
        report_file.write_text(
            "[" + ",\n".join(r.to_json() for r in reports) + "]\n", encoding="utf-8"
        )
    _keep_logs(obj, reports)
    if strict and any(r.rejected for r in reports):
        sys.exit(3)


@load.command("docs")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--institution", "-i", required=True, help="Roster code of the supplying member.")
@click.option("--theme", help="Put every document in this theme (a loaded theme id).")
@click.option("--max-size", default=50, show_default=True, help="Largest file read, in MB.")
@click.option("--silent", is_flag=True, help="No progress line.")
@click.option(
    "--report-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the full report as JSON to this file.",
)
@pass_context
def load_docs(
    obj: Context,
    paths: tuple[Path, ...],
    institution: str,
    theme: str | None,
    max_size: int,
    silent: bool,
    report_file: Path | None,
) -> None:
    """Load documents (PDF, DOCX, HTML, TXT; folders recursively) and link them to the graph."""
    from loaders.docs.cli import load_documents  # noqa: PLC0415 - spaCy loads slowly

    report = load_documents(
        obj.store,
        obj.ids,
        paths,
        institution,
        theme=theme,
        max_bytes=max_size * 1024 * 1024,
        batch_size=50,
        silent=silent,
        search=obj.search,
    )
    click.echo(report.render())
    if report_file:
        report_file.write_text(report.to_json() + "\n", encoding="utf-8")
    _keep_logs(obj, [report])


def _keep_logs(obj: Context, reports: list[LoadReport]) -> None:
    """Keep every load report as JSON in the log folder, one file per run: ``KG_LOG_DIR``,
    else ``logs/`` beside an on-disk store (none for a store in memory)."""
    store_path = obj.store.path
    log_dir = obj.log_dir or (store_path.parent / "logs" if store_path else None)
    if log_dir is None:
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    for report in reports:
        name = report.run.rsplit("/", 1)[-1] + ".json"
        (log_dir / name).write_text(report.to_json() + "\n", encoding="utf-8")


def _load_file(
    obj: Context,
    path: Path,
    institution: str,
    format_: str | None,
    flavour: str | None,
    silent: bool,
    profile: dict[str, dict[str, str]] | None = None,
    bulk: bool = False,
) -> LoadReport:
    from loaders.marc.loader import MarcLoader  # noqa: PLC0415 - keeps `kg --help` fast

    try:
        known = institution_codes(obj.store)
        if institution not in known:
            hint = ", ".join(sorted(known)) or "none: run `kg load roster FILE` first"
            raise click.ClickException(
                f"Unknown institution code {institution!r}. Known codes: {hint}"
            )
        loader = MarcLoader(
            obj.store,
            obj.ids,
            institution,
            format=format_,
            flavour=flavour,
            batch_size=obj.batch_size,
            progress=None if silent else _progress_line,
            holdings=profile,
            search=obj.search,
            bulk=bulk,
        )
        report = loader.load(path)
    except (StoreError, OSError, ConfigError) as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    if not silent:
        click.echo("", err=True)
    return report


def _progress_line(report: LoadReport) -> None:
    """A one-line progress bar: share of bytes read (ISO 2709), records, records/s."""
    bar = ""
    if report.size and report.position:
        done = min(1.0, report.position / report.size)
        filled = int(done * 20)
        bar = f"[{'#' * filled}{'.' * (20 - filled)}] {done:4.0%} "
    click.echo(
        f"\r  {Path(report.file).name}: {bar}{report.read:,} records "
        f"({report.rate:,.0f}/s), {len(report.rejected):,} rejected",
        err=True,
        nl=False,
    )


@cli.command("copy")
@click.option("--from", "source", required=True, help="Store to copy from (a path or URL).")
@click.option("--to", "target", required=True, help="Store to copy into, e.g. bolt://HOST:7687.")
@click.option("--batch-quads", default=20_000, show_default=True, help="Quads per transaction.")
@click.option("--silent", is_flag=True, help="No progress line.")
def copy_command(source: str, target: str, batch_quads: int, silent: bool) -> None:
    """Copy every named graph of one store into another (reruns replace, never double)."""

    def line(report: CopyReport, total: int) -> None:
        click.echo(f"\r{report.graphs}/{total} graphs, {report.quads} quads", nl=False, err=True)

    try:
        with open_store(source) as src, open_store(target) as dst:
            report = copy_store(src, dst, batch_quads, None if silent else line)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if not silent:
            click.echo(err=True)
    click.echo(
        f"Copied {report.graphs} graphs ({report.quads} quads) "
        f"in {report.batches} transactions into {target}"
    )


@cli.command("export")
@click.option("--graph", help="Export one named graph (its IRI).")
@click.option("--institution", "-i", help="Export one member's records, documents and runs.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nquads", "turtle"]),
    default="nquads",
    show_default=True,
    help="N-Quads keeps the named graphs; Turtle merges them.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (gzipped); default: the dumps directory the service offers.",
)
@pass_context
def export_command(
    obj: Context, graph: str | None, institution: str | None, fmt: str, output: Path | None
) -> None:
    """Write the graph (or one graph, or one member's part) as a gzipped dump, streamed."""
    from kg.export import ExportError, default_name, dump_dir, export, select_graphs  # noqa: PLC0415

    if graph and institution:
        raise click.UsageError("Give --graph or --institution, not both.")
    try:
        graphs = select_graphs(obj.store, obj.ids, graph, institution)
        if output is None:
            folder = dump_dir(obj.store)
            if folder is None:
                raise ExportError(
                    "A store in memory or on a server has no dumps directory: "
                    "give --output FILE or set KG_DUMP_DIR"
                )
            output = folder / default_name(fmt, institution, graph)
        scope = graph or (f"institution:{institution}" if institution else "all")
        manifest = export(obj.store, output, fmt, graphs, scope)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{output}: {manifest.statements:,} statements in {manifest.graphs:,} graphs, "
        f"{manifest.size:,} bytes, SHA-256 {manifest.sha256}"
    )


@cli.command()
@pass_context
def stats(obj: Context) -> None:
    """Per-institution counts: records, items, instances held, instances shared."""
    _print_stats(obj.store, obj.ids)


def _print_stats(store: Store, ids: Minter) -> None:
    totals = store.select("totals")
    items = store.select("item_count")
    if totals:
        t = totals[0]
        click.echo(
            f"works {_num(t.get('works'))}  instances {_num(t.get('instances'))}  "
            f"items {_num(items[0].get('items'))}  load runs {_num(items[0].get('runs'))}"
        )
    click.echo(f"{'institution':<12}{'records':>9}{'items':>8}{'instances':>11}{'shared':>8}")
    for row in store.select("institution_stats"):
        click.echo(
            f"{text_of(row['code']):<12}{_num(row.get('records')):>9}"
            f"{_num(row.get('items')):>8}{_num(row.get('instances')):>11}"
            f"{_num(row.get('shared')):>8}"
        )
    themes = store.select("theme_counts", scheme=ids.scheme("themes"))
    if themes:
        click.echo("theme" + " " * 31 + "works")
        for row in themes:
            click.echo(f"{text_of(row['id']):<36}{_num(row.get('works')):>5}")


@cli.command()
@click.option("--limit", default=100, show_default=True, help="At most this many pairs.")
@pass_context
def review(obj: Context, limit: int) -> None:
    """List doubtful merges: same key, conflicting data (year, title)."""
    rows = obj.store.select("doubtful_merges", limit=limit)
    if not rows:
        click.echo("No doubtful merges.")
    for row in rows:
        years = f"years {text_of(row.get('year1', '?'))} / {text_of(row.get('year2', '?'))}"
        click.echo(
            f"{text_of(row['instance'])}\n  {text_of(row['record1'])}\n  {text_of(row['record2'])}"
            f"\n  matched on {text_of(row['matchedOn'])}; {years}"
            + (f"; {text_of(row['conflict'])}" if "conflict" in row else "")
        )


_FORMAT = click.Choice(["text", "json", "csv"])


@cli.command("validate")
@click.option("--institution", "-i", help="Only violations stated by this member's records.")
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True, help="Output.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.option(
    "--shapes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="SHACL shapes (default: schema/shapes.ttl).",
)
@pass_context
def validate_command(
    obj: Context, institution: str | None, fmt: str, output: Path | None, shapes: Path | None
) -> None:
    """Check the graph against the SHACL shapes (compiled to SPARQL), by shape and member."""
    from kg import validate  # noqa: PLC0415

    store = obj.store
    if not hasattr(store, "sparql"):
        raise click.ClickException(f"kg validate needs a SPARQL store; {obj.store_url} is not")
    try:
        constraints = validate.compile_shapes(validate.load_shapes(shapes or validate.SHAPES))
        report = validate.validate(store, constraints, institution=institution)
    except (validate.ShapeError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    text = {"text": report.render, "json": report.to_json, "csv": report.to_csv}[fmt]()
    _emit(text, output)


@cli.command("quality")
@click.option("--institution", "-i", help="Only this member (roster code).")
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True, help="Output.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.option("--worst", default=10, show_default=True, help="Worst records listed per member.")
@pass_context
def quality_command(
    obj: Context, institution: str | None, fmt: str, output: Path | None, worst: int
) -> None:
    """Per-member quality report of the load-time MARC checks: records, findings by check,
    error rate, the worst records with their control numbers (docs/quality.md)."""
    from kg import quality  # noqa: PLC0415

    if institution and institution not in institution_codes(obj.store):
        raise click.ClickException(f"Unknown institution code {institution!r}: see kg stats")
    try:
        report = quality.quality_report(obj.store, institution, worst)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    text = {"text": quality.render, "json": quality.to_json, "csv": quality.to_csv}[fmt](report)
    _emit(text, output)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text.rstrip("\n"))
    else:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)


@cli.command()
@click.argument("name")
@click.option("--param", "-p", multiple=True, help="NAME=VALUE parameter (IRIs as <...>).")
@pass_context
def query(obj: Context, name: str, param: tuple[str, ...]) -> None:
    """Run a named query from queries/sparql and print its rows (a smoke test)."""
    params: dict[str, Term | int] = {}
    for p in param:
        key, _, value = p.partition("=")
        params[key] = value[1:-1] if value.startswith("<") else _literal(value)
    try:
        rows = obj.store.select(name, **params)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    for row in rows:
        click.echo("\t".join(f"{k}={text_of(v)}" for k, v in row.items()))


@cli.command()
@pass_context
def demo(obj: Context) -> None:
    """Load the bundled sample (roster and five member exports) once, then print stats."""
    store = obj.store
    if not institution_codes(store):
        click.echo(f"Loading the bundled sample collection into {obj.store_url} …")
        from loaders.sample import MEMBER_FILES, load_vocabularies  # noqa: PLC0415

        load_vocabularies(store, obj.ids, echo=click.echo)
        started = time.perf_counter()
        for code, name in MEMBER_FILES:
            report = _load_file(obj, SAMPLE / name, code, None, None, True)
            _keep_logs(obj, [report])
            click.echo(report.render(limit=5))
        click.echo(f"Sample loaded in {time.perf_counter() - started:.1f} s.\n")
    else:
        click.echo(f"The store at {obj.store_url} is already loaded.\n")
    _print_stats(store, obj.ids)


def _literal(value: str) -> Term | int:
    from kg.terms import Lit  # noqa: PLC0415

    return int(value) if value.isdigit() else Lit(value)


def _num(term: object) -> str:
    return f"{int(text_of(term)) if term is not None else 0:,}"


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
