"""The Discord adapter end to end: the real discord.py stack against a fake REST API and gateway."""


import pytest

from bot.clock import ManualClock
from tests.conftest import START, Serving
from tests.discord_harness import READY_WAIT, point_discord_at, served_discord
from tests.fake_discord import TOKEN, FakeDiscord
from tests.loopback import until

AN, BINH, CHI, CO = 11, 12, 13, 99


@pytest.fixture
async def dc(real_course, tmp_path, monkeypatch):
    clock = ManualClock(START)
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3", clock=clock,
                              allowed=(403,)) as (fake, served):       # one test refuses the channel
        yield fake, served.bot, clock


def visible(message: dict) -> str:
    parts = [message.get("content") or ""] + [e.get("description") or "" for e in message.get("embeds", [])]
    return "\n".join(p for p in parts if p)


async def test_define_answers_with_a_card_and_autocomplete_offers_terms(dc):
    fake, _, _ = dc
    await fake.slash(AN, "An", "define", term="hnqt")
    card = await fake.wait_for(lambda f: [m for m in f.messages if m["where"] == "response"])
    assert "**Hội nhập quốc tế**" in visible(card[0])
    await fake.autocomplete(AN, "define", "term", "toan cau")
    choices = await fake.wait_for(lambda f: [m for m in f.messages if m["where"] == "autocomplete"])
    names = [c["name"] for c in choices[0]["choices"]]
    assert names and names[0] == "Toàn cầu hóa" and len(names) <= 25


def answer_button(message: dict) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


async def recorded(bot) -> int:
    return (await bot.core.db.fetchone("SELECT COUNT(*) FROM answers"))[0]


async def reached(bot, count: int) -> bool:
    return await recorded(bot) >= count


async def play(fake, bot, message, players, right_for):
    """Every player answers the question in `message` (buttons, or /answer when typed)."""
    ids = answer_button(message)
    if ids:
        asked_id = int(ids[0].split(":")[1])
        row = await bot.core.db.fetchone("SELECT correct FROM asked WHERE id = ?", (asked_id,))
        for user_id, name in players:
            option = row[0] if right_for(name) else (row[0] + 1) % len(ids)
            await fake.click(user_id, name, message, f"a:{asked_id}:{option}")
    else:
        asked = await bot.core.db.fetchone("SELECT question_id FROM asked ORDER BY id DESC LIMIT 1")
        question = bot.core.course.questions[asked[0]]
        for user_id, name in players:
            await fake.slash(user_id, name, "answer", text=str(question.answer) if right_for(name) else "không")


def questions(fake) -> list[dict]:
    return [m for m in fake.messages if m["where"] in ("response", "followup", "channel")
            and visible(m).startswith("*Câu ")]


async def first_question_with_buttons(fake, bot, clock) -> dict:
    """The round's questions in turn, letting typed ones time out, until one has buttons."""
    from datetime import timedelta
    for position in range(1, 21):
        message = (await fake.wait_for(lambda f: len(questions(f)) >= position and questions(f)))[-1]
        if answer_button(message):
            return message
        clock.move_to(clock.now() + timedelta(seconds=34))
        await bot.run_due()
    raise AssertionError("no question with buttons in 20")


async def test_a_quiz_round_where_three_members_press_buttons_one_twice(dc):
    fake, bot, clock = dc
    await fake.slash(AN, "An", "quiz", count=20)
    players = [(AN, "An"), (BINH, "Bình"), (CHI, "Chi")]
    message = await first_question_with_buttons(fake, bot, clock)
    await play(fake, bot, message, players, lambda name: name != "Bình")
    await fake.click(BINH, "Bình", message, answer_button(message)[0])          # a second press
    twice = await fake.wait_for(lambda f: [m for m in f.messages if m.get("ephemeral")
                                           and "đã trả lời câu này rồi" in visible(m)])
    assert twice[0]["where"] == "response"
    await until(lambda: reached(bot, 3), "three answers recorded")
    assert await recorded(bot) == 3
    feedback = await fake.wait_for(lambda f: len([m for m in f.messages if m.get("ephemeral")]) >= 4
                                   and [m for m in f.messages if m.get("ephemeral")])
    assert len(feedback) == 4 and sum("Chính xác" in visible(m) for m in feedback) == 2
    await fake.slash(AN, "An", "stop")
    end = await fake.wait_for(lambda f: [m for m in f.messages if "Lượt quiz đã dừng" in visible(m)])
    assert not end[0]["ephemeral"] and "Bình — 0 điểm (0/1 câu đúng)" in visible(end[0])


