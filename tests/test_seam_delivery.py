"""What the outbox reports back to the core (StudyBot.delivered / undelivered / chat_gone /
chat_moved), restart recovery of what was never confirmed, and native quiz polls in rounds:
asserted on what the class sees and on what the database holds.

Delivery is held back by unhooking the recording outbox's listener (`hold`): the core then
hears of a delivery only when a test reports it, at the instant the test chooses."""

import random
from datetime import datetime, timedelta

import pytest

from bot.clock import ManualClock, from_iso
from bot.delivery.outbox import Outbox
from bot.delivery.transport import NO_LIMITS, Receipt, Undeliverable
from bot.events import Chat, Command, Press, User
from bot.store import people
from studybot.app import open_bot
from tests.conftest import FIXTURE_COURSE, START, TEST_SETTINGS, ClassChat, make_chat, question_of, texts

MONDAY_9 = "2026-11-23T09:00:00+07:00"


def hold(room: ClassChat) -> None:
    room.outbox.listener = None


def release(room: ClassChat) -> None:
    room.outbox.listener = room.bot


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def asked_rows(room: ClassChat):
    return await room.db.fetchall("SELECT * FROM asked ORDER BY id")


async def one(room: ClassChat, sql: str, params=()):
    return (await room.db.fetchone(sql, params))[0]


def right_press(question) -> str:
    card = question.question
    return f"a:{card.asked_id}:{card.correct}"


async def answer_right(room: ClassChat, name: str, question):
    if question.buttons:
        return await room.press(name, right_press(question))
    asked = await room.db.fetchone("SELECT question_id FROM asked WHERE id = ?", (question.question.asked_id,))
    return await room.say(name, f"/answer {room.bot.core.course.questions[asked[0]].answer}")


async def daily_on(room: ClassChat, time: str = "09:00") -> None:
    room.admins.add("Cô Hoa")
    assert "đang bật" in texts(await room.say("Cô Hoa", f"/daily on {time}"))


# --- a question's time starts at delivery -------------------------------------------------------
async def test_a_quiz_questions_time_starts_when_it_is_delivered(chat):
    hold(chat)
    question = question_of(await chat.say("An", "/quiz lich su 2"))
    [row] = await asked_rows(chat)
    assert row["delivered_at"] is None
    assert await chat.at("2026-11-23T08:05:00+07:00") == []         # never revealed before delivery
    await chat.bot.delivered(chat.chat, [question], Receipt())
    [row] = await asked_rows(chat)
    assert from_iso(row["delivered_at"]) == from_iso(row["asked_at"]) == at("2026-11-23T08:05:00+07:00")
    assert from_iso(row["closes_at"]) == at("2026-11-23T08:05:30+07:00")   # its full 30 seconds
    assert await chat.at("2026-11-23T08:05:32+07:00") == []          # within time and grace
    release(chat)
    revealed = texts(await chat.at("2026-11-23T08:05:33+07:00"))
    assert "Hết giờ" in revealed and "Câu 2/2" in revealed


async def test_an_answer_scores_from_the_delivery_instant(chat):
    hold(chat)
    question = question_of(await chat.say("An", "/quiz lich su 1"))
    chat.clock.move_to(at("2026-11-23T08:04:00+07:00"))
    await chat.bot.delivered(chat.chat, [question], Receipt())
    assert "+15 điểm" in texts(await chat.press("An", right_press(question)))   # answered at once: full bonus


async def test_a_daily_question_keeps_its_closing_time_when_delivered_late(chat):
    await daily_on(chat)
    hold(chat)
    post = question_of(await chat.at(MONDAY_9))
    [row] = await asked_rows(chat)
    closes = from_iso(row["closes_at"])
    assert closes == at("2026-11-24T08:00:00+07:00")
    chat.clock.move_to(at("2026-11-23T09:07:00+07:00"))
    await chat.bot.delivered(chat.chat, [post], Receipt())
    [row] = await asked_rows(chat)
    assert from_iso(row["delivered_at"]) == at("2026-11-23T09:07:00+07:00")
    assert from_iso(row["closes_at"]) == closes


