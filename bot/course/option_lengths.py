"""Can the right option be guessed from its length? Pure rules over choice questions.

Writers tend to make the right option the most careful, hence the longest. By chance the right
option of a four-option question is the strictly longest at most one time in four; the bank
keeps that share at or under 35 %, and no single right option may be more than 1.3 × as long as
the longest distractor. Length is counted in characters of the text as written (NFC).
"""

from __future__ import annotations

from bot.model.course import Question

LONGEST_RIGHT_SHARE_MAX = 0.35
LONGEST_RIGHT_RATIO_MAX = 1.3


def _lengths(question: Question) -> tuple[int, int] | None:
    """(the right option's length, the longest distractor's length), for a well-formed choice."""
    if question.type != "choice" or question.answer not in question.options:
        return None
    distractors = [len(o) for o in question.options if o != question.answer]
    if not distractors:
        return None
    return len(str(question.answer)), max(distractors)


def longest_is_right(question: Question) -> bool:
    """The right option is strictly longer than every distractor (a tie is not a give-away)."""
    lengths = _lengths(question)
    return lengths is not None and lengths[0] > lengths[1]


def longest_ratio(question: Question) -> float | None:
    """How many times longer the right option is than the longest distractor (None: not a choice)."""
    lengths = _lengths(question)
    if lengths is None or lengths[1] == 0:
        return None
    return lengths[0] / lengths[1]


def right_far_longest(question: Question) -> bool:
    ratio = longest_ratio(question)
    return ratio is not None and ratio > LONGEST_RIGHT_RATIO_MAX
