"""Delivery on Telegram under its real rules, end to end through python-telegram-bot against the
fake Bot API, with every window and timeout scaled by SCALE (a minute lasts 3 seconds)."""

import asyncio
from datetime import timedelta

import pytest

from adapters.telegram_adapter import TelegramAdapter
from bot.clock import ManualClock
from bot.delivery.transport import Limits
from bot.settings import Settings
from tests.conftest import START, TEST_SETTINGS, Serving
from tests.fake_telegram import TOKEN, FakeTelegram, parse_html
from tests.loopback import until

SCALE = 0.05
MINUTE = 60 * SCALE
A, B, C = -1001, -1002, -1003
AN, BINH, CO = 11, 12, 99


def scaled_adapter(url: str, **options) -> TelegramAdapter:
    limits = Limits(group=(20, MINUTE), private=(1, SCALE), overall=(30, SCALE))
    return TelegramAdapter(TOKEN, base_url=url, limits=limits, ack_within=0.2, **options)


@pytest.fixture
async def served(real_course, tmp_path, request):
    fake = FakeTelegram.scaled(SCALE)
    url = await fake.start()
    for chat in (A, B, C):
        fake.add_chat(chat, "supergroup")
    settings = getattr(request, "param", TEST_SETTINGS)
    adapter = scaled_adapter(url)
    try:
        async with Serving(adapter, real_course, tmp_path / "db.sqlite3", ManualClock(START), settings) as serving:
            serving.fake = fake
            yield serving
        assert serving.code == 0
    finally:
        await fake.stop()


def texts_in(fake, chat: int) -> list[str]:
    return [parse_html(p["text"]) for m, p in fake.delivered if m == "sendMessage" and int(p["chat_id"]) == chat]


async def question_with_buttons(fake, serving, chat: int) -> dict:
    """Start a round in `chat` whose first question has answer buttons; its sendMessage call."""
    serving.adapter.polls = False
    for _ in range(10):
        before = len(fake.delivered)
        fake.type(chat, CO, "Cô", "/quiz 1")
        call = await fake.wait_for(lambda f: next(
            (p for m, p in f.delivered[before:] if m == "sendMessage" and int(p["chat_id"]) == chat
             and "Câu 1/1" in parse_html(p["text"])), None))
        if call.get("reply_markup"):
            return call
        fake.type(chat, CO, "Cô", "/stop")
        await fake.wait_for(lambda f: any("dừng" in t for t in texts_in(f, chat)[-1:]))
    raise AssertionError("no question with buttons")


async def answers(serving) -> int:
    return (await serving.bot.core.db.fetchone("SELECT COUNT(*) FROM answers"))[0]


async def answers_reach(serving, count: int) -> bool:
    return await answers(serving) >= count


@pytest.mark.parametrize("served", [Settings()], indirect=True)        # the real flood limits
async def test_a_flooded_group_slows_no_other_chat_and_earns_no_429(served):
    fake = served.fake
    question = await question_with_buttons(fake, served, C)
    buttons = [b["callback_data"] for row in question["reply_markup"]["inline_keyboard"] for b in row
               if b["callback_data"].startswith("a:")]
    for _ in range(50):                                  # one student floods group A
        fake.type(A, AN, "An", "/define hnqt")
    for n in range(30):                                  # and the class looks things up there too
        fake.type(A, 100 + n, f"Bạn {n}", "/define toan cau hoa")
    pressed = [fake.press(C, 200 + n, f"Trò {n}", buttons[n % len(buttons)]) for n in range(10)]
    asked_at = asyncio.get_running_loop().time()
    fake.type(B, BINH, "Bình", "/help")
    await fake.wait_for(lambda f: any(t.startswith("Chào bạn") for t in texts_in(f, B)))
    assert asyncio.get_running_loop().time() - asked_at < 1.0       # /help in group B is not held up
    await fake.wait_for(lambda f: all(f.callbacks[q].answered for q in pressed))
    assert all(fake.callbacks[q].latency < fake.callback_timeout and not fake.callbacks[q].refused
               for q in pressed)                                    # every press acknowledged in time
    cards = lambda f: sum(t.count("Toàn cầu hóa (TCH") for t in texts_in(f, A))  # noqa: E731
    await fake.wait_for(lambda f: cards(f) >= 30, timeout=20)      # every classmate got the card
    await served.outbox.idle()
    assert cards(fake) == 30
    assert fake.count_429() == 0
    flood_notices = [t for t in texts_in(fake, A) if "nhanh quá" in t]
    assert len(flood_notices) == 1                                  # one notice, then silence
    assert sum(t.count("Hội nhập quốc tế (HNQT") for t in texts_in(fake, A)) == 5
    assert fake.max_in_window(A, MINUTE) <= 20
    assert len(texts_in(fake, A)) < 36                              # the burst shared messages