async def test_a_second_delivery_report_changes_nothing(chat):
    hold(chat)
    question = question_of(await chat.say("An", "/quiz lich su 1"))
    await chat.bot.delivered(chat.chat, [question], Receipt())
    first = dict(await chat.db.fetchone("SELECT * FROM asked"))
    chat.clock.move_to(at("2026-11-23T08:00:20+07:00"))
    await chat.bot.delivered(chat.chat, [question], Receipt())
    assert dict(await chat.db.fetchone("SELECT * FROM asked")) == first


# --- undeliverable ------------------------------------------------------------------------------
async def test_an_undelivered_quiz_question_ends_its_round_with_one_message_and_no_reveal(chat):
    q1 = question_of(await chat.say("An", "/quiz lich su 3"))
    await chat.press("An", right_press(q1))
    await chat.press("Bình", right_press(q1))
    hold(chat)
    pushed = await chat.wait(33)                              # the reveal, then Q2: refused
    q2 = question_of(pushed)
    assert "Câu 2/3" in q2.text.plain()
    instead = await chat.bot.undelivered(chat.chat, [q2], "Bad Request: something")
    assert [r.game and r.fallback for r in instead] == [True] * len(instead)
    said = texts(instead)
    assert said.startswith("Không gửi được câu hỏi tiếp theo vào nhóm, nên lượt quiz dừng tại đây.")
    assert "Lượt quiz đã dừng" in said and "An — 15 điểm" in said and "Bình — 15 điểm" in said
    assert "Đáp án" not in said
    assert await one(chat, "SELECT state FROM rounds") == "stopped"
    assert await one(chat, "SELECT COUNT(*) FROM asked WHERE id = ?", (q2.question.asked_id,)) == 0
    release(chat)
    assert await chat.at("2026-11-23T08:10:00+07:00") == []         # never revealed, no Q3
    assert await one(chat, "SELECT COUNT(*) FROM asked") == 1
    assert "Bắt đầu lượt quiz" in texts(await chat.say("An", "/quiz 1"))   # the chat can play again


async def test_an_apology_for_a_plain_reply_that_could_not_be_delivered(chat):
    card = await chat.say("An", "/define hnqt")
    instead = await chat.bot.undelivered(chat.chat, card, "Bad Request: can't parse entities")
    assert [r.text.plain() for r in instead] == ["Xin lỗi, mình chưa gửi được câu trả lời này. Hãy thử lại sau."]
    assert instead[0].fallback


async def test_an_undelivered_daily_post_pauses_the_schedule_and_the_day_stays_free(chat):
    await daily_on(chat)
    hold(chat)
    post = question_of(await chat.at(MONDAY_9))
    instead = await chat.bot.undelivered(chat.chat, [post], "Forbidden: not enough rights")
    assert texts(instead) == ("Không gửi được câu hỏi mỗi ngày vào nhóm nên lịch tạm dừng. "
                              "Quản trị viên gõ /daily on để thử lại.")
    assert await one(chat, "SELECT paused_reason FROM daily_schedules") == "undeliverable"
    assert await one(chat, "SELECT COUNT(*) FROM asked") == 0        # the day is not used up
    release(chat)
    assert await chat.at("2026-11-23T09:30:00+07:00") == []         # paused: nothing is posted
    state = texts(await chat.say("An", "/daily"))
    assert "tạm dừng" in state and "Nền tảng từ chối câu hỏi vừa rồi" in state and "Forbidden" not in state
    chat.clock.move_to(at("2026-11-23T10:00:00+07:00"))
    assert "đang bật" in texts(await chat.say("Cô Hoa", "/daily on"))
    again = question_of(await chat.at("2026-11-23T10:00:01+07:00"))
    assert "Câu hỏi mỗi ngày 23/11/2026" in again.text.plain()
    assert await one(chat, "SELECT COUNT(*) FROM asked WHERE daily_day = '2026-11-23' "
                           "AND delivered_at IS NOT NULL") == 1


