"""1,000 chats subscribed at the same minute, while quizzes run in other groups.

First the core alone prepares the 1,000 posts (a counting outbox, a manual clock): its cost per
chat. Then the real thing: the real outbox and Telegram adapter against the fake Bot API at
Telegram's real limits (bench.on_telegram: 30 messages a second overall, 20 a minute per
group). The core runs on a real clock set to 07:59:52 in Hanoi with its ticker; 1,000 groups
have `/daily on 08:00` (subscribed through the core beforehand); five other groups start a
10-question round of 10 s questions at 07:59:55, ten students each answering every question
1-4 s after it appears, so their rounds run through the fan-out.

Reported: the delivery time, from the start of the tick that posts the daily questions to the
last of them reaching Telegram, against the theoretical minimum of 1,000 / 30 per second, and
the ratio (goal ≤ 1.1); that every chat got exactly one post; the 429s (goal 0); and how long
the quiz groups' messages waited in the outbox meanwhile (from being posted to being delivered).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.common import CountingOutbox, bot_on, median
from bench.on_telegram import OutboxWaits, QuizPlayers, RunningClock, students, telegram_class
from bot.clock import ManualClock
from bot.events import Chat, Command, User
from bot.settings import Settings

CHATS = 1_000
OVERALL_PER_SECOND = 30
DAILY_CHATS = [-100_000 - n for n in range(CHATS)]
QUIZ_CHATS = [-3001 - n for n in range(5)]
QUESTIONS = 10
POSTED = "📅 Câu hỏi mỗi ngày"
EARLY = datetime.fromisoformat("2026-11-23T07:00:00+07:00")
EIGHT = datetime.fromisoformat("2026-11-23T08:00:00+07:00")


async def subscribe_all(bot) -> None:
    """Each group's teacher types `/daily on 08:00` (through the core: their answers are not sent)."""
    for n, chat_id in enumerate(DAILY_CHATS):
        teacher = User("telegram", str(1_000_000 + n), "Cô giáo", is_admin=True)
        await bot.handle(Command(teacher, Chat("telegram", str(chat_id), True), "daily", "on 08:00"))


async def prepare(db_path: Path) -> float:
    """The core's own cost: every post prepared and handed to an outbox that counts them."""
    clock = ManualClock(EARLY)
    outbox = CountingOutbox()
    async with bot_on(db_path, outbox, clock) as bot:
        await subscribe_all(bot)
        clock.move_to(EIGHT)
        began = time.perf_counter()
        await bot.run_due()
        elapsed = time.perf_counter() - began
    assert outbox.sent == CHATS, outbox.sent
    return elapsed


def tick_starts(bot) -> list[float]:
    """Records when each run of the clock's due work starts (the ticker calls bot.run_due)."""
    starts: list[float] = []
    run_due = bot.run_due

    async def recorded():
        starts.append(time.monotonic())
        await run_due()

    bot.run_due = recorded
    return starts


async def fan_out() -> dict:
    clock = RunningClock(EARLY)
    settings = Settings(question_seconds=10)
    async with telegram_class(DAILY_CHATS + QUIZ_CHATS, clock, settings) as served:
        fake, bot = served.fake, served.bot
        await subscribe_all(bot)
        starts = tick_starts(bot)
        waits = OutboxWaits(served, set(QUIZ_CHATS))
        clock.jump_to(EIGHT - timedelta(seconds=8))
        await asyncio.sleep(clock.monotonic_at(EIGHT - timedelta(seconds=5)) - time.monotonic())
        rng = random.Random(8)
        rounds = []
        for n, chat in enumerate(QUIZ_CHATS):
            fake.type(chat, 90 + n, "Cô", f"/quiz {QUESTIONS}")
            players = QuizPlayers(served, chat, students(800 + 20 * n, 10), rng, think=(1.0, 4.0))
            rounds.append(players.run(QUESTIONS))
        await asyncio.gather(*rounds)
        daily = set(DAILY_CHATS)
        await served.until(lambda: len({d.chat_id for d in fake.sends if d.chat_id in daily}) == CHATS,
                           timeout=120, what="every daily post")
        await served.outbox.idle()
        posts = [d for d in fake.sends if d.chat_id in daily]
        began = max(t for t in starts if t <= posts[0].time)
        per_chat = {chat: 0 for chat in DAILY_CHATS}
        for post in posts:
            per_chat[post.chat_id] += POSTED in served.text_of(post)
        during = [d for d in fake.sends if d.chat_id not in daily and posts[0].time <= d.time <= posts[-1].time]
        return {"delivery": posts[-1].time - began, "first": posts[0].time - began,
                "exactly_one": sum(1 for n in per_chat.values() if n == 1), "posts": len(posts),
                "429": fake.count_429(), "quiz_messages": len(during), "waits": waits.waits,
                "log": served.log.lines()}


async def run() -> dict[str, float]:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        prepared = await prepare(Path(tmp) / "prepare.sqlite3")
    result = await fan_out()
    elapsed = time.perf_counter() - began
    minimum = CHATS / OVERALL_PER_SECOND
    ratio = result["delivery"] / minimum
    waits = result["waits"]
    print(f"daily: {CHATS:,} groups subscribed at 08:00, {len(QUIZ_CHATS)} other groups playing "
          f"{QUESTIONS}-question rounds meanwhile (real Telegram limits)")
    print(f"  core prepares all posts in {prepared:.2f} s ({prepared / CHATS * 1000:.2f} ms a chat)")
    print(f"  delivered in {result['delivery']:.1f} s from the tick that posts them (first post after "
          f"{result['first'] * 1000:.0f} ms); theoretical minimum at {OVERALL_PER_SECOND}/s is {minimum:.1f} s; "
          f"ratio {ratio:.2f} (goal ≤ 1.1)")
    print(f"  {result['exactly_one']:,} of {CHATS:,} groups got exactly one post ({result['posts']:,} posts)")
    print(f"  429 'retry after' answers received: {result['429']} (goal 0)")
    print(f"  the quiz groups meanwhile: {result['quiz_messages']} messages during the fan-out; their "
          f"messages waited in the outbox median {median(waits):.2f} s, longest {max(waits):.1f} s")
    for line in result["log"]:
        print(f"  log: {line}")
    print(f"  ran in {elapsed:.0f} s")
    return {"prepare": prepared, "deliver_ratio": ratio, "429": result["429"]}


if __name__ == "__main__":
    asyncio.run(run())
