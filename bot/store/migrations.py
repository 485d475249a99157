"""The schema, as numbered migrations applied in order at start-up (PRAGMA user_version).

Never edit a migration that has shipped: add the next one. Leaderboard aggregates are kept by
a trigger in the same transaction as the answer, so they cannot drift from the answers table,
and UNIQUE(asked_id, user_id) makes a second answer to one question impossible.
"""

_SCORE_UPSERT = """
    INSERT INTO scores (chat_id, user_id, period, points, answers, correct)
    VALUES (NEW.chat_id, NEW.user_id, {period}, NEW.points, 1, NEW.correct)
    ON CONFLICT (chat_id, period, user_id) DO UPDATE SET
        points = points + excluded.points,
        answers = answers + 1,
        correct = correct + excluded.correct;
"""

MIGRATION_1 = f"""
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    platform_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    person_id INTEGER,                 -- one person on several platforms, once linking comes
    created_at TEXT NOT NULL,
    UNIQUE (platform, platform_id)
);
CREATE TABLE chats (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    platform_id TEXT NOT NULL,
    is_group INTEGER NOT NULL CHECK (is_group IN (0, 1)),
    timezone TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    created_at TEXT NOT NULL,
    UNIQUE (platform, platform_id)
);
CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL REFERENCES chats (id),
    started_by INTEGER NOT NULL REFERENCES users (id),
    topic TEXT,
    question_ids TEXT NOT NULL,        -- JSON list drawn at the start
    seconds INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'stopped')),
    started_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE UNIQUE INDEX rounds_one_running_per_chat ON rounds (chat_id) WHERE state = 'running';
CREATE TABLE asked (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL REFERENCES chats (id),
    round_id INTEGER REFERENCES rounds (id),
    position INTEGER,                  -- 1-based in its round
    question_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    options TEXT NOT NULL,             -- JSON list as shown; [] for a typed answer
    correct INTEGER NOT NULL,          -- index into options; -1 for a typed answer
    asked_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,           -- answers count until closes_at plus the grace window
    closed_at TEXT,                    -- set once revealed
    UNIQUE (round_id, position)
);
CREATE INDEX asked_open ON asked (closes_at) WHERE closed_at IS NULL;
CREATE INDEX asked_chat_question ON asked (chat_id, question_id, asked_at);
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    asked_id INTEGER NOT NULL REFERENCES asked (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    chat_id INTEGER NOT NULL REFERENCES chats (id),
    topic TEXT NOT NULL,
    answer TEXT NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    points INTEGER NOT NULL CHECK (points >= 0),
    answered_at TEXT NOT NULL,
    week TEXT NOT NULL,                -- Monday of the week, in the chat's timezone
    month TEXT NOT NULL,               -- YYYY-MM, in the chat's timezone
    UNIQUE (asked_id, user_id)
);
CREATE INDEX answers_user ON answers (user_id);
CREATE TABLE scores (
    chat_id INTEGER NOT NULL REFERENCES chats (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    period TEXT NOT NULL,              -- 'all', 'w:2026-11-23', 'm:2026-11'
    points INTEGER NOT NULL DEFAULT 0,
    answers INTEGER NOT NULL DEFAULT 0,
    correct INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, period, user_id)
) WITHOUT ROWID;
CREATE INDEX scores_rank ON scores (chat_id, period, points DESC, user_id);
CREATE INDEX scores_user ON scores (user_id, period);
CREATE TABLE topic_scores (
    user_id INTEGER NOT NULL REFERENCES users (id),
    chat_id INTEGER NOT NULL REFERENCES chats (id),
    topic TEXT NOT NULL,
    answers INTEGER NOT NULL DEFAULT 0,
    correct INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, chat_id, topic)
) WITHOUT ROWID;
CREATE TRIGGER answers_keep_scores AFTER INSERT ON answers BEGIN
    {_SCORE_UPSERT.format(period="'all'")}
    {_SCORE_UPSERT.format(period="'w:' || NEW.week")}
    {_SCORE_UPSERT.format(period="'m:' || NEW.month")}
    INSERT INTO topic_scores (user_id, chat_id, topic, answers, correct)
    VALUES (NEW.user_id, NEW.chat_id, NEW.topic, 1, NEW.correct)
    ON CONFLICT (user_id, chat_id, topic) DO UPDATE SET
        answers = answers + 1, correct = correct + excluded.correct;
END;
"""

