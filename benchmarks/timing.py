"""Median per-call time of a zero-argument callable, timeit-style.

The loop count is scaled so that one measurement takes about `target_s`; the measurement is
repeated `repeats` times and the median of the per-call times is reported. The garbage collector
is off during each measurement, as in `timeit`.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    median_ns: float
    min_ns: float
    max_ns: float
    loops: int
    repeats: int

    @property
    def median_us(self) -> float:
        return self.median_ns / 1000.0

    def as_dict(self) -> dict[str, float | int]:
        return {"median_us": round(self.median_us, 3), "min_us": round(self.min_ns / 1000, 3),
                "max_us": round(self.max_ns / 1000, 3), "loops": self.loops,
                "repeats": self.repeats}


@dataclass(frozen=True)
class Settings:
    target_s: float
    repeats: int

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        return cls(target_s=0.02, repeats=3) if quick else cls(target_s=0.2, repeats=7)


def run_calls(fn: Callable[[], object], loops: int) -> int:
    """Nanoseconds for `loops` calls, with the garbage collector off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(loops):
            fn()
        return time.perf_counter_ns() - start
    finally:
        if enabled:
            gc.enable()


def _loops_for(fn: Callable[[], object], target_ns: float) -> int:
    """The smallest count in 1, 2, 5, 10, 20, 50, ... whose run takes at least `target_ns`."""
    loops = 1
    while True:
        for step in (1, 2, 5):
            count = loops * step
            if run_calls(fn, count) >= target_ns:
                return count
        loops *= 10


def measure(fn: Callable[[], object], settings: Settings) -> Measurement:
    fn()  # warm caches (and fail early)
    loops = _loops_for(fn, settings.target_s * 1e9)
    per_call = [run_calls(fn, loops) / loops for _ in range(settings.repeats)]
    return Measurement(statistics.median(per_call), min(per_call), max(per_call), loops,
                       settings.repeats)
