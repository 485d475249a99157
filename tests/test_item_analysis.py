"""Item analysis on a synthetic class whose statistics are worked out by hand below, from the
definitions in bot/item_analysis.py; then the same class through the database, the teacher's
`studybot report --items` and /stats."""

import csv
import math
import shutil
from datetime import timedelta

import pytest

from bot.events import Chat, User
from bot.item_analysis import (
    MIN_ANSWERS_FOR_DISTRACTORS, Response, analyse_items, needing_attention, picked_option,
)
from bot.quiz.present import Presented
from bot.store import people, quiz_store
from bot.store.database import Database
from bot.store.quiz_store import NewAnswer
from tests.conftest import FIXTURE_COURSE, START, question_of, texts
from tests.test_cli import studybot

# The class: six students, five questions of the fixture course. 1 = right, 0 = wrong, - = not asked.
#
#            Q1 choice  Q2 t/f  Q3 t/f  Q4 order  Q5 short   right / answered
#   s1           1        1       1        0         1          4 / 5
#   s2           1        1       1        0         0          3 / 5
#   s3           1        0       1        0         1          3 / 5
#   s4           0        1       1        0         -          2 / 4
#   s5           0        0       1        1         -          2 / 4
#   s6           0        0       1        0         -          1 / 4
#
# Discrimination: x = the item, y = the share right of the student's OTHER answers.
# Q1: x = 1 1 1 0 0 0; y = 3/4 2/4 2/4 2/3 2/3 1/3; x̄ = 1/2, ȳ = 41/72.
#     Σ(x−x̄)(y−ȳ) = ½(3/4+2/4+2/4) − ½(2/3+2/3+1/3) = 1/24; Σ(x−x̄)² = 3/2;
#     Σ(y−ȳ)² = Σy² − 6ȳ² = 33/16 − 1681/864 = 101/864.  r = (1/24)/√(3/2 · 101/864) = 0.0995
# Q2: x = 1 1 0 1 0 0; y = 3/4 2/4 3/4 1/3 2/3 1/3; ȳ = 5/9.
#     Σ(x−x̄)(y−ȳ) = ½(3/4+2/4+1/3) − ½(3/4+2/3+1/3) = −1/12; Σ(y−ȳ)² = 49/24 − 50/27 = 41/216.
#     r = (−1/12)/√(3/2 · 41/216) = −0.1562  → negative discrimination
# Q3: everyone right: x does not vary, no discrimination; facility 6/6 > 95 % → too easy
# Q4: x = 0 0 0 0 1 0; y = 4/4 3/4 3/4 2/3 1/3 1/3; x̄ = 1/6, ȳ = 23/36.
#     Σ(x−x̄)(y−ȳ) = y5 − ȳ = 1/3 − 23/36 = −11/36; Σ(x−x̄)² = 1 − 6/36 = 5/6;
#     Σ(y−ȳ)² = 67/24 − 529/216 = 74/216.  r = (−11/36)/√(5/6 · 74/216) = −0.5719
#     facility 1/6 = 17 % < 20 % → too hard, and negative discrimination
# Q5: three students (< 5): no discrimination; three answers (< 5): no facility flag.
Q1, Q2, Q3, Q4, Q5 = "ls-asean-1967", "ls-wto-1995", "kn-htqt-nen-tang", "ls-thu-tu-to-chuc", "ls-apec-nam"
RESULTS = {
    "s1": (1, 1, 1, 0, 1), "s2": (1, 1, 1, 0, 0), "s3": (1, 0, 1, 0, 1),
    "s4": (0, 1, 1, 0, None), "s5": (0, 0, 1, 1, None), "s6": (0, 0, 1, 0, None),
}
# Q1's picks: s1–s3 chose 1967 (right), s4 and s5 chose 1961, s6 chose 1976; nobody 1989.
Q1_PICKS = {"s1": "1967", "s2": "1967", "s3": "1967", "s4": "1961", "s5": "1961", "s6": "1976"}
EXPECTED = {   # question: (asked, answers, right, facility %, discrimination, students, flags)
    Q1: (2, 6, 3, 50, (1 / 24) / math.sqrt(3 / 2 * 101 / 864), 6, ()),
    Q2: (1, 6, 3, 50, (-1 / 12) / math.sqrt(3 / 2 * 41 / 216), 6, ("negative_discrimination",)),
    Q3: (1, 6, 6, 100, None, 6, ("too_easy",)),
    Q4: (1, 6, 1, 17, (-11 / 36) / math.sqrt(5 / 6 * 74 / 216), 6, ("negative_discrimination", "too_hard")),
    Q5: (2, 3, 2, 67, None, 3, ()),
}
OPTIONS = {Q1: ("1961", "1967", "1976", "1989"), Q2: ("Đúng", "Sai"), Q3: ("Đúng", "Sai")}


