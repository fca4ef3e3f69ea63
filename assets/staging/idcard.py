"""The 18-character resident ID (公民身份号码, GB 11643) as data: checksum, birth date, gender.

One scalar implementation for readers of a single ID (tests, masking) and one vectorised
Polars implementation for staging, tested against each other.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # ISO 7064 MOD 11-2: check character for sum mod 11
ID_PATTERN = r"^[0-9]{17}[0-9X]$"
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def id_problem(person_id: str | None, latest_birth: dt.date) -> str | None:
    """Why an ID is invalid (the detail of an `invalid_id` quarantine), or None when valid."""
    if person_id is None or not person_id.strip():
        return "person_id is empty"
    pid = person_id.strip().upper()
    if not re.fullmatch(ID_PATTERN, pid):
        return "person_id is not 17 digits and a check character"
    try:
        born = dt.date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))
    except ValueError:
        return "person_id holds an impossible birth date"
    if not EARLIEST_BIRTH <= born <= latest_birth:
        return "person_id holds an impossible birth date"
    if check_char(pid[:17]) != pid[17]:
        return "person_id fails its checksum"
    return None


def mask_id(person_id: str) -> str:
    """410402********123X: area code and the last four characters, as the dashboard shows it."""
    if len(person_id) != 18:
        return "*" * len(person_id)
    return person_id[:6] + "*" * 8 + person_id[14:]


def normalised_id(column: str) -> pl.Expr:
    return pl.col(column).str.to_uppercase()


def birth_date_expr(pid: pl.Expr) -> pl.Expr:
    return pid.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)


def gender_expr(pid: pl.Expr) -> pl.Expr:
    """'1' for men (odd 17th digit), '2' for women."""
    return pl.when(pid.str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1).then(pl.lit("1")).otherwise(
        pl.lit("2")
    )


def id_problem_expr(pid: pl.Expr, latest_birth: dt.date) -> pl.Expr:
    """Vectorised `id_problem`: the invalid_id detail, null when the ID is valid."""
    well_formed = pid.str.contains(ID_PATTERN)
    born = birth_date_expr(pid)
    total = pl.sum_horizontal(
        [pid.str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(WEIGHTS)]
    )
    expected = pl.lit(CHECK_CHARS).str.slice(total % 11, 1)
    return (
        pl.when(pid.is_null())
        .then(pl.lit("person_id is empty"))
        .when(~well_formed)
        .then(pl.lit("person_id is not 17 digits and a check character"))
        .when(born.is_null() | (born < EARLIEST_BIRTH) | (born > latest_birth))
        .then(pl.lit("person_id holds an impossible birth date"))
        .when(expected != pid.str.slice(17, 1))
        .then(pl.lit("person_id fails its checksum"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
