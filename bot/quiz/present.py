"""How a question is put to the chat: its options in the order shown and which one is right.

The order is drawn once when the question is asked (with the injected random source) and
stored with the asked question, so every member sees the same buttons and a restart or a
content edit mid-round changes nothing.
"""

from __future__ import annotations

import itertools
import random

from bot.model.course import Question
from bot.model.play import Presented

ORDER_ARROW = " → "
ORDER_CHOICES = 4


def present(question: Question, rng: random.Random, true_false: tuple[str, str]) -> Presented:
    """`true_false`: the labels of a true/false question's buttons, in the chat's language
    (bot.quiz.messages.true_false_labels)."""
    if question.type == "choice":
        options = list(question.options)
        rng.shuffle(options)
        return Presented(question.id, tuple(options), options.index(str(question.answer)))
    if question.type == "true_false":
        return Presented(question.id, tuple(true_false), 0 if question.answer else 1)
    if question.type == "order":
        right = tuple(question.items)
        wrong = [p for p in itertools.permutations(right) if p != right]
        picks = [right, *rng.sample(wrong, min(ORDER_CHOICES - 1, len(wrong)))]
        rng.shuffle(picks)
        return Presented(question.id, tuple(ORDER_ARROW.join(p) for p in picks), picks.index(right))
    return Presented(question.id, (), -1)


def correct_answer_text(question: Question, presented: Presented) -> str:
    if presented.typed:
        return str(question.answer)
    return presented.options[presented.correct]
