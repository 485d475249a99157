"""Quiz rounds played in a group chat: questions, private feedback, reveals, standings."""

import asyncio
from datetime import timedelta

from bot.store import quiz_store
from tests.conftest import question_of, texts


def option_id(question_reply, right: bool) -> str:
    card = question_reply.question
    index = card.correct if right else (card.correct + 1) % len(card.options)
    return f"a:{card.asked_id}:{index}"


async def answer(chat, name: str, question_reply, right: bool, private: bool = False):
    """Press the right or a wrong button; a typed question (APEC in the fixture) gets a year."""
    if question_reply.buttons:
        return await chat.press(name, option_id(question_reply, right), private=private)
    return await chat.say(name, "1989" if right else "1990", private=private)


async def test_a_round_with_three_players(chat):
    replies = await chat.say("An", "/quiz lich su 2")
    assert "Bắt đầu lượt quiz 2 câu" in texts(replies)
    q1 = question_of(replies)
    assert q1.text.plain().startswith("Câu 1/2")

    ack = await answer(chat, "An", q1, right=True)
    assert ack[0].to is not None and ack[0].to.name == "An"
    assert "Chính xác" in ack[0].text.plain()
    wrong = await answer(chat, "Bình", q1, right=False)
    assert "Chưa đúng" in wrong[0].text.plain() and wrong[0].to.name == "Bình"

    pushed = await chat.wait(30 + 3)
    reveal = texts(pushed)
    assert "Hết giờ" in reveal and "Đáp án:" in reveal
    assert "An (+" in reveal
    q2 = question_of(pushed)
    assert q2.text.plain().startswith("Câu 2/2")


async def test_first_answer_counts_and_a_double_press_changes_nothing(chat):
    q = question_of(await chat.say("An", "/quiz lich su 1"))
    assert q.buttons, "the first lich-su question should have buttons"
    right, wrong = option_id(q, True), option_id(q, False)
    first = await chat.press("An", right)
    again = await chat.press("An", right)
    other = await chat.press("An", wrong)
    assert "Chính xác" in first[0].text.plain()
    for reply in (again[0], other[0]):
        assert reply.to.name == "An" and "đã trả lời câu này rồi" in reply.text.plain()
    rows = await chat.db.fetchall("SELECT correct, points FROM answers")
    assert len(rows) == 1 and rows[0]["correct"] == 1
    score = await chat.db.fetchone("SELECT points, answers FROM scores WHERE period = 'all'")
    assert (score["points"], score["answers"]) == (rows[0]["points"], 1)


async def test_concurrent_presses_by_one_user_count_once(chat):
    q = question_of(await chat.say("An", "/quiz lich su 1"))
    results = await asyncio.gather(*(chat.press("Chi", option_id(q, True)) for _ in range(20)))
    accepted = [r for r in results if "Chính xác" in r[0].text.plain()]
    assert len(accepted) == 1
    count = await chat.db.fetchone("SELECT COUNT(*) FROM answers")
    assert count[0] == 1


async def test_answer_after_time_is_up_is_refused_but_grace_window_counts(chat):
    q = question_of(await chat.say("An", "/quiz lich su 1"))
    chat.clock.move_to(chat.clock.now() + timedelta(seconds=31))   # late, inside the grace window
    late_but_ok = await chat.press("Bình", option_id(q, True))
    assert "Chính xác" in late_but_ok[0].text.plain()
    chat.clock.move_to(chat.clock.now() + timedelta(seconds=5))    # past the grace window
    too_late = await chat.press("Chi", option_id(q, True))
    assert "hết giờ" in too_late[0].text.plain() and too_late[0].to.name == "Chi"
    assert (await chat.db.fetchone("SELECT COUNT(*) FROM answers"))[0] == 1


async def test_speed_earns_more_and_wrong_answers_cost_nothing(chat):
    q = question_of(await chat.say("An", "/quiz lich su 1"))
    await chat.press("An", option_id(q, True))
    chat.clock.move_to(chat.clock.now() + timedelta(seconds=25))
    await chat.press("Bình", option_id(q, True))
    await chat.press("Chi", option_id(q, False))
    points = {r[0]: r[1] for r in await chat.db.fetchall(
        "SELECT u.display_name, a.points FROM answers a JOIN users u ON u.id = a.user_id")}
    assert points["An"] == 15 and 10 <= points["Bình"] < points["An"] and points["Chi"] == 0


async def test_one_round_at_a_time_and_stop_rules(chat):
    await chat.say("An", "/quiz")
    second = await chat.say("Bình", "/quiz")
    assert "Đang có một lượt quiz" in texts(second) and "/stop" in texts(second)
    refused = await chat.say("Bình", "/stop")
    assert refused[0].to.name == "Bình" and "người bắt đầu" in refused[0].text.plain()
    chat.admins.add("Chi")
    stopped = await chat.say("Chi", "/stop")
    assert "dừng" in texts(stopped)
    assert "Không có lượt quiz nào" in texts(await chat.say("An", "/stop"))
    assert "Bắt đầu lượt quiz" in texts(await chat.say("Bình", "/quiz 1"))


