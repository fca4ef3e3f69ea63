"""Vectorised parsers for the contract's value spellings (§1 "Types", "Dates", "Booleans").

Each returns the typed value, or null where the text does not parse; staging compares that
null with the input to tell an empty value from an unparseable one.
"""

from __future__ import annotations

import polars as pl

from assets.ingest.contract import ColumnSpec, ColumnType

TRUE_SPELLINGS = ("true", "1", "y", "是")
FALSE_SPELLINGS = ("false", "0", "n", "否")
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
    is read straight from the text, with no rewriting of the string first.
    """
    return pl.coalesce(
        [pl.when(text.str.contains(pattern)).then(text.str.to_date(fmt, strict=False))
         for pattern, fmt in DATE_SPELLINGS]
    )


def boolean_expr(text: pl.Expr) -> pl.Expr:
    lowered = text.str.to_lowercase()
    return (
        pl.when(lowered.is_in(TRUE_SPELLINGS))
        .then(pl.lit(True))
        .when(lowered.is_in(FALSE_SPELLINGS))
        .then(pl.lit(False))
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
            # an enum, not a number: Excel's 1.0 reads as "1", anything else stays as written
            # so that it is reported as bad_enum
            return pl.coalesce(integer_expr(text).cast(pl.String), text)
        case _:
            return None
