"""Find a vocabulary's concept by label: thesaurus terms for subject headings.

Labels are compared folded (:func:`kg.keys.fold`: NFKC, case, traditional Chinese to
simplified, punctuation removed). A preferred label wins over another concept's
alternative label; an alternative label two concepts share matches neither.

>>> index = LabelIndex([("c:1", "三维技术", True), ("c:1", "3D技术", False)])
>>> index.match("三維技術"), index.match("3d技术"), index.match("二维")
('c:1', 'c:1', None)
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.keys import fold
from kg.store import Store
from kg.terms import text_of


class LabelIndex:
    """Concept URIs by folded label."""

    def __init__(self, labels: Iterable[tuple[str, str, bool]]) -> None:
        preferred: dict[str, str] = {}
        alternative: dict[str, set[str]] = {}
        for concept, label, is_preferred in labels:
            key = fold(label)
            if not key:
                continue
            if is_preferred:
                preferred.setdefault(key, concept)
            else:
                alternative.setdefault(key, set()).add(concept)
        self._index = {k: next(iter(v)) for k, v in alternative.items() if len(v) == 1}
        self._index.update(preferred)
        self.ambiguous = {k for k, v in alternative.items() if len(v) > 1 and k not in preferred}
        """Folded labels that several concepts share as alternatives: they match none."""

    def __len__(self) -> int:
        return len(self._index)

    def match(self, label: str) -> str | None:
        """The concept whose label folds like ``label``, or ``None``."""
        return self._index.get(fold(label))

    @classmethod
    def from_store(cls, store: Store, scheme: str) -> LabelIndex:
        """The labels of the vocabulary ``scheme`` (IRI) as loaded in ``store``."""
        rows = store.select("scheme_labels", scheme=scheme)
        return cls(
            (str(r["concept"]), text_of(r["label"]), text_of(r["preferred"]) == "true")
            for r in rows
        )
