"""`make bench`: every figure the README quotes, measured in one run on this machine."""

import asyncio

from bench import answers, daily, leaderboard, search_threshold


def main() -> None:
    search_threshold.main()
    print()
    asyncio.run(answers.run())
    print()
    asyncio.run(leaderboard.run())
    print()
    asyncio.run(daily.run())


if __name__ == "__main__":
    main()
