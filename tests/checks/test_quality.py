"""The GX suites and the dq tables on real staged warehouses: a clean source, the planted defects,
and defects written straight into the staged tables (which staging itself would have stopped)."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from assets.ingest.contract import SIX_CLEAR_FIELDS, TABLES, TABLES_BY_NAME
from assets.ruleset import load_ruleset
from assets.staging.idcard import mask_id
from checks.quality import count_before_verdicts, count_rules, examples, rule_counts, write_quality_tables
from checks.suites import all_rules, suite_params
from checks.validate import validate_warehouse
from tests.checks.conftest import AS_OF, RUN_DATE, QualityRun, gx_batches, run_quality, stage_into
from tests.checks.sources import A, B, clean_source, defective_source, person, write_with_manifest


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> QualityRun:
    folder = tmp_path_factory.mktemp("clean")
    return run_quality(clean_source().write(folder / "source"), folder / "warehouse.duckdb")


@pytest.fixture(scope="module")
def defective(tmp_path_factory) -> QualityRun:
    folder = tmp_path_factory.mktemp("defective")
    return run_quality(write_with_manifest(defective_source(), folder / "source"), folder / "warehouse.duckdb")


def gx_agrees_with_sql(run: QualityRun) -> None:
    """For every row-level rule, GX's unexpected count is the sum of the per-community SQL counts."""
    con = duckdb.connect(str(run.path), read_only=True)
    try:
        counts = rule_counts(con, run.params)  # every rule counted, not only those GX found failing
    finally:
        con.close()
    sums = dict(counts.group_by("rule_id").agg(pl.col("unexpected").sum()).iter_rows())
    gx = {rule_id: e.unexpected for o in run.outcomes.values() for rule_id, e in o.expectations.items()
          if rule_id in sums}
    assert gx == sums


def examples_gathered_as_queried(con: duckdb.DuckDBPyConnection, params) -> dict[str, list[str]]:
    """The first failing rows count_rules gathers in its scan of each table, checked against a
    query of their own (checks.quality.examples) for every rule with a failure."""
    counted = count_rules(con, params)
    failing = {rule_id for rule_id, n in counted.counts.group_by("rule_id").agg(pl.col("unexpected").sum()).iter_rows()
               if n}
    rules = {rule.id: rule for table_rules in all_rules(params).values() for rule in table_rules}
    assert {rule_id: counted.examples[rule_id] for rule_id in failing} == {
        rule_id: examples(con, rules[rule_id]) for rule_id in failing}
    assert all(counted.examples[rule_id] for rule_id in failing)
    return {rule_id: counted.examples[rule_id] for rule_id in failing}


def test_a_clean_source_meets_every_expectation(clean):
    assert clean.failures() == set()
    assert all(o.success for o in clean.outcomes.values())
    assert all(e.error is None for o in clean.outcomes.values() for e in o.expectations.values())
    results = clean.tables["dq_results"]
    assert results.filter(pl.col("community_code").is_not_null()).height == 0  # no community fails anything
    assert set(results["severity"]) == {"warning"}
    assert clean.result("residents", "not_null", "person_id") | {"examples": None} == {
        "table": "residents", "expectation": "not_null", "column": "person_id", "community_code": None,
        "evaluated": 6, "unexpected": 0, "success": True, "severity": "warning", "examples": None}
    for code in (A, B):
        assert clean.community(code) == {
            "community_code": code, "input_rows": 21, "used_rows": 21, "identical_copies": 0, "quarantined_rows": 0,
            "used_share": 1.0, "six_clear_rows": 3, "six_clear_complete": 3, "six_clear_rate": 1.0}
    gx_agrees_with_sql(clean)


