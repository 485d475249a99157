"""What review adds to /me (in a private chat) and to the teacher's /stats, checked against FSRS's
own predicted recall computed here with the fsrs package."""

from datetime import datetime, timedelta
from statistics import fmean

from fsrs import Rating

from tests.conftest import make_chat, texts
from tests.test_review import EXACT, FSRS, Expected, answer_review, miss_in_group, pushed, question_in, review_question


def percent(values) -> str:
    return f"{round(100 * fmean(values))}%"


async def test_me_shows_the_deck_what_is_due_predicted_recall_and_a_streak_of_review_days(mini_course, db_path):
    room, context = await make_chat(mini_course, db_path, settings=EXACT)
    assert "🧠 Ôn tập: bộ thẻ còn trống" in texts(await room.say("An", "/me", private=True))
    expected = Expected()
    for topic in ("lien quan", "lich su"):
        question_id, when = await miss_in_group(room, "An", await room.say("An", f"/quiz {topic} 1"))
        expected.review(question_id, Rating.Again, when)
        await room.wait(33)

    await pushed(room, "2026-11-24T20:00:00+07:00")
    shown = review_question(await room.say("An", "/review", private=True))
    for right in (True, False):                          # one recalled, one forgotten again
        room.clock.move_to(room.clock.now() + timedelta(seconds=20))
        expected.review(question_in(room, shown).id, Rating.Good if right else Rating.Again, room.clock.now())
        replies = await answer_review(room, "An", shown, right)
        if right:
            shown = review_question(replies)

    room.clock.move_to(datetime.fromisoformat("2026-11-25T21:00:00+07:00"))
    now = room.clock.now()
    recall = percent([FSRS.get_card_retrievability(c, now) for c in expected.cards.values()])
    due = sum(1 for c in expected.cards.values() if c.due < datetime.fromisoformat("2026-11-26T04:00:00+07:00"))
    me = texts(await room.say("An", "/me", private=True))
    assert f"🧠 Ôn tập: 2 thẻ · {due} thẻ đến hạn hôm nay · dự đoán bạn còn nhớ {recall} · " \
           "chuỗi ngày ôn tập: 1" in me                     # reviewed yesterday: still alive
    assert "🧠" not in texts(await room.say("An", "/me"))    # not in the group

    shown = review_question(await room.say("An", "/review", private=True))
    await answer_review(room, "An", shown, True)
    assert "chuỗi ngày ôn tập: 2" in texts(await room.say("An", "/me", private=True))
    room.clock.move_to(datetime.fromisoformat("2026-11-28T09:00:00+07:00"))  # two days without review
    assert "chuỗi ngày ôn tập: 0" in texts(await room.say("An", "/me", private=True))
    await context.__aexit__(None, None, None)


async def test_stats_shows_the_class_predicted_recall_by_topic_and_what_is_forgotten_again(mini_course, db_path):
    room, context = await make_chat(mini_course, db_path, settings=EXACT)
    room.admins.add("Cô Hoa")
    expected = {"An": Expected(), "Bình": Expected()}
    for name in ("An", "Bình"):
        question_id, when = await miss_in_group(room, name, await room.say(name, "/quiz lien quan 1"))
        expected[name].review(question_id, Rating.Again, when)
        await room.wait(33)
    assert "Trí nhớ dự đoán" not in texts(await room.say("An", "/stats", private=True))   # no cards there

    await pushed(room, "2026-11-24T20:00:00+07:00")
    room.clock.move_to(room.clock.now() + timedelta(seconds=20))
    shown = review_question(await room.say("An", "/review", private=True))
    forgotten = question_in(room, shown)
    expected["An"].review(forgotten.id, Rating.Again, room.clock.now())
    await answer_review(room, "An", shown, False)

    room.clock.move_to(datetime.fromisoformat("2026-11-27T10:00:00+07:00"))
    now = room.clock.now()
    recalls = [FSRS.get_card_retrievability(c, now) for e in expected.values() for c in e.cards.values()]
    stats = texts(await room.say("Cô Hoa", "/stats"))
    assert "Trí nhớ dự đoán (FSRS) theo chủ đề" in stats
    assert f"• Các khái niệm liên quan: {percent(recalls)} (2 thẻ, 2 học sinh)" in stats
    assert f"Hay bị quên lại nhất:\n• {forgotten.prompt} — quên lại 1 lần" in stats
    refused = await room.say("An", "/stats")
    assert refused[0].to.name == "An" and "Trí nhớ" not in texts(refused)
    await context.__aexit__(None, None, None)


async def test_a_card_set_aside_counts_nowhere_in_review_me_or_stats(mini_course, db_path):
    from tests.test_review import without

    room, context = await make_chat(mini_course, db_path, settings=EXACT)
    room.admins.add("Cô Hoa")
    question_id, _ = await miss_in_group(room, "An", await room.say("An", "/quiz lien quan 1"))
    await room.wait(33)
    await pushed(room, "2026-11-24T20:00:00+07:00")
    await answer_review(room, "An", review_question(await room.say("An", "/review", private=True)), False)
    prompt = mini_course.questions[question_id].prompt
    assert f"• {prompt} — quên lại 1 lần" in texts(await room.say("Cô Hoa", "/stats"))
    await context.__aexit__(None, None, None)            # the teacher deletes the question

    room, context = await make_chat(without(mini_course, question_id), db_path, settings=EXACT,
                                    start=datetime.fromisoformat("2026-11-26T20:00:00+07:00"))
    room.admins.add("Cô Hoa")
    review = texts(await room.say("An", "/review", private=True))
    assert review.startswith("Bộ thẻ ôn tập của bạn còn trống")          # its only card is set aside
    row = await room.db.fetchone("SELECT due, reviews, lapses FROM review_cards")
    assert row[0].startswith("9999") and tuple(row[1:]) == (2, 1)       # kept, with its history
    assert "🧠 Ôn tập: bộ thẻ còn trống" in texts(await room.say("An", "/me", private=True))
    stats = texts(await room.say("Cô Hoa", "/stats"))
    assert "Trí nhớ dự đoán" not in stats and "Hay bị quên lại nhất" not in stats
    assert question_id not in stats and prompt not in stats
    await context.__aexit__(None, None, None)
