"""/define finds the right concept however a Vietnamese student types it."""

import random

import pytest

from bot.define import define_reply
from bot.i18n import catalog
from bot.normalize import fold
from bot.search import ConceptIndex, numbers_agree, readings, search_key
from tests.search_table import AMBIGUOUS, QUERIES

VI = catalog("vi")


@pytest.fixture(scope="module")
def index(real_course):
    return ConceptIndex(real_course)


@pytest.mark.parametrize("kind, typed, expected", QUERIES, ids=[f"{k}:{t}" for k, t, _ in QUERIES])
def test_query_table(index, kind, typed, expected):
    result = index.lookup(typed)
    if expected is None:
        assert result.found is None, f"{typed!r} is not in the course but found {result.found.id}"
    else:
        assert result.found is not None, f"{typed!r} found nothing ({result.how})"
        assert result.found.id == expected


def test_every_kind_of_typing_is_in_the_table():
    kinds = {k for k, _, _ in QUERIES}
    assert {"no diacritics", "NFD", "abbreviation", "typo", "old tone placement",
            "English", "not in the course", "Telex", "VNI", "looks like Telex", "comparison",
            "number words", "Roman numerals", "another number"} <= kinds


def test_every_concept_is_found_by_term_and_every_alias_with_and_without_diacritics(real_course, index):
    for concept in real_course.concepts.values():
        for name in (concept.term, *concept.aliases):
            for typed in (name, fold(name), name.upper()):
                result = index.lookup(typed)
                assert result.found is not None and result.found.id == concept.id, \
                    f"{typed!r} should find {concept.id}, got {result.how}"


def test_exact_alias_beats_a_fuzzy_neighbour(index):
    assert index.lookup("CU").how == "exact"
    assert index.lookup("hnqt").found.id == "hoi-nhap-quoc-te"


def test_nothing_close_says_so_and_offers_up_to_three_terms(real_course, index):
    reply = define_reply(VI, real_course, index, "quang hợp", random.Random(1))
    assert reply.text.plain().startswith("Không tìm thấy “quang hợp” trong bài học")
    assert 1 <= len(reply.buttons) <= 3
    assert all(b.id.startswith("d:") and b.id[2:] in real_course.concepts for b in reply.buttons)


@pytest.mark.parametrize("typed", AMBIGUOUS)
def test_a_tie_is_said_and_the_candidates_offered(real_course, index, typed):
    reply = define_reply(VI, real_course, index, typed, random.Random(1))
    assert "khớp với nhiều khái niệm như nhau" in reply.text.plain()
    assert 2 <= len(reply.buttons) <= 3


def test_no_term_explains_usage_with_examples(real_course, index):
    reply = define_reply(VI, real_course, index, "   ", random.Random(1))
    assert "Gõ /define và một khái niệm" in reply.text.plain() and len(reply.buttons) == 3


def test_the_card_shows_definition_related_terms_and_source(real_course, index):
    reply = define_reply(VI, real_course, index, "hop tac quoc te", random.Random(1))
    text = reply.text.plain()
    assert text.startswith("Hợp tác quốc tế")
    assert "phối hợp hòa bình giữa các chủ thể" in text
    assert "Nguồn: Bài giảng Chương 1: Hội nhập quốc tế — §1.1.2 a Hợp tác quốc tế" in text
    assert "Liên quan:" in text and reply.buttons


def test_every_card_fits_discord_and_telegram(real_course):
    from bot.cards import concept_card
    for concept in real_course.concepts.values():
        assert len(concept_card(VI, real_course, concept).text) <= 1900, concept.id


@pytest.mark.parametrize("hostile", [
    "x" * 10_000,
    "<b>hội nhập</b>",
    "*@everyone*",
    "'; DROP TABLE users; --",
    "🤖🎉 hội nhập 🇻🇳",
    "\x00\x1b[31mđỏ\u202e",
    "@everyone",
])
def test_hostile_input_is_plain_text_with_a_clear_reply(real_course, index, hostile):
    reply = define_reply(VI, real_course, index, hostile, random.Random(1))
    text = reply.text.plain()
    assert text
    assert len(text) < 2000
    assert all(span.style == "" for span in reply.text.spans if hostile[:20] in span.text)
    assert "\x00" not in text and "\x1b" not in text


def test_a_card_names_each_text_once_with_its_sections(real_course, index):
    reply = define_reply(VI, real_course, index, "hnqt", random.Random(1))
    source_line = next(line for line in reply.text.plain().splitlines() if line.startswith("Nguồn: "))
    assert source_line.count("Bài giảng Chương 1: Hội nhập quốc tế") == 1
    assert "§1.1.1 Hội nhập quốc tế là gì?, §1.1.2 a Hợp tác quốc tế" in source_line


