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
