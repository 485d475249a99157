"""Discord's slash commands are generated from the command table, like Telegram's menus; every
command /help names works on Discord, with the visibility its reply needs."""

import pytest

from bot.commands import COMMANDS
from bot.i18n import catalog
from bot.settings import Settings
from tests.conftest import START, TEST_SETTINGS, Serving
from tests.discord_harness import AN, BINH, CO, seen, served_discord, shown
from tests.fake_discord import MANAGE_GUILD

VI, EN = catalog("vi"), catalog("en")
STRING, INTEGER = 3, 4


@pytest.fixture
async def dc(monkeypatch, real_course, tmp_path):
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3") as (fake, serving):
        yield fake, serving


async def telegram_menu(real_course, tmp_path) -> list[str]:
    """The administrators' menu the Telegram adapter registers (every command) at start-up."""
    from adapters.telegram_adapter import TelegramAdapter
    from bot.clock import ManualClock
    from tests.fake_telegram import TOKEN, FakeTelegram

    fake = FakeTelegram()
    url = await fake.start()
    try:
        async with Serving(TelegramAdapter(TOKEN, base_url=url), real_course, tmp_path / "tg.sqlite3",
                           ManualClock(START)):
            await fake.wait_for(lambda f: f.menu("all_chat_administrators", language="en"))
            return [name for name, _ in fake.menu("all_chat_administrators")]
    finally:
        await fake.stop()


async def test_every_command_of_the_table_is_registered_on_discord_and_in_telegram_s_menu(dc, real_course, tmp_path):
    fake, _ = dc
    table = [spec.name for spec in COMMANDS]
    assert sorted(fake.commands) == sorted(table)
    assert sorted(await telegram_menu(real_course, tmp_path)) == sorted(fake.commands)


def no_placeholder(text: str) -> str:
    assert text and "…" not in text and "..." not in text, text
    return text


def written_in_both(key: str) -> None:
    """The key is in each catalogue itself (English does not fall back to Vietnamese)."""
    from bot.i18n import _strings
    assert key in _strings("vi") and key in _strings("en"), key


async def test_descriptions_options_and_choices_are_vietnamese_with_english_from_the_catalogues(dc):
    fake, _ = dc
    for spec in COMMANDS:
        command = fake.commands[spec.name]
        written_in_both(f"cmd.{spec.name}")
        assert no_placeholder(command["description"]) == VI(f"cmd.{spec.name}")
        assert no_placeholder(command["description_localizations"]["en-US"]) == EN(f"cmd.{spec.name}")
        admins = command.get("default_member_permissions")         # Discord takes a string or a number
        assert (None if admins is None else int(admins)) == (MANAGE_GUILD if spec.admins_only else None), spec.name
        options = {o["name"]: o for o in command.get("options", [])}
        assert list(options) == [a.name for a in spec.args], spec.name
        for arg in spec.args:
            option = options[arg.name]
            key = f"arg.{spec.name}.{arg.name}"
            written_in_both(key)
            assert no_placeholder(option["description"]) == VI(key)
            assert no_placeholder(option["description_localizations"]["en-US"]) == EN(key)
            assert option.get("required", False) is arg.required
            assert option["type"] == (INTEGER if arg.kind == "int" else STRING)
            if arg.kind == "int":
                assert (option["min_value"], option["max_value"]) == (arg.low, arg.high)
            assert bool(option.get("autocomplete")) is (arg.kind in ("term", "topic"))
            choices = option.get("choices", [])
            assert [c["value"] for c in choices] == list(arg.choices if arg.kind == "choice" else [])
            for choice in choices:
                key = f"choice.{spec.name}.{choice['value']}"
                written_in_both(key)
                assert no_placeholder(choice["name"]) == VI(key)
                assert no_placeholder(choice["name_localizations"]["en-US"]) == EN(key)
    count = {o["name"]: o for o in fake.commands["quiz"]["options"]}["count"]
    assert (count["type"], count["min_value"], count["max_value"]) == (INTEGER, 1, 20)


async def replies_to(fake, interaction_id: str, count: int = 1) -> list[dict]:
    """What the bot showed for one interaction (its response and follow-ups)."""
    return await fake.wait_for(lambda f: len(mine := [m for m in shown(f) if m["interaction_id"] == interaction_id])
                               >= count and mine)


