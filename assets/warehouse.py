"""Moving frames in and out of the DuckDB warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl


def duckdb_config(memory_limit: str | None = None, threads: int | None = None,
                  durable: bool = True) -> dict[str, str | int]:
    """DuckDB's settings for a connection: its memory limit and thread count, when given.

    `durable=False` is for a scratch file that no later process opens (a private build deleted
    when its process ends, the GX workers' views): DuckDB then leaves its writes to the operating
    system instead of waiting for the disk at every commit (`fsync_mode` NONE). A 3M city's run
    commits its build about a hundred times; the waits, 0.3-0.5 s in all, fell on the run's
    critical path. An operating-system crash can corrupt such a file, which nobody reads again.
    Nor is such a file compressed (`force_compression` uncompressed): at each checkpoint DuckDB
    otherwise tries every compression method on every new column, on one thread, for a file
    about to be deleted (0.6-0.8 CPU-s of a 3M run's indicators and results). The served snapshot
    is written by its own connection (assets/publish/snapshot.py) and stays compressed.
    """
    config: dict[str, str | int] = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if threads:
        config["threads"] = threads
    if not durable:
        config["fsync_mode"] = "NONE"
        config["force_compression"] = "uncompressed"
    return config


def connect(path: Path, memory_limit: str | None = None, threads: int | None = None,
            durable: bool = True) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), config=duckdb_config(memory_limit, threads, durable))


class ArrowStream:
    """A Polars frame as DuckDB scans it: through the Arrow C stream interface (the Arrow PyCapsule
    protocol), a new stream for each scan, so one query may read it twice. DuckDB's
    `register(name, polars_frame)` and Polars' `to_arrow()` go through pyarrow instead, whose
    import alone cost every run ~0.4 s of CPU."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self._frame = frame

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self._frame.__arrow_c_stream__(requested_schema)


def register_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """`frame` readable as `name` in `con`'s queries until unregistered, without a copy."""
    con.register(name, ArrowStream(frame))


def write_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Replace `table` with `frame` (table names are the project's own constants)."""
    register_frame(con, "_incoming_frame", frame)
    try:
        con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM _incoming_frame')
    finally:
        con.unregister("_incoming_frame")


def write_parquet_view(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, folder: Path) -> Path:
    """Store a large frame as Parquet beside the build file and expose it to SQL as a view.

    Polars writes Parquet several times faster than DuckDB ingests the same Arrow data, and
    DuckDB scans Parquet in parallel, so the staged layer costs little on either side. The files
    live only as long as the build: they are written uncompressed (faster to write and to scan;
    twice the size of lz4).
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.parquet"
    path.unlink(missing_ok=True)  # a new file: never write through a hard link (assets/staging/reuse.py)
    frame.write_parquet(path, compression="uncompressed", statistics=False)
    create_parquet_view(con, table, path)
    return path


def create_parquet_view(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    con.execute(parquet_view_sql(table, path))


def parquet_view_sql(table: str, path: Path) -> str:
    """The statement that makes `table` a view of a Parquet file (a view's text cannot hold a bound
    parameter, so the path, always one of the build's own files, is written as a quoted literal)."""
    return f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM read_parquet({path_literal(path)})'


def path_literal(path: Path) -> str:
    """A file's absolute path as a SQL string literal, for the statements DuckDB takes no bound
    parameter in (views, COPY ... TO, ATTACH): only for the project's own files."""
    return "'" + str(Path(path).resolve()).replace("'", "''") + "'"


def read_frame(con: duckdb.DuckDBPyConnection, query: str, params: list | dict | None = None) -> pl.DataFrame:
    """A query's result as a frame, through the Arrow C stream interface (DuckDB's own `.pl()`
    goes through pyarrow: see ArrowStream)."""
    return pl.DataFrame(con.sql(query, params=params))


def scalar(con: duckdb.DuckDBPyConnection, query: str, params: list | dict | None = None):
    """One value. fetchall() (not fetchone) so DuckDB 2.0 sees the result finished."""
    return con.execute(query, params).fetchall()[0][0]


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(scalar(con, f'SELECT count(*) FROM "{table}"'))
