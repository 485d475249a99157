"""The fake platform servers refuse what the real ones refuse: each rule proved by plain HTTP
and websocket calls (aiohttp), not through the bot. Windows and timeouts are scaled down or
driven by a hand-moved clock, so nothing here sleeps whole seconds."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from tests.fake_telegram import TOKEN as TG_TOKEN, FakeTelegram

GROUP, OTHER_GROUP, BASIC_GROUP, SUPERGROUP = -1001, -1002, -300, -1009300
AN, BINH = 11, 12


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def move(self, seconds: float) -> None:
        self.now += seconds


# --- Telegram ------------------------------------------------------------------------------

@pytest.fixture
async def telegram():
    """Start fakes on demand: `fake = await telegram(**constructor_args)`."""
    started: list[FakeTelegram] = []
    session = aiohttp.ClientSession()

    async def start(scale: float | None = None, **kwargs) -> FakeTelegram:
        fake = FakeTelegram.scaled(scale, **kwargs) if scale else FakeTelegram(**kwargs)
        await fake.start()
        fake.session = session
        for chat in (GROUP, OTHER_GROUP, AN, BINH):
            fake.add_chat(chat)
        started.append(fake)
        return fake

    yield start
    await session.close()
    for fake in started:
        await fake.stop()


async def call(fake: FakeTelegram, method: str, **params) -> tuple[int, dict]:
    """One Bot API call encoded as PTB encodes it: a form, non-strings as JSON."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with fake.session.post(f"{fake.url}/bot{TG_TOKEN}/{method}", data=form) as response:
        return response.status, await response.json()


async def send(fake, chat_id, text="tin") -> tuple[int, dict]:
    return await call(fake, "sendMessage", chat_id=chat_id, text=text)


async def test_a_group_gets_20_messages_in_60_seconds_and_the_21st_is_refused_until_the_window_frees(telegram):
    clock = Clock()
    fake = await telegram(clock=clock)
    for n in range(20):
        status, _ = await send(fake, GROUP)
        assert status == 200
        clock.move(0.5)                                   # 20 messages over 10 s
    status, body = await send(fake, GROUP, "một tin quá nhiều")
    assert status == 429
    assert body == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 50",
                    "parameters": {"retry_after": 50}}
    assert [d.chat_id for d in fake.sends] == [GROUP] * 20        # the refused one was not delivered
    assert (await send(fake, OTHER_GROUP))[0] == 200             # another group is not held up
    clock.move(49.9)
    assert (await send(fake, GROUP))[0] == 429                    # still 20 in the last 60 s
    clock.move(0.1)
    assert (await send(fake, GROUP))[0] == 200                    # the first one left the window
    assert fake.max_in_window(GROUP, 60) == 20
    assert fake.count_429(GROUP) == 2 and fake.count_429() == 2


async def test_the_group_limit_is_a_sliding_window_not_a_bucket(telegram):
    """A leaky bucket (20 at once, then one every 3 s) earns a 429 here: 21 in 60 s."""
    clock = Clock()
    fake = await telegram(clock=clock)
    for _ in range(20):
        assert (await send(fake, GROUP))[0] == 200
    clock.move(3)
    status, body = await send(fake, GROUP)
    assert status == 429 and body["parameters"]["retry_after"] == 57
    clock.move(57)
    assert (await send(fake, GROUP))[0] == 200
    assert fake.max_in_window(GROUP, 60) == 20


async def test_a_private_chat_gets_one_message_a_second(telegram):
    clock = Clock()
    fake = await telegram(clock=clock)
    assert (await send(fake, AN))[0] == 200
    clock.move(0.4)
    status, body = await send(fake, AN)
    assert status == 429 and body["parameters"]["retry_after"] == 1     # 0.6 s rounds up to 1
    assert (await send(fake, BINH))[0] == 200                            # each chat has its own
    clock.move(0.6)
    assert (await send(fake, AN))[0] == 200


async def test_overall_at_most_30_messages_a_second(telegram):
    clock = Clock()
    fake = await telegram(clock=clock)
    chats = [-5000 - n for n in range(31)]
    for chat in chats:
        fake.add_chat(chat)
    for chat in chats[:30]:
        assert (await send(fake, chat))[0] == 200
    status, body = await send(fake, chats[30])
    assert status == 429 and body["parameters"]["retry_after"] == 1
    clock.move(1)
    assert (await send(fake, chats[30]))[0] == 200


