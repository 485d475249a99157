"""Two questions that teach the same fact: near-duplicates, found by comparing text.

A question's *fact* is its prompt (without a typing hint such as "(gõ số)") followed by what it
expects: the right option, the typed answer, the items in order; a true/false statement is its
own fact. Texts are folded, and a term and its initials written alike (bot.course.initialisms:
"hội nhập quốc tế" and "HNQT"). Two questions are near-duplicates when

- their facts are close: `rapidfuzz.fuzz.token_set_ratio` of the folded facts ≥ 86 (word sets,
  order ignored, so "which year was the treaty of Westphalia signed? 1648" and "which treaty
  of 1648 …? Westphalia" meet), and
- their answers are linked: the answer of one appears in the other's prompt, answer, accepted
  forms or options (`token_set_ratio` ≥ 85). Three kinds of link are too weak on their own:
  a bare number (a year, a count) links only prompts that say nearly the same
  (`token_set_ratio` ≥ 92), since many unrelated questions share a year; an answer of one or
  two words ("Lợi ích") never links to a true/false statement, which says many things, so a
  common term found in it does not show the same fact; and two true/false statements, which
  have no answer, must be close as written (`fuzz.ratio` ≥ 85), so that statements about two
  members of one list are not taken for one.

Calibrated on the 291-question bank of 2026-11 (17 pairs caught): every pair named in issue 14
is caught (the weakest at fact 87.4 and link 89.7); the others teach one fact twice (the same
quote asked twice, a count asked as a number and as a pair of numbers) or give each other's
answer away. Below the line: pairs that share a frame or a year ("ASEAN/APEC được thành lập năm
nào?" 86.2 but a bare-number link), two statements about different members of one list
(fact 89.9, statements 74), and the first related-but-distinct pairs at fact 85.0 to 85.3.
Checked again on the rewritten bank of 2026-11-27 (293 questions): 8 pairs, most a recall
question and an apply question on one fact; one is related but distinct (the Prime Minister
as head of the committee against the deputies, who are Deputy Prime Ministers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.course.initialisms import Initialisms, abbreviated
from bot.model.course import Question

FACT_MIN = 86.0
LINK_MIN = 85.0
NUMBER_LINK_PROMPT_MIN = 92.0
STATEMENTS_MIN = 85.0
STATEMENT_LINK_WORDS = 3

_TYPING_HINT = re.compile(r"\(\s*gõ\b[^)]*\)", re.IGNORECASE)
_NUMBER = re.compile(r"^[\d ]+$")


@dataclass(frozen=True)
class NearDuplicate:
    first: Question
    second: Question
    fact: float       # token_set_ratio of the two facts
    link: float       # how well the answers are linked


@dataclass(frozen=True)
class _Texts:
    """A question's texts folded, with terms written as their initials."""
    question: Question
    prompt: str
    answer: str
    space: str          # everything it shows or accepts: where another question's answer may appear

    @property
    def fact(self) -> str:
        return f"{self.prompt} {self.answer}".strip()


def _texts(question: Question, initialisms: Initialisms) -> _Texts:
    def text(value: str) -> str:
        return abbreviated(value, initialisms)

    answer = ""
    if question.type in ("choice", "short"):
        answer = text(str(question.answer))
    elif question.type == "order":
        answer = text(" ".join(question.items))
    prompt = text(_TYPING_HINT.sub(" ", question.prompt))
    space = " ".join((prompt, answer, *map(text, question.accept), *map(text, question.options)))
    return _Texts(question, prompt, answer, space.strip())


def _one_way(answer_of: _Texts, shown_in: _Texts, prompts_close: bool) -> float:
    answer = answer_of.answer
    if not answer or (_NUMBER.match(answer) and not prompts_close):
        return 0.0
    if shown_in.question.type == "true_false" and len(answer.split()) < STATEMENT_LINK_WORDS:
        return 0.0
    return fuzz.token_set_ratio(answer, shown_in.space)


def _answer_link(first: _Texts, second: _Texts) -> float:
    if first.question.type == second.question.type == "true_false":
        return fuzz.ratio(first.prompt, second.prompt)
    prompts_close = fuzz.token_set_ratio(first.prompt, second.prompt) >= NUMBER_LINK_PROMPT_MIN
    return max(_one_way(first, second, prompts_close), _one_way(second, first, prompts_close))


def near_duplicates(questions: list[Question], initialisms: Initialisms | None = None) -> list[NearDuplicate]:
    """Every pair of near-duplicates, in the order of the bank."""
    texts = [_texts(q, initialisms or {}) for q in questions]
    facts = [t.fact for t in texts]
    found: list[tuple[int, int, NearDuplicate]] = []
    for index, question in enumerate(questions):
        later = facts[index + 1:]
        for _, fact, offset in process.extract(facts[index], later, scorer=fuzz.token_set_ratio,
                                               score_cutoff=FACT_MIN, limit=None):
            other = questions[index + 1 + offset]
            link = _answer_link(texts[index], texts[index + 1 + offset])
            both_statements = question.type == other.type == "true_false"
            if link >= (STATEMENTS_MIN if both_statements else LINK_MIN):
                found.append((index, offset, NearDuplicate(question, other, fact, link)))
    return [pair for *_, pair in sorted(found, key=lambda f: f[:2])]
