"""Platform-neutral replies that the core returns and the adapters render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.events import Chat, User
from bot.text import Rich


@dataclass(frozen=True)
class Button:
    id: str       # at most 64 bytes (Telegram callback data); carries what the core needs
    label: str


@dataclass(frozen=True)
class QuestionCard:
    """What an adapter needs to send a question natively (e.g. as a Telegram quiz poll); the
    adapter judges whether it fits its platform's limits."""
    asked_id: int
    prompt: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    open_seconds: int


@dataclass(frozen=True)
class Reply:
    text: Rich
    buttons: tuple[Button, ...] = ()
    to: User | None = None                 # for this user alone (private ack, ephemeral)
    question: QuestionCard | None = field(default=None, compare=False)


class Outbox(Protocol):
    """How the core pushes messages nobody asked for just now (reveals, daily posts)."""

    async def send(self, chat: Chat, replies: list[Reply]) -> None: ...
