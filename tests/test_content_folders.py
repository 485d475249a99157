"""A content folder or file that cannot be read is a problem, never an empty question bank."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_COURSE
from tests.studybot_process import permissions_count, run_studybot


@pytest.fixture
def course(tmp_path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, target)
    return target


def content_check(course: Path, cwd: Path, as_operator: bool = False):
    return run_studybot("content", "check", "--content", course, "--config", cwd / "none.yaml",
                        cwd=cwd, as_operator=as_operator)


def test_questions_folder_that_is_a_file_is_a_problem(course, tmp_path):
    shutil.rmtree(course / "questions")
    (course / "questions").write_text("not a folder\n")
    result = content_check(course, tmp_path)
    assert result.code == 1
    assert "questions/: must be a folder of YAML files, not a file" in result.out
    assert "OK" not in result.out


def test_a_missing_questions_folder_is_a_problem(course, tmp_path):
    shutil.rmtree(course / "questions")
    result = content_check(course, tmp_path)
    assert result.code == 1
    assert "questions/: folder is missing" in result.out


def test_a_question_file_that_cannot_be_read_is_named(course, tmp_path):
    (course / "questions" / "gone.yaml").symlink_to(course / "nowhere.yaml")
    result = content_check(course, tmp_path)
    assert result.code == 1
    assert "questions/gone.yaml: cannot be read (No such file or directory)" in result.out


def test_an_unreadable_questions_folder_fails_the_check(course, tmp_path):
    permissions_count()
    (course / "questions").chmod(0)
    try:
        result = content_check(course, tmp_path, as_operator=True)
    finally:
        (course / "questions").chmod(0o755)
    assert result.code == 1
    assert f"questions/: folder cannot be read (Permission denied); make it readable by the user " \
           f"running studybot (uid {os.geteuid()})" in result.out
    assert "0 questions" not in result.out


def test_an_unreadable_content_folder_fails_the_check(course, tmp_path):
    permissions_count()
    course.chmod(0o300)            # can enter, cannot list
    try:
        result = content_check(course, tmp_path, as_operator=True)
    finally:
        course.chmod(0o755)
    assert result.code == 1
    assert "folder cannot be read (Permission denied)" in result.out
