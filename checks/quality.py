"""The data-quality tables, set-based in DuckDB: per-community figures GX has no notion of.

- `dq_results`: one row per (table, expectation, column) with community_code NULL — GX's
  verdict, its unexpected count and up to three masked examples — plus one row per community
  where that expectation has unexpected rows (counted in SQL by the same rule).
- `dq_community`: per community, its input rows across every table (each row attributed by
  staging through the community_code written in it; rows whose code is empty or unknown form
  the row with community_code NULL), rows used, identical copies, rows quarantined, the share of
  its input not quarantined, and its six-clear rate (labour_registry rows registered by as_of,
  as the six_clear_rate indicator counts them).
- `dq_six_clear_fields`: per community and six-clear field, the rows that must fill the field
  (per the ruleset's lists) and those that do.
- `dq_validations`: the GX suite and validation result of each table as JSON, for Data Docs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from assets.ingest.contract import TABLES_BY_NAME
from assets.staging.idcard import mask_id
from assets.warehouse import read_frame, register_frame, write_frame
from checks.suites import KEY_ROWS, SEVERITY, RuleName, SuiteParams, all_rules
from checks.suites import Rule as SuiteRule
from checks.validate import SuiteOutcome

DQ_RESULTS = "dq_results"
DQ_COMMUNITY = "dq_community"
DQ_SIX_CLEAR_FIELDS = "dq_six_clear_fields"
DQ_VALIDATIONS = "dq_validations"
EXAMPLES_PER_RULE = 3
SIX_CLEAR_RULES = (RuleName.SIX_CLEAR_FIELD, RuleName.SIX_CLEAR_COMPLETE)

RULE_COUNTS_SCHEMA = {
    "table": pl.String,
    "rule_id": pl.String,
    "expectation": pl.String,
    "column": pl.String,
    "community_code": pl.String,
    "evaluated": pl.Int64,
    "unexpected": pl.Int64,
}
DQ_RESULTS_SCHEMA = {
    "table": pl.String,
    "expectation": pl.String,
    "column": pl.String,
    "community_code": pl.String,
    "evaluated": pl.Int64,
    "unexpected": pl.Int64,
    "success": pl.Boolean,
    "severity": pl.String,
    "examples": pl.String,
}
DQ_VALIDATIONS_SCHEMA = {
    "table": pl.String,
    "suite": pl.String,
    "success": pl.Boolean,
    "suite_json": pl.String,
    "result_json": pl.String,
}


def _base_query(table: str, rules: list[SuiteRule]) -> str:
    key = TABLES_BY_NAME[table].key
    if key and any(r.needs_key_rows for r in rules):
        partition = ", ".join(f'"{k}"' for k in key)
        return f"SELECT *, count(*) OVER (PARTITION BY {partition}) AS {KEY_ROWS} FROM stg_{table}"
    return f"SELECT * FROM stg_{table}"


def _unexpected(rule: SuiteRule) -> str:
    """The rule's failing-row predicate as GX counts it (a key of only empty values is skipped)."""
    predicate = rule.unexpected_sql
    if rule.name == RuleName.UNIQUE_KEY:
        present = " OR ".join(f'"{k}" IS NOT NULL' for k in rule.key)
        predicate = f"({present}) AND {predicate}"
    return predicate


def column_of(sql: str, named: dict[str, str], prefix: str) -> str:
    """The column computing `sql` in a query being built: the one named before for the same SQL."""
    return named.setdefault(sql, f"{prefix}{len(named)}")


@dataclass(frozen=True)
class RuleCounts:
    counts: pl.DataFrame  # RULE_COUNTS_SCHEMA
    examples: dict[str, list[str]]  # rule id -> its first failing rows ('row N: key'), for the rules counted


