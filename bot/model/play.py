"""Records of play: a question as put to a chat, a round, answers and standings.

Shared by the quiz rules (bot.quiz), the store (bot.store) and the services that use both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Presented:
    question_id: str
    options: tuple[str, ...]   # empty for a typed answer
    correct: int               # index into options; -1 for a typed answer

    @property
    def typed(self) -> bool:
        return not self.options


@dataclass(frozen=True)
class Asked:
    id: int
    chat_id: int
    round_id: int | None
    position: int | None
    question_id: str
    topic: str
    options: tuple[str, ...]
    correct: int
    asked_at: datetime
    closes_at: datetime
    closed: bool
    daily_day: str | None
    delivered: bool = True      # the platform confirmed it; its time runs from then
    native: bool = False        # sent as the platform's own quiz (shows its answer when it closes)

    @property
    def presented(self) -> Presented:
        return Presented(self.question_id, self.options, self.correct)


@dataclass(frozen=True)
class Round:
    id: int
    chat_id: int
    started_by: int
    topic: str | None
    question_ids: tuple[str, ...]
    seconds: int
    state: str


@dataclass(frozen=True)
class NewAnswer:
    asked_id: int
    user_id: int
    chat_id: int
    topic: str
    answer: str
    correct: bool
    points: int
    answered_at: datetime
    week: str
    month: str


@dataclass(frozen=True)
class AnswerRow:
    user_id: int
    name: str
    correct: bool
    points: int
    answered_at: datetime


@dataclass(frozen=True)
class Standing:
    user_id: int
    name: str
    points: int
    correct: int
    answers: int
