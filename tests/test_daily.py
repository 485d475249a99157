"""The daily challenge: admin settings, posts at the local time, reveals, points and streaks."""

from datetime import datetime, timedelta

import pytest

from bot.daily_schedule import Timing, change, current_window, parse_time
from bot.events import Chat, Command, User
from bot.store import daily_store
from tests.conftest import count_calls, make_chat, question_of, texts


def right_answer(question_reply):
    card = question_reply.question
    return card.asked_id, card.correct


async def answer(chat, name, question_reply, right: bool):
    asked_id, correct = right_answer(question_reply)
    if question_reply.buttons:
        option = correct if right else (correct + 1) % len(question_reply.question.options)
        return await chat.press(name, f"a:{asked_id}:{option}")
    from bot.store.quiz_store import asked_by_id
    asked = await asked_by_id(chat.db, asked_id)
    question = chat.bot.core.course.questions[asked.question_id]
    return await chat.say(name, "/answer " + (str(question.answer) if right else "không biết"))


async def test_only_admins_change_the_schedule_and_anyone_can_read_it(chat):
    refused = await chat.say("An", "/daily on 08:00")
    assert refused[0].to.name == "An" and "quản trị viên" in refused[0].text.plain()
    assert "đang tắt" in texts(await chat.say("An", "/daily"))
    chat.admins.add("Cô Hoa")
    on = texts(await chat.say("Cô Hoa", "/daily on 07:30"))
    assert "đang bật" in on and "07:30" in on and "thứ Ba 24/11 lúc 07:30" in on
    state = texts(await chat.say("An", "/daily"))
    assert "07:30 (Asia/Ho_Chi_Minh)" in state


@pytest.mark.parametrize("command, expected", [
    ("/daily on 25:00", "HH:MM"),
    ("/daily time", "HH:MM"),
    ("/daily time 7:5", "HH:MM"),
    ("/daily time <b>8</b>", "HH:MM"),
    ("/daily tz Mars/Olympus", "IANA"),
    ("/daily tz", "IANA"),
    ("/daily tz '; DROP TABLE chats; --", "IANA"),
    ("/daily sometimes", "Chọn một trong: on, off, time, tz"),
])
async def test_bad_times_and_zones_get_the_accepted_format(chat, command, expected):
    chat.admins.add("Cô Hoa")
    await chat.say("Cô Hoa", "/daily on 08:00")
    reply = texts(await chat.say("Cô Hoa", command))
    assert expected in reply
    schedule = await daily_store.schedule_of(chat.db, 1)
    assert (schedule.post_time, schedule.timezone, schedule.enabled) == ("08:00", "Asia/Ho_Chi_Minh", True)


def test_one_rule_changes_the_daily_time_and_the_review_nudge():
    off = Timing("08:00", False, "Asia/Ho_Chi_Minh")
    assert change(off, "on", "") == Timing("08:00", True, "Asia/Ho_Chi_Minh")
    assert change(off, "on", "20h30") == Timing("20:30", True, "Asia/Ho_Chi_Minh")
    assert change(off, "time", "7:05") == Timing("07:05", False, "Asia/Ho_Chi_Minh")    # stays off
    assert change(Timing("08:00", True, "UTC"), "off", "") == Timing("08:00", False, "UTC")
    assert change(off, "tz", "europe/berlin") == Timing("08:00", False, "Europe/Berlin")
    assert change(off, "on", "20:00 21:00") == "time" and change(off, "time", "") == "time"
    assert change(off, "tz", "Europe/Berlin Asia/Tokyo") == "zone" and change(off, "tz", "") == "zone"


def test_parse_time_accepts_common_forms():
    assert parse_time("8:00") == "08:00" and parse_time("08h30") == "08:30" and parse_time("23:59") == "23:59"
    assert parse_time("24:00") is None and parse_time("") is None and parse_time("8") is None


