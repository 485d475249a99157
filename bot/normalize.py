"""Folding Vietnamese text the way students type it, so that queries and answers match.

Students type without diacritics, in NFD from some phones, with the old or the new tone
placement (hoá / hóa), with stray punctuation and double spaces. All of these fold to the
same key: lowercase ASCII letters and digits separated by single spaces.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
# NFD does not split đ/Đ (they are letters of their own), so map them by hand.
_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "_": " "})


def fold(text: str) -> str:
    """Case, diacritics, composition, punctuation and spacing folded away."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def initials(text: str) -> str:
    """First letters of a term's words: "Hội nhập quốc tế" -> "hnqt"."""
    return "".join(word[0] for word in fold(text).split())


def clean_display(text: str) -> str:
    """Text from a user made safe to echo: NFC, no control characters, single-line, short."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())
