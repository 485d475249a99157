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
    url: str = ""  # a link button instead (an adapter's own, e.g. "open a private chat")


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
    to: User | None = None       # for this user alone: never shown to the group
    verdict: bool = False        # a private verdict on an answer: where it cannot be shown
                                 # privately, the platform only marks the answer as received
    question: QuestionCard | None = field(default=None, compare=False)
    game: bool = False           # part of a game (question, reveal, standings, daily post): sent
                                 # before lookups and never dropped for being late
    fallback: bool = False       # said because something else could not be delivered; if it
                                 # fails too, that is only logged
    background: bool = False     # a scheduled post to many chats at once (the daily question):
                                 # nobody waits for it this second, so at the platform's overall
                                 # limit the replies somebody is waiting for go first


class Outbox(Protocol):
    """Where replies go to be delivered; posting never waits for the platform."""

    async def post(self, chat: Chat, replies: list[Reply]) -> None: ...

    async def settled(self) -> None:
        """Return once what is being sent right now has been delivered and reported."""
