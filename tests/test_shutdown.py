"""Graceful shutdown: SIGTERM while answers are being recorded loses nothing that was committed."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading

from tests.conftest import FIXTURE_COURSE, ROOT


def test_sigterm_during_a_burst_of_answers_exits_cleanly_and_keeps_them(tmp_path):
    db = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DISCORD_TOKEN")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "studybot.cli", "run", "--db", str(db), "--content", str(FIXTURE_COURSE),
         "--config", str(tmp_path / "none.yaml")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    out_lines: list[str] = []
    acked = threading.Event()

    def read_output():
        for line in proc.stdout:
            out_lines.append(line)
            if sum("[chỉ " in l for l in out_lines) >= 40:
                acked.set()

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    proc.stdin.write("/quiz lien quan 1\n")          # one true/false question: buttons [1] [2]
    for n in range(300):
        proc.stdin.write(f"u{n}: 1\n")
    proc.stdin.flush()
    assert acked.wait(30), "".join(out_lines[-5:])
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)
    reader.join(10)
    proc.stdin.close()
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert proc.returncode == 0, stderr
    acks = sum(1 for line in out_lines if re.search(r"\[chỉ u\d+ thấy\]", line))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    totals = conn.execute("SELECT COALESCE(SUM(answers), 0) FROM scores WHERE period = 'all'").fetchone()[0]
    conn.close()
    assert stored >= acks >= 40 and stored == totals
    assert not (tmp_path / "db.sqlite3-wal").exists() or (tmp_path / "db.sqlite3-wal").stat().st_size == 0