async def test_after_the_window_closed_a_resumed_schedule_waits_for_the_next_day(chat):
    await daily_on(chat)
    hold(chat)
    post = question_of(await chat.at(MONDAY_9))
    await chat.bot.undelivered(chat.chat, [post], "refused")
    release(chat)
    chat.clock.move_to(at("2026-11-24T08:30:00+07:00"))          # Monday's window closed at 08:00
    await chat.say("Cô Hoa", "/daily on")
    assert await chat.at("2026-11-24T08:59:00+07:00") == []
    assert "Câu hỏi mỗi ngày 24/11/2026" in texts(await chat.at("2026-11-24T09:00:00+07:00"))


# --- the chat is gone ---------------------------------------------------------------------------
async def test_a_gone_chat_pauses_its_daily_ends_its_round_and_reveals_nothing(chat):
    await daily_on(chat)
    q1 = question_of(await chat.say("An", "/quiz lich su 2"))
    await chat.press("An", right_press(q1))
    await chat.bot.chat_gone(chat.chat, "removed")
    assert await one(chat, "SELECT paused_reason FROM daily_schedules") == "removed"
    assert await one(chat, "SELECT state FROM rounds") == "stopped"
    assert await one(chat, "SELECT COUNT(*) FROM asked WHERE closed_at IS NULL") == 0
    assert await one(chat, "SELECT COUNT(*) FROM answers") == 1      # what was answered is kept
    assert await chat.at("2026-11-23T08:05:00+07:00") == []         # no reveal, no next question
    assert await chat.at(MONDAY_9) == []                            # no daily post
    state = texts(await chat.say("An", "/daily"))
    assert "Bot đã bị xóa khỏi nhóm hoặc bị chặn" in state
    chat.clock.move_to(at("2026-11-23T11:00:00+07:00"))            # the bot is added back
    await chat.say("Cô Hoa", "/daily on")
    assert "Câu hỏi mỗi ngày 23/11/2026" in texts(await chat.at("2026-11-23T11:00:01+07:00"))


async def test_a_gone_chat_forgets_a_question_that_never_reached_it(chat):
    hold(chat)
    await chat.say("An", "/quiz lich su 2")
    await chat.bot.chat_gone(chat.chat, "deleted")
    assert await one(chat, "SELECT COUNT(*) FROM asked") == 0
    assert await one(chat, "SELECT state FROM rounds") == "stopped"


# --- the chat moved to a new id -----------------------------------------------------------------
NEW = Chat("console", "lop-super", is_group=True)


async def play_history(room: ClassChat) -> None:
    """Points, a streak, the language, a schedule and a running round, all under the chat."""
    await daily_on(room)
    room.admins.add("Cô Hoa")
    await room.say("Cô Hoa", "/lang en")
    q = question_of(await room.say("An", "/quiz lich su 1"))
    await room.press("An", right_press(q))
    await room.wait(33)
    post = question_of(await room.at(MONDAY_9))
    assert "Right!" in texts(await answer_right(room, "An", post))
    room.clock.move_to(at("2026-11-23T09:10:00+07:00"))
    await room.say("Bình", "/quiz lich su 2")                    # running when the chat moves


async def scores_match_answers(room: ClassChat) -> None:
    """Every leaderboard row equals the sum of its answers: nothing lost or counted twice."""
    rows = await room.db.fetchall(
        "SELECT s.chat_id, s.user_id, s.points, s.answers, "
        "  (SELECT COALESCE(SUM(points), 0) FROM answers a WHERE a.chat_id = s.chat_id AND a.user_id = s.user_id), "
        "  (SELECT COUNT(*) FROM answers a WHERE a.chat_id = s.chat_id AND a.user_id = s.user_id) "
        "FROM scores s WHERE s.period = 'all'")
    assert rows and all(r[2] == r[4] and r[3] == r[5] for r in rows), [tuple(r) for r in rows]


