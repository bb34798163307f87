"""Time `check-content` and the uncached loading of the exercise library (median of N runs)."""

from __future__ import annotations

import statistics
import time

from content.check import check_content
from content.keys import used_phrase_keys
from content.loader import _education, _exercises, load_education, load_exercises


def median_ms(func, runs: int = 9) -> float:
    """Median wall time of ``func`` in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _load_uncached(lang: str) -> None:
    _exercises.cache_clear()
    _education.cache_clear()
    load_exercises(lang)
    load_education(lang)


def main() -> None:
    report = check_content()
    print(f"content: {report.summary()}")
    print(f"check-content (whole folder + source scan): {median_ms(check_content):.0f} ms")
    print(f"  of which the phrase-key source scan:       {median_ms(used_phrase_keys):.0f} ms")
    print(f"load exercises + education, English:        {median_ms(lambda: _load_uncached('en')):.0f} ms")
    print(f"load exercises + education, German:         {median_ms(lambda: _load_uncached('de')):.0f} ms")


if __name__ == "__main__":
    main()
