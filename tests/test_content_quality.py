"""The warnings of `studybot content check` and the figures of `content stats`: questions that
can be guessed by length, near-duplicates, typo tolerance that accepts another answer,
true/false statements copied from the seeds, questions without a level."""

import shutil
from pathlib import Path

import pytest

from bot.model.course import Concept, Course, Question, Source
from bot.course.near_duplicates import near_duplicates
from bot.course.option_lengths import longest_is_right, longest_ratio
from bot.course.quality import assess, quality_lines, quality_warnings
from bot.course.initialisms import course_initialisms
from bot.course.seed_copies import SeedIndex, seed_copy
from bot.course.typo_conflicts import course_vocabulary, typo_conflict
from tests.conftest import FIXTURE_COURSE
from tests.test_cli import studybot

SOURCE = (Source("000_8b1cc4aac4110f82.txt", "1.1.1"),)


def question(qid: str, qtype: str, prompt: str, answer="", **fields) -> Question:
    return Question(qid, "khai-niem", qtype, prompt, "Vì bài giảng nói vậy.", SOURCE, "easy",
                    answer=answer, file="questions/q.yaml", **fields)


def choice(qid: str, prompt: str, answer: str, *others: str, level: str = "remember") -> Question:
    return question(qid, "choice", prompt, answer, options=(answer, *others), level=level)


def course_of(*questions: Question, concepts: tuple[Concept, ...] = ()) -> Course:
    return Course(questions={q.id: q for q in questions}, concepts={c.id: c for c in concepts})


# --- the right option guessed by its length -------------------------------------------------

def test_the_longest_right_option_is_counted_strictly_and_by_its_ratio():
    far = choice("eu", "Tổ chức nào là siêu quốc gia?", "EU (Liên minh châu Âu)", "ASEAN", "APEC", "WTO")
    tie = choice("nam", "ASEAN ra đời năm nào?", "1967", "1961", "1976", "1989")
    close = choice("gan", "Cấp độ nào?", "khu vực", "toàn cầu", "song phương", "liên khu")
    assert longest_is_right(far) and longest_ratio(far) == 22 / 5      # 22 characters against "ASEAN"
    assert not longest_is_right(tie)                      # equal lengths give nothing away
    assert not longest_is_right(close)                   # "song phương" is longer
    quality = assess(course_of(far, tie, close), None)
    warnings = [str(w) for w in quality_warnings(quality)]
    assert "questions/q.yaml: eu: the right option is 4.40 × as long as the longest distractor " \
           "(over 1.3): make the options alike in length" in warnings
    # 1 of 3 is 33 %: under the 35 % line, so no bank-wide warning
    assert not any(w.startswith("questions: choice questions:") for w in warnings)
    also = choice("eu2", "Tổ chức nào có nghị viện chung?", "Liên minh châu Âu", "ASEAN", "APEC", "SAARC")
    warnings = [str(w) for w in quality_warnings(assess(course_of(far, tie, close, also), None))]
    assert "questions: choice questions: the right option is the strictly longest in 2 of 4 " \
           "(50 %; keep it at most 35 %): students guess by length" in warnings


# --- near-duplicates ---------------------------------------------------------------------------