async def test_a_moved_chat_keeps_scores_streaks_settings_schedule_and_its_round(chat):
    await play_history(chat)
    before = {t: await one(chat, f"SELECT COUNT(*) FROM {t}") for t in people.MOVED_TABLES}
    await chat.bot.chat_moved(chat.chat, NEW)
    assert {t: await one(chat, f"SELECT COUNT(*) FROM {t}") for t in people.MOVED_TABLES} == before
    assert [r[0] for r in await chat.db.fetchall("SELECT platform_id FROM chats WHERE is_group = 1")] == ["lop-super"]

    moved = ClassChat(chat.bot, chat.clock, chat.outbox, "lop-super")
    moved.admins.add("Cô Hoa")
    top = texts(await moved.say("An", "/top all"))
    assert top.startswith("🏆 Leaderboard of all time") and "1. An — 25 points" in top   # English: the setting moved
    assert "streak" in texts(await moved.say("An", "/me")).lower()
    assert "09:00" in texts(await moved.say("An", "/daily"))
    assert "A quiz round is running" in texts(await moved.say("An", "/quiz"))    # the round moved with it
    [open_question] = await moved.db.fetchall("SELECT id, correct FROM asked WHERE closed_at IS NULL "
                                              "AND round_id IS NOT NULL")
    verdict = await moved.press("Bình", f"a:{open_question[0]}:{open_question[1]}")
    assert "✅ Right" in texts(verdict)
    pushed = await moved.wait(40)
    assert any("Time's up" in r.text.plain() for r in pushed)
    assert {c.id for c, _ in chat.outbox.sent} <= {"lop-super"}
    await scores_match_answers(moved)


async def test_rows_already_under_the_new_id_are_folded_in(chat):
    await play_history(chat)
    a_before = await one(chat, "SELECT points FROM scores s JOIN users u ON u.id = s.user_id "
                               "WHERE period = 'all' AND u.platform_id = 'an'")
    # The supergroup spoke before the move was known: its own rows, An and Chi scoring there.
    early = ClassChat(chat.bot, chat.clock, chat.outbox, "lop-super")
    chat.clock.move_to(at("2026-11-23T09:20:00+07:00"))
    q = question_of(await early.say("Chi", "/quiz lich su 1"))
    await early.press("An", right_press(q))
    await early.press("Chi", right_press(q))
    await early.wait(33)
    answers = await one(chat, "SELECT COUNT(*) FROM answers")
    await chat.bot.chat_moved(chat.chat, NEW)

    assert await one(chat, "SELECT COUNT(*) FROM chats WHERE platform_id IN ('lop', 'lop-super')") == 1
    chat_id = await one(chat, "SELECT id FROM chats WHERE platform_id = 'lop-super'")
    assert await one(chat, "SELECT COUNT(DISTINCT chat_id) FROM answers") == 1
    assert await one(chat, "SELECT COUNT(*) FROM answers WHERE chat_id = ?", (chat_id,)) == answers
    a_after = await one(chat, "SELECT points FROM scores s JOIN users u ON u.id = s.user_id "
                              "WHERE period = 'all' AND u.platform_id = 'an' AND s.chat_id = ?", (chat_id,))
    assert a_after == a_before + 15                                 # summed, not replaced
    assert await one(chat, "SELECT COUNT(*) FROM scores WHERE period = 'all'") == 2   # An and Chi: one row each
    await scores_match_answers(chat)
    for table in people.MOVED_TABLES:
        assert await one(chat, f"SELECT COUNT(*) FROM {table} WHERE chat_id NOT IN (SELECT id FROM chats)") == 0
    moved = ClassChat(chat.bot, chat.clock, chat.outbox, "lop-super")
    assert "09:00" in texts(await moved.say("An", "/daily"))          # the class's schedule and language won
    top = texts(await moved.say("An", "/top all"))
    assert "Chi" in top and "An" in top


async def test_a_round_running_under_the_new_id_goes_on_after_the_move(chat):
    early = ClassChat(chat.bot, chat.clock, chat.outbox, "lop-super")
    await chat.say("Chi", "/help")                               # the old chat is known too
    q = question_of(await early.say("An", "/quiz lich su 2"))
    assert "Chính xác" in texts(await early.press("Bình", right_press(q)))   # before the move
    await chat.bot.chat_moved(chat.chat, NEW)
    moved = ClassChat(chat.bot, chat.clock, chat.outbox, "lop-super")
    assert "Chính xác" in texts(await moved.press("An", right_press(q)))     # after it
    assert "Câu 2/2" in texts(await moved.wait(33))
    assert await one(chat, "SELECT COUNT(DISTINCT chat_id) FROM answers") == 1
    await scores_match_answers(moved)


