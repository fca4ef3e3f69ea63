"""Staged tables, the quarantine and the staging counts as warehouse tables."""

from __future__ import annotations

import dataclasses

import duckdb
import polars as pl

from assets.staging.validate import StagedTable, empty_quarantine
from assets.warehouse import write_frame

COUNTS_SCHEMA = {
    "table": pl.String,
    "file": pl.String,
    "input_rows": pl.Int64,
    "used_rows": pl.Int64,
    "identical_copies": pl.Int64,
    "quarantined_rows": pl.Int64,
}


def store_staged(con: duckdb.DuckDBPyConnection, staged: dict[str, StagedTable]) -> None:
    for name, table in staged.items():
        write_frame(con, f"stg_{name}", table.clean)
    quarantine = pl.concat([t.quarantine for t in staged.values()]) if staged else empty_quarantine()
    write_frame(con, "quarantine", quarantine)
    counts = pl.DataFrame([dataclasses.asdict(t.counts) for t in staged.values()], schema=COUNTS_SCHEMA)
    write_frame(con, "staging_counts", counts)
