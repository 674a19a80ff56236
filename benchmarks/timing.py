"""The one timing helper the benchmarks share: median wall time of repeated calls."""
from __future__ import annotations

import os
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


def timings_ms(fn, repeats: int) -> dict:
    """Best and median wall milliseconds of ``repeats`` calls (after one untimed call), and the
    best process CPU milliseconds: on a shared box the best wall time and the CPU time are
    the figures least inflated by other processes."""
    fn()
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return {"best": min(walls), "median": statistics.median(walls), "cpu": min(cpus)}


def load_note() -> str:
    """The 1-minute load average against the core count: how busy the box was."""
    return f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
