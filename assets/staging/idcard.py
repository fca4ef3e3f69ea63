"""The 18-character resident ID (公民身份号码, GB 11643) as data: checksum, birth date, gender.

One scalar implementation for readers of a single ID (tests, masking) and one vectorised
Polars implementation for staging, tested against each other.
"""

from __future__ import annotations

import datetime as dt
import functools
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


def gender_expr(pid: pl.Expr) -> pl.Expr:
    """'1' for men (odd 17th digit), '2' for women."""
    return pl.when(pid.str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1).then(pl.lit("1")).otherwise(
        pl.lit("2")
    )


def check_value_expr(pid: pl.Expr) -> pl.Expr:
    """The check character's value (0-9, 10 for X), null when it is neither a digit nor X."""
    last = pid.str.slice(17, 1)
    return pl.when(last == "X").then(pl.lit(10, dtype=pl.Int64)).otherwise(last.str.to_integer(strict=False))


def id_digits_expr(pid: pl.Expr, check_value: pl.Expr) -> pl.Expr:
    """The first 17 characters of a well-formed ID (^[0-9]{17}[0-9X]$) as an Int64, null otherwise.

    Without a regular expression: 18 bytes, no sign, and the first 17 characters read as a base-10
    integer (Rust's parser takes ASCII digits only, so 18 bytes that parse are 17 ASCII digits and
    one more character), with `check_value` (check_value_expr) not null.
    """
    signed = pid.str.starts_with("+") | pid.str.starts_with("-")
    return pl.when((pid.str.len_bytes() == 18) & ~signed & check_value.is_not_null()).then(
        pid.str.head(17).str.to_integer(base=10, strict=False)
    )


