"""Numbers written as Vietnamese words or Roman numerals, read as digits.

Students type "đại hội thứ chín", "nghị quyết hai mươi hai", "Đại hội IX" or "dai hoi viii" for
what the course writes "Đại hội IX" and "Nghị quyết 22". `numbers_as_digits` folds a text
(bot.normalize.fold) and writes every number in it as digits: "dai hoi thu 9", "nghi quyet 22".

Several number words are also ordinary words once diacritics are gone (năm: five or year; nam:
south; ba: three or bà; sau: after; bay: fly; tam/tâm; tư/tự/từ; lăm/làm), and some are even
with diacritics (năm 1995 is a year; đầu tư is an investment). Such a word is read as a number
only where the context says so:
- in a run of number words that makes one number ("ba mươi", "năm trăm", "mười lăm");
- after "thứ" (an ordinal: "thứ năm", "thứ tư", "thứ nhất");
- after a word that numbers things: đại hội, nghị quyết, hội nghị, khóa, thế kỷ, chương, NQ, TW
  ("đại hội ba"); not "sau" (nghị quyết sau = the next one) nor "tư" (nghị quyết từ = from);
- typed with its own diacritics where those leave no doubt (sáu, bảy, tám; never năm or tư).
"năm" followed by a number is the word "year" ("năm 1995", "năm hai nghìn"), never 5.
A Roman numeral is a number when typed in capitals ("Đại hội VIII", "XIII"; a lone capital
letter only after a numbering word) or after a numbering word in any case ("dai hoi ix");
otherwise "vi", "di", "mi" are Vietnamese words. Only I, V, X and L are read (1 to 89): "CM"
(common market), "DC" or "MI" stay letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.normalize import fold

UNITS = {"khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5,
         "sau": 6, "bay": 7, "tam": 8, "chin": 9}
# After "mười"/"mươi" five is "lăm" (or "nhăm"), one is "mốt", four may be "tư";
# "mười năm", "hai mươi năm" are ten and twenty years, so "năm" ends the number there.
_AFTER_TENS = {**{w: v for w, v in UNITS.items() if v and w != "nam"},
               "tu": 4, "lam": 5, "nham": 5}
# After "linh"/"lẻ" (one hundred and five: "một trăm linh năm") any unit, "tư" included.
_AFTER_LINH = {**{w: v for w, v in UNITS.items() if v}, "tu": 4}
_TEN = "muoi"                     # mười (ten) and mươi (tens) fold alike
_TEN_TYPED = "mười"               # typed with its mark: ten, never tens ("sau mười năm": after ten years)
_HUNDRED = "tram"
_THOUSANDS = ("nghin", "ngan")    # "ngân hàng" is a bank, see _is_thousand
_ZERO_TENS = ("linh", "le")

# Read as a number even alone: once folded these are rarely anything else in a course.
_ALONE = frozenset({"mot", "hai", "bon", "chin", _TEN})
# Numbers with these diacritics, even alone (typed with the marks, so no doubt is left).
_SURE_WITH_MARKS = {"sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8}
# Read only after "thứ": thứ tư, thứ nhất, thứ nhì.
_ORDINAL_ONLY = {"tu": 4, "nhat": 1, "nhi": 2}
_NOT_AFTER_NUMBERING = {"sau", "tu", "lam", "nham", "khong", "nhat", "nhi"}
# How each number word is written with its diacritics; typed with other marks it is another
# word ("Hải quan", "bà", "tự", "Nam") and never a number.
_SPELLINGS = {"khong": ("không",), "mot": ("một", "mốt"), "bon": ("bốn",), "nam": ("năm",),
              "sau": ("sáu",), "bay": ("bảy", "bẩy"), "tam": ("tám",), "chin": ("chín",),
              _TEN: ("mười", "mươi"), _HUNDRED: ("trăm",), "nghin": ("nghìn",),
              "ngan": ("ngàn",), "le": ("lẻ",), "tu": ("tư",), "lam": ("lăm",), "nham": ("nhăm",),
              "nhat": ("nhất",), "nhi": ("nhì",), "thu": ("thứ",)}
_NOT_A_NUMBER = "~"               # prefix that keeps a word out of every number

_ORDINAL = "thu"
# Words after which a number is expected, as folded word sequences.
NUMBERING_WORDS = ("dai hoi", "nghi quyet", "hoi nghi", "khoa", "the ky", "chuong",
                   "nq", "tw", "trung uong", "lan", "ky hop")

_ROMAN = re.compile(r"^(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})$", re.IGNORECASE)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Word:
    folded: str     # as bot.normalize.fold writes it
    typed: str      # as typed (NFC), for case and diacritics


def words_of(text: str) -> list[Word]:
    """The folded words of a text, each with the piece it was typed as."""
    out: list[Word] = []
    for piece in _WORD.findall(unicodedata.normalize("NFC", text)):
        folded = fold(piece).split()
        out.extend(Word(f, piece if len(folded) == 1 else f) for f in folded)
    return out


def roman_to_int(token: str) -> int | None:
    """1 to 89 written with I, V, X, L in canonical form ("IX", "xiii"); otherwise None."""
    if not token or not _ROMAN.match(token):
        return None
    values = [_ROMAN_VALUES[ch] for ch in token.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _below_hundred(words: Sequence[str], i: int) -> tuple[int, int] | None:
    n = len(words)
    if i >= n:
        return None
    if words[i] in (_TEN, _TEN_TYPED):                     # mười, mười một … mười chín
        if i + 1 < n and words[i + 1] in _AFTER_TENS:
            return 10 + _AFTER_TENS[words[i + 1]], i + 2
        return 10, i + 1
    unit = UNITS.get(words[i])
    if unit is None:
        return None
    if unit >= 2 and i + 1 < n and words[i + 1] == _TEN:   # hai mươi, hai mươi mốt …
        if i + 2 < n and words[i + 2] in _AFTER_TENS:
            return unit * 10 + _AFTER_TENS[words[i + 2]], i + 3
        return unit * 10, i + 2
    return unit, i + 1


def _hundreds_tail(words: Sequence[str], i: int) -> tuple[int, int]:
    """What follows "trăm" or "nghìn": "linh năm", "mười lăm", "hai mươi"; (0, i) if nothing."""
    n = len(words)
    if i + 1 < n and words[i] in _ZERO_TENS and words[i + 1] in _AFTER_LINH:
        return _AFTER_LINH[words[i + 1]], i + 2
    tens = _below_hundred(words, i)
    if tens and tens[0] >= 10:
        return tens
    return 0, i


def _below_thousand(words: Sequence[str], i: int) -> tuple[int, int] | None:
    if i + 1 < len(words) and words[i] in UNITS and words[i + 1] == _HUNDRED:
        tail, end = _hundreds_tail(words, i + 2)
        return UNITS[words[i]] * 100 + tail, end
    return _below_hundred(words, i)


def _is_thousand(words: Sequence[str], i: int) -> bool:
    if i >= len(words) or words[i] not in _THOUSANDS:
        return False
    return not (words[i] == "ngan" and i + 1 < len(words) and words[i + 1] == "hang")


def parse_number_words(words: Sequence[str], start: int = 0) -> tuple[int, int] | None:
    """The number that folded words spell from `start` (below a million), as (value, end index),
    taking as many words as make one number: ["hai", "muoi", "hai"] -> (22, 3). None if the word
    at `start` begins no number. Context is not judged here: see numbers_as_digits."""
    head = _below_thousand(words, start)
    if head is None:
        return None
    value, end = head
    if _is_thousand(words, end):
        end += 1
        value *= 1000
        if end + 1 < len(words) and words[end] in UNITS and words[end + 1] == _HUNDRED:
            hundreds = _below_thousand(words, end)         # "không trăm" allowed here
            assert hundreds is not None
            value, end = value + hundreds[0], hundreds[1]
        else:
            tail, end = _hundreds_tail(words, end)
            value += tail
    return value, end


def words_to_number(text: str) -> int | None:
    """The number a whole text spells ("một trăm linh năm" -> 105), or None."""
    words = fold(text).split()
    parsed = parse_number_words(words)
    return parsed[0] if parsed and parsed[1] == len(words) else None


def _after_numbering_word(folded: Sequence[str], i: int) -> bool:
    before = " ".join(folded[max(0, i - 3):i])
    return any(before == w or before.endswith(" " + w) for w in NUMBERING_WORDS)


def _number_starts(words: Sequence[str], i: int) -> bool:
    return i < len(words) and (words[i].isdigit() or parse_number_words(words, i) is not None)


def _as_spelled(word: Word) -> str:
    """The folded word as the number parser should see it: marks that no number word has
    make it a non-number, and "mười" keeps its mark (ten, never tens)."""
    typed = word.typed.lower()
    if typed == _TEN_TYPED:
        return _TEN_TYPED
    if typed == word.folded or typed in _SPELLINGS.get(word.folded, ()):
        return word.folded
    return _NOT_A_NUMBER + word.folded


def _lone_word_value(words: Sequence[Word], folded: Sequence[str], spelled: Sequence[str],
                     i: int) -> int | None:
    """A single number word (no run): its value where the context makes it a number."""
    word = spelled[i]
    after_thu = i > 0 and spelled[i - 1] == _ORDINAL
    if after_thu and word in _ORDINAL_ONLY:
        return _ORDINAL_ONLY[word]
    value = UNITS.get(word, 10 if word in (_TEN, _TEN_TYPED) else None)
    if value is None:
        return None
    if word == "nam" and _number_starts(spelled, i + 1):
        return None                                        # "năm 1995": the year
    if after_thu or word in _ALONE or word == _TEN_TYPED:
        return value
    if word not in _NOT_AFTER_NUMBERING and _after_numbering_word(folded, i):
        return value
    return _SURE_WITH_MARKS.get(words[i].typed.lower())


def _roman_value(words: Sequence[Word], folded: Sequence[str], spelled: Sequence[str],
                 i: int) -> int | None:
    typed = words[i].typed
    value = roman_to_int(typed)
    if value is None:
        return None
    context = (i > 0 and spelled[i - 1] == _ORDINAL) or _after_numbering_word(folded, i)
    capitals = typed.isupper() and len(typed) > 1
    return value if context or capitals else None


def numbers_as_digits(text: str) -> str:
    """The folded text with numbers written as words or Roman numerals replaced by digits:
    "Đại hội thứ chín" -> "dai hoi thu 9", "Nghị quyết hai mươi hai" -> "nghi quyet 22",
    "Đại hội VIII" -> "dai hoi 8", "năm 1995" -> "nam 1995", "hoi nhap" -> "hoi nhap"."""
    words = words_of(text)
    folded = [w.folded for w in words]
    spelled = [_as_spelled(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        roman = _roman_value(words, folded, spelled, i)
        if roman is not None:
            out.append(str(roman))
            i += 1
            continue
        run = parse_number_words(spelled, i)
        if run is not None and run[1] - i >= 2:
            out.append(str(run[0]))
            i = run[1]
            continue
        lone = _lone_word_value(words, folded, spelled, i)
        out.append(folded[i] if lone is None else str(lone))
        i += 1
    return " ".join(out)
