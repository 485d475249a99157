"""/top and /me: the chat's leaderboards and a user's own figures."""

from __future__ import annotations

from bot.core import Core
from bot.i18n import Catalog
from bot.periods import period_key, week_key
from bot.replies import Reply
from bot.review import memory
from bot.store import people, quiz_store, scores
from bot.store.scores import Streak
from bot.text import Rich, bold, italic, join, plain
from bot.turn import Args, Turn


def alive_days(days: list[tuple[str, bool]]) -> tuple[str, ...]:
    """The daily days a streak may end on and still be alive: the latest daily question, and
    the one before it while the latest is still open for answers. `days` is newest first,
    each with whether it is revealed."""
    if not days:
        return ()
    if not days[0][1] and len(days) > 1:
        return (days[0][0], days[1][0])
    return (days[0][0],)


async def current_streak(core: Core, chat_id: int, streak: Streak | None) -> int:
    if streak is None:
        return 0
    alive = alive_days(await quiz_store.daily_days(core.db, chat_id))
    return streak.current if streak.last_day in alive else 0


def _personal(turn: Turn, text: Rich) -> Reply:
    """/top and /me: in the chat, or for the asker alone when the settings say so."""
    return turn.tell(text) if turn.core.settings.private_standings else turn.say(text)


async def top_command(turn: Turn, args: Args) -> list[Reply]:
    core, tr, now, chat_id = turn.core, turn.tr, turn.now, turn.chat_id
    period = args["period"] or "week"
    if period == "streak":
        return [_personal(turn, await _streak_text(core, tr, chat_id, turn.user_id))]
    timezone = await people.chat_timezone(core.db, chat_id)
    stored = period_key(period, now, timezone)
    entries = await scores.top(core.db, chat_id, stored)
    title = tr(f"top.title_{period}")
    if period == "week":
        monday = week_key(now, timezone)
        title += tr("top.since_monday", day=monday[8:10], month=monday[5:7])
    if not entries:
        return [_personal(turn, join([bold(title), tr("top.empty")]))]
    lines: list[Rich | str] = [bold(title)]
    for entry in entries:
        accuracy = round(100 * entry.correct / entry.answers) if entry.answers else 0
        lines.append(tr("top.line", rank=entry.rank, name=entry.name, points=entry.points, accuracy=accuracy))
    mine = await scores.position(core.db, chat_id, stored, turn.user_id)
    total = await scores.players(core.db, chat_id, stored)
    if mine is None:
        lines.append(italic(tr("top.you_none")))
    else:
        lines.append(italic(tr("top.you", rank=mine.rank, total=total, points=mine.points)))
    return [_personal(turn, join(lines))]


async def _streak_text(core: Core, tr: Catalog, chat_id: int, user_id: int) -> Rich:
    alive = alive_days(await quiz_store.daily_days(core.db, chat_id))
    lines: list[Rich | str] = [bold(tr("streak.title"))]
    if not alive:
        return join(lines + [tr("streak.no_daily")])
    rows = await scores.top_streaks(core.db, chat_id, alive)
    if not rows:
        lines.append(tr("streak.none"))
    for n, (name, current, best) in enumerate(rows, 1):
        lines.append(tr("streak.line", rank=n, name=name, current=current, best=best))
    mine = await current_streak(core, chat_id, await scores.streak(core.db, chat_id, user_id))
    lines.append(italic(tr("streak.you", current=mine)))
    return join(lines)


async def me_command(turn: Turn, args: Args) -> list[Reply]:
    core, tr, chat_id, user_id = turn.core, turn.tr, turn.chat_id, turn.user_id
    name = people.display_name(turn.user)
    here = await scores.position(core.db, chat_id, "all", user_id)
    total_points, total_answers, total_correct = await scores.overall(core.db, user_id)
    lines: list[Rich | str] = [bold(f"📊 {name}")]
    if here is None:
        lines.append(tr("me.nothing"))
    else:
        players = await scores.players(core.db, chat_id, "all")
        accuracy = round(100 * here.correct / here.answers)
        lines.append(tr("me.here", points=here.points, rank=here.rank, players=players,
                        correct=here.correct, answers=here.answers, accuracy=accuracy))
    if total_answers:
        lines.append(tr("me.overall", points=total_points, correct=total_correct, answers=total_answers))
    streak = await scores.streak(core.db, chat_id, user_id)
    current = await current_streak(core, chat_id, streak)
    lines.append(tr("me.streak", current=current, best=streak.best if streak else 0))
    weak = await scores.weakest_topics(core.db, chat_id, user_id, core.settings.min_topic_answers)
    weak = [w for w in weak if w.correct < w.answers]
    if weak:
        shown = ", ".join(
            f"{core.course.topic_title(w.topic)} "
            + tr("me.weak_count", correct=w.correct, answers=w.answers) for w in weak)
        lines.append(plain(tr("me.weak")) + shown)
    if not turn.chat.is_group:         # review is private: its figures only in a private chat
        lines += await memory.me_lines(core, tr, user_id, chat_id, turn.now)
    return [_personal(turn, join(lines))]
