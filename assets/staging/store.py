"""Staged tables, the quarantine and the staging counts as warehouse tables."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import polars as pl

from assets.ingest.contract import TABLES
from assets.staging.validate import StagedTable, StagingCounts, empty_community_counts, empty_quarantine
from assets.warehouse import write_frame, write_parquet_view

STAGING_COMMUNITY_COUNTS = "staging_community_counts"
COUNTS_SCHEMA = {
    "table": pl.String,
    "file": pl.String,
    "input_rows": pl.Int64,
    "used_rows": pl.Int64,
    "identical_copies": pl.Int64,
    "quarantined_rows": pl.Int64,
}


def store_staged(con: duckdb.DuckDBPyConnection, staged: dict[str, StagedTable], folder: Path | None = None) -> None:
    """Staged tables as Parquet-backed views when a folder is given (the pipeline), else as tables
    (in-memory test runs); the quarantine and counts are small and always tables."""
    for table in staged.values():
        store_staged_table(con, table, folder)
    store_quarantine_and_counts(con, [t.quarantine for t in staged.values()], [t.counts for t in staged.values()],
                                [t.community_counts for t in staged.values()])


def staged_parquet_files(folder: Path) -> dict[str, Path]:
    """Where the pipeline keeps each staged table (store_staged_table with a folder)."""
    return {spec.name: folder / f"stg_{spec.name}.parquet" for spec in TABLES}


def store_staged_table(con: duckdb.DuckDBPyConnection, table: StagedTable, folder: Path | None) -> None:
    if folder is None:
        write_frame(con, f"stg_{table.table}", table.clean)
    else:
        write_parquet_view(con, f"stg_{table.table}", table.clean, folder)


def store_quarantine_and_counts(con: duckdb.DuckDBPyConnection, quarantines: list[pl.DataFrame],
                                counts: list[StagingCounts], community_counts: list[pl.DataFrame]) -> None:
    write_frame(con, "quarantine", pl.concat(quarantines) if quarantines else empty_quarantine())
    write_frame(con, "staging_counts",
                pl.DataFrame([dataclasses.asdict(c) for c in counts], schema=COUNTS_SCHEMA))
    write_frame(con, STAGING_COMMUNITY_COUNTS,
                pl.concat(community_counts) if community_counts else empty_community_counts())
