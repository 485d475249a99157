"""The course: topics, concepts and questions loaded from the YAML in `content/`."""

from bot.model.course import Concept, Course, Question, Source, SourceFile, Topic
from bot.course.load import load_course, read_course
from bot.course.problems import ContentError, Problem

__all__ = [
    "Concept", "ContentError", "Course", "Problem", "Question", "Source", "SourceFile", "Topic",
    "load_course", "read_course",
]
