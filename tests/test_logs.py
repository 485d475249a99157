"""Operators' log lines: one per event, with its fields; students' text only at DEBUG."""

import logging

from studybot.logs import FieldsFormatter


async def test_each_event_logs_one_line_with_its_fields(chat, caplog):
    caplog.set_level(logging.INFO, logger="bot.service")
    await chat.say("An", "/define bí mật của An")
    records = [r for r in caplog.records if r.getMessage() == "event"]
    assert len(records) == 1
    fields = records[0].fields
    assert fields["platform"] == "console" and fields["chat"] == "lop" and fields["command"] == "define"
    assert fields["outcome"] == "ok" and fields["duration_ms"] >= 0
    assert "text" not in fields
    line = FieldsFormatter(("SECRET",)).format(records[0])
    assert " command=define " in line and "outcome=ok" in line and "bí mật" not in line


async def test_message_text_appears_only_at_debug(chat, caplog):
    caplog.set_level(logging.DEBUG, logger="bot.service")
    await chat.say("An", "/define hnqt")
    record = next(r for r in caplog.records if r.getMessage() == "event")
    assert record.fields["text"] == "hnqt"


def test_the_formatter_quotes_values_and_redacts_secrets():
    record = logging.LogRecord("x", logging.ERROR, "", 0, "send failed via /bot123:SECRET/x", None, None)
    record.fields = {"chat": "a b", "outcome": "error"}
    line = FieldsFormatter(("123:SECRET",)).format(record)
    assert "123:SECRET" not in line and "/bot***/x" in line and 'chat="a b"' in line
