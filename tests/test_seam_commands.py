"""The command table (bot/commands.py) reaches everything generated from it: dispatch, /help in
both languages, Telegram's menus, Discord's registered commands; arguments are checked the same
way everywhere, aliases reach the same handler, and admin rights are asked for where a handler
needs them."""

import inspect
from types import SimpleNamespace

import discord
import pytest
import yaml

from bot.commands import COMMANDS, KINDS, find, needs_admin_check
from bot.i18n import LOCALES
from bot.events import Command, User
from tests.conftest import texts

CATALOGUES = {lang: yaml.safe_load((LOCALES / f"{lang}.yaml").read_text(encoding="utf-8")) for lang in ("vi", "en")}
NAMES = [spec.name for spec in COMMANDS]


def table_keys(spec) -> list[str]:
    keys = [f"cmd.{spec.name}"]
    for arg in spec.args:
        keys.append(f"arg.{spec.name}.{arg.name}")
        keys += [f"choice.{spec.name}.{value}" for value in arg.choices]
    return keys


@pytest.mark.parametrize("spec", COMMANDS, ids=NAMES)
def test_every_command_has_its_handler_and_its_texts_in_both_languages(spec):
    assert inspect.iscoroutinefunction(spec.handler), spec.name
    assert list(inspect.signature(spec.handler).parameters) == ["turn", "args"], spec.name
    for language, strings in CATALOGUES.items():
        for key in table_keys(spec):
            assert isinstance(strings.get(key), str) and strings[key].strip(), (language, key)
    for arg in spec.args:
        assert arg.kind in KINDS and arg.name.isascii() and arg.name == arg.name.lower(), (spec.name, arg)
        if arg.kind == "int":
            assert arg.low is not None and arg.high is not None and arg.low <= arg.high
        assert (arg.kind == "choice") == bool(arg.choices), (spec.name, arg.name)
        assert set(arg.synonyms.values()) <= set(arg.choices), (spec.name, arg.name)
    assert spec.admin_check in ("always", "changing", "never")


def test_names_and_aliases_are_unique_and_each_finds_its_command():
    everything = NAMES + [alias for spec in COMMANDS for alias in spec.aliases]
    assert len(everything) == len(set(everything))
    for spec in COMMANDS:
        for typed in (spec.name, spec.name.upper(), *spec.aliases, *(a.upper() for a in spec.aliases)):
            assert find(typed) is spec, typed


@pytest.mark.parametrize("language, greeting", [("vi", "Chào bạn"), ("en", "Hello")])
async def test_help_lists_every_command_with_its_example_and_description(chat, language, greeting):
    if language == "en":
        await chat.say("An", "/lang en", private=True)
    shown = texts(await chat.say("An", "/help", private=True))
    assert shown.startswith(greeting)
    strings = CATALOGUES[language]
    for spec in COMMANDS:
        assert f"{spec.usage()} — {strings[f'cmd.{spec.name}']}" in shown, spec.name
    listed = [line.split(" — ")[0].split()[0] for line in shown.splitlines() if line.startswith("/")]
    assert listed == [f"/{name}" for name in NAMES]


class MenuRecorder:
    def __init__(self):
        self.menus = {}

    async def set_my_commands(self, commands, scope=None, language_code=None):
        self.menus[(scope.type, language_code)] = [(c.command, c.description) for c in commands]
        return True


async def test_telegrams_menus_come_from_the_table_in_both_languages():
    from adapters.telegram_adapter import TelegramAdapter
    from tests.fake_telegram import TOKEN

    adapter = TelegramAdapter(TOKEN, base_url="http://127.0.0.1:9")
    recorder = MenuRecorder()
    adapter.app = SimpleNamespace(bot=recorder)
    await adapter._register_menus()
    for language, code in (("vi", None), ("en", "en")):
        strings = CATALOGUES[language]
        everyone = [(s.name, strings[f"cmd.{s.name}"]) for s in COMMANDS if not s.admins_only]
        assert recorder.menus[("default", code)] == everyone
        assert recorder.menus[("all_chat_administrators", code)] == [(s.name, strings[f"cmd.{s.name}"])
                                                                     for s in COMMANDS]
    admins_only = {s.name for s in COMMANDS if s.admins_only}
    assert admins_only == {"stats", "reports"}
    assert not admins_only & {name for name, _ in recorder.menus[("default", None)]}


