"""The studybot command line as a teacher and an operator use it."""

import os
import subprocess
import sys

from tests.conftest import CONTENT, FIXTURE_COURSE


def studybot(*args, stdin="", env: dict[str, str] | None = None):
    """The command as run from the project, with `env` added to this environment."""
    return subprocess.run([sys.executable, "-m", "studybot.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def test_content_check_passes_on_shipped_content():
    result = studybot("content", "check", "--content", str(CONTENT))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("OK:")


def test_content_stats_counts_topics_and_types():
    result = studybot("content", "stats", "--content", str(FIXTURE_COURSE))
    assert result.returncode == 0, result.stderr
    assert "3 concepts, 5 questions" in result.stdout
    assert "Quá trình hội nhập quốc tế trên thế giới" in result.stdout
    assert "types: choice 1, true_false 2, short 1, order 1" in result.stdout
    assert "fit a Telegram quiz poll: 4 of 5" in result.stdout        # all but the typed one
