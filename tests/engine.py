"""Run the engine's pure layers (no Dagster) on a source folder, for fast tests of the formulas.

The Dagster assets call exactly these functions; tests of the assets themselves live in
tests/pipelines and run the real job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from assets.evaluation import Evaluation
from assets.indicators.compute import build_community_indicators, build_sets, write_ruleset_criteria
from assets.ingest.assets import read_source
from assets.ingest.contract import TABLES_BY_NAME
from assets.results.compute import RESULT_TABLES, build_results
from assets.ruleset import load_ruleset
from assets.staging.store import store_staged
from assets.staging.validate import stage_all


@dataclass
class EngineRun:
    con: duckdb.DuckDBPyConnection

    def rows(self, query: str, params: list | None = None) -> list[dict]:
        return self.con.sql(query, params=params).pl().to_dicts()

    def indicator(self, indicator_id: str, community: str) -> tuple:
        row = self.rows(
            "SELECT numerator, denominator, value FROM community_indicators WHERE indicator_id = ? "
            "AND community_code = ?", [indicator_id, community])
        assert len(row) == 1, row
        return row[0]["numerator"], row[0]["denominator"], row[0]["value"]

    def criterion(self, criterion_id: str, community: str, tier: str = "municipal") -> tuple:
        row = self.rows(
            "SELECT outcome, shortfall, threshold FROM community_criteria WHERE criterion_id = ? "
            "AND community_code = ? AND tier = ?", [criterion_id, community, tier])
        assert len(row) == 1, row
        return row[0]["outcome"], row[0]["shortfall"]

    def result(self, community: str) -> dict:
        row = self.rows("SELECT * FROM community_results WHERE community_code = ?", [community])
        assert len(row) == 1, row
        return row[0]

    def quarantine(self) -> list[tuple[str, str, str]]:
        """(table, reason code, key) per quarantined row."""
        return [(r["table"], r["reason"].split(":", 1)[0], r["key"]) for r in
                self.rows('SELECT * FROM quarantine ORDER BY "table", row_number')]


def run_engine(source: Path, year: int = 2020, as_of: dt.date | None = None, rules: str | Path | None = None,
               latest_birth: dt.date = dt.date(2026, 1, 1)) -> EngineRun:
    ruleset = load_ruleset(rules)
    evaluation = Evaluation(year, as_of or ruleset.official_as_of(year), ruleset)
    con = duckdb.connect(":memory:")
    staged = stage_all(read_source(source), TABLES_BY_NAME, latest_birth)
    store_staged(con, staged)
    params = evaluation.sql_params()
    build_sets(con, params)
    build_community_indicators(con, params)
    write_ruleset_criteria(con, ruleset)
    for table in RESULT_TABLES:
        build_results(con, params, table)
    return EngineRun(con)