async def test_discord_registers_every_command_with_its_arguments_in_both_languages():
    from adapters.discord_adapter import CatalogTranslator, DiscordAdapter

    adapter = DiscordAdapter("token")
    registered = {c.name: c for c in adapter.tree.get_commands()}
    assert list(registered) == NAMES
    translator = CatalogTranslator()

    async def shown(text, locale=None):
        """What Discord shows: the Vietnamese text, or its en-US localization."""
        assert text.extras.get("key"), text
        if locale is None:
            return text.message
        return await translator.translate(text, locale, None)

    for spec in COMMANDS:
        command = registered[spec.name]
        for language, locale in (("vi", None), ("en", discord.Locale.american_english)):
            strings = CATALOGUES[language]
            assert await shown(command._locale_description, locale) == strings[f"cmd.{spec.name}"][:100]
            parameters = {p.name: p for p in command.parameters}
            assert list(parameters) == [arg.name for arg in spec.args], spec.name
            for arg in spec.args:
                parameter = parameters[arg.name]
                assert await shown(parameter.locale_description, locale) == strings[f"arg.{spec.name}.{arg.name}"]
                assert parameter.required == arg.required
                assert (parameter.min_value, parameter.max_value) == (arg.low, arg.high)
                assert [c.value for c in parameter.choices] == list(arg.choices)
                for choice in parameter.choices:
                    assert await shown(choice._locale_name, locale) == strings[f"choice.{spec.name}.{choice.value}"]
                assert bool(parameter.autocomplete) == (arg.kind in ("term", "topic"))


# --- arguments are checked the same way everywhere ---------------------------------------------
RANGE = "Hãy gõ một số từ 1 đến 20. Ví dụ: /quiz lịch sử 5"


@pytest.mark.parametrize("typed", ["/quiz 0", "/quiz 21", "/quiz 10^12", "/quiz -3", "/quiz 99999999999999999999999",
                                   "/quiz lich su 0", "/quiz lich su 21", "/quiz 1e3", "/quiz\t25"])
async def test_every_count_out_of_range_gets_the_same_range_message(chat, typed):
    replies = await chat.say("An", typed)
    assert [r.text.plain() for r in replies] == [RANGE]
    assert replies[0].to is not None                    # a refusal for the one who typed it
    assert (await chat.db.fetchone("SELECT COUNT(*) FROM rounds"))[0] == 0


@pytest.mark.parametrize("typed, count", [("/quiz 1", 1), ("/quiz 20", 5), ("/quiz lich su 2", 2),
                                          ("/quiz\u00a03", 3)])
async def test_a_count_in_range_starts_a_round_of_that_many(chat, typed, count):
    """(The fixture course has five questions: /quiz 20 asks them all.)"""
    assert "Bắt đầu lượt quiz" in texts(await chat.say("An", typed))
    questions = (await chat.db.fetchone("SELECT question_ids FROM rounds"))[0]
    assert len(yaml.safe_load(questions)) == count


@pytest.mark.parametrize("typed, expected", [
    ("/top nonsense", "Chọn một trong: week, month, all, streak. Ví dụ: /top week"),
    ("/bxh nonsense", "Chọn một trong: week, month, all, streak. Ví dụ: /top week"),
    ("/daily sometimes", "Chọn một trong: on, off, time, tz. Ví dụ: /daily on 08:00"),
    ("/lang fr", "Chọn một trong: vi, en. Ví dụ: /lang en"),
])
async def test_a_word_that_is_not_a_choice_gets_the_choices(chat, typed, expected):
    chat.admins.add("An")
    replies = await chat.say("An", typed)
    assert [r.text.plain() for r in replies] == [expected]
    assert (await chat.db.fetchone("SELECT COUNT(*) FROM daily_schedules"))[0] == 0
    assert (await chat.db.fetchone("SELECT language FROM chats"))[0] is None


@pytest.mark.parametrize("typed, expected", [
    ("/answer", "Thiếu câu trả lời của bạn. Ví dụ: /answer 1995"),
    ("/report", "Thiếu mã câu hỏi, có trong nút báo lỗi sau mỗi đáp án. Ví dụ: /report ls-asean-1967"),
])
async def test_a_missing_argument_is_named(chat, typed, expected):
    assert [r.text.plain() for r in await chat.say("An", typed)] == [expected]


