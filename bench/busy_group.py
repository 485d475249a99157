"""One student floods one group while other groups talk and a third group plays a quiz.

Through the real outbox and Telegram adapter against the fake Bot API at Telegram's real
limits (bench.on_telegram). The core runs on the system clock with its ticker, the default
settings (flood control: more than 5 commands in 10 s gets one notice, then silence) and
10-second questions.

- Group A: one student sends `/define hnqt` 50 times within one second.
- Groups B1..B10: classmates send ten ordinary commands each (/help, /define, /top, /me,
  /topics, /daily), one at a time, each after the previous reply and a pause of 0.5-1.5 s:
  about ten seconds of talk, within Telegram's 20 messages a minute per group.
- Group C: 20 students play a 6-question round with buttons (one in ten presses twice), each
  answering 0.3-2 s after the question appears; the round runs across the flood and the talk.

Reported: the reply time in the B groups (from the update reaching Telegram to the reply's
sendMessage reaching it), the presses in C acknowledged (answerCallbackQuery accepted) and
the time each took, the 429s the bot received, and what group A got.
"""

from __future__ import annotations

import asyncio
import random
import time

from bench.common import median, percentile
from bench.on_telegram import QuizPlayers, students, telegram_class
from bot.clock import SystemClock
from bot.settings import Settings

FLOODED = -1001
OTHERS = [-1101 - n for n in range(10)]
QUIZ = -1201
TEACHER = 99
FLOODER = 11
FLOOD = 50
ROUND = 6
COMMANDS = ("/help", "/define toan cau hoa", "/top", "/me", "/define chu quyen quoc gia", "/topics",
            "/daily", "/define hnqt", "/top week", "/define doc lap tu chu")


async def talk(served, chat: int, rng: random.Random, latencies: list[float]) -> None:
    """Classmates in one group send commands one at a time; each reply's time is recorded."""
    fake = served.fake
    for n, command in enumerate(COMMANDS):
        before = len(fake.sends)
        pushed = fake.clock()
        fake.type(chat, 1000 * -chat + n, f"Bạn {n + 1}", command)     # a classmate of this group
        reply = await served.until(lambda: next(iter(served.sends_to(chat, before)), None), timeout=60,
                                   what=f"a reply in {chat}")
        latencies.append(reply.time - pushed)
        await asyncio.sleep(rng.uniform(0.5, 1.5))


async def flood(served) -> None:
    for _ in range(FLOOD):
        served.fake.type(FLOODED, FLOODER, "An", "/define hnqt")
        await asyncio.sleep(1.0 / FLOOD)


async def run() -> dict[str, float]:
    rng = random.Random(3)
    began = time.perf_counter()
    settings = Settings(question_seconds=10)
    async with telegram_class([FLOODED, QUIZ, *OTHERS], SystemClock(), settings) as served:
        fake = served.fake
        fake.type(QUIZ, TEACHER, "Cô", f"/quiz {ROUND}")
        players = QuizPlayers(served, QUIZ, students(300, 20), rng, think=(0.3, 2.0))
        playing = asyncio.create_task(players.run(ROUND))
        await served.until(lambda: players.questions, timeout=30, what="the first question")
        latencies: list[float] = []
        await asyncio.gather(flood(served), *(talk(served, chat, random.Random(chat), latencies)
                                               for chat in OTHERS))
        await playing
        await served.until(lambda: any("Kết thúc lượt quiz" in served.text_of(d) for d in served.sends_to(QUIZ)),
                           timeout=60, what="the end of the round")
        await served.outbox.idle()
        acks = [fake.callbacks[q] for q in players.presses]
        answered = [r.latency for r in acks if r.latency is not None and not r.refused]
        flooded = [served.text_of(d) for d in served.sends_to(FLOODED)]
        cards = sum(t.count("Hội nhập quốc tế (HNQT") for t in flooded)
        notices = sum("nhanh quá" in t for t in flooded)
        throttled = fake.count_429()
        log = served.log.lines()
    elapsed = time.perf_counter() - began
    print(f"busy group: one student sends /define {FLOOD} times in 1 s in group A; 10 other groups "
          f"send {len(COMMANDS)} commands each; 20 students play a {ROUND}-question round in group C "
          f"(real Telegram limits, python-telegram-bot against the fake Bot API)")
    print(f"  reply time in the other groups ({len(latencies)} commands): median "
          f"{median(latencies) * 1000:.0f} ms, p99 {percentile(latencies, 0.99) * 1000:.0f} ms, "
          f"slowest {max(latencies) * 1000:.0f} ms (goal: p99 < 1 s)")
    print(f"  presses acknowledged in group C: {len(answered)}/{len(acks)}; median "
          f"{median(answered) * 1000:.0f} ms, slowest {max(answered) * 1000:.0f} ms "
          f"(goal: all, each < 1 s; Telegram refuses answers after 15 s)")
    print(f"  429 'retry after' answers received: {throttled} (goal 0)")
    print(f"  group A got {len(flooded)} messages: {cards} definition cards and {notices} flood notice "
          f"for the {FLOOD} commands")
    for line in log:
        print(f"  log: {line}")
    print(f"  ran in {elapsed:.0f} s")
    return {"reply_p99": percentile(latencies, 0.99), "ack_max": max(answered),
            "acked": len(answered) / len(acks), "429": throttled}


if __name__ == "__main__":
    asyncio.run(run())
