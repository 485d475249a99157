"""The Telegram adapter end to end: the real python-telegram-bot stack against a fake Bot API."""

import asyncio
import json
import re
from datetime import timedelta

import pytest

from adapters.telegram_adapter import TelegramAdapter
from bot.clock import ManualClock
from tests.conftest import START, Serving
from tests.loopback import until
from tests.fake_telegram import TOKEN, FakeTelegram, parse_html

GROUP = -1001
AN, BINH, CHI, CO = 11, 12, 13, 99


@pytest.fixture
async def tg(real_course, tmp_path):
    fake = FakeTelegram()
    url = await fake.start()
    adapter = TelegramAdapter(TOKEN, base_url=url)
    clock = ManualClock(START)
    try:
        async with Serving(adapter, real_course, tmp_path / "db.sqlite3", clock) as served:
            fake.adapter = adapter
            yield fake, served.bot, clock
        assert served.code == 0
    finally:
        await fake.stop()


def texts(fake):
    """What users see: the sent HTML parsed as the Bot API parses it."""
    return [parse_html(p["text"]) for p in fake.sent()]


async def test_start_up_registers_the_command_menu_in_vietnamese(tg):
    fake, _, _ = tg
    commands = await fake.wait_for(lambda f: f.sent("setMyCommands"))
    names = [c["command"] for c in commands[0]["commands"]]
    assert {"define", "quiz", "top", "me", "daily", "help", "answer"} <= set(names)
    assert any("định nghĩa" in c["description"] for c in commands[0]["commands"])


async def test_define_with_and_without_the_bot_suffix_and_not_for_other_bots(tg):
    fake, _, _ = tg
    fake.type(GROUP, AN, "An", "/define hnqt")
    fake.type(GROUP, AN, "An", "/define@StudyBot toan cau hoa")
    fake.type(GROUP, AN, "An", "/define@OtherBot toan cau hoa")
    fake.type(GROUP, AN, "An", "/help")
    sent = await fake.wait_for(lambda f: len(f.sent()) >= 3 and f.sent())
    await fake.wait_for(lambda f: any(t.startswith("Chào bạn") for t in texts(f)))
    cards = [t for t in texts(fake) if not t.startswith("Chào bạn")]
    assert cards[0].startswith("Hội nhập quốc tế")
    assert cards[1].startswith("Toàn cầu hóa")
    assert sent[0]["text"].startswith("<b>Hội nhập quốc tế</b>")
    assert len(cards) == 2                                  # the other bot's command was ignored
    assert sent[0]["parse_mode"] == "HTML"
    buttons = sent[0]["reply_markup"]["inline_keyboard"]
    assert buttons and buttons[0][0]["callback_data"].startswith("d:")


async def test_a_4000_character_argument_and_markup_get_a_clear_reply(tg):
    fake, _, _ = tg
    fake.type(GROUP, AN, "An", "/define " + "<b>&" * 1000)
    fake.type(GROUP, AN, "An", "/define " + "x" * 4000)
    replies = await fake.wait_for(lambda f: len(f.sent()) >= 2 and f.sent())
    for reply in replies:
        assert "Không tìm thấy" in parse_html(reply["text"]) or "khớp" in parse_html(reply["text"])


def questions_sent(fake) -> list[tuple[str, dict]]:
    """Every question put to the chat, in order: ("poll", call) or ("message", call)."""
    out = []
    for method, params in fake.calls:
        if method == "sendPoll":
            out.append(("poll", params))
        elif method == "sendMessage" and re.search(r"(^|\n)Câu \d+/\d+ ·", parse_html(params["text"])):
            out.append(("message", params))
    return out


async def answer(fake, bot, kind, call, user_id, name, right):
    if kind == "poll":
        poll_id = next(pid for pid, p in fake.polls.items() if p["question"] == call["question"])
        correct = call["correct_option_ids"][0]
        fake.vote(poll_id, user_id, name, correct if right else (correct + 1) % len(call["options"]))
        return
    buttons = (call.get("reply_markup") or {}).get("inline_keyboard")
    if buttons:
        asked_id = int(buttons[0][0]["callback_data"].split(":")[1])
        row = await bot.core.db.fetchone("SELECT correct, options FROM asked WHERE id = ?", (asked_id,))
        option = row[0] if right else (row[0] + 1) % len(json.loads(row[1]))
        fake.press(GROUP, user_id, name, f"a:{asked_id}:{option}")
        return
    asked = await bot.core.db.fetchone("SELECT question_id FROM asked ORDER BY id DESC LIMIT 1")
    question = bot.core.course.questions[asked[0]]
    fake.type(GROUP, user_id, name, str(question.answer) if right else "không biết")