async def test_daily_round_trip(chat):
    chat.admins.add("Cô Hoa")
    await chat.say("Cô Hoa", "/daily on 09:00")             # Monday 08:00; first post at 09:00
    assert await chat.at("2026-11-23T08:59:00+07:00") == []
    mon = question_of(await chat.at("2026-11-23T09:00:00+07:00"))
    assert "Câu hỏi mỗi ngày 23/11/2026" in mon.text.plain()
    await answer(chat, "An", mon, right=True)
    await answer(chat, "Bình", mon, right=True)
    await answer(chat, "Chi", mon, right=False)
    again = await answer(chat, "An", mon, right=False)
    assert "đã trả lời" in texts(again)

    # Reveal one hour before the next post; nothing else that day.
    assert await chat.at("2026-11-24T07:59:00+07:00") == []
    reveal = texts(await chat.at("2026-11-24T08:00:05+07:00"))   # after the grace window
    assert "Đáp án câu hỏi mỗi ngày 23/11" in reveal
    assert "3 người trả lời, 2 người đúng. Nhanh nhất: An, Bình." in reveal

    tue = question_of(await chat.at("2026-11-24T09:00:00+07:00"))
    await answer(chat, "An", tue, right=True)
    await answer(chat, "Chi", tue, right=True)               # Bình misses Tuesday
    await chat.at("2026-11-25T08:00:00+07:00")
    wed = question_of(await chat.at("2026-11-25T09:00:00+07:00"))
    assert len({mon.question.prompt, tue.question.prompt, wed.question.prompt}) == 3
    await answer(chat, "An", wed, right=True)
    await answer(chat, "Bình", wed, right=True)
    assert "hiện tại 1 ngày" in texts(await chat.say("Chi", "/me"))   # could still answer Wednesday
    await chat.at("2026-11-26T08:00:05+07:00")                          # Wednesday revealed

    assert "hiện tại 3 ngày · tốt nhất 3 ngày" in texts(await chat.say("An", "/me"))
    assert "hiện tại 1 ngày · tốt nhất 1 ngày" in texts(await chat.say("Bình", "/me"))
    assert "hiện tại 0 ngày · tốt nhất 1 ngày" in texts(await chat.say("Chi", "/me"))   # no answer Wednesday
    streaks = texts(await chat.say("Chi", "/top streak"))
    assert streaks.index("1. An — 3 ngày") < streaks.index("2. Bình — 1 ngày")
    top = texts(await chat.say("An", "/top all"))
    assert "1. An — 30 điểm" in top


async def test_a_bot_down_over_the_post_time_posts_once_when_back(mini_course, db_path):
    room, context = await make_chat(mini_course, db_path)
    room.admins.add("Cô Hoa")
    await room.say("Cô Hoa", "/daily on 09:00")
    await context.__aexit__(None, None, None)                 # down from 08:00 to 11:00
    room2, context2 = await make_chat(mini_course, db_path,
                                      start=datetime.fromisoformat("2026-11-23T11:00:00+07:00"))
    late = await room2.wait(0)
    assert "Câu hỏi mỗi ngày 23/11/2026" in texts(late)
    assert await room2.wait(60) == []                         # never twice for one day
    await context2.__aexit__(None, None, None)
    # Down again over the reveal and the next post's whole window.
    room3, context3 = await make_chat(mini_course, db_path,
                                      start=datetime.fromisoformat("2026-11-25T08:30:00+07:00"))
    back = texts(await room3.wait(0))
    assert "Đáp án câu hỏi mỗi ngày 23/11" in back          # the missed reveal
    assert "24/11/2026" not in back                           # that day's window closed unseen
    assert back.count("Câu hỏi mỗi ngày") == 0                # 25/11 is not due until 09:00
    assert "Câu hỏi mỗi ngày 25/11/2026" in texts(await room3.at("2026-11-25T09:00:00+07:00"))
    await context3.__aexit__(None, None, None)


async def test_a_restart_between_post_and_reveal_changes_nothing_students_see(mini_course, db_path):
    room, context = await make_chat(mini_course, db_path)
    room.admins.add("Cô Hoa")
    await room.say("Cô Hoa", "/daily on 09:00")
    q = question_of(await room.at("2026-11-23T09:00:00+07:00"))
    await answer(room, "An", q, right=True)
    await context.__aexit__(None, None, None)
    room2, context2 = await make_chat(mini_course, db_path,
                                      start=datetime.fromisoformat("2026-11-23T12:00:00+07:00"))
    assert await room2.wait(0) == []
    await answer(room2, "Bình", q, right=True)
    again = await answer(room2, "An", q, right=True)
    assert "đã trả lời" in texts(again)
    reveal = texts(await room2.at("2026-11-24T08:00:05+07:00"))
    assert "2 người trả lời, 2 người đúng. Nhanh nhất: An, Bình." in reveal
    await context2.__aexit__(None, None, None)


async def test_changing_the_time_or_zone_never_posts_twice_a_day(chat):
    chat.admins.add("Cô Hoa")
    await chat.say("Cô Hoa", "/daily on 09:00")
    await chat.at("2026-11-23T09:00:00+07:00")
    chat.outbox.take()
    await chat.say("Cô Hoa", "/daily time 10:00")
    assert await chat.at("2026-11-23T10:30:00+07:00") == []
    await chat.say("Cô Hoa", "/daily tz America/New_York")    # it is still 22/11 evening there
    assert await chat.at("2026-11-23T11:00:00+07:00") == []
    assert "Câu hỏi mỗi ngày 23/11" not in texts(await chat.at("2026-11-24T00:30:00+07:00"))
    nxt = texts(await chat.at("2026-11-24T22:00:00+07:00"))   # 10:00 New York on 24/11
    assert "Câu hỏi mỗi ngày 24/11/2026" in nxt


