"""`make bench`: every figure the README quotes, measured in one run on this machine."""

import asyncio
import subprocess
import sys

from bench import (
    answers, busy_group, class_quiz, daily, leaderboard, review_due, review_simulation, search_threshold,
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
    # In a fresh interpreter, like the bot's: the event-loop stall it measures is mostly the
    # garbage collector's pauses, which grow with every object the benches above left alive.
    subprocess.run([sys.executable, "-m", "bench.item_analysis"], check=True)


if __name__ == "__main__":
    main()
