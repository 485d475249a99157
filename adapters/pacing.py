"""Sending within a platform's rate limits, never dropping a message it asks us to retry.

Wraps an adapter's raw send in two aiolimiter buckets (overall and per chat). When the platform
still answers "retry after N seconds", the message waits N seconds and goes again; only other
errors reach the caller. Telegram's published limits are the defaults: about 30 messages a
second overall and 20 a minute in one group.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiolimiter import AsyncLimiter

from bot.events import Chat
from bot.replies import Reply


class RetryAfter(Exception):
    """The platform asks to wait `seconds` before sending again."""

    def __init__(self, seconds: float):
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


Send = Callable[[Chat, Reply], Awaitable[None]]


@dataclass
class PacedOutbox:
    send_one: Send
    per_second: float = 30
    per_chat_per_minute: float = 20
    max_retries: int = 10
    retries: int = 0
    _overall: AsyncLimiter = field(init=False)
    _chats: dict[str, AsyncLimiter] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._overall = AsyncLimiter(self.per_second, 1)

    def _chat_limiter(self, chat: Chat) -> AsyncLimiter | None:
        if not chat.is_group:
            return None
        if chat.key not in self._chats:
            self._chats[chat.key] = AsyncLimiter(self.per_chat_per_minute, 60)
        return self._chats[chat.key]

    async def send(self, chat: Chat, replies: list[Reply]) -> None:
        for reply in replies:       # in order within a chat
            await self._send_paced(chat, reply)

    async def _send_paced(self, chat: Chat, reply: Reply) -> None:
        limiter = self._chat_limiter(chat)
        for attempt in range(self.max_retries + 1):
            if limiter is not None:
                await limiter.acquire()
            await self._overall.acquire()
            try:
                await self.send_one(chat, reply)
                return
            except RetryAfter as wait:
                if attempt == self.max_retries:
                    raise
                self.retries += 1
                await asyncio.sleep(wait.seconds)
