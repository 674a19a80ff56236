"""The one timing helper the benchmarks share: median wall time of repeated calls."""
from __future__ import annotations

import statistics
import time


def p50_ms(fn, repeats: int, *, warmup: bool = True) -> float:
    """Median milliseconds of ``repeats`` calls to ``fn`` (after one untimed call unless
    ``warmup`` is False, e.g. when the first call is what is being measured)."""
    if warmup:
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