async def test_daily_on_needs_manage_server(dc):
    fake, bot, _ = dc
    await fake.slash(AN, "An", "daily", action="on", value="08:00")
    refused = await fake.wait_for(lambda f: [m for m in f.messages if "quản trị viên" in visible(m)])
    assert refused[0]["ephemeral"] is True
    assert (await bot.core.db.fetchone("SELECT COUNT(*) FROM daily_schedules"))[0] == 0
    await fake.slash(CO, "Cô Hoa", "daily", manage=True, action="on", value="08:30")
    await fake.wait_for(lambda f: [m for m in f.messages if "đang bật" in visible(m)])
    row = await bot.core.db.fetchone("SELECT post_time, enabled FROM daily_schedules")
    assert tuple(row) == ("08:30", 1)


async def test_review_in_a_server_only_says_where_it_happens_and_only_to_the_member(dc):
    fake, bot, _ = dc
    await fake.slash(AN, "An", "review", action="on", value="20:00")
    hint = await fake.wait_for(lambda f: [m for m in f.messages if "tin nhắn riêng" in visible(m)])
    assert hint[0]["ephemeral"] is True and len(fake.messages) == 1
    assert (await bot.core.db.fetchone("SELECT COUNT(*) FROM review_nudges"))[0] == 0


async def test_a_member_named_everyone_pings_nobody(dc):
    fake, _, _ = dc
    await fake.slash(21, "**@everyone**", "me")
    me = await fake.wait_for(lambda f: [m for m in f.messages if m["where"] == "response"])
    text = visible(me[0])
    assert "@everyone" not in text                      # the mention is broken up
    assert text.startswith("**📊 \\*\\*@")            # the name's stars are escaped, not bold


async def test_buttons_keep_working_after_a_restart(real_course, tmp_path, monkeypatch):
    from adapters.discord_adapter import DiscordAdapter

    fake = FakeDiscord()
    point_discord_at(monkeypatch, await fake.start())
    db = tmp_path / "db.sqlite3"
    clock = ManualClock(START)

    async def start_bot():
        fake.ready.clear()
        served = Serving(DiscordAdapter(TOKEN, guild_ready_timeout=READY_WAIT), real_course, db, clock)
        await served.__aenter__()
        return served

    served = await start_bot()
    await fake.slash(AN, "An", "quiz", count=20)
    question = await first_question_with_buttons(fake, served.bot, clock)
    await served.__aexit__(None, None, None)                     # the bot restarts here

    served = await start_bot()
    try:
        await fake.click(BINH, "Bình", question, answer_button(question)[0])
        feedback = await fake.wait_for(lambda f: [m for m in f.messages if m.get("ephemeral")])
        assert "Chính xác" in visible(feedback[0]) or "Chưa đúng" in visible(feedback[0])
        assert await recorded(served.bot) == 1
    finally:
        await served.__aexit__(None, None, None)
        await fake.stop()
    assert served.code == 0


async def test_a_channel_the_bot_cannot_post_in_pauses_its_daily(dc, caplog):
    fake, bot, clock = dc
    from datetime import timedelta
    await fake.slash(CO, "Cô Hoa", "daily", manage=True, action="on", value="09:00")
    await fake.wait_for(lambda f: [m for m in f.messages if "đang bật" in visible(m)])
    fake.refuse_channel = True
    clock.move_to(clock.now() + timedelta(hours=1))
    await bot.run_due()
    await bot.core.outbox.idle()
    row = await bot.core.db.fetchone("SELECT paused_reason FROM daily_schedules")
    assert row[0] == "removed"
    assert "discord:901 is gone (removed" in caplog.text
    fake.refuse_channel = False
    await bot.run_due()                                   # paused: no second attempt
    await bot.core.outbox.idle()
    assert not [m for m in fake.messages if m["where"] == "channel"]


async def test_topic_autocomplete_ignores_diacritics(dc):
    fake, _, _ = dc
    await fake.autocomplete(AN, "quiz", "topic", "lich su")
    choices = await fake.wait_for(lambda f: [m for m in f.messages if m["where"] == "autocomplete"])
    assert [c["value"] for c in choices[0]["choices"]] == ["lich-su"]
