"""RDF terms as plain Python values, and their N-Quads serialisation.

An IRI is a ``str``; a literal is a :class:`Lit`. Backends turn these into
their own terms: plain values keep the core fast and free of any store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Lit(NamedTuple):
    """An RDF literal with a language tag or a datatype IRI."""

    value: str
    lang: str | None = None
    datatype: str | None = None


Term = str | Lit
Triple = tuple[str, str, Term]
Quad = tuple[str, str, Term, str]

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def text_of(term: object) -> str:
    """The lexical form of a literal, the IRI of a named node (rows of named queries).

    >>> text_of(Lit("F124")), text_of("http://e/x")
    ('F124', 'http://e/x')
    """
    return term.value if isinstance(term, Lit) else str(term)


def canonical_tag(tag: str) -> str:
    """BCP 47 case conventions (RFC 5646 section 2.1.1): Oxigraph stores tags lower-cased.

    >>> canonical_tag("zh-latn-pinyin"), canonical_tag("zh-hans-cn"), canonical_tag("EN")
    ('zh-Latn-pinyin', 'zh-Hans-CN', 'en')
    """
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def nt_term(term: Term) -> str:
    """N-Triples form of a term (W3C RDF 1.1 N-Triples, section 2).

    >>> nt_term("http://e/x"), nt_term(Lit('say "hi"', "en"))
    ('<http://e/x>', '"say \\\\"hi\\\\""@en')
    """
    if isinstance(term, str):
        return f"<{term}>"
    text = term.value.translate(_ESCAPES)
    if term.lang:
        return f'"{text}"@{term.lang}'
    if term.datatype:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def nquads(quads: Sequence[Quad]) -> str:
    """N-Quads text for ``quads``."""
    return "".join(f"<{s}> <{p}> {nt_term(o)} <{g}> .\n" for s, p, o, g in quads)