MIGRATION_2 = """
CREATE TABLE daily_schedules (
    chat_id INTEGER PRIMARY KEY REFERENCES chats (id),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    post_time TEXT NOT NULL,           -- HH:MM in the chat's timezone
    reveal_before_minutes INTEGER NOT NULL DEFAULT 60,
    paused_reason TEXT,                -- set when the platform refuses to deliver
    updated_at TEXT NOT NULL
);
ALTER TABLE asked ADD COLUMN daily_day TEXT;   -- the local date of a daily question
CREATE UNIQUE INDEX asked_one_daily_per_day ON asked (chat_id, daily_day)
    WHERE daily_day IS NOT NULL;
CREATE TABLE streaks (
    chat_id INTEGER NOT NULL REFERENCES chats (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    current INTEGER NOT NULL DEFAULT 0,
    best INTEGER NOT NULL DEFAULT 0,
    last_day TEXT NOT NULL,            -- the daily_day of the last correct daily answer
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;
CREATE INDEX streaks_rank ON streaks (chat_id, current DESC);
CREATE TRIGGER answers_keep_streaks AFTER INSERT ON answers
WHEN NEW.correct = 1 AND (SELECT daily_day FROM asked WHERE id = NEW.asked_id) IS NOT NULL
BEGIN
    -- A correct daily answer extends the streak when the user's last correct day was the
    -- chat's previous daily question, keeps it on the same day, and restarts it otherwise.
    INSERT INTO streaks (chat_id, user_id, current, best, last_day)
    SELECT NEW.chat_id, NEW.user_id, 1, 1, q.daily_day FROM asked q WHERE q.id = NEW.asked_id
    ON CONFLICT (chat_id, user_id) DO UPDATE SET
        current = {step},
        best = MAX(streaks.best, {step}),
        last_day = excluded.last_day;
END;
""".format(step="""CASE
            WHEN streaks.last_day = (SELECT MAX(p.daily_day) FROM asked p
                                     WHERE p.chat_id = excluded.chat_id AND p.daily_day < excluded.last_day)
                THEN streaks.current + 1
            WHEN streaks.last_day = excluded.last_day THEN streaks.current
            ELSE 1 END""")

MIGRATION_3 = """
CREATE TABLE platform_messages (
    platform TEXT NOT NULL,
    message_key TEXT NOT NULL,         -- e.g. a Telegram poll id: its answers carry no chat
    chat_id INTEGER NOT NULL REFERENCES chats (id),
    asked_id INTEGER NOT NULL REFERENCES asked (id),
    PRIMARY KEY (platform, message_key)
) WITHOUT ROWID;
"""

MIGRATION_4 = """
CREATE TABLE question_reports (
    id INTEGER PRIMARY KEY,
    question_id TEXT NOT NULL,
    chat_id INTEGER NOT NULL REFERENCES chats (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (question_id, user_id)      -- one report per user and question; a second one updates it
);
CREATE INDEX question_reports_chat ON question_reports (chat_id, created_at);
"""

MIGRATION_5 = """
ALTER TABLE chats ADD COLUMN language TEXT;   -- the bot's messages in this chat; NULL: the default
"""

