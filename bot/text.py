"""Text with light formatting that each adapter renders safely.

The core never writes markup: it builds spans (plain, bold, italic, code) and each adapter
escapes every span for its platform (HTML for Telegram, Markdown for Discord, nothing for the
console). So user text and content text can never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass

STYLES = ("", "b", "i", "code")


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""


@dataclass(frozen=True)
class Rich:
    spans: tuple[Span, ...] = ()

    def __add__(self, other: "Rich | str") -> "Rich":
        other = other if isinstance(other, Rich) else plain(other)
        return Rich(self.spans + other.spans)

    def __radd__(self, other: str) -> "Rich":
        return plain(other) + self

    def plain(self) -> str:
        return "".join(span.text for span in self.spans)

    def __len__(self) -> int:
        return sum(len(span.text) for span in self.spans)


def plain(text: str) -> Rich:
    return Rich((Span(text),)) if text else Rich()


def bold(text: str) -> Rich:
    return Rich((Span(text, "b"),)) if text else Rich()


def italic(text: str) -> Rich:
    return Rich((Span(text, "i"),)) if text else Rich()


def code(text: str) -> Rich:
    return Rich((Span(text, "code"),)) if text else Rich()


def join(parts: list[Rich | str], sep: str = "\n") -> Rich:
    out = Rich()
    for n, part in enumerate(parts):
        if n:
            out = out + sep
        out = out + part
    return out


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)].rsplit(" ", 1)[0] if limit > 20 else text[: max(limit - 1, 0)]
    return cut.rstrip(" ,;:") + "…"