def _days_from_civil(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)."""
    shifted = year - (month <= 2).cast(pl.Int64)
    era = shifted // 400
    year_of_era = shifted - era * 400
    day_of_year = (153 * (month + pl.when(month > 2).then(-3).otherwise(9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


@functools.cache
def _calendar_tables() -> tuple[pl.Series, pl.Series, pl.Series, pl.Series]:
    """Lookup tables for the 8 birth-date digits YYYYMMDD of an ID, built once per process:
    1 January of every year 0000-9999 (days since 1970-01-01), whether the year is a leap year,
    and for every MMDD 0000-9999 its day of the year in a common and in a leap year (null when
    MMDD is no month and day)."""
    years = pl.int_range(0, 10_000, dtype=pl.Int64, eager=True)
    month_days = pl.int_range(0, 10_000, dtype=pl.Int64, eager=True)
    frame = pl.DataFrame({"year": years, "md": month_days}).with_columns(
        month=pl.col("md") // 100, day=pl.col("md") % 100
    )
    start = frame.select(_days_from_civil(pl.col("year"), pl.lit(1, pl.Int64), pl.lit(1, pl.Int64))).to_series()
    leap = frame.select((pl.col("year") % 4 == 0) & (pl.col("year") % 100 != 0) | (pl.col("year") % 400 == 0))
    month, day = pl.col("month"), pl.col("day")

    def day_of_year(leap_year: bool) -> pl.Series:
        year = 2000 if leap_year else 2001
        days_in_month = (
            pl.when(month == 2).then(29 if leap_year else 28)
            .when(month.is_in([4, 6, 9, 11])).then(30)
            .otherwise(31)
        )
        valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= days_in_month)
        offset = _days_from_civil(pl.lit(year, pl.Int64), month, day) - _days_from_civil(
            pl.lit(year, pl.Int64), pl.lit(1, pl.Int64), pl.lit(1, pl.Int64))
        return frame.select(pl.when(valid).then(offset).cast(pl.Int32)).to_series()

    return start.cast(pl.Int32), leap.to_series(), day_of_year(leap_year=False), day_of_year(leap_year=True)


def birth_date_from_digits_expr(digits: pl.Expr) -> pl.Expr:
    """The birth date held in characters 7-14 of an ID, from its 17 leading digits as an integer:
    null when that is no calendar date. Year and MMDD are split off with four integer divisions
    and looked up in `_calendar_tables`: the civil-date arithmetic per ID took a dozen divisions,
    the costliest instructions of staging's ID check."""
    year_start, is_leap, common_day, leap_day = _calendar_tables()
    ymd = (digits // 1000) % 100_000_000
    year, month_day = ymd // 10_000, ymd % 10_000
    day_of_year = pl.when(pl.lit(is_leap).gather(year)).then(pl.lit(leap_day).gather(month_day)).otherwise(
        pl.lit(common_day).gather(month_day))
    return (pl.lit(year_start).gather(year) + day_of_year).cast(pl.Date)


# An ID's 17 digits as three chunks: (power of ten below the chunk, its number of digits)
CHECKSUM_CHUNKS = ((12, 5), (6, 6), (0, 6))


@functools.cache
def _checksum_tables() -> tuple[pl.Series, ...]:
    """For each chunk of CHECKSUM_CHUNKS, every value it can hold mapped to its digits' weighted
    sum mod 11 (the chunk's WEIGHTS), built once per process."""
    tables = []
    position = 0
    for _, width in CHECKSUM_CHUNKS:
        values = pl.int_range(0, 10**width, dtype=pl.Int64, eager=True).alias("v")
        weighted = pl.sum_horizontal(
            [(pl.col("v") // 10 ** (width - 1 - k) % 10) * WEIGHTS[position + k] for k in range(width)]
        )
        tables.append(values.to_frame().select((weighted % 11).cast(pl.Int8)).to_series())
        position += width
    return tuple(tables)


def checksum_ok_expr(check_value: pl.Expr, digits: pl.Expr) -> pl.Expr:
    """Whether each ID's check character is right, from its 17 digits as an integer.

    `digits` is `id_digits_expr` already computed into a column. The weighted digit sum is
    split into three chunks of 5, 6 and 6 digits (four integer divisions) whose sums mod 11 are
    looked up in `_checksum_tables`, instead of 34 divisions to take the digits one by one.
    The check value is (12 - sum mod 11) mod 11, written `X` for 10. IDs that are not well formed
    give False (they are reported as malformed before the checksum matters).
    """
    parts = []
    for (shift, width), table in zip(CHECKSUM_CHUNKS, _checksum_tables(), strict=True):
        chunk = digits // 10**shift if shift + width == 17 else (digits // 10**shift) % 10**width
        parts.append(pl.lit(table).gather(chunk))
    expected = (12 - (parts[0] + parts[1] + parts[2]) % 11) % 11
    return pl.when(digits.is_null()).then(False).otherwise(expected == check_value).fill_null(False)


def checksum_matches(person_ids: pl.Series) -> pl.Series:
    """`checksum_ok_expr` over one series (for callers holding a single column)."""
    frame = id_parts(pl.DataFrame({"pid": person_ids}).lazy(), "pid").collect()
    return frame.get_column("_id_checksum_ok").alias(person_ids.name)


def id_parts(frame: pl.LazyFrame, pid: str = "person_id") -> pl.LazyFrame:
    """Add the helper columns an ID check needs, computed once per row: `_id_well_formed`,
    `_id_birth_date`, `_id_checksum_ok` (staging adds them before its checks)."""
    column = pl.col(pid)
    return frame.with_columns(_id_check=check_value_expr(column)).with_columns(
        _id_digits=id_digits_expr(column, pl.col("_id_check"))
    ).with_columns(
        _id_well_formed=pl.col("_id_digits").is_not_null(),
        _id_birth_date=birth_date_from_digits_expr(pl.col("_id_digits")),
        _id_checksum_ok=checksum_ok_expr(pl.col("_id_check"), pl.col("_id_digits")),
    )


def id_problem_from_parts(pid: pl.Expr, latest_birth: dt.date) -> pl.Expr:
    """The invalid_id detail from the `id_parts` columns, null when the ID is valid."""
    born = pl.col("_id_birth_date")
    return (
        pl.when(pid.is_null())
        .then(pl.lit("person_id is empty"))
        .when(~pl.col("_id_well_formed"))
        .then(pl.lit("person_id is not 17 digits and a check character"))
        .when(born.is_null() | (born < EARLIEST_BIRTH) | (born > latest_birth))
        .then(pl.lit("person_id holds an impossible birth date"))
        .when(~pl.col("_id_checksum_ok"))
        .then(pl.lit("person_id fails its checksum"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def id_problems(frame: pl.DataFrame, column: str, latest_birth: dt.date) -> pl.Series:
    """Vectorised `id_problem` over one column of a frame."""
    checked = id_parts(frame.lazy(), column).select(id_problem_from_parts(pl.col(column), latest_birth))
    return checked.collect().to_series()
