"""Operators' log lines: one per event, with its fields; students' text only at DEBUG."""

import logging

import pytest

from studybot.logs import FieldsFormatter, configure_logging
from studybot.startup import StartupError


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


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_logs_can_go_to_a_file_instead_of_the_terminal(tmp_path, capsys, restore_logging):
    log_file = tmp_path / "logs" / "studybot.log"
    configure_logging("INFO", ("123:SECRET",), file=log_file)
    logging.getLogger("bot.service").info("sent via /bot123:SECRET/x", extra={"fields": {"chat": "lop"}})
    logging.getLogger("bot.service").debug("not at INFO")
    assert capsys.readouterr().err == ""
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and lines[0].endswith(" INFO bot.service sent via /bot***/x chat=lop")


def test_a_log_file_that_cannot_be_opened_is_one_line(tmp_path, restore_logging):
    (tmp_path / "logs").write_text("a file where the folder should be")
    with pytest.raises(StartupError) as error:
        configure_logging("INFO", (), file=tmp_path / "logs" / "studybot.log")
    assert error.value.lines[0].startswith(f"log file: {tmp_path}/logs/studybot.log cannot be opened for "
                                           f"writing (")
