"""Item analysis of the question bank from real answers, as Moodle's quiz statistics report
gives teachers: for each question, how often it was asked and answered, how many got it right,
whether it separates the students who know the course from those who do not, and which options
the class picked. Pure computation; the answers come from bot.store.reports_store.

Definitions (one *student* is one user; "answers" are their recorded first answers to each asked
question, in the chats analysed):

- **facility** = right answers / answers: the share right, 0 to 1.
- **discrimination** (the corrected item-total correlation, Moodle's "discrimination index"):
  for each student s who answered the question and at least one other question,
  x_s = the share of s's answers to this question that were right (0 or 1 unless it was asked
  to s more than once) and y_s = the share of s's answers to *all other* questions that were
  right (the rest score; a share, not a sum, since students answer different numbers of
  questions). The discrimination is the Pearson correlation of x and y over those students:
  Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² · Σ(y − ȳ)²), from −1 to 1. It is left empty with fewer than
  MIN_STUDENTS such students, or when x or y does not vary (everyone right, for instance):
  then there is nothing to correlate.
- **picks**: how often each option text was chosen. Options are shuffled per asking, and an
  answer stores the index of the option as shown; each pick is mapped back to its text through
  the options stored with that asking, so orders aggregate correctly. Counted for choice and
  true/false questions; an option of the current content that nobody picked is listed with 0.

Flags (what the teacher should look at):
- `too_easy`: facility over 95 %; `too_hard`: under 20 % (each from MIN_ANSWERS answers on);
- `negative_discrimination`: below 0 (the stronger students get it wrong more often than the
  weaker: a wrong key, an ambiguous prompt, or a distractor that is also true);
- `unused_distractor`: a wrong option of a choice question that nobody picked, from
  MIN_ANSWERS_FOR_DISTRACTORS answers on: a distractor chosen by one student in seven would
  still go unpicked in 20 answers only 4 % of the time (0.86²⁰), so fewer answers prove little.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter, mul

TOO_EASY_ABOVE = 0.95
TOO_HARD_BELOW = 0.20
MIN_ANSWERS = 5
MIN_STUDENTS = 5
MIN_ANSWERS_FOR_DISTRACTORS = 20

FLAGS = ("negative_discrimination", "too_hard", "unused_distractor", "too_easy")   # most urgent first


@dataclass(frozen=True)
class Response:
    """One student's recorded answer to one asked question."""
    question_id: str
    student: int
    correct: bool
    picked: str | None = None      # the option text chosen; None for a typed answer


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    asked: int
    answers: int
    right: int
    discrimination: float | None
    students: int                                   # in the discrimination (0: not computed)
    picks: dict[str, int] = field(default_factory=dict)
    unpicked: tuple[str, ...] = ()                  # distractors nobody picked (flagged)
    flags: tuple[str, ...] = ()

    @property
    def facility(self) -> float | None:
        return self.right / self.answers if self.answers else None


_STUDENT, _CORRECT, _PICKED = attrgetter("student"), attrgetter("correct"), attrgetter("picked")


def picked_option(shown: tuple[str, ...], answer: str) -> str | None:
    """The text of the option an answer chose: answers to buttons store its index as shown."""
    if shown and answer.isdigit() and int(answer) < len(shown):
        return shown[int(answer)]
    return None


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r; None when either side does not vary."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    dx, dy = [x - mx for x in xs], [y - my for y in ys]
    sxy, sxx, syy = sum(map(mul, dx, dy)), sum(map(mul, dx, dx)), sum(map(mul, dy, dy))
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def _discrimination(answers_by: Counter[int], right_by: Counter[int], answers_of: Counter[int],
                    right_of: Counter[int]) -> tuple[float | None, int]:
    """`answers_by`, `right_by`: each student's answers and right answers to this question;
    `answers_of`, `right_of`: to every question, counted once for all questions. A student's
    rest score is their totals less their answers to this question (summing the others again
    for each question took seconds for a big class)."""
    xs, ys = [], []
    for student, answers in answers_by.items():
        others = answers_of[student] - answers
        if others:
            right = right_by[student]
            xs.append(right / answers)
            ys.append((right_of[student] - right) / others)
    if len(xs) < MIN_STUDENTS:
        return None, len(xs)
    return pearson(xs, ys), len(xs)


def analyse_items(responses: Iterable[Response], asked: Mapping[str, int],
                  options: Mapping[str, tuple[str, ...]],
                  right_options: Mapping[str, str] | None = None) -> list[ItemStats]:
    """Statistics of every question asked. `asked`: question id -> times asked; `options`:
    the option texts to tally for a question (its choice options, or Đúng/Sai), in the order to
    show; `right_options`: the right option's text, so the others count as distractors."""
    right_options = right_options or {}
    responses = list(responses)
    by_question: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        by_question[response.question_id].append(response)
    answers_of = Counter(map(_STUDENT, responses))
    right_of = Counter(map(_STUDENT, filter(_CORRECT, responses)))
    out = []
    for question_id in sorted(set(asked) | set(by_question)):
        mine = by_question.get(question_id, [])
        answers_by, right_by = Counter(map(_STUDENT, mine)), Counter(map(_STUDENT, filter(_CORRECT, mine)))
        right = right_by.total()
        picks: dict[str, int] = {}
        if options.get(question_id):
            counted = Counter(map(_PICKED, mine))
            counted.pop(None, None)                        # typed answers pick nothing
            picks = {text: counted.pop(text, 0) for text in options[question_id]}
            picks.update(sorted(counted.items()))          # options edited out of the content since
        discrimination, students = _discrimination(answers_by, right_by, answers_of, right_of)
        unpicked: tuple[str, ...] = ()
        if question_id in right_options and len(mine) >= MIN_ANSWERS_FOR_DISTRACTORS:
            unpicked = tuple(t for t, n in picks.items() if n == 0 and t != right_options[question_id])
        flags = []
        if discrimination is not None and discrimination < 0:
            flags.append("negative_discrimination")
        if len(mine) >= MIN_ANSWERS and right / len(mine) < TOO_HARD_BELOW:
            flags.append("too_hard")
        if unpicked:
            flags.append("unused_distractor")
        if len(mine) >= MIN_ANSWERS and right / len(mine) > TOO_EASY_ABOVE:
            flags.append("too_easy")
        out.append(ItemStats(question_id, asked.get(question_id, 0), len(mine), right,
                             discrimination, students, picks, unpicked, tuple(flags)))
    return out


def needing_attention(items: Iterable[ItemStats], limit: int = 5) -> list[ItemStats]:
    """Flagged questions: the most urgent flag first, then those with more flags, then the most
    answered."""
    flagged = [i for i in items if i.flags]
    flagged.sort(key=lambda i: (min(FLAGS.index(f) for f in i.flags), -len(i.flags), -i.answers,
                                i.question_id))
    return flagged[:limit]