async def test_edits_answers_reactions_and_menus_are_not_counted(telegram):
    clock = Clock()
    fake = await telegram(clock=clock)
    first = None
    for _ in range(20):
        _, body = await send(fake, GROUP)
        first = first or body["result"]["message_id"]
    query = fake.press(GROUP, AN, "An", "a:1:0")
    assert (await call(fake, "editMessageText", chat_id=GROUP, message_id=first, text="đã sửa"))[0] == 200
    assert (await call(fake, "answerCallbackQuery", callback_query_id=query))[0] == 200
    assert (await call(fake, "setMessageReaction", chat_id=GROUP, message_id=first,
                       reaction=[{"type": "emoji", "emoji": "👀"}]))[0] == 200
    assert (await call(fake, "getChatMember", chat_id=GROUP, user_id=AN))[0] == 200
    assert (await call(fake, "setMyCommands", commands=[{"command": "help", "description": "trợ giúp"}],
                       scope={"type": "chat", "chat_id": GROUP}))[0] == 200
    assert (await call(fake, "sendPoll", chat_id=GROUP, question="?", options=["a", "b"],
                       type="quiz", is_anonymous=False, correct_option_ids=[0]))[0] == 429


async def test_scaled_windows_in_real_time_report_retry_after_in_scaled_units(telegram):
    fake = await telegram(scale=0.01)
    for _ in range(20):
        assert (await send(fake, GROUP))[0] == 200
    status, body = await send(fake, GROUP)
    wait = body["parameters"]["retry_after"]
    assert status == 429 and 0 < wait <= 0.6 and body["description"] == f"Too Many Requests: retry after {wait}"
    await asyncio.sleep(wait)
    assert (await send(fake, GROUP))[0] == 200


async def test_a_press_answered_in_time_once_is_accepted_and_its_latency_recorded(telegram):
    clock = Clock()
    fake = await telegram(clock=clock)
    query = fake.press(GROUP, AN, "An", "a:1:0")
    clock.move(0.25)
    assert (await call(fake, "answerCallbackQuery", callback_query_id=query, text="✅"))[0] == 200
    assert fake.ack_latencies() == {query: 0.25}
    status, body = await call(fake, "answerCallbackQuery", callback_query_id=query)
    assert status == 400
    assert body["description"] == ("Bad Request: query is too old and response timeout expired "
                                   "or query ID is invalid")
    assert fake.callbacks[query].refused == 1


async def test_a_press_answered_late_or_unknown_is_too_old(telegram):
    clock = Clock()
    fake = await telegram(clock=clock)
    query = fake.press(GROUP, AN, "An", "a:1:0")
    clock.move(15.01)
    status, body = await call(fake, "answerCallbackQuery", callback_query_id=query)
    assert status == 400 and "query is too old" in body["description"]
    assert fake.ack_latencies() == {query: None}
    status, body = await call(fake, "answerCallbackQuery", callback_query_id="999999")
    assert status == 400 and "query ID is invalid" in body["description"]


async def test_a_migrated_group_announces_its_new_id_and_refuses_the_old_one(telegram):
    fake = await telegram()
    fake.add_chat(BASIC_GROUP, "group")
    assert (await send(fake, BASIC_GROUP))[0] == 200
    fake.migrate(BASIC_GROUP, SUPERGROUP)
    old, new = fake.updates[-2]["message"], fake.updates[-1]["message"]
    assert old["chat"] == {"id": BASIC_GROUP, "type": "group", "title": "Lớp"}
    assert old["migrate_to_chat_id"] == SUPERGROUP
    assert new["chat"]["type"] == "supergroup" and new["migrate_from_chat_id"] == BASIC_GROUP
    for method, params in (("sendMessage", {"text": "x"}), ("getChatMember", {"user_id": AN})):
        status, body = await call(fake, method, chat_id=BASIC_GROUP, **params)
        assert (status, body) == (400, {"ok": False, "error_code": 400,
                                        "description": "Bad Request: group chat was upgraded to a supergroup chat",
                                        "parameters": {"migrate_to_chat_id": SUPERGROUP}})
    assert (await send(fake, SUPERGROUP))[0] == 200


async def test_ptb_sees_the_errors_it_would_see_in_production(telegram):
    from telegram import Bot
    from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter

    clock = Clock()
    fake = await telegram(clock=clock)
    fake.add_chat(BASIC_GROUP, "group")
    fake.migrate(BASIC_GROUP, SUPERGROUP)
    fake.kick(OTHER_GROUP)
    async with Bot(TG_TOKEN, base_url=f"{fake.url}/bot") as bot:
        with pytest.raises(ChatMigrated) as migrated:
            await bot.send_message(BASIC_GROUP, "x")
        assert migrated.value.new_chat_id == SUPERGROUP
        with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
            await bot.send_message(OTHER_GROUP, "x")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(-77, "x")
        await bot.send_message(AN, "x")
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(AN, "x")
        assert flood.value.retry_after.total_seconds() == 1


