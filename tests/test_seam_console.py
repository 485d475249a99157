"""The interactive console (`studybot console`): the terminal shows only the chat (logs go to a
file beside the database unless --verbose), and a message the clock pushes is followed by the
prompt again, so the person at the terminal knows they can type."""

import asyncio
import io
import os
import subprocess
import sys
from datetime import timedelta

from adapters.console import ConsoleAdapter
from bot.clock import ManualClock
from tests.conftest import FIXTURE_COURSE, ROOT, START, Serving


def console(tmp_path, *flags: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DISCORD_TOKEN")}
    return subprocess.run(
        [sys.executable, "-m", "studybot.cli", "console", "--db", str(tmp_path / "class.sqlite3"),
         "--content", str(FIXTURE_COURSE), "--config", str(tmp_path / "none.yaml"), *flags],
        input="/define hnqt\n", capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)


def test_the_log_goes_to_a_file_beside_the_database_and_the_terminal_shows_the_chat(tmp_path):
    result = console(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Hội nhập quốc tế là quá trình" in result.stdout
    assert "bot.service event" not in result.stdout + result.stderr
    assert result.stderr == ""
    log = (tmp_path / "class.log").read_text(encoding="utf-8")
    assert "bot.service event platform=console" in log and "command=define" in log


def test_verbose_shows_the_log_in_the_terminal_and_writes_no_file(tmp_path):
    result = console(tmp_path, "--verbose")
    assert result.returncode == 0, result.stderr
    assert "Hội nhập quốc tế là quá trình" in result.stdout
    assert "bot.service event platform=console" in result.stderr and "command=define" in result.stderr
    assert not (tmp_path / "class.log").exists()


class Screen(io.StringIO):
    """The terminal: what was written, and a way to wait for something to appear."""

    async def shows(self, text: str, after: int = 0, timeout: float = 10.0) -> int:
        for _ in range(int(timeout / 0.01)):
            found = self.getvalue().find(text, after)
            if found >= 0:
                return found
            await asyncio.sleep(0.01)
        raise AssertionError(f"{text!r} never appeared after {after}: {self.getvalue()[after:]!r}")


async def test_a_message_the_clock_pushes_is_followed_by_the_prompt(mini_course, tmp_path):
    read_end, write_end = os.pipe()
    keyboard = os.fdopen(write_end, "w", encoding="utf-8")
    screen = Screen()
    clock = ManualClock(START)
    adapter = ConsoleAdapter(os.fdopen(read_end, "r", encoding="utf-8"), screen)
    try:
        async with Serving(adapter, mini_course, tmp_path / "db.sqlite3", clock) as served:
            await screen.shows("ban> ")
            keyboard.write("/quiz lich su 1\n")
            keyboard.flush()
            asked = await screen.shows("Câu 1/1")
            await screen.shows("ban> ", after=asked)                # typed: the prompt comes back

            mark = len(screen.getvalue())
            clock.move_to(START + timedelta(seconds=40))
            await served.due()                                       # the clock's tick: a reveal
            pushed = screen.getvalue()[mark:]
            assert "Hết giờ" in pushed and "Kết thúc lượt quiz" in pushed
            assert pushed.rstrip(" ").endswith("\nban>"), repr(pushed[-80:])

            keyboard.write("Bình: /me\n")                           # the prompt still works
            keyboard.flush()
            answered = await screen.shows("📊 Bình", after=mark)
            await screen.shows("Bình> ", after=answered)
    finally:
        keyboard.close()
