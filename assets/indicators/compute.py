"""Per-community indicators (contract §2) as set-based DuckDB SQL over the staged tables.

The sets L, U, D and G are materialised first (the dashboard's worklists read them too), then
one SQL file per indicator id yields (community_code, numerator, denominator).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from assets.ruleset import INDICATORS, Ruleset
from assets.sql_runner import bind, materialise, run_sql, run_sql_file, sql_text
from assets.warehouse import row_count

SQL_DIR = Path(__file__).resolve().parent / "sql"
SET_TABLES: tuple[str, ...] = (
    "labour_resource",
    "qualifying_spells",
    "registered_unemployed",
    "unemployed_services",
    "difficulty_certifications",
    "certificate_groups",
)
# sets of millions of rows: their .sql file is a SELECT, materialised as Parquet in the build
PARQUET_SETS = frozenset({"labour_resource"})

ASSEMBLE_COMMUNITY_INDICATORS = """
CREATE OR REPLACE TABLE community_indicators AS
SELECT
    $year AS year,
    $as_of AS as_of,
    c.community_code,
    d.indicator_id,
    coalesce(v.numerator, 0) AS numerator,
    CASE WHEN d.kind = 'count' THEN NULL ELSE coalesce(v.denominator, 0) END AS denominator,
    CASE
        WHEN d.kind = 'count' OR coalesce(v.denominator, 0) = 0 THEN NULL
        ELSE v.numerator / v.denominator
    END AS value,
    d.ordinal
FROM stg_communities AS c
CROSS JOIN indicator_definitions AS d
LEFT JOIN indicator_values AS v ON v.community_code = c.community_code AND v.indicator_id = d.indicator_id
ORDER BY c.community_code, d.ordinal
"""


def build_sets(con: duckdb.DuckDBPyConnection, params: dict[str, Any], folder: Path | None = None) -> dict[str, int]:
    """Materialise L, U, D, G and their helpers; returns row counts per set table. `folder`: where
    the large sets go as Parquet (assets/sql_runner.py: materialise)."""
    for macro in sorted((SQL_DIR / "macros").glob("*.sql")):  # used by the indicators and the results
        run_sql_file(con, macro, params)
    counts = {}
    for table in SET_TABLES:
        if table in PARQUET_SETS:
            materialise(con, table, SQL_DIR / "sets" / f"{table}.sql", params, folder)
        else:
            run_sql_file(con, SQL_DIR / "sets" / f"{table}.sql", params)
        counts[table] = row_count(con, table)
    return counts


def build_community_indicators(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> int:
    con.execute(
        "CREATE OR REPLACE TABLE indicator_definitions (indicator_id VARCHAR, kind VARCHAR, ordinal INTEGER)"
    )
    con.executemany(
        "INSERT INTO indicator_definitions VALUES (?, ?, ?)",
        [(indicator, kind, n) for n, (indicator, kind) in enumerate(INDICATORS.items())],
    )
    con.execute(
        "CREATE OR REPLACE TABLE indicator_values "
        "(indicator_id VARCHAR, community_code VARCHAR, numerator BIGINT, denominator BIGINT)"
    )
    for indicator in INDICATORS:
        query = sql_text(SQL_DIR / f"{indicator}.sql")
        insert = (
            "INSERT INTO indicator_values SELECT $indicator_id, community_code, numerator, denominator "
            f"FROM ({query})"
        )
        con.execute(insert, bind(insert, {**params, "indicator_id": indicator}))
    run_sql(con, ASSEMBLE_COMMUNITY_INDICATORS, params)
    return row_count(con, "community_indicators")


def write_ruleset_criteria(con: duckdb.DuckDBPyConnection, ruleset: Ruleset) -> None:
    """The ruleset's effective criteria as a table the criteria SQL joins on."""
    con.execute(
        "CREATE OR REPLACE TABLE ruleset_criteria (criterion_id VARCHAR, tier VARCHAR, tier_ordinal INTEGER, "
        "indicator_id VARCHAR, kind VARCHAR, threshold DECIMAL(18, 6), threshold_text VARCHAR, "
        "fail_on_empty BOOLEAN, ordinal INTEGER)"
    )
    order = {c.criterion_id: n for n, c in reversed(list(enumerate(ruleset.criteria)))}
    con.executemany(
        "INSERT INTO ruleset_criteria VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                c.criterion_id, c.tier, 0 if c.tier == "municipal" else 1, c.indicator_id, c.kind,
                c.threshold, str(c.threshold), c.indicator_id in ruleset.fail_on_empty_denominator,
                order[c.criterion_id],
            )
            for c in ruleset.criteria
        ],
    )