async def test_kicked_and_blocked_chats_are_refused_until_the_bot_is_back(telegram):
    fake = await telegram()
    fake.kick(GROUP)
    update = fake.updates[-1]["my_chat_member"]
    assert update["chat"]["id"] == GROUP
    assert update["old_chat_member"]["status"] == "member"
    assert update["new_chat_member"] == {"user": update["new_chat_member"]["user"], "status": "kicked",
                                         "until_date": 0}
    assert update["new_chat_member"]["user"]["is_bot"] is True
    status, body = await send(fake, GROUP)
    assert status == 403 and body["description"] == "Forbidden: bot was kicked from the supergroup chat"
    fake.add_chat(BASIC_GROUP, "group")
    fake.kick(BASIC_GROUP)
    assert (await send(fake, BASIC_GROUP))[1]["description"] == "Forbidden: bot was kicked from the group chat"
    fake.kick(AN)                                              # the student blocked the bot
    assert fake.updates[-1]["my_chat_member"]["from"]["id"] == AN
    assert (await send(fake, AN))[1]["description"] == "Forbidden: bot was blocked by the user"
    fake.readd(GROUP)
    assert fake.updates[-1]["my_chat_member"]["new_chat_member"]["status"] == "member"
    assert (await send(fake, GROUP))[0] == 200
    assert [d.chat_id for d in fake.sends] == [GROUP]


async def test_an_unknown_chat_is_not_found(telegram):
    fake = await telegram()
    status, body = await send(fake, -424242)
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    lenient = await telegram(strict_chats=False)
    assert (await send(lenient, -424242))[0] == 200


async def test_reactions_are_checked_against_telegrams_list_and_recorded(telegram):
    fake = await telegram()
    message_id = fake.type(GROUP, AN, "An", "hội nhập")
    ok = await call(fake, "setMessageReaction", chat_id=GROUP, message_id=message_id,
                    reaction=[{"type": "emoji", "emoji": "👀"}])
    assert ok[0] == 200 and fake.reactions[(GROUP, message_id)] == ["👀"]
    for reaction, error in (([{"type": "emoji", "emoji": "✔️"}], "REACTION_INVALID"),
                            ([{"type": "emoji", "emoji": "👀"}, {"type": "emoji", "emoji": "👍"}],
                             "REACTIONS_TOO_MANY"),
                            ([{"type": "paid"}], "REACTION_INVALID")):
        status, body = await call(fake, "setMessageReaction", chat_id=GROUP, message_id=message_id,
                                  reaction=reaction)
        assert (status, body["description"]) == (400, f"Bad Request: {error}")
    status, body = await call(fake, "setMessageReaction", chat_id=GROUP, message_id=987654,
                              reaction=[{"type": "emoji", "emoji": "👀"}])
    assert status == 400
    fake.allowed_reactions[GROUP] = {"👍"}                    # the group's admins allow only 👍
    assert (await call(fake, "setMessageReaction", chat_id=GROUP, message_id=message_id,
                       reaction=[{"type": "emoji", "emoji": "👀"}]))[0] == 400
    assert fake.reactions[(GROUP, message_id)] == ["👀"]


async def test_an_edited_message_arrives_as_edited_message_with_its_id(telegram):
    fake = await telegram()
    message_id = fake.type(GROUP, AN, "An", "/define hnqt")
    fake.edit(GROUP, AN, "An", message_id, "/define toàn cầu hóa")
    edited = fake.updates[-1]["edited_message"]
    assert edited["message_id"] == message_id and edited["text"] == "/define toàn cầu hóa"
    assert edited["entities"][0]["type"] == "bot_command" and "edit_date" in edited
    assert "message" not in fake.updates[-1]


async def test_an_edit_that_changes_nothing_is_refused(telegram):
    fake = await telegram()
    _, body = await send(fake, GROUP, "câu 1")
    message_id = body["result"]["message_id"]
    status, body = await call(fake, "editMessageText", chat_id=GROUP, message_id=message_id, text="câu 1")
    assert status == 400 and body["description"].startswith("Bad Request: message is not modified")
    assert (await call(fake, "editMessageText", chat_id=GROUP, message_id=message_id, text="câu 2"))[0] == 200


