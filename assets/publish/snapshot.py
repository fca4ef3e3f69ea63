"""Publishing: the served snapshot = the current one plus this as_of's results, swapped in whole.

The dashboard never sees a half-written file: the next snapshot is built in a temp file beside
the served one and moved over it with os.replace(), which is atomic on one filesystem. The
replaced snapshot is kept under snapshots/ for rollback (the newest few).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from pathlib import Path

import duckdb

from assets.warehouse import path_literal

# build table -> whether it already carries an as_of column
PUBLISHED_TABLES: dict[str, bool] = {
    "community_indicators": True,
    "community_criteria": True,
    "community_results": True,
    "county_summary": True,
    "worklist": True,
    "application_workflow": True,
    "quarantine": False,
    "staging_counts": False,
    "dq_results": False,
    "dq_community": False,
    "dq_six_clear_fields": False,
    "dq_validations": False,
}
KEEP_SNAPSHOTS = 5


def publish_snapshot(
    build_path: Path, served_path: Path, as_of: dt.date, run_info: dict[str, object], keep: int = KEEP_SNAPSHOTS
) -> dict[str, int]:
    """Add this as_of's results (replacing an earlier publish of the same as_of) and swap the
    snapshot in. Returns the rows published per table."""
    served_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(served_path)
    temp = served_path.parent / f".{served_path.name}.{uuid.uuid4().hex}.tmp"
    published: dict[str, int] = {}
    try:
        if served_path.exists():
            shutil.copyfile(served_path, temp)
        con = duckdb.connect(str(temp))
        try:
            con.execute(f"ATTACH {path_literal(build_path)} AS build (READ_ONLY)")
            for table, has_as_of in PUBLISHED_TABLES.items():
                select = f"SELECT * FROM build.main.{table}" if has_as_of else (
                    f"SELECT *, $as_of::DATE AS as_of FROM build.main.{table}"
                )
                params = {} if has_as_of else {"as_of": as_of}
                _replace_as_of(con, table, select, params, as_of)
                published[table] = int(
                    con.execute(f"SELECT count(*) FROM main.{table} WHERE as_of = ?", [as_of]).fetchall()[0][0]
                )
            con.execute(
                "CREATE TABLE IF NOT EXISTS main.runs (as_of DATE, year INTEGER, ruleset VARCHAR, provisional BOOLEAN, "
                "source VARCHAR, run_id VARCHAR, published_at TIMESTAMP)"
            )
            con.execute("DELETE FROM main.runs WHERE as_of = ?", [as_of])
            con.execute(
                "INSERT INTO main.runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                [as_of, run_info.get("year"), run_info.get("ruleset"), run_info.get("provisional"),
                 run_info.get("source"), run_info.get("run_id"), dt.datetime.now(dt.UTC).replace(tzinfo=None)],
            )
            con.execute("DETACH build")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if served_path.exists():
            _keep_previous(served_path, keep)
        os.replace(temp, served_path)
    finally:
        if temp.exists():
            temp.unlink()
    return published


def _replace_as_of(con: duckdb.DuckDBPyConnection, table: str, select: str, params: dict, as_of: dt.date) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS main.{table} AS {select} LIMIT 0", params)
    con.execute(f"DELETE FROM main.{table} WHERE as_of = ?", [as_of])
    try:
        con.execute(f"INSERT INTO main.{table} BY NAME {select}", params)
    except duckdb.Error:
        # The table's shape changed between versions of the pipeline: start its history anew
        # rather than publish a mix of shapes.
        con.execute(f"DROP TABLE main.{table}")
        con.execute(f"CREATE TABLE main.{table} AS {select}", params)


def _remove_stale_temps(served_path: Path, older_than_s: float = 600) -> None:
    """A publish killed between writing its temp file and the swap leaves the temp behind."""
    now = dt.datetime.now().timestamp()
    for stale in served_path.parent.glob(f".{served_path.name}.*.tmp"):
        if now - stale.stat().st_mtime > older_than_s:
            stale.unlink(missing_ok=True)


def _keep_previous(served_path: Path, keep: int) -> None:
    folder = served_path.parent / "snapshots"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    shutil.copyfile(served_path, folder / f"{served_path.stem}-{stamp}.duckdb")
    for old in sorted(folder.glob(f"{served_path.stem}-*.duckdb"))[:-keep]:
        old.unlink()

