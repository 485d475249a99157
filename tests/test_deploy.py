"""Deployment files: the compose file parses, keeps the scores on a named volume and checks the
bot's health (tests/test_heartbeat.py runs that check)."""

import yaml

from tests.conftest import ROOT


def test_compose_runs_the_bot_with_env_file_and_a_named_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    service = compose["services"]["studybot"]
    assert service["env_file"] == [".env"]
    volume, mount = service["volumes"][0].split(":")
    assert mount == "/data" and volume in compose["volumes"]
    assert service["restart"] == "unless-stopped"
    assert service["healthcheck"]["test"] == ["CMD", "studybot", "doctor", "--alive"]


def test_the_image_runs_as_a_user_with_the_database_on_the_volume():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER studybot" in dockerfile
    assert "STUDYBOT_DB=/data/studybot.sqlite3" in dockerfile and 'VOLUME ["/data"]' in dockerfile
    assert 'CMD ["studybot", "run"]' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".venv" in ignored


def test_env_example_names_the_tokens_and_holds_none():
    lines = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
                 if line and not line.startswith("#"))
    assert lines == {"TELEGRAM_BOT_TOKEN": "", "DISCORD_TOKEN": ""}
