"""Finding a concept however a Vietnamese student types it.

Terms and aliases are folded (bot.normalize.fold), so case, diacritics, tone placement, NFD and
punctuation never matter. Exact term or alias hits win; then the initials of a long term
("hnktqt"); then fuzzy matching (`similarity`), accepted above FUZZY_THRESHOLD, a figure
measured on the query table in tests/search_table.py by bench/search_threshold.py, not guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.model.course import Concept, Course
from bot.normalize import fold, initials

FUZZY_THRESHOLD = 82      # similarity a fuzzy hit needs: the middle of the 76-88 plateau where
                          # every query of the table is right (bench/search_threshold.py)
TIE_MARGIN = 1.0          # scores this close to the best are a tie
SUGGESTION_FLOOR = 45     # below this a term is not worth suggesting
MAX_QUERY = 120           # longer queries are cut before matching (a 10,000-character paste)
MIN_INITIALS_WORDS = 3


def similarity(query: str, key: str, **_: object) -> float:
    """Whole-string likeness (typos), or word-set likeness (extra or reordered words) a notch
    lower. Unlike WRatio it does not favour the shorter of two keys that both contain the
    query, so "đặc trưng" ties between the concepts it fits instead of picking one."""
    return max(fuzz.ratio(query, key), 0.9 * fuzz.token_set_ratio(query, key))


@dataclass(frozen=True)
class SearchResult:
    found: Concept | None = None
    ties: tuple[Concept, ...] = ()          # two or more concepts equally close
    suggestions: tuple[Concept, ...] = ()   # nothing close enough: the nearest terms
    how: str = ""                           # exact, initials, fuzzy, tie, none, empty


@dataclass
class ConceptIndex:
    course: Course
    _exact: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _initials: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _keys: list[str] = field(default_factory=list)
    _key_owner: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for concept in self.course.concepts.values():
            for name in (concept.term, *concept.aliases):
                key = fold(name)
                if key:
                    self._exact[key].add(concept.id)
                    self._keys.append(key)
                    self._key_owner.append(concept.id)
            if len(fold(concept.term).split()) >= MIN_INITIALS_WORDS:
                self._initials[initials(concept.term)].add(concept.id)

    def _concepts(self, ids) -> tuple[Concept, ...]:
        return tuple(sorted((self.course.concepts[i] for i in ids), key=lambda c: c.term))

    def scored(self, query: str, limit: int = 10) -> list[tuple[str, float]]:
        """Concept ids with their best fuzzy score, best first."""
        key = fold(query)[:MAX_QUERY]
        if not key:
            return []
        best: dict[str, float] = {}
        for _, score, index in process.extract(key, self._keys, scorer=similarity,
                                               limit=limit * 4, score_cutoff=SUGGESTION_FLOOR):
            owner = self._key_owner[index]
            best[owner] = max(best.get(owner, 0.0), score)
        return sorted(best.items(), key=lambda kv: (-kv[1], self.course.concepts[kv[0]].term))[:limit]

    def lookup(self, query: str) -> SearchResult:
        key = fold(query)[:MAX_QUERY].strip()
        if not key:
            return SearchResult(how="empty")
        for ids, how in ((self._exact.get(key), "exact"),
                         (self._initials.get(key.replace(" ", "")), "initials")):
            if ids and len(ids) == 1:
                return SearchResult(found=self.course.concepts[next(iter(ids))], how=how)
            if ids:
                return SearchResult(ties=self._concepts(ids), how="tie")
        scored = self.scored(key)
        if scored and scored[0][1] >= FUZZY_THRESHOLD:
            top = scored[0][1]
            tied = [cid for cid, score in scored if top - score <= TIE_MARGIN]
            if len(tied) == 1:
                return SearchResult(found=self.course.concepts[tied[0]], how="fuzzy")
            return SearchResult(ties=self._concepts(tied[:3]), how="tie")
        return SearchResult(suggestions=tuple(self.course.concepts[cid] for cid, _ in scored[:3]),
                            how="none")

    def complete(self, prefix: str, limit: int = 25) -> list[Concept]:
        """Concepts for an autocomplete box: prefix hits first, then fuzzy ones."""
        key = fold(prefix)
        if not key:
            return sorted(self.course.concepts.values(), key=lambda c: fold(c.term))[:limit]
        hits = [c for c in self.course.concepts.values()
                if any(fold(n).startswith(key) for n in (c.term, *c.aliases))]
        hits.sort(key=lambda c: fold(c.term))
        seen = {c.id for c in hits}
        for cid, _ in self.scored(key, limit):
            if cid not in seen:
                hits.append(self.course.concepts[cid])
                seen.add(cid)
        return hits[:limit]
