"""/stats, /report and /reports: what the class gets wrong (with the questions whose item
analysis most needs the teacher's attention), and questions flagged as wrong or unclear."""

from __future__ import annotations

from bot.item_analysis import ItemStats, needing_attention
from bot.item_report import item_statistics
from bot.periods import week_key
from bot.replies import Reply
from bot.review import memory
from bot.store import people, reports_store
from bot.text import Rich, bold, italic, join
from bot.turn import Args, Turn

MAX_REASON = 300
ATTENTION_SHOWN = 5          # flagged questions in /stats; `studybot report --items` lists all


async def stats_command(turn: Turn, args: Args) -> list[Reply]:
    """The class's activity and accuracy per topic, for the teacher alone."""
    core, tr, chat_id = turn.core, turn.tr, turn.chat_id
    if not turn.is_admin:
        return [turn.aside(tr("reports.admin_only"))]
    timezone = await people.chat_timezone(core.db, chat_id)
    members, answers, right = await reports_store.week_activity(core.db, chat_id, week_key(turn.now, timezone))
    lines: list[Rich | str] = [bold(tr("stats.title"))]
    accuracy = tr("stats.accuracy", percent=round(100 * right / answers)) if answers else ""
    lines.append(tr("stats.week", members=members, answers=answers, accuracy=accuracy))
    topics = await reports_store.topic_accuracy(core.db, chat_id)
    if topics:
        lines.append(tr("stats.by_topic"))
        for topic, count, correct in topics:
            lines.append(f"• {core.course.topic_title(topic)}: {round(100 * correct / count)}% ({correct}/{count})")
    else:
        lines.append(tr("stats.none"))
    lines += await memory.class_lines(core, tr, chat_id, turn.now)
    attention = needing_attention(await item_statistics(core.db, core.course, chat_id), ATTENTION_SHOWN)
    if attention:
        lines.append(tr("stats.attention"))
        for item in attention:
            lines.append(_attention_line(tr, item))
    return [turn.tell(join(lines))]


def _attention_line(tr, item: ItemStats) -> str:
    """"• kn-x: 15% đúng (3/20) · độ phân biệt −0.31 — quá khó, phân biệt âm"."""
    parts = [tr("stats.item_right", percent=round(100 * item.facility), right=item.right,
                answers=item.answers)]
    if item.discrimination is not None:
        parts.append(tr("stats.item_discrimination", value=f"{item.discrimination:.2f}"))
    flags = ", ".join(tr(f"stats.flag_{flag}") for flag in item.flags)
    return f"• {item.question_id}: {' · '.join(parts)} — {flags}"


async def report_command(turn: Turn, args: Args) -> list[Reply]:
    return await report(turn, args["id"], args["reason"] or "")


async def report(turn: Turn, question_id: str, reason: str) -> list[Reply]:
    """A student flags a question as wrong or unclear (/report, or the button under a reveal)."""
    question_id = question_id.strip().lower()
    tr = turn.tr
    if question_id not in turn.core.course.questions:
        return [turn.aside(tr("report.unknown"))]
    new = await reports_store.add_report(turn.core.db, question_id, turn.chat_id, turn.user_id,
                                         " ".join(reason.split())[:MAX_REASON], turn.now)
    return [turn.aside(tr("report.thanks" if new else "report.again", id=question_id))]


async def reports_command(turn: Turn, args: Args) -> list[Reply]:
    """The questions students of this chat reported, for the teacher alone."""
    core, tr, chat_id = turn.core, turn.tr, turn.chat_id
    if not turn.is_admin:
        return [turn.aside(tr("reports.admin_only"))]
    reports = await reports_store.reports_in_chat(core.db, chat_id)
    lines: list[Rich | str] = [bold(tr("reports.title"))]
    if not reports:
        lines.append(tr("reports.none"))
    for question_id, count, reasons in reports:
        question = core.course.questions.get(question_id)
        prompt = question.prompt[:80] if question else tr("reports.gone")
        lines.append(tr("reports.line", id=question_id, count=count, prompt=prompt))
        if reasons:
            lines.append(italic(tr("reports.reasons", reasons=reasons[:200])))
    return [turn.tell(join(lines))]