async def test_choices_read_as_students_type_them(chat):
    chat.admins.add("Cô Hoa")
    assert "đang bật" in texts(await chat.say("Cô Hoa", "/daily BẬT 07:30"))
    assert "đang tắt" in texts(await chat.say("Cô Hoa", "/daily tắt"))
    await chat.say("Cô Hoa", "/daily mui gio Asia/Tokyo")
    assert (await chat.db.fetchone("SELECT timezone FROM chats"))[0] == "Asia/Tokyo"
    assert texts(await chat.say("An", "/top Tuần Này")) == texts(await chat.say("An", "/top week"))
    assert "English" in texts(await chat.say("Cô Hoa", "/lang tieng anh"))


# --- aliases reach the same handler ------------------------------------------------------------
ARGS = {"define": "hnqt", "answer": "1995", "report": "", "quiz": "1"}


@pytest.mark.parametrize("spec", [s for s in COMMANDS if s.aliases], ids=[s.name for s in COMMANDS if s.aliases])
async def test_each_alias_gives_what_the_command_gives(chat, spec):
    args = ARGS.get(spec.name, "")
    canonical = texts(await chat.say("An", f"/{spec.name} {args}".strip()))
    for alias in spec.aliases:
        assert texts(await chat.say("An", f"/{alias} {args}".strip())) == canonical, alias
        assert texts(await chat.say("An", f"/{alias.upper()} {args}".strip())) == canonical, alias


# --- admin rights are asked for wherever a handler needs them ----------------------------------
class AskingPlatform:
    """A platform that asks who administers the chat only when the table says so (as the
    Telegram adapter does): an admin is recognised only then."""

    def __init__(self, chat):
        self.chat = chat

    async def say(self, name: str, text: str):
        from bot.events import parse_command
        command, _, args = parse_command(text)
        admin = name in self.chat.admins and needs_admin_check(command, args)
        event = Command(User("console", name.lower(), name, is_admin=admin), self.chat.chat, command, args)
        return await self.chat.bot.handle(event)


@pytest.mark.parametrize("typed, done", [
    ("/daily on 07:30", "đang bật"), ("/daily bat 07:30", "đang bật"), ("/daily BẬT", "đang bật"),
    ("/daily time 09:00", "đang tắt"), ("/daily off", "đang tắt"), ("/daily tz Asia/Tokyo", "Asia/Tokyo"),
    ("/daily mui gio Asia/Tokyo", "Asia/Tokyo"), ("/daily muigio Asia/Tokyo", "Asia/Tokyo"),
    ("/daily Múi Giờ Asia/Tokyo", "Asia/Tokyo"),
    ("/lang en", "English"), ("/lang tieng anh", "English"), ("/ngonngu english", "English"),
    ("/stats", "📈 Thống kê của nhóm"), ("/thongke", "📈 Thống kê của nhóm"), ("/reports", "Chưa có báo cáo nào"), ("/stop", "Không có lượt quiz"),
])
async def test_an_admin_is_recognised_wherever_the_handler_asks(chat, typed, done):
    chat.admins.add("Cô Hoa")
    replies = await AskingPlatform(chat).say("Cô Hoa", typed)
    shown = texts(replies)
    assert not shown.startswith("Chỉ ") and done.lower() in shown.lower(), shown
    chat.admins.clear()                   # and a student is refused the same
    refused = await AskingPlatform(chat).say("Bình", typed)
    assert texts(refused).startswith(("Chỉ ", "Only ")) or typed == "/stop", texts(refused)


async def test_someone_elses_round_is_stopped_by_an_admin_only(chat):
    chat.admins.add("Cô Hoa")
    platform = AskingPlatform(chat)
    await platform.say("An", "/quiz 2")
    assert "quản trị viên" in texts(await platform.say("Bình", "/stop"))
    assert "Lượt quiz đã dừng" in texts(await platform.say("Cô Hoa", "/stop"))


@pytest.mark.parametrize("name", [s.name for s in COMMANDS if s.admin_check == "always"])
def test_always_checked_commands_ask_with_any_arguments(name):
    assert needs_admin_check(name, "") and needs_admin_check(name, "x y")
    for alias in find(name).aliases:
        assert needs_admin_check(alias, "")


@pytest.mark.parametrize("name, args", [("daily", ""), ("lang", ""), ("top", "week"), ("define", "hnqt"),
                                        ("quiz", "5"), ("me", ""), ("help", "")])
def test_reading_commands_never_make_the_platform_ask(name, args):
    assert not needs_admin_check(name, args)