@pytest.mark.parametrize("typed, key", [
    ("Đại hội lần thứ IX", "dai hoi 9"),
    ("đại hội thứ chín", "dai hoi 9"),
    ("Đại hội 9", "dai hoi 9"),
    ("NQ22", "nq 22"),
    ("NQ 07", "nq 7"),
    ("Nghị quyết 07-NQ/TW", "nghi quyet 7 nq tw"),
    ("nghị quyết hai mươi hai", "nghi quyet 22"),
    ("Đổi mới (từ năm 1986)", "doi moi tu nam 1986"),
    ("hội nhập quốc tế", "hoi nhap quoc te"),
])
def test_search_key_writes_numbers_one_way(typed, key):
    assert search_key(typed) == key


def test_numbers_agree_only_on_the_same_number():
    assert numbers_agree(("22",), ("22",))
    assert numbers_agree(("8", "1996"), ("8", "6", "1996"))
    assert numbers_agree((), ("22",)) and numbers_agree(("1967",), ())
    assert not numbers_agree(("23",), ("22",))
    assert not numbers_agree(("6",), ("8", "6", "1996"))     # Đại hội VIII (6/1996)
    assert not numbers_agree(("10", "2011"), ("10", "2006"))


def test_a_query_is_read_as_typed_and_decoded_from_telex():
    keys = [r.key for r in readings("chur nghiax lieen bang")]
    assert keys == ["chur nghiax lieen bang", "chu nghia lien bang"]
    assert [r.key for r in readings("hoi nhap")] == ["hoi nhap"]
    assert [r.key for r in readings("integration")] == ["integration"]


def test_a_numbered_concept_is_never_found_under_another_number(real_course, index):
    """Every name with a number, of every concept whose term has one (Nghị quyết 22, Đại hội
    VIII, Chiến lược … Mỹ (2017)), typed with a number no name in the course has."""
    taken = {n for c in real_course.concepts.values() for name in (c.term, *c.aliases)
             for n in search_key(name).split() if n.isdigit()}
    checked = 0
    for concept in real_course.concepts.values():
        if not any(n.isdigit() for n in search_key(concept.term).split()):
            continue
        for name in (concept.term, *concept.aliases):
            numbers = [n for n in search_key(name).split() if n.isdigit()]
            if not numbers:
                continue
            other = next(str(n) for n in range(int(numbers[0]) + 1, 10_000) if str(n) not in taken)
            typed = search_key(name).replace(numbers[0], other, 1)
            result = index.lookup(typed)
            assert result.found is None or result.found.id != concept.id, f"{typed!r} found {concept.id}"
            checked += 1
    assert checked > 40


def test_a_comparison_shows_the_card_that_compares_the_two(real_course, index):
    result = index.lookup("TCH khác HNQT thế nào")
    assert result.how == "compared" and result.found.id == "so-sanh-tch-hnqt"
    reply = define_reply(VI, real_course, index, "so sánh hợp tác và hội nhập", random.Random(1))
    assert reply.text.plain().startswith("Phân biệt hợp tác quốc tế và hội nhập quốc tế")


def test_a_comparison_no_concept_makes_offers_the_two_compared(real_course, index):
    reply = define_reply(VI, real_course, index, "WTO khác GATT thế nào", random.Random(1))
    assert "khớp với nhiều khái niệm như nhau" in reply.text.plain()
    assert sorted(b.id for b in reply.buttons) == ["d:gatt", "d:wto"]


def test_the_same_concept_on_both_sides_is_no_comparison(index):
    assert index.lookup("hội nhập khác HNQT").found.id == "hoi-nhap-quoc-te"


def test_a_number_not_in_the_course_still_suggests_its_neighbours(index):
    result = index.lookup("nghị quyết 23")
    assert result.found is None and result.how == "none"
    assert "nghi-quyet-22" in {c.id for c in result.suggestions}


@pytest.mark.parametrize("typed, first", [
    ("chur ng", "cach-tiep-can-lien-bang"),
    ("indep", "doc-lap"),
    ("dai hoi thu chin", "dai-hoi-ix"),
    ("NQ22", "nghi-quyet-22"),
])
def test_autocomplete_reads_telex_numbers_and_english(index, typed, first):
    assert index.complete(typed)[0].id == first


def test_autocomplete_offers_the_other_numbers_while_one_is_typed(index):
    ids = [c.id for c in index.complete("nghi quyet 2", 6)]
    assert ids[0] == "nghi-quyet-22" and "nghi-quyet-52" in ids
