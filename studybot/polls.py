"""Which questions of the course Telegram can show as native quiz polls, for the teacher's
`studybot content check --polls` and `content stats`: judged by the Telegram adapter's own rule
(adapters.telegram_adapter.poll_overflows), so the report and the bot never disagree."""

from __future__ import annotations

import random

from adapters.telegram_adapter import poll_overflows
from bot.i18n import FALLBACK, catalog
from bot.model.course import Course, Question
from bot.quiz.messages import true_false_labels
from bot.quiz.present import present
from bot.replies import QuestionCard


def question_poll_overflows(question: Question) -> list[str]:
    """Why this question would go out as a message with buttons on Telegram (empty: a poll)."""
    shown = present(question, random.Random(0), true_false_labels(catalog(FALLBACK)))
    return poll_overflows(QuestionCard(0, question.prompt, shown.options, shown.correct, question.explanation, 30))


def poll_line(course: Course) -> str:
    polls = sum(1 for q in course.questions.values() if not question_poll_overflows(q))
    return f"fit a Telegram quiz poll: {polls} of {len(course.questions)}"
