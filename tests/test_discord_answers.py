"""Typed answers on Discord, where the bot cannot read the chat: a "Trả lời" button opens a form
as the first response to the press, the submission gets a private verdict and counts once (also
after a restart), and /answer still works."""

from bot.clock import ManualClock
from bot.i18n import catalog
from tests.conftest import START, Serving
from tests.discord_harness import (
    AN, BINH, CHI, CO, PACE, READY_WAIT, paced, answered, custom_ids, is_typed, point_discord_at, round_until, seen,
    served_discord, shown,
)
from tests.fake_discord import TOKEN, FakeDiscord

VI = catalog("vi")


async def typed_question(fake, serving, clock) -> tuple[dict, int, str]:
    """A round's first typed question: its message, asked id and right answer."""
    message = await round_until(fake, serving, clock, is_typed)
    asked_id = int(next(i for i in custom_ids(message) if i.startswith("t:"))[2:])
    row = await serving.bot.core.db.fetchone("SELECT question_id FROM asked WHERE id = ?", (asked_id,))
    return message, asked_id, str(serving.bot.core.course.questions[row[0]].answer)


async def verdicts_for(fake, user: int, count: int = 1) -> list[str]:
    return await fake.wait_for(lambda f: len(f.private_view(user)) >= count and f.private_view(user))


async def test_a_typed_question_is_answered_in_two_taps_with_a_private_verdict_counted_once(monkeypatch, real_course,
                                                                                            tmp_path):
    clock = ManualClock(START)
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3", clock=clock) as (fake, serving):
        message, asked_id, answer = await typed_question(fake, serving, clock)
        button = next(c for row in message["components"] for c in row["components"]
                      if c["custom_id"].startswith("t:"))
        assert (button["custom_id"], button["label"]) == (f"t:{asked_id}", VI("quiz.answer_button"))
        assert VI("quiz.typed_hint_form") in seen(message)
        assert VI("quiz.typed_hint") not in seen(message)          # no "type it here": the bot cannot read it

        pressed = await fake.click(AN, "An", message, f"t:{asked_id}")
        form = (await fake.wait_for(lambda f: f.modals))[0]
        assert fake.interactions[pressed].response == 9            # the form is the first response
        assert form["custom_id"] == f"t:{asked_id}" and form["title"] == VI("quiz.answer_form_title")

        await fake.submit_modal(AN, "An", f"t:{asked_id}", {"answer": answer}, message=message)
        verdict = await verdicts_for(fake, AN)
        assert verdict[0].startswith("✅ Chính xác")
        await fake.submit_modal(AN, "An", f"t:{asked_id}", {"answer": answer}, message=message)
        again = await verdicts_for(fake, AN, 2)
        assert again[1] == VI("answer.twice")
        await fake.submit_modal(BINH, "Bình", f"t:{asked_id}", {"answer": "không biết"}, message=message)
        assert (await verdicts_for(fake, BINH))[0].startswith("❌ Chưa đúng")
        assert await answered(serving.bot) == 2
        row = await serving.bot.core.db.fetchone(
            "SELECT COUNT(*), SUM(correct) FROM answers WHERE asked_id = ?", (asked_id,))
        assert tuple(row) == (2, 1)
        assert not [t for t in fake.channel_view() if "Chính xác" in t or "Chưa đúng" in t]

        await fake.slash(CHI, "Chi", "answer", text=answer)              # /answer still works
        assert (await verdicts_for(fake, CHI))[0].startswith("✅ Chính xác")
        assert await answered(serving.bot) == 3


async def test_an_empty_or_stale_form_gets_a_clear_private_reply(monkeypatch, real_course, tmp_path):
    clock = ManualClock(START)
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3", clock=clock) as (fake, serving):
        message, asked_id, _ = await typed_question(fake, serving, clock)
        await fake.submit_modal(AN, "An", f"t:{asked_id}", {"answer": "   "}, message=message)
        assert (await verdicts_for(fake, AN)) == [VI("typed.empty")]
        await fake.submit_modal(AN, "An", "t:99999999", {"answer": "1995"}, message=message)
        assert (await verdicts_for(fake, AN, 2))[1] == VI("press.question_gone")
        await fake.submit_modal(AN, "An", "t:x" * 30, {"answer": "1995"}, message=message)
        assert (await verdicts_for(fake, AN, 3))[2] == VI("press.question_gone")
        assert await answered(serving.bot) == 0


