"""Vietnamese typed with the input method off, decoded: Telex and VNI keystrokes to letters.

A student whose keyboard tool is off types the keystrokes themselves: Telex "chur nghiax lieen
bang" or VNI "do65c la65p" for "chủ nghĩa liên bang", "độc lập". `decode_telex_vni` turns each
such word back into the syllable it spells, and leaves every other word as it was.

A word is decoded only when it carries keystrokes (a VNI digit, Telex doubling "aa", "ee",
"oo", "dd", a "w", or a tone letter s f r x j z after a vowel) and the result is a well-formed
Vietnamese syllable (onset, vowels and final consonant, and a tone its ending allows: "bác",
"bạc", never "bàc"). So English words ("integration", "customs", "free"), words already
accented, plain unaccented Vietnamese ("hoi nhap") and abbreviations in capitals ("HNQT",
"OAS") come out unchanged. Both key sets are read in one word ("hoo5i" -> "hội"), as people
mix them. Tones are placed as the course writes them (hòa, thủy, người, quốc).

PyPI's `bogo` does this for an input method editor, but its last release is from 2014 (tested
on Python 2.7 to 3.3) and it reads one method at a time ("hoo5i" stays "hô5i"); what a search
needs is this one small function.
"""

from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323",
               "1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_STOP_TONES = {"\u0301", "\u0323"}          # after -c, -ch, -p, -t only sắc or nặng
_VOWELS = "aeiouy"

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
_OPEN = ("a|ă|â|e|ê|i|o|ô|ơ|u|ư|y|ai|ao|au|âu|ay|ây|eo|êu|ia|iu|oa|oe|oi|ôi|ơi|ua|ui|uê|ưa|ưi|"
         "ưu|uy|uơ|iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyu")
_CLOSED = "a|ă|â|e|ê|i|o|ô|ơ|u|ư|iê|yê|oa|oă|oe|oo|uâ|uê|uô|ươ|uy|uyê"
_SYLLABLE = re.compile(rf"^({_ONSET})(?:({_OPEN})|({_CLOSED})(ch|ng|nh|[cmnpt]))$")
_WORD = re.compile(r"[^\W_]+")


def _has_keystrokes(word: str) -> bool:
    if any(ch.isdigit() for ch in word) or "w" in word or "dd" in word:
        return True
    if any(v + v in word for v in "aeo"):
        return True
    first_vowel = next((i for i, ch in enumerate(word) if ch in _VOWELS), None)
    return first_vowel is not None and any(ch in "sfrxjz" for ch in word[first_vowel + 1:])


def _last_vowel_run(letters: list[list[str]]) -> list[list[str]]:
    """The letters of the last run of vowels (the nucleus being typed)."""
    run: list[list[str]] = []
    for letter in reversed(letters):
        if letter[0] in _VOWELS:
            run.insert(0, letter)
        elif run:
            break
    return run


def _horn(letters: list[list[str]]) -> bool:
    run = _last_vowel_run(letters)
    bases = "".join(letter[0] for letter in run)
    if "uo" in bases:                                   # ươ gets both horns
        at = bases.index("uo")
        run[at][1] = run[at + 1][1] = _HORN
        return True
    for letter in reversed(run):
        if letter[0] in "ou":
            letter[1] = _HORN
            return True
        if letter[0] == "a":
            letter[1] = _BREVE                          # Telex "aw" = ă
            return True
    return False


def _mark(letters: list[list[str]], bases: str, mark: str) -> bool:
    for letter in reversed(_last_vowel_run(letters)):
        if letter[0] in bases:
            letter[1] = mark
            return True
    return False


def _spell(word: str) -> tuple[str, str] | None:
    """The letters a lowercase keystroke word spells (toneless, NFC) and its tone mark."""
    letters: list[list[str]] = []                      # [base, shape mark]
    tone = tone_key = ""
    for ch in word:
        seen_vowel = any(letter[0] in _VOWELS for letter in letters)
        if ch == tone_key and ch.isalpha():             # a tone key typed twice is the letter
            tone = tone_key = ""                         # ("boss" is "bos", not "bó")
            letters.append([ch, ""])
        elif ch in _TONE_MARKS and (ch.isdigit() or seen_vowel):
            if not seen_vowel:
                return None
            tone, tone_key = _TONE_MARKS[ch], ch
        elif ch == "0" or (ch == "z" and seen_vowel):
            tone = ""
        elif ch == "6" or (ch in "aeo" and letters and letters[-1] == [ch, ""]):
            if not _mark(letters, "aeo" if ch == "6" else ch, _CIRCUMFLEX):
                return None
        elif ch == "8":
            if not _mark(letters, "a", _BREVE):
                return None
        elif ch in "7w":
            if not _horn(letters):
                if ch == "7":
                    return None
                letters.append(["u", _HORN])             # Telex "w" alone = ư
        elif ch == "9" or (ch == "d" and letters == [["d", ""]]):
            if not letters or letters[0] != ["d", ""]:
                return None
            letters[0] = ["đ", ""]
        elif ch.isdigit():
            return None
        else:
            letters.append([ch, ""])
    toneless = unicodedata.normalize("NFC", "".join(b + m for b, m in letters))
    return toneless, tone


def _tone_position(onset: str, nucleus: str, closed: bool) -> int:
    """Index in the nucleus of the vowel that carries the tone."""
    shaped = [i for i, ch in enumerate(nucleus) if ch in "ăâêôơư"]
    if shaped:
        return shaped[-1]
    if len(nucleus) == 1:
        return 0
    if closed or len(nucleus) == 3:
        return len(nucleus) - 1 if closed else 1
    return 0


def decode_word(word: str) -> str | None:
    """The syllable a Telex/VNI keystroke word spells ("vieetj" -> "việt"), or None when the
    word is not one (no keystrokes, not ASCII, an abbreviation in capitals, not a syllable)."""
    if not word.isascii() or not word.isalnum() or (word.isupper() and len(word) > 1):
        return None
    lower = word.lower()
    if not _has_keystrokes(lower):
        return None
    spelled = _spell(lower)
    if spelled is None:
        return None
    toneless, tone = spelled
    match = _SYLLABLE.match(toneless)
    if not match:
        return None
    onset, open_rime, nucleus, coda = match.groups()
    if coda in ("c", "ch", "p", "t") and tone and tone not in _STOP_TONES:
        return None
    nucleus = nucleus or open_rime
    at = len(onset) + _tone_position(onset, nucleus, coda is not None)
    syllable = unicodedata.normalize("NFC", toneless[:at + 1] + tone + toneless[at + 1:])
    if syllable == lower:
        return None
    return syllable[0].upper() + syllable[1:] if word[0].isupper() else syllable


def decode_telex_vni(text: str) -> str:
    """The text with every Telex/VNI keystroke word decoded; other words untouched."""
    return _WORD.sub(lambda m: decode_word(m.group()) or m.group(), text)
