"""Sweep the fuzzy threshold of /define over the query table and print accuracy per value;
then time a lookup, and an autocomplete call on every keystroke of every query.

Run: .venv/bin/python -m bench.search_threshold
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
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


def timing(call: Callable[[str], object], texts: list[str], repeat: int) -> tuple[float, float]:
    """Each text's median time over `repeat` calls; the median and the slowest of those, in
    milliseconds (a text's median, so that a pause of the machine does not count as slow)."""
    per_text = []
    for text in texts:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            call(text)
            runs.append(time.perf_counter() - start)
        per_text.append(statistics.median(runs))
    return 1000 * statistics.median(per_text), 1000 * max(per_text)


def time_lookups(index: search.ConceptIndex) -> None:
    typed = [text for _, text, _ in QUERIES] + AMBIGUOUS
    keystrokes = sorted({text[:n] for text in typed for n in range(1, len(text) + 1)})
    median, slowest = timing(index.lookup, typed, repeat=11)
    print(f"lookup, each query of the table: median {median:.3f} ms, slowest query {slowest:.2f} ms")
    median, slowest = timing(index.complete, keystrokes, repeat=5)
    print(f"complete, each keystroke of each query ({len(keystrokes)} prefixes): "
          f"median {median:.2f} ms, slowest {slowest:.2f} ms")


def main() -> None:
    index = search.ConceptIndex(load_course(CONTENT))
    chosen = search.FUZZY_THRESHOLD
    print(f"query table: {len(QUERIES)} queries; {len(AMBIGUOUS)} ambiguous; fuzzy threshold sweep")
    for threshold in range(60, 100, 2):
        search.FUZZY_THRESHOLD = threshold
        right, _ = accuracy(index)
        mark = " <- chosen" if threshold == chosen else ""
        print(f"  {threshold}: {right}/{TOTAL} = {100 * right / TOTAL:.1f}%{mark}")
    search.FUZZY_THRESHOLD = chosen
    right, wrong = accuracy(index)
    print(f"chosen {chosen}: {right}/{TOTAL} = {100 * right / TOTAL:.1f}%")
    for line in wrong:
        print("  miss:", line)
    time_lookups(index)


if __name__ == "__main__":
    main()