async def test_a_class_of_forty_plays_a_round_without_a_single_429(served):
    fake, bot = served.fake, served.bot
    served.adapter.polls = False
    fake.type(A, CO, "Cô", "/quiz 6")
    for position in range(1, 7):
        await fake.wait_for(lambda f: next(
            (p for m, p in f.delivered if m == "sendMessage" and int(p["chat_id"]) == A
             and f"Câu {position}/6" in parse_html(p["text"])), None), timeout=20)
        asked = await bot.core.db.fetchone("SELECT id, correct, options FROM asked WHERE position = ?", (position,))
        for student in range(40):
            if asked[2] == "[]":
                fake.type(A, 300 + student, f"Trò {student}", "không biết")
            else:
                fake.press(A, 300 + student, f"Trò {student}", f"a:{asked[0]}:{student % 2}")
        if asked[2] == "[]" or position == 1:   # the first question, and one nobody gets right,
            await until(lambda: answers_reach(served, position * 40))     # run their time out
            served.clock.move_to(served.clock.now() + timedelta(seconds=40))
            await bot.run_due()
    await fake.wait_for(lambda f: any("Kết thúc lượt quiz" in t for t in texts_in(f, A)), timeout=20)
    assert await answers(served) == 6 * 40
    assert fake.count_429() == 0
    assert fake.max_in_window(A, MINUTE) <= 20
    assert len(texts_in(fake, A)) <= 8            # reveals share a message with the next question


async def test_a_question_delayed_by_retry_after_gets_its_full_time_and_its_reveal_after_it(served):
    fake, bot, clock = served.fake, served.bot, served.clock
    served.adapter.polls = False
    fake.fail_next["sendMessage"] = 0.6                   # the question waits for "retry after"
    fake.type(A, CO, "Cô", "/quiz lich su 2")
    await asyncio.sleep(0.1)
    clock.move_to(clock.now() + timedelta(seconds=31))   # its time would be up, counted from queueing
    await bot.run_due()
    first = await fake.wait_for(lambda f: [t for t in texts_in(f, A) if "Câu 1/2" in t], timeout=5)
    row = await bot.core.db.fetchone("SELECT asked_at, closes_at, closed_at FROM asked WHERE position = 1")
    assert row[2] is None                                 # not revealed before it was shown
    clock.move_to(clock.now() + timedelta(seconds=29))
    await served.due()
    assert (await bot.core.db.fetchone("SELECT closed_at FROM asked WHERE position = 1"))[0] is None
    clock.move_to(clock.now() + timedelta(seconds=5))     # 30 s and the grace after it was shown
    await served.due()
    shown = texts_in(fake, A)
    reveal = next(n for n, t in enumerate(shown) if "Hết giờ" in t)
    assert reveal > shown.index(first[0])
    assert [r for r in fake.refusals if r[2] == 429] and fake.count_429() == 0   # only the one we forced


async def test_a_vote_that_overtakes_its_poll_s_delivery_is_still_counted(served):
    fake, bot = served.fake, served.bot

    async def vote_first(method, params, result):
        if method == "sendPoll":
            poll = result["poll"]
            fake.vote(poll["id"], BINH, "Bình", int(params["correct_option_ids"][0]))
            await asyncio.sleep(0.3)                      # the vote reaches the bot before this reply

    fake.after = vote_first
    for _ in range(10):
        fake.type(A, CO, "Cô", "/quiz 1")
        await fake.wait_for(lambda f: f.sent("sendPoll") or [t for t in texts_in(f, A) if "Câu 1/1" in t])
        if fake.sent("sendPoll"):
            break
        fake.type(A, CO, "Cô", "/stop")
        await served.outbox.idle()
    await fake.wait_for(lambda f: f.sent("sendPoll"))
    await until(lambda: answers_reach(served, 1), "the early vote")
    row = await bot.core.db.fetchone("SELECT correct, points FROM answers")
    assert tuple(row) == (1, 15)                          # right, with the full speed bonus


