"""A class on Telegram for the delivery benches, at the platform's real limits.

The real composition root (studybot.app.serve) runs the real core, the real outbox
(bot.delivery.outbox) and the real Telegram adapter (python-telegram-bot) against the project's
fake Bot API (tests/fake_telegram.py) at its default, real values: 20 messages in any 60 s per
group, 1 a second per private chat, 30 a second overall, "retry after" past any of them, and
15 s for a button press to be answered. Nothing is scaled; the benches pick the core's
settings (a question's time) and say so.

What the benches read is the fake's record of what reached each chat and when (`sends`,
`messages`, `callbacks`, `count_429`), i.e. what the class saw.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import tempfile
import time
from collections import Counter
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import AsyncIterator

os.environ.setdefault("PTB_TIMEDELTA", "1")    # RetryAfter.retry_after as a timedelta, no warning

from adapters.telegram_adapter import TelegramAdapter  # noqa: E402
from bench.common import CONTENT  # noqa: E402
from bot.course.load import load_course  # noqa: E402
from bot.delivery.outbox import Outbox  # noqa: E402
from bot.replies import Reply  # noqa: E402
from bot.settings import Settings  # noqa: E402
from studybot.app import open_bot, serve  # noqa: E402
from tests.fake_telegram import TOKEN, Delivery, FakeTelegram  # noqa: E402

QUESTION = "Câu {position}/{total}"
REVEALS = ("⏰ Hết giờ!", "Mọi người đã trả lời!")


class RunningClock:
    """Real time, from an instant the bench chooses; `jump_to` moves it forward, never back.
    The fake platform's clock is time.monotonic: `monotonic_at` maps an instant onto it."""

    def __init__(self, start: datetime):
        self._base, self._t0 = start, time.monotonic()

    def now(self) -> datetime:
        return self._base + timedelta(seconds=time.monotonic() - self._t0)

    def jump_to(self, instant: datetime) -> None:
        if instant < self.now():
            raise ValueError("the clock cannot go back")
        self._base, self._t0 = instant, time.monotonic()

    def monotonic_at(self, instant: datetime) -> float:
        return self._t0 + (instant - self._base).total_seconds()


class LogTally(logging.Handler):
    """Counts the warnings and errors logged during a bench instead of printing each one
    (a bench that hits "retry after" logs a line per answer); the bench prints the tally."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()
        self.first: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        key = f"{record.levelname} {record.name}"
        self.counts[key] += 1
        cause = f" ({record.exc_info[0].__name__}: {record.exc_info[1]})" if record.exc_info else ""
        self.first.setdefault(key, (record.getMessage() + cause)[:240])

    def lines(self) -> list[str]:
        return [f"{n} x {key}: {self.first[key]}" for key, n in self.counts.most_common()]


@dataclass
class Served:
    fake: FakeTelegram
    bot: object
    outbox: Outbox
    adapter: TelegramAdapter
    log: LogTally

    def sends_to(self, chat: int, since: int = 0) -> list[Delivery]:
        return [d for d in self.fake.sends[since:] if d.chat_id == chat]

    def text_of(self, delivery: Delivery) -> str:
        return self.fake.messages[(delivery.chat_id, delivery.message_id)].get("text", "")

    def buttons_of(self, delivery: Delivery) -> list[str]:
        markup = self.fake.messages[(delivery.chat_id, delivery.message_id)].get("reply_markup") or {}
        return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]

    async def until(self, predicate, timeout: float, what: str):
        """Poll until `predicate()` holds; a bench that waits past `timeout` failed."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
            await asyncio.sleep(0.01)
        return result


