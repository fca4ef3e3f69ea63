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
