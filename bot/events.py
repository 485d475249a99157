"""Platform-neutral events that the adapters hand to the core."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    platform: str
    id: str
    name: str
    is_admin: bool = False   # administers the chat the event comes from

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.id}"


@dataclass(frozen=True)
class Chat:
    platform: str
    id: str
    is_group: bool = True

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.id}"


@dataclass(frozen=True)
class Command:
    user: User
    chat: Chat
    name: str        # lowercase, without the slash or a @botname suffix
    args: str = ""


@dataclass(frozen=True)
class Press:
    user: User
    chat: Chat
    button_id: str


@dataclass(frozen=True)
class TypedText:
    """A plain message in the chat: a typed answer to an open question, or chatter; or the
    text of a form opened from a question's "answer" button (`answer_to`: that question)."""
    user: User
    chat: Chat
    text: str
    answer_to: int | None = None


Event = Command | Press | TypedText


_WHITESPACE = re.compile(r"\s+")     # a space, a tab, a non-breaking space, a newline ...


def parse_command(text: str) -> tuple[str, str, str] | None:
    """"/define@StudyBot hnqt" -> ("define", "StudyBot", "hnqt"); None if not a command.
    Any whitespace separates the command from its arguments ("/define\tHNQT")."""
    text = text.lstrip()
    if not text.startswith("/") or len(text) < 2:
        return None
    head, *rest = _WHITESPACE.split(text[1:], maxsplit=1)
    args = rest[0] if rest else ""
    name, _, addressee = head.partition("@")
    if not name or not all(ch.isalnum() or ch == "_" for ch in name):
        return None
    return name.lower(), addressee, args.strip()


MAX_ID = 2 ** 63 - 1      # SQLite's largest integer: a longer number in a button is no row of ours


def button_number(text: str) -> int | None:
    """A non-negative id from button or form data, or None: garbage, a digit that is not ASCII
    ("²" is a digit to str.isdigit), or a number too big to be any row."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if value <= MAX_ID else None
