"""A comparison question is read as its two sides, and nothing else is taken for one."""

import pytest

from bot.comparison import compared_parts
from bot.normalize import fold


@pytest.mark.parametrize("typed, parts", [
    ("TCH khác HNQT thế nào", ("tch", "hnqt")),
    ("TCH khac HNQT the nao?", ("tch", "hnqt")),
    ("so sánh hợp tác và hội nhập", ("hop tac", "hoi nhap")),
    ("hội nhập khác toàn cầu hóa", ("hoi nhap", "toan cau hoa")),
    ("phân biệt hợp tác quốc tế với hội nhập quốc tế", ("hop tac quoc te", "hoi nhap quoc te")),
    ("khác nhau giữa toàn cầu hóa và hội nhập quốc tế", ("toan cau hoa", "hoi nhap quoc te")),
    ("sự khác biệt giữa HTQT và HNQT", ("htqt", "hnqt")),
    ("hợp tác quốc tế và hội nhập quốc tế khác nhau thế nào", ("hop tac quoc te", "hoi nhap quoc te")),
    ("hợp tác quốc tế khác gì hội nhập quốc tế", ("hop tac quoc te", "hoi nhap quoc te")),
    ("TCH và HNQT giống và khác nhau thế nào", ("tch", "hnqt")),
    ("toàn cầu hóa và hội nhập quốc tế giống nhau và khác nhau ở điểm nào",
     ("toan cau hoa", "hoi nhap quoc te")),
    ("so sánh TCH với HNQT", ("tch", "hnqt")),
    ("globalization vs integration", ("globalization", "integration")),
    ("difference between international cooperation and international integration",
     ("international cooperation", "international integration")),
    ("compare globalization and integration", ("globalization", "integration")),
])
def test_a_comparison_is_read_as_its_two_sides(typed, parts):
    assert compared_parts(fold(typed)) == parts


@pytest.mark.parametrize("typed", [
    "hội nhập quốc tế",
    "Hội nghị Liên Hợp Quốc về Thương mại và Phát triển",   # "và" alone compares nothing
    "luật lệ và chuẩn mực quốc tế",
    "so sánh",                                              # nothing to compare
    "so sánh TCH",
    "HNQT khác HNQT",                                       # one thing with itself
    "",
])
def test_other_queries_are_no_comparison(typed):
    assert compared_parts(fold(typed)) is None