async def test_a_typed_answer_in_a_group_gets_no_public_verdict(served):
    fake, bot = served.fake, served.bot
    served.adapter.polls = False
    fake.type(BINH, BINH, "Bình", "/start")               # Bình opened a private chat with the bot
    await fake.wait_for(lambda f: texts_in(f, BINH))
    typed = None
    for attempt in range(40):
        fake.type(A, CO, "Cô", "/quiz 1")
        await fake.wait_for(lambda f: len([t for t in texts_in(f, A) if "Câu 1/1" in t]) > attempt)
        typed = await bot.core.db.fetchone(
            "SELECT id, question_id FROM asked WHERE closed_at IS NULL AND options = '[]'")
        if typed:
            break
        fake.type(A, CO, "Cô", "/stop")
        await fake.wait_for(lambda f: len([t for t in texts_in(f, A) if "Lượt quiz đã dừng" in t]) > attempt)
    answer = str(bot.core.course.questions[typed[1]].answer)
    message = fake.type(A, AN, "An", answer)
    fake.type(A, BINH, "Bình", "sai bét")
    await fake.wait_for(lambda f: f.reactions.get((A, message)))
    await fake.wait_for(lambda f: any("Chưa đúng" in t for t in texts_in(f, BINH)))
    assert fake.reactions[(A, message)] == ["👀"]
    assert not [t for t in texts_in(fake, A) if "Chính xác" in t or "Chưa đúng" in t]
    assert await answers(served) == 2


async def test_a_refused_daily_post_pauses_without_using_the_day_and_is_posted_when_back(served):
    fake, bot, clock = served.fake, served.bot, served.clock
    fake.admins.add(CO)
    fake.type(A, CO, "Cô", "/daily on 09:00")
    await fake.wait_for(lambda f: any("đang bật" in t for t in texts_in(f, A)))
    fake.kick(A)
    await served.outbox.idle()
    await asyncio.sleep(0.2)
    clock.move_to(START + timedelta(hours=1, minutes=5))
    await served.due()
    await asyncio.sleep(0.1)
    row = await bot.core.db.fetchone("SELECT paused_reason FROM daily_schedules")
    assert row[0] == "removed"
    assert (await bot.core.db.fetchone("SELECT COUNT(*) FROM asked"))[0] == 0
    fake.readd(A)
    fake.type(A, AN, "An", "/daily")
    paused = await fake.wait_for(lambda f: [t for t in texts_in(f, A) if "tạm dừng" in t])
    assert "/daily on" in paused[-1] and "refused" not in paused[-1]
    fake.type(A, CO, "Cô", "/daily on")
    await fake.wait_for(lambda f: any("đang bật" in t for t in texts_in(f, A)[-1:]))
    await served.due()
    await fake.wait_for(lambda f: f.sent("sendPoll") or any("📅 Câu hỏi mỗi ngày" in t for t in texts_in(f, A)))
    assert (await bot.core.db.fetchone("SELECT daily_day, delivered_at IS NOT NULL FROM asked"))[:] == \
        ("2026-11-23", 1)


async def test_a_group_that_becomes_a_supergroup_keeps_its_scores_and_gets_the_next_message(served):
    fake, bot = served.fake, served.bot
    old, new = -2001, -1002001
    fake.add_chat(old, "group")
    fake.type(old, AN, "An", "/me")
    await fake.wait_for(lambda f: texts_in(f, old))
    chat_id = (await bot.core.db.fetchone("SELECT id FROM chats WHERE platform_id = ?", (str(old),)))[0]
    await bot.core.db.write("INSERT INTO daily_schedules (chat_id, enabled, post_time, updated_at) "
                            "VALUES (?, 1, '09:00', 'x')", (chat_id,))
    fake.migrate(old, new)

    async def moved():
        row = await bot.core.db.fetchone("SELECT platform_id FROM chats WHERE id = ?", (chat_id,))
        return row[0] == str(new)

    await until(moved, "the chat's rows moved to the new id")
    assert (await bot.core.db.fetchone("SELECT chat_id FROM daily_schedules"))[0] == chat_id
    fake.type(new, AN, "An", "/daily")
    await fake.wait_for(lambda f: any("đang bật" in t for t in texts_in(f, new)))