# Pairs named in issue 14, as the bank of 2026-11 wrote them.
DUPLICATES = [
    (choice("kn-dn-hinh-thuc-cao", "Theo định nghĩa được bài giảng dẫn (trùng với bài báo của Đặng Đình "
            "Quý), HNQT là hình thức phát triển cao của hoạt động nào?", "Hợp tác quốc tế",
            "Toàn cầu hóa", "Ngoại giao song phương", "Thương mại quốc tế"),
     choice("nh-dinh-nghia-hinh-thuc-cao", "Theo định nghĩa của Đặng Đình Quý, hội nhập quốc tế là hình "
            "thức phát triển cao của gì?", "Hợp tác quốc tế", "Toàn cầu hóa", "Quốc tế hóa", "Liên kết kinh tế")),
    (question("lq-westphalia", "short", "Với hiệp ước nào năm 1648, chủ quyền quốc gia được xem như khái "
              "niệm nền tảng của luật pháp châu Âu? (gõ tên)", "Westphalia",
              accept=("Hiệp ước Westphalia", "Hòa ước Westphalia")),
     choice("lq-westphalia-nam", "Theo bài giảng, Hiệp ước Westphalia, đánh dấu việc chủ quyền quốc gia "
            "được xem là khái niệm nền tảng của luật pháp châu Âu, được ký năm nào?", "1648",
            "1576", "1618", "1815")),
    (choice("vn-nq07-ngay", "Nghị quyết 07-NQ/TW về hội nhập kinh tế quốc tế ra đời ngày nào?",
            "27/11/2001", "5/2/2007", "10/4/2013", "27/9/2019"),
     question("vn-s-nq07-so-hieu", "short", "Nghị quyết của Bộ Chính trị khóa IX ngày 27/11/2001 về hội "
              "nhập kinh tế quốc tế mang số hiệu nào?", "07-NQ/TW", accept=("07", "Nghị quyết 07"))),
    (choice("kq-2020-chien-luoc-toan-dien", "Theo bài giảng, năm 2020 Việt Nam có bao nhiêu đối tác "
            "chiến lược toàn diện?", "3", "13", "16", "17"),
     question("kq-s-doi-tac-chien-luoc", "short", "Theo bài giảng, năm 2020 Việt Nam có bao nhiêu đối tác "
              "chiến lược? (gõ số)", "17", accept=("17 đối tác", "mười bảy"))),
    (choice("nh-san-choi-chung", 'Trong bài báo, "sân chơi chung" là gì?',
            "Những hoạt động chung của cộng đồng quốc tế", "Nguyên tắc, chuẩn mực của các hoạt động chung",
            "Các hiệp định thương mại song phương", "Thị trường chung siêu quốc gia"),
     question("nh-tf-chi-tham-gia-san-choi", "true_false", 'Theo bài báo, chỉ cần tham gia các hoạt động '
              'chung ("sân chơi") của cộng đồng quốc tế là đã được gọi là hội nhập.', False)),
    (question("pl-5-muc-do", "order", "Sắp xếp 5 mức độ liên kết kinh tế từ thấp đến cao.",
              items=("FTA", "Liên hiệp thuế quan", "Thị trường chung", "Liên hiệp kinh tế",
                     "Hội nhập kinh tế toàn bộ")),
     question("pl-4-muc-tang-dan", "order", "Sắp xếp theo mức độ liên kết tăng dần: thị trường chung, hội "
              "nhập kinh tế toàn bộ, liên hiệp thuế quan, liên hiệp kinh tế.",
              items=("Liên hiệp thuế quan", "Thị trường chung", "Liên hiệp kinh tế", "Hội nhập kinh tế toàn bộ"))),
]

# Pairs that share a frame, a year or a list, but not a fact.
DISTINCT = [
    (choice("asean", "ASEAN được thành lập năm nào?", "1967", "1961", "1976", "1989"),
     choice("apec", "APEC được thành lập năm nào?", "1989", "1967", "1976", "1993")),
    (question("wto", "true_false", "Theo bài báo, Việt Nam nộp đơn xin gia nhập WTO năm 1995, nhưng quá "
              "trình đàm phán còn chậm.", True),
     question("asean-vn", "short", "Theo bài báo, Việt Nam gia nhập ASEAN năm nào? (gõ năm)", "1995",
              accept=("năm 1995",))),
    (question("balassa", "short", "Lý thuyết về hội nhập kinh tế trong bài báo được chú thích theo bài viết "
              "năm 1967 trên The Economic Journal của tác giả nào? (gõ họ)", "Balassa"),
     question("asean-vn2", "short", "Theo bài báo, Việt Nam gia nhập ASEAN năm nào? (gõ năm)", "1995")),
    (choice("dk-dong-luc-loi-ich", "Theo bài giảng, động lực của hội nhập là gì?", "Lợi ích", "Lòng tin",
            "Luật lệ trong QHQT", "Sự bất đối xứng quyền lực"),
     question("kq-tf-ct", "true_false", "Theo bài giảng, hội nhập chính trị – quốc phòng, an ninh của Việt Nam "
              "chủ yếu đem lại lợi ích kinh tế, hầu như không tác động đến uy tín và vị thế quốc tế.", False)),
    (question("ldtbxh", "true_false", "Bộ trưởng Lao động – Thương binh và Xã hội là một trong 4 ủy viên "
              "thường trực của Ban Chỉ đạo quốc gia về hội nhập quốc tế.", True),
     question("tu-phap", "true_false", "Lãnh đạo Bộ Tư pháp là ủy viên thường trực của Ban Chỉ đạo quốc gia "
              "về hội nhập quốc tế.", False)),
]


@pytest.mark.parametrize("first, second", DUPLICATES, ids=lambda q: q.id)
def test_the_duplicates_named_in_issue_14_are_caught(first, second):
    found = near_duplicates([first, second])
    assert [(d.first.id, d.second.id) for d in found] == [(first.id, second.id)]


@pytest.mark.parametrize("first, second", DISTINCT, ids=lambda q: q.id)
def test_questions_that_only_share_a_frame_or_a_year_are_not_duplicates(first, second):
    assert near_duplicates([first, second]) == []


