"""Criteria, tiers, awards and county totals (contract §2 "Criteria" and "Tiers, awards, penalties")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from assets.sql_runner import run_sql_file
from assets.warehouse import row_count

SQL_DIR = Path(__file__).resolve().parent / "sql"
RESULT_TABLES = ("community_criteria", "community_results", "county_summary", "worklist", "application_workflow")


def build_results(con: duckdb.DuckDBPyConnection, params: dict[str, Any], table: str) -> int:
    run_sql_file(con, SQL_DIR / f"{table}.sql", params)
    return row_count(con, table)
