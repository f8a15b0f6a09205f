"""What ``kg load docs`` does, behind the thin command in ``kg_cli``: check the
institution, run a :class:`~loaders.docs.loader.DocumentLoader`, show progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click

from kg.ids import Minter
from kg.search import SearchIndex
from kg.store import Store, StoreError
from loaders.docs.loader import DocumentLoader, DocumentLoadError
from loaders.docs.report import DocumentReport
from loaders.roster import institution_codes


def load_documents(
    store: Store,
    ids: Minter,
    paths: Sequence[Path],
    institution: str,
    *,
    theme: str | None,
    max_bytes: int,
    batch_size: int,
    silent: bool,
    search: SearchIndex | None = None,
) -> DocumentReport:
    """Load documents for a known institution; errors become :class:`click.ClickException`."""
    try:
        known = institution_codes(store)
        if institution not in known:
            hint = ", ".join(sorted(known)) or "none: run `kg load roster FILE` first"
            raise click.ClickException(
                f"Unknown institution code {institution!r}. Known codes: {hint}"
            )
        loader = DocumentLoader(
            store,
            ids,
            institution,
            theme=theme,
            batch_size=batch_size,
            max_bytes=max_bytes,
            progress=None if silent else progress_line(),
            search=search,
        )
        report = loader.load(paths)
    except (DocumentLoadError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not silent:
        click.echo("", err=True)
    return report


def progress_line() -> Callable[[DocumentReport], None]:
    """A one-line progress display: files read, loaded, rejected, characters/s."""

    def show(report: DocumentReport) -> None:
        click.echo(
            f"\r  documents: {report.read:,} read, {report.loaded:,} loaded, "
            f"{report.unchanged:,} unchanged, {len(report.rejected):,} rejected "
            f"({report.chars_per_second:,.0f} characters/s)",
            err=True,
            nl=False,
        )

    return show
