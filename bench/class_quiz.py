"""A class of 40 plays a 10-question round in its group, some looking things up meanwhile.

Through the real outbox and Telegram adapter against the fake Bot API at Telegram's real
limits (bench.on_telegram): at most 20 messages in any 60 s in the group. The core runs on the
system clock with its ticker (a tick a second) and these settings: questions of 10 s (the
default is 30; a shorter time makes the round send its messages faster, which is the harder
case for the group's limit, and keeps the bench under two minutes), the default 3 s of
grace and the default flood control.

The students answer each question 1-5 s after it appears (button questions by pressing, one in
ten pressing twice; typed ones by typing); on questions 3, 6 and 9 three students do not
answer, so those run their full time, while the others end early once everyone has answered.
Twenty-six /define lookups arrive during the round: twenty students one each at random moments,
and six students at the same moment. With the round's own messages that is more than the group
may get in a minute, so the outbox must hold lookups back (game messages go first) and merge
what waits together.

Reported: the messages the round sent to the group, the most in any 60 s window (goal ≤ 20),
each question's answer window as the class saw it: from the fake receiving the question's
message to the fake receiving its reveal (goal ≥ 10 s for a question whose time ran out; one
that everyone answered ends early by design), 429s (goal 0), answers recorded against answers
given (a double press counts once), and how long the lookups waited behind the game.
"""

from __future__ import annotations

import asyncio
import random
import re
import time

from bench.common import median
from bench.on_telegram import QUESTION, REVEALS, QuizPlayers, students, telegram_class
from bot.clock import SystemClock
from bot.settings import Settings

GROUP = -2001
TEACHER = 99
CLASS = 40
QUESTIONS = 10
SECONDS = 10
SKIPPED = {3: (400, 401, 402), 6: (403, 404, 405), 9: (406, 407, 408)}
LOOKUPS = 20
AT_ONCE = 6
ROUND = ("Bắt đầu lượt quiz", "Câu ", *REVEALS, "Kết thúc lượt quiz")


async def look_up(served, rng: random.Random, terms: list[str], pushed: list[tuple[float, str]]) -> None:
    """Students /define during the round (the round lasts well over a minute)."""
    async def one(user_id: int, term: str, after: float) -> None:
        await asyncio.sleep(after)
        pushed.append((served.fake.clock(), term))
        served.fake.type(GROUP, user_id, f"Bạn {user_id}", f"/define {term}")

    solo = [one(600 + n, term, rng.uniform(2, 60)) for n, term in enumerate(terms[:LOOKUPS])]
    burst_at = rng.uniform(10, 40)
    burst = [one(700 + n, term, burst_at) for n, term in enumerate(terms[LOOKUPS:])]
    await asyncio.gather(*solo, *burst)


def windows(served) -> list[tuple[int, float, str]]:
    """(position, seconds from its question reaching the group to its reveal, how it ended)."""
    sends = served.sends_to(GROUP)
    texts = [served.text_of(d) for d in sends]
    out, start = [], 0
    for position in range(1, QUESTIONS + 1):
        label = QUESTION.format(position=position, total=QUESTIONS)
        asked = next(n for n in range(start, len(sends)) if label in texts[n])
        revealed = next(n for n in range(asked + 1, len(sends)) if any(r in texts[n] for r in REVEALS))
        how = "time up" if REVEALS[0] in texts[revealed] else "everyone answered"
        out.append((position, sends[revealed].time - sends[asked].time, how))
        start = revealed
    return out


def lookup_waits(served, pushed: list[tuple[float, str]]) -> list[float]:
    """Seconds from each /define reaching Telegram to the first message with its card (a card
    starts with a line holding the term, then its aliases in brackets)."""
    waits = []
    for at, term in pushed:
        heading = re.compile(rf"^{re.escape(term)}( \(.*)?$", re.MULTILINE)
        shown = [d for d in served.sends_to(GROUP) if d.time >= at and heading.search(served.text_of(d))]
        if not shown:
            raise AssertionError(f"no card for /define {term}")
        waits.append(shown[0].time - at)
    return waits


async def run() -> dict[str, float]:
    rng = random.Random(5)
    began = time.perf_counter()
    settings = Settings(question_seconds=SECONDS)
    async with telegram_class([GROUP], SystemClock(), settings) as served:
        fake = served.fake
        concepts = sorted(served.bot.core.course.concepts.values(), key=lambda c: c.id)
        terms = [c.term for c in rng.sample(concepts, LOOKUPS + AT_ONCE)]
        fake.type(GROUP, TEACHER, "Cô", f"/quiz {QUESTIONS}")
        players = QuizPlayers(served, GROUP, students(400, CLASS), rng, think=(1.0, 5.0),
                              skip=lambda position: SKIPPED.get(position, ()))
        pushed: list[tuple[float, str]] = []
        await asyncio.gather(players.run(QUESTIONS), look_up(served, rng, terms, pushed))
        await served.until(lambda: any("Kết thúc lượt quiz" in served.text_of(d) for d in served.sends_to(GROUP)),
                           timeout=120, what="the end of the round")
        await served.outbox.idle()
        sends = served.sends_to(GROUP)
        busiest = fake.max_in_window(GROUP, 60.0)
        closed = windows(served)
        waits = lookup_waits(served, pushed)
        throttled = fake.count_429()
        recorded = (await served.bot.core.db.fetchone("SELECT COUNT(*) FROM answers"))[0]
        given = sum(CLASS - len(SKIPPED.get(p, ())) for p in range(1, QUESTIONS + 1))
        dropped = served.outbox.dropped
        log = served.log.lines()
    elapsed = time.perf_counter() - began
    timed_out = [w for _, w, how in closed if how == "time up"]
    early = [w for _, w, how in closed if how != "time up"]
    span = sends[-1].time - sends[0].time
    round_messages = sum(1 for d in sends if any(mark in served.text_of(d) for mark in ROUND))
    print(f"class quiz: {CLASS} students, {QUESTIONS} questions of {SECONDS} s with buttons, "
          f"{len(pushed)} /define lookups alongside (real Telegram limits, one group)")
    print(f"  messages sent to the group: {len(sends)} in {span:.0f} s; {round_messages} carried the round "
          f"(a reveal shares its message with the next question), {len(sends) - round_messages} only "
          f"lookups ({len(waits)} lookups: they share messages when the group is busy)")
    print(f"  most messages in any 60 s window: {busiest} (goal ≤ 20)")
    print(f"  shortest answer window, question shown to reveal shown: {min(timed_out):.1f} s among the "
          f"{len(timed_out)} questions whose time ran out (goal ≥ {SECONDS} s; {SECONDS} s + 3 s grace "
          f"+ up to a 1 s tick); {len(early)} ended early when everyone had answered "
          f"({min(early):.1f}-{max(early):.1f} s)")
    print("  each question, shown to revealed: " + ", ".join(f"{w:.1f}" + ("" if how == "time up" else "*")
                                                           for _, w, how in closed) + " s (* everyone answered)")
    print(f"  429 'retry after' answers received: {throttled} (goal 0)")
    print(f"  answers recorded: {recorded} of the {given} given (double presses counted once)")
    print(f"  /define during the round: shown after median {median(waits):.2f} s, slowest "
          f"{max(waits):.1f} s; {dropped} dropped as stale")
    for line in log:
        print(f"  log: {line}")
    print(f"  ran in {elapsed:.0f} s")
    return {"busiest": busiest, "shortest": min(timed_out), "429": throttled, "messages": len(sends)}


if __name__ == "__main__":
    asyncio.run(run())
