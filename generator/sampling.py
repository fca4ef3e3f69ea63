"""Random helpers shared by the table builders.

Every builder draws from its own named stream (``stream(seed, "services")``) so that changing
one table's logic never shifts the random numbers of another: same arguments, same bytes.
Selections are vectorised over all persons with a per-community quota, never a loop per person.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """A generator for one named part of the city, derived from the run's seed.

    zlib.crc32 rather than hash(): Python salts str hashes per process.
    """
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def group_positions(groups: np.ndarray, eligible: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random order within each group: 0, 1, 2, ... for eligible rows, -1 for the others.

    Taking the rows whose position is below a quota picks that many at random per group;
    taking consecutive position ranges gives disjoint roles (first k1 rows one role, next k2 another).
    """
    positions = np.full(groups.shape[0], -1, dtype=np.int64)
    idx = np.flatnonzero(eligible)
    if idx.size == 0:
        return positions
    g = groups[idx]
    order = np.lexsort((rng.random(idx.size), g))
    sorted_groups = g[order]
    starts = np.r_[0, np.flatnonzero(sorted_groups[1:] != sorted_groups[:-1]) + 1]
    lengths = np.diff(np.r_[starts, sorted_groups.size])
    positions[idx[order]] = np.arange(sorted_groups.size) - np.repeat(starts, lengths)
    return positions


def pick_per_group(
    groups: np.ndarray, eligible: np.ndarray, quota: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Mask of up to quota[g] eligible rows chosen at random in every group g."""
    pos = group_positions(groups, eligible, rng)
    return (pos >= 0) & (pos < quota[groups])


def choice(weights: np.ndarray | list[float], size: int, rng: np.random.Generator) -> np.ndarray:
    """Indices drawn with the given (unnormalised) weights."""
    w = np.asarray(weights, dtype=np.float64)
    return rng.choice(w.size, size=size, p=w / w.sum())


def largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method, deterministic)."""
    exact = weights / weights.sum() * total
    counts = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    if short:
        order = np.lexsort((np.arange(weights.size), -(exact - counts)))
        counts[order[:short]] += 1
    return counts
