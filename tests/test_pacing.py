"""Paced sending: a "retry after" answer is waited out and the message sent, never dropped."""

import pytest

from adapters.pacing import PacedOutbox, RetryAfter
from bot.events import Chat
from bot.replies import Reply
from bot.text import plain


class FlakyPlatform:
    def __init__(self, refuse_first: int):
        self.refuse = refuse_first
        self.delivered: list[tuple[str, str]] = []

    async def send_one(self, chat, reply):
        if self.refuse:
            self.refuse -= 1
            raise RetryAfter(0.01)
        self.delivered.append((chat.id, reply.text.plain()))


async def test_retry_after_is_waited_out_and_nothing_is_lost_or_reordered():
    platform = FlakyPlatform(refuse_first=3)
    outbox = PacedOutbox(platform.send_one, per_second=1000, per_chat_per_minute=1000)
    chat = Chat("telegram", "-1", True)
    await outbox.send(chat, [Reply(plain(f"tin {n}")) for n in range(5)])
    assert platform.delivered == [("-1", f"tin {n}") for n in range(5)]
    assert outbox.retries == 3


async def test_a_platform_that_never_accepts_raises_after_the_retries():
    platform = FlakyPlatform(refuse_first=100)
    outbox = PacedOutbox(platform.send_one, per_second=1000, per_chat_per_minute=1000, max_retries=2)
    with pytest.raises(RetryAfter):
        await outbox.send(Chat("telegram", "-1", True), [Reply(plain("x"))])
    assert platform.delivered == []


async def test_other_errors_reach_the_caller_at_once():
    async def broken(chat, reply):
        raise PermissionError("bot was blocked")
    outbox = PacedOutbox(broken)
    with pytest.raises(PermissionError):
        await outbox.send(Chat("telegram", "5", False), [Reply(plain("x"))])
    assert outbox.retries == 0
