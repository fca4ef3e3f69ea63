"""Date arithmetic on numpy ``datetime64[D]`` arrays (NaT = empty), the generator's date type."""

from __future__ import annotations

import numpy as np

NaT = np.datetime64("NaT", "D")
DAY = np.timedelta64(1, "D")


def day(text: str) -> np.datetime64:
    """One date from ``YYYY-MM-DD``."""
    return np.datetime64(text, "D")


def year_start(years: np.ndarray | int) -> np.ndarray:
    """1 January of each year."""
    return (np.asarray(years, dtype=np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[D]")


def add_days(dates: np.ndarray, days: np.ndarray | int) -> np.ndarray:
    """dates + days (NaT stays NaT)."""
    return dates + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")


def between(lo: np.ndarray | np.datetime64, hi: np.ndarray | np.datetime64, rng: np.random.Generator,
            size: int | None = None) -> np.ndarray:
    """Uniform dates in [lo, hi] inclusive; where hi < lo the result is lo."""
    lo_a = np.asarray(lo, dtype="datetime64[D]")
    hi_a = np.asarray(hi, dtype="datetime64[D]")
    if size is None:
        size = int(np.broadcast(lo_a, hi_a).size)
    span = np.maximum((hi_a - lo_a).astype(np.int64), 0) + 1
    offset = np.floor(rng.random(size) * span).astype(np.int64)
    return add_days(np.broadcast_to(lo_a, (size,)), offset)


def ymd(dates: np.ndarray) -> np.ndarray:
    """YYYYMMDD as an integer (for ID numbers)."""
    years = dates.astype("datetime64[Y]")
    months = dates.astype("datetime64[M]")
    y = years.astype(np.int64) + 1970
    m = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    d = (dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y * 10000 + m * 100 + d


def clip(dates: np.ndarray, lo: np.ndarray | np.datetime64, hi: np.ndarray | np.datetime64) -> np.ndarray:
    """Dates limited to [lo, hi] (NaT stays NaT)."""
    out = np.where(dates < lo, lo, dates)
    out = np.where(out > hi, hi, out)
    return np.where(np.isnat(dates), NaT, out).astype("datetime64[D]")
