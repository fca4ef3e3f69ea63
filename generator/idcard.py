"""Resident ID numbers (公民身份号码, GB 11643-1999).

Layout: 6-digit area code, 8-digit birth date, 3-digit sequence (odd for men, even for women
in its last digit), and a check character from ISO 7064 MOD 11-2 over the first 17 digits.
The scalar helpers serve tests and the defect planter; the array helpers build a million IDs
at once.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    """The check character of 17 digits."""
    total = sum(int(c) * int(w) for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def is_valid(person_id: str) -> bool:
    """True for a well-formed ID: 17 digits, right check character, a real birth date."""
    pid = person_id.strip().upper()
    if len(pid) != 18 or not pid[:17].isdigit() or not (pid[17].isdigit() or pid[17] == "X"):
        return False
    try:
        dt.date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))
    except ValueError:
        return False
    return check_char(pid[:17]) == pid[17]


def gender_of(person_id: str) -> int:
    """1 for men (odd 17th digit), 2 for women."""
    return 1 if int(person_id[16]) % 2 else 2


def birth_date_of(person_id: str) -> dt.date:
    """The birth date inside an ID."""
    return dt.date(int(person_id[6:10]), int(person_id[10:12]), int(person_id[12:14]))


def check_indices(area: np.ndarray, birth_ymd: np.ndarray, sequence: np.ndarray) -> np.ndarray:
    """Index into CHECK_CHARS for every (area, YYYYMMDD, sequence) triple, vectorised."""
    first17 = (area.astype(np.int64) * 10**11 + birth_ymd.astype(np.int64) * 1000 + sequence.astype(np.int64))
    total = np.zeros(first17.shape[0], dtype=np.int64)
    for position in range(17):
        digit = (first17 // 10 ** (16 - position)) % 10
        total += digit * WEIGHTS[position]
    return total % 11


def assign_sequences(area: np.ndarray, birth_ymd: np.ndarray, male: np.ndarray,
                     rng: np.random.Generator) -> np.ndarray:
    """Sequence numbers that make every ID unique and carry the gender in their parity.

    Persons sharing area, birth date and gender are ranked; rank r gets the half-sequence
    (base + 37 r) mod 500 with a random base per group, unique for up to 500 such persons.
    """
    n = area.shape[0]
    order = np.lexsort((rng.random(n), male, birth_ymd, area))
    key_a, key_b, key_m = area[order], birth_ymd[order], male[order]
    new_group = np.r_[True, (key_a[1:] != key_a[:-1]) | (key_b[1:] != key_b[:-1]) | (key_m[1:] != key_m[:-1])]
    starts = np.flatnonzero(new_group)
    lengths = np.diff(np.r_[starts, n])
    if lengths.size and lengths.max() > 500:
        raise ValueError("more than 500 persons share an area code, birth date and gender")
    rank = np.arange(n) - np.repeat(starts, lengths)
    base = np.repeat(rng.integers(0, 500, starts.size), lengths)
    half = (base + 37 * rank) % 500
    sequence = np.empty(n, dtype=np.int64)
    sequence[order] = half * 2 + key_m.astype(np.int64)
    return sequence


def build_ids(area: np.ndarray, birth_ymd: np.ndarray, sequence: np.ndarray,
              check_index: np.ndarray) -> pl.Series:
    """The 18-character IDs as a string Series."""
    chars = np.array(list(CHECK_CHARS))
    frame = pl.DataFrame({
        "a": area.astype(np.int64), "b": birth_ymd.astype(np.int64), "s": sequence.astype(np.int64),
        "c": chars[check_index],
    })
    return frame.select(
        pl.concat_str([
            pl.col("a").cast(pl.String), pl.col("b").cast(pl.String),
            pl.col("s").cast(pl.String).str.zfill(3), pl.col("c"),
        ]).alias("person_id")
    ).to_series()


def wrong_check_chars(person_ids: pl.Series, rng: np.random.Generator) -> pl.Series:
    """The same IDs with a check character that fails the checksum (a typo in the last place)."""
    chars = np.array(list(CHECK_CHARS))
    last = np.array([CHECK_CHARS.index(c) for c in person_ids.str.slice(17, 1).to_list()], dtype=np.int64)
    shifted = (last + rng.integers(1, 11, last.size)) % 11
    return pl.Series(person_ids.name, [p[:17] + chars[s] for p, s in zip(person_ids.to_list(), shifted,
                                                                         strict=True)])