def test_each_planted_defect_is_counted_once_where_it_was_planted(defective):
    assert defective.failures() == {
        ("labour_registry", "six_clear_field", "job_intention", 1),  # D1
        ("labour_registry", "six_clear_field", "family_situation", 1),  # D2
        ("labour_registry", "six_clear_field", "vocational_skill", 1),  # D2
        ("labour_registry", "six_clear_complete", None, 2),  # D1, D2
        ("unemployment_registrations", "registered_person", "person_id", 1),  # D3
        ("service_logs", "registered_person", "person_id", 1),  # D4
        ("service_logs", "plausible_date", "service_date", 1),  # D5 (the control on the extraction date passes)
        ("complaints", "plausible_date", "received_on", 1),  # D6
    }
    per_community = defective.tables["dq_results"].filter(pl.col("community_code").is_not_null())
    assert sorted((r["table"], r["expectation"], r["column"] or "", r["community_code"], r["evaluated"],
                   r["unexpected"]) for r in per_community.iter_rows(named=True)) == [
        ("complaints", "plausible_date", "received_on", B, 1, 1),
        ("labour_registry", "six_clear_complete", "", A, 5, 1),
        ("labour_registry", "six_clear_complete", "", B, 4, 1),
        ("labour_registry", "six_clear_field", "family_situation", B, 4, 1),
        ("labour_registry", "six_clear_field", "job_intention", A, 1, 1),
        ("labour_registry", "six_clear_field", "vocational_skill", B, 4, 1),
        ("service_logs", "plausible_date", "service_date", A, 4, 1),
        ("service_logs", "registered_person", "person_id", B, 3, 1),
        ("unemployment_registrations", "registered_person", "person_id", A, 2, 1),
    ]
    spell = defective.result("unemployment_registrations", "registered_person", "person_id")
    assert (spell["evaluated"], spell["unexpected"], spell["success"], spell["examples"]) == (
        3, 1, False, f"row 3: RD3;{mask_id(person(5))}")
    gx_agrees_with_sql(defective)


def test_counting_before_the_verdicts_then_the_failures_gives_the_same_dq_tables(defective):
    """The quality step counts what needs no verdict while GX validates (rows evaluated, six-clear
    failures), then only the failures GX found: the same dq tables as counting after the verdicts."""
    con = duckdb.connect(str(defective.path))
    try:
        before = count_before_verdicts(con, defective.params)
        counted_early = before.counts.filter(pl.col("unexpected") > 0)
        assert set(counted_early.get_column("expectation")) == {"six_clear_field", "six_clear_complete"}
        split = write_quality_tables(con, defective.outcomes, defective.params, before)
    finally:
        con.close()
    assert split.keys() == defective.tables.keys()
    for name, frame in defective.tables.items():
        assert split[name].equals(frame), name
    late = split["dq_results"].filter(pl.col("community_code").is_not_null() & (pl.col("table") == "service_logs"))
    assert late.height == 2  # D4 and D5, counted after the verdicts


def test_dq_community_attributes_quarantined_rows_and_reconciles_with_staging_counts(defective):
    # A: 21 + D1, control, D3 (2 rows each) + D5, control service, control loan + Q3 resident and registry row
    # + the Q4 copy = 33 rows; Q3's registry row quarantined, Q4 an identical copy
    assert defective.community(A) == {
        "community_code": A, "input_rows": 33, "used_rows": 31, "identical_copies": 1, "quarantined_rows": 1,
        "used_share": 32 / 33, "six_clear_rows": 5, "six_clear_complete": 4, "six_clear_rate": 0.8}
    # B: 21 + D2, control, D4 (2 rows each) + D6 + Q1, Q3's second registry row, Q5 (all three quarantined)
    assert defective.community(B) == {
        "community_code": B, "input_rows": 31, "used_rows": 28, "identical_copies": 0, "quarantined_rows": 3,
        "used_share": 28 / 31, "six_clear_rows": 4, "six_clear_complete": 3, "six_clear_rate": 0.75}
    # Q2: a row whose community is unknown belongs to no community
    assert defective.community(None) == {
        "community_code": None, "input_rows": 1, "used_rows": 0, "identical_copies": 0, "quarantined_rows": 1,
        "used_share": 0.0, "six_clear_rows": None, "six_clear_complete": None, "six_clear_rate": None}
    totals = defective.rows(
        "SELECT sum(input_rows) AS input_rows, sum(used_rows) AS used_rows, sum(identical_copies) AS identical_copies,"
        " sum(quarantined_rows) AS quarantined_rows FROM staging_counts")[0]
    assert defective.tables["dq_community"].select(list(totals)).sum().to_dicts()[0] == totals
    assert totals == {"input_rows": 65, "used_rows": 59, "identical_copies": 1, "quarantined_rows": 5}