async def answers_recorded(bot) -> int:
    return (await bot.core.db.fetchone("SELECT COUNT(*) FROM answers"))[0]


async def test_a_quiz_round_with_poll_votes_from_three_users(tg):
    fake, bot, clock = tg
    fake.type(GROUP, AN, "An", "/quiz lien quan 3")
    for position in range(1, 4):
        await fake.wait_for(lambda f: len(questions_sent(f)) >= position)
        kind, call = questions_sent(fake)[position - 1]
        for user_id, name, right in ((AN, "An", True), (BINH, "Bình", False), (CHI, "Chi", True)):
            await answer(fake, bot, kind, call, user_id, name, right)
        await until(lambda: _at_least(bot, 3 * position), f"{kind} question {position}")
        if kind == "poll" or position == 1:   # a poll, and the first question, run their time;
            clock.move_to(clock.now() + timedelta(seconds=34))   # later ones close once all answered
            await bot.run_due()
    end = await fake.wait_for(lambda f: [t for t in texts(f) if "Kết thúc lượt quiz" in t])
    assert "1. An —" in end[0] or "1. Chi —" in end[0]
    assert "Bình — 0 điểm (0/3 câu đúng)" in end[0]
    assert any(kind == "poll" for kind, _ in questions_sent(fake))
    assert all(p["is_anonymous"] in (False, "false", "False") for p in fake.sent("sendPoll"))


async def _paused(bot):
    row = await bot.core.db.fetchone("SELECT paused_reason FROM daily_schedules")
    return row[0] == "removed"


async def _at_least(bot, n):
    return await answers_recorded(bot) >= n


