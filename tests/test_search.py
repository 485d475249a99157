"""/define finds the right concept however a Vietnamese student types it."""

import random

import pytest

from bot.define import define_reply
from bot.i18n import catalog
from bot.normalize import fold
from bot.search import ConceptIndex
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
            "English", "not in the course"} <= kinds


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