async def test_lang_shows_and_sets_the_chat_s_language_and_refuses_students_privately(dc):
    fake, serving = dc
    state = await replies_to(fake, await fake.slash(AN, "An", "lang"))
    assert not state[0]["ephemeral"] and seen(state[0]).startswith("Ngôn ngữ của bot trong nhóm này: vi")
    refused = await replies_to(fake, await fake.slash(AN, "An", "lang", language="en"))
    assert refused[0]["visible_to"] == AN and seen(refused[0]) == VI("lang.admin_only")
    changed = await replies_to(fake, await fake.slash(CO, "Cô Hoa", "lang", manage=True, language="en"))
    assert not changed[0]["ephemeral"] and seen(changed[0]) == EN("lang.set")
    helped = await replies_to(fake, await fake.slash(BINH, "Bình", "help"))
    assert EN("help.commands") in seen(helped[0])
    for spec in COMMANDS:                                 # /help names every command, in English now
        assert f"{spec.usage()} — {EN(f'cmd.{spec.name}')}" in seen(helped[0]), spec.name
    assert VI("lang.admin_only") not in "\n".join(fake.channel_view())


async def test_report_reports_and_stats_work_and_what_is_for_one_person_stays_private(dc, real_course):
    fake, serving = dc
    question_id = sorted(real_course.questions)[0]
    thanks = await replies_to(fake, await fake.slash(AN, "An", "report", id=question_id, reason="sai năm"))
    assert thanks[0]["visible_to"] == AN and seen(thanks[0]) == VI("report.thanks", id=question_id)
    row = await serving.bot.core.db.fetchone("SELECT question_id, reason FROM question_reports")
    assert tuple(row) == (question_id, "sai năm")
    unknown = await replies_to(fake, await fake.slash(AN, "An", "report", id="khong-co"))
    assert unknown[0]["visible_to"] == AN and seen(unknown[0]) == VI("report.unknown")

    for command in ("reports", "stats"):
        refused = await replies_to(fake, await fake.slash(BINH, "Bình", command))
        assert refused[0]["visible_to"] == BINH and seen(refused[0]) == VI("reports.admin_only")
    listed = await replies_to(fake, await fake.slash(CO, "Cô Hoa", "reports", manage=True))
    assert listed[0]["visible_to"] == CO
    assert seen(listed[0]).startswith(VI("reports.title")) and f"{question_id} — 1 lượt" in seen(listed[0])
    stats = await replies_to(fake, await fake.slash(CO, "Cô Hoa", "stats", manage=True))
    assert stats[0]["visible_to"] == CO and seen(stats[0]).startswith(VI("stats.title"))
    assert fake.channel_view() == []                   # the class saw none of it


async def test_daily_validation_is_for_the_teacher_alone_and_zones_match_without_case(dc):
    fake, serving = dc
    db = serving.bot.core.db
    bad_time = await replies_to(fake, await fake.slash(CO, "Cô Hoa", "daily", manage=True, action="on", value="25:00"))
    assert bad_time[0]["visible_to"] == CO and seen(bad_time[0]) == VI("daily.bad_time_on")
    bad_zone = await replies_to(fake, await fake.slash(CO, "Cô Hoa", "daily", manage=True, action="tz",
                                                       value="Mars/Olympus"))
    assert bad_zone[0]["visible_to"] == CO and seen(bad_zone[0]) == VI("daily.bad_zone")
    assert fake.channel_view() == []
    zone = await replies_to(fake, await fake.slash(CO, "Cô Hoa", "daily", manage=True, action="tz",
                                                   value="asia/ho_chi_minh"))
    assert seen(zone[0]) == VI("daily.zone_set", zone="Asia/Ho_Chi_Minh")
    await replies_to(fake, await fake.slash(CO, "Cô Hoa", "daily", manage=True, action="tz", value="EUROPE/BERLIN"))
    assert (await db.fetchone("SELECT timezone FROM chats WHERE platform = 'discord'"))[0] == "Europe/Berlin"
    on = await replies_to(fake, await fake.slash(CO, "Cô Hoa", "daily", manage=True, action="on", value="07:30"))
    assert not on[0]["ephemeral"] and "Giờ đăng: 07:30 (Europe/Berlin)." in seen(on[0])


async def standings_seen(fake) -> tuple[dict, dict]:
    top = await replies_to(fake, await fake.slash(AN, "An", "top", period="week"))
    me = await replies_to(fake, await fake.slash(AN, "An", "me"))
    return top[0], me[0]


async def test_top_and_me_are_public_by_default(dc):
    fake, _ = dc
    top, me = await standings_seen(fake)
    assert not top["ephemeral"] and not me["ephemeral"]
    assert seen(top).startswith(VI("top.title_week")) and seen(top) in fake.channel_view()
    assert seen(me) in fake.channel_view()


async def test_top_and_me_are_for_the_asker_alone_when_standings_are_private(monkeypatch, real_course, tmp_path):
    settings = Settings(private_standings=True, flood_commands=TEST_SETTINGS.flood_commands)
    async with served_discord(monkeypatch, real_course, tmp_path / "db.sqlite3", settings=settings) as (fake, _):
        top, me = await standings_seen(fake)
        assert top["visible_to"] == AN and me["visible_to"] == AN
        assert seen(top).startswith(VI("top.title_week"))
        assert fake.channel_view() == []
