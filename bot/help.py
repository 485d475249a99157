"""/start, /help and /topics: what the bot does and every command with an example, in Vietnamese."""

from __future__ import annotations

from bot.course.model import Course
from bot.quiz.scoring import BASE_POINTS, DAILY_POINTS, SPEED_BONUS
from bot.replies import Reply
from bot.settings import Settings
from bot.text import bold, code, italic, join, plain

COMMANDS = (
    ("define", "hội nhập quốc tế", "tra định nghĩa một khái niệm của bài học (gõ không dấu, viết tắt đều được)"),
    ("topics", "", "xem các chủ đề của chương"),
    ("quiz", "lịch sử 5", "bắt đầu một lượt quiz (chủ đề và số câu tùy chọn, tối đa 20)"),
    ("stop", "", "dừng lượt quiz đang chạy (người bắt đầu hoặc quản trị viên)"),
    ("top", "week", "bảng xếp hạng của nhóm: week, month, all hoặc streak"),
    ("me", "", "điểm, thứ hạng, độ chính xác, chuỗi ngày và chủ đề còn yếu của bạn"),
    ("daily", "on 08:00", "câu hỏi mỗi ngày: xem lịch; quản trị viên bật/tắt, đổi giờ, múi giờ"),
    ("help", "", "xem hướng dẫn này"),
)


def help_reply(settings: Settings) -> Reply:
    lines = [
        bold("Chào bạn! Mình là bot ôn tập chương Hội nhập quốc tế."),
        "Mình tra định nghĩa theo đúng bài giảng, tổ chức quiz cho cả nhóm, đăng một câu hỏi mỗi ngày "
        "và giữ bảng xếp hạng.",
        "",
        bold("Các lệnh"),
    ]
    for name, example, what in COMMANDS:
        usage = f"/{name} {example}".rstrip()
        lines.append(code(usage) + plain(" — " + what))
    lines += [
        "",
        bold("Cách tính điểm"),
        f"Quiz: trả lời đúng được {BASE_POINTS} điểm, cộng tối đa {SPEED_BONUS} điểm nếu trả lời nhanh "
        f"(mỗi câu {settings.question_seconds} giây). Câu hỏi mỗi ngày: đúng được {DAILY_POINTS} điểm. "
        "Trả lời sai không bị trừ điểm. Chỉ câu trả lời đầu tiên của mỗi người được tính.",
    ]
    return Reply(join(lines))


def topics_reply(course: Course) -> Reply:
    lines = [bold("Các chủ đề của chương")]
    for topic in course.topics.values():
        count = sum(1 for q in course.questions.values() if q.topic == topic.id)
        alias = topic.aliases[0] if topic.aliases else topic.id
        lines.append(plain(f"• {topic.title} — {count} câu hỏi · ") + code(f"/quiz {alias}"))
    lines.append(italic("Gõ /quiz để trộn mọi chủ đề."))
    return Reply(join(lines))
