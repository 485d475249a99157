"""The shipped course, read mechanically: balance, coverage and answer consistency."""

from collections import Counter

from bot.normalize import fold
from bot.quiz.answers import typed_answer_is_correct


def test_the_course_is_big_enough(real_course):
    assert len(real_course.concepts) >= 60
    assert len(real_course.questions) >= 250


def test_every_section_of_both_texts_has_questions(real_course):
    asked = Counter((s.file, s.section) for q in real_course.questions.values() for s in q.sources)
    for seed in real_course.sources.values():
        for section in seed.sections:
            assert asked[(seed.file, section)] > 0, f"no question on {seed.file} §{section}"


def test_every_topic_and_type_and_difficulty_has_its_share(real_course):
    questions = list(real_course.questions.values())
    topics = Counter(q.topic for q in questions)
    assert set(topics) == set(real_course.topics)
    types = Counter(q.type for q in questions)      # every kind of question is played, though
    assert all(types[t] >= 0.05 * len(questions) for t in ("choice", "true_false", "short", "order"))
    levels = Counter(q.difficulty for q in questions)
    assert all(levels[d] >= 0.05 * len(questions) for d in ("easy", "medium", "hard"))


def test_at_least_two_questions_in_five_ask_for_understanding(real_course):
    questions = list(real_course.questions.values())
    assert all(q.level for q in questions), [q.id for q in questions if not q.level]
    deeper = sum(q.level in ("understand", "apply") for q in questions)
    assert deeper >= 0.4 * len(questions), f"{deeper} of {len(questions)}"


def test_typed_answers_are_accepted_without_diacritics_or_case(real_course):
    for q in real_course.questions.values():
        if q.type == "short":
            for variant in (q.answer, *q.accept):
                assert typed_answer_is_correct(q, fold(variant).upper()), (q.id, variant)


def test_choice_questions_have_one_right_option_and_distinct_ones(real_course):
    for q in real_course.questions.values():
        if q.type == "choice":
            assert len(q.options) == 4 and q.options.count(q.answer) == 1, q.id
            assert len({fold(o) for o in q.options}) == 4, q.id


def test_every_related_link_and_tested_concept_exists(real_course):
    for c in real_course.concepts.values():
        assert all(r in real_course.concepts for r in c.related), c.id
    for q in real_course.questions.values():
        assert all(c in real_course.concepts for c in q.concepts), q.id


def test_a_topic_is_named_by_its_title_and_one_gone_from_the_content_by_its_id(real_course):
    topic = next(iter(real_course.topics.values()))
    assert real_course.topic_title(topic.id) == topic.title != topic.id
    assert real_course.topic_title("chu-de-da-xoa") == "chu-de-da-xoa"
