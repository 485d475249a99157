"""Flood control with the real settings (5 commands in 10 s), and a private chat as a pocket
dictionary: what a student sees when they type fast, and when they type plain text."""

from datetime import timedelta

import pytest

from bot.settings import Settings
from tests.conftest import make_chat, question_of, texts

REAL = Settings()


def later(room, seconds: float) -> None:
    room.clock.move_to(room.clock.now() + timedelta(seconds=seconds))


async def count(room, sql: str) -> int:
    return (await room.db.fetchone(sql))[0]


@pytest.fixture
async def room(mini_course, db_path):
    assert (REAL.flood_commands, REAL.flood_seconds) == (5, 10.0)
    chat, context = await make_chat(mini_course, db_path, settings=REAL)
    yield chat
    await context.__aexit__(None, None, None)


async def test_the_sixth_command_gets_one_notice_then_silence_until_the_window_clears(room):
    for n in range(5):
        assert "Hội nhập quốc tế là quá trình" in texts(await room.say("An", "/define hnqt")), n
    notice = await room.say("An", "/define hnqt")
    assert len(notice) == 1 and notice[0].to is not None and notice[0].to.name == "An"
    assert notice[0].text.plain() == "Bạn gửi lệnh nhanh quá. Mình sẽ nghỉ trả lời bạn khoảng 10 giây."
    for command in ("/define hnqt", "/help", "/me", "/quiz 1", "/top"):
        assert await room.say("An", command) == [], command
    assert await count(room, "SELECT COUNT(*) FROM rounds") == 0   # a silenced /quiz did nothing

    # Other students are unaffected, in the same group at the same instant.
    assert "Hội nhập quốc tế là quá trình" in texts(await room.say("Bình", "/define hnqt"))
    assert texts(await room.say("Chi", "/help")).startswith("Chào bạn")

    later(room, 9)
    assert await room.say("An", "/define hnqt") == []                     # not yet
    later(room, 1)
    assert "Hội nhập quốc tế là quá trình" in texts(await room.say("An", "/define hnqt"))


async def test_the_notice_comes_once_per_flood_and_again_for_the_next_flood(room):
    for _ in range(5):
        await room.say("An", "/help")
    assert len(await room.say("An", "/help")) == 1
    assert await room.say("An", "/help") == []
    later(room, 10)
    for _ in range(5):
        assert await room.say("An", "/help") != []
    again = await room.say("An", "/help")
    assert len(again) == 1 and "nhanh quá" in again[0].text.plain()


async def test_commands_spread_over_the_window_are_all_answered(room):
    for _ in range(12):
        assert "Hội nhập quốc tế là quá trình" in texts(await room.say("An", "/define hnqt"))
        later(room, 2)


async def test_unknown_commands_count_as_commands(room):
    for _ in range(5):
        assert "chưa biết lệnh" in texts(await room.say("An", "/xyz"))
    assert "nhanh quá" in texts(await room.say("An", "/xyz"))
    assert await room.say("An", "/xyz") == []
    assert await room.say("An", "/define hnqt") == []


async def test_a_private_chats_plain_text_lookups_are_flood_gated_too(room):
    for _ in range(5):
        assert "Hội nhập quốc tế là quá trình" in texts(await room.say("An", "hnqt", private=True))
    notice = await room.say("An", "hnqt", private=True)
    assert len(notice) == 1 and "nhanh quá" in notice[0].text.plain()
    assert await room.say("An", "hnqt", private=True) == []
    assert await room.say("An", "/define hnqt", private=True) == []      # one window for both
    later(room, 10)
    assert "Hội nhập quốc tế là quá trình" in texts(await room.say("An", "hnqt", private=True))


async def test_answers_are_never_flood_gated(room):
    """A student who has used up their commands can still answer a question."""
    question = question_of(await room.say("Bình", "/quiz lich su 1"))
    for _ in range(7):
        await room.say("An", "/help")
    card = question.question
    verdict = await room.press("An", f"a:{card.asked_id}:{card.correct}")
    assert "Chính xác" in texts(verdict)
    assert await count(room, "SELECT COUNT(*) FROM answers") == 1