def test_a_term_and_its_initials_are_the_same_words():
    quote = "“quá trình kết hợp các quốc gia riêng rẽ vào một trạng thái của chỉnh thể mới”"
    author = question("kn-hkn-tac-gia", "short", f"Định nghĩa “HNQT là {quote[1:]} là của tác giả nào?",
                      "Hoàng Khắc Nam")
    concept = choice("kn-hkn-dinh-nghia", f"Khái niệm nào được định nghĩa là {quote}?", "Hội nhập quốc tế",
                     "Hợp tác quốc tế", "Toàn cầu hóa", "Chủ quyền quốc gia")
    assert near_duplicates([author, concept]) == []
    initialisms = course_initialisms(course_of(concepts=(HNQT,)))
    assert [d.second.id for d in near_duplicates([author, concept], initialisms)] == ["kn-hkn-dinh-nghia"]


def test_a_near_duplicate_is_warned_at_the_later_question():
    first, second = DUPLICATES[1]
    warnings = [str(w) for w in quality_warnings(assess(course_of(first, second), None))]
    assert any(w.startswith("questions/q.yaml: lq-westphalia-nam: near-duplicate of lq-westphalia "
                            "(questions/q.yaml): prompt and answer close") for w in warnings), warnings


# --- typo tolerance ---------------------------------------------------------------------------

def test_an_answer_elsewhere_in_the_course_one_typo_away_is_a_conflict_until_rejected():
    chau_au = question("kn-chau-au", "short", "Lý thuyết hội nhập hình thành từ thực tiễn ở đâu?", "châu Âu")
    elsewhere = choice("ls-dia-ban", "Địa bàn chủ yếu?", "Châu Âu", "Châu Á", "Châu Mỹ", "Châu Phi")
    year = question("asean-vn", "short", "Việt Nam gia nhập ASEAN năm nào?", "1995")
    same_year = question("wto-vn", "short", "Năm nộp đơn vào WTO?", "năm 1995")
    course = course_of(chau_au, elsewhere, year, same_year)
    conflict = typo_conflict(chau_au, course_vocabulary(course))
    assert conflict.accepted_wrongly == ("Châu Á",)
    assert typo_conflict(year, course_vocabulary(course)) is None     # "năm 1995" is the same answer
    warnings = [str(w) for w in quality_warnings(assess(course, None))]
    assert "questions/q.yaml: kn-chau-au: typo tolerance accepts other answers: 'Châu Á'; " \
           "list the wrong ones under reject:" in warnings
    listed = question("kn-chau-au", "short", "Ở đâu?", "châu Âu", reject=("Châu Á",))
    assert typo_conflict(listed, course_vocabulary(course)) is None


def test_a_name_is_not_read_as_a_number_word():
    hkn = question("hkn", "short", "Tác giả?", "Hoàng Khắc Nam")
    assert typo_conflict(hkn, course_vocabulary(course_of(hkn))) is None


# --- true/false statements copied from the seeds --------------------------------------------

SLIDES = """3 cách tiếp cận về HNQT
• Quan điểm của Chủ nghĩa Liên bang: Hội nhập là một sản phẩm cuối cùng hơn là một quá trình
Lưu ý:  HNQT chủ yếu diễn ra ở cấp độ khu vực
"""
ARTICLE = ("Xét theo nghĩa đó , hội_nhập là một hình_thức hợp_tác quốc_tế ở trình_độ cao , gắn với "
           "luật_lệ và chuẩn_mực chung giữa các nước . ")
HNQT = Concept("hoi-nhap-quoc-te", "Hội nhập quốc tế", "…", "khai-niem", SOURCE, aliases=("HNQT",))


def statement(qid: str, text: str, answer: bool = True) -> Question:
    return question(qid, "true_false", text, answer)


@pytest.fixture(scope="module")
def seed_index():
    return SeedIndex({"slides.txt": SLIDES, "article.txt": ARTICLE}, course_initialisms(course_of(concepts=(HNQT,))))


@pytest.mark.parametrize("text, seed", [
    ("Theo bài báo, hội nhập là một hình thức hợp tác quốc tế ở trình độ cao, gắn với luật lệ và "
     "chuẩn mực chung giữa các nước.", "article.txt"),                           # a quote
    ("Theo bài giảng, hội nhập quốc tế chủ yếu diễn ra ở cấp độ toàn cầu.", "slides.txt"),  # one word swapped
    ("Theo chủ nghĩa Liên bang, hội nhập trước hết là một quá trình hơn là một sản phẩm cuối cùng.",
     "slides.txt"),                                                              # two phrases swapped
])
def test_a_quoted_or_swapped_statement_is_a_seed_copy(seed_index, text, seed):
    copy = seed_copy(statement("tf", text), seed_index)
    assert copy is not None and copy.seed_file == seed, copy


