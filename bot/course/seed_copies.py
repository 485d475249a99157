"""True/false statements copied from the seed texts nearly word for word.

A statement lifted from the slides (or the slides' sentence with one word swapped) tests whether
a student recognises a sentence, not whether they understood it. Both sides are folded
(bot.normalize.fold: case, diacritics, punctuation; the article's word-segmentation
underscores become spaces), and the course's initialisms are written alike on both sides (a
concept alias that is the initials of its term: "hội nhập quốc tế" and "HNQT" are both
"hnqt", as the slides abbreviate). A leading "Theo …," is dropped from the statement.

The statement of n words is compared with every run of n − 1, n and n + 1 consecutive words of
each seed by `rapidfuzz.fuzz.token_sort_ratio` (word order ignored, so swapping two phrases of
the seed's sentence is still a copy); the best run is the statement's *seed similarity*. A
statement at or over 80 is a near-verbatim copy.

Calibrated on the 63 true/false statements of 2026-11: the three that issue 14 names score 100
(kn-trinh-do-cao), 91 (kn-lien-bang-qua-trinh: two phrases of the slide swapped) and 87
(pl-chu-yeu-cap-do-khu-vuc: "khu vực" → "toàn cầu"); every one of the 33 statements at or
over 80 is a quote or a one-word swap. Between 70 and 80 lie both looser copies and real
rewordings, so the line stays at 80, where a warning is certain. Statements that apply an idea
to a case ("Khi Việt Nam sửa luật trong nước để thực thi cam kết WTO, …") score 66 to 68: the
floor that shared everyday words give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.course.initialisms import Initialisms, abbreviate
from bot.model.course import Question
from bot.normalize import fold

SEED_SIMILARITY_MIN = 80.0
_LEADING_THEO = re.compile(r"^(?:Theo|Trong)\s+[^,]{1,60},\s*")
_EXCERPT = 140


@dataclass(frozen=True)
class SeedCopy:
    question: Question
    seed_file: str
    similarity: float
    excerpt: str           # the seed's words that the statement copies, as the seed writes them


@dataclass(frozen=True)
class _Token:
    folded: str
    first: int             # index of the seed's raw word where it starts
    last: int


def _tokens(text: str, initialisms: Initialisms) -> list[_Token]:
    raw = text.replace("_", " ").split()
    folded = [(part, index) for index, word in enumerate(raw) for part in fold(word).split()]
    return [_Token(word, folded[first][1], folded[last][1])
            for word, first, last in abbreviate([w for w, _ in folded], initialisms)]


class SeedIndex:
    """The seed texts as word runs, built once and shared by every statement."""

    def __init__(self, seeds: dict[str, str], initialisms: Initialisms):
        self.initialisms = initialisms
        self._raw = {name: text.replace("_", " ").split() for name, text in seeds.items()}
        self._tokens = {name: _tokens(text, initialisms) for name, text in seeds.items()}
        self._runs: dict[tuple[str, int], list[str]] = {}

    def runs(self, seed: str, length: int) -> list[str]:
        """Every run of `length` consecutive words, each with its words sorted."""
        key = (seed, length)
        if key not in self._runs:
            words = [t.folded for t in self._tokens[seed]]
            self._runs[key] = [" ".join(sorted(words[i:i + length]))
                               for i in range(max(1, len(words) - length + 1))]
        return self._runs[key]

    def excerpt(self, seed: str, start: int, length: int) -> str:
        tokens = self._tokens[seed][start:start + length]
        text = " ".join(self._raw[seed][tokens[0].first:tokens[-1].last + 1]) if tokens else ""
        return text if len(text) <= _EXCERPT else text[:_EXCERPT - 1] + "…"

    @property
    def seeds(self) -> list[str]:
        return list(self._tokens)


def seed_copy(question: Question, index: SeedIndex) -> SeedCopy | None:
    if question.type != "true_false":
        return None
    statement = [t.folded for t in _tokens(_LEADING_THEO.sub("", question.prompt), index.initialisms)]
    if not statement:
        return None
    query = " ".join(sorted(statement))
    best: tuple[float, str, int, int] | None = None
    for seed in index.seeds:
        for length in (len(statement) - 1, len(statement), len(statement) + 1):
            if length < 1:
                continue
            found = process.extractOne(query, index.runs(seed, length), scorer=fuzz.ratio,
                                       score_cutoff=SEED_SIMILARITY_MIN if best is None else best[0])
            if found and (best is None or found[1] > best[0]):
                best = (found[1], seed, found[2], length)
    if best is None:
        return None
    score, seed, start, length = best
    return SeedCopy(question, seed, score, index.excerpt(seed, start, length))


def seed_copies(questions: list[Question], index: SeedIndex) -> list[SeedCopy]:
    found = (seed_copy(q, index) for q in questions)
    return [c for c in found if c is not None]