async def test_daylight_saving_keeps_the_local_post_time():
    reveal_before = timedelta(hours=1)
    before = current_window(datetime.fromisoformat("2027-03-27T12:00:00+00:00"), "08:00", "Europe/Berlin", reveal_before)
    after = current_window(datetime.fromisoformat("2027-03-28T12:00:00+00:00"), "08:00", "Europe/Berlin", reveal_before)
    assert before.post_at.isoformat() == "2027-03-27T08:00:00+01:00"
    assert after.post_at.isoformat() == "2027-03-28T08:00:00+02:00"
    utc = datetime.fromisoformat("2027-01-01T00:00:00+00:00").tzinfo
    assert after.post_at.astimezone(utc) - before.post_at.astimezone(utc) == timedelta(hours=23)
    assert before.reveal_at.isoformat() == "2027-03-28T07:00:00+02:00"


async def test_daily_posts_follow_berlin_across_the_change(chat):
    chat.admins.add("Cô Hoa")
    chat.clock.move_to(datetime.fromisoformat("2027-03-26T12:00:00+00:00"))
    await chat.say("Cô Hoa", "/daily tz Europe/Berlin")
    await chat.say("Cô Hoa", "/daily on 08:00")
    chat.outbox.take()
    assert await chat.at("2027-03-27T06:59:00+00:00") == []
    assert "27/03/2027" in texts(await chat.at("2027-03-27T07:00:00+00:00"))   # 08:00 CET
    assert "Câu hỏi mỗi ngày" not in texts(await chat.at("2027-03-28T05:59:00+00:00"))
    assert "28/03/2027" in texts(await chat.at("2027-03-28T06:00:00+00:00"))   # 08:00 CEST


async def test_private_daily_subscribes_the_user(chat):
    reply = texts(await chat.say("An", "/daily", private=True))
    assert "đang bật" in reply and "08:00" in reply
    q = texts(await chat.at("2026-11-24T08:00:00+07:00"))
    assert "Câu hỏi mỗi ngày 24/11/2026" in q
    off = texts(await chat.say("An", "/daily off", private=True))
    assert "đang tắt" in off


async def test_an_idle_tick_costs_two_reads_however_many_chats_subscribe(chat):
    from bot.events import Chat, Command, User
    admin = User("console", "co", "Cô", is_admin=True)
    for n in range(30):
        await chat.bot.handle(Command(admin, Chat("console", f"lop{n}"), "daily", "on 09:00"))
    await chat.at("2026-11-23T09:00:00+07:00")           # every chat gets today's question
    assert (await chat.db.fetchone("SELECT COUNT(*) FROM asked WHERE daily_day IS NOT NULL"))[0] == 30
    reads = count_calls(chat.db, "fetchall")
    assert await chat.at("2026-11-23T09:00:01+07:00") == []
    assert len(reads) == 2                               # due questions, and the schedules


def test_a_streak_stays_alive_until_the_next_question_is_revealed():
    from bot.leaderboard import alive_days
    assert alive_days([]) == ()
    assert alive_days([("2026-11-25", False), ("2026-11-24", True)]) == ("2026-11-25", "2026-11-24")
    assert alive_days([("2026-11-25", True), ("2026-11-24", True)]) == ("2026-11-25",)
    assert alive_days([("2026-11-25", False)]) == ("2026-11-25",)


async def test_a_zone_set_while_the_daily_is_off_is_confirmed_by_name_in_any_case(chat):
    chat.admins.add("Cô Hoa")
    await chat.say("Cô Hoa", "/daily on 08:00")
    await chat.say("Cô Hoa", "/daily off")
    reply = texts(await chat.say("Cô Hoa", "/daily tz europe/berlin"))
    assert "Europe/Berlin" in reply
    assert (await chat.db.fetchone("SELECT timezone FROM chats"))[0] == "Europe/Berlin"


async def test_one_chat_whose_daily_fails_costs_no_other_chat_its_question(chat, monkeypatch, caplog):
    from bot import daily

    chat.admins.add("Cô Hoa")
    await chat.say("Cô Hoa", "/daily on 09:00")
    await chat.bot.handle(Command(User("console", "co", "Cô", is_admin=True), Chat("console", "lop-2"),
                                  "daily", "on 09:00"))
    real = daily._post_for

    async def broken_for_the_first(core, schedule, now):
        if schedule.chat_id == 1:
            raise RuntimeError("a broken row")
        return await real(core, schedule, now)

    monkeypatch.setattr(daily, "_post_for", broken_for_the_first)
    posted = await chat.at("2026-11-23T09:00:00+07:00")
    assert any("Câu hỏi mỗi ngày" in r.text.plain() for r in posted)
    assert "failed to post the daily question of chat 1" in caplog.text
