"""The core's settings: quiz timings, round sizes, daily defaults and spaced review."""

from __future__ import annotations

from dataclasses import dataclass

from bot.periods import DEFAULT_TIMEZONE


@dataclass(frozen=True)
class Settings:
    question_seconds: int = 30          # time to answer a quiz question
    grace_seconds: int = 3              # answers sent in time but delivered late still count
    round_size: int = 5                 # /quiz without a number
    resume_minutes: int = 5             # after a restart, a round overdue longer than this ends
    default_timezone: str = DEFAULT_TIMEZONE
    daily_time: str = "08:00"
    reveal_before_minutes: int = 60     # the daily reveal comes this long before the next post
    min_topic_answers: int = 3          # answers in a topic before /me calls it weak
    language: str = "vi"                # the bot's messages where a chat has not chosen
    private_standings: bool = False     # /top and /me for the asker alone (Discord: ephemeral)
    flood_commands: int = 5             # a user sending more commands than this ...
    flood_seconds: float = 10.0         # ... within this many seconds gets one notice, then silence
    review_retention: float = 0.9       # FSRS desired retention: reviews come when recall falls to this
    review_easy_seconds: int = 8        # a right review answer this fast rates Easy
    review_hard_seconds: int = 30       # a right review answer slower than this rates Hard
    review_typed_extra_seconds: int = 10  # typing takes longer than pressing: added to both
    review_fuzz: bool = True            # spread due days a little, as FSRS does (seeded by core.rng)
    review_day_starts_hour: int = 4     # a study day runs from 04:00 to 04:00 in the student's zone
    review_nudge_time: str = "20:00"    # /review on without a time
