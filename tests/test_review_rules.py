"""Spaced review rules without I/O: grading, FSRS with seeded fuzz, study days, streaks, items."""

import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import fsrs.scheduler
import pytest
from fsrs import Card, Rating, Scheduler, State

from bot.daily_schedule import next_post, post_instant
from bot.review.days import days_until, review_streak, study_day, study_day_end
from bot.review.grading import AWAY_SECONDS, grade
from bot.review.items import concept_item, question_for, question_item, questions_of, topic_of
from bot.review.nudges import latest_nudge
from bot.review.scheduling import Memory, dump_state, fuzz_range, fuzzed_days, load_state
from bot.settings import Settings

UTC = timezone.utc
MONDAY = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)       # 08:00 in Ho Chi Minh City


@pytest.mark.parametrize("correct, seconds, typed, expected", [
    (False, 2, False, Rating.Again),
    (False, 2, True, Rating.Again),
    (True, 8, False, Rating.Easy),
    (True, 9, False, Rating.Good),
    (True, 30, False, Rating.Good),
    (True, 31, False, Rating.Hard),
    (True, 18, True, Rating.Easy),            # typing gets 10 seconds more
    (True, 40, True, Rating.Good),
    (True, 41, True, Rating.Hard),
    (True, AWAY_SECONDS + 1, False, Rating.Good),   # came back later: speed says nothing
])
def test_grade_from_right_or_wrong_and_time(correct, seconds, typed, expected):
    assert grade(correct, seconds, typed, Settings()) == expected


def test_grade_thresholds_come_from_the_settings():
    quick = Settings(review_easy_seconds=3, review_hard_seconds=10)
    assert grade(True, 4, False, quick) == Rating.Good and grade(True, 11, False, quick) == Rating.Hard


@pytest.mark.parametrize("days", [1, 2, 3, 4, 7, 8, 15, 20, 21, 45, 100, 400, 36_499])
@pytest.mark.parametrize("draw", [0.0, 0.13, 0.5, 0.77, 0.999999])
def test_our_fuzz_is_the_fsrs_fuzz_for_the_same_draw(monkeypatch, days, draw):
    library = Scheduler()
    monkeypatch.setattr(fsrs.scheduler, "random", lambda: draw)
    theirs = library._get_fuzzed_interval(interval=timedelta(days=days)).days
    assert fuzzed_days(days, draw, library.maximum_interval) == theirs


def test_fuzz_leaves_short_intervals_alone_and_takes_no_draw():
    rng = random.Random(5)
    memory = Memory(0.9, rng, fuzz=True)
    before = rng.getstate()
    card = memory.review(memory.new_card(MONDAY), Rating.Again, MONDAY)      # 1 day
    assert card.due - MONDAY == timedelta(days=1) and rng.getstate() == before


def test_fuzz_is_drawn_from_the_injected_source_and_stays_in_the_fsrs_range():
    plain = Memory(0.9, random.Random(0), fuzz=False)
    exact = plain.review(plain.new_card(MONDAY), Rating.Easy, MONDAY)        # 8 days without fuzz
    days = (exact.due - MONDAY).days
    low, high = fuzz_range(days, 36_500)
    spread = set()
    for seed in range(40):
        first = Memory(0.9, random.Random(seed)).review(plain.new_card(MONDAY), Rating.Easy, MONDAY)
        again = Memory(0.9, random.Random(seed)).review(plain.new_card(MONDAY), Rating.Easy, MONDAY)
        assert first.due == again.due                                       # same seed, same day
        assert low <= (first.due - MONDAY).days <= high + 1     # fsrs rounds: its top draws land one past
        spread.add(first.due)
    assert len(spread) > 1 and (first.stability, first.difficulty) == (exact.stability, exact.difficulty)


def test_memory_schedules_as_fsrs_without_steps_at_the_set_retention():
    for retention in (0.8, 0.9, 0.95):
        memory = Memory(retention, random.Random(0), fuzz=False)
        library = Scheduler(desired_retention=retention, learning_steps=(), relearning_steps=(),
                            enable_fuzzing=False)
        ours, theirs = memory.new_card(MONDAY), Card(card_id=0, due=MONDAY)
        when = MONDAY
        for rating in (Rating.Again, Rating.Good, Rating.Good, Rating.Hard, Rating.Again, Rating.Easy):
            ours = memory.review(ours, rating, when)
            theirs, _ = library.review_card(theirs, rating, review_datetime=when)
            assert (ours.due, ours.stability, ours.state) == (theirs.due, theirs.stability, theirs.state)
            when = ours.due + timedelta(hours=3)
    assert ours.state == State.Review


def test_recall_is_none_before_a_first_review_and_falls_with_time():
    memory = Memory(0.9, random.Random(0), fuzz=False)
    card = memory.new_card(MONDAY)
    assert memory.recall(card, MONDAY) is None
    card = memory.review(card, Rating.Good, MONDAY)
    assert memory.recall(card, MONDAY) == 1.0
    assert 0.89 < memory.recall(card, card.due) < memory.recall(card, card.due - timedelta(days=1))