def count_rules(
    con: duckdb.DuckDBPyConnection, params: SuiteParams, count_failures: set[str] | None = None,
    tables: set[str] | None = None, six_clear: bool = True,
) -> RuleCounts:
    """Per table, rule and community: rows evaluated and rows failing, and each counted rule's
    first failing rows, in one scan of each table.

    Failing rows are counted for the rules in `count_failures` (rule ids; None: every rule) and
    for the six-clear rules, whose per-community figures are always wanted; the others are
    taken to fail nowhere (GX found no failure) and cost only a count of their scope.
    Table-level rules (the required columns' presence) have no per-row test and no rows here.
    `tables` limits the scan to those tables; `six_clear=False` counts the six-clear rules' failures
    only when `count_failures` names them (recount_failures has them already).
    An aggregate that several rules share (most rules' scope is every row) is computed once: at
    3M residents the table's eleven rules were 22 aggregates, now one."""
    frames = []
    found: dict[str, list[str]] = {}
    for table, rules in all_rules(params).items():
        row_rules = [r for r in rules if r.unexpected_sql is not None]
        if not row_rules or (tables is not None and table not in tables):
            continue
        counted = [
            count_failures is None or r.id in count_failures or (six_clear and r.name in SIX_CLEAR_RULES)
            for r in row_rules
        ]
        aggregates: dict[str, str] = {}  # an aggregate's SQL -> its column in the query
        failing_flags: dict[str, str] = {}  # a rule's failing-row test -> its flag column, tested once per row

        shown = _example_columns(table)
        example_row = ", ".join(f"'{c}': \"{c}\"" for c in ["row_number", *shown])
        evaluated, unexpected, first_rows = [], [], []
        for rule, count in zip(row_rules, counted, strict=True):
            scope = rule.scope_sql
            evaluated.append(column_of("count(*)" if scope == "TRUE" else f"count(*) FILTER (WHERE {scope})",
                                       aggregates, "_agg"))
            if not count:
                unexpected.append(None)
                first_rows.append(None)
                continue
            # the flag, not the test, goes into both aggregates: a reference rule's NOT IN (SELECT ...)
            # is then one join, not one per aggregate
            flag = column_of(f"({scope}) AND ({_unexpected(rule)})", failing_flags, "_failing")
            unexpected.append(column_of(f"count(*) FILTER (WHERE {flag})", aggregates, "_agg"))
            first_rows.append(column_of(f"min_by({{{example_row}}}, \"row_number\", {EXAMPLES_PER_RULE}) "
                                        f"FILTER (WHERE {flag})", aggregates, "_agg"))
        base = _base_query(table, [r for r, count in zip(row_rules, counted, strict=True) if count])
        if failing_flags:
            flags = ", ".join(f"{sql} AS {name}" for sql, name in failing_flags.items())
            base = f"SELECT *, {flags} FROM ({base})"
        selects = ", ".join(f"{sql} AS {name}" for sql, name in aggregates.items())
        wide = read_frame(con, f"SELECT community_code, {selects} FROM ({base}) GROUP BY community_code")
        for rule, total, failures, rows in zip(row_rules, evaluated, unexpected, first_rows, strict=True):
            frames.append(
                wide.select(
                    pl.lit(table).alias("table"),
                    pl.lit(rule.id).alias("rule_id"),
                    pl.lit(str(rule.name)).alias("expectation"),
                    pl.lit(rule.column, dtype=pl.String).alias("column"),
                    pl.col("community_code"),
                    pl.col(total).alias("evaluated"),
                    (pl.col(failures) if failures else pl.lit(0, dtype=pl.Int64)).alias("unexpected"),
                )
            )
            if rows:
                firsts = sorted((r for per_community in wide.get_column(rows).to_list() for r in per_community or []),
                                key=lambda r: r["row_number"])
                found[rule.id] = [_example(r, shown) for r in firsts[:EXAMPLES_PER_RULE]]
    counts = pl.concat(frames).cast(RULE_COUNTS_SCHEMA) if frames else pl.DataFrame(schema=RULE_COUNTS_SCHEMA)
    return RuleCounts(counts, found)


def recount_failures(
    con: duckdb.DuckDBPyConnection, params: SuiteParams, counted: RuleCounts, count_failures: set[str]
) -> RuleCounts:
    """`counted` (count_rules counting no failure but the six-clear rules', made before GX's
    verdicts came) with the failures of the rules in `count_failures` counted too: only the
    tables where such a rule fails are scanned again.

    The quality step makes `counted` while the GX side process is still validating, so that only
    the rules GX found failing are left for the end of the run, when little else can run beside
    them (at 3M residents the six-clear and scope counts, about 0.5 s, leave that stretch)."""
    rules = {rule.id: rule for table_rules in all_rules(params).values() for rule in table_rules}
    todo = {rule_id for rule_id in count_failures if rule_id in rules
            and rules[rule_id].unexpected_sql is not None and rules[rule_id].name not in SIX_CLEAR_RULES}
    if not todo:
        return counted
    more = count_rules(con, params, todo, tables={rules[rule_id].table for rule_id in todo}, six_clear=False)
    counts = pl.concat([
        counted.counts.filter(~pl.col("rule_id").is_in(list(todo))),
        more.counts.filter(pl.col("rule_id").is_in(list(todo))),
    ])
    return RuleCounts(counts, counted.examples | {rule_id: more.examples[rule_id] for rule_id in todo})


