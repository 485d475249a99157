"""/stats, /report, /reports and the teacher's command-line reports."""

import csv

from tests.conftest import question_of, texts
from tests.test_cli import studybot


async def play_one(chat, right_names=("An",), wrong_names=("Bình",)):
    q = question_of(await chat.say("An", "/quiz lien quan 1"))          # a true/false question
    card = q.question
    for name in right_names:
        await chat.press(name, f"a:{card.asked_id}:{card.correct}")
    for name in wrong_names:
        await chat.press(name, f"a:{card.asked_id}:{1 - card.correct}")
    return await chat.wait(33)


async def test_stats_for_admins_only(chat):
    await play_one(chat)
    refused = await chat.say("An", "/stats")
    assert refused[0].to is not None and "quản trị viên" in texts(refused)
    chat.admins.add("Cô Hoa")
    stats = texts(await chat.say("Cô Hoa", "/stats"))
    assert "Tuần này: 2 thành viên trả lời, 2 câu trả lời · đúng 50%" in stats
    assert "Các khái niệm liên quan: 50% (1/2)" in stats


async def test_report_after_a_reveal_once_per_user_and_reports_for_admins(chat):
    reveal = await play_one(chat)
    button = next(b for r in reveal for b in r.buttons if b.id.startswith("r:"))
    first = await chat.press("Chi", button.id)
    again = await chat.press("Chi", button.id)
    assert first[0].to.name == "Chi" and "Cảm ơn" in texts(first)
    assert "đã báo câu" in texts(again)
    typed = await chat.say("Dũng", "/report kn-htqt-nen-tang câu này <b>mơ hồ</b>")
    assert "Cảm ơn" in texts(typed)
    assert "Không có câu hỏi với mã này" in texts(await chat.say("Dũng", "/report khong-co"))
    assert "Thiếu mã câu hỏi, có trong nút báo lỗi sau mỗi đáp án. Ví dụ: /report ls-asean-1967" == texts(await chat.say("Dũng", "/report"))
    assert (await chat.db.fetchone("SELECT COUNT(*) FROM question_reports"))[0] == 2
    chat.admins.add("Cô Hoa")
    listing = texts(await chat.say("Cô Hoa", "/reports"))
    assert "kn-htqt-nen-tang — 2 lượt" in listing and "<b>mơ hồ</b>" in listing


async def test_the_teacher_exports_results_and_lists_reported_questions(chat, db_path, tmp_path):
    await play_one(chat, right_names=("An", "Chi"), wrong_names=("Bình",))
    await chat.say("Bình", "/report kn-htqt-nen-tang sai đáp án")
    out = tmp_path / "results.csv"
    result = studybot("report", "--chat", "console:lop", "--csv", str(out), "--db", str(db_path),
                      "--config", str(tmp_path / "none.yaml"))
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as exported:
        rows = list(csv.DictReader(exported))
    assert rows[0]["question_id"] == "kn-htqt-nen-tang"
    assert (rows[0]["answers"], rows[0]["correct"], rows[0]["accuracy_percent"]) == ("3", "2", "67")
    listed = studybot("report", "--content", "--db", str(db_path), "--config", str(tmp_path / "none.yaml"))
    assert "kn-htqt-nen-tang\t1 report(s)" in listed.stdout and "sai đáp án" in listed.stdout
    missing = studybot("report", "--chat", "telegram:1", "--csv", str(out), "--db", str(db_path),
                       "--config", str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and "no chat" in missing.stderr
