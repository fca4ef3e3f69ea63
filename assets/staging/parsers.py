"""Vectorised parsers for the contract's value spellings (§1 "Types", "Dates", "Booleans").

Each returns the typed value, or null where the text does not parse; staging compares that
null with the input to tell an empty value from an unparseable one.
"""

from __future__ import annotations

import itertools

import polars as pl

from assets.ingest.contract import ColumnSpec, ColumnType

TRUE_SPELLINGS = ("true", "1", "y", "是")
FALSE_SPELLINGS = ("false", "0", "n", "否")
GENDER_CODES = ("1", "2")
CODE_DIGITS = {ColumnType.COMMUNITY_CODE: 12, ColumnType.STREET_CODE: 9, ColumnType.COUNTY_CODE: 6}
DECIMAL_TYPE = pl.Decimal(38, 10)


DATE_SPELLINGS = (  # (pattern the text must match, strptime format that then reads it)
    (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d"),
    (r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d"),  # strptime reads one-digit months and days
    (r"^\d{8}$", "%Y%m%d"),
)


def date_expr(text: pl.Expr) -> pl.Expr:
    """YYYY-MM-DD, YYYY/M/D (one or two digits) or YYYYMMDD; a real calendar date.

    The pattern decides the spelling (strptime alone would also take `2024-1-5`); each spelling
    is read straight from the text, with no rewriting of the string first. Nearly every date
    comes as YYYY-MM-DD, so the other two patterns and formats see only the values that are not
    (the rest are null to them), and strptime runs without its cache of recent values (at 3M
    birth dates of a city the cache doubled strptime's time: 0.21 against 0.11 CPU-s).
    The ISO format reads the text as it is, not a copy masked to the ISO values, and the ISO
    date is chosen by `when/otherwise` rather than a three-way `coalesce`: 0.51-0.74 CPU-s for
    the 3M birth dates before, 0.31-0.32 after, the same dates (tests/assets/staging/test_parsers.py).
    """
    (iso_pattern, iso_format), *others = DATE_SPELLINGS
    is_iso = text.str.contains(iso_pattern)
    rest = pl.when(~is_iso).then(text)
    other = pl.coalesce(
        [pl.when(rest.str.contains(pattern)).then(rest).str.to_date(fmt, strict=False, cache=False)
         for pattern, fmt in others]
    )
    return pl.when(is_iso).then(text.str.to_date(iso_format, strict=False, cache=False)).otherwise(other)


def _case_variants(word: str) -> list[str]:
    return ["".join(chars) for chars in itertools.product(*({c.lower(), c.upper()} for c in word))]


# every spelling in every mix of cases: one hash lookup per value instead of lower-casing a copy
# of the column first (no other character lower-cases to one of these ASCII letters)
BOOLEAN_SPELLINGS: dict[str, bool] = {
    variant: value
    for spellings, value in ((TRUE_SPELLINGS, True), (FALSE_SPELLINGS, False))
    for spelling in spellings
    for variant in _case_variants(spelling)
}


TRUE_VARIANTS = [variant for variant, value in BOOLEAN_SPELLINGS.items() if value]
FALSE_VARIANTS = [variant for variant, value in BOOLEAN_SPELLINGS.items() if not value]


def boolean_expr(text: pl.Expr) -> pl.Expr:
    """true/false, 1/0, Y/N, 是/否, case-insensitive.

    Two set lookups (`is_in`) rather than `replace_strict` with the mapping, which Polars runs as
    a join: the labour registry's five flag columns at 3M residents 0.28-0.33 -> 0.13-0.19 CPU-s."""
    return (
        pl.when(text.is_in(TRUE_VARIANTS)).then(True)
        .when(text.is_in(FALSE_VARIANTS)).then(False)
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )


def integer_expr(text: pl.Expr) -> pl.Expr:
    """Whole numbers; an integral decimal spelling such as 20000.0 (Excel) reads as 20000."""
    return (
        pl.when(text.str.contains(r"^[+-]?\d+(\.0*)?$"))
        .then(text.str.replace(r"\.0*$", ""))
        .cast(pl.Int64, strict=False)
    )


def decimal_expr(text: pl.Expr) -> pl.Expr:
    return pl.when(text.str.contains(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")).then(text).cast(DECIMAL_TYPE, strict=False)


def gender_code_expr(text: pl.Expr) -> pl.Expr:
    """An enum, not a number: Excel's 1.0 reads as "1"; anything else stays as written so that
    it is reported as bad_enum. Only values other than the two codes pay for the number check."""
    return pl.when(text.is_in(GENDER_CODES) | text.is_null()).then(text).otherwise(
        pl.coalesce(integer_expr(text).cast(pl.String), text)
    )


def code_expr(text: pl.Expr, digits: int) -> pl.Expr:
    return pl.when(text.str.contains(rf"^\d{{{digits}}}$")).then(text)


def parsed_expr(column: ColumnSpec, *, check_code_format: bool) -> pl.Expr | None:
    """The typed value of `column`, or None when the column stays text as it is."""
    text = pl.col(column.name)
    match column.type:
        case ColumnType.DATE:
            return date_expr(text)
        case ColumnType.BOOLEAN:
            return boolean_expr(text)
        case ColumnType.INTEGER:
            return integer_expr(text)
        case ColumnType.DECIMAL:
            return decimal_expr(text)
        case ColumnType.COMMUNITY_CODE | ColumnType.STREET_CODE | ColumnType.COUNTY_CODE if check_code_format:
            return code_expr(text, CODE_DIGITS[column.type])
        case ColumnType.GENDER:
            return gender_code_expr(text)
        case _:
            return None
