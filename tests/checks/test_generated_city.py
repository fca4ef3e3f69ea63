"""The quality tables on generated cities: every planted defect shows with its planted count, and a
city generated without defects passes every check."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from generator import DefectRates, generate_city
from tests.checks.conftest import run_quality

QUARANTINE_REASONS = ("invalid_id", "id_mismatch", "unknown_community", "missing_value", "unparseable", "bad_enum",
                      "conflicting_duplicates")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("planted")
    summary = generate_city(folder / "src", scale=20_000, seed=7)
    return summary, run_quality(folder / "src", folder / "build.duckdb")


def test_every_planted_quarantine_defect_is_counted_per_table(planted):
    summary, run = planted
    found = run.rows('SELECT "table", split_part(reason, \':\', 1) AS code, count(*) AS n FROM quarantine GROUP BY ALL')
    counted = {(r["table"], r["code"]): r["n"] for r in found}
    expected = {(table, code): n for table, kinds in summary.planted_defects_by_table.items()
                for code, n in kinds.items() if code in QUARANTINE_REASONS and n}
    assert counted == expected
    assert {code for _, code in counted} == set(QUARANTINE_REASONS)


def test_identical_copies_are_counted_not_quarantined(planted):
    summary, run = planted
    copies = {r["table"]: r["identical_copies"] for r in run.rows("SELECT * FROM staging_counts")}
    planted_copies = {t: k["identical_duplicates"] for t, k in summary.planted_defects_by_table.items()
                      if k.get("identical_duplicates")}
    assert {t: copies[t] for t in planted_copies} == planted_copies
    for r in run.rows("SELECT * FROM staging_counts"):
        assert r["input_rows"] == r["used_rows"] + r["identical_copies"] + r["quarantined_rows"]


def test_blank_six_clear_fields_show_in_the_completeness_tables(planted):
    summary, run = planted
    community = run.tables["dq_community"].filter(pl.col("community_code").is_not_null())
    incomplete = int((community["six_clear_rows"] - community["six_clear_complete"]).sum())
    assert incomplete == summary.planted_defects["blank_six_clear"]
    check = run.result("labour_registry", "six_clear_complete", None)
    assert (check["success"], check["unexpected"]) == (False, incomplete)


def test_a_city_without_defects_passes_every_check(tmp_path):
    clean = DefectRates(**{f.name: 0 for f in dataclasses.fields(DefectRates)})
    generate_city(tmp_path / "src", scale=5_000, seed=11, defects=clean)
    run = run_quality(tmp_path / "src", tmp_path / "build.duckdb")
    assert run.rows("SELECT count(*) AS n FROM quarantine") == [{"n": 0}]
    assert run.failures() == set()
