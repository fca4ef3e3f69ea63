"""The Dagster definitions load, hold the whole graph in one job, and materialise a partition."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import dagster as dg
import duckdb

from assets.ingest.contract import TABLES
from pipelines.definitions import build_definitions, defs
from pipelines.jobs import EVALUATION_JOB
from pipelines.partitions import AS_OF_PARTITIONS_NAME
from pipelines.resources import SourceResource, WarehouseResource
from tests.conftest import REPO
from tests.fixtures.sources import COMMUNITY, add_application, star_community


def test_graph_has_every_layer_in_its_group():
    groups = {}
    for spec in defs.resolve_all_asset_specs():
        groups.setdefault(spec.group_name, set()).add(spec.key.to_user_string())
    assert {"raw_residents", "raw_fraud_findings"} <= groups["ingest"]
    assert {"stg_residents", "quarantine", "staging_counts"} <= groups["staging"]
    assert {"labour_resource", "registered_unemployed", "certificate_groups", "community_indicators"} <= groups[
        "indicators"]
    assert groups["results"] == {
        "community_criteria", "community_results", "county_summary", "worklist", "application_workflow"}
    assert groups["publish"] == {"served_snapshot"}
    assert groups["quality"] == {"dq_results", "dq_community", "dq_six_clear_fields", "dq_validations"}
    check_names = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert check_names == {"required_table_emptied", "quarantine_share", *(f"gx_stg_{t.name}" for t in TABLES)}


def test_dagster_definitions_validate_loads_the_project():
    env = os.environ | {"DAGSTER_HOME": ""}
    env.pop("DAGSTER_HOME")
    done = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-m", "pipelines.definitions"],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation successful" in done.stdout + done.stderr


def test_job_materialises_a_partition_in_process(tmp_path):
    source = star_community()
    add_application(source, "star")
    warehouse = WarehouseResource(root=str(tmp_path / "wh"))
    job_defs = build_definitions(warehouse=warehouse, source=SourceResource(path=str(source.write(tmp_path / "s"))))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(AS_OF_PARTITIONS_NAME, ["2020-09-30"])
    result = job_defs.resolve_job_def(EVALUATION_JOB).execute_in_process(partition_key="2020-09-30", instance=instance)
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"required_table_emptied": True, "quarantine_share": True, **{
        f"gx_stg_{t.name}": True for t in TABLES}}
    materialised = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    expected = {"raw_residents", "stg_residents", "community_indicators", "county_summary", "served_snapshot"}
    assert expected <= materialised
    con = duckdb.connect(str(warehouse.served_path), read_only=True)
    rows = con.execute("SELECT as_of, community_code, qualified_tier FROM community_results").fetchall()
    con.close()
    assert rows == [(dt.date(2020, 9, 30), COMMUNITY, "star")]
