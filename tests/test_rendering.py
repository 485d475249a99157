"""Adapters' rendering: long replies split within each platform's limit, nothing lost or broken."""

from adapters.discord_adapter import render_markdown, split
from adapters.telegram_adapter import split_html
from bot.text import bold, join, plain
from tests.fake_telegram import parse_html


def long_reply():
    lines = [bold(f"Dòng {n} <b>&") + plain(" " + "hội nhập quốc tế " * 8) for n in range(80)]
    return join(lines)


def test_telegram_parts_fit_parse_and_lose_nothing():
    text = long_reply()
    parts = split_html(text, limit=1000)
    assert len(parts) > 1
    visible = [parse_html(p) for p in parts]                    # every part parses as HTML
    assert all(len(v) <= 1000 for v in visible)
    assert "".join(visible) == text.plain()
    assert all(v.startswith("Dòng ") for v in visible)          # new messages start at a line


def test_telegram_cuts_inside_a_line_only_when_the_line_alone_is_too_long():
    text = plain("x" * 2500)
    parts = split_html(text, limit=1000)
    assert [len(parse_html(p)) for p in parts] == [1000, 1000, 500]


def test_telegram_escapes_user_text_inside_styles():
    assert split_html(bold("<b>A & B</b>")) == ["<b>&lt;b&gt;A &amp; B&lt;/b&gt;</b>"]


def test_discord_parts_fit_and_escape_markdown_and_mentions():
    rendered = render_markdown(long_reply())
    parts = split(rendered, 2000)
    assert len(parts) > 1 and all(len(p) <= 2000 for p in parts)
    assert "".join(parts).replace("\n", "") == rendered.replace("\n", "")
    assert render_markdown(plain("**@everyone**")) == "\\*\\*@\u200beveryone\\*\\*"


def test_telegram_never_sends_an_empty_tag_at_a_full_message():
    parts = split_html(join([bold("a" * 10), bold("b" * 10)], sep=""), limit=10)
    assert parts == ["<b>aaaaaaaaaa</b>", "<b>bbbbbbbbbb</b>"]


async def test_discord_sends_replies_with_more_buttons_than_one_message_holds_one_by_one(caplog):
    from adapters.discord_adapter import message_kwargs
    from bot.replies import Button, Reply

    def buttons(prefix: str, count: int) -> tuple[Button, ...]:
        return tuple(Button(f"{prefix}:{n}", f"{prefix}{n}") for n in range(count))

    first, second = Reply(plain("Câu 1"), buttons("a", 15)), Reply(plain("Câu 2"), buttons("b", 15))
    messages = message_kwargs([first, second])               # 3 rows each: 6 do not fit one message
    assert [m["content"] for m in messages] == ["Câu 1", "Câu 2"]
    assert [[item.custom_id for item in m["view"].children] for m in messages] == [
        [b.id for b in first.buttons], [b.id for b in second.buttons]]
    assert message_kwargs([first, Reply(plain("Câu 3"), buttons("c", 10))])[0]["content"] == "Câu 1\n\nCâu 3"
    (alone,) = message_kwargs([Reply(plain("Nhiều"), buttons("d", 30))])
    assert len(alone["view"].children) == 25 and "6 rows of buttons; Discord shows 5" in caplog.text
