"""The checks of meaning that `studybot content check` runs on a Course.

Form (types, required fields) is checked while reading (load.py); here: ids, references,
sources, aliases that collide once folded or with numbers read (bot.search.search_key: "Đại hội
IX" is "Đại hội 9"), Vietnamese text rules and question consistency.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from bot.course.problems import Problem
from bot.model.course import Concept, Course, Question, Source
from bot.normalize import fold
from bot.search import search_key

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
# Older tone placement on open syllables: hoà, thoả, hoá, thuỷ (not quý: "qu" is a consonant).
OLD_TONE = re.compile(r"(?<![qQ])([oO][àáảãạ]|[oO][èéẻẽẹ]|[uU][ỳýỷỹỵ])(?!\w)")


def _text_problems(text: str) -> list[str]:
    found = []
    if unicodedata.normalize("NFC", text) != text:
        found.append("is not in NFC (normalise the Unicode composition)")
    if "_" in text:
        found.append("has an underscore (the seed's word segmentation is not part of a word)")
    old = OLD_TONE.search(text)
    if old:
        found.append(f"uses the older tone placement '{old.group(0)}' (write hòa, thỏa, hóa, thụy)")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n" for ch in text):
        found.append("has a control character")
    if text != text.strip():
        found.append("has leading or trailing spaces")
    return found


def _check_texts(problems: list[Problem], file: str, item: str, fields: dict[str, object]) -> None:
    for name, value in fields.items():
        values = value if isinstance(value, tuple) else (value,)
        for text in values:
            if isinstance(text, str):
                for message in _text_problems(text):
                    problems.append(Problem(file, item, name, message))


def _check_sources(problems: list[Problem], course: Course, file: str, item: str,
                   sources: tuple[Source, ...]) -> None:
    if not sources:
        problems.append(Problem(file, item, "source", "is required: name the seed file and section"))
    for source in sources:
        seed = course.sources.get(source.file)
        if seed is None:
            problems.append(Problem(file, item, "source",
                                    f"file '{source.file}' is not in sources.yaml"))
        elif source.section not in seed.sections:
            problems.append(Problem(file, item, "source",
                                    f"section '{source.section}' is not a section of {source.file} "
                                    f"(known: {', '.join(seed.sections)})"))


def _check_concept(problems: list[Problem], course: Course, concept: Concept) -> None:
    file, item = concept.file, concept.id
    if not ID_PATTERN.match(concept.id):
        problems.append(Problem(file, item, "id", "must be lowercase letters, digits and -, at most 40"))
    if concept.topic and concept.topic not in course.topics:
        problems.append(Problem(file, item, "topic", f"'{concept.topic}' is not in topics.yaml"))
    for related in concept.related:
        if related not in course.concepts:
            problems.append(Problem(file, item, "related", f"'{related}' is not a concept id"))
        elif related == concept.id:
            problems.append(Problem(file, item, "related", "names the concept itself"))
    _check_sources(problems, course, file, item, concept.sources)
    _check_texts(problems, file, item, {
        "term": concept.term, "definition": concept.definition, "details": concept.details,
        "aliases": concept.aliases, "key_points": concept.key_points,
    })


def _check_question(problems: list[Problem], course: Course, question: Question) -> None:
    from bot.quiz.answers import typed_answer_is_correct

    file, item = question.file, question.id
    add = lambda field, message: problems.append(Problem(file, item, field, message))  # noqa: E731
    if not ID_PATTERN.match(question.id):
        add("id", "must be lowercase letters, digits and -, at most 40")
    if question.topic and question.topic not in course.topics:
        add("topic", f"'{question.topic}' is not in topics.yaml")
    for concept_id in question.concepts:
        if concept_id not in course.concepts:
            add("concepts", f"'{concept_id}' is not a concept id")
    _check_sources(problems, course, file, item, question.sources)
    answer_text = question.answer if isinstance(question.answer, str) else ""
    _check_texts(problems, file, item, {
        "prompt": question.prompt, "explanation": question.explanation,
        "options": question.options, "answer": answer_text, "accept": question.accept,
        "reject": question.reject,
        "items": question.items,
    })
    if question.type == "choice":
        if len(question.options) != 4:
            add("options", f"a choice question has exactly 4 options, not {len(question.options)}")
        if len({fold(o) for o in question.options}) != len(question.options):
            add("options", "two options are the same")
        matches = [o for o in question.options if o == question.answer]
        if len(matches) != 1:
            add("answer", "must be exactly the text of one option")
    elif question.options:
        add("options", f"only choice questions have options, not {question.type}")
    if question.type == "order":
        if not 3 <= len(question.items) <= 6:
            add("items", "an order question has 3 to 6 items")
        if len({fold(i) for i in question.items}) != len(question.items):
            add("items", "two items are the same")
    elif question.items:
        add("items", f"only order questions have items, not {question.type}")
    if question.type == "short":
        seen: set[str] = set()
        for field, variant in (("answer", question.answer), *(("accept", v) for v in question.accept)):
            if not isinstance(variant, str) or not variant:
                continue
            key = fold(variant)
            if not key:
                add(field, f"'{variant}' has no letters or digits to match")
            elif key in seen:
                add(field, f"'{variant}' is already accepted (case and diacritics are ignored)")
            elif not typed_answer_is_correct(question, key):
                add(field, f"'{variant}' typed without diacritics would not be accepted")
            seen.add(key)
        for variant in question.reject:
            if fold(variant) in seen:
                add("reject", f"'{variant}' is also accepted")
            elif typed_answer_is_correct(question, variant):
                add("reject", f"'{variant}' would still be accepted")
    elif question.accept or question.reject:
        field = "accept" if question.accept else "reject"
        add(field, f"only short questions list typed variants, not {question.type}")


def _check_aliases(problems: list[Problem], course: Course) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for concept in course.concepts.values():
        for name in (concept.term, *concept.aliases):
            for key in {fold(name), search_key(name)} - {""}:
                owners[key].add(concept.id)
    for key, ids in owners.items():
        if len(ids) > 1:
            for concept_id in sorted(ids):
                concept = course.concepts[concept_id]
                others = ", ".join(sorted(ids - {concept_id}))
                problems.append(Problem(concept.file, concept_id, "aliases",
                                        f"'{key}' also names {others}"))
    topic_owners: dict[str, set[str]] = defaultdict(set)
    for topic in course.topics.values():
        for name in (topic.id, topic.title, *topic.aliases):
            topic_owners[fold(name)].add(topic.id)
    for key, ids in topic_owners.items():
        if len(ids) > 1:
            problems.append(Problem("topics.yaml", ", ".join(sorted(ids)), "aliases",
                                    f"'{key}' names more than one topic"))


def _check_duplicate_prompts(problems: list[Problem], course: Course) -> None:
    seen: dict[str, str] = {}
    for question in course.questions.values():
        key = fold(question.prompt)
        if key in seen:
            problems.append(Problem(question.file, question.id, "prompt",
                                    f"the same prompt as {seen[key]}"))
        else:
            seen[key] = question.id


def check_course(course: Course) -> list[Problem]:
    problems: list[Problem] = []
    for topic in course.topics.values():
        if not ID_PATTERN.match(topic.id):
            problems.append(Problem("topics.yaml", topic.id, "id",
                                    "must be lowercase letters, digits and -, at most 40"))
        _check_texts(problems, "topics.yaml", topic.id,
                     {"title": topic.title, "aliases": topic.aliases})
    for concept in course.concepts.values():
        _check_concept(problems, course, concept)
    for question in course.questions.values():
        _check_question(problems, course, question)
    _check_aliases(problems, course)
    _check_duplicate_prompts(problems, course)
    return problems