async def test_a_message_sent_to_the_old_id_of_a_migrated_group_follows_it(served):
    fake, bot = served.fake, served.bot
    old, new = -2002, -1002002
    fake.add_chat(old, "group")
    fake.type(old, AN, "An", "/me")
    await fake.wait_for(lambda f: texts_in(f, old))
    fake.migrated[old] = new                      # the group moved, and we have not heard yet
    fake.add_chat(new, "supergroup")
    from bot.events import Chat
    from bot.replies import Reply
    from bot.text import plain
    await served.outbox.post(Chat("telegram", str(old), True), [Reply(plain("Câu hỏi tiếp theo"), game=True)])
    await fake.wait_for(lambda f: "Câu hỏi tiếp theo" in texts_in(f, new))
    assert (await bot.core.db.fetchone("SELECT COUNT(*) FROM chats WHERE platform_id = ?", (str(new),)))[0] == 1


async def test_the_bot_removed_from_a_group_pauses_its_daily_at_once(served):
    fake, bot = served.fake, served.bot
    fake.admins.add(CO)
    fake.type(A, CO, "Cô", "/daily on 09:00")
    await fake.wait_for(lambda f: any("đang bật" in t for t in texts_in(f, A)))
    fake.kick(A)

    async def paused():
        return (await bot.core.db.fetchone("SELECT paused_reason FROM daily_schedules"))[0]

    assert await until(paused, "the daily paused") == "removed"


async def test_an_edited_command_is_not_run_again_and_a_tab_separates_arguments(served):
    fake = served.fake
    message = fake.type(A, AN, "An", "/define\tHNQT")
    card = await fake.wait_for(lambda f: texts_in(f, A))
    assert card[0].startswith("Hội nhập quốc tế")
    fake.edit(A, AN, "An", message, "/define toan cau hoa")
    fake.type(A, AN, "An", "/define\u00a0toàn cầu hóa")
    await fake.wait_for(lambda f: len(texts_in(f, A)) >= 2)
    await served.outbox.idle()
    await asyncio.sleep(0.2)
    shown = texts_in(fake, A)
    assert len(shown) == 2 and shown[1].startswith("Toàn cầu hóa")


async def test_the_menus_come_from_the_command_table_in_both_languages(served):
    from bot.commands import COMMANDS
    fake = served.fake
    everyone = [s.name for s in COMMANDS if not s.admins_only]
    assert [c for c, _ in fake.menu("default")] == everyone
    assert [c for c, _ in fake.menu("default", language="en")] == everyone
    assert [c for c, _ in fake.menu("all_chat_administrators")] == [s.name for s in COMMANDS]
    assert [c for c, _ in fake.menu("all_chat_administrators", language="en")] == [s.name for s in COMMANDS]
    english = dict(fake.menu("default", language="en"))
    assert english["define"].startswith("look up") and dict(fake.menu("default"))["define"].startswith("tra")


async def test_an_undeliverable_reply_is_logged_and_answered_with_an_apology(served, caplog):
    fake = served.fake
    fake.refuse_next["sendMessage"] = "can't parse entities: unsupported start tag"
    fake.type(A, AN, "An", "/help")
    apology = await fake.wait_for(lambda f: [t for t in texts_in(f, A) if t.startswith("Xin lỗi")])
    assert apology == ["Xin lỗi, mình chưa gửi được câu trả lời này. Hãy thử lại sau."]
    assert "telegram refused a message to telegram:-1001: Can't parse entities" in caplog.text


