"""Spaced review on Discord: a student turns it on in a direct message with the bot, misses a
question in the class's channel, is nudged in the direct message, and reviews there; nothing
of it reaches the channel."""

from datetime import timedelta

from tests.conftest import START
from tests.discord_harness import (
    AN, CHANNEL, answered, custom_ids, has_options, round_until, seen, served_discord, shown, until,
)


async def test_a_student_reviews_in_a_direct_message_and_the_class_sees_none_of_it(real_course, tmp_path,
                                                                                     monkeypatch):
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3") as (fake, serving):
        bot, clock = serving.bot, serving.clock
        dm = fake.dm_channel(AN)
        await fake.slash(AN, "An", "review", dm=True, action="on", value="20:00")
        await fake.wait_for(lambda f: any("Đã bật nhắc ôn tập" in seen(m) for m in shown(f)))
        question = await round_until(fake, serving, clock, has_options, count=5)
        asked_id = next(i for i in custom_ids(question) if i.startswith("a:")).split(":")[1]
        correct = (await bot.core.db.fetchone("SELECT correct FROM asked WHERE id = ?", (int(asked_id),)))[0]
        await fake.click(AN, "An", question, f"a:{asked_id}:{(correct + 1) % 2}")        # a wrong answer
        await until(lambda: answered(bot))
        clock.move_to(START + timedelta(days=1, hours=12))                                  # Tuesday 20:00
        await serving.due()
        nudge = await fake.wait_for(lambda f: next(
            (m for m in shown(f) if int(m["channel_id"]) == dm and "Đến giờ ôn tập" in seen(m)), None))
        await fake.click(AN, "An", nudge, custom_ids(nudge)[0], dm=True)
        item = await fake.wait_for(lambda f: next(
            (m for m in shown(f) if int(m["channel_id"]) == dm and seen(m).startswith("🧠 Ôn tập ·")), None))
        await fake.click(AN, "An", item, custom_ids(item)[0], dm=True)
        await fake.wait_for(lambda f: any("Xong!" in t for t in f.private_view(AN)))
        channel = fake.channel_view(CHANNEL)
        assert not [t for t in channel if "Ôn tập" in t or "ôn tập" in t or "Xong!" in t]
        assert (await bot.core.db.fetchone("SELECT COUNT(*) FROM review_log WHERE source = 'review'"))[0] == 1