def rule_counts(
    con: duckdb.DuckDBPyConnection, params: SuiteParams, count_failures: set[str] | None = None
) -> pl.DataFrame:
    """`count_rules` without the examples (RULE_COUNTS_SCHEMA)."""
    return count_rules(con, params, count_failures).counts


def failures_to_count(outcomes: dict[str, SuiteOutcome]) -> set[str]:
    """Rule ids whose failures need counting per community: GX found some, or could not count."""
    return {
        rule_id
        for outcome in outcomes.values()
        for rule_id, e in outcome.expectations.items()
        if e.unexpected is None or e.unexpected > 0
    }


def _example_columns(table: str) -> list[str]:
    """What a failing row's example shows besides its row number: the key, and the person."""
    spec = TABLES_BY_NAME[table]
    shown = list(spec.key) or []
    if spec.has_person_id and "person_id" not in shown:
        shown.append("person_id")
    return shown


def examples(con: duckdb.DuckDBPyConnection, rule: SuiteRule, limit: int = EXAMPLES_PER_RULE) -> list[str]:
    """A few failing rows as 'row N: key' (N the record's row in its source file; IDs masked), by a
    query of their own (`count_rules` gathers them for the rules it counts)."""
    shown = _example_columns(rule.table)
    columns = ", ".join(['"row_number"', *(f'"{c}"' for c in shown)])
    rows = read_frame(
        con,
        f"SELECT {columns} FROM ({_base_query(rule.table, [rule])}) "
        f"WHERE ({rule.scope_sql}) AND ({_unexpected(rule)}) ORDER BY \"row_number\" LIMIT {int(limit)}",
    ).iter_rows(named=True)
    return [_example(row, shown) for row in rows]


def _example(row: dict, shown: list[str]) -> str:
    values = []
    for column in shown:
        value = row[column]
        text = "" if value is None else str(value)
        values.append(mask_id(text) if column == "person_id" and text else text)
    return f"row {row['row_number']}" + (f": {';'.join(values)}" if values else "")


def build_dq_results(
    con: duckdb.DuckDBPyConnection, outcomes: dict[str, SuiteOutcome], params: SuiteParams, counted: RuleCounts
) -> pl.DataFrame:
    """GX's verdict per expectation (community_code NULL) and the communities where it fails."""
    counts = counted.counts
    totals = {
        r["rule_id"]: r
        for r in counts.group_by("rule_id").agg(pl.col("evaluated").sum(), pl.col("unexpected").sum()).to_dicts()
    }
    overall = []
    for table, rules in all_rules(params).items():
        outcome = outcomes.get(table)
        for rule in rules:
            gx = outcome.expectations.get(rule.id) if outcome else None
            total = totals.get(rule.id)
            evaluated = total["evaluated"] if total else len(rule.key)  # rows, or required columns
            unexpected = gx.unexpected if gx else (total["unexpected"] if total else None)
            shown = []
            if rule.unexpected_sql is not None and unexpected:
                shown = counted.examples[rule.id] if rule.id in counted.examples else examples(con, rule)
            if gx and gx.error:
                shown = [f"GX error: {gx.error[:300]}"]
            overall.append({
                "table": table,
                "expectation": str(rule.name),
                "column": rule.column,
                "community_code": None,
                "evaluated": evaluated,
                "unexpected": unexpected,
                "success": gx.success if gx else unexpected == 0,
                "severity": gx.severity if gx else SEVERITY,
                "examples": "; ".join(shown) or None,
            })
    failing = counts.filter(pl.col("unexpected") > 0).select(
        "table", "expectation", "column", "community_code", "evaluated", "unexpected",
        pl.lit(False).alias("success"), pl.lit(SEVERITY).alias("severity"), pl.lit(None, dtype=pl.String).alias(
            "examples"),
    )
    return pl.concat([pl.DataFrame(overall, schema=DQ_RESULTS_SCHEMA), failing.cast(DQ_RESULTS_SCHEMA)]).sort(
        "table", "expectation", "column", "community_code", nulls_last=False
    )