async def test_round_ends_with_standings_and_top_agrees(chat):
    replies = await chat.say("An", "/quiz lich su 2")
    for _ in range(2):
        q = question_of(replies)
        await answer(chat, "An", q, right=True)
        replies = await answer(chat, "Bình", q, right=False)
        replies = replies + await chat.wait(33)
    end = texts(replies)
    assert "Kết thúc lượt quiz" in end
    assert end.index("1. An") < end.index("2. Bình")
    top = texts(await chat.say("Bình", "/top"))
    assert "1. An" in top and "Bạn: hạng 2/2 · 0 điểm" in top
    me = texts(await chat.say("An", "/me"))
    assert "hạng 1/2" in me and "đúng 2/2 câu (100%)" in me


async def test_group_moves_on_once_everyone_in_the_round_answered(chat):
    replies = await chat.say("An", "/quiz lich su 3")
    q1 = question_of(replies)
    for name in ("An", "Bình"):
        await answer(chat, name, q1, right=True)
    q2 = question_of(await chat.wait(33))
    await answer(chat, "An", q2, right=True)
    early = await answer(chat, "Bình", q2, right=False)
    assert "Mọi người đã trả lời" in texts(early)
    assert question_of(early).text.plain().startswith("Câu 3/3")


async def test_private_quiz_moves_on_at_once_and_counts_for_the_user(chat):
    replies = await chat.say("Dũng", "/quiz lich su 2", private=True)
    q1 = question_of(replies)
    reply = await answer(chat, "Dũng", q1, right=True, private=True)
    assert question_of(reply).text.plain().startswith("Câu 2/2")
    me = texts(await chat.say("Dũng", "/me", private=True))
    assert "đúng 1/1" in me


async def test_typed_answers_tolerate_diacritics_and_typos_but_not_other_years(chat):
    # Walk the lich-su round until the typed question (APEC, 1989) comes up.
    replies = await chat.say("An", "/quiz lich su 4")
    for _ in range(4):
        q = question_of(replies)
        if not q.buttons:
            await chat.say("An", "năm 1989")
            await chat.say("Bình", "1998")
            await chat.say("Chi", "nam 1989")
            break
        replies = await chat.wait(33)
    rows = {r[0]: r[1] for r in await chat.db.fetchall(
        "SELECT u.display_name, a.correct FROM answers a JOIN users u ON u.id = a.user_id")}
    assert rows == {"An": 1, "Bình": 0, "Chi": 1}


async def test_bad_topic_and_counts_get_clear_replies(chat):
    assert "Không có chủ đề này" in texts(await chat.say("An", "/quiz thiên văn"))
    for count in ("0", "21", "500", "10^12", "-3", "99999999999999999999999"):
        refused = await chat.say("An", f"/quiz {count}")
        assert texts(refused) == "Hãy gõ một số từ 1 đến 20. Ví dụ: /quiz lịch sử 5", count
    assert "Hãy gõ một số từ 1 đến 20" in texts(await chat.say("An", "/quiz lich su 21"))
    assert (await chat.db.fetchone("SELECT COUNT(*) FROM rounds"))[0] == 0
    assert "Bắt đầu lượt quiz 4 câu" in texts(await chat.say("An", "/quiz 1.3 20"))   # a topic by its number


async def test_presses_on_unknown_or_forged_buttons_are_refused(chat):
    assert "không còn" in texts(await chat.press("An", "a:999:0"))
    assert "không còn dùng được" in texts(await chat.press("An", "a:x:y"))
    assert "không còn dùng được" in texts(await chat.press("An", "zzz"))
    assert "không còn dùng được" in texts(await chat.press("An", "a:" + "9" * 50 + ":0"))   # not an OverflowError
    assert "không còn dùng được" in texts(await chat.press("An", "a:1:" + "9" * 50))
    assert "không còn dùng được" in texts(await chat.press("An", "a:²:0"))       # a digit, not ASCII
    assert "không còn dùng được" in texts(await chat.press("An", "a:1:²"))
    q = question_of(await chat.say("An", "/quiz lich su 1"))
    elsewhere = await chat.press("An", option_id(q, True), private=True)
    assert "cuộc trò chuyện khác" in texts(elsewhere)
    bad_option = await chat.press("An", f"a:{q.question.asked_id}:9")
    assert "không có trong câu hỏi" in texts(bad_option)
    assert (await chat.db.fetchone("SELECT COUNT(*) FROM answers"))[0] == 0


async def test_names_full_of_markup_are_shown_as_plain_text_and_ping_nobody(chat):
    q = question_of(await chat.say("<b>@everyone</b>", "/quiz lich su 1"))
    await answer(chat, "<b>@everyone</b>", q, right=True)
    reveal = await chat.wait(33)
    shown = texts(reveal)
    assert "<b>@\u2060everyone</b>" in shown
    assert "@everyone" not in shown
    assert all(span.style == "" for r in reveal for span in r.text.spans if "everyone" in span.text)


