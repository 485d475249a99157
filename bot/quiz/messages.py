"""What a question, a reveal and the standings look like, as platform-neutral replies."""

from __future__ import annotations

from collections.abc import Callable

from bot.model.course import Course, Question
from bot.i18n import Catalog
from bot.model.play import AnswerRow, Presented, Standing
from bot.quiz.present import correct_answer_text
from bot.replies import Button, QuestionCard, Reply
from bot.text import Rich, bold, italic, join, plain

LETTERS = "ABCDEFGH"
MAX_NAMES = 10


def answer_button_id(asked_id: int, option: int) -> str:
    return f"a:{asked_id}:{option}"


def question_reply(course: Course, asked_id: int, question: Question, presented: Presented,
                   header: str, open_seconds: int, typed_hint: str,
                   answer_button: Button | None = None) -> Reply:
    """A question for the whole chat. A typed question says how to answer where the chat is
    (`typed_hint`) and may carry a button that opens a form to type in (`answer_button`)."""
    text, buttons = question_body(course, question, presented, header, typed_hint,
                                  lambda n: answer_button_id(asked_id, n))
    if presented.typed and answer_button is not None:
        buttons = (answer_button,)
    card = QuestionCard(asked_id, question.prompt, presented.options, presented.correct,
                        question.explanation, open_seconds)
    return Reply(text, buttons, question=card, game=True)


def question_body(course: Course, question: Question, presented: Presented, header: str, typed_hint: str,
                  button_id: Callable[[int], str]) -> tuple[Rich, tuple[Button, ...]]:
    """A question's text and answer buttons (none for a typed answer); `button_id` names option n."""
    topic = course.topics.get(question.topic)
    lines: list[Rich | str] = [
        italic(header + (f" · {topic.title}" if topic else "")),
        bold(question.prompt),
    ]
    if question.type in ("choice", "order"):
        lines += [f"{LETTERS[n]}. {option}" for n, option in enumerate(presented.options)]
        buttons = tuple(Button(button_id(n), LETTERS[n]) for n in range(len(presented.options)))
    elif question.type == "true_false":
        buttons = tuple(Button(button_id(n), label) for n, label in enumerate(presented.options))
    else:
        lines.append(italic(typed_hint))
        buttons = ()
    return join(lines), buttons


def true_false_labels(tr: Catalog) -> tuple[str, str]:
    """A true/false question's two buttons, true first, in the chat's language."""
    return tr("quiz.true"), tr("quiz.false")


def option_label(presented: Presented, option: int) -> str:
    """An option as the chat saw it: a button's own label (true/false), else letter and text."""
    if presented.typed:
        return ""
    if len(presented.options) == 2:
        return presented.options[option]
    return f"{LETTERS[option]}. {presented.options[option]}"


def right_answer_label(question: Question, presented: Presented) -> str:
    """The right answer as the chat saw it: its option's label, or the typed answer."""
    if presented.typed:
        return correct_answer_text(question, presented)
    return option_label(presented, presented.correct)


def names(tr: Catalog, rows: list[AnswerRow], with_points: bool = True) -> str:
    shown = [f"{r.name} (+{r.points})" if with_points else r.name for r in rows[:MAX_NAMES]]
    if len(rows) > MAX_NAMES:
        shown.append(tr("quiz.and_others", count=len(rows) - MAX_NAMES))
    return ", ".join(shown)


def reveal_reply(tr: Catalog, course: Course, question: Question, presented: Presented,
                 answers: list[AnswerRow], title: str) -> Reply:
    right = [a for a in answers if a.correct]
    answer = right_answer_label(question, presented)
    lines: list[Rich | str] = [
        bold(title),
        plain(tr("quiz.answer")) + bold(answer),
        question.explanation,
        italic(tr("card.source") + course.sources_label(question.sources)),
    ]
    if right:
        lines.append(plain(tr("quiz.right", right=len(right), total=len(answers))) + names(tr, right))
    elif answers:
        lines.append(tr("quiz.nobody_right", total=len(answers)))
    else:
        lines.append(tr("quiz.no_answers"))
    return Reply(join(lines), (report_button(tr, question.id),), game=True)


def report_button(tr: Catalog, question_id: str) -> Button:
    """Under every reveal: a student can flag the question as wrong or unclear."""
    return Button(f"r:{question_id}", tr("report.button"))


def recap_line(tr: Catalog, question: Question, presented: Presented, position: int,
               answers: int, right: int) -> str:
    """One line for a question the platform revealed itself (a closed quiz poll): its answer
    and how the chat did, shown with the standings instead of a message of its own."""
    answer = right_answer_label(question, presented)
    return tr("quiz.recap", position=position, answer=answer, right=right, total=answers)


def standings_reply(tr: Catalog, title: str, standings: list[Standing], recap: list[str] = ()) -> Reply:
    lines: list[Rich | str] = [bold(title), *recap]
    if not standings:
        lines.append(tr("quiz.standings_empty"))
    for n, s in enumerate(standings[:MAX_NAMES], 1):
        lines.append(tr("quiz.standing", rank=n, name=s.name, points=s.points, correct=s.correct,
                        answers=s.answers))
    lines.append(italic(tr("quiz.see_top")))
    return Reply(join(lines), game=True)
