"""Two questions that teach the same fact: near-duplicates, found by comparing text.

A question's *fact* is its prompt (without a typing hint such as "(gõ số)") followed by what it
expects: the right option, the typed answer, the items in order; a true/false statement is its
own fact. Two questions are near-duplicates when

- their facts are close: `rapidfuzz.fuzz.token_set_ratio` of the folded facts ≥ 87 (word sets,
  order ignored, so "which year was the treaty of Westphalia signed? 1648" and "which treaty
  of 1648 …? Westphalia" meet), and
- their answers are linked: the answer of one appears in the other's prompt, answer, accepted
  forms or options (`token_set_ratio` ≥ 85). A link made only by a bare number (a year, a
  count) also needs prompts that say nearly the same (`token_set_ratio` ≥ 92), since many
  unrelated questions share a year. Two true/false statements have no answer to link: their
  statements must be close as written (`fuzz.ratio` ≥ 85), so that two statements about
  different members of one list are not taken for one.

Calibrated on the 291-question bank of 2026-11: every pair named in issue 14 is caught
(lowest: fact 87.4, link 89.7), and the other pairs caught teach the same fact or give each
other's answer away. Unrelated pairs sharing only a frame ("Theo bài báo, … năm nào?") stay
under 87, or fail the link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.course.model import Question
from bot.normalize import fold

FACT_MIN = 87.0
LINK_MIN = 85.0
NUMBER_LINK_PROMPT_MIN = 92.0
STATEMENTS_MIN = 85.0

_TYPING_HINT = re.compile(r"\(\s*gõ\b[^)]*\)", re.IGNORECASE)
_NUMBER = re.compile(r"^[\d ]+$")


@dataclass(frozen=True)
class NearDuplicate:
    first: Question
    second: Question
    fact: float       # token_set_ratio of the two facts
    link: float       # how well the answers are linked


def _prompt(question: Question) -> str:
    return fold(_TYPING_HINT.sub(" ", question.prompt))


def _answer(question: Question) -> str:
    if question.type in ("choice", "short"):
        return fold(str(question.answer))
    if question.type == "order":
        return fold(" ".join(question.items))
    return ""


def _fact(question: Question) -> str:
    return f"{_prompt(question)} {_answer(question)}".strip()


def _space(question: Question) -> str:
    """Everything a question shows or accepts: where another question's answer may appear."""
    return " ".join((_prompt(question), _answer(question), *map(fold, question.accept),
                     *map(fold, question.options))).strip()


def _one_way(answer_of: Question, shown_in: Question, prompts_close: bool) -> float:
    answer = _answer(answer_of)
    if not answer or (_NUMBER.match(answer) and not prompts_close):
        return 0.0
    return fuzz.token_set_ratio(answer, _space(shown_in))


def answer_link(first: Question, second: Question) -> float:
    if first.type == second.type == "true_false":
        return fuzz.ratio(_prompt(first), _prompt(second))
    prompts_close = fuzz.token_set_ratio(_prompt(first), _prompt(second)) >= NUMBER_LINK_PROMPT_MIN
    return max(_one_way(first, second, prompts_close), _one_way(second, first, prompts_close))


def near_duplicates(questions: list[Question]) -> list[NearDuplicate]:
    """Every pair of near-duplicates, in the order of the bank."""
    facts = [_fact(q) for q in questions]
    found: list[tuple[int, int, NearDuplicate]] = []
    for index, question in enumerate(questions):
        later = facts[index + 1:]
        for _, fact, offset in process.extract(facts[index], later, scorer=fuzz.token_set_ratio,
                                               score_cutoff=FACT_MIN, limit=None):
            other = questions[index + 1 + offset]
            link = answer_link(question, other)
            both_statements = question.type == other.type == "true_false"
            if link >= (STATEMENTS_MIN if both_statements else LINK_MIN):
                found.append((index, offset, NearDuplicate(question, other, fact, link)))
    return [pair for *_, pair in sorted(found, key=lambda f: f[:2])]
