"""Plain data for the course content; no I/O, no validation (see load.py and check.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

QUESTION_TYPES = ("choice", "true_false", "short", "order")
DIFFICULTIES = ("easy", "medium", "hard")
# What a question asks of the student (after Bloom): recall a fact, explain or compare, use it.
LEVELS = ("remember", "understand", "apply")


@dataclass(frozen=True)
class Source:
    file: str
    section: str


@dataclass(frozen=True)
class SourceFile:
    file: str
    title: str
    sections: dict[str, str]


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    id: str
    term: str
    definition: str
    topic: str
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    details: str = ""
    key_points: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    file: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    type: str
    prompt: str
    explanation: str
    sources: tuple[Source, ...]
    difficulty: str
    level: str = ""                    # remember, understand or apply
    options: tuple[str, ...] = ()      # choice
    answer: str | bool = ""            # choice: the right option; true_false: bool; short: text
    accept: tuple[str, ...] = ()       # short: other accepted forms
    reject: tuple[str, ...] = ()       # short: near misses that are wrong (never accepted as typos)
    items: tuple[str, ...] = ()        # order: the right order
    concepts: tuple[str, ...] = ()
    file: str = ""


@dataclass
class Course:
    sources: dict[str, SourceFile] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)

    def topic_title(self, topic_id: str) -> str:
        """The topic's title; its id once the content no longer has it (old answers keep it)."""
        topic = self.topics.get(topic_id)
        return topic.title if topic else topic_id

    def sources_label(self, sources: tuple[Source, ...]) -> str:
        """Sections grouped under their text: "Bài giảng … — §1.1.1 …, §1.1.2 a …; Bài báo … — §3 …"."""
        groups: dict[str, list[str]] = {}
        for source in sources:
            seed = self.sources.get(source.file)
            title = seed.title if seed else source.file
            name = seed.sections.get(source.section, "") if seed else ""
            groups.setdefault(title, []).append(f"§{source.section} {name}".rstrip())
        return "; ".join(f"{title} — {', '.join(sections)}" for title, sections in groups.items())
