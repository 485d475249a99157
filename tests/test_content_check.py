"""`studybot content check` names the file, item and field of every problem, all at once."""

import shutil
import unicodedata
from pathlib import Path

import pytest

from bot.course.load import ContentError, checked_course, load_course
from studybot.polls import question_poll_overflows
from tests.conftest import FIXTURE_COURSE
from tests.test_cli import studybot


@pytest.fixture
def course_dir(tmp_path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, target)
    return target


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in checked_course(root)[1]]


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


CONCEPT = """
  - id: {id}
    term: "{term}"
    aliases: [{aliases}]
    topic: {topic}
    definition: "{definition}"
    related: [{related}]
    source: {{file: 000_8b1cc4aac4110f82.txt, section: "{section}"}}
"""


def concept(**fields) -> str:
    base = dict(id="khai-niem-moi", term="Khái niệm mới", aliases="", topic="khai-niem",
                definition="Một định nghĩa.", related="", section="1.1.1")
    base.update(fields)
    return CONCEPT.format(**base)


@pytest.mark.parametrize("fields, expected", [
    (dict(id="hop-tac-quoc-te"), "concepts/mini.yaml: hop-tac-quoc-te: id: is used twice"),
    (dict(aliases='"htqt"'), "khai-niem-moi: aliases: 'htqt' also names hop-tac-quoc-te"),
    (dict(aliases='"Hợp tác quốc tế"'), "aliases: 'hop tac quoc te' also names"),
    (dict(related="khong-co"), "khai-niem-moi: related: 'khong-co' is not a concept id"),
    (dict(topic="khong-co"), "khai-niem-moi: topic: 'khong-co' is not in topics.yaml"),
    (dict(section="9.9"), "khai-niem-moi: source: section '9.9' is not a section of"),
    (dict(definition=unicodedata.normalize("NFD", "Hội nhập")), "definition: is not in NFC"),
    (dict(definition="hội_nhập quốc_tế"), "definition: has an underscore"),
    (dict(definition="toàn cầu hoá"), "definition: uses the older tone placement 'oá'"),
    (dict(id="Khai Niem"), "Khai Niem: id: must be lowercase letters"),
])
def test_each_concept_problem_is_named(course_dir, fields, expected):
    append(course_dir, "concepts/mini.yaml", concept(**fields))
    found = problems_of(course_dir)
    assert any(expected in p for p in found), found


def test_two_aliases_that_are_one_number_collide(course_dir):
    append(course_dir, "concepts/mini.yaml", concept(id="dai-hoi-ix", term="Đại hội IX")
           + concept(id="khai-niem-khac", term="Khái niệm khác", aliases='"đại hội thứ chín"'))
    found = problems_of(course_dir)
    assert any("khai-niem-khac: aliases: 'dai hoi 9' also names dai-hoi-ix" in p for p in found), found


def test_quy_is_not_an_old_tone_placement(course_dir):
    append(course_dir, "concepts/mini.yaml", concept(definition="Theo Đặng Đình Quý, thụy và hòa."))
    assert problems_of(course_dir) == []


QUESTION = """
  - id: q-moi
    topic: lich-su
    type: {type}
    prompt: "{prompt}"
{body}
    explanation: "Vì bài giảng nói vậy."
    source: {{file: 000_8b1cc4aac4110f82.txt, section: "1.3.2"}}
    difficulty: {difficulty}
"""


@pytest.mark.parametrize("qtype, body, expected", [
    ("choice", '    options: ["1961", "1967", "1976"]\n    answer: "1967"', "options: a choice question has exactly 4 options, not 3"),
    ("choice", '    options: ["1961", "1967", "1976", "1989"]\n    answer: "1968"', "answer: must be exactly the text of one option"),
    ("choice", '    options: ["1967", "1967", "1976", "1989"]\n    answer: "1967"', "options: two options are the same"),
    ("choice", '    options: ["1961", 1967, "1976", "1989"]\n    answer: "1967"', None),
    ("true_false", '    answer: "đúng"', "answer: must be true or false (unquoted)"),
    ("short", '    answer: "Đại hội VIII"\n    accept: ["dai hoi viii"]', "accept: 'dai hoi viii' is already accepted"),
    ("short", '    answer: "1995"\n    accept: ["?!"]', "accept: '?!' has no letters or digits to match"),
    ("order", '    items: ["A", "B"]', "items: an order question has 3 to 6 items"),
    ("quiz", '    answer: "x"', "type: must be one of choice, true_false, short, order"),
    ("short", '    answer: "1995"\n    hint: "x"', "q-moi: hint: unknown field"),
])
def test_each_question_problem_is_named(course_dir, qtype, body, expected):
    append(course_dir, "questions/mini.yaml",
           QUESTION.format(type=qtype, prompt="Một câu hỏi mới?", body=body, difficulty="easy"))
    found = problems_of(course_dir)
    if expected is None:
        assert found == []
    else:
        assert any(f"questions/mini.yaml: q-moi: {expected}" in p or expected in p for p in found), found


