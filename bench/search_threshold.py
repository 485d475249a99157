"""Sweep the fuzzy threshold of /define over the query table and print accuracy per value.

Run: .venv/bin/python -m bench.search_threshold
"""

from __future__ import annotations

from pathlib import Path

import bot.search as search
from bot.course.load import load_course
from tests.search_table import AMBIGUOUS, QUERIES

TOTAL = len(QUERIES) + len(AMBIGUOUS)
CONTENT = Path(__file__).resolve().parent.parent / "content"


def accuracy(index: search.ConceptIndex) -> tuple[int, list[str]]:
    right, wrong = 0, []
    for kind, typed, expected in QUERIES:
        result = index.lookup(typed)
        got = result.found.id if result.found else None
        if got == expected:
            right += 1
        else:
            wrong.append(f"{kind}: {typed!r} -> {got or result.how} (want {expected})")
    for typed in AMBIGUOUS:
        result = index.lookup(typed)
        if result.how == "tie":
            right += 1
        else:
            wrong.append(f"ambiguous: {typed!r} -> {result.how} (want a tie)")
    return right, wrong


def main() -> None:
    index = search.ConceptIndex(load_course(CONTENT))
    chosen = search.FUZZY_THRESHOLD
    print(f"query table: {len(QUERIES)} queries; {len(AMBIGUOUS)} ambiguous; fuzzy threshold sweep")
    for threshold in range(70, 100, 2):
        search.FUZZY_THRESHOLD = threshold
        right, _ = accuracy(index)
        mark = " <- chosen" if threshold == chosen else ""
        print(f"  {threshold}: {right}/{TOTAL} = {100 * right / TOTAL:.1f}%{mark}")
    search.FUZZY_THRESHOLD = chosen
    right, wrong = accuracy(index)
    print(f"chosen {chosen}: {right}/{TOTAL} = {100 * right / TOTAL:.1f}%")
    for line in wrong:
        print("  miss:", line)


if __name__ == "__main__":
    main()