# --- a private chat as a pocket dictionary ------------------------------------------------------
async def test_plain_text_in_a_private_chat_is_looked_up_like_define(chat):
    for typed in ("hoi nhap quoc te", "HNQT", "hội nhập quốc tế"):
        looked_up = await chat.say("An", typed, private=True)
        assert texts(looked_up) == texts(await chat.say("An", f"/define {typed}", private=True))
        assert looked_up[0].text.plain().startswith("Hội nhập quốc tế")


async def test_nonsense_in_a_private_chat_gets_a_one_line_hint_never_silence(chat):
    for typed in ("qwzx vbnm", "???", "   ", "😀", "a" * 5000):
        hint = await chat.say("An", typed, private=True)
        assert len(hint) == 1, typed
        text = hint[0].text.plain()
        assert text == "Gõ một khái niệm để tra (ví dụ: hội nhập quốc tế), hoặc /help để xem các lệnh.", typed
        assert "\n" not in text


async def test_a_near_miss_in_a_private_chat_offers_the_nearest_concepts_as_buttons(chat):
    replies = await chat.say("An", "hop nhap", private=True)
    assert len(replies) == 1
    assert replies[0].text.plain() == "Gõ một khái niệm để tra (ví dụ: hội nhập quốc tế), hoặc /help để xem các lệnh."
    labels = [b.label for b in replies[0].buttons]
    assert labels == ["Hội nhập quốc tế", "Hợp tác quốc tế"]
    assert all(b.id.startswith("d:") for b in replies[0].buttons)
    pressed = await chat.press("An", replies[0].buttons[1].id, private=True)
    assert pressed[0].text.plain().startswith("Hợp tác quốc tế")


async def test_a_private_lookup_that_fits_several_concepts_offers_each(chat):
    replies = await chat.say("An", "quoc te", private=True)
    assert len(replies) == 1 and "quoc te" in replies[0].text.plain()
    assert [b.label for b in replies[0].buttons] == ["Hội nhập quốc tế", "Hợp tác quốc tế"]


async def test_in_a_group_chatter_gets_nothing(chat):
    for typed in ("hnqt", "hôm nay học gì vậy", "qwzx vbnm", "???"):
        assert await chat.say("An", typed) == [], typed


async def test_a_private_chat_with_an_open_question_takes_text_as_the_answer(chat):
    """The pocket dictionary gives way to a question that waits for a typed answer."""
    replies = await chat.say("An", "/quiz lich su 4", private=True)
    question = question_of(replies)
    while question.buttons:                       # skip to the typed APEC question
        card = question.question
        replies = await chat.press("An", f"a:{card.asked_id}:{card.correct}", private=True)
        question = question_of(replies)
    answered = await chat.say("An", "1989", private=True)
    assert "Chính xác" in texts(answered)
    assert await count(chat, "SELECT COUNT(*) FROM answers WHERE correct = 1") == 4


async def test_a_typed_answer_in_a_private_chat_is_never_flood_gated(room):
    """Plain text in a private chat is a lookup (gated) unless it answers an open question."""
    for _ in range(4):
        await room.say("An", "/define hnqt", private=True)
    question = question_of(await room.say("An", "/quiz lich su 4", private=True))   # the fifth command
    while question.buttons:                               # presses are answers: never gated
        card = question.question
        question = question_of(await room.press("An", f"a:{card.asked_id}:{card.correct}", private=True))
    answered = await room.say("An", "1989", private=True)
    assert "Chính xác" in texts(answered)
    assert await count(room, "SELECT COUNT(*) FROM answers WHERE correct = 1") == 4
    notice = await room.say("An", "hnqt", private=True)   # a lookup again: now it is gated
    assert len(notice) == 1 and "nhanh quá" in notice[0].text.plain()


async def test_an_answer_by_command_is_never_flood_gated(room):
    """/answer is the only way to answer a daily question in a group: a student who looked
    things up fast must still be able to answer."""
    room.admins.add("Cô")
    await room.say("Cô", "/daily on 09:00")
    for n in range(6):
        await room.say("An", "/define hnqt")
    await room.at("2026-11-23T09:00:00+07:00")
    opened = await room.db.fetchone("SELECT options FROM asked WHERE daily_day IS NOT NULL")
    reply = texts(await room.say("An", "/answer 1995"))
    if opened[0] == "[]":
        assert "Chính xác" in reply or "Chưa đúng" in reply
    else:
        assert "Không có câu hỏi nào" in reply              # the day's question wants a button
    assert "nhanh quá" not in reply
