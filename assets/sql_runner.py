"""Run the project's .sql files on DuckDB with bound parameters.

SQL files name their parameters `$name`; only the names a file uses are bound (DuckDB refuses
unused ones). Values are always bound, never formatted into the text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from assets.warehouse import create_parquet_view, path_literal

PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@cache
def sql_text(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip().rstrip(";")


def bind(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    names = set(PARAMETER.findall(sql))
    missing = names - params.keys()
    if missing:
        raise KeyError(f"SQL needs parameters {sorted(missing)}")
    return {name: params[name] for name in names}


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> None:
    con.execute(sql, bind(sql, params))


def run_sql_file(con: duckdb.DuckDBPyConnection, path: Path, params: dict[str, Any]) -> None:
    run_sql(con, sql_text(path), params)


def materialise(con: duckdb.DuckDBPyConnection, table: str, select_path: Path, params: dict[str, Any],
                folder: Path | None) -> None:
    """`table` from a .sql file holding one SELECT. With a folder (the pipeline's build), the rows
    go to a Parquet file there and `table` is a view of it: for the sets of millions of rows,
    DuckDB writes Parquet about twice as fast as its own table storage, and the build lives only
    for the run. Without one (in-memory test runs) `table` is an ordinary table."""
    select = sql_text(select_path)
    if folder is None:
        run_sql(con, f'CREATE OR REPLACE TABLE "{table}" AS {select}', params)
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.parquet"
    run_sql(con, f"COPY ({select}) TO {path_literal(path)} (FORMAT parquet, COMPRESSION uncompressed)", params)
    create_parquet_view(con, table, path)
