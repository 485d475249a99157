"""Finding a concept however a Vietnamese student types it.

Terms and aliases are folded (bot.normalize.fold), so case, diacritics, tone placement, NFD and
punctuation never matter. A query is read several ways and the best reading wins: as typed, and
decoded when it is Telex or VNI typed with the input method off (bot.telex_vni: "chur nghiax"
is "chủ nghĩa"); each of them folded, and with numbers written as digits (bot.vi_numbers:
"đại hội thứ chín" and "Đại hội IX" are "dai hoi 9"). Exact term or alias hits win; then the
initials of a long term ("hnktqt"); then a comparison ("TCH khác HNQT thế nào") answered by
the concept that names both sides; then fuzzy matching (`ConceptIndex._fuzzy`), accepted above
FUZZY_THRESHOLD, a figure measured on the query table in tests/search_table.py by
bench/search_threshold.py, not guessed. A number never fuzzily matches another: "nghị quyết
23" is not "Nghị quyết 22", "Đại hội VIII" is not "Đại hội IX".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.comparison import compared_parts
from bot.model.course import Concept, Course
from bot.normalize import fold, initials
from bot.telex_vni import decode_telex_vni
from bot.vi_numbers import numbers_as_digits

FUZZY_THRESHOLD = 82      # similarity a fuzzy hit needs: every query of the table is right from
                          # 62 to 90 (bench/search_threshold.py; 60 takes "bitcoin" for ITO, 92
                          # loses typos and ties); 82 sits in the upper half of that plateau, as a
                          # wrong card is worse than a list of suggestions
TIE_MARGIN = 1.0          # scores this close to the best are a tie
SUGGESTION_FLOOR = 45     # below this a term is not worth suggesting
TOKEN_SET_WEIGHT = 0.9    # word-set likeness counts a notch below whole-string likeness
MAX_QUERY = 120           # longer queries are cut before matching (a 10,000-character paste)
MIN_INITIALS_WORDS = 3

_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_LEADING_ZEROS = re.compile(r"\b0+(?=\d)")
_ORDINAL_WORDS = re.compile(r"\b(?:lan thu|lan|thu) (?=\d+\b)")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def search_key(text: str) -> str:
    """Folded text with its numbers as digits, apart from letters, without leading zeros or
    "lần thứ" before them: "Đại hội lần thứ IX" and "đại hội thứ chín" -> "dai hoi 9",
    "NQ22" and "Nghị quyết 22" -> "nq 22", "nghi quyet 22"; "NQ 07" -> "nq 7"."""
    key = _LETTER_DIGIT.sub(" ", numbers_as_digits(text))
    return _ORDINAL_WORDS.sub("", _LEADING_ZEROS.sub("", key))


def numbers_in(key: str) -> tuple[str, ...]:
    return tuple(word for word in key.split() if word.isdigit())


def numbers_agree(query: tuple[str, ...], key: tuple[str, ...]) -> bool:
    """Whether a key may fuzzily match a query as far as numbers go: a query's numbers are all
    in the key, beginning with the same one ("đại hội 8 năm 1996" fits "Đại hội VIII của Đảng
    (6/1996)"; "đại hội 6" does not). A side with no number leaves the matter to the words."""
    return not query or not key or (query[0] == key[0] and set(query) <= set(key))


@dataclass(frozen=True)
class SearchResult:
    found: Concept | None = None
    ties: tuple[Concept, ...] = ()          # two or more concepts equally close
    suggestions: tuple[Concept, ...] = ()   # nothing close enough: the nearest terms
    how: str = ""                           # exact, initials, compared, fuzzy, tie, none, empty


@dataclass(frozen=True)
class Reading:
    """One way to read a query: its key and the numbers it holds."""
    key: str
    numbers: tuple[str, ...]


def readings(query: str) -> list[Reading]:
    """The query as typed and decoded from Telex/VNI, each folded and with numbers as digits,
    in that order of trust; duplicates dropped."""
    text = query[:MAX_QUERY * 2]
    sources = [text]
    decoded = decode_telex_vni(text)
    if decoded != text:
        sources.append(decoded)
    out: list[Reading] = []
    for source in sources:
        with_digits = search_key(source)[:MAX_QUERY].strip()
        numbers = numbers_in(with_digits)
        for key in (fold(source)[:MAX_QUERY].strip(), with_digits):
            if key and all(key != r.key for r in out):
                out.append(Reading(key, numbers))
    return out


@dataclass
class ConceptIndex:
    course: Course
    _exact: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _initials: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _keys: list[str] = field(default_factory=list)
    _key_owner: list[str] = field(default_factory=list)
    _key_numbers: list[tuple[str, ...]] = field(default_factory=list)
    _names: dict[str, tuple[str, ...]] = field(default_factory=dict)   # concept id -> its keys

    def __post_init__(self) -> None:
        named = {key for c in self.course.concepts.values() for name in (c.term, *c.aliases)
                 for key in (search_key(name), fold(name))}
        for concept in self.course.concepts.values():
            names: list[str] = []
            bare_term = _PARENTHESIS.sub("", concept.term)    # "Đại hội VIII của Đảng (6/1996)"
            term_numbers = numbers_in(search_key(concept.term))
            for name in dict.fromkeys((concept.term, *concept.aliases, bare_term)):
                only_bare = name == bare_term and name not in (concept.term, *concept.aliases)
                with_digits = search_key(name)
                # a name without a number stands for the concept's: "Chiến lược An ninh quốc
                # gia Mỹ" is the 2017 one, not a match for "… Mỹ 2018"
                numbers = numbers_in(with_digits) or term_numbers
                for key in (with_digits, fold(name)):
                    if not key or key in names or (only_bare and key in named):
                        continue
                    names.append(key)
                    self._exact[key].add(concept.id)
                    self._keys.append(key)
                    self._key_owner.append(concept.id)
                    self._key_numbers.append(numbers)
            self._names[concept.id] = tuple(names)
            if len(fold(concept.term).split()) >= MIN_INITIALS_WORDS:
                self._initials[initials(concept.term)].add(concept.id)

    def _concepts(self, ids) -> tuple[Concept, ...]:
        return tuple(sorted((self.course.concepts[i] for i in ids), key=lambda c: c.term))

    def _fuzzy(self, reading: Reading, numbers_must_agree: bool) -> dict[str, float]:
        """Each concept's best likeness to one reading, at least SUGGESTION_FLOOR: whole-string
        likeness (typos), or word-set likeness (extra or reordered words) a notch lower. Unlike
        WRatio it does not favour the shorter of two keys that both contain the query, so
        "đặc trưng" ties between the concepts it fits instead of picking one. Each scorer runs
        over all keys in rapidfuzz's C loop, which keeps a keystroke's autocomplete cheap."""
        indices = range(len(self._keys))
        if numbers_must_agree and reading.numbers:
            indices = [i for i in indices if numbers_agree(reading.numbers, self._key_numbers[i])]
        keys = {i: self._keys[i] for i in indices}
        scores: dict[int, float] = {}
        for scorer, weight in ((fuzz.ratio, 1.0), (fuzz.token_set_ratio, TOKEN_SET_WEIGHT)):
            for _, score, i in process.extract(reading.key, keys, scorer=scorer, limit=None,
                                               score_cutoff=SUGGESTION_FLOOR / weight):
                scores[i] = max(scores.get(i, 0.0), weight * score)
        best: dict[str, float] = {}
        for i, score in scores.items():
            owner = self._key_owner[i]
            best[owner] = max(best.get(owner, 0.0), score)
        return best

    def _scored(self, forms: list[Reading], limit: int, numbers_must_agree: bool = True
                ) -> list[tuple[str, float]]:
        best: dict[str, float] = {}
        for reading in forms:
            for owner, score in self._fuzzy(reading, numbers_must_agree).items():
                best[owner] = max(best.get(owner, 0.0), score)
        return sorted(best.items(), key=lambda kv: (-kv[1], self.course.concepts[kv[0]].term))[:limit]

    def _direct(self, forms: list[Reading]) -> SearchResult | None:
        """An exact term or alias, or the initials of a long term, in any reading."""
        for table, how, squeeze in ((self._exact, "exact", False), (self._initials, "initials", True)):
            for reading in forms:
                ids = table.get(reading.key.replace(" ", "") if squeeze else reading.key)
                if ids and len(ids) == 1:
                    return SearchResult(found=self.course.concepts[next(iter(ids))], how=how)
                if ids:
                    return SearchResult(ties=self._concepts(ids), how="tie")
        return None

    def _fuzzy_match(self, forms: list[Reading], max_ties: int) -> SearchResult | None:
        """The concept scoring FUZZY_THRESHOLD or more, or a tie of those within TIE_MARGIN."""
        scored = self._scored(forms, 10)
        if not scored or scored[0][1] < FUZZY_THRESHOLD:
            return None
        top = scored[0][1]
        tied = [cid for cid, score in scored if top - score <= TIE_MARGIN]
        if len(tied) == 1:
            return SearchResult(found=self.course.concepts[tied[0]], how="fuzzy")
        return SearchResult(ties=self._concepts(tied[:max_ties]), how="tie")

    def _comparing(self, sides: list[SearchResult], parts: tuple[str, str]) -> dict[str, int]:
        """Points of each concept whose term or aliases name both compared sides: two a side,
        and one more for each side it lists among its related concepts. (Being related to
        both is not enough: ITO is related to GATT and WTO, but compares neither.)"""
        side_ids = [{r.found.id} if r.found else {c.id for c in r.ties} for r in sides]
        mentions = [{f" {part} ", *(f" {n} " for n in self._names[r.found.id])} if r.found
                    else {f" {part} "} for part, r in zip(parts, sides)]
        points: dict[str, int] = {}
        for concept in self.course.concepts.values():
            if any(r.found is concept for r in sides):
                continue
            names = [f" {n} " for n in self._names[concept.id]]
            total = 0
            for ids, said in zip(side_ids, mentions):
                if not any(m in n for m in said for n in names):
                    break
                total += 2 + (not ids.isdisjoint(concept.related))
            else:
                points[concept.id] = total
        return points

    def _compared(self, forms: list[Reading]) -> SearchResult | None:
        """A comparison question ("TCH khác HNQT thế nào") answered by the one concept that
        names both sides best; with no single best, the two compared concepts are offered."""
        for reading in forms:
            parts = compared_parts(reading.key)
            if parts is None:
                continue
            sides = [self._direct(side) or self._fuzzy_match(side, 10)
                     for side in map(readings, parts)]
            if any(side is None for side in sides):
                continue
            points = self._comparing(sides, parts)
            top = max(points.values(), default=0)
            best = [cid for cid, p in points.items() if p == top]
            if len(best) == 1:
                return SearchResult(found=self.course.concepts[best[0]], how="compared")
            compared = {r.found.id for r in sides if r.found}
            if len(compared) == 2:
                return SearchResult(ties=self._concepts(compared), how="tie")
        return None

    def lookup(self, query: str) -> SearchResult:
        as_typed = Reading(fold(query[:MAX_QUERY * 2])[:MAX_QUERY].strip(), ())
        if as_typed.key in self._exact:     # the common case: no numbers or keystrokes to read
            return self._direct([as_typed])
        forms = readings(query)
        if not forms:
            return SearchResult(how="empty")
        found = self._direct(forms) or self._compared(forms) or self._fuzzy_match(forms, 3)
        if found is not None:
            return found
        nearest = self._scored(forms, 3, numbers_must_agree=False)
        return SearchResult(suggestions=tuple(self.course.concepts[cid] for cid, _ in nearest),
                            how="none")

    def complete(self, prefix: str, limit: int = 25) -> list[Concept]:
        """Concepts for an autocomplete box: prefix hits first, then fuzzy ones."""
        forms = readings(prefix)
        if not forms:
            return sorted(self.course.concepts.values(), key=lambda c: fold(c.term))[:limit]
        hits = [c for c in self.course.concepts.values()
                if any(name.startswith(r.key) for name in self._names[c.id] for r in forms)]
        hits.sort(key=lambda c: fold(c.term))
        seen = {c.id for c in hits}
        for cid, _ in self._scored(forms, limit, numbers_must_agree=False):
            if cid not in seen:
                hits.append(self.course.concepts[cid])
                seen.add(cid)
        return hits[:limit]