async def test_a_slow_core_still_acknowledges_a_press_in_time_and_its_verdict_stays_private(served, monkeypatch):
    fake, bot = served.fake, served.bot
    fake.type(BINH, BINH, "Bình", "/start")               # Bình opened a private chat, An did not
    await fake.wait_for(lambda f: texts_in(f, BINH))
    question = await question_with_buttons(fake, served, A)
    data = question["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    real = bot.handle

    async def slow(event):
        await asyncio.sleep(0.5)
        return await real(event)

    monkeypatch.setattr(bot, "handle", slow)
    queries = [fake.press(A, AN, "An", data), fake.press(A, BINH, "Bình", data)]
    await fake.wait_for(lambda f: all(f.callbacks[q].answered for q in queries))
    for query in queries:
        assert fake.callbacks[query].latency < 0.45 and not fake.callbacks[query].refused
    assert [p.get("text") for p in fake.sent("answerCallbackQuery")[-2:]] == [None, None]   # no toast yet
    await until(lambda: answers_reach(served, 2), "the slow answers")
    verdict = await fake.wait_for(lambda f: [t for t in texts_in(f, BINH) if "Chính xác" in t or "Chưa đúng" in t])
    assert len(verdict) == 1 and await answers(served) == 2
    assert not [t for t in texts_in(fake, A) if "Chính xác" in t or "Chưa đúng" in t]


async def test_a_wrong_token_or_an_unreachable_server_stops_with_one_line(real_course, tmp_path, caplog):
    from adapters.contract import Fatal
    from bot.delivery.outbox import Outbox
    from studybot.app import EXIT_FIX, open_bot, serve

    fake = FakeTelegram()
    url = await fake.start()
    wrong = TelegramAdapter("999:wrong", base_url=url)
    unreachable = TelegramAdapter(TOKEN, base_url="http://127.0.0.1:9", connect_attempts=3, retry_delay=0.01)
    try:
        for adapter, line in ((wrong, "TELEGRAM_BOT_TOKEN was refused by Telegram"),
                              (unreachable, "cannot reach Telegram at http://127.0.0.1:9")):
            outbox = Outbox()
            caplog.clear()
            async with open_bot(None, tmp_path / "db.sqlite3", ManualClock(START), outbox, course=real_course) as bot:
                code = await asyncio.wait_for(serve(bot, outbox, [adapter], asyncio.Event(), tick=False), 30)
            assert code == EXIT_FIX
            critical = [r.getMessage() for r in caplog.records if r.levelname == "CRITICAL"]
            assert len(critical) == 1 and line in critical[0], critical
    finally:
        await fake.stop()
    attempts = [r for r in caplog.records if r.levelname == "WARNING" and "attempt" in r.getMessage()]
    assert len(attempts) == 2                       # one line per failed attempt before giving up
    assert Fatal


async def test_a_stop_while_still_connecting_is_honoured_at_once(real_course, tmp_path):
    from bot.delivery.outbox import Outbox
    from studybot.app import EXIT_OK, open_bot, serve

    adapter = TelegramAdapter(TOKEN, base_url="http://127.0.0.1:9", connect_attempts=5, retry_delay=5.0)
    outbox, stop = Outbox(), asyncio.Event()
    async with open_bot(None, tmp_path / "db.sqlite3", ManualClock(START), outbox, course=real_course) as bot:
        serving = asyncio.create_task(serve(bot, outbox, [adapter], stop, tick=False))
        await asyncio.sleep(0.3)                 # the first attempt failed; it waits 5 s to retry
        began = asyncio.get_running_loop().time()
        stop.set()                               # SIGTERM
        assert await asyncio.wait_for(serving, 3) == EXIT_OK
        assert asyncio.get_running_loop().time() - began < 1.0


async def test_a_platform_that_fails_while_another_still_connects_stops_the_process_at_once(real_course, tmp_path):
    """Telegram up and failing for good while another platform still retries its connection:
    the failure is not left unseen until the other gives up."""
    from bot.delivery.outbox import Outbox
    from studybot.app import EXIT_FIX, open_bot, serve

    fake = FakeTelegram()
    url = await fake.start()
    up = TelegramAdapter(TOKEN, base_url=url)
    connecting = TelegramAdapter(TOKEN, base_url="http://127.0.0.1:9", connect_attempts=5, retry_delay=5.0)
    connecting.platform = "other"
    outbox = Outbox()
    try:
        async with open_bot(None, tmp_path / "db.sqlite3", ManualClock(START), outbox, course=real_course) as bot:
            serving = asyncio.create_task(serve(bot, outbox, [up, connecting], asyncio.Event(), tick=False))
            await fake.wait_for(lambda f: f.sent("setMyCommands"))
            fake.other_poller = True
            assert await asyncio.wait_for(serving, 3) == EXIT_FIX
    finally:
        await fake.stop()


@pytest.mark.parametrize("fault, line", [
    ("other_poller", "another process is receiving updates for this TELEGRAM_BOT_TOKEN"),
    ("revoked", "TELEGRAM_BOT_TOKEN stopped working"),
])
async def test_a_token_taken_or_revoked_while_running_stops_with_one_line(real_course, tmp_path, caplog, fault, line):
    from bot.delivery.outbox import Outbox
    from studybot.app import EXIT_FIX, open_bot, serve

    fake = FakeTelegram()
    url = await fake.start()
    adapter = TelegramAdapter(TOKEN, base_url=url)
    outbox = Outbox()
    try:
        async with open_bot(None, tmp_path / "db.sqlite3", ManualClock(START), outbox, course=real_course) as bot:
            serving = asyncio.create_task(serve(bot, outbox, [adapter], asyncio.Event(), tick=False))
            await fake.wait_for(lambda f: adapter.alive())
            setattr(fake, fault, True)
            assert await asyncio.wait_for(serving, 5) == EXIT_FIX
    finally:
        await fake.stop()
    critical = [r.getMessage() for r in caplog.records if r.levelname == "CRITICAL"]
    assert len(critical) == 1 and line in critical[0], critical


async def test_a_private_reply_in_a_group_goes_to_the_private_chat_or_leaves_only_a_pointer(served):
    fake = served.fake
    fake.admins.add(CO)
    fake.type(A, CO, "Cô", "/stats")                     # Cô never opened a private chat
    pointer = await fake.wait_for(lambda f: [p for m, p in f.delivered if m == "sendMessage" and int(p["chat_id"]) == A])
    assert parse_html(pointer[0]["text"]).startswith("📩 Cô: mình có câu trả lời riêng cho bạn.")
    button = pointer[0]["reply_markup"]["inline_keyboard"][0][0]
    assert button == {"text": "Mở chat riêng", "url": "https://t.me/StudyBot?start=hi"}
    fake.type(CO, CO, "Cô", "/start")
    await fake.wait_for(lambda f: texts_in(f, CO))
    fake.type(A, CO, "Cô", "/stats")
    await fake.wait_for(lambda f: any(t.startswith("📈 Thống kê của nhóm") for t in texts_in(f, CO)))
    assert not [t for t in texts_in(fake, A) if "Thống kê" in t]
    assert len(texts_in(fake, A)) == 1                   # the second /stats left no pointer


async def test_an_inline_card_longer_than_a_message_is_cut_at_a_whole_tag(served, monkeypatch):
    from bot.replies import Reply
    from bot.text import bold, join

    fake, bot = served.fake, served.bot
    long_card = Reply(join([bold("Khái niệm & <định nghĩa>")] + [bold("hội & nhập quốc tế")] * 400))
    monkeypatch.setattr(bot, "inline_cards", lambda query: [("c", "Khái niệm", "ngắn", long_card)])
    fake.inline(AN, "hnqt")
    await fake.wait_for(lambda f: f.sent("answerInlineQuery"))
    assert not [r for r in fake.refusals if r[0] == "answerInlineQuery"]
    text = parse_html(fake.sent("answerInlineQuery")[0]["results"][0]["input_message_content"]["message_text"])
    assert text.startswith("Khái niệm & <định nghĩa>\nhội & nhập quốc tế\n") and len(text) <= 4096


async def test_a_member_repeating_a_teacher_s_command_costs_one_question_to_telegram(served):
    fake = served.fake
    for _ in range(3):
        fake.type(A, AN, "An", "/daily time 08:00")
    await fake.wait_for(lambda f: len(texts_in(f, A)) >= 3)
    assert all(t.startswith("Chỉ quản trị viên") for t in texts_in(fake, A))
    assert len(fake.sent("getChatMember")) == 1
    served.adapter.admin_for = 0.0                       # an answer trusted no longer: asked again
    fake.admins.add(AN)
    fake.type(A, AN, "An", "/daily time 08:00")
    await fake.wait_for(lambda f: len(texts_in(f, A)) >= 4)
    assert len(fake.sent("getChatMember")) == 2 and not texts_in(fake, A)[-1].startswith("Chỉ quản trị viên")
