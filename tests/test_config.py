"""Settings: bad values stop start-up with one clear line; tokens never come from the YAML."""

import pytest

from studybot.config import ConfigError, load_config
from tests.conftest import ROOT
from tests.test_cli import studybot


def config_with(tmp_path, text: str, environ=None, dotenv: str = ""):
    path = tmp_path / "studybot.yaml"
    path.write_text(text, encoding="utf-8")
    env_file = tmp_path / ".env"
    env_file.write_text(dotenv, encoding="utf-8")
    return load_config(path, environ=environ or {}, dotenv=env_file)


def test_the_example_file_is_valid_and_means_the_defaults(tmp_path):
    config = load_config(ROOT / "studybot.example.yaml", environ={}, dotenv=tmp_path / "none")
    assert config.settings.question_seconds == 30 and config.settings.daily_time == "08:00"
    assert config.settings.default_timezone == "Asia/Ho_Chi_Minh" and config.settings.language == "vi"
    assert config.settings.review_retention == 0.9


@pytest.mark.parametrize("text, message", [
    ("quizz: 1\n", "quizz: unknown setting"),
    ("quiz:\n  seconds: abc\n", "quiz.seconds: must be a whole number from 5 to 600 (got 'abc')"),
    ("quiz:\n  seconds: 2\n", "quiz.seconds: must be a whole number from 5 to 600 (got 2)"),
    ("daily_time: 8:30\n", 'daily_time: must be a time "HH:MM" in quotes'),
    ("timezone: Mars/Base\n", "timezone: must be an IANA time zone"),
    ("language: fr\n", "language: must be one of vi, en"),
    ("review:\n  retention: 0.99\n", "review.retention: must be a number from 0.7 to 0.97 (got 0.99)"),
    ("review:\n  retention: lots\n", "review.retention: must be a number from 0.7 to 0.97 (got 'lots')"),
    ("telegram:\n  token: 123:ABC\n", "telegram.token: tokens go in the environment or .env"),
    ("- a list\n", "must be a mapping of settings"),
    ("quiz: [\n", "not valid YAML"),
])
def test_a_bad_setting_names_itself_and_what_is_accepted(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        config_with(tmp_path, text)
    assert message in str(error.value)
    assert "123:ABC" not in str(error.value)


def test_environment_beats_the_file_and_dotenv_supplies_tokens(tmp_path):
    config = config_with(tmp_path, "quiz:\n  seconds: 45\n", environ={"STUDYBOT_QUIZ_SECONDS": "20"},
                         dotenv="TELEGRAM_BOT_TOKEN='123:secret'\n# a comment\n")
    assert config.settings.question_seconds == 20
    assert config_with(tmp_path, "review:\n  retention: 0.85\n").settings.review_retention == 0.85
    assert config.sources["quiz.seconds"] == "STUDYBOT_QUIZ_SECONDS"
    assert config.telegram_token == "123:secret"


def test_a_bad_environment_value_is_named_too(tmp_path):
    with pytest.raises(ConfigError) as error:
        config_with(tmp_path, "", environ={"STUDYBOT_DAILY_TIME": "25:00"})
    assert str(error.value).startswith("STUDYBOT_DAILY_TIME: daily_time: must be")


def test_start_up_stops_with_one_line_and_no_traceback(tmp_path):
    (tmp_path / "bad.yaml").write_text("quiz:\n  round_size: 99\n")
    result = studybot("console", "--jsonl", "--config", str(tmp_path / "bad.yaml"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "quiz.round_size: must be a whole number from 1 to 20 (got 99)" in result.stderr


async def test_the_default_timezone_applies_to_new_chats(mini_course, tmp_path):
    from bot.settings import Settings
    from tests.conftest import make_chat

    room, context = await make_chat(mini_course, tmp_path / "db.sqlite3",
                                    settings=Settings(default_timezone="Europe/Berlin"))
    try:
        await room.say("An", "/me")
        assert (await room.db.fetchone("SELECT timezone FROM chats"))[0] == "Europe/Berlin"
    finally:
        await context.__aexit__(None, None, None)


def test_doctor_on_a_healthy_setup_and_on_a_broken_database(tmp_path):
    import sqlite3

    good = tmp_path / "good.sqlite3"
    from bot.store.migrations import MIGRATIONS
    conn = sqlite3.connect(good)
    for script in MIGRATIONS:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version={len(MIGRATIONS)}")
    conn.close()
    healthy = studybot("doctor", "--db", str(good), "--config", str(tmp_path / "none.yaml"))
    assert healthy.returncode == 0, healthy.stdout
    assert "OK  settings: valid; all defaults" in healthy.stdout
    settings = tmp_path / "studybot.yaml"
    settings.write_text("quiz:\n  seconds: 45\n", encoding="utf-8")
    told = studybot("doctor", "--db", str(good), "--config", str(settings), env={"STUDYBOT_LANGUAGE": "en"})
    assert f"OK  settings: valid; quiz.seconds from {settings}, language from STUDYBOT_LANGUAGE" in told.stdout
    assert "OK  database:" in healthy.stdout and f"schema {len(MIGRATIONS)} is current" in healthy.stdout
    from bot.course.load import load_course
    shipped = load_course(ROOT / "content")
    assert f"OK  content: {len(shipped.concepts)} concepts, {len(shipped.questions)} questions" in healthy.stdout

    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    result = studybot("doctor", "--db", str(broken), "--config", str(tmp_path / "none.yaml"))
    assert result.returncode == 1
    assert "FIX database:" in result.stdout and "restore a backup" in result.stdout
    assert "Traceback" not in result.stderr


def test_doctor_flags_a_malformed_token_without_printing_it(tmp_path):
    import os
    import subprocess
    import sys
    env = dict(os.environ, TELEGRAM_BOT_TOKEN="not-a-token-SECRET")
    result = subprocess.run([sys.executable, "-m", "studybot.cli", "doctor", "--db", str(tmp_path / "x.db"),
                             "--config", str(tmp_path / "none.yaml")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "FIX TELEGRAM_BOT_TOKEN: not a BotFather token" in result.stdout
    assert "SECRET" not in result.stdout + result.stderr


def test_delivery_and_privacy_settings_are_read_and_checked(tmp_path):
    path = tmp_path / "studybot.yaml"
    path.write_text("private_standings: true\nflood: {commands: 8, seconds: 20}\ntelegram: {polls: false}\n")
    config = load_config(path, environ={}, dotenv=tmp_path / "none")
    assert config.settings.private_standings is True and config.telegram_polls is False
    assert (config.settings.flood_commands, config.settings.flood_seconds) == (8, 20)
    path.write_text("flood: {commands: 0}\n")
    with pytest.raises(ConfigError, match="flood.commands: must be a whole number from 1 to 100"):
        load_config(path, environ={}, dotenv=tmp_path / "none")
    with pytest.raises(ConfigError, match="STUDYBOT_PRIVATE_STANDINGS: private_standings: must be true or false"):
        load_config(tmp_path / "none.yaml", environ={"STUDYBOT_PRIVATE_STANDINGS": "maybe"}, dotenv=tmp_path / "none")
