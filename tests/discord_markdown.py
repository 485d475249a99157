"""Discord markdown as a reader sees it: which marks format and which show up literally.

Modelled on the rules of Discord's client parser (simple-markdown with Discord's rules):
- a backslash before any character that is not a letter, digit or whitespace shows that
  character literally (the backslash disappears); before a letter it stays;
- `code` (one or more backticks) shows its inside verbatim: no marks, no escapes;
- **bold**, __underline__, ~~strike~~, ||spoiler||, *italic* and _italic_ format only when the
  inside is not empty and neither starts nor ends with whitespace; otherwise the marks show
  (`*Liên quan: *` is printed with both stars). _italic_ also needs a non-word character (or the
  text's edge) outside each underscore, so snake_case_words stay as typed;
- at the start of a line: "# ", "## ", "### " headings, "-# " subtext and "> " quotes lose
  their marker; "- " and "* " list items show a bullet "• ".

`rendered(text)` is the visible text; `styled(text)` the same text in runs with their styles.
Links, mentions, emoji and block quotes of several lines (">>> ") are not modelled.
"""

from __future__ import annotations

import re

PAIRED = (("**", "bold"), ("__", "underline"), ("~~", "strike"), ("||", "spoiler"),
          ("*", "italic"), ("_", "italic"))
LINE_MARKERS = re.compile(r"(#{1,3} |-# |> )")
BULLET = re.compile(r"([-*]) (?=\S)")

Run = tuple[str, frozenset[str]]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _closing(text: str, start: int, mark: str) -> int:
    """Where the mark opened at `start` closes (index of the closing mark), or -1."""
    inner_start = start + len(mark)
    if inner_start >= len(text) or text[inner_start].isspace():
        return -1
    if len(mark) == 1 and text[inner_start] == mark:
        return -1
    if mark == "_" and start > 0 and _is_word(text[start - 1]):
        return -1
    j = inner_start + 1
    while j <= len(text) - len(mark):
        if text[j] == "\\":
            j += 2
            continue
        if len(mark) == 1 and text.startswith(mark * 2, j):
            j += 2                       # a doubled mark inside a single one belongs to it
            continue
        if text.startswith(mark, j):
            after = text[j + len(mark):j + len(mark) + 1]
            if text[j - 1].isspace() or after == mark[0]:
                j += 1
                continue
            if mark == "_" and after and _is_word(after):
                j += 1
                continue
            return j
        j += 1
    return -1


def _inline(text: str, styles: frozenset[str]) -> list[Run]:
    runs: list[Run] = []
    i, plain = 0, []

    def flush():
        if plain:
            runs.append(("".join(plain), styles))
            plain.clear()

    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and not (text[i + 1].isalnum() or text[i + 1].isspace()):
            plain.append(text[i + 1])
            i += 2
            continue
        if char == "`":
            ticks = len(text[i:]) - len(text[i:].lstrip("`"))
            end = text.find("`" * ticks, i + ticks)
            if end > i + ticks:
                flush()
                runs.append((text[i + ticks:end], styles | {"code"}))
                i = end + ticks
                continue
            plain.append("`" * ticks)
            i += ticks
            continue
        for mark, style in PAIRED:
            if text.startswith(mark, i):
                end = _closing(text, i, mark)
                if end > 0:
                    flush()
                    runs.extend(_inline(text[i + len(mark):end], styles | {style}))
                    i = end + len(mark)
                    break
        else:
            plain.append(char)
            i += 1
    flush()
    return runs


def _line(line: str) -> list[Run]:
    marker = LINE_MARKERS.match(line)
    if marker:
        style = {"> ": "quote", "-# ": "subtext"}.get(marker.group(1), "heading")
        return _inline(line[marker.end():], frozenset({style}))
    bullet = BULLET.match(line)
    if bullet:
        return [("• ", frozenset())] + _inline(line[bullet.end():], frozenset())
    return _inline(line, frozenset())


def styled(text: str) -> list[Run]:
    """The visible text in runs, each with the styles Discord gives it."""
    runs: list[Run] = []
    for n, line in enumerate(text.split("\n")):
        if n:
            runs.append(("\n", frozenset()))
        runs.extend(_line(line))
    merged: list[Run] = []
    for piece, styles in runs:
        if merged and merged[-1][1] == styles:
            merged[-1] = (merged[-1][0] + piece, styles)
        elif piece:
            merged.append((piece, styles))
    return merged


def rendered(text: str) -> str:
    """What a reader sees: formatting marks that apply are gone, the others stay."""
    return "".join(piece for piece, _ in styled(text))
