"""`studybot content stats`: counts per topic, type and difficulty, for the teacher."""

from __future__ import annotations

from collections import Counter

from bot.model.course import DIFFICULTIES, QUESTION_TYPES, Course


def stats_lines(course: Course) -> list[str]:
    lines = [f"{len(course.concepts)} concepts, {len(course.questions)} questions", ""]
    types = Counter(q.type for q in course.questions.values())
    levels = Counter(q.difficulty for q in course.questions.values())
    width = max((len(t.title) for t in course.topics.values()), default=10)
    header = f"{'topic':<{width}}  concepts  questions  " + "  ".join(f"{t:>10}" for t in QUESTION_TYPES)
    lines.append(header)
    for topic in course.topics.values():
        concepts = sum(1 for c in course.concepts.values() if c.topic == topic.id)
        questions = [q for q in course.questions.values() if q.topic == topic.id]
        by_type = Counter(q.type for q in questions)
        lines.append(f"{topic.title:<{width}}  {concepts:>8}  {len(questions):>9}  "
                     + "  ".join(f"{by_type[t]:>10}" for t in QUESTION_TYPES))
    lines.append("")
    lines.append("types: " + ", ".join(f"{t} {types[t]}" for t in QUESTION_TYPES))
    lines.append("difficulty: " + ", ".join(f"{d} {levels[d]}" for d in DIFFICULTIES))
    sections = Counter()
    for item in (*course.concepts.values(), *course.questions.values()):
        for source in item.sources:
            sections[(source.file, source.section)] += 1
    lines.append("")
    lines.append("items per source section:")
    for seed in course.sources.values():
        for key, title in seed.sections.items():
            lines.append(f"  {seed.file} §{key:<8} {sections[(seed.file, key)]:>4}  {title}")
    return lines
