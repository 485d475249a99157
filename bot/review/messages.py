"""What a review question, its feedback, the end of a session and a nudge look like."""

from __future__ import annotations

from datetime import date

from fsrs import Rating

from bot.model.course import Course, Question
from bot.i18n import Catalog
from bot.quiz.messages import question_body, right_answer_label
from bot.model.play import Presented
from bot.replies import Button, Reply
from bot.text import Rich, bold, italic, join, plain

START_BUTTON = "v:start"


def answer_button_id(turn: int, option: int) -> str:
    return f"v:{turn}:{option}"


def add_button(tr: Catalog, concept_id: str) -> Button:
    return Button(f"v:add:{concept_id}", tr("review.add_button"))


def day_label(tr: Catalog, day: date) -> str:
    return tr("review.day", weekday=tr.list("weekdays")[day.weekday()], date=f"{day:%d/%m}")


def when_label(tr: Catalog, days: int, day: date) -> str:
    if days <= 0:
        return tr("review.today")
    if days == 1:
        return tr("review.tomorrow", day=day_label(tr, day))
    return tr("review.in_days", days=days, day=day_label(tr, day))


def question_reply(tr: Catalog, course: Course, turn: int, question: Question, presented: Presented,
                   remaining: int) -> Reply:
    """A review question with buttons (or a typed answer): never a platform quiz poll, whose
    answers would go to the group quiz's rules."""
    text, buttons = question_body(course, question, presented, tr("review.header", remaining=remaining),
                                  tr("review.typed_hint"), lambda n: answer_button_id(turn, n))
    return Reply(text, buttons)


def feedback_reply(tr: Catalog, course: Course, question: Question, presented: Presented, correct: bool,
                   rating: Rating, when: str) -> Reply:
    rating_name = tr.list("review.ratings")[int(rating) - 1]
    if correct:
        return Reply(plain(tr("review.right", rating=rating_name, when=when)))
    lines: list[Rich | str] = [
        plain(tr("review.wrong")) + bold(right_answer_label(question, presented)),
        question.explanation,
        italic(tr("card.source") + course.sources_label(question.sources)),
        tr("review.wrong_next", when=when),
    ]
    return Reply(join(lines))


def end_reply(tr: Catalog, deck_size: int, next_count: int, next_day: date | None, nudge_time: str | None,
              default_time: str, held: int = 0) -> Reply:
    if deck_size == 0:
        return Reply(plain(tr("review.empty")))
    lines: list[Rich | str] = [bold(tr("review.held", count=held) if held else tr("review.done"))]
    if next_day is not None:
        lines.append(tr("review.next", count=next_count, day=day_label(tr, next_day)))
    lines.append(italic(tr("review.nudge_state", time=nudge_time) if nudge_time
                        else tr("review.nudge_hint", time=default_time)))
    return Reply(join(lines))


def nudge_reply(tr: Catalog, due: int) -> Reply:
    return Reply(plain(tr("review.nudge", count=due)), (Button(START_BUTTON, tr("review.start_button")),))