def test_six_clear_rate_side_by_side_equals_the_indicator(defective):
    indicator = {r["community_code"]: (r["numerator"], r["denominator"]) for r in defective.rows(
        "SELECT community_code, numerator, denominator FROM community_indicators "
        "WHERE indicator_id = 'six_clear_rate'")}
    assert indicator == {A: (4, 5), B: (3, 4)}
    for code, (numerator, denominator) in indicator.items():
        row = defective.community(code)
        assert (row["six_clear_complete"], row["six_clear_rows"]) == (numerator, denominator)


def test_dq_six_clear_fields_counts_required_and_filled_rows_per_field(defective):
    fields = {(r["community_code"], r["field"]): (r["required_rows"], r["filled_rows"], r["completeness"])
              for r in defective.tables["dq_six_clear_fields"].iter_rows(named=True)}
    assert len(fields) == 2 * len(SIX_CLEAR_FIELDS)
    assert fields[(A, "job_intention")] == (1, 0, 0.0)  # D1: the only unemployed person of A in scope
    assert fields[(A, "unemployment_reason")] == (1, 1, 1.0)
    assert fields[(A, "family_situation")] == (5, 5, 1.0)  # the control's blanks are not required
    assert fields[(B, "family_situation")] == (4, 3, 0.75)  # D2
    assert fields[(B, "vocational_skill")] == (4, 3, 0.75)  # D2
    assert fields[(B, "job_intention")] == (0, 0, None)  # the unemployed person of B registered after as_of


def test_the_suites_catch_what_staging_would_have_stopped(tmp_path):
    """Defects written straight into stg_ tables: the suites are a second line behind staging."""
    build = tmp_path / "warehouse.duckdb"
    stage_into(clean_source().write(tmp_path / "source"), build)
    con = duckdb.connect(str(build))
    first, first_row = con.execute("SELECT person_id, row_number FROM stg_residents ORDER BY row_number LIMIT 1"
                                   ).fetchall()[0]
    con.execute(
        "INSERT INTO stg_residents VALUES ('12345', NULL, '9', DATE '1850-01-01', 'H9', '410402009999', true, 90)")
    con.execute("INSERT INTO stg_residents BY NAME SELECT * REPLACE (91 AS row_number) FROM stg_residents "
                "WHERE person_id = ?", [first])
    con.execute("UPDATE stg_labour_registry SET labour_status = 'jobless' WHERE row_number = 1")
    con.close()
    params = suite_params(AS_OF, load_ruleset(), tmp_path / "source", RUN_DATE)
    tables = tuple(TABLES_BY_NAME[t] for t in ("communities", "residents", "labour_registry"))
    outcomes = validate_warehouse(build, params, tables)
    failing = {(rule_id, e.unexpected) for o in outcomes.values() for rule_id, e in o.expectations.items()
               if not e.success}
    assert failing == {
        ("residents/pattern/person_id", 1),  # '12345'
        ("residents/not_null/name", 1),
        ("residents/in_set/gender", 1),  # '9'
        ("residents/plausible_date/birth_date", 1),  # 1850
        ("residents/known_community/community_code", 1),
        ("residents/unique_key/person_id", 2),  # both rows of the repeated person
        ("labour_registry/in_set/labour_status", 1),  # 'jobless'
    }
    con = duckdb.connect(str(build), read_only=True)
    counts = rule_counts(con, params)
    shown = examples_gathered_as_queried(con, params)
    con.close()
    assert shown["residents/unique_key/person_id"] == [
        f"row {n}: {mask_id(first)}" for n in (first_row, 91)]  # both rows of the repeated person
    sums = dict(counts.filter(pl.col("table").is_in([t.name for t in tables])).group_by("rule_id").agg(
        pl.col("unexpected").sum()).iter_rows())
    assert {rule_id: e.unexpected for o in outcomes.values() for rule_id, e in o.expectations.items()
            if rule_id in sums} == sums
    # GX opened the file read-only and closed it: a writer with another configuration can open it now
    writer = duckdb.connect(str(build), config={"memory_limit": "1GB"})
    assert writer.execute("SELECT count(*) FROM stg_residents").fetchall() == [(8,)]
    writer.close()