DQ_COMMUNITY_SQL = """
WITH per_community AS (
    SELECT community_code, CAST(sum(input_rows) AS BIGINT) AS input_rows, CAST(sum(used_rows) AS BIGINT) AS used_rows,
           CAST(sum(identical_copies) AS BIGINT) AS identical_copies,
           CAST(sum(quarantined_rows) AS BIGINT) AS quarantined_rows
    FROM staging_community_counts
    GROUP BY community_code
),
six_clear AS (SELECT community_code, evaluated, unexpected FROM six_clear_counts)
SELECT
    i.community_code,
    i.input_rows,
    i.used_rows,
    i.identical_copies,
    i.quarantined_rows,
    (i.input_rows - i.quarantined_rows) / i.input_rows AS used_share,
    CASE WHEN i.community_code IS NOT NULL THEN coalesce(s.evaluated, 0) END AS six_clear_rows,
    CASE WHEN i.community_code IS NOT NULL THEN coalesce(s.evaluated - s.unexpected, 0) END AS six_clear_complete,
    CASE WHEN s.evaluated > 0 THEN (s.evaluated - s.unexpected) / s.evaluated END AS six_clear_rate
FROM per_community AS i
LEFT JOIN six_clear AS s ON s.community_code = i.community_code
WHERE i.input_rows > 0
ORDER BY i.community_code NULLS FIRST
"""

DQ_SIX_CLEAR_FIELDS_SQL = """
SELECT
    c.community_code,
    f.field,
    coalesce(n.evaluated, 0) AS required_rows,
    coalesce(n.evaluated - n.unexpected, 0) AS filled_rows,
    CASE WHEN n.evaluated > 0 THEN (n.evaluated - n.unexpected) / n.evaluated END AS completeness
FROM stg_communities AS c
CROSS JOIN (SELECT DISTINCT "column" AS field FROM six_clear_field_counts) AS f
LEFT JOIN six_clear_field_counts AS n ON n.community_code = c.community_code AND n."column" = f.field
ORDER BY c.community_code, f.field
"""


def build_dq_community(con: duckdb.DuckDBPyConnection, counts: pl.DataFrame) -> pl.DataFrame:
    """Needs staging_community_counts in `con` (staging attributes every input row to the community
    its code names, or to the NULL row): the rows of all communities and of the NULL row add up
    to staging_counts."""
    six_clear = counts.filter(pl.col("expectation") == str(RuleName.SIX_CLEAR_COMPLETE))
    register_frame(con, "six_clear_counts", six_clear)
    try:
        return read_frame(con, DQ_COMMUNITY_SQL)
    finally:
        con.unregister("six_clear_counts")


def build_dq_six_clear_fields(con: duckdb.DuckDBPyConnection, counts: pl.DataFrame) -> pl.DataFrame:
    fields = counts.filter(pl.col("expectation") == str(RuleName.SIX_CLEAR_FIELD))
    register_frame(con, "six_clear_field_counts", fields)
    try:
        return read_frame(con, DQ_SIX_CLEAR_FIELDS_SQL)
    finally:
        con.unregister("six_clear_field_counts")


def build_dq_validations(outcomes: dict[str, SuiteOutcome]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"table": o.table, "suite": f"stg_{o.table}", "success": o.success, "suite_json": o.suite_json,
             "result_json": o.result_json}
            for o in outcomes.values()
        ],
        schema=DQ_VALIDATIONS_SCHEMA,
    )


def count_before_verdicts(con: duckdb.DuckDBPyConnection, params: SuiteParams) -> RuleCounts:
    """What the dq tables need whatever GX finds: every rule's rows evaluated per community and the
    six-clear rules' failures (write_quality_tables adds the failures GX finds)."""
    return count_rules(con, params, count_failures=set())


def write_quality_tables(
    con: duckdb.DuckDBPyConnection, outcomes: dict[str, SuiteOutcome], params: SuiteParams,
    counted: RuleCounts | None = None,
) -> dict[str, pl.DataFrame]:
    """Compute and store the four dq_ tables; returns them by name. `counted`: count_before_verdicts,
    when it was made while GX validated (else everything is counted here)."""
    failing = failures_to_count(outcomes)
    counted = count_rules(con, params, failing) if counted is None else recount_failures(con, params, counted, failing)
    tables = {
        DQ_RESULTS: build_dq_results(con, outcomes, params, counted),
        DQ_COMMUNITY: build_dq_community(con, counted.counts),
        DQ_SIX_CLEAR_FIELDS: build_dq_six_clear_fields(con, counted.counts),
        DQ_VALIDATIONS: build_dq_validations(outcomes),
    }
    for name, frame in tables.items():
        write_frame(con, name, frame)
    return tables
