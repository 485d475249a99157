"""What every handler needs: content, search, store, clock, randomness, settings and the outbox."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from bot.clock import Clock
from bot.model.course import Course
from bot.i18n import Catalog, catalog
from bot.platform import CONSOLE, Capabilities
from bot.replies import Outbox
from bot.search import ConceptIndex
from bot.settings import Settings
from bot.store import people
from bot.store.database import Database


@dataclass
class Core:
    course: Course
    db: Database
    clock: Clock
    outbox: Outbox
    rng: random.Random = field(default_factory=random.Random)
    settings: Settings = field(default_factory=Settings)
    platforms: dict[str, Capabilities] = field(default_factory=dict)
    index: ConceptIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = ConceptIndex(self.course)

    async def tr(self, chat_id: int) -> Catalog:
        """The message catalogue of a chat (its /lang choice, else the default language)."""
        return catalog(await people.chat_language(self.db, chat_id) or self.settings.language)

    def can(self, platform: str) -> Capabilities:
        return self.platforms.get(platform, CONSOLE)

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=self.settings.grace_seconds)
