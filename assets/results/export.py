"""The five CSV files of contract §3, written all-or-nothing into the output folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import polars as pl

from assets.warehouse import read_frame

OUTPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "community_indicators": (
        "year", "as_of", "community_code", "indicator_id", "numerator", "denominator", "value"),
    "community_criteria": (
        "year", "community_code", "tier", "criterion_id", "indicator_id", "threshold", "outcome", "shortfall"),
    "community_results": (
        "year", "community_code", "community_name", "street_code", "county_code", "tier_applied",
        "qualified_tier", "awarded_tier", "reward_yuan", "clawback_yuan", "fraud_disqualified",
        "failed_municipal", "failed_star"),
    "county_summary": (
        "year", "county_code", "county_name", "communities", "applied_municipal", "applied_star",
        "awarded_municipal", "awarded_star", "qualified_municipal", "qualified_star", "reward_yuan",
        "clawback_yuan"),
    "quarantine": ("table", "file", "row_number", "key", "reason"),
}
ORDER_BY = {
    "community_indicators": "community_code, ordinal",
    "community_criteria": "community_code, tier, ordinal",
    "community_results": "community_code",
    "county_summary": "county_code",
    "quarantine": '"table", row_number',
}


def export_outputs(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    """Write every file into a sibling temp folder first, then move them in, so a failure
    leaves `out_dir` without a half-written set."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for table, columns in OUTPUT_COLUMNS.items():
            select = ", ".join(f'"{c}"' for c in columns)
            frame = read_frame(con, f"SELECT {select} FROM {table} ORDER BY {ORDER_BY[table]}")
            frame = frame.with_columns(pl.col(pl.String).replace("", None))  # empty, not ""
            frame.write_csv(staging / f"{table}.csv", null_value="")
        if not out_dir.exists():
            os.replace(staging, out_dir)
            return sorted(out_dir.glob("*.csv"))
        for table in OUTPUT_COLUMNS:
            os.replace(staging / f"{table}.csv", out_dir / f"{table}.csv")
        return [out_dir / f"{t}.csv" for t in OUTPUT_COLUMNS]
    finally:
        shutil.rmtree(staging, ignore_errors=True)
