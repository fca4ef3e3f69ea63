"""Row-level validation of one raw table: type it, quarantine bad rows, collapse identical copies.

Contract §1 "Bad input": one reason per row, the first that applies in the contract's order;
then, among rows that passed, keys whose rows are not all identical are quarantined whole.
Every input row ends up used, an identical copy, or quarantined — `StagedTable.counts` proves it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from assets.ingest.contract import TableSpec
from assets.ingest.reader import ROW_DEFECT, ROW_NUMBER, RawTable
from assets.staging.idcard import gender_expr, id_parts, id_problem_from_parts
from assets.staging.parsers import parsed_expr

REASON = "_reason"
QUARANTINE_SCHEMA = {
    "table": pl.String,
    "file": pl.String,
    "row_number": pl.Int64,
    "key": pl.String,
    "reason": pl.String,
    "community_code": pl.String,
}


@dataclass(frozen=True)
class StagingCounts:
    table: str
    file: str
    input_rows: int
    used_rows: int
    identical_copies: int
    quarantined_rows: int

    def __post_init__(self) -> None:
        if self.input_rows != self.used_rows + self.identical_copies + self.quarantined_rows:
            raise AssertionError(f"{self.table}: staging lost rows: {self}")


COMMUNITY_COUNTS_SCHEMA = {
    "table": pl.String,
    "community_code": pl.String,
    "input_rows": pl.Int64,
    "used_rows": pl.Int64,
    "identical_copies": pl.Int64,
    "quarantined_rows": pl.Int64,
}


@dataclass(frozen=True)
class StagedTable:
    table: str
    clean: pl.DataFrame  # typed contract columns + row_number, one row per key
    quarantine: pl.DataFrame  # QUARANTINE_SCHEMA
    counts: StagingCounts
    community_counts: pl.DataFrame  # COMMUNITY_COUNTS_SCHEMA: `counts` split by community


def _first_missing(spec: TableSpec, skip: set[str]) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.String)
    for column in reversed(spec.columns):
        if column.required and column.name not in skip:
            expr = pl.when(pl.col(column.name).is_null()).then(pl.lit(f"missing_value: {column.name}")).otherwise(expr)
    return expr


def stage_table(
    raw: RawTable,
    spec: TableSpec,
    known_communities: pl.Series | None,
    latest_birth: dt.date,
) -> StagedTable:
    """Validate `raw` against `spec`. `known_communities` are the community codes left after the
    communities table's own quarantine (None while staging that table itself).

    The typing and the reason of every row are one lazy Polars query (one pass, shared
    sub-expressions); only the rows whose key repeats take the slower whole-row comparison.
    """
    is_communities = spec.name == "communities"
    typed: dict[str, pl.Expr] = {}
    for column in spec.columns:
        expr = parsed_expr(column, check_code_format=is_communities)
        if expr is not None:
            typed[column.name] = expr
    frame = raw.frame.lazy()
    if spec.has_person_id:
        frame = id_parts(frame.with_columns(pl.col("person_id").str.to_uppercase()))
    frame = frame.with_columns([expr.alias(f"_typed_{name}") for name, expr in typed.items()])

    def value(name: str) -> pl.Expr:
        return pl.col(f"_typed_{name}") if name in typed else pl.col(name)

    checks: list[pl.Expr] = []  # each yields the reason text or null, in the contract's order
    if spec.has_person_id:
        pid = pl.col("person_id")
        problem = id_problem_from_parts(pid, latest_birth)
        checks.append(pl.when(problem.is_not_null()).then(pl.lit("invalid_id: ") + problem))
        if spec.name == "residents":
            checks.append(
                pl.when(value("gender").is_in(["1", "2"]) & (value("gender") != gender_expr(pid)))
                .then(pl.lit("id_mismatch: gender contradicts person_id"))
                .when(value("birth_date").is_not_null() & (value("birth_date") != pl.col("_id_birth_date")))
                .then(pl.lit("id_mismatch: birth_date differs from person_id"))
            )
    if not is_communities:
        known = known_communities if known_communities is not None else pl.Series([], dtype=pl.String)
        checks.append(
            pl.when(pl.col("community_code").is_null())
            .then(pl.lit("unknown_community: community_code is empty"))
            .when(~pl.col("community_code").is_in(known.implode()))
            .then(pl.lit("unknown_community: community_code ") + pl.col("community_code") + " is not in communities")
        )
    skip = set() if is_communities else {"community_code"}
    if spec.has_person_id:
        skip.add("person_id")
    checks.append(_first_missing(spec, skip))
    unparseable = pl.col(ROW_DEFECT)
    for name in reversed(list(typed)):
        unparseable = (
            pl.when(pl.col(name).is_not_null() & pl.col(f"_typed_{name}").is_null())
            .then(pl.lit(f"unparseable: {name} '") + pl.col(name) + pl.lit("'"))
            .otherwise(unparseable)
        )
    checks.append(unparseable)
    bad_enum = pl.lit(None, dtype=pl.String)
    for column in reversed(spec.columns):
        if column.enum:
            bad_enum = (
                pl.when(value(column.name).is_not_null() & ~value(column.name).is_in(list(column.enum)))
                .then(pl.lit(f"bad_enum: {column.name} '") + pl.col(column.name) + pl.lit("'"))
                .otherwise(bad_enum)
            )
    checks.append(bad_enum)
    key_text = (
        pl.concat_str([pl.col(k).fill_null("") for k in spec.key], separator=";") if spec.key else pl.lit("")
    )
    contract_columns = spec.column_names
    checked = frame.select(
        *[value(c.name).alias(c.name) for c in spec.columns],
        pl.col(ROW_NUMBER),
        pl.coalesce(checks).alias(REASON),
        pl.col("community_code").alias("_written_community_code"),
    ).collect()
    input_rows = checked.height
    written_rows = checked.group_by("_written_community_code").len("input_rows")
    failed = checked.get_column(REASON).is_not_null()
    rejected = checked.filter(failed) if failed.any() else checked.head(0)
    passed = checked.filter(~failed).drop(REASON) if failed.any() else checked.drop(REASON)
    del checked

    if spec.key:
        # only keys given more than once can conflict: compare whole rows on that (small) subset;
        # `passed` is in file order, so the first of identical copies is the lowest row number
        repeated = passed.select(pl.struct(list(spec.key)).is_duplicated()).to_series()
        shared = passed.filter(repeated)
        versions = shared.select(pl.struct(contract_columns).n_unique().over(list(spec.key))).to_series()
        conflicting = shared.filter(versions > 1)
        copies = shared.filter(versions == 1)
        kept_copies = copies.unique(subset=list(spec.key), keep="first", maintain_order=True)
        dropped = pl.concat([conflicting.get_column(ROW_NUMBER), copies.get_column(ROW_NUMBER)])
        dropped = dropped.filter(~dropped.is_in(kept_copies.get_column(ROW_NUMBER).implode()))
        clean = passed.filter(~pl.col(ROW_NUMBER).is_in(dropped.implode())) if dropped.len() else passed
        identical_copies = copies.height - kept_copies.height
    else:
        conflicting = passed.head(0)
        clean = passed.unique(subset=contract_columns, keep="first", maintain_order=True)
        identical_copies = passed.height - clean.height

    def quarantined(rows: pl.DataFrame, reason: pl.Expr) -> pl.DataFrame:
        return rows.select(
            pl.lit(spec.name).alias("table"),
            pl.lit(raw.file).alias("file"),
            pl.col(ROW_NUMBER).alias("row_number"),
            key_text.alias("key"),
            reason.alias("reason"),
            # as written in the row: lets a county see its own rejected rows
            pl.col("_written_community_code").alias("community_code"),
        ).cast(QUARANTINE_SCHEMA)

    quarantine = pl.concat(
        [
            quarantined(rejected, pl.col(REASON)),
            quarantined(conflicting, pl.lit("conflicting_duplicates: rows of this key differ")),
        ]
    ).sort("row_number")
    counts = StagingCounts(
        table=spec.name,
        file=raw.file,
        input_rows=input_rows,
        used_rows=clean.height,
        identical_copies=identical_copies,
        quarantined_rows=quarantine.height,
    )
    clean = clean.select([*contract_columns, pl.col(ROW_NUMBER).alias("row_number")])
    known = known_communities if known_communities is not None else clean.get_column("community_code")
    by_community = community_counts(spec.name, written_rows, clean, quarantine, known)
    return StagedTable(spec.name, clean, quarantine, counts, by_community)


def community_counts(table: str, written_rows: pl.DataFrame, clean: pl.DataFrame, quarantine: pl.DataFrame,
                     known: pl.Series) -> pl.DataFrame:
    """Input, used, copied and quarantined rows of one table per community. A row belongs to the
    community its community_code names when that community is known (left after the communities
    table's own quarantine); rows with an empty or unknown code form the row with a null code.
    The rows of each table add up to its StagingCounts."""

    def attributed(column: str) -> pl.Expr:
        return pl.when(pl.col(column).is_in(known.implode())).then(pl.col(column)).alias("community_code")

    inputs = written_rows.group_by(attributed("_written_community_code")).agg(pl.col("input_rows").sum())
    used = clean.group_by(attributed("community_code")).len("used_rows")
    rejected = quarantine.group_by(attributed("community_code")).len("quarantined_rows")
    counts = (
        inputs.join(used, on="community_code", how="left", nulls_equal=True)
        .join(rejected, on="community_code", how="left", nulls_equal=True)
        .with_columns(pl.col("used_rows", "quarantined_rows").fill_null(0))
    )
    return counts.select(
        pl.lit(table).alias("table"),
        "community_code",
        "input_rows",
        "used_rows",
        (pl.col("input_rows") - pl.col("used_rows") - pl.col("quarantined_rows")).alias("identical_copies"),
        "quarantined_rows",
    ).cast(COMMUNITY_COUNTS_SCHEMA).sort("community_code", nulls_last=False)


def stage_all(
    raw_tables: dict[str, RawTable], specs: dict[str, TableSpec], latest_birth: dt.date
) -> dict[str, StagedTable]:
    """Stage communities first: every other table's unknown_community check needs its result."""
    staged: dict[str, StagedTable] = {}
    staged["communities"] = stage_table(raw_tables["communities"], specs["communities"], None, latest_birth)
    known = staged["communities"].clean.get_column("community_code")
    for name, raw in raw_tables.items():
        if name != "communities":
            staged[name] = stage_table(raw, specs[name], known, latest_birth)
    return staged


def empty_quarantine() -> pl.DataFrame:
    return pl.DataFrame(schema=QUARANTINE_SCHEMA)


def empty_community_counts() -> pl.DataFrame:
    return pl.DataFrame(schema=COMMUNITY_COUNTS_SCHEMA)