def test_every_table_was_validated(defective):
    assert set(defective.outcomes) == {t.name for t in TABLES}
    assert defective.tables["dq_validations"].height == len(TABLES)


def test_unique_keys_are_counted_as_gx_own_uniqueness_expectations_count_them(tmp_path):
    """The unique-key rules run as one hash aggregate (checks/suites.py unexpected_rows_query), not
    as GX's ExpectColumnValuesToBeUnique / ExpectCompoundColumnsToBeUnique: the same rows where
    the key is filled; empty key parts match each other, as in the per-community counts, and
    wholly empty keys are skipped."""
    import great_expectations.expectations as gxe

    build = tmp_path / "warehouse.duckdb"
    stage_into(clean_source().write(tmp_path / "source"), build)
    con = duckdb.connect(str(build))
    first = con.execute("SELECT person_id FROM stg_residents ORDER BY row_number LIMIT 1").fetchall()[0][0]
    con.execute("INSERT INTO stg_residents BY NAME SELECT * REPLACE (91 AS row_number) FROM stg_residents "
                "WHERE person_id = ?", [first])
    con.execute("INSERT INTO stg_residents BY NAME SELECT * REPLACE (NULL AS person_id, 92 + row_number AS row_number)"
                " FROM stg_residents ORDER BY row_number LIMIT 2")  # two rows without a key: not duplicates
    one = "SELECT * FROM stg_platform_assessments ORDER BY row_number LIMIT 1"
    con.execute(f"INSERT INTO stg_platform_assessments BY NAME SELECT * REPLACE (81 AS row_number) FROM ({one})")
    for row_number in (82, 83):  # a key half empty, twice: a duplicate
        con.execute(f"INSERT INTO stg_platform_assessments BY NAME SELECT * REPLACE (NULL AS community_code, "
                    f"{row_number} AS row_number) FROM ({one})")
    for row_number in (84, 85):  # a wholly empty key, twice: skipped
        con.execute(f"INSERT INTO stg_platform_assessments BY NAME SELECT * REPLACE (NULL AS community_code, "
                    f"NULL AS year, {row_number} AS row_number) FROM ({one})")
    con.close()
    params = suite_params(AS_OF, load_ruleset(), tmp_path / "source", RUN_DATE)
    tables = tuple(TABLES_BY_NAME[t] for t in ("residents", "platform_assessments"))
    ours = {rule_id: e.unexpected for o in validate_warehouse(build, params, tables).values()
            for rule_id, e in o.expectations.items() if "/unique_key/" in rule_id}
    assert ours == {"residents/unique_key/person_id": 2, "platform_assessments/unique_key/community_code,year": 4}
    con = duckdb.connect(str(build), read_only=True)
    counts = rule_counts(con, params)
    assert examples_gathered_as_queried(con, params)["platform_assessments/unique_key/community_code,year"] == [
        f"row {n}: {A};2020" for n in (1, 81)] + ["row 82: ;2020"]  # the first three of the four rows
    con.close()
    per_community = dict(counts.filter(pl.col("rule_id").is_in(list(ours))).group_by("rule_id").agg(
        pl.col("unexpected").sum()).iter_rows())
    assert per_community == ours

    with gx_batches(build) as batch:
        theirs = {table: batch(f"stg_{table}").validate(expectation).result["unexpected_count"]
                  for table, expectation in (
                      ("residents", gxe.ExpectColumnValuesToBeUnique(column="person_id")),
                      ("platform_assessments",
                       gxe.ExpectCompoundColumnsToBeUnique(column_list=["community_code", "year"])),
                  )}
    # GX's compound expectation joins the rows back to their key's count with `=`, so the two rows
    # whose community_code is empty are not counted: only the filled pair is
    assert theirs == {"residents": 2, "platform_assessments": 2}
