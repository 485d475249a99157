"""What reaches a Discord channel, and how: cards and reveals as Discord renders them, channel
posts paced under the channel limit, and channels that are gone pausing their daily question."""

from datetime import timedelta


from bot.clock import ManualClock
from bot.i18n import catalog
from tests.conftest import START
from tests.discord_harness import (
    AN, CO, PACE, custom_ids, has_options, question_message, seen, served_discord, shown,
)
from tests.discord_markdown import styled
from tests.fake_discord import CHANNEL, FakeDiscord

VI, EN = catalog("vi"), catalog("en")
GONE, FORBIDDEN = 902, 903


def italic_runs(message: dict) -> list[str]:
    texts = [message.get("content") or ""] + [e.get("description") or "" for e in message.get("embeds", [])]
    return [piece for text in texts for piece, styles in styled(text) if "italic" in styles]


async def test_a_card_and_a_reveal_show_their_labels_in_italics_without_stray_marks(monkeypatch, real_course, tmp_path):
    clock = ManualClock(START)
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3", clock=clock) as (fake, serving):
        await fake.slash(AN, "An", "define", term="hnqt")
        card = (await fake.wait_for(lambda f: shown(f, "response")))[0]
        text = seen(card)
        assert text.startswith("Hội nhập quốc tế") and "*" not in text and "_" not in text
        related = next(line for line in text.split("\n") if line.startswith(VI("card.related")))
        assert related.startswith("Liên quan: ") and len(related) > len("Liên quan: ")
        assert "Liên quan:" in [run.strip() for run in italic_runs(card)]

        await fake.slash(CO, "Cô Hoa", "quiz", count=1)
        await fake.wait_for(lambda f: question_message(f, 1, 1))
        clock.move_to(clock.now() + timedelta(seconds=34))
        await serving.due()
        reveal = (await fake.wait_for(lambda f: [m for m in shown(f) if seen(m).startswith(VI("quiz.time_up"))]))[0]
        text = seen(reveal)
        assert "*" not in text and "\\" not in text
        assert any(line.startswith("Đáp án: ") and len(line) > len("Đáp án: ") for line in text.split("\n"))
        assert any(run.startswith("Nguồn: Bài giảng") for run in italic_runs(reveal))


async def test_a_burst_of_channel_posts_is_paced_under_the_channel_limit(monkeypatch, real_course, tmp_path):
    """One student races through a 20-question round: each answer reveals its question and asks
    the next (one channel post each). The fake announces no limits, so discord.py cannot pace
    itself: only the outbox keeps the channel under 5 posts in 5 seconds (scaled)."""
    clock = ManualClock(START)
    fake = FakeDiscord(channel_period=5.0 * PACE, announce_limits=False)
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3", fake=fake, clock=clock) as (_, serving):
        await fake.slash(AN, "An", "quiz", count=20)
        for position in range(1, 21):
            message = await fake.wait_for(lambda f: question_message(f, position, 20))
            if has_options(message):
                asked_id = next(i for i in custom_ids(message) if i.startswith("a:")).split(":")[1]
                await fake.click(AN, "An", message, f"a:{asked_id}:0")
            else:
                await fake.slash(AN, "An", "answer", text="không biết")
            await fake.wait_for(lambda f: len(f.private_view(AN)) == position)
            if position == 1:                                  # nobody played before: it runs its time
                clock.move_to(clock.now() + timedelta(seconds=34))
                await serving.due()
        await fake.wait_for(lambda f: [m for m in shown(f, "channel") if VI("quiz.finished") in seen(m)])
        posts = shown(fake, "channel")
        assert len(posts) >= 19 and fake.throttled == {}
        assert not [r for r in fake.refusals if r[2] == 429]


async def post_daily(fake, serving, clock, channel: int, language: str = "vi") -> None:
    """The teacher turns the daily question on in `channel`; the clock reaches its time."""
    if language != "vi":
        await fake.interact(2, CO, "Cô Hoa", command(fake, "lang", language=language), manage=True, channel_id=channel)
        await fake.wait_for(lambda f: [m for m in shown(f) if seen(m) == catalog(language)("lang.set")])
    await fake.interact(2, CO, "Cô Hoa", command(fake, "daily", action="on", value="09:00"), manage=True,
                        channel_id=channel)
    await fake.wait_for(lambda f: [m for m in shown(f) if int(m["channel_id"]) == channel
                                   and catalog(language)("daily.on_title") in seen(m)])


def command(fake, name: str, **options) -> dict:
    return {"id": fake.commands[name]["id"], "name": name, "type": 1,
            "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()]}


async def test_a_deleted_or_forbidden_channel_pauses_its_daily_and_daily_says_so_in_its_language(
        monkeypatch, real_course, tmp_path, caplog):
    clock = ManualClock(START)
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3", clock=clock,
                              allowed=(403, 404)) as (fake, serving):
        await post_daily(fake, serving, clock, GONE)
        await post_daily(fake, serving, clock, FORBIDDEN, language="en")
        await post_daily(fake, serving, clock, CHANNEL)
        fake.deleted_channels.add(GONE)
        fake.forbidden_channels.add(FORBIDDEN)
        clock.move_to(clock.now() + timedelta(hours=1, minutes=1))
        await serving.due()
        db = serving.bot.core.db
        rows = await db.fetchall(
            "SELECT c.platform_id, d.paused_reason, (SELECT COUNT(*) FROM asked a WHERE a.chat_id = c.id) "
            "FROM daily_schedules d JOIN chats c ON c.id = d.chat_id ORDER BY c.platform_id")
        assert [tuple(r) for r in rows] == [(str(CHANNEL), None, 1), (str(GONE), "deleted", 0),
                                            (str(FORBIDDEN), "removed", 0)]     # the day is not used up
        assert f"discord:{GONE} is gone (deleted" in caplog.text
        assert [m for m in shown(fake, "channel") if int(m["channel_id"]) == CHANNEL]   # the others still get theirs

        fake.forbidden_channels.discard(FORBIDDEN)          # the bot may post again; /daily tells the teacher
        await fake.interact(2, CO, "Cô Hoa", command(fake, "daily"), manage=True, channel_id=FORBIDDEN)
        state = await fake.wait_for(lambda f: [m for m in shown(f) if EN("daily.paused_title") in seen(m)])
        assert seen(state[0]) == f"{EN('daily.paused_title')}\n{EN('daily.paused_removed')}"
        await fake.interact(2, CO, "Cô Hoa", command(fake, "daily", action="on"), manage=True, channel_id=FORBIDDEN)
        await fake.wait_for(lambda f: len([m for m in shown(f) if EN("daily.on_title") in seen(m)]) == 2)
        await serving.due()
        posted = await fake.wait_for(lambda f: [m for m in shown(f, "channel") if int(m["channel_id"]) == FORBIDDEN])
        assert posted and (await db.fetchone(
            "SELECT paused_reason FROM daily_schedules d JOIN chats c ON c.id = d.chat_id "
            "WHERE c.platform_id = ?", (str(FORBIDDEN),)))[0] is None