async def poll(fake, **extra) -> tuple[str, int]:
    status, body = await call(fake, "sendPoll", chat_id=GROUP, question="Năm nào?", options=["1986", "1995"],
                              type="quiz", is_anonymous=False, correct_option_ids=[1], **extra)
    assert status == 200, body
    return body["result"]["poll"]["id"], body["result"]["message_id"]


async def test_a_student_cannot_vote_in_a_poll_whose_open_period_has_passed(telegram):
    clock = Clock()
    fake = await telegram(clock=clock)
    poll_id, _ = await poll(fake, open_period=10)
    clock.move(9.9)
    fake.vote(poll_id, AN, "An", 1)                         # in time
    clock.move(0.1)
    with pytest.raises(AssertionError, match="closed"):
        fake.vote(poll_id, BINH, "Bình", 1)
    assert len([u for u in fake.updates if "poll_answer" in u]) == 1
    status, body = await call(fake, "sendPoll", chat_id=OTHER_GROUP, question="?", options=["a", "b"],
                              type="quiz", is_anonymous=False, correct_option_ids=[0], open_period=4)
    assert (status, body["description"]) == (400, "Bad Request: POLL_OPEN_PERIOD_INVALID")


async def test_a_stopped_poll_takes_no_votes_and_cannot_be_stopped_twice(telegram):
    fake = await telegram()
    poll_id, message_id = await poll(fake)
    status, body = await call(fake, "stopPoll", chat_id=GROUP, message_id=message_id)
    assert status == 200 and body["result"]["is_closed"] is True
    with pytest.raises(AssertionError):
        fake.vote(poll_id, AN, "An", 1)
    status, body = await call(fake, "stopPoll", chat_id=GROUP, message_id=message_id)
    assert (status, body["description"]) == (400, "Bad Request: poll has already been closed")


async def test_command_menus_are_validated_and_kept_per_scope_and_language(telegram):
    fake = await telegram()
    good = [{"command": "define", "description": "tra định nghĩa"}, {"command": "quiz_2", "description": "q"}]
    assert (await call(fake, "setMyCommands", commands=good))[0] == 200
    assert (await call(fake, "setMyCommands", commands=good[:1], language_code="en"))[0] == 200
    assert (await call(fake, "setMyCommands", commands=good[1:],
                       scope={"type": "chat_administrators", "chat_id": GROUP}))[0] == 200
    assert fake.menu() == [("define", "tra định nghĩa"), ("quiz_2", "q")]
    assert fake.menu(language="en") == [("define", "tra định nghĩa")]
    assert fake.menu("chat_administrators", GROUP) == [("quiz_2", "q")]
    assert fake.menu("all_group_chats") == []
    _, body = await call(fake, "getMyCommands", language_code="en")
    assert body["result"] == [{"command": "define", "description": "tra định nghĩa"}]
    bad = {
        "BOT_COMMAND_INVALID": [{"command": "Define", "description": "x"}],
        "BOT_COMMAND_DESCRIPTION_INVALID": [{"command": "define", "description": ""}],
        "BOT_COMMANDS_TOO_MUCH": [{"command": f"c{n}", "description": "x"} for n in range(101)],
    }
    bad_names = ["tra-cuu", "x" * 33, "đinh", ""]
    for error, commands in bad.items():
        status, body = await call(fake, "setMyCommands", commands=commands)
        assert (status, body["description"]) == (400, f"Bad Request: {error}")
    for name in bad_names:
        status, body = await call(fake, "setMyCommands", commands=[{"command": name, "description": "x"}])
        assert (status, body["description"]) == (400, "Bad Request: BOT_COMMAND_INVALID"), name
    long = [{"command": "define", "description": "x" * 257}]
    assert (await call(fake, "setMyCommands", commands=long))[0] == 400
    assert (await call(fake, "setMyCommands", commands=good, scope={"type": "everyone"}))[0] == 400
    assert (await call(fake, "setMyCommands", commands=good, language_code="vie"))[0] == 400
    assert (await call(fake, "setMyCommands", commands=good, scope={"type": "chat", "chat_id": -4242}))[0] == 400
    assert fake.menu() == [("define", "tra định nghĩa"), ("quiz_2", "q")]     # refusals changed nothing


async def test_each_call_can_take_a_realistic_time(telegram):
    fake = await telegram(latency=0.05)
    began = asyncio.get_running_loop().time()
    await send(fake, GROUP)
    assert asyncio.get_running_loop().time() - began >= 0.05
