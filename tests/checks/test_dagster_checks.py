"""The GX suites inside the real job: warnings on the staged assets that never stop publication."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import duckdb
import pytest

from assets.ingest.contract import TABLES
from assets.ruleset import load_ruleset
from assets.staging.idcard import mask_id
from checks.assets import gx_check_name
from checks.docs import DataDocsError, build_data_docs
from checks.suites import all_rules, extraction_date, suite_params
from pipelines.definitions import build_definitions
from pipelines.jobs import EVALUATION_JOB
from pipelines.partitions import AS_OF_PARTITIONS_NAME
from pipelines.resources import EARLY, SourceResource, WarehouseResource
from tests.checks.sources import EXTRACTED_ON, defective_source, person, write_with_manifest

AS_OF = "2020-12-31"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dagster")
    warehouse = WarehouseResource(root=str(folder / "wh"))
    source = write_with_manifest(defective_source(), folder / "source")
    defs = build_definitions(warehouse=warehouse, source=SourceResource(path=str(source), year=2020))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(AS_OF_PARTITIONS_NAME, [AS_OF])
    result = defs.resolve_job_def(EVALUATION_JOB).execute_in_process(partition_key=AS_OF, instance=instance)
    return result, warehouse, folder


def test_failed_expectations_warn_and_the_run_still_publishes(run):
    result, warehouse, folder = run
    assert result.success
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert set(checks) == {"required_table_emptied", "quarantine_share", *(gx_check_name(t.name) for t in TABLES)}
    warned = {name for name, e in checks.items() if not e.passed}
    assert warned == {gx_check_name(t) for t in (
        "labour_registry", "unemployment_registrations", "service_logs", "complaints")}
    assert {checks[name].severity for name in warned} == {dg.AssetCheckSeverity.WARN}
    assert not any(checks[name].blocking for name in warned)
    spells = checks[gx_check_name("unemployment_registrations")]
    assert spells.description == "stg_unemployment_registrations: 1 of 14 expectations failed: registered_person " \
        "person_id: 1 rows"
    assert spells.metadata["registered_person/person_id"].value == 1
    failures = spells.metadata["failures"].value
    assert f"row 3: RD3;{mask_id(person(5))}" in failures and person(5) not in failures
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{warehouse.served_path}' AS s (READ_ONLY)")
    published = {t: con.execute(f"SELECT count(*), min(as_of), max(as_of) FROM s.{t}").fetchall()[0]
                  for t in ("dq_results", "dq_community", "dq_six_clear_fields", "dq_validations")}
    six_clear = con.execute("SELECT unexpected FROM s.dq_results WHERE expectation = 'six_clear_complete' "
                            "AND community_code IS NULL").fetchall()
    con.close()
    day = dt.date(2020, 12, 31)
    expectations = sum(len(rules) for rules in all_rules(suite_params(day, load_ruleset(), folder, day)).values())
    # every expectation once, plus the nine (expectation, community) failures of the planted defects
    assert published == {"dq_results": (expectations + 9, day, day), "dq_community": (3, day, day),
                         "dq_six_clear_fields": (12, day, day), "dq_validations": (17, day, day)}
    assert six_clear == [(2,)]


def test_data_docs_render_the_published_validations_without_ids(run, tmp_path):
    _, warehouse, _ = run
    index = build_data_docs(warehouse.served_path, tmp_path / "docs")
    assert index == tmp_path / "docs" / "index.html"
    pages = {p.relative_to(tmp_path / "docs").parts[1] for p in (tmp_path / "docs" / "validations").rglob("*.html")}
    assert pages == {f"stg_{t.name}" for t in TABLES}
    registry = next((tmp_path / "docs" / "validations" / "stg_labour_registry").rglob("*.html")).read_text("utf-8")
    assert "six clear: every row registered by 2020-12-31 has all required six-clear fields" in registry
    html = "".join(p.read_text("utf-8") for p in (tmp_path / "docs").rglob("*.html"))
    assert person(1) not in html and person(5) not in html
    with pytest.raises(DataDocsError, match="no stored validation"):
        build_data_docs(warehouse.served_path, tmp_path / "other", as_of=dt.date(2020, 6, 30))


def test_extraction_date_comes_from_the_manifest_else_the_run_date(run, tmp_path):
    _, _, folder = run
    assert extraction_date(folder / "source", dt.date(2030, 1, 1)) == EXTRACTED_ON
    assert extraction_date(tmp_path, dt.date(2030, 1, 1)) == dt.date(2030, 1, 1)
    (tmp_path / "manifest.json").write_text('{"year": 2020}', encoding="utf-8")
    assert extraction_date(tmp_path, dt.date(2030, 1, 1)) == dt.date(2030, 1, 1)


def test_the_suites_validate_in_the_side_process_while_the_indicators_run(run):
    result, _, _ = run
    order = [event.step_key for event in result.get_step_success_events()]
    before_quality = ("community_indicators", "community_criteria", "community_results", "county_summary", "worklist")
    assert order.index("quality_tables") > max(order.index(step) for step in before_quality)
    dq_results = next(m for m in result.asset_materializations_for_node("quality_tables")
                      if m.asset_key == dg.AssetKey("dq_results"))
    assert dq_results.metadata["validated_by"].value == EARLY