def responses() -> list[Response]:
    out = []
    for n, (student, row) in enumerate(RESULTS.items(), 1):
        for qid, result in zip((Q1, Q2, Q3, Q4, Q5), row):
            if result is None:
                continue
            picked = Q1_PICKS[student] if qid == Q1 else ("Đúng" if result else "Sai") if qid in (Q2, Q3) else None
            out.append(Response(qid, n, bool(result), picked))
    return out


def check(stats, expected):
    asked, answers, right, percent, discrimination, students, flags = expected
    assert (stats.asked, stats.answers, stats.right, round(100 * stats.facility)) == (asked, answers, right, percent)
    assert stats.students == students and stats.flags == flags
    if discrimination is None:
        assert stats.discrimination is None
    else:
        assert stats.discrimination == pytest.approx(discrimination, abs=1e-9)


def test_the_synthetic_class_by_hand():
    items = {i.question_id: i for i in analyse_items(responses(), {Q1: 2, Q2: 1, Q3: 1, Q4: 1, Q5: 2},
                                                      OPTIONS, {Q1: "1967"})}
    for qid, expected in EXPECTED.items():
        check(items[qid], expected)
    assert items[Q1].picks == {"1961": 2, "1967": 3, "1976": 1, "1989": 0}
    assert items[Q1].unpicked == ()              # 6 answers: too few to blame 1989
    assert items[Q2].picks == {"Đúng": 3, "Sai": 3}
    # negative discrimination first (Q4 before Q2: it is also too hard), then too easy
    assert [i.question_id for i in needing_attention(items.values())] == [Q4, Q2, Q3]


def test_a_distractor_nobody_picks_is_flagged_once_there_are_enough_answers():
    def answers(n):
        picks = ["1967", "1961", "1976"] * n
        return [Response(Q1, s, p == "1967", p) for s, p in enumerate(picks[:n])]

    few = analyse_items(answers(MIN_ANSWERS_FOR_DISTRACTORS - 1), {Q1: 1}, OPTIONS, {Q1: "1967"})[0]
    enough = analyse_items(answers(MIN_ANSWERS_FOR_DISTRACTORS), {Q1: 1}, OPTIONS, {Q1: "1967"})[0]
    assert few.unpicked == () and "unused_distractor" not in few.flags
    assert enough.unpicked == ("1989",) and enough.flags == ("unused_distractor",)
    assert enough.picks == {"1961": 7, "1967": 7, "1976": 6, "1989": 0}


def test_the_discrimination_of_a_random_class_is_the_definition_computed_directly():
    """Students asked some questions several times and others never: each discrimination is
    the correlation of the item with the rest score, summed here answer by answer."""
    import random

    from bot.item_analysis import pearson

    rng = random.Random(8)
    questions = [f"q{n}" for n in range(12)]
    responses = [Response(rng.choice(questions), student, rng.random() < ability)
                 for student, ability in ((s, rng.uniform(0.2, 0.9)) for s in range(30))
                 for _ in range(rng.randint(1, 25))]
    items = {i.question_id: i for i in analyse_items(responses, {}, {})}
    for question_id in questions:
        xs, ys = [], []
        for student in sorted({r.student for r in responses}):
            mine = [r.correct for r in responses if r.student == student and r.question_id == question_id]
            rest = [r.correct for r in responses if r.student == student and r.question_id != question_id]
            if mine and rest:
                xs.append(sum(mine) / len(mine))
                ys.append(sum(rest) / len(rest))
        assert items[question_id].students == len(xs) >= 5
        assert items[question_id].discrimination == pytest.approx(pearson(xs, ys), abs=1e-12)
    assert {i.discrimination is None for i in items.values()} == {False}


def test_a_pick_is_the_option_as_shown_not_as_written():
    shown = ("1976", "1989", "1967", "1961")
    assert picked_option(shown, "2") == "1967"
    assert picked_option(shown, "9") is None and picked_option((), "1989") is None


