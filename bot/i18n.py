"""The bot's own messages, one catalogue per language in bot/locales/*.yaml.

Course content (terms, questions) stays as written; only what the bot says around it is
translated. A chat's language is set by an admin with /lang; the default comes from settings.
A key missing from a catalogue falls back to Vietnamese (a test keeps them complete).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("vi", "en")
FALLBACK = "vi"


@lru_cache(maxsize=None)
def _strings(language: str) -> dict[str, object]:
    return yaml.safe_load((LOCALES / f"{language}.yaml").read_text(encoding="utf-8"))


class Catalog:
    def __init__(self, language: str):
        self.language = language if language in LANGUAGES else FALLBACK

    def raw(self, key: str) -> object:
        strings = _strings(self.language)
        return strings[key] if key in strings else _strings(FALLBACK)[key]

    def __call__(self, key: str, **values: object) -> str:
        return str(self.raw(key)).format(**values)

    def list(self, key: str) -> list[str]:
        return [str(x) for x in self.raw(key)]


def catalog(language: str) -> Catalog:
    return Catalog(language)
