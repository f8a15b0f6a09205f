"""Key terms of a segmented text by TextRank (Mihalcea & Tarau, EMNLP 2004).

Candidate words (two or more characters of Han script, or alphabetic English words of
three or more letters, not stop words) are the nodes; words within a window of
:data:`WINDOW` candidates co-occur; the PageRank of that graph ranks them.

>>> textrank(["湿地", "保护", "鄱阳湖", "湿地", "保护", "候鸟"], top=2)
[('保护', 1.0), ('湿地', 0.8809)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

WINDOW = 5
DAMPING = 0.85
ITERATIONS = 30


def textrank(words: Sequence[str], top: int = 20) -> list[tuple[str, float]]:
    """The ``top`` words by TextRank score (scores scaled so the best is 1.0)."""
    edges: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for i, word in enumerate(words):
        for other in words[i + 1 : i + WINDOW]:
            if other != word:
                edges[word][other] += 1
                edges[other][word] += 1
    if not edges:
        return []
    weight_out = {w: sum(n.values()) for w, n in edges.items()}
    score = dict.fromkeys(edges, 1.0)
    for _ in range(ITERATIONS):
        score = {
            w: (1 - DAMPING)
            + DAMPING * sum(c / weight_out[o] * score[o] for o, c in neighbours.items())
            for w, neighbours in edges.items()
        }
    best = max(score.values())
    ranked = sorted(score.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [(w, round(s / best, 4)) for w, s in ranked]
