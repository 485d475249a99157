"""The command table: aliases and which commands need the platform's word on admin rights."""

import pytest

from bot.commands import find, needs_admin_check


@pytest.mark.parametrize("name, args, expected", [
    ("stop", "", True), ("dung", "", True), ("stats", "", True), ("reports", "", True),
    ("daily", "", False), ("daily", "on 08:00", True), ("daily", "TZ Europe/Berlin", True),
    ("daily", "what", False), ("lang", "", False), ("lang", "en", True), ("ngonngu", "vi", True),
    ("define", "hnqt", False), ("quiz", "5", False), ("me", "", False),
])
def test_needs_admin_check(name, args, expected):
    assert needs_admin_check(name, args) is expected


def test_aliases_resolve_to_commands():
    assert find("BXH").name == "top" and find("traloi").name == "answer" and find("quiz").name == "quiz"
    assert find("nope") is None


async def test_an_alias_reaches_the_same_command(chat):
    from tests.conftest import texts
    assert texts(await chat.say("An", "/huongdan")) == texts(await chat.say("An", "/help"))
    assert "chưa biết lệnh /xyz" in texts(await chat.say("An", "/xyz"))
