"""How well the question bank teaches: the warnings of `studybot content check` and the
figures of `studybot content stats`.

Problems (load.py, check.py) make the content unusable; warnings do not: the bot runs, but a
question can be guessed from its option lengths, repeats another, accepts a wrong typed answer
as a typo, quotes the seed, or has no level. `content check` prints both and fails only on
problems, or also on warnings with `--strict`. Each concern has its own module; this one runs
them and words the results as `file: id: message`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.course.initialisms import course_initialisms
from bot.model.course import LEVELS, Course, Question
from bot.course.near_duplicates import NearDuplicate, near_duplicates
from bot.course.option_lengths import (
    LONGEST_RIGHT_RATIO_MAX, LONGEST_RIGHT_SHARE_MAX, longest_is_right, longest_ratio,
    right_far_longest,
)
from bot.course.seed_copies import SEED_SIMILARITY_MIN, SeedCopy, SeedIndex, seed_copies
from bot.course.typo_conflicts import TypoConflict, typo_conflicts

LEVEL_SHARE_GOAL = 0.40        # understand + apply, for `content stats`
_SHOWN_CANDIDATES = 3


@dataclass(frozen=True)
class ContentWarning:
    file: str
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.message}"


@dataclass
class Quality:
    questions: list[Question]
    longest_right: list[Question]
    far_longest: list[Question]
    duplicates: list[NearDuplicate]
    conflicts: list[TypoConflict]
    copies: list[SeedCopy] | None           # None: the seeds could not be read
    seed_problems: list[str] = field(default_factory=list)

    @property
    def choice_questions(self) -> int:
        return sum(1 for q in self.questions if q.type == "choice")

    @property
    def statements(self) -> int:
        return sum(1 for q in self.questions if q.type == "true_false")

    @property
    def levels(self) -> Counter:
        return Counter(q.level for q in self.questions)

    @property
    def longest_right_share(self) -> float:
        return len(self.longest_right) / self.choice_questions if self.choice_questions else 0.0

    @property
    def deeper_share(self) -> float:
        """Share of the bank at level understand or apply."""
        levels = self.levels
        return (levels["understand"] + levels["apply"]) / len(self.questions) if self.questions else 0.0


def assess(course: Course, seeds: dict[str, str] | None, seed_problems: Sequence[str] = ()) -> Quality:
    """Run every quality check. `seeds`: file name -> text; None when they could not be read."""
    questions = list(course.questions.values())
    initialisms = course_initialisms(course)
    copies = None
    if seeds:
        copies = seed_copies(questions, SeedIndex(seeds, initialisms))
    return Quality(
        questions=questions,
        longest_right=[q for q in questions if longest_is_right(q)],
        far_longest=[q for q in questions if right_far_longest(q)],
        duplicates=near_duplicates(questions, initialisms),
        conflicts=typo_conflicts(course),
        copies=copies,
        seed_problems=list(seed_problems),
    )


def _percent(share: float) -> str:
    return f"{round(100 * share)} %"


def quality_warnings(quality: Quality) -> list[ContentWarning]:
    warnings: list[ContentWarning] = []
    add = lambda q, message: warnings.append(ContentWarning(q.file, q.id, message))  # noqa: E731
    if quality.longest_right_share > LONGEST_RIGHT_SHARE_MAX:
        warnings.append(ContentWarning(
            "questions", "choice questions",
            f"the right option is the strictly longest in {len(quality.longest_right)} of "
            f"{quality.choice_questions} ({_percent(quality.longest_right_share)}; keep it at most "
            f"{_percent(LONGEST_RIGHT_SHARE_MAX)}): students guess by length"))
    for question in quality.far_longest:
        add(question, f"the right option is {longest_ratio(question):.2f} × as long as the longest "
                      f"distractor (over {LONGEST_RIGHT_RATIO_MAX}): make the options alike in length")
    for pair in quality.duplicates:
        add(pair.second, f"near-duplicate of {pair.first.id} ({pair.first.file}): prompt and answer "
                         f"close (fact {pair.fact:.0f}, answers linked {pair.link:.0f}); merge them or "
                         "ask something else")
    for conflict in quality.conflicts:
        shown = ", ".join(f"'{c}'" for c in conflict.accepted_wrongly[:_SHOWN_CANDIDATES])
        more = len(conflict.accepted_wrongly) - _SHOWN_CANDIDATES
        shown += f" and {more} more" if more > 0 else ""
        add(conflict.question, f"typo tolerance accepts other answers: {shown}; "
                               "list the wrong ones under reject:")
    for copy in quality.copies or ():
        add(copy.question, f"the true/false statement copies {copy.seed_file} nearly word for word "
                           f"(similarity {copy.similarity:.0f}, flagged from {SEED_SIMILARITY_MIN:.0f}): "
                           f"\"{copy.excerpt}\"; ask about the idea in other words or apply it")
    for problem in quality.seed_problems:
        warnings.append(ContentWarning("sources.yaml", "seeds",
                                       f"true/false statements not compared with the seeds: {problem}"))
    for question in quality.questions:
        if not question.level:
            add(question, f"has no level ({', '.join(LEVELS)})")
    return warnings


def quality_lines(quality: Quality) -> list[str]:
    """The figures of `content stats`."""
    levels = quality.levels
    total = len(quality.questions)
    mix = ", ".join(f"{level} {levels[level]}" for level in LEVELS)
    lines = [
        f"level: {mix}, none {levels['']}; understand + apply "
        f"{levels['understand'] + levels['apply']} of {total} ({_percent(quality.deeper_share)}; "
        f"goal at least {_percent(LEVEL_SHARE_GOAL)})",
        f"right option strictly the longest: {len(quality.longest_right)} of "
        f"{quality.choice_questions} choice questions ({_percent(quality.longest_right_share)}; "
        f"at most {_percent(LONGEST_RIGHT_SHARE_MAX)}), {len(quality.far_longest)} by over "
        f"{LONGEST_RIGHT_RATIO_MAX} × the next",
        f"near-duplicate pairs: {len(quality.duplicates)}",
        f"typo-tolerance conflicts: {len(quality.conflicts)} (short questions that accept another "
        f"answer as a typo; wrong answers found: {sum(len(c.accepted_wrongly) for c in quality.conflicts)})",
    ]
    if quality.copies is None:
        lines.append("verbatim true/false statements: not measured (seeds not found)")
    else:
        lines.append(f"verbatim true/false statements: {len(quality.copies)} of {quality.statements} "
                     f"(seed similarity at least {SEED_SIMILARITY_MIN:.0f})")
    return lines
