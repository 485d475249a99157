"""Reading `content/` into a Course, collecting every problem instead of stopping at the first.

A teacher edits the YAML; a wrong key or a missing source must be reported with the file, the
item id and the field, all at once, never as a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from bot.course.problems import ContentError, Problem
from bot.model.course import (
    DIFFICULTIES, LEVELS, QUESTION_TYPES, Concept, Course, Question, Source, SourceFile, Topic,
)


CONCEPT_FIELDS = {
    "id": True, "term": True, "definition": True, "topic": True, "source": True,
    "aliases": False, "details": False, "key_points": False, "related": False,
}
QUESTION_FIELDS = {
    "id": True, "topic": True, "type": True, "prompt": True, "explanation": True,
    "source": True, "difficulty": True, "level": False, "options": False, "answer": False,
    "accept": False, "reject": False, "items": False, "concepts": False,
}
TOPIC_FIELDS = {"id": True, "title": True, "aliases": False}


class _Reader:
    """Collects problems while turning raw YAML values into typed fields."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def problem(self, file: str, item: str, field: str, message: str) -> None:
        self.problems.append(Problem(file, item, field, message))

    def read_yaml(self, path: Path, key: str) -> list[Any]:
        rel = path.relative_to(self.root).as_posix()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.problem(rel, "", "", f"not valid YAML: {where}{reason}")
            return []
        except UnicodeDecodeError as exc:
            self.problem(rel, "", "", f"cannot be read: {exc}")
            return []
        except OSError as exc:
            self.problem(rel, "", "", f"cannot be read ({exc.strerror}); make it a readable file "
                                      f"for the user running studybot (uid {os.geteuid()})")
            return []
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            self.problem(rel, "", "", f"must be a mapping with a list under '{key}:'")
            return []
        return data[key]

    def fields(self, rel: str, raw: Any, spec: dict[str, bool], index: int) -> tuple[str, dict] | None:
        if not isinstance(raw, dict):
            self.problem(rel, f"item {index + 1}", "", "must be a mapping of fields")
            return None
        item_id = raw.get("id")
        label = item_id if isinstance(item_id, str) and item_id else f"item {index + 1}"
        for key in raw:
            if key not in spec:
                known = ", ".join(spec)
                self.problem(rel, label, str(key), f"unknown field (known: {known})")
        for key, required in spec.items():
            if required and (key not in raw or raw[key] is None or raw[key] == ""):
                self.problem(rel, label, key, "is required")
        return label, raw

    def text(self, rel: str, label: str, raw: dict, key: str) -> str:
        value = raw.get(key, "")
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(rel, label, key, f"must be text, not {type(value).__name__}")
            return ""
        return str(value)

    def texts(self, rel: str, label: str, raw: dict, key: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        if not isinstance(value, list):
            self.problem(rel, label, key, "must be a list")
            return ()
        out = []
        for n, entry in enumerate(value, 1):
            if isinstance(entry, bool) or not isinstance(entry, (str, int, float)):
                self.problem(rel, label, f"{key}[{n}]", "must be text (quote it)")
                continue
            out.append(str(entry))
        return tuple(out)

    def sources(self, rel: str, label: str, raw: dict) -> tuple[Source, ...]:
        value = raw.get("source")
        entries = value if isinstance(value, list) else [value] if value is not None else []
        out = []
        for entry in entries:
            if (not isinstance(entry, dict) or not isinstance(entry.get("file"), str)
                    or not isinstance(entry.get("section"), (str, int, float))
                    or isinstance(entry.get("section"), bool)):
                self.problem(rel, label, "source",
                             "must be {file: SEED_FILE, section: \"SECTION\"} or a list of them")
                continue
            out.append(Source(entry["file"], str(entry["section"])))
        return tuple(out)


def _read_sources(reader: _Reader, course: Course) -> None:
    path = reader.root / "sources.yaml"
    if not path.exists():
        reader.problem("sources.yaml", "", "", "is missing")
        return
    for index, raw in enumerate(reader.read_yaml(path, "sources")):
        if (not isinstance(raw, dict) or not isinstance(raw.get("file"), str)
                or not isinstance(raw.get("sections"), dict)):
            reader.problem("sources.yaml", f"item {index + 1}", "",
                           "needs file, title and a mapping of sections")
            continue
        sections = {str(k): str(v) for k, v in raw["sections"].items()}
        course.sources[raw["file"]] = SourceFile(raw["file"], str(raw.get("title", "")), sections)


def _read_topics(reader: _Reader, course: Course) -> None:
    path = reader.root / "topics.yaml"
    if not path.exists():
        reader.problem("topics.yaml", "", "", "is missing")
        return
    for index, raw in enumerate(reader.read_yaml(path, "topics")):
        parsed = reader.fields("topics.yaml", raw, TOPIC_FIELDS, index)
        if parsed is None:
            continue
        label, raw = parsed
        topic = Topic(reader.text("topics.yaml", label, raw, "id"),
                      reader.text("topics.yaml", label, raw, "title"),
                      reader.texts("topics.yaml", label, raw, "aliases"))
        if topic.id in course.topics:
            reader.problem("topics.yaml", label, "id", "is used twice")
        course.topics[topic.id] = topic


def _read_concepts(reader: _Reader, course: Course, path: Path) -> None:
    rel = path.relative_to(reader.root).as_posix()
    for index, raw in enumerate(reader.read_yaml(path, "concepts")):
        parsed = reader.fields(rel, raw, CONCEPT_FIELDS, index)
        if parsed is None:
            continue
        label, raw = parsed
        concept = Concept(
            id=reader.text(rel, label, raw, "id"),
            term=reader.text(rel, label, raw, "term"),
            definition=reader.text(rel, label, raw, "definition"),
            topic=reader.text(rel, label, raw, "topic"),
            sources=reader.sources(rel, label, raw),
            aliases=reader.texts(rel, label, raw, "aliases"),
            details=reader.text(rel, label, raw, "details"),
            key_points=reader.texts(rel, label, raw, "key_points"),
            related=reader.texts(rel, label, raw, "related"),
            file=rel,
        )
        if concept.id in course.concepts:
            reader.problem(rel, label, "id",
                           f"is used twice (also in {course.concepts[concept.id].file})")
            continue
        course.concepts[concept.id] = concept


def _answer(reader: _Reader, rel: str, label: str, raw: dict, qtype: str) -> str | bool:
    value = raw.get("answer")
    if qtype == "true_false":
        if not isinstance(value, bool):
            reader.problem(rel, label, "answer", "must be true or false (unquoted)")
            return False
        return value
    if qtype == "order":
        if value is not None:
            reader.problem(rel, label, "answer", "order questions take `items` in the right order, no answer")
        return ""
    if value is None or value == "":
        reader.problem(rel, label, "answer", "is required")
        return ""
    if isinstance(value, bool):
        reader.problem(rel, label, "answer", "must be text (quote it)")
        return ""
    return str(value)


def _read_questions(reader: _Reader, course: Course, path: Path) -> None:
    rel = path.relative_to(reader.root).as_posix()
    for index, raw in enumerate(reader.read_yaml(path, "questions")):
        parsed = reader.fields(rel, raw, QUESTION_FIELDS, index)
        if parsed is None:
            continue
        label, raw = parsed
        qtype = reader.text(rel, label, raw, "type")
        if qtype and qtype not in QUESTION_TYPES:
            reader.problem(rel, label, "type", f"must be one of {', '.join(QUESTION_TYPES)}")
        difficulty = reader.text(rel, label, raw, "difficulty")
        if difficulty and difficulty not in DIFFICULTIES:
            reader.problem(rel, label, "difficulty", f"must be one of {', '.join(DIFFICULTIES)}")
        level = reader.text(rel, label, raw, "level")
        if level and level not in LEVELS:
            reader.problem(rel, label, "level", f"must be one of {', '.join(LEVELS)}")
        question = Question(
            id=reader.text(rel, label, raw, "id"),
            topic=reader.text(rel, label, raw, "topic"),
            type=qtype,
            prompt=reader.text(rel, label, raw, "prompt"),
            explanation=reader.text(rel, label, raw, "explanation"),
            sources=reader.sources(rel, label, raw),
            difficulty=difficulty,
            level=level,
            options=reader.texts(rel, label, raw, "options"),
            answer=_answer(reader, rel, label, raw, qtype),
            accept=reader.texts(rel, label, raw, "accept"),
            reject=reader.texts(rel, label, raw, "reject"),
            items=reader.texts(rel, label, raw, "items"),
            concepts=reader.texts(rel, label, raw, "concepts"),
            file=rel,
        )
        if question.id in course.questions:
            reader.problem(rel, label, "id",
                           f"is used twice (also in {course.questions[question.id].file})")
            continue
        course.questions[question.id] = question


def read_course(root: Path) -> tuple[Course, list[Problem]]:
    """The course as written, with the problems of form (not yet of meaning)."""
    reader = _Reader(root)
    course = Course()
    if not root.is_dir():
        reader.problem(str(root), "", "", "content directory not found")
        return course, reader.problems
    if _yaml_files(reader, root, str(root)) is None:
        return course, reader.problems
    _read_sources(reader, course)
    _read_topics(reader, course)
    for path in _yaml_files(reader, root / "concepts", "concepts/") or []:
        _read_concepts(reader, course, path)
    for path in _yaml_files(reader, root / "questions", "questions/") or []:
        _read_questions(reader, course, path)
    return course, reader.problems


def _yaml_files(reader: _Reader, folder: Path, label: str) -> list[Path] | None:
    """The folder's YAML files, or None after noting why the folder cannot be listed (a folder
    that cannot be read must never pass as an empty one: no quiz, no daily, no error)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        reader.problem(label, "", "", "folder is missing (content/README.md shows the layout)")
        return None
    except NotADirectoryError:
        reader.problem(label, "", "", "must be a folder of YAML files, not a file")
        return None
    except OSError as exc:
        reader.problem(label, "", "", f"folder cannot be read ({exc.strerror}); make it readable "
                                      f"by the user running studybot (uid {os.geteuid()})")
        return None
    return sorted(folder / name for name in names if name.endswith(".yaml"))


def checked_course(root: Path) -> tuple[Course, list[Problem]]:
    """The course as written, with every problem: of form, then of meaning."""
    from bot.course.check import check_course

    course, problems = read_course(root)
    return course, problems + check_course(course)


def load_course(root: Path) -> Course:
    """The course, checked; raises ContentError listing every problem."""
    course, problems = checked_course(root)
    if problems:
        raise ContentError(problems)
    return course
