"""Run ingest → staging → indicators → GX suites → dq tables on a source folder, into a build file.

The GX suites run on a DuckDB file (the SQL path needs one), so unlike tests/engine.py this
writes to disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from assets.evaluation import Evaluation
from assets.indicators.compute import build_community_indicators, build_sets
from assets.ingest.assets import read_source
from assets.ingest.contract import TABLES_BY_NAME
from assets.ruleset import load_ruleset
from assets.staging.store import store_staged
from assets.staging.validate import stage_all
from checks.quality import write_quality_tables
from checks.suites import SuiteParams, suite_params
from checks.validate import SuiteOutcome, duckdb_url, quiet_context, validate_warehouse
from tests.checks.sources import defective_source, write_with_manifest

AS_OF = dt.date(2020, 12, 31)
RUN_DATE = dt.date(2021, 1, 6)  # the run date stands in for the extraction date when no manifest says it


@dataclass
class QualityRun:
    path: Path
    params: SuiteParams
    outcomes: dict[str, SuiteOutcome]
    tables: dict[str, pl.DataFrame]

    def rows(self, query: str, params: list | None = None) -> list[dict]:
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.sql(query, params=params).pl().to_dicts()
        finally:
            con.close()

    def result(self, table: str, expectation: str, column: str | None, community: str | None = None) -> dict:
        """The dq_results row of one expectation (community None: GX's overall row)."""
        frame = self.tables["dq_results"].filter(
            (pl.col("table") == table) & (pl.col("expectation") == expectation)
            & (pl.col("column").eq_missing(column)) & (pl.col("community_code").eq_missing(community))
        )
        assert frame.height == 1, (table, expectation, column, community, frame)
        return frame.row(0, named=True)

    def failures(self) -> set[tuple[str, str, str | None, int]]:
        """(table, expectation, column, unexpected) of every expectation GX found failing."""
        overall = self.tables["dq_results"].filter(pl.col("community_code").is_null() & ~pl.col("success"))
        return {(r["table"], r["expectation"], r["column"], r["unexpected"]) for r in overall.iter_rows(named=True)}

    def community(self, code: str | None) -> dict:
        frame = self.tables["dq_community"].filter(pl.col("community_code").eq_missing(code))
        assert frame.height == 1, (code, frame)
        return frame.row(0, named=True)


def duckdb_file(path: Path, *statements: str) -> Path:
    """A DuckDB file made by `statements`, closed again (GX opens it read-only)."""
    con = duckdb.connect(str(path))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()
    return path


@contextmanager
def gx_batches(path: Path) -> Iterator[Callable[[str], Any]]:
    """GX's SQL datasource on the DuckDB file `path`, as checks/validate.py opens it (patched, no
    pooled connection): yields a function giving a table's whole-table batch. GX's connection is
    closed on leaving, so the file is free for a writer again."""
    from sqlalchemy.pool import NullPool

    source = quiet_context().data_sources.add_sql("w", connection_string=duckdb_url(path),
                                                  kwargs={"poolclass": NullPool})
    try:
        yield lambda table: source.add_table_asset(table, table_name=table).add_batch_definition_whole_table(
            "all").get_batch()
    finally:
        source.get_execution_engine().close()


def stage_into(source: Path, build: Path, as_of: dt.date = AS_OF) -> None:
    """Staged tables (as tables) and the indicators of the default ruleset, in `build`."""
    evaluation = Evaluation(as_of.year, as_of, load_ruleset())
    raws = read_source(source)
    con = duckdb.connect(str(build))
    try:
        store_staged(con, stage_all(raws, TABLES_BY_NAME, latest_birth=dt.date(2026, 1, 1)))
        build_sets(con, evaluation.sql_params())
        build_community_indicators(con, evaluation.sql_params())
    finally:
        con.close()


def run_quality(source: Path, build: Path, as_of: dt.date = AS_OF) -> QualityRun:
    stage_into(source, build, as_of)
    params = suite_params(as_of, load_ruleset(), source, RUN_DATE)
    outcomes = validate_warehouse(build, params)
    con = duckdb.connect(str(build))
    try:
        tables = write_quality_tables(con, outcomes, params)
    finally:
        con.close()
    return QualityRun(build, params, outcomes, tables)


@pytest.fixture(scope="session")
def staged(tmp_path_factory):
    """A defective source staged twice: as Parquet files (what the side process reads) and as
    tables of a DuckDB file (what validate_warehouse reads in the test process)."""
    folder = tmp_path_factory.mktemp("suites")
    source = write_with_manifest(defective_source(), folder / "source")
    tables = stage_all(read_source(source), TABLES_BY_NAME, latest_birth=dt.date(2026, 1, 1))
    build = folder / "build"
    build.mkdir()
    for database, parquet_folder in ((folder / "tables.duckdb", None), (build / "warehouse.duckdb", build / "tables")):
        con = duckdb.connect(str(database))
        try:
            store_staged(con, tables, parquet_folder)
        finally:
            con.close()
    params = suite_params(AS_OF, load_ruleset(), source, RUN_DATE)
    return folder, build, params
