"""The bot's messages in Vietnamese and English: complete catalogues and /lang per chat."""

import re
import string

import yaml

from bot.i18n import LOCALES
from tests.conftest import ROOT, question_of, texts

CATALOGUES = {lang: yaml.safe_load((LOCALES / f"{lang}.yaml").read_text(encoding="utf-8")) for lang in ("vi", "en")}


def placeholders(text) -> set[str]:
    if isinstance(text, list):
        return set()
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_english_has_every_key_with_the_same_placeholders():
    vi, en = CATALOGUES["vi"], CATALOGUES["en"]
    assert set(en) == set(vi)
    for key in vi:
        assert placeholders(en[key]) == placeholders(vi[key]), key
    assert len(en["weekdays"]) == len(vi["weekdays"]) == 7


def _dynamic_keys() -> dict[str, set[str]]:
    """Every key the code builds with an f-string, by its pattern ({...} written as *): a new
    pattern must be added here, so a key built at run time can never be missing unnoticed."""
    from bot.commands import COMMANDS, TOP_PERIODS
    from bot.daily import PAUSES
    from bot.item_analysis import FLAGS

    commands = {f"cmd.{spec.name}" for spec in COMMANDS}
    return {
        "cmd.*": commands,
        "arg.*.*": {f"arg.{spec.name}.{arg.name}" for spec in COMMANDS for arg in spec.args},
        "choice.*.*": {f"choice.{spec.name}.{value}" for spec in COMMANDS for arg in spec.args
                       for value in arg.choices},
        "top.title_*": {f"top.title_{period}" for period in TOP_PERIODS if period != "streak"},
        "daily.paused_*": {f"daily.paused_{code}" for code in PAUSES},
        "stats.flag_*": {f"stats.flag_{flag}" for flag in FLAGS},
        "*.typed_hint_form": {"quiz.typed_hint_form", "daily.typed_hint_form"},
    }


def test_every_key_the_code_uses_is_in_the_catalogue():
    used, patterns = set(), set()
    for folder in ("bot", "adapters", "studybot"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            used |= set(re.findall(r'\btr(?:\.list)?\(\s*"([a-z_]+\.[a-z_]+|weekdays)"', source))
            used |= set(re.findall(r'(?:ArgError|_described)\(\s*"([a-z_]+\.[a-z_.]+)"', source))
            built = re.findall(r'\bf"((?:\{[^}"]+\}|[a-z_])+\.(?:\{[^}"]+\}|[a-z_.])+)"', source)
            patterns |= {re.sub(r"\{[^}]+\}", "*", key) for key in built}
    patterns -= {"*.yaml", "*.heartbeat", "*.lock"}   # file names (catalogues, beside the database), not keys
    dynamic = _dynamic_keys()
    assert patterns == set(dynamic), f"keys built at run time without a rule here: {sorted(patterns - set(dynamic))}"
    for keys in dynamic.values():
        used |= keys
    for language, strings in CATALOGUES.items():
        assert used and used <= set(strings), (language, sorted(used - set(strings)))


async def test_an_admin_switches_the_chat_to_english_and_the_content_stays_vietnamese(chat):
    refused = await chat.say("An", "/lang en")
    assert refused[0].to is not None and "quản trị viên" in texts(refused)
    assert "Ngôn ngữ của bot trong nhóm này: vi" in texts(await chat.say("An", "/lang"))
    chat.admins.add("Cô Hoa")
    assert "From now on I speak English" in texts(await chat.say("Cô Hoa", "/lang en"))
    assert texts(await chat.say("An", "/help")).startswith("Hello!")
    replies = await chat.say("An", "/quiz lich su 1")
    assert "A quiz round of 1 questions" in texts(replies)
    question = question_of(replies)
    assert question.text.plain().startswith("Question 1/1 · 30 seconds · Quá trình hội nhập quốc tế")
    assert "Choose one of: vi, en" in texts(await chat.say("Cô Hoa", "/lang fr"))
    back = texts(await chat.say("Cô Hoa", "/lang vi"))
    assert "tiếng Việt" in back and texts(await chat.say("An", "/help")).startswith("Chào bạn")


async def test_anyone_chooses_the_language_of_a_private_chat(chat):
    assert "English" in texts(await chat.say("An", "/lang en", private=True))
    assert "A quiz round" in texts(await chat.say("An", "/quiz 1", private=True))
    assert "Chào bạn" in texts(await chat.say("An", "/help"))          # the group is unchanged


def test_every_menu_text_fits_discord_and_telegram_without_being_cut():
    """Discord allows 100 characters for a command's, an option's or a choice's description
    (Telegram 256): a text that had to be cut would end in "…" on Discord."""
    for language, strings in CATALOGUES.items():
        for key, text in strings.items():
            if key.split(".")[0] in ("cmd", "arg", "choice"):
                assert 1 <= len(text) <= 100, (language, key, len(text))