async def test_a_form_opened_before_a_restart_is_answered_after_it(monkeypatch, real_course, tmp_path):
    fake = FakeDiscord(channel_period=5.0 * PACE)
    point_discord_at(monkeypatch, await fake.start())
    db, clock = tmp_path / "db.sqlite3", ManualClock(START)

    async def start_bot() -> Serving:
        fake.ready.clear()
        serving = Serving(paced(DiscordAdapter(TOKEN, guild_ready_timeout=READY_WAIT), PACE), real_course, db, clock)
        await serving.__aenter__()
        serving.fake = fake
        return serving

    from adapters.discord_adapter import DiscordAdapter

    serving = await start_bot()
    try:
        message, asked_id, answer = await typed_question(fake, serving, clock)
        await fake.click(AN, "An", message, f"t:{asked_id}")
        await fake.wait_for(lambda f: f.modals)
    finally:
        await serving.__aexit__(None, None, None)
    assert serving.code == 0

    serving = await start_bot()                                  # the bot restarted; the form is still open
    try:
        await fake.submit_modal(AN, "An", f"t:{asked_id}", {"answer": answer}, message=message)
        assert (await verdicts_for(fake, AN))[0].startswith("✅ Chính xác")
        assert await answered(serving.bot) == 1
    finally:
        await serving.__aexit__(None, None, None)
        await fake.stop()
    assert serving.code == 0
    assert not [m for m in shown(fake) if m.get("replaces_deferral") and not m["ephemeral"]]


async def test_a_typed_daily_question_names_the_form_and_answers_through_it(monkeypatch, real_course, tmp_path):
    from dataclasses import replace
    from datetime import timedelta

    typed_only = replace(real_course, questions={k: q for k, q in real_course.questions.items()
                                                 if q.type not in ("choice", "order", "true_false")})
    clock = ManualClock(START)
    async with served_discord(monkeypatch, typed_only, tmp_path / "db.sqlite3", clock=clock) as (fake, serving):
        await fake.slash(CO, "Cô Hoa", "daily", manage=True, action="on", value="09:00")
        await fake.wait_for(lambda f: [m for m in shown(f) if VI("daily.on_title") in seen(m)])
        clock.move_to(clock.now() + timedelta(hours=1))
        await serving.due()
        post = (await fake.wait_for(lambda f: shown(f, "channel")))[0]
        assert VI("daily.typed_hint_form") in seen(post) and VI("daily.typed_hint") not in seen(post)
        asked_id = int(next(i for i in custom_ids(post) if i.startswith("t:"))[2:])
        await fake.click(AN, "An", post, f"t:{asked_id}")
        await fake.wait_for(lambda f: f.modals)
        await fake.submit_modal(AN, "An", f"t:{asked_id}", {"answer": "không biết"}, message=post)
        assert (await verdicts_for(fake, AN))[0].startswith("❌ Chưa đúng")
        assert await answered(serving.bot) == 1


async def test_a_failing_language_lookup_still_opens_the_form_in_the_default_language(monkeypatch, real_course,
                                                                                       tmp_path, caplog):
    clock = ManualClock(START)
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3", clock=clock) as (fake, serving):
        message, asked_id, _ = await typed_question(fake, serving, clock)

        async def broken(chat):
            raise RuntimeError("database is locked")

        monkeypatch.setattr(serving.bot, "catalog_of", broken)
        pressed = await fake.click(AN, "An", message, f"t:{asked_id}")
        form = (await fake.wait_for(lambda f: f.modals))[0]
        assert fake.interactions[pressed].response == 9
        assert form["title"] == VI("quiz.answer_form_title")
        assert "could not look up a chat's language for an answer form: RuntimeError('database is locked')" \
            in caplog.text
