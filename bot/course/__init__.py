"""The course: topics, concepts and questions loaded from the YAML in `content/`."""

from bot.course.model import Concept, Course, Question, Source, SourceFile, Topic
from bot.course.load import ContentError, Problem, load_course, read_course

__all__ = [
    "Concept", "ContentError", "Course", "Problem", "Question", "Source", "SourceFile", "Topic",
    "load_course", "read_course",
]