async def test_a_move_that_fails_halfway_changes_nothing(chat, monkeypatch):
    await play_history(chat)
    early = ClassChat(chat.bot, chat.clock, chat.outbox, "lop-super")
    await early.say("Chi", "/help")
    tables = ("chats",) + people.MOVED_TABLES
    before = {t: [tuple(r) for r in await chat.db.fetchall(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in tables}
    monkeypatch.setattr(people, "_FOLD_INTO_OLD", people._FOLD_INTO_OLD[:-3] + ("SELECT no_such_column FROM chats",)
                        + people._FOLD_INTO_OLD[-3:])
    with pytest.raises(Exception):
        await chat.bot.chat_moved(chat.chat, NEW)
    after = {t: [tuple(r) for r in await chat.db.fetchall(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in tables}
    assert after == before


async def test_every_table_with_a_chat_id_is_moved(chat):
    """A new table with a chat_id column must be handled by people.move_chat."""
    tables = [r[0] for r in await chat.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    with_chat = set()
    for table in tables:
        columns = {r[1] for r in await chat.db.fetchall(f"PRAGMA table_info({table})")}
        if "chat_id" in columns:
            with_chat.add(table)
    assert with_chat and with_chat == set(people.MOVED_TABLES)
    for table in people.MOVED_TABLES:
        assert any(f" {table} " in f" {sql} " for sql in people._FOLD_INTO_OLD), table


# --- restart recovery ---------------------------------------------------------------------------
async def restart(mini_course, db_path, instant: str):
    room, context = await make_chat(mini_course, db_path, start=at(instant))
    await room.bot.recover()
    return room, context


async def test_a_round_question_never_confirmed_is_asked_again_after_a_restart(mini_course, db_path):
    room, context = await make_chat(mini_course, db_path)
    hold(room)
    question_of(await room.say("An", "/quiz lich su 2"))
    await context.__aexit__(None, None, None)                      # stopped before the delivery report

    room, context = await restart(mini_course, db_path, "2026-11-23T08:01:00+07:00")
    try:
        again = question_of(room.outbox.take())
        assert again.text.plain().startswith("Câu 1/2")
        rows = await asked_rows(room)
        assert [(r["position"], r["delivered_at"] is not None) for r in rows] == [(1, True)]
        assert from_iso(rows[0]["closes_at"]) == at("2026-11-23T08:01:30+07:00")
        assert "Chính xác" in texts(await room.press("An", right_press(again)))
        assert "Câu 2/2" in texts(await room.wait(33))                   # the round goes on
    finally:
        await context.__aexit__(None, None, None)


async def test_a_round_question_never_confirmed_long_before_the_restart_ends_its_round(mini_course, db_path):
    """As for a delivered question (rounds.advance_round): a round overdue by more than
    resume_minutes ends with a word instead of a question out of the blue hours later."""
    room, context = await make_chat(mini_course, db_path)
    q1 = question_of(await room.say("An", "/quiz lich su 2"))
    await room.press("An", right_press(q1))
    hold(room)
    question_of(await room.wait(33))                              # Q2 queued, never confirmed
    await context.__aexit__(None, None, None)

    room, context = await restart(mini_course, db_path, "2026-11-23T11:00:00+07:00")
    try:
        said = texts(room.outbox.take())
        assert "Câu 2/2" not in said and said.startswith("Bot vừa khởi động lại")
        assert "Lượt quiz đã dừng" in said and "An — 15 điểm" in said
        assert await one(room, "SELECT state FROM rounds") == "stopped"
        assert await one(room, "SELECT COUNT(*) FROM asked") == 1
    finally:
        await context.__aexit__(None, None, None)


async def test_a_daily_post_never_confirmed_is_posted_again_while_its_window_is_open(mini_course, db_path):
    room, context = await make_chat(mini_course, db_path)
    await daily_on(room)
    hold(room)
    question_of(await room.at(MONDAY_9))
    await context.__aexit__(None, None, None)

    room, context = await restart(mini_course, db_path, "2026-11-23T10:00:00+07:00")
    try:
        assert await one(room, "SELECT COUNT(*) FROM asked") == 0
        post = question_of(await room.at("2026-11-23T10:00:01+07:00"))
        assert "Câu hỏi mỗi ngày 23/11/2026" in post.text.plain()
        assert await one(room, "SELECT COUNT(*) FROM asked WHERE delivered_at IS NOT NULL") == 1
    finally:
        await context.__aexit__(None, None, None)


async def test_a_daily_post_with_answers_is_kept_as_delivered_after_a_restart(mini_course, db_path):
    room, context = await make_chat(mini_course, db_path)
    await daily_on(room)
    hold(room)
    post = question_of(await room.at(MONDAY_9))
    assert "Chính xác" in texts(await room.press("An", right_press(post)))   # a vote overtook the report
    await context.__aexit__(None, None, None)

    room, context = await restart(mini_course, db_path, "2026-11-23T10:00:00+07:00")
    try:
        assert room.outbox.take() == []
        [row] = await asked_rows(room)
        assert row["delivered_at"] == row["asked_at"] and row["closed_at"] is None
        assert await room.at("2026-11-23T10:00:01+07:00") == []          # not posted a second time
        reveal = texts(await room.at("2026-11-24T08:00:05+07:00"))
        assert "Đáp án câu hỏi mỗi ngày 23/11" in reveal and "1 người trả lời, 1 người đúng" in reveal
    finally:
        await context.__aexit__(None, None, None)


# --- native quiz polls in rounds ----------------------------------------------------------------
async def test_native_polls_never_close_early_get_no_reveal_message_and_a_recap_line_each(chat):
    polls = iter(f"poll-{n}" for n in range(1, 10))

    async def as_poll(room_chat, replies, receipt=None):
        for reply in replies:
            if reply.question is not None:
                await chat.bot.delivered(room_chat, [reply], Receipt(key=next(polls), native=True))

    chat.outbox.deliver = as_poll                                # every question goes out as a poll
    q1 = question_of(await chat.say("An", "/quiz lich su 2"))
    user = User("console", "an", "An")
    where, verdict = await chat.bot.answer_message("console", "poll-1", user, q1.question.correct)
    assert where == chat.chat and "Chính xác" in texts(verdict)
    assert "Hết giờ" not in texts(chat.outbox.take())              # everyone answered: still no early close
    pushed = await chat.wait(33)
    assert not any("Đáp án" in r.text.plain() for r in pushed)     # the poll shows its own answer
    q2 = question_of(pushed)
    assert q2.text.plain().startswith("Câu 2/2")
    await chat.bot.answer_message("console", "poll-2", user, (q2.question.correct + 1) % len(q2.question.options))
    assert chat.outbox.take() == []
    end = await chat.wait(33)
    assert len(end) == 1 and "Đáp án" not in texts(end)
    lines = end[0].text.plain().splitlines()
    assert lines[0] == "🏁 Kết thúc lượt quiz! Kết quả:"
    recap = [line for line in lines if line.startswith("Câu ")]
    assert len(recap) == 2
    assert recap[0].startswith("Câu 1: ") and recap[0].endswith("— 1/1 người đúng")
    assert recap[1].startswith("Câu 2: ") and recap[1].endswith("— 0/1 người đúng")
    rows = await asked_rows(chat)
    assert [r["native"] for r in rows] == [1, 1]
    assert await one(chat, "SELECT COUNT(*) FROM platform_messages") == 2


async def test_when_both_ids_run_a_round_the_class_keeps_its_own_and_the_other_reveals_nothing(chat):
    question_of(await chat.say("An", "/quiz lich su 1"))
    early = ClassChat(chat.bot, chat.clock, chat.outbox, "lop-super")
    question_of(await early.say("Bình", "/quiz lich su 1"))
    await chat.bot.chat_moved(chat.chat, NEW)
    assert await one(chat, "SELECT COUNT(*) FROM rounds WHERE state = 'running'") == 1
    pushed = await ClassChat(chat.bot, chat.clock, chat.outbox, "lop-super").wait(33)
    assert sum("Hết giờ" in r.text.plain() for r in pushed) == 1, texts(pushed)
    assert sum("Kết thúc lượt quiz" in r.text.plain() for r in pushed) == 1
    assert await one(chat, "SELECT COUNT(*) FROM asked WHERE closed_at IS NULL") == 0


@pytest.mark.parametrize("code, vi, en", [
    ("removed", "Bot đã bị xóa khỏi nhóm hoặc bị chặn", "The bot was removed from this chat or blocked"),
    ("deleted", "Kênh này không còn nữa", "This channel no longer exists"),
])
async def test_daily_explains_a_pause_in_the_chats_language(chat, code, vi, en):
    await daily_on(chat)
    await chat.bot.chat_gone(chat.chat, code)
    assert vi in texts(await chat.say("An", "/daily"))
    await chat.say("Cô Hoa", "/lang en")
    shown = texts(await chat.say("An", "/daily"))
    assert shown.startswith("📅 Daily question: paused") and en in shown
    assert not any(ch in shown for ch in "ạảãắằẳẵặấầẩẫậđẹẻẽếềểễệịỉĩọỏõốồổỗộớờởỡợụủũứừửữựỳỷỹỵ")


# --- through the real outbox ----------------------------------------------------------------------
class RefusingQuestions:
    """A platform that shows a question as a message of its own (as Telegram shows a quiz poll)
    and refuses the questions of `refused` positions, as a platform refuses a bad request."""
    platform = "console"
    shows_private_replies = False

    def __init__(self, refused: set[str]):
        self.limits, self.refused = NO_LIMITS, refused
        self.shown: list[str] = []

    def render(self, chat, replies):
        texts_, out = [], []
        for reply in replies:
            if reply.question is not None:
                if texts_:
                    out.append(texts_)
                out.append([reply])
                texts_ = []
            else:
                texts_.append(reply)
        return out + ([texts_] if texts_ else [])

    async def send(self, chat, message):
        body = "\n\n".join(r.text.plain() for r in message)
        if any(r.question is not None and body.split(" ·")[0] in self.refused for r in message):
            raise Undeliverable("Bad Request: poll question is too long")
        self.shown.append(body)
        return Receipt(key=f"m{len(self.shown)}")


async def test_through_the_outbox_a_refused_question_ends_the_round_in_one_message(mini_course, db_path):
    clock, outbox = ManualClock(START), Outbox()
    platform = RefusingQuestions({"Câu 2/3"})
    outbox.add(platform)
    group = Chat("console", "lop", is_group=True)
    async with open_bot(FIXTURE_COURSE, db_path, clock, outbox, random.Random(7), TEST_SETTINGS,
                        course=mini_course) as bot:
        room = ClassChat(bot, clock, outbox)
        await outbox.post(group, await bot.handle(Command(room.user("An"), group, "quiz", "lich su 3")))
        await outbox.idle()
        assert len(platform.shown) == 2
        assert platform.shown[0].startswith("🎯 Bắt đầu") and platform.shown[1].startswith("Câu 1/3 ·")
        [q1] = await bot.core.db.fetchall("SELECT id, correct FROM asked")
        await outbox.post(group, await bot.handle(Press(room.user("An"), group, f"a:{q1[0]}:{q1[1]}")))
        clock.move_to(START + timedelta(seconds=40))
        await bot.run_due()
        await outbox.idle()
        after = platform.shown[2:]
        assert after[0].startswith("⏰ Hết giờ!")                     # Q1's reveal went out on its own
        assert len(after) == 2, after                                 # then ONE message for the end
        assert after[1].startswith("Không gửi được câu hỏi tiếp theo vào nhóm, nên lượt quiz dừng tại đây.")
        assert "⏹ Lượt quiz đã dừng" in after[1] and "An — 15 điểm" in after[1]
        clock.move_to(START + timedelta(minutes=10))
        await bot.run_due()
        await outbox.idle()
        assert len(platform.shown) == 4                               # Q2 never revealed, no Q3
        await outbox.close(1)