async def test_a_button_pressed_twice_counts_once_with_a_private_toast(tg):
    fake, bot, _ = tg
    fake.type(GROUP, AN, "An", "/define quang hop")          # suggestions come as buttons
    sent = await fake.wait_for(lambda f: f.sent())
    data = sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    fake.press(GROUP, AN, "An", data)
    await fake.wait_for(lambda f: f.sent("answerCallbackQuery") and len(f.sent()) >= 2)
    # now a question sent with buttons (the operator's choice instead of polls)
    fake.adapter.polls = False
    fake.type(GROUP, AN, "An", "/quiz lien quan 20")
    call = None
    for position in range(1, 21):
        await fake.wait_for(lambda f: len(questions_sent(f)) >= position)
        kind, candidate = questions_sent(fake)[position - 1]
        if candidate.get("reply_markup"):
            call = candidate
            break
        bot.core.clock.move_to(bot.core.clock.now() + timedelta(seconds=34))
        await bot.run_due()
    assert call is not None, "no question with buttons in 20"
    data = call["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    before = await answers_recorded(bot)
    fake.press(GROUP, BINH, "Bình", data)
    fake.press(GROUP, BINH, "Bình", data)
    toasts = await fake.wait_for(lambda f: len(f.sent("answerCallbackQuery")) >= 3 and f.sent("answerCallbackQuery"))
    assert "đã trả lời câu này rồi" in toasts[-1]["text"]
    assert await answers_recorded(bot) == before + 1


async def test_daily_time_by_an_admin_and_by_a_member(tg):
    fake, bot, _ = tg
    fake.admins.add(CO)
    fake.type(GROUP, AN, "An", "/daily time 07:00")
    refused = await fake.wait_for(lambda f: f.sent())
    assert "quản trị viên" in parse_html(refused[0]["text"])
    fake.type(GROUP, CO, "Cô Hoa", "/daily on 07:30")
    await fake.wait_for(lambda f: any("đang bật" in t for t in texts(f)))
    assert any(m == "getChatMember" for m, _ in fake.calls)
    row = await bot.core.db.fetchone("SELECT post_time, enabled FROM daily_schedules")
    assert tuple(row) == ("07:30", 1)


async def test_a_429_during_a_daily_post_is_waited_out_and_the_post_arrives(tg):
    fake, bot, clock = tg
    fake.admins.add(CO)
    fake.type(GROUP, CO, "Cô", "/daily on 09:00")
    await fake.wait_for(lambda f: any("đang bật" in t for t in texts(f)))
    fake.fail_next["sendPoll"] = 1
    fake.fail_next["sendMessage"] = 1
    tried_before = len([m for m, _ in fake.calls if m in ("sendPoll", "sendMessage")])
    clock.move_to(START + timedelta(hours=1))
    await bot.run_due()
    delivered = await fake.wait_for(lambda f: [
        p for m, p in f.delivered if m == "sendPoll"
        or (m == "sendMessage" and re.match(r"📅 Câu hỏi mỗi ngày \d", parse_html(p["text"])))])
    tried = len([m for m, _ in fake.calls if m in ("sendPoll", "sendMessage")]) - tried_before
    assert len(delivered) == 1                      # the post arrived, once
    assert tried == 2                               # after one "retry after" answer


async def test_a_user_named_with_markup_breaks_nothing(tg):
    fake, bot, clock = tg
    fake.type(GROUP, 21, "<b>A & B</b>", "/me")
    me = await fake.wait_for(lambda f: f.sent())
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in me[0]["text"]


async def test_a_chat_that_removed_the_bot_pauses_its_daily(tg):
    fake, bot, clock = tg
    fake.admins.add(CO)
    fake.type(GROUP, CO, "Cô", "/daily on 09:00")
    await fake.wait_for(lambda f: any("đang bật" in t for t in texts(f)))
    fake.refuse_chats.add(GROUP)
    clock.move_to(START + timedelta(hours=1, seconds=1))
    await bot.run_due()
    await until(lambda: _paused(bot), "the schedule is paused")
    await bot.core.outbox.idle()
    assert (await bot.core.db.fetchone("SELECT COUNT(*) FROM asked"))[0] == 0   # the day is not used up


async def test_studybot_run_with_a_token_serves_telegram_and_stops_on_sigterm(tmp_path):
    import os
    import signal
    import sys

    fake = FakeTelegram()
    url = await fake.start()
    env = dict(os.environ, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=url)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "studybot.cli", "run", "--db", str(tmp_path / "db.sqlite3"),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await fake.wait_for(lambda f: f.sent("setMyCommands"), timeout=30)
        fake.type(GROUP, AN, "An", "/define@StudyBot hoi nhap quoc te")
        card = await fake.wait_for(lambda f: f.sent(), timeout=30)
        assert parse_html(card[0]["text"]).startswith("Hội nhập quốc tế")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
        await fake.stop()
    assert proc.returncode == 0, err.decode()
    assert TOKEN not in err.decode()                     # the token never reaches the log


async def test_inline_mode_offers_matching_cards(tg):
    fake, _, _ = tg
    fake.inline(AN, "hnqt")
    answered = await fake.wait_for(lambda f: f.sent("answerInlineQuery"))
    results = answered[0]["results"]
    assert results[0]["title"] == "Hội nhập quốc tế"
    assert results[0]["input_message_content"]["parse_mode"] == "HTML"


async def test_webhook_mode_receives_updates_over_http(real_course, tmp_path):
    import socket

    import aiohttp

    fake = FakeTelegram()
    url = await fake.start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    adapter = TelegramAdapter(TOKEN, base_url=url, webhook_url=f"http://127.0.0.1:{port}/tg", port=port)
    served = Serving(adapter, real_course, tmp_path / "db.sqlite3", ManualClock(START))
    await served.__aenter__()
    try:
        webhook = fake.sent("setWebhook")[0]
        assert webhook["url"] == f"http://127.0.0.1:{port}/tg"
        update = {"update_id": 1, "message": fake._message(GROUP, text="/define hnqt", entities=[
            {"type": "bot_command", "offset": 0, "length": 7}]) | {"from": fake.user(AN, "An")}}
        async with aiohttp.ClientSession() as session:
            async with session.post(f"http://127.0.0.1:{port}/tg", json=update) as forged:
                assert forged.status == 403                 # no secret header: refused
            headers = {"X-Telegram-Bot-Api-Secret-Token": webhook["secret_token"]}
            async with session.post(f"http://127.0.0.1:{port}/tg", json=update, headers=headers) as response:
                assert response.status == 200
        card = await fake.wait_for(lambda f: f.sent())
        assert parse_html(card[0]["text"]).startswith("Hội nhập quốc tế")
    finally:
        await served.__aexit__(None, None, None)
        await fake.stop()
    assert served.code == 0


async def test_a_chat_telegram_no_longer_finds_is_treated_as_gone(tg, caplog):
    fake, bot, _ = tg
    fake.bad_request_next.add("sendMessage")             # 400 "Bad Request: chat not found"
    fake.type(GROUP, AN, "An", "/help")
    await fake.wait_for(lambda f: f.sent())
    await bot.core.outbox.idle()
    assert "telegram:-1001 is gone (deleted" in caplog.text
    assert not [p for m, p in fake.delivered if m == "sendMessage"]


async def test_a_group_admin_switches_the_language_and_a_member_cannot(tg):
    fake, bot, _ = tg
    fake.admins.add(CO)
    fake.type(GROUP, AN, "An", "/lang en")
    await fake.wait_for(lambda f: f.sent())
    fake.type(GROUP, CO, "Cô Hoa", "/lang@StudyBot en")
    await fake.wait_for(lambda f: len(f.sent()) >= 2)
    fake.type(GROUP, AN, "An", "/help")
    replies = await fake.wait_for(lambda f: len(f.sent()) >= 3 and texts(f))
    assert "quản trị viên" in replies[0]
    assert "English" in replies[1]
    assert replies[2].startswith("Hello!")


def test_telegram_refuses_what_the_adapter_would_not_send_as_a_poll():
    from adapters.telegram_adapter import poll_overflows
    from bot.replies import QuestionCard

    fits = QuestionCard(1, "ASEAN ra đời năm nào?", ("1967", "1976"), 0, "Năm 1967.", 30)
    assert poll_overflows(fits) == []
    assert poll_overflows(QuestionCard(1, "?" * 301, ("a", "b"), 0, "", 30)) == ["prompt 301 > 300"]
    assert poll_overflows(QuestionCard(1, "Gõ đáp án", (), -1, "", 30)) == ["typed answer"]
    assert poll_overflows(QuestionCard(1, "?", tuple("abcdefghijklm"), 0, "", 30)) == ["13 options, not 2 to 12"]
    assert poll_overflows(QuestionCard(1, "?", ("a", "x" * 101), 0, "a\nb\nc\nd", 30)) == [
        "option 101 > 100", "explanation has more than 2 line feeds"]


async def test_review_runs_in_the_private_chat_from_nudge_to_answer(tg):
    fake, bot, clock = tg
    fake.type(AN, AN, "An", "/review on 20:00")                   # a private chat: its id is the user's
    await fake.wait_for(lambda f: any("Đã bật nhắc ôn tập" in t for t in texts(f)))
    fake.type(GROUP, AN, "An", "/quiz lien quan 1")
    kind, call = (await fake.wait_for(lambda f: questions_sent(f)))[0]
    await answer(fake, bot, kind, call, AN, "An", right=False)
    await until(lambda: _at_least(bot, 1), "the miss")
    polls = len(fake.sent("sendPoll"))
    clock.move_to(START + timedelta(days=1, hours=12))            # Tuesday 20:00
    await bot.run_due()
    nudge = await fake.wait_for(lambda f: [p for p in f.sent() if "Đến giờ ôn tập" in parse_html(p["text"])])
    fake.press(AN, AN, "An", nudge[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
    shown = await fake.wait_for(lambda f: [p for p in f.sent() if parse_html(p["text"]).startswith("🧠 Ôn tập ·")])
    fake.press(AN, AN, "An", shown[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
    await fake.wait_for(lambda f: any("Xong!" in t for t in texts(f)))
    review = [p for p in fake.sent() if any(w in parse_html(p["text"]) for w in ("🧠", "Chính xác", "Chưa đúng. Đáp án", "Xong"))]
    assert len(review) >= 3 and {int(p["chat_id"]) for p in review} == {AN}   # nothing in the group
    assert len(fake.sent("sendPoll")) == polls                      # review questions are never polls
    assert (await bot.core.db.fetchone("SELECT COUNT(*) FROM review_log WHERE source = 'review'"))[0] == 1
