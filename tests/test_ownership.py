"""One process owns a database: the lock, its refusal line, and the read-only look at it."""

import fcntl
import json
import os
import threading

import pytest

from bot.store.ownership import (
    DatabaseInUse, OwnershipError, acquire_ownership, current_owner, lock_path,
)
from studybot.startup import check_database


def test_a_second_owner_is_refused_with_the_file_and_the_first_owner(tmp_path):
    db = tmp_path / "studybot.sqlite3"
    with acquire_ownership(db):
        with pytest.raises(DatabaseInUse) as refused:
            acquire_ownership(db)
    line = str(refused.value)
    assert line.startswith(f"database: {db} is in use by another studybot (pid {os.getpid()}, started ")
    assert line.endswith("stop that one first, or give this one another --db")
    assert "\n" not in line


def test_released_it_can_be_owned_again_and_the_record_is_cleared(tmp_path):
    db = tmp_path / "studybot.sqlite3"
    first = acquire_ownership(db)
    record = json.loads(lock_path(db).read_text())
    assert record["pid"] == os.getpid() and record["started"].endswith("UTC")
    first.release()
    assert lock_path(db).read_text() == ""
    acquire_ownership(db).release()


def test_current_owner_reads_without_creating_anything(tmp_path):
    db = tmp_path / "data" / "studybot.sqlite3"
    assert current_owner(db) is None
    assert not (tmp_path / "data").exists()
    with acquire_ownership(db):
        owner = current_owner(db)
        assert owner is not None and owner.pid == os.getpid()
    assert current_owner(db) is None


def test_two_spellings_of_one_file_share_one_lock(tmp_path):
    db = tmp_path / "studybot.sqlite3"
    db.touch()
    (tmp_path / "alias.sqlite3").symlink_to(db)
    with acquire_ownership(tmp_path / "alias.sqlite3"):
        with pytest.raises(DatabaseInUse):
            acquire_ownership(tmp_path / "sub" / ".." / "studybot.sqlite3")


def test_a_lock_file_that_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / "data").write_text("a file where the folder should be")
    with pytest.raises(OwnershipError) as refused:
        acquire_ownership(tmp_path / "data" / "studybot.sqlite3")
    assert str(refused.value).startswith(f"database: cannot create the lock file {tmp_path}/data/studybot"
                                         f".sqlite3.lock (")


def test_a_holder_that_is_not_a_live_owner_is_waited_for_briefly(tmp_path):
    """A read-only tool probing the lock at the moment the bot starts does not refuse the bot."""
    db = tmp_path / "studybot.sqlite3"
    acquire_ownership(db).release()                   # the lock file exists, empty
    probe = os.open(lock_path(db), os.O_RDONLY)
    fcntl.flock(probe, fcntl.LOCK_SH)
    threading.Timer(0.1, lambda: os.close(probe)).start()
    acquire_ownership(db, retry_seconds=5).release()


def test_a_holder_that_stays_is_refused_when_the_wait_ends(tmp_path):
    db = tmp_path / "studybot.sqlite3"
    acquire_ownership(db).release()
    probe = os.open(lock_path(db), os.O_RDONLY)
    fcntl.flock(probe, fcntl.LOCK_SH)
    try:
        with pytest.raises(DatabaseInUse) as refused:
            acquire_ownership(db, retry_seconds=0.1)
    finally:
        os.close(probe)
    assert "is in use by another studybot (a process)" in str(refused.value)


def test_an_in_memory_database_needs_no_lock():
    with acquire_ownership(":memory:") as owned:
        assert not owned.held
        acquire_ownership(":memory:").release()


def test_the_start_up_checks_do_not_count_their_own_process_as_another_owner(tmp_path):
    db = tmp_path / "studybot.sqlite3"
    with acquire_ownership(db):
        finding = check_database(db)
    assert finding.ok, finding.line
