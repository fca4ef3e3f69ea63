"""The suites are built from the contract specs and the ruleset, not written by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from assets.ingest.contract import TABLES, TABLES_BY_NAME, ColumnType
from assets.ruleset import load_ruleset
from checks.suites import SuiteParams, all_rules, build_suite, suite_name, table_rules
from tests.fixtures.evaluate import ruleset_variant

RULES = load_ruleset()
PARAMS = SuiteParams(dt.date(2020, 12, 31), dt.date(2021, 1, 6), RULES.six_clear_unemployed, RULES.six_clear_other)


def names(table: str, params: SuiteParams = PARAMS) -> dict[str, set[str | None]]:
    by_name: dict[str, set[str | None]] = {}
    for rule in table_rules(TABLES_BY_NAME[table], params):
        by_name.setdefault(str(rule.name), set()).add(rule.column)
    return by_name


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.name)
def test_every_table_gets_its_contract_rules(spec):
    rules = names(spec.name)
    required = {c.name for c in spec.columns if c.required}
    assert rules["not_null"] == required
    assert [r.key for r in table_rules(spec, PARAMS) if r.name == "required_columns"] == [
        tuple(c.name for c in spec.columns if c.required)]
    assert rules.get("in_set", set()) == {c.name for c in spec.columns if c.enum}
    assert rules.get("plausible_date", set()) == {c.name for c in spec.columns if c.type is ColumnType.DATE}
    assert rules.get("pattern", set()) == {c.name for c in spec.columns if c.type in (
        ColumnType.PERSON_ID, ColumnType.COMMUNITY_CODE, ColumnType.STREET_CODE, ColumnType.COUNTY_CODE)}
    assert rules.get("unique_key", set()) == ({",".join(spec.key)} if spec.key else set())
    assert rules.get("known_community", set()) == (set() if spec.name == "communities" else {"community_code"})
    ids = [r.id for r in table_rules(spec, PARAMS)]
    assert len(ids) == len(set(ids))


def test_references_and_six_clear_rules_sit_on_their_tables():
    with_person_reference = {t for t, rules in all_rules(PARAMS).items() if any(
        r.name == "registered_person" for r in rules)}
    assert with_person_reference == {"unemployment_registrations", "service_logs"}
    assert names("labour_registry")["six_clear_field"] == set(RULES.six_clear_unemployed)
    assert names("labour_registry")["six_clear_complete"] == {None}


def test_six_clear_scopes_follow_the_ruleset_lists():
    scopes = {r.column: r.scope_sql for r in table_rules(TABLES_BY_NAME["labour_registry"], PARAMS)
              if r.name == "six_clear_field"}
    registered = "\"registered_on\" <= DATE '2020-12-31'"
    assert scopes["family_situation"] == registered  # in both lists: every person
    assert scopes["job_intention"] == f"{registered} AND \"labour_status\" = 'unemployed'"  # unemployed only


def test_a_ruleset_that_asks_less_checks_less(tmp_path):
    path = ruleset_variant(tmp_path, "lenient", (
        'other = ["family_situation", "vocational_skill", "employment_status", "social_security_status"]',
        'other = ["family_situation"]'))
    lenient = load_ruleset(path)
    params = SuiteParams(PARAMS.as_of, PARAMS.extracted_on, lenient.six_clear_unemployed, lenient.six_clear_other)
    rules = {r.column: r for r in table_rules(TABLES_BY_NAME["labour_registry"], params)
             if r.name in ("six_clear_field", "six_clear_complete")}
    assert rules["vocational_skill"].scope_sql.endswith("\"labour_status\" = 'unemployed'")
    assert rules[None].complete_otherwise == ("family_situation",)


def test_dates_after_extraction_are_implausible_except_scheduled_ones():
    dates = {(r.table, r.column): (r.earliest, r.latest) for rules in all_rules(PARAMS).values() for r in rules
             if r.name == "plausible_date"}
    assert dates[("service_logs", "service_date")] == (dt.date(1900, 1, 1), dt.date(2021, 1, 6))
    assert dates[("guarantee_loans", "repaid_on")] == (dt.date(1900, 1, 1), dt.date(2021, 1, 6))
    assert dates[("guarantee_loans", "due_on")] == (dt.date(1900, 1, 1), None)  # a due date lies ahead


def test_the_gx_suite_holds_one_warning_expectation_per_rule():
    suite = build_suite(TABLES_BY_NAME["labour_registry"], PARAMS)
    rules = table_rules(TABLES_BY_NAME["labour_registry"], PARAMS)
    assert suite.name == suite_name("labour_registry") == "stg_labour_registry"
    assert [e.meta["rule"] for e in suite.expectations] == [r.id for r in rules]
    assert {str(e.severity.value) for e in suite.expectations} == {"warning"}
    complete = next(e for e in suite.expectations if e.meta["rule"] == "labour_registry/six_clear_complete/")
    assert complete.unexpected_rows_query.startswith('SELECT "row_number" FROM {batch} WHERE ')


def test_loading_the_definitions_does_not_import_gx():
    import subprocess
    import sys

    from tests.conftest import REPO

    done = subprocess.run(
        [sys.executable, "-c", "import sys, pipelines.definitions, pipelines.cli; "
         "print('great_expectations' in sys.modules)"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "False"), done.stderr
