"""The console adapter's machine mode, driven line by line as a script would."""

import io
import re
import json

from studybot.run import run_console
from tests.conftest import FIXTURE_COURSE, CONTENT


def run_lines(lines, db, content=FIXTURE_COURSE, start="2026-11-23T08:00:00+07:00"):
    stdin = io.StringIO("\n".join(json.dumps(l) if not isinstance(l, str) else l for l in lines) + "\n")
    stdout = io.StringIO()
    code = run_console(content_dir=content, db_path=db, jsonl=True, start=start, stdin=stdin, stdout=stdout)
    assert code == 0
    return [json.loads(line) for line in stdout.getvalue().splitlines()]


def test_define_from_a_fresh_start(tmp_path):
    out = run_lines([{"user": "an", "text": "/define hoi nhap quoc te"}], tmp_path / "db.sqlite3", content=CONTENT)
    assert out[0]["chat"] == "lop"
    assert out[0]["text"].startswith("Hội nhập quốc tế")
    assert "Nguồn: Bài giảng Chương 1: Hội nhập quốc tế — §1.1.1" in out[0]["text"]
    assert out[-1] == {"ack": 1}


def test_every_line_is_acked_and_bad_lines_get_errors(tmp_path):
    out = run_lines([
        "not json",
        [1, 2],
        {"user": "an"},
        {"user": "an", "text": "/help", "press": "x"},
        {"text": "/help"},
        {"user": "an", "text": 5},
        {"at": "yesterday"},
        {"at": "2026-11-23T08:00:00"},
        {"at": "2020-01-01T00:00:00+00:00"},
        {"user": "an", "text": "/help"},
    ], tmp_path / "db.sqlite3")
    errors = [o["error"] for o in out if "error" in o]
    assert len(errors) == 9
    assert "cannot go back" in errors[-1] and "UTC offset" in errors[-2]
    acks = [o["ack"] for o in out if "ack" in o]
    assert acks == list(range(1, 11))
    assert out[-2]["text"].startswith("Chào bạn!")


def test_private_admin_chat_and_to(tmp_path):
    out = run_lines([
        {"user": "an", "text": "/daily on 09:00"},
        {"user": "co", "name": "Cô Hoa", "text": "/daily on 09:00", "admin": True},
        {"user": "an", "text": "/quiz 1", "private": True},
    ], tmp_path / "db.sqlite3")
    refused = out[0]
    assert refused["to"] == "an" and "quản trị viên" in refused["text"]
    assert "đang bật" in out[2]["text"] and "to" not in out[2]
    private = [o for o in out if o.get("chat") == "dm-an"]
    assert private and "Bắt đầu lượt quiz 1 câu" in private[0]["text"]


def test_a_quiz_round_with_three_users_in_the_console(tmp_path):
    db = tmp_path / "db.sqlite3"
    out = run_lines([{"user": "an", "name": "An", "text": "/quiz lien quan 1"}], db)   # a true/false
    question = next(o for o in out if o.get("buttons"))
    press = question["buttons"][0]["id"]
    out = run_lines([
        {"user": "an", "name": "An", "press": press},
        {"user": "binh", "name": "Bình", "press": press},
        {"user": "an", "name": "An", "press": press},
        {"at": "2026-11-23T08:01:00+07:00"},
        {"user": "chi", "name": "Chi", "text": "/top"},
        {"user": "an", "name": "An", "text": "/me"},
    ], db, start="2026-11-23T08:00:10+07:00")
    private = [o for o in out if o.get("to")]
    assert [o["to"] for o in private] == ["an", "binh", "an"]
    assert "đã trả lời câu này rồi" in private[2]["text"]
    public = [o["text"] for o in out if "text" in o and "to" not in o]
    assert any("Đáp án:" in t for t in public)
    assert any("Kết thúc lượt quiz" in t for t in public)
    top = next(t for t in public if t.startswith("🏆"))
    me = next(t for t in public if t.startswith("📊"))
    assert "Bạn chưa có điểm" in top
    assert "An" in me and "đúng" in me


def test_a_scripted_session_is_deterministic(tmp_path):
    script = [{"user": "an", "text": "/quiz 3"}, {"at": "2026-11-23T08:00:40+07:00"},
              {"at": "2026-11-23T08:01:20+07:00"}, {"at": "2026-11-23T08:02:00+07:00"}]
    first = run_lines(script, tmp_path / "a.sqlite3")
    second = run_lines(script, tmp_path / "b.sqlite3")
    assert first == second and any("Kết thúc lượt quiz" in o.get("text", "") for o in first)


def test_moving_the_clock_runs_the_daily_for_a_week_in_one_go(tmp_path):
    lines = [{"user": "co", "name": "Cô Hoa", "text": "/daily on 08:00", "admin": True}]
    for day in range(24, 31):
        lines.append({"at": f"2026-11-{day}T08:00:30+07:00"})
    out = run_lines(lines, tmp_path / "db.sqlite3")
    posts = [o["text"] for o in out if re.match(r"📅 Câu hỏi mỗi ngày \d", o.get("text", ""))]
    reveals = [o["text"] for o in out if o.get("text", "").startswith("📅 Đáp án")]
    assert len(posts) == 8 and len(reveals) == 7      # Monday's (posted at once) to next Monday's
    assert posts[0].startswith("📅 Câu hỏi mỗi ngày 23/11/2026")
    assert len(set(posts)) == 8


def test_interactive_console_defines_presses_buttons_and_speaks_as_others(tmp_path):
    import subprocess
    import sys
    typed = "/define hoi nhap quoc te\n1\nBình: /me\n"
    result = subprocess.run(
        [sys.executable, "-m", "studybot.cli", "console", "--db", str(tmp_path / "db.sqlite3")],
        input=typed, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Hội nhập quốc tế là quá trình kết hợp các quốc gia riêng rẽ" in out
    assert "Nguồn: Bài giảng Chương 1: Hội nhập quốc tế — §1.1.1" in out
    assert "[1] " in out                                  # related concepts as numbered buttons
    assert "📊 Bình" in out                               # spoke as another classmate
    assert "Traceback" not in result.stderr
