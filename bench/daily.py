"""1,000 chats subscribed at the same minute: one post each, paced within Telegram's limits.

The core prepares every post (timed alone, with a silent outbox), then the same posts go through
adapters.pacing.PacedOutbox to a fake platform that enforces Telegram's published limits
(30 messages a second overall, 20 a minute per group) and answers "retry after" when they are
broken. Reported: preparation time, delivery wall time and its ratio to the theoretical minimum
(1,000 messages / 30 per second), retries, and that each chat got exactly one post.
"""

from __future__ import annotations

import asyncio
import collections
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from adapters.pacing import PacedOutbox, RetryAfter
from bench.common import CountingOutbox, bot_on
from bot.clock import ManualClock
from bot.events import Chat, Command, User

CHATS = 1_000
LIMIT_PER_SECOND = 30
LIMIT_PER_CHAT_MINUTE = 20


class FakeTelegram:
    """Counts sends in sliding windows like the Bot API and refuses what breaks a limit."""

    def __init__(self):
        self.recent: collections.deque[float] = collections.deque()
        self.per_chat: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self.delivered: collections.Counter[str] = collections.Counter()
        self.refused = 0

    async def send_one(self, chat: Chat, reply) -> None:
        now = time.monotonic()
        while self.recent and now - self.recent[0] >= 1:
            self.recent.popleft()
        mine = self.per_chat[chat.key]
        while mine and now - mine[0] >= 60:
            mine.popleft()
        if len(self.recent) >= LIMIT_PER_SECOND or len(mine) >= LIMIT_PER_CHAT_MINUTE:
            self.refused += 1
            raise RetryAfter(1)
        self.recent.append(now)
        mine.append(now)
        self.delivered[chat.key] += 1


async def subscribe_all(bot) -> None:
    for n in range(CHATS):
        chat = Chat("telegram", str(-1000 - n), True)
        await bot.handle(Command(User("telegram", "1", "Cô giáo", is_admin=True), chat, "daily", "on 08:00"))


async def post_all(db_path: Path, outbox) -> float:
    """Subscribe every chat at 07:00, move to 08:00, and time the run that posts."""
    start = datetime.fromisoformat("2026-11-23T07:00:00+07:00")
    clock = ManualClock(start)
    async with bot_on(db_path, outbox, clock) as bot:
        await subscribe_all(bot)
        clock.move_to(start + timedelta(hours=1))
        began = time.perf_counter()
        await bot.run_due()
        return time.perf_counter() - began


async def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        counting = CountingOutbox()
        prepare = await post_all(Path(tmp) / "prepare.sqlite3", counting)
        fake = FakeTelegram()
        paced = PacedOutbox(fake.send_one, LIMIT_PER_SECOND, LIMIT_PER_CHAT_MINUTE)
        deliver = await post_all(Path(tmp) / "deliver.sqlite3", paced)
    assert counting.sent == CHATS, counting.sent
    assert len(fake.delivered) == CHATS and set(fake.delivered.values()) == {1}
    minimum = CHATS / LIMIT_PER_SECOND
    print(f"daily: {CHATS:,} chats subscribed at 08:00 -> {len(fake.delivered):,} chats got exactly one post")
    print(f"  core prepares all posts in {prepare:.2f} s ({prepare / CHATS * 1000:.2f} ms a chat)")
    print(f"  delivered through the paced outbox in {deliver:.1f} s; theoretical minimum at "
          f"{LIMIT_PER_SECOND}/s is {minimum:.1f} s; ratio {deliver / minimum:.2f}")
    print(f"  'retry after' answers from the fake platform: {fake.refused} (all resent, none lost)")
    return {"prepare": prepare, "deliver_ratio": deliver / minimum}


if __name__ == "__main__":
    asyncio.run(run())