@pytest.mark.parametrize("text", [
    "Một nước chỉ ký hiệp định song phương mà không theo luật lệ chung nào thì chưa phải là hội nhập quốc tế.",
    "Liên bang Mỹ là ví dụ cho cách nhìn coi hội nhập là kết quả cuối cùng.",
])
def test_a_statement_in_other_words_is_not(seed_index, text):
    assert seed_copy(statement("tf", text), seed_index) is None


def test_the_copy_is_quoted_as_the_seed_writes_it(seed_index):
    copy = seed_copy(statement("kn-trinh-do-cao", "Hội nhập là một hình thức hợp tác quốc tế ở trình độ "
                                                  "cao, gắn với luật lệ và chuẩn mực chung giữa các nước."),
                     seed_index)
    assert copy.similarity == 100
    assert copy.excerpt == ("hội nhập là một hình thức hợp tác quốc tế ở trình độ cao , gắn với luật lệ "
                            "và chuẩn mực chung giữa các nước")


# --- the command line ---------------------------------------------------------------------------

@pytest.fixture
def course_dir(tmp_path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, target)
    return target


def seeds_dir(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "000_8b1cc4aac4110f82.txt").write_text(
        "Sau Chiến tranh Lạnh , WTO được thành lập vào tháng 1/1995 . HTQT là nền tảng cơ bản của HNQT",
        encoding="utf-8")
    (folder / "003_ff191031b51a372f.txt").write_text("Bài báo .", encoding="utf-8")
    return folder


def test_warnings_are_printed_but_fail_only_with_strict(course_dir, tmp_path):
    seeds = seeds_dir(tmp_path)
    result = studybot("content", "check", "--content", str(course_dir), "--seeds", str(seeds))
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "questions/mini.yaml: ls-asean-1967: has no level (remember, understand, apply)" in lines
    assert any(line.startswith("questions/mini.yaml: ls-wto-1995: the true/false statement copies "
                               "000_8b1cc4aac4110f82.txt nearly word for word") for line in lines)
    assert lines[-1].startswith("OK: ") and lines[-1].endswith("warning(s) above")
    strict = studybot("content", "check", "--strict", "--content", str(course_dir), "--seeds", str(seeds))
    assert strict.returncode == 1 and "warning(s) in" in strict.stderr and "(--strict)" in strict.stderr


def test_the_seeds_folder_comes_from_the_environment_or_is_named_when_missing(course_dir, tmp_path):
    import os
    import subprocess
    import sys

    seeds = seeds_dir(tmp_path)
    env = {**os.environ, "STUDYBOT_SEEDS": str(seeds)}
    found = subprocess.run([sys.executable, "-m", "studybot.cli", "content", "check", "--content",
                            str(course_dir)], capture_output=True, text=True, env=env, timeout=120)
    assert "ls-wto-1995: the true/false statement copies" in found.stdout
    missing = studybot("content", "check", "--content", str(course_dir), "--seeds", str(tmp_path / "none"))
    assert missing.returncode == 0
    assert f"sources.yaml: seeds: true/false statements not compared with the seeds: seeds folder " \
           f"{tmp_path / 'none'} not found" in missing.stdout


def test_stats_prints_the_teaching_figures(course_dir, tmp_path):
    result = studybot("content", "stats", "--content", str(course_dir), "--seeds", str(seeds_dir(tmp_path)))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "level: remember 0, understand 0, apply 0, none 5; understand + apply 0 of 5 (0 %; " \
           "goal at least 40 %)" in out
    assert "right option strictly the longest: 0 of 1 choice questions (0 %; at most 35 %), " \
           "0 by over 1.3 × the next" in out
    assert "near-duplicate pairs: 0" in out
    assert "typo-tolerance conflicts: 0 (short questions that accept another answer as a typo; wrong answers found: 0)" in out
    assert "verbatim true/false statements: 2 of 2 (seed similarity at least 80)" in out


def test_quality_lines_count_levels_and_the_deeper_share():
    questions = [choice(f"q{n}", f"Câu {n} hỏi gì khác hẳn?", f"đáp án {n}", "x" * 9, "y" * 9, "z" * 9,
                        level=level) for n, level in enumerate(("remember", "understand", "apply", "apply"))]
    lines = quality_lines(assess(course_of(*questions), None))
    assert lines[0] == "level: remember 1, understand 1, apply 2, none 0; understand + apply 3 of 4 " \
                       "(75 %; goal at least 40 %)"
    assert lines[-1] == "verbatim true/false statements: not measured (seeds not found)"