def test_duplicate_prompts_and_bad_difficulty_are_named(course_dir):
    append(course_dir, "questions/mini.yaml",
           QUESTION.format(type="true_false", prompt="ASEAN được thành lập năm nào?",
                           body="    answer: true", difficulty="rất khó"))
    found = problems_of(course_dir)
    assert any("q-moi: prompt: the same prompt as ls-asean-1967" in p for p in found)
    assert any("q-moi: difficulty: must be one of easy, medium, hard" in p for p in found)


def test_broken_yaml_names_the_line(course_dir):
    append(course_dir, "questions/mini.yaml", '\n  - id: [unclosed\n')
    found = problems_of(course_dir)
    assert any(p.startswith("questions/mini.yaml: not valid YAML: line") for p in found), found


def test_check_command_exits_1_and_loading_fails_without_a_traceback(course_dir):
    append(course_dir, "concepts/mini.yaml", concept(related="khong-co", section="9.9"))
    result = studybot("content", "check", "--content", str(course_dir))
    assert result.returncode == 1
    assert "related: 'khong-co' is not a concept id" in result.stdout
    assert "source: section '9.9'" in result.stdout
    with pytest.raises(ContentError) as error:
        load_course(course_dir)
    assert len(error.value.problems) == 2
    run = studybot("console", "--jsonl", "--content", str(course_dir), "--db", str(course_dir / "x.db"))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1                     # start-up: one line, the first problem
    assert f"content: {course_dir}: 2 problems, the first: concepts/mini.yaml: " in run.stderr
    assert "run `studybot content check" in run.stderr


def test_poll_limits_are_flagged_not_rejected(course_dir):
    long_prompt = "Câu hỏi " + "rất dài " * 40 + "?"
    append(course_dir, "questions/mini.yaml",
           QUESTION.format(type="true_false", prompt=long_prompt, body="    answer: true", difficulty="easy"))
    course = load_course(course_dir)
    assert question_poll_overflows(course.questions["q-moi"]) == [f"prompt {len(long_prompt)} > 300"]
    assert question_poll_overflows(course.questions["ls-asean-1967"]) == []
    result = studybot("content", "check", "--polls", "--content", str(course_dir))
    assert result.returncode == 0
    assert f"q-moi: sent as a message with buttons (prompt {len(long_prompt)} > 300)" in result.stdout
    assert "ls-asean-1967: sent as" not in result.stdout


def test_a_listed_near_miss_is_wrong_even_one_typo_from_the_answer():
    from bot.model.course import Question, Source
    from bot.quiz.answers import typed_answer_is_correct

    question = Question("dk-x", "dieu-kien", "short", "Cấu trúc?", "…", (Source("f", "1"),), "easy",
                        answer="đa cực", accept=("thế giới đa cực",), reject=("ba cực",))
    assert typed_answer_is_correct(question, "da cuc")
    assert typed_answer_is_correct(question, "đa cưc")           # a typo of the answer
    assert not typed_answer_is_correct(question, "ba cực")      # one edit away, but listed as wrong
    assert not typed_answer_is_correct(question, "ba cuc")


def test_a_wrong_level_and_a_reject_list_where_none_belongs_are_named(course_dir):
    append(course_dir, "questions/mini.yaml", """
  - id: kn-level-sai
    topic: khai-niem
    type: choice
    prompt: "Câu hỏi có mức độ sai?"
    options: ["A", "B", "C", "D"]
    answer: "A"
    reject: ["B"]
    explanation: "…"
    source: {file: 000_8b1cc4aac4110f82.txt, section: "1.1.1"}
    difficulty: easy
    level: analyse
""")
    found = problems_of(course_dir)
    assert "questions/mini.yaml: kn-level-sai: level: must be one of remember, understand, apply" in found
    assert "questions/mini.yaml: kn-level-sai: reject: only short questions list typed variants, not choice" in found