@asynccontextmanager
async def telegram_class(groups: list[int], clock, settings: Settings, tick: bool = True,
                         db_path: Path | None = None) -> AsyncIterator[Served]:
    """The bot serving `groups` (supergroups the bot is in) through the fake, until the block
    ends; then it stops as on SIGTERM and must exit 0. `db_path`: a database prepared
    beforehand (e.g. a thousand subscribed chats); else a fresh one."""
    tally = LogTally()
    root = logging.getLogger()
    root.addHandler(tally)
    fake = FakeTelegram()
    url = await fake.start()
    for chat in groups:
        fake.add_chat(chat, "supergroup")
    adapter = TelegramAdapter(TOKEN, base_url=url, polls=False)     # questions with buttons
    outbox = Outbox()
    with tempfile.TemporaryDirectory() as tmp:
        async with open_bot(CONTENT, db_path or Path(tmp) / "bench.sqlite3", clock, outbox,
                            random.Random(11), settings, course=load_course(CONTENT),
                            platforms={adapter.platform: adapter.capabilities}) as bot:
            stop, started = asyncio.Event(), asyncio.Event()
            task = asyncio.create_task(serve(bot, outbox, [adapter], stop, tick=tick, started=started))
            waiting = asyncio.ensure_future(started.wait())
            await asyncio.wait({waiting, task}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
            try:
                if not started.is_set():
                    waiting.cancel()
                    raise AssertionError(f"the Telegram adapter did not start: {tally.lines()}")
                yield Served(fake, bot, outbox, adapter, tally)
            finally:
                stop.set()
                code = await asyncio.wait_for(task, 30)
                await fake.stop()
                root.removeHandler(tally)
            if code != 0:
                raise AssertionError(f"the bot exited with {code}: {tally.lines()}")


class OutboxWaits:
    """How long replies to some chats waited in the outbox, daily posts aside: from being
    posted (by the core or the adapter) to their delivery being reported to the core. Wraps the served outbox's `post`
    and the core's `delivered` on those two objects only; nothing else changes."""

    def __init__(self, served: Served, chats: set[int]):
        self.chats = {str(c) for c in chats}
        self.waits: list[float] = []
        self._queued: dict[int, tuple[Reply, float]] = {}
        post, delivered = served.outbox.post, served.bot.delivered

        async def timed_post(chat, replies):
            if chat.id in self.chats:
                for reply in replies:
                    if not reply.background:         # a daily post may wait: nobody waits for it
                        self._queued[id(reply)] = (reply, time.monotonic())
            await post(chat, replies)

        async def timed_delivered(chat, replies, receipt):
            for reply in replies:
                queued = self._queued.pop(id(reply), None)
                if queued is not None:
                    self.waits.append(time.monotonic() - queued[1])
            await delivered(chat, replies, receipt)

        served.outbox.post, served.bot.delivered = timed_post, timed_delivered


class QuizPlayers:
    """Students who answer every question of the running round in one group: each button
    question is pressed by each student (some press twice, as on phones), a typed one answered
    by typing; each after a random pause. `skip(position)` names who leaves a question alone.
    Records every press's query id (the fake keeps when it was answered)."""

    def __init__(self, served: Served, chat: int, students: list[tuple[int, str]], rng: random.Random,
                 think: tuple[float, float] = (0.5, 4.0), twice: float = 0.1, skip=lambda position: ()):
        self.served, self.chat, self.students, self.rng = served, chat, students, rng
        self.think, self.twice, self.skip = think, twice, skip
        self.presses: list[str] = []
        self.questions: list[tuple[int, Delivery]] = []        # (position, the message that asked it)
        self._tasks: set[asyncio.Task] = set()

    async def run(self, total: int) -> None:
        """Answer questions 1..total as they appear; returns when the last one was answered."""
        seen = 0
        for position in range(1, total + 1):
            label = QUESTION.format(position=position, total=total)
            found = await self.served.until(lambda: next(
                (d for d in self.served.sends_to(self.chat, seen) if label in self.served.text_of(d)), None),
                timeout=180, what=f"{label} in {self.chat}")
            seen = self.served.fake.sends.index(found) + 1
            self.questions.append((position, found))
            buttons = [b for b in self.served.buttons_of(found) if b.startswith("a:")]
            absent = set(self.skip(position))
            answering = [s for s in self.students if s[0] not in absent]
            await asyncio.gather(*(self._answer(student, buttons) for student in answering))

    async def _answer(self, student: tuple[int, str], buttons: list[str]) -> None:
        await asyncio.sleep(self.rng.uniform(*self.think))
        user_id, name = student
        fake = self.served.fake
        if not buttons:
            fake.type(self.chat, user_id, name, self.rng.choice(("không biết", "1945", "hội nhập")))
            return
        choice = self.rng.choice(buttons)
        self.presses.append(fake.press(self.chat, user_id, name, choice))
        if self.rng.random() < self.twice:
            await asyncio.sleep(self.rng.uniform(0.05, 0.3))
            self.presses.append(fake.press(self.chat, user_id, name, choice))


def students(first_id: int, count: int) -> list[tuple[int, str]]:
    return [(first_id + n, f"Trò {n + 1}") for n in range(count)]