MIGRATION_6 = """
-- A question's time runs from when the platform confirmed it was delivered, not from when it was
-- queued; until then it has no delivered_at, cannot be revealed, and a daily post does not count.
ALTER TABLE asked ADD COLUMN delivered_at TEXT;
ALTER TABLE asked ADD COLUMN native INTEGER NOT NULL DEFAULT 0;  -- the platform's own quiz (a poll)
UPDATE asked SET delivered_at = asked_at;
-- paused_reason becomes a code the bot explains in the chat's language ('removed', 'deleted',
-- 'undeliverable'); older free-text reasons all meant the platform refused the chat.
UPDATE daily_schedules SET paused_reason = 'removed' WHERE paused_reason IS NOT NULL;
"""

# Spaced review (bot/review/): each student's deck with its FSRS state, the review log, the
# daily nudge a student chose and the item a review session shows, so a restart loses nothing.
# Every change to a card is a review_log row; its trigger writes the card in the same statement,
# and UNIQUE (user_id, item, reviews_before) refuses a second review computed from the same
# state (a double press, two answers at once), as UNIQUE (asked_id, user_id) does for answers.
MIGRATION_SPACED_REVIEW = """
CREATE TABLE review_cards (
    user_id INTEGER NOT NULL REFERENCES users (id),
    item TEXT NOT NULL,                -- 'q:<question id>' or 'c:<concept id>'
    state TEXT NOT NULL,               -- the FSRS state, JSON (bot/review/scheduling.py)
    due TEXT NOT NULL,                 -- when FSRS wants it reviewed (UTC, sortable)
    reviews INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0, -- rated Again after an earlier review
    PRIMARY KEY (user_id, item)
) WITHOUT ROWID;
CREATE INDEX review_cards_due ON review_cards (user_id, due);
CREATE TABLE review_log (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    item TEXT NOT NULL,
    question_id TEXT NOT NULL,         -- the question that was asked
    source TEXT NOT NULL CHECK (source IN ('review', 'quiz', 'daily')),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),   -- Again, Hard, Good, Easy
    seconds REAL,                      -- from showing to answering, in a review session
    reviewed_at TEXT NOT NULL,
    day TEXT NOT NULL,                 -- the student's study day (local date)
    reviews_before INTEGER NOT NULL,   -- the card's review count this review was computed from
    state TEXT NOT NULL,               -- the FSRS state after it
    due TEXT NOT NULL,
    UNIQUE (user_id, item, reviews_before)
);
CREATE INDEX review_log_days ON review_log (user_id, source, day);
CREATE TRIGGER review_log_keeps_cards AFTER INSERT ON review_log BEGIN
    INSERT INTO review_cards (user_id, item, state, due, reviews, lapses)
    VALUES (NEW.user_id, NEW.item, NEW.state, NEW.due, NEW.reviews_before + 1, 0)
    ON CONFLICT (user_id, item) DO UPDATE SET
        state = excluded.state, due = excluded.due, reviews = excluded.reviews,
        lapses = review_cards.lapses + (NEW.rating = 1 AND NEW.reviews_before > 0);
END;
CREATE TABLE review_nudges (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    chat_id INTEGER NOT NULL REFERENCES chats (id),   -- the student's private chat with the bot
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    nudge_time TEXT NOT NULL,          -- HH:MM in the student's zone
    timezone TEXT NOT NULL,
    next_at TEXT NOT NULL,             -- the next nudge (UTC)
    next_day_ends TEXT NOT NULL,       -- the end of that nudge's study day: cards due before it count
    last_day TEXT,                     -- the study day of the last nudge sent
    updated_at TEXT NOT NULL
);
CREATE INDEX review_nudges_next ON review_nudges (next_at) WHERE enabled = 1;
CREATE TABLE review_sessions (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    chat_id INTEGER NOT NULL REFERENCES chats (id),   -- the private chat it runs in
    turn INTEGER NOT NULL,             -- counts the items shown; an answer button names its turn
    item TEXT,                         -- the card shown; NULL once answered
    question_id TEXT,
    options TEXT,                      -- JSON list as shown; [] for a typed answer
    correct INTEGER,
    shown_at TEXT
);
"""

MIGRATIONS = [MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4, MIGRATION_5, MIGRATION_6,
              MIGRATION_SPACED_REVIEW]