# --- the same class in a database -------------------------------------------------------------

ORDERS = ("A → B", "B → A", "C → A", "right order")


async def seed_class(path) -> None:
    """Q1 is asked twice in two shuffled orders: s1–s3 answer the first, s4–s6 the second."""
    db = await Database.open(path)
    chat = await people.ensure_chat(db, Chat("console", "lop"), START)
    users = {name: await people.ensure_user(db, User("console", name, name), START) for name in RESULTS}
    q1_first = await quiz_store.ask(db, chat, Presented(Q1, ("1976", "1989", "1967", "1961"), 2), "lich-su",
                                    START, START + timedelta(seconds=30))
    q1_second = await quiz_store.ask(db, chat, Presented(Q1, ("1967", "1961", "1976", "1989"), 0), "lich-su",
                                     START, START + timedelta(seconds=30))
    asked = {qid: await quiz_store.ask(db, chat, presented, "lich-su", START, START + timedelta(seconds=30))
             for qid, presented in ((Q2, Presented(Q2, ("Đúng", "Sai"), 0)), (Q3, Presented(Q3, ("Đúng", "Sai"), 0)),
                                    (Q4, Presented(Q4, ORDERS, 3)), (Q5, Presented(Q5, (), -1)))}
    await quiz_store.ask(db, chat, Presented(Q5, (), -1), "lich-su", START, START + timedelta(seconds=30))

    async def answer(asked_id, name, given, right):
        await quiz_store.record_answer(db, NewAnswer(asked_id, users[name], chat, "lich-su", given, right,
                                                     10 if right else 0, START, "2026-11-23", "2026-11"))

    for name in ("s1", "s2", "s3"):
        await answer(q1_first, name, "2", True)                  # 1967 as shown first
    for name, index in (("s4", "1"), ("s5", "1"), ("s6", "2")):   # 1961, 1961, 1976 as shown second
        await answer(q1_second, name, index, False)
    for name, row in RESULTS.items():
        await answer(asked[Q2], name, "0" if row[1] else "1", bool(row[1]))
        await answer(asked[Q3], name, "0", True)
        await answer(asked[Q4], name, "3" if row[3] else "0", bool(row[3]))
    for name, typed, right in (("s1", "1989", True), ("s2", "1988", False), ("s3", "năm 1989", True)):
        await answer(asked[Q5], name, typed, right)
    await db.close()


def settings_file(tmp_path):
    """The report reads the fixture course, where the class's questions are."""
    path = tmp_path / "studybot.yaml"
    path.write_text(f"content: {FIXTURE_COURSE}\n", encoding="utf-8")
    return str(path)


async def test_report_items_reads_the_class_from_the_database_and_writes_nothing(db_path, tmp_path):
    await seed_class(db_path)
    config = settings_file(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    stamp = db_path.stat().st_mtime_ns, db_path.read_bytes()
    out = tmp_path / "items.csv"
    result = studybot("report", "--items", "--chat", "console:lop", "--csv", str(out), "--db", str(db_path),
                      "--config", config)
    assert result.returncode == 0, result.stderr
    assert (db_path.stat().st_mtime_ns, db_path.read_bytes()) == stamp
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before + ["items.csv"])   # no -wal, no -shm
    with out.open(encoding="utf-8") as exported:
        rows = {r["question_id"]: r for r in csv.DictReader(exported)}
    for qid, (asked, answers, right, percent, discrimination, students, flags) in EXPECTED.items():
        row = rows[qid]
        assert (row["times_asked"], row["answers"], row["right"], row["facility_percent"], row["students"]) == \
            (str(asked), str(answers), str(right), str(percent), str(students))
        assert row["discrimination"] == ("" if discrimination is None else f"{discrimination:.2f}")
    assert rows[Q1]["option_picks"] == "1961: 2 | 1967: 3 | 1976: 1 | 1989: 0"
    assert rows[Q4]["flags"] == "discrimination < 0; too hard"
    assert rows[Q3]["flags"] == "too easy" and rows[Q5]["type"] == "short"
    table = result.stdout
    assert "ls-asean-1967" in table and "picks: 1961 2 · 1967 3 (right) · 1976 1 · 1989 0" in table
    assert f"{Q4:<17}      1        6       17     -0.57         6  discrimination < 0; too hard" in table


