"""The fake platform servers refuse what the real ones refuse: each rule proved by plain HTTP
and websocket calls (aiohttp), not through the bot. Windows and timeouts are scaled down or
driven by a hand-moved clock, so nothing here sleeps whole seconds."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from aiohttp import WSMsgType

from tests.discord_markdown import rendered, styled
from tests.fake_discord import APP_ID, CHANNEL, GUILD, TOKEN as DC_TOKEN, FakeDiscord
from tests.fake_telegram import TOKEN as TG_TOKEN, FakeTelegram, command_entities

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
        assert (status, body) == (400, {
            "ok": False, "error_code": 400,
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


async def test_an_unknown_chat_is_not_found_and_a_user_must_start_the_bot_first(telegram):
    fake = await telegram()
    status, body = await send(fake, -424242)
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    fake.type(GROUP, 77, "Chi", "/quiz")                  # Chi is in the class, never started the bot
    status, body = await send(fake, 77)
    assert (status, body["description"]) == (403, "Forbidden: bot can't initiate conversation with a user")
    fake.type(77, 77, "Chi", "/start")                     # now she has a private chat with it
    assert (await send(fake, 77))[0] == 200
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
    good = [{"command": "define", "description": "tra định nghĩa"},
            {"command": "quiz_2", "description": "q"}]
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
    unknown_chat = {"type": "chat", "chat_id": -4242}
    assert (await call(fake, "setMyCommands", commands=good, scope=unknown_chat))[0] == 400
    assert fake.menu() == [("define", "tra định nghĩa"), ("quiz_2", "q")]     # refusals changed nothing


async def test_each_call_can_take_a_realistic_time(telegram):
    fake = await telegram(latency=0.05)
    began = asyncio.get_running_loop().time()
    await send(fake, GROUP)
    assert asyncio.get_running_loop().time() - began >= 0.05


# --- Discord -------------------------------------------------------------------------------

NO_PINGS = {"parse": []}
DEFAULT_INTENTS = 3243773                     # discord.Intents.default(): no privileged intent


@pytest.fixture
async def discord_server():
    """Start fakes on demand: `fake = await discord_server(**constructor_args)`; the fake gets a
    session (`fake.session`) and a connected, identified gateway client (`fake.client_ws`)."""
    started: list[FakeDiscord] = []
    session = aiohttp.ClientSession()

    async def start(identify: bool = True, scale: float | None = None, **kwargs) -> FakeDiscord:
        fake = FakeDiscord.scaled(scale, **kwargs) if scale else FakeDiscord(**kwargs)
        await fake.start()
        fake.session, fake.client_sockets = session, []
        started.append(fake)
        if identify:
            fake.client_ws = await connect(fake)
            assert (await next_event(fake.client_ws, "READY"))["session_id"] == fake.session_id
        return fake

    yield start
    for fake in started:
        for ws in fake.client_sockets:
            await ws.close()
        await fake.stop()
    await session.close()


async def connect(fake, token=DC_TOKEN, intents=DEFAULT_INTENTS):
    ws = await fake.session.ws_connect(f"{fake.base}/gateway")
    fake.client_sockets.append(ws)
    assert (await ws.receive_json())["op"] == 10                  # HELLO
    await ws.send_json({"op": 2, "d": {"token": token, "intents": intents, "properties": {}}})
    return ws


async def next_event(ws, name: str) -> dict:
    while True:
        message = await asyncio.wait_for(ws.receive(), 5)
        assert message.type == WSMsgType.TEXT, (message.type, message.data)
        payload = json.loads(message.data)
        if payload["op"] == 0 and payload["t"] == name:
            return payload["d"]


async def rest(fake, method: str, path: str, body=None, token: str | None = DC_TOKEN):
    headers = {"Authorization": f"Bot {token}"} if token else {}
    url = f"{fake.base}/api/v10{path}"
    async with fake.session.request(method, url, json=body, headers=headers) as response:
        text = await response.text()
        return response.status, (json.loads(text) if text else None), response.headers


def message(content="tin", **extra) -> dict:
    return {"content": content, "allowed_mentions": NO_PINGS, **extra}


async def interaction(fake, kind=2, user=AN, **kwargs) -> dict:
    """Dispatch an interaction and return it as the bot receives it over the gateway."""
    data = kwargs.pop("data", {"id": "1", "name": "define", "type": 1})
    await fake.interact(kind, user, "An", data, **kwargs)
    return await next_event(fake.client_ws, "INTERACTION_CREATE")


async def callback(fake, event, kind, data=None):
    return await rest(fake, "POST", f"/interactions/{event['id']}/{event['token']}/callback",
                      {"type": kind, **({"data": data} if data is not None else {})}, token=None)


async def follow_up(fake, event, body):
    return await rest(fake, "POST", f"/webhooks/{APP_ID}/{event['token']}?wait=1", body, token=None)


async def test_an_interaction_is_answered_once_within_three_seconds(discord_server):
    clock = Clock()
    fake = await discord_server(clock=clock)
    event = await interaction(fake)
    clock.move(2.9)
    status, body, _ = await callback(fake, event, 4, message("thẻ"))
    assert status == 200 and body["resource"]["message"]["content"] == "thẻ"
    assert fake.ack_latencies()[event["id"]] == pytest.approx(2.9)
    status, body, _ = await callback(fake, event, 4, message("lần hai"))
    assert (status, body) == (400, {"message": "Interaction has already been acknowledged.", "code": 40060})
    late = await interaction(fake)
    clock.move(3.01)
    status, body, _ = await callback(fake, late, 5)
    assert (status, body) == (404, {"message": "Unknown interaction", "code": 10062})
    status, _, _ = await callback(fake, {"id": late["id"], "token": "forged"}, 4, message())
    assert status == 404
    assert fake.channel_view() == ["thẻ"]


async def test_the_first_follow_up_after_a_public_deferral_is_public_whatever_its_flags(discord_server):
    fake = await discord_server()
    event = await interaction(fake)
    assert (await callback(fake, event, 5))[0] == 200                      # public "thinking…"
    status, first, _ = await follow_up(fake, event, message("✅ Chính xác (A. EU)!", flags=64))
    assert status == 200 and "flags" not in first
    await follow_up(fake, event, message("riêng cho An", flags=64))
    await follow_up(fake, event, message("cho cả lớp"))
    assert fake.channel_view() == ["✅ Chính xác (A. EU)!", "cho cả lớp"]     # the verdict leaked
    assert fake.private_view(AN) == ["riêng cho An"]
    assert fake.messages[0]["replaces_deferral"] is True


async def test_after_an_ephemeral_deferral_the_first_follow_up_stays_private(discord_server):
    fake = await discord_server()
    event = await interaction(fake)
    await callback(fake, event, 5, {"flags": 64})
    await follow_up(fake, event, message("✅ Chính xác"))                    # no flag: still private
    await follow_up(fake, event, message("công khai"))
    assert fake.private_view(AN) == ["✅ Chính xác"]
    assert fake.channel_view() == ["công khai"]


async def test_after_a_deferred_update_follow_ups_use_their_own_flags(discord_server):
    fake = await discord_server()
    _, posted, _ = await rest(fake, "POST", f"/channels/{CHANNEL}/messages", message("Câu 1"))
    event = await interaction(fake, kind=3, data={"custom_id": "a:1:0", "component_type": 2}, message=posted)
    assert (await callback(fake, event, 6))[0] == 200
    await follow_up(fake, event, message("riêng", flags=64))
    assert fake.private_view(AN) == ["riêng"] and fake.channel_view() == ["Câu 1"]
    status, edited, _ = await rest(fake, "PATCH", f"/webhooks/{APP_ID}/{event['token']}/messages/@original",
                                   {"content": "Câu 1 (đã đóng)"}, token=None)
    assert status == 200 and edited["id"] == posted["id"]
    assert fake.channel_view() == ["Câu 1 (đã đóng)"]


async def test_follow_ups_need_an_acknowledged_live_interaction(discord_server):
    clock = Clock()
    fake = await discord_server(clock=clock)
    event = await interaction(fake)
    status, body, _ = await follow_up(fake, event, message())
    assert (status, body) == (404, {"message": "Unknown Webhook", "code": 10015})
    await callback(fake, event, 5)
    clock.move(15 * 60 + 1)
    status, body, _ = await follow_up(fake, event, message())
    assert (status, body) == (401, {"message": "Invalid Webhook Token", "code": 50027})
    assert fake.messages == []


async def test_editing_the_original_replaces_the_thinking_message_and_never_changes_visibility(discord_server):
    fake = await discord_server()
    public = await interaction(fake)
    await callback(fake, public, 5)
    path = f"/webhooks/{APP_ID}/{public['token']}/messages/@original"
    status, _, _ = await rest(fake, "PATCH", path, message("kết quả", flags=64), token=None)
    assert status == 200 and fake.channel_view() == ["kết quả"]
    private = await interaction(fake)
    await callback(fake, private, 4, message("chỉ An", flags=64))
    path = f"/webhooks/{APP_ID}/{private['token']}/messages/@original"
    await rest(fake, "PATCH", path, {"content": "vẫn chỉ An", "flags": 0}, token=None)
    assert fake.private_view(AN) == ["vẫn chỉ An"]
    assert (await rest(fake, "DELETE", path, token=None))[0] == 204
    assert fake.private_view(AN) == [] and (await rest(fake, "GET", path, token=None))[0] == 404


BUTTON = {"custom_id": "t:7", "component_type": 2}
TEXT_INPUT = {"type": 4, "custom_id": "text", "label": "Đáp án", "style": 1}
MODAL = {"custom_id": "answer:7", "title": "Trả lời câu 7",
         "components": [{"type": 1, "components": [TEXT_INPUT]}]}


async def test_a_modal_is_only_a_first_response_and_never_answers_a_modal(discord_server):
    fake = await discord_server()
    press = await interaction(fake, kind=3, data=BUTTON, message={"id": "1"})
    assert (await callback(fake, press, 9, MODAL))[0] == 200
    deferred = await interaction(fake, kind=3, data=BUTTON, message={"id": "1"})
    await callback(fake, deferred, 6)
    status, body, _ = await callback(fake, deferred, 9, MODAL)
    assert (status, body["code"]) == (400, 40060)
    await fake.submit_modal(AN, "An", "answer:7", {"text": "1995"})
    submitted = await next_event(fake.client_ws, "INTERACTION_CREATE")
    assert submitted["type"] == 5 and submitted["data"] == {
        "custom_id": "answer:7", "components": [{"type": 1, "components": [
            {"type": 4, "custom_id": "text", "value": "1995"}]}]}
    status, body, _ = await callback(fake, submitted, 9, MODAL)
    assert (status, body["code"], body["message"]) == (400, 50035, "Invalid Form Body")
    assert (await callback(fake, submitted, 4, message("✅", flags=64)))[0] == 200
    autocomplete = await interaction(fake, kind=4)
    assert (await callback(fake, autocomplete, 4, message()))[0] == 400
    choices = {"choices": [{"name": "Hội nhập", "value": "hn"}]}
    assert (await callback(fake, autocomplete, 8, choices))[0] == 200


async def test_modals_are_checked_like_discord_does(discord_server):
    fake = await discord_server()
    row = MODAL["components"][0]
    label_row = {"type": 18, "label": "Đáp án", "component": {"type": 4, "custom_id": "text", "style": 1}}
    bad = [MODAL | {"title": "x" * 46}, MODAL | {"custom_id": "x" * 101}, MODAL | {"components": []},
           MODAL | {"components": [row] * 6},
           MODAL | {"components": [{"type": 1, "components": [row["components"][0] | {"label": "x" * 46}]}]},
           MODAL | {"components": [{"type": 1, "components": [{"type": 4, "label": "L", "style": 1}]}]},
           MODAL | {"components": [label_row | {"label": ""}]}]
    for modal in bad:
        press = await interaction(fake, kind=3, data=BUTTON, message={"id": "1"})
        status, body, _ = await callback(fake, press, 9, modal)
        assert (status, body["code"]) == (400, 50035), modal
    press = await interaction(fake, kind=3, data=BUTTON, message={"id": "1"})
    assert (await callback(fake, press, 9, MODAL | {"components": [label_row]}))[0] == 200
    await fake.submit_modal(AN, "An", "answer:7", {"text": "đa cực"})
    submitted = await next_event(fake.client_ws, "INTERACTION_CREATE")
    assert submitted["data"]["components"] == [{"type": 18, "component": {"type": 4, "custom_id": "text",
                                                                          "value": "đa cực"}}]
    with pytest.raises(AssertionError):
        await fake.submit_modal(AN, "An", "answer:7", {"khac": "x"})


async def test_a_dm_interaction_has_a_user_and_no_guild(discord_server):
    fake = await discord_server()
    event = await interaction(fake, dm=True)
    assert "guild_id" not in event and "member" not in event
    assert event["user"]["id"] == str(AN) and event["channel"]["type"] == 1
    await callback(fake, event, 4, message("trong tin nhắn riêng"))
    guild = await interaction(fake)
    assert guild["guild_id"] == str(GUILD) and guild["member"]["user"]["id"] == str(AN)
    assert fake.private_view(AN) == ["trong tin nhắn riêng"] and fake.channel_view() == []


async def test_channel_posts_are_rate_limited_per_channel_with_the_headers_discord_py_reads(discord_server):
    clock = Clock()
    fake = await discord_server(clock=clock)
    remaining = []
    for _ in range(5):
        status, _, headers = await rest(fake, "POST", f"/channels/{CHANNEL}/messages", message())
        assert status == 200
        remaining.append(headers["X-RateLimit-Remaining"])
    assert remaining == ["4", "3", "2", "1", "0"] and headers["X-RateLimit-Limit"] == "5"
    clock.move(1)
    status, body, headers = await rest(fake, "POST", f"/channels/{CHANNEL}/messages", message())
    assert status == 429
    assert body == {"message": "You are being rate limited.", "retry_after": 4.0, "global": False}
    assert headers["Via"] and headers["Retry-After"] == "4" and headers["X-RateLimit-Scope"] == "user"
    assert float(headers["X-RateLimit-Reset-After"]) == 4.0
    assert (await rest(fake, "POST", "/channels/902/messages", message()))[0] == 200   # other channel
    clock.move(4)
    assert (await rest(fake, "POST", f"/channels/{CHANNEL}/messages", message()))[0] == 200
    assert len(fake.channel_view(CHANNEL)) == 6 and fake.throttled == {CHANNEL: 1}


@pytest.mark.parametrize("announce", [True, False])
async def test_discord_py_waits_out_the_channel_limit_and_delivers_everything(discord_server, monkeypatch,
                                                                              announce):
    """With the headers discord.py paces itself; without them it meets the 429 and retries."""
    import discord
    from discord.http import Route

    fake = await discord_server(identify=False, channel_limit=2, channel_period=0.2, announce_limits=announce)
    monkeypatch.setattr(Route, "BASE", f"{fake.base}/api/v10")
    client = discord.Client(intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none())
    await client.login(DC_TOKEN)
    try:
        channel = client.get_partial_messageable(CHANNEL)
        began = asyncio.get_running_loop().time()
        await asyncio.gather(*(channel.send(f"tin {n}") for n in range(5)))
        took = asyncio.get_running_loop().time() - began
    finally:
        await client.close()
    assert sorted(fake.channel_view()) == [f"tin {n}" for n in range(5)]
    assert took >= 0.4                                     # five posts need three windows
    assert bool(fake.throttled) is not announce


async def test_refused_channels_answer_missing_access_or_unknown_channel(discord_server):
    fake = await discord_server()
    fake.forbidden_channels.add(902)
    fake.deleted_channels.add(903)
    status, body, _ = await rest(fake, "POST", "/channels/902/messages", message())
    assert (status, body) == (403, {"message": "Missing Access", "code": 50001})
    status, body, _ = await rest(fake, "POST", "/channels/903/messages", message())
    assert (status, body) == (404, {"message": "Unknown Channel", "code": 10003})
    assert fake.messages == []


async def test_a_wrong_token_is_refused_on_rest_and_on_the_gateway(discord_server, monkeypatch):
    import discord
    from discord.http import Route

    fake = await discord_server(identify=False)
    status, body, _ = await rest(fake, "GET", "/users/@me", token="wrong")
    assert (status, body) == (401, {"message": "401: Unauthorized", "code": 0})
    monkeypatch.setattr(Route, "BASE", f"{fake.base}/api/v10")
    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await client.login("wrong")
    await client.close()
    ws = await connect(fake, token="wrong")
    closed = await ws.receive()
    assert closed.type == WSMsgType.CLOSE and closed.data == 4004
    ws = await connect(fake, intents=DEFAULT_INTENTS | (1 << 15))      # message content, not granted
    closed = await ws.receive()
    assert closed.type == WSMsgType.CLOSE and closed.data == 4014
    granted = await discord_server(privileged_intents=1 << 15)
    assert granted.identifies == 1


async def test_close_gateway_sends_the_code_and_a_resume_is_answered(discord_server):
    fake = await discord_server()
    await fake.close_gateway(4000)
    closed = await fake.client_ws.receive()
    assert closed.type == WSMsgType.CLOSE and closed.data == 4000
    ws = await fake.session.ws_connect(f"{fake.base}/gateway")
    fake.client_sockets.append(ws)
    assert (await ws.receive_json())["op"] == 10
    await ws.send_json({"op": 6, "d": {"token": DC_TOKEN, "session_id": fake.session_id, "seq": 1}})
    await next_event(ws, "RESUMED")
    assert (fake.connections, fake.identifies, fake.resumes) == (2, 1, 1)


COMMAND = {"name": "define", "description": "Tra định nghĩa", "type": 1,
           "description_localizations": {"en-US": "Look up a definition"},
           "options": [{"name": "term", "description": "khái niệm", "type": 3, "required": True,
                        "autocomplete": True}]}


async def test_command_sync_to_a_guild_the_bot_is_not_in_is_refused(discord_server):
    fake = await discord_server()
    status, body, _ = await rest(fake, "PUT", f"/applications/{APP_ID}/guilds/4242/commands", [COMMAND])
    assert (status, body) == (403, {"message": "Missing Access", "code": 50001})
    status, body, _ = await rest(fake, "PUT", f"/applications/{APP_ID}/guilds/{GUILD}/commands", [COMMAND])
    assert status == 200 and body[0]["guild_id"] == str(GUILD) and "define" in fake.guild_commands[GUILD]


def option(name="x", required=False, **extra):
    return {"name": name, "description": "mô tả", "type": 3, "required": required, **extra}


async def test_commands_are_validated_like_discord_does(discord_server):
    fake = await discord_server()
    ok = [COMMAND, {"name": "định-nghĩa", "description": "d", "name_localizations": {"vi": "tra_cứu"}},
          {"name": "quiz", "description": "q", "options": [option("count", choices=[
              {"name": str(n), "value": str(n)} for n in range(25)])]}]
    status, _, _ = await rest(fake, "PUT", f"/applications/{APP_ID}/commands", ok)
    assert status == 200 and set(fake.commands) == {"define", "định-nghĩa", "quiz"}
    bad = {
        "0.name": [COMMAND | {"name": "Define"}],
        "0.name ": [COMMAND | {"name": "tra cuu"}],
        "0.name  ": [COMMAND | {"name": "x" * 33}],
        "0.description": [COMMAND | {"description": "x" * 101}],
        "0.description ": [COMMAND | {"description": ""}],
        "0.options": [COMMAND | {"options": [option(f"o{n}") for n in range(26)]}],
        "0.options.1.required": [COMMAND | {"options": [option("a"), option("b", required=True)]}],
        "0.options.0.choices": [COMMAND | {"options": [option(choices=[{"name": str(n), "value": str(n)}
                                                                       for n in range(26)])]}],
        "0.options.0.name": [COMMAND | {"options": [option("Term")]}],
        "0.options.0.description": [COMMAND | {"options": [option() | {"description": "x" * 101}]}],
        "0.description_localizations.en": [COMMAND | {"description_localizations": {"en": "x"}}],
        "0.description_localizations.vi": [COMMAND | {"description_localizations": {"vi": "x" * 101}}],
        "0.name_localizations.vi": [COMMAND | {"name_localizations": {"vi": "Tra"}}],
        "1.name": [COMMAND, COMMAND],
        "": [COMMAND | {"name": f"c{n}"} for n in range(101)],
        "0": [COMMAND | {"options": [option(f"o{n}", description="x" * 100, choices=[
            {"name": "x" * 100, "value": f"{n}-{k}"} for k in range(2)]) for n in range(20)]}],
    }
    for where, commands in bad.items():
        status, body, _ = await rest(fake, "PUT", f"/applications/{APP_ID}/commands", commands)
        assert (status, body["code"]) == (400, 50035), where
        node = body["errors"]
        for key in filter(None, where.strip().split(".")):
            node = node[key]
        assert node["_errors"][0]["message"], where
    assert set(fake.commands) == {"define", "định-nghĩa", "quiz"}            # refusals changed nothing


async def test_messages_and_components_are_checked_like_discord_does(discord_server):
    fake = await discord_server(channel_limit=100)

    def buttons(n, **extra):
        return [{"type": 2, "style": 2, "label": "A", "custom_id": f"b{k}", **extra} for k in range(n)]

    row = {"type": 1, "components": buttons(5)}
    bad = [message("x" * 2001), {"allowed_mentions": NO_PINGS},
           message(embeds=[{"description": "x" * 4097}]),
           message(embeds=[{"description": "x" * 4000}, {"description": "x" * 2001}]),
           message(components=[row] * 6),
           message(components=[{"type": 1, "components": buttons(6)}]),
           message(components=[{"type": 1, "components": buttons(1, label="x" * 81)}]),
           message(components=[{"type": 1, "components": [b | {"custom_id": "x" * 101} for b in buttons(1)]}]),
           message(components=[row, row]),                                  # duplicate custom ids
           {"content": "@everyone"}]                                        # project rule: could ping
    for body in bad:
        status, answer, _ = await rest(fake, "POST", "/channels/902/messages", body)
        assert status == 400, body
    good = message(components=[{"type": 1, "components": buttons(5)}] + [
        {"type": 1, "components": [b | {"custom_id": f"r{r}{b['custom_id']}"} for b in buttons(5)]}
        for r in range(4)])
    assert (await rest(fake, "POST", "/channels/902/messages", good))[0] == 200
    assert len(fake.messages) == 1


def test_rendered_markdown_shows_marks_that_do_not_apply():
    assert rendered("*Liên quan: *") == "*Liên quan: *"
    assert rendered("*Liên quan:* toàn cầu hóa") == "Liên quan: toàn cầu hóa"
    assert rendered("**Hội nhập quốc tế** là") == "Hội nhập quốc tế là"
    assert rendered("** x **") == "** x **"
    assert rendered(r"\*\*@everyone\*\*") == "**@everyone**"
    assert rendered("`**x**` và \\a") == "**x** và \\a"
    assert rendered("snake_case_name và _nghiêng_") == "snake_case_name và nghiêng"
    assert rendered("# Tiêu đề\n- một\n> trích") == "Tiêu đề\n• một\ntrích"
    assert styled("**a *b***") == [("a ", frozenset({"bold"})), ("b", frozenset({"bold", "italic"}))]


async def test_the_channel_view_renders_what_the_class_reads(discord_server):
    fake = await discord_server()
    await rest(fake, "POST", f"/channels/{CHANNEL}/messages",
               message("", embeds=[{"title": "**Toàn cầu hóa**", "description": "*Liên quan: *HNQT"}]))
    assert fake.channel_view() == ["Toàn cầu hóa\n*Liên quan: *HNQT"]


async def test_a_component_can_update_its_message_and_a_command_cannot(discord_server):
    fake = await discord_server()
    _, posted, _ = await rest(fake, "POST", f"/channels/{CHANNEL}/messages", message("Câu 2"))
    press = await interaction(fake, kind=3, data={"custom_id": "a:2:1", "component_type": 2}, message=posted)
    status, body, _ = await callback(fake, press, 7, {"content": "Câu 2 — đã có 1 câu trả lời"})
    assert status == 200 and body["resource"]["message"]["id"] == posted["id"]
    assert fake.channel_view() == ["Câu 2 — đã có 1 câu trả lời"]
    command = await interaction(fake)
    for kind in (6, 7, 8):
        status, body, _ = await callback(fake, command, kind, {"content": "x"} if kind == 7 else None)
        assert (status, body["code"]) == (400, 50035), kind
    assert (await callback(fake, command, 4, message("ok")))[0] == 200


async def test_a_follow_up_can_be_edited_and_deleted_by_its_own_interaction_only(discord_server):
    fake = await discord_server()
    first, second = await interaction(fake), await interaction(fake, user=BINH)
    await callback(fake, first, 4, message("thẻ"))
    await callback(fake, second, 4, message("thẻ 2"))
    _, sent, _ = await follow_up(fake, first, message("chỉ An", flags=64))
    path = f"/webhooks/{APP_ID}/{first['token']}/messages/{sent['id']}"
    assert (await rest(fake, "PATCH", path, {"content": "vẫn chỉ An"}, token=None))[0] == 200
    assert fake.private_view(AN) == ["vẫn chỉ An"]
    other = f"/webhooks/{APP_ID}/{second['token']}/messages/{sent['id']}"
    status, body, _ = await rest(fake, "PATCH", other, {"content": "x"}, token=None)
    assert (status, body) == (404, {"message": "Unknown Message", "code": 10008})
    assert (await rest(fake, "DELETE", path, token=None))[0] == 204
    assert fake.private_view(AN) == []


async def test_discord_py_resumes_after_4000_and_stops_on_4014(discord_server, monkeypatch):
    import discord
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    fake = await discord_server(identify=False)
    monkeypatch.setattr(Route, "BASE", f"{fake.base}/api/v10")
    gateway = yarl.URL(f"{fake.base.replace('http', 'ws')}/gateway")
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", gateway)
    client = discord.Client(intents=discord.Intents.default())
    running = asyncio.create_task(client.start(DC_TOKEN))
    try:
        await asyncio.wait_for(fake.ready.wait(), 10)
        await fake.close_gateway(4000)
        await asyncio.wait_for(fake.resumed.wait(), 10)
        assert (fake.identifies, fake.resumes) == (1, 1)
        await fake.close_gateway(4014)
        with pytest.raises(discord.PrivilegedIntentsRequired):
            await asyncio.wait_for(running, 10)
    finally:
        await client.close()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


def test_a_command_entity_ends_where_telegram_ends_it():
    assert command_entities("/define@StudyBot hnqt") == [{"type": "bot_command", "offset": 0, "length": 16}]
    for text in ("/define\thnqt", "/define\u00a0hnqt", "/define,hnqt", "/define"):
        assert command_entities(text)[0]["length"] == 7, text
    assert command_entities("/đinh") == [] and command_entities("define") == []


async def test_a_scaled_discord_keeps_its_rules_in_real_time(discord_server):
    fake = await discord_server(scale=0.1, latency=0.01)           # a 0.3 s interaction window
    assert (fake.interaction_timeout, fake.channel_period) == pytest.approx((0.3, 0.5))
    on_time, late = await interaction(fake), await interaction(fake)
    assert (await callback(fake, on_time, 5))[0] == 200
    await asyncio.sleep(0.3)
    assert (await callback(fake, late, 5))[1] == {"message": "Unknown interaction", "code": 10062}
