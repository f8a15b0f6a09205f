"""The bundled sample collection (``sample/``): what ``kg`` loads on a fresh store.

Public records assigned to members of the Jiangxi academic alliance for demonstration
(the README's "The bundled sample collection" names each file, its source and licence):
the roster, the regional gazetteer, the main CLC classes, the example themes and five
member exports in both MARC flavours, overlapping so that merging shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.ids import Minter
from kg.store import Store
from loaders.marc.loader import MarcLoader
from loaders.report import LoadReport
from loaders.roster import load_roster
from loaders.themes import load_themes
from loaders.vocab.clc import load_clc
from loaders.vocab.gazetteer import load_gazetteer

SAMPLE = Path(__file__).resolve().parents[1] / "sample"

MEMBER_FILES: list[tuple[str, str]] = [
    ("JXUFE", "jxufe-gwu.xml"),
    ("ECJTU", "ecjtu-gwu.mrc"),
    ("JXAU", "jxau-dp2-cnmarc.xml"),
    ("NCU", "ncu-dp2-unimarc.xml"),
    ("NCU", "ncu-dp2-marc21.xml"),
]
"""Member exports of the sample, in load order: (roster code, file in ``sample/``)."""


def load_vocabularies(store: Store, ids: Minter, echo: Callable[[str], object] = print) -> None:
    """The gazetteer, the roster, the CLC main classes and the example themes."""
    load_gazetteer(store, ids, SAMPLE / "gazetteer.csv")
    load_roster(store, ids, SAMPLE / "roster.csv")
    echo(str(load_clc(store, ids, SAMPLE / "clc-main.tsv")))
    echo(str(load_themes(store, ids, SAMPLE / "themes.yaml")))


def load_sample(store: Store, ids: Minter, batch_size: int = 500) -> list[LoadReport]:
    """Load the whole sample (vocabularies first, then every member file); quiet."""
    load_vocabularies(store, ids, echo=lambda _: None)
    return [
        MarcLoader(store, ids, code, batch_size=batch_size).load(SAMPLE / name)
        for code, name in MEMBER_FILES
    ]
