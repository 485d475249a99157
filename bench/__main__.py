"""`make bench`: every figure the README quotes, measured in one run on this machine."""

import asyncio

from bench import (
    answers, busy_group, class_quiz, daily, item_analysis, leaderboard, review_due, review_simulation,
    search_threshold,
)


def main() -> None:
    search_threshold.main()
    print()
    asyncio.run(answers.run())
    print()
    asyncio.run(leaderboard.run())
    print()
    asyncio.run(busy_group.run())
    print()
    asyncio.run(class_quiz.run())
    print()
    asyncio.run(daily.run())
    print()
    asyncio.run(review_due.run())
    print()
    review_simulation.run()
    print()
    asyncio.run(item_analysis.run())


if __name__ == "__main__":
    main()
