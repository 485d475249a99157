"""What an adapter offers the outbox, and how a platform's answer to a send is told apart.

An adapter renders replies into the messages its platform sends (merging several replies into
one message where it can) and sends one message at a time. It turns the platform's errors into
the few outcomes the outbox acts on: wait and retry (RetryLater, TemporaryFailure), give up on
this message (Undeliverable), stop sending to this chat (ChatGone), or follow the chat to its
new id (ChatMoved).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from bot.events import Chat
from bot.replies import Reply


@dataclass(frozen=True)
class Limits:
    """(messages, seconds) in any window, per group, per private chat and overall; None: no
    limit. Each platform declares its own (adapters/*)."""
    group: tuple[int, float] | None = None
    private: tuple[int, float] | None = None
    overall: tuple[int, float] | None = None


NO_LIMITS = Limits()


@dataclass(frozen=True)
class Receipt:
    key: str | None = None     # the platform's id for what was sent, when answers refer to it (a poll)
    native: bool = False       # sent as the platform's own quiz, which shows its answer when it closes


class RetryLater(Exception):
    """The platform asks to wait `seconds` before sending to this chat again (HTTP 429)."""

    def __init__(self, seconds: float):
        super().__init__(f"retry after {seconds:g} s")
        self.seconds = max(0.0, float(seconds))


class TemporaryFailure(Exception):
    """The platform could not be reached or failed on its side: try again after a pause."""


class Undeliverable(Exception):
    """The platform refuses this message (e.g. a bad request); other messages may still go."""


class ChatGone(Exception):
    """The bot was removed or blocked, or the chat no longer exists: stop sending there.

    `code` is what the core tells the chat's admins: "removed" or "deleted"."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


class ChatMoved(Exception):
    """The chat continues under a new id (a Telegram group upgraded to a supergroup)."""

    def __init__(self, new_id: str):
        super().__init__(f"the chat moved to {new_id}")
        self.new_id = new_id


class Transport(Protocol):
    platform: str
    limits: Limits
    shows_private_replies: bool    # a reply for one member of a group is shown to them alone in it
                                   # (the console marks it); else the outbox refuses such a reply

    def render(self, chat: Chat, replies: Sequence[Reply]) -> list[Any]:
        """The messages that show these replies, in order; several replies may share one."""

    async def send(self, chat: Chat, message: Any) -> Receipt:
        """Send one rendered message; raise the exceptions above for what went wrong."""


class DeliveryListener(Protocol):
    """The core's side: what it does when its replies are delivered or cannot be."""

    async def delivered(self, chat: Chat, replies: Sequence[Reply], receipt: Receipt) -> None: ...

    async def undelivered(self, chat: Chat, replies: Sequence[Reply], reason: str) -> list[Reply]: ...

    async def chat_gone(self, chat: Chat, code: str) -> None: ...

    async def chat_moved(self, old: Chat, new: Chat) -> None: ...
