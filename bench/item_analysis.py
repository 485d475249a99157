"""Item analysis of a big class, as /stats computes it inside its handler.

The class: 120 students who answered 1,500 questions each (180,000 answers).
- `analyse_items` alone (bot.item_analysis, pure computation): a bank of 600 questions (400
  choice questions of four options, 100 true/false, 100 typed), each answer right with the
  student's own probability.
- `item_statistics` (bot.item_report, what /stats calls): the same class in a database, the
  course's own questions asked 1,500 times in one group, each asking answered by every student;
  the time includes reading the answers and mapping each pick to its option; and the longest
  the event loop stalled meanwhile (goal under 100 ms: no other chat should notice a /stats).
Each figure is the median of a few runs.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.common import CONTENT, median
from bot.course.load import load_course
from bot.item_analysis import Response, analyse_items
from bot.item_report import TRUE_FALSE, item_statistics
from bot.quiz.present import present
from bot.store.database import Database

STUDENTS = 120
ANSWERS_EACH = 1_500
QUESTIONS = 600
RUNS = 5


def _class(rng: random.Random):
    options, right, kinds = {}, {}, {}
    for n in range(QUESTIONS):
        qid = f"q{n:03d}"
        if n < 400:
            options[qid] = tuple(f"{qid}-{k}" for k in range(4))
            right[qid] = options[qid][0]
            kinds[qid] = "choice"
        elif n < 500:
            options[qid] = ("Đúng", "Sai")
            kinds[qid] = "true_false"
        else:
            kinds[qid] = "short"
    ids = sorted(kinds)
    responses = []
    for student in range(1, STUDENTS + 1):
        ability = rng.uniform(0.3, 0.9)
        for _ in range(ANSWERS_EACH):
            qid = rng.choice(ids)
            correct = rng.random() < ability
            if kinds[qid] == "choice":
                picked = right[qid] if correct else rng.choice(options[qid][1:])
            elif kinds[qid] == "true_false":
                picked = "Đúng" if correct else "Sai"
            else:
                picked = None
            responses.append(Response(qid, student, correct, picked))
    asked = {qid: STUDENTS for qid in ids}
    return responses, asked, options, right


def _timed(step) -> list[float]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return times


async def _database(path: Path, course, rng: random.Random) -> None:
    """One group, ANSWERS_EACH askings of the course's questions, each answered by everyone."""
    db = await Database.open(path)          # the schema, through the migrations
    await db.close()
    conn = sqlite3.connect(path)
    questions = sorted(course.questions.values(), key=lambda q: q.id)
    ability = {s: rng.uniform(0.3, 0.9) for s in range(1, STUDENTS + 1)}
    with conn:
        conn.execute("DROP TRIGGER answers_keep_scores")      # the scores are not what is measured
        conn.execute("INSERT INTO chats (platform, platform_id, is_group, created_at) VALUES ('telegram', '-1', 1, 'x')")
        conn.executemany("INSERT INTO users (platform, platform_id, display_name, created_at) VALUES ('telegram', ?, ?, 'x')",
                         ((str(s), f"Học sinh {s}") for s in ability))
        answers = []
        for asking in range(1, ANSWERS_EACH + 1):
            question = questions[asking % len(questions)]
            shown = present(question, rng, TRUE_FALSE)
            conn.execute("INSERT INTO asked (id, chat_id, question_id, topic, options, correct, asked_at, closes_at, "
                         "closed_at) VALUES (?, 1, ?, ?, ?, ?, 'a', 'b', 'c')",
                         (asking, question.id, question.topic, json.dumps(list(shown.options), ensure_ascii=False),
                          shown.correct))
            for student, p in ability.items():
                correct = rng.random() < p
                if shown.typed:
                    answer = str(question.answer) if correct else "không nhớ"
                else:
                    wrong = [n for n in range(len(shown.options)) if n != shown.correct]
                    answer = str(shown.correct if correct else rng.choice(wrong))
                answers.append((asking, student, question.topic, answer, int(correct)))
        conn.executemany("INSERT INTO answers (asked_id, user_id, chat_id, topic, answer, correct, points, answered_at, "
                         "week, month) VALUES (?, ?, 1, ?, ?, ?, 0, 'x', 'w', 'm')", answers)
    conn.close()


async def _longest_stall(work) -> float:
    """The longest the event loop went without running a 1 ms ticker while `work` ran: how
    long every other chat's button presses would have waited."""
    longest, done = 0.0, asyncio.Event()

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            longest, last = max(longest, now - last), now

    ticking = asyncio.create_task(ticker())
    try:
        await work
    finally:
        done.set()
        await ticking
    return longest


async def _whole(course) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "items.sqlite3"
        await _database(path, course, random.Random(4))
        db = await Database.open(path)
        try:
            times, stalls = [], []
            for _ in range(RUNS):
                started = time.perf_counter()
                stalls.append(await _longest_stall(item_statistics(db, course, 1)))
                times.append(time.perf_counter() - started)
        finally:
            await db.close()
    return times, stalls


async def run() -> dict[str, float]:
    responses, asked, options, right = _class(random.Random(3))
    alone = _timed(lambda: analyse_items(responses, asked, options, right))
    course = load_course(CONTENT)
    whole, stalls = await _whole(course)
    print(f"item analysis: {STUDENTS} students x {ANSWERS_EACH:,} answers ({len(responses):,})")
    print(f"  analyse_items, {QUESTIONS} questions: median {1000 * median(alone):.0f} ms, "
          f"slowest {1000 * max(alone):.0f} ms (off the event loop, in a thread)")
    print(f"  item_statistics from the database ({len(course.questions)} questions, what /stats runs): "
          f"median {1000 * median(whole):.0f} ms, slowest {1000 * max(whole):.0f} ms")
    print(f"  longest the event loop stalled meanwhile (every other chat waits that long): "
          f"median {1000 * median(stalls):.0f} ms, worst {1000 * max(stalls):.0f} ms (goal < 100 ms)")
    return {"analyse_ms": 1000 * median(alone), "item_statistics_ms": 1000 * median(whole),
            "stall_ms": 1000 * median(stalls)}


if __name__ == "__main__":
    asyncio.run(run())