async def test_report_items_refuses_a_missing_database_or_chat_without_creating_one(tmp_path, db_path):
    missing = tmp_path / "nothing" / "none.sqlite3"
    result = studybot("report", "--items", "--db", str(missing), "--config", str(tmp_path / "none.yaml"))
    assert result.returncode == 2 and f"no database at {missing}" in result.stderr
    assert not missing.parent.exists()
    await seed_class(db_path)
    other = studybot("report", "--items", "--chat", "telegram:1", "--db", str(db_path),
                     "--config", str(tmp_path / "none.yaml"))
    assert other.returncode == 2 and "no chat 'telegram:1'" in other.stderr
    everything = studybot("report", "--items", "--db", str(db_path), "--config", settings_file(tmp_path))
    assert everything.returncode == 0 and "picks: 1961 2 · 1967 3 (right)" in everything.stdout
    nowhere = tmp_path / "no-such-folder" / "items.csv"
    unwritable = studybot("report", "--items", "--csv", str(nowhere), "--db", str(db_path),
                          "--config", settings_file(tmp_path))
    assert unwritable.returncode == 2 and "Traceback" not in unwritable.stderr
    assert f"studybot: cannot write {nowhere}: No such file or directory" in unwritable.stderr


async def test_true_false_picks_count_by_position_whatever_the_buttons_said(db_path, mini_course):
    from bot.item_report import item_statistics

    db = await Database.open(db_path)
    chat = await people.ensure_chat(db, Chat("console", "lop"), START)
    closes = START + timedelta(seconds=30)
    vietnamese = await quiz_store.ask(db, chat, Presented(Q2, ("Đúng", "Sai"), 0), "lich-su", START, closes)
    english = await quiz_store.ask(db, chat, Presented(Q2, ("True", "False"), 0), "lich-su", START, closes)
    for n, (asked_id, given) in enumerate(((vietnamese, "0"), (vietnamese, "1"), (english, "0"), (english, "0"))):
        user = await people.ensure_user(db, User("console", f"u{n}", f"U{n}"), START)
        await quiz_store.record_answer(db, NewAnswer(asked_id, user, chat, "lich-su", given, given == "0", 0,
                                                     START, "2026-11-23", "2026-11"))
    items = {i.question_id: i for i in await item_statistics(db, mini_course, None)}
    await db.close()
    assert items[Q2].picks == {"Đúng": 3, "Sai": 1}
    assert (items[Q2].asked, items[Q2].answers, items[Q2].right) == (2, 4, 3)


async def test_stats_names_the_questions_that_need_the_teacher_and_the_report_reads_the_live_database(
        chat, db_path, tmp_path):
    question = None
    for n, name in enumerate(("An", "Bình", "Chi", "Dũng", "Em")):
        if question is None:
            question = question_of(await chat.say("An", "/quiz lien quan 1")).question
        await chat.press(name, f"a:{question.asked_id}:{question.correct}")
    await chat.wait(33)
    chat.admins.add("Cô Hoa")
    stats = texts(await chat.say("Cô Hoa", "/stats"))
    assert "Câu hỏi cần xem lại (phân tích câu hỏi; chi tiết: studybot report --items):" in stats
    assert "• kn-htqt-nen-tang: đúng 100% (5/5) — quá dễ" in stats
    live = studybot("report", "--items", "--db", str(db_path), "--config", settings_file(tmp_path))
    assert live.returncode == 0, live.stderr                    # read while the bot holds it open
    assert "kn-htqt-nen-tang      1        5      100                   0  too easy" in live.stdout


async def test_report_on_content_with_problems_lists_them_instead_of_a_traceback(tmp_path, db_path):
    await seed_class(db_path)
    broken = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, broken)
    (broken / "topics.yaml").write_text("topics: [\n", encoding="utf-8")
    config = tmp_path / "studybot.yaml"
    config.write_text(f"content: {broken}\n", encoding="utf-8")
    for args in (("--items",), ("--content",), ("--chat", "console:lop", "--csv", str(tmp_path / "out.csv"))):
        result = studybot("report", *args, "--db", str(db_path), "--config", str(config))
        assert result.returncode == 2 and "Traceback" not in result.stderr, (args, result.stderr)
        assert f"studybot: the content in {broken} has problems" in result.stderr
        assert "topics.yaml" in result.stderr
    assert not (tmp_path / "out.csv").exists()