def test_the_stored_state_round_trips_without_id_or_due():
    memory = Memory(0.9, random.Random(0), fuzz=False)
    card = memory.review(memory.review(memory.new_card(MONDAY), Rating.Again, MONDAY), Rating.Good,
                         MONDAY + timedelta(days=1))
    text = dump_state(card)
    assert "card_id" not in text and "due" not in text
    back = load_state(text, card.due)
    assert back.to_dict() == card.to_dict()


def test_a_study_day_runs_from_four_to_four_local():
    zone = "Asia/Ho_Chi_Minh"
    late = datetime.fromisoformat("2026-11-24T00:30:00+07:00")
    assert study_day(late, zone, 4) == date(2026, 11, 23)                     # still Monday night
    assert study_day_end(late, zone, 4) == datetime.fromisoformat("2026-11-24T04:00:00+07:00")
    morning = datetime.fromisoformat("2026-11-24T07:00:00+07:00")
    assert study_day_end(morning, zone, 4) == datetime.fromisoformat("2026-11-25T04:00:00+07:00")
    assert days_until(morning, datetime.fromisoformat("2026-11-25T03:59:00+07:00"), zone, 4) == 0
    assert days_until(morning, datetime.fromisoformat("2026-11-26T09:00:00+07:00"), zone, 4) == 2


def test_next_nudge_keeps_the_local_time_across_daylight_saving():
    zone = "Europe/Berlin"
    before = datetime.fromisoformat("2026-03-28T21:00:00+01:00")              # after Saturday's nudge
    nudge = next_post(before, "20:00", zone)
    assert nudge == datetime.fromisoformat("2026-03-29T20:00:00+02:00")       # summer time
    assert next_post(nudge, "20:00", zone) == datetime.fromisoformat("2026-03-30T20:00:00+02:00")
    assert next_post(nudge - timedelta(seconds=1), "20:00", zone) == nudge
    assert latest_nudge(nudge, "20:00", zone) == nudge
    assert latest_nudge(nudge - timedelta(seconds=1), "20:00", zone) == \
        datetime.fromisoformat("2026-03-28T20:00:00+01:00")


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago",
                                  "Asia/Ho_Chi_Minh"])
@pytest.mark.parametrize("nudge_time", ["00:00", "01:30", "02:00", "02:30", "03:00", "20:00", "23:59"])
def test_the_nudge_instants_are_the_last_and_next_local_time_over_a_year_of_clock_changes(zone, nudge_time):
    """The daily schedule's post instants are what a nudge needs: the last local `nudge_time`
    at or before an instant and the first after it, also on the days the clocks change (a
    time that does not exist that day included)."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for step in range(0, 365 * 24 * 4, 7):                     # every 1 h 45 min for a year
        now = start + timedelta(minutes=15 * step)
        today = now.astimezone(ZoneInfo(zone)).date()
        instants = [post_instant(today + timedelta(days=d), nudge_time, zone) for d in range(-3, 4)]
        assert latest_nudge(now, nudge_time, zone) == max(i for i in instants if i <= now)
        assert next_post(now, nudge_time, zone) == min(i for i in instants if i > now)


def test_review_streak_counts_days_in_a_row_ending_today_or_yesterday():
    d = date(2026, 11, 26)
    assert review_streak([], d) == 0
    assert review_streak([d, d - timedelta(1), d - timedelta(2), d - timedelta(4)], d) == 3
    assert review_streak([d - timedelta(1), d - timedelta(2)], d) == 2        # today not yet
    assert review_streak([d - timedelta(2)], d) == 0


def test_items_name_a_question_or_a_concept_asked_through_its_questions(real_course):
    cited = next(c for c in real_course.concepts if len(questions_of(real_course, concept_item(c))) >= 2)
    questions = questions_of(real_course, concept_item(cited))
    assert all(cited in q.concepts for q in questions)
    assert [question_for(real_course, concept_item(cited), n).id for n in range(len(questions) + 1)] == \
        [q.id for q in questions] + [questions[0].id]                         # they take turns
    some = next(iter(real_course.questions.values()))
    assert question_for(real_course, question_item(some.id), 7) is some
    assert topic_of(real_course, question_item(some.id)) == some.topic
    assert questions_of(real_course, "q:gone") == [] and question_for(real_course, "c:gone", 0) is None
    assert questions_of(real_course, "x:what") == []


def test_the_scheduler_takes_instants_in_any_zone():
    """fsrs refuses anything but UTC; a clock (a bench's, a deployment's) may run in another zone."""
    import random
    from datetime import datetime, timedelta, timezone

    from fsrs import Rating

    from bot.review.scheduling import Memory, dump_state, load_state

    memory = Memory(0.9, random.Random(1))
    hanoi = datetime(2026, 11, 23, 20, 0, tzinfo=timezone(timedelta(hours=7)))
    card = memory.review(memory.new_card(hanoi), Rating.Again, hanoi)
    again = load_state(dump_state(card), card.due.astimezone(timezone(timedelta(hours=7))))
    later = hanoi + timedelta(days=1)
    assert memory.review(again, Rating.Good, later).due > later
    assert 0 < memory.recall(again, later) <= 1