async def test_restart_mid_round_resumes_and_old_buttons_answer_clearly(mini_course, db_path):
    from tests.conftest import make_chat

    room, context = await make_chat(mini_course, db_path)
    q1 = question_of(await room.say("An", "/quiz lich su 3"))
    now = room.clock.now()
    await context.__aexit__(None, None, None)          # the bot goes down mid-question

    room2, context2 = await make_chat(mini_course, db_path, start=now + timedelta(seconds=40))
    pushed = await room2.wait(0)
    assert "Hết giờ" in texts(pushed)
    q2 = question_of(pushed)
    assert q2.text.plain().startswith("Câu 2/3")
    stale = await room2.press("An", f"a:{q1.question.asked_id}:0")
    assert "hết giờ" in texts(stale)
    await context2.__aexit__(None, None, None)


async def test_restart_long_after_ends_the_round_cleanly(mini_course, db_path):
    from tests.conftest import make_chat

    room, context = await make_chat(mini_course, db_path)
    await room.say("An", "/quiz lich su 3")
    now = room.clock.now()
    await context.__aexit__(None, None, None)
    room2, context2 = await make_chat(mini_course, db_path, start=now + timedelta(hours=3))
    pushed = texts(await room2.wait(0))
    assert "lượt quiz kết thúc" in pushed and "Lượt quiz đã dừng" in pushed
    assert await quiz_store.running_round(room2.db, 1) is None
    assert "Bắt đầu lượt quiz" in texts(await room2.say("An", "/quiz"))
    await context2.__aexit__(None, None, None)


async def test_a_renamed_user_is_shown_with_the_new_name(chat):
    q = question_of(await chat.say("An", "/quiz lich su 1"))
    await chat.press("An", option_id(q, True))
    await chat.wait(33)
    renamed = chat.user("An").__class__("console", "an", "An Nguyễn")
    from bot.events import Command
    top = texts(await chat.bot.handle(Command(renamed, chat.chat, "top", "")))
    assert "1. An Nguyễn —" in top


async def test_a_new_week_starts_from_zero_without_deleting_anything(chat):
    q = question_of(await chat.say("An", "/quiz lien quan 1"))      # one true/false question
    await chat.press("An", option_id(q, True))
    await chat.wait(33)
    assert "1. An —" in texts(await chat.say("An", "/top week"))
    await chat.at("2026-11-30T09:00:00+07:00")                        # next Monday, Ho Chi Minh time
    week = texts(await chat.say("An", "/top week"))
    assert "Chưa có điểm nào" in week and "30/11" in week
    assert "1. An —" in texts(await chat.say("An", "/top month"))
    assert "1. An —" in texts(await chat.say("An", "/top all"))
    assert (await chat.db.fetchone("SELECT COUNT(*) FROM answers"))[0] == 1
    assert "Chọn một trong: week, month, all, streak" in texts(await chat.say("An", "/top yesterday"))


async def test_me_names_the_weakest_topic_once_there_are_enough_answers(chat):
    for _ in range(3):
        replies = await chat.say("An", "/quiz lien quan 1")
        q = question_of(replies)
        await chat.press("An", option_id(q, False))
        await chat.wait(33)
    me = texts(await chat.say("An", "/me"))
    assert "Chủ đề cần ôn: Các khái niệm liên quan (0/3 đúng)" in me


async def test_chatter_is_not_an_answer_and_answer_needs_an_open_typed_question(chat):
    assert await chat.say("An", "chào cả lớp") == []                   # no round: ignored
    none_open = await chat.say("An", "/answer 1989")
    assert none_open[0].to.name == "An" and "Không có câu hỏi nào đang chờ" in texts(none_open)
    q = question_of(await chat.say("An", "/quiz lien quan 1"))          # a true/false question
    assert q.buttons and await chat.say("Bình", "đúng rồi") == []      # buttons, not typing
    assert (await chat.db.fetchone("SELECT COUNT(*) FROM answers"))[0] == 0


async def test_answer_without_text_asks_for_it(chat):
    replies = await chat.say("An", "/quiz lich su 4")
    for _ in range(4):
        q = question_of(replies)
        if not q.buttons:
            empty = await chat.say("Bình", "/answer   ")
            assert "Thiếu câu trả lời của bạn. Ví dụ: /answer 1995" in texts(empty) and empty[0].to.name == "Bình"
            assert (await chat.db.fetchone("SELECT COUNT(*) FROM answers"))[0] == 0
            return
        replies = await chat.wait(33)
    raise AssertionError("the lich-su round has a typed question")


async def test_a_user_without_a_name_is_shown_by_id(chat):
    from bot.events import Command, User
    nameless = User("console", "4242", "\u200b \x00 ")
    me = texts(await chat.bot.handle(Command(nameless, chat.chat, "me", "")))
    assert me.startswith("📊 #4242")
