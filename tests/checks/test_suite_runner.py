"""The GX side process: same verdicts as validating in the test process, and a clean life cycle."""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest

from assets.ingest.contract import TABLES_BY_NAME
from assets.staging.store import staged_parquet_files
from checks.suite_runner import (
    SuiteRunError,
    SuiteRunner,
    outcomes_from_json,
    outcomes_to_json,
    params_from_json,
    params_to_json,
    request,
    run_suites,
)
from checks.validate import duckdb_connect_args, validate_warehouse
from pipelines.resources import AT_QUALITY_STEP, EARLY, QualitySuitesResource


def test_params_and_outcomes_survive_their_json(staged):
    folder, _, params = staged
    assert params_from_json(json.loads(json.dumps(params_to_json(params)))) == params
    outcomes = validate_warehouse(folder / "tables.duckdb", params)
    assert outcomes_from_json(json.loads(json.dumps(outcomes_to_json(outcomes)))) == outcomes


def test_gx_connection_takes_the_memory_limit_and_thread_count(tmp_path):
    assert duckdb_connect_args(None, None) == {"read_only": True}
    # a worker's views file, written by GX's connection and made anew for every request
    assert duckdb_connect_args(None, None, read_only=False) == {
        "read_only": False, "config": {"fsync_mode": "NONE", "force_compression": "uncompressed"}}
    duckdb.connect(tmp_path / "w.duckdb").close()
    with duckdb.connect(tmp_path / "w.duckdb", **duckdb_connect_args("1GB", 1)) as con:
        threads, limit, read_only = con.execute(
            "SELECT current_setting('threads'), current_setting('memory_limit'), current_setting('access_mode')"
        ).fetchone()
    assert (threads, read_only) == (1, "read_only")
    assert limit.replace(" ", "") in {"1GB", "953.6MiB"}  # DuckDB shows 1GB in binary units


def test_one_duckdb_thread_finds_what_the_default_finds(staged):
    folder, _, params = staged
    verdicts = {t: {r: (e.success, e.unexpected) for r, e in o.expectations.items()}
                for t, o in validate_warehouse(folder / "tables.duckdb", params).items()}
    single = validate_warehouse(folder / "tables.duckdb", params, memory_limit="1GB", threads=1)
    assert {t: {r: (e.success, e.unexpected) for r, e in o.expectations.items()} for t, o in single.items()} == verdicts
    assert any(not success for rules in verdicts.values() for success, _ in rules.values())


def test_the_side_process_finds_what_validation_here_finds(staged, monkeypatch):
    folder, build, params = staged
    here = validate_warehouse(folder / "tables.duckdb", params)
    monkeypatch.setenv("FEC_GX_WORKERS", "3")  # the side process and two forked workers share the tables
    there = run_suites(staged_parquet_files(build / "tables"), params, build)
    assert list(there) == list(TABLES_BY_NAME)  # every table, in the contract's order
    assert not list(build.glob("*.worker*.json"))  # the forked workers' answers are cleaned up
    verdicts = {t: {r: (e.success, e.unexpected) for r, e in o.expectations.items()} for t, o in here.items()}
    assert {t: {r: (e.success, e.unexpected) for r, e in o.expectations.items()} for t, o in there.items()} == verdicts
    failing = {r for o in there.values() for r, e in o.expectations.items() if not e.success}
    assert "unemployment_registrations/registered_person/person_id" in failing  # the planted unregistered person
    # each process that took a table made its views in a file of its own (one may have taken none)
    views = {p.name for p in build.glob("suite_views.*.duckdb")}
    assert views and views <= {f"suite_views.{n}.duckdb" for n in range(3)}


def test_a_side_process_exits_when_its_run_closes_the_pipe():
    runner = SuiteRunner()
    assert runner.process.stdin is not None
    runner.process.stdin.close()
    assert runner.process.wait(timeout=60) == 0
    runner.close()


def test_one_side_process_serves_run_after_run(staged):
    _, build, params = staged
    files = staged_parquet_files(build / "tables")
    runner = SuiteRunner()
    try:
        runner.submit(files, params, build)
        first = runner.collect()
        runner.begin(params, build)  # as staging hands them over, one at a time
        for table, path in files.items():
            runner.add(table, path)
        with pytest.raises(RuntimeError, match="handed over whole"):
            runner.collect()
        runner.end()
        assert runner.request == request(files, params, build)
        second = runner.collect()
        assert {t: o.expectations for t, o in second.items()} == {t: o.expectations for t, o in first.items()}
        assert runner.alive
    finally:
        runner.close()
    assert not runner.alive


def test_a_failing_side_process_is_a_clear_error(tmp_path, staged):
    _, _, params = staged
    missing = {"residents": tmp_path / "nowhere" / "stg_residents.parquet"}
    with pytest.raises(SuiteRunError, match="the GX side process failed") as err:
        run_suites(missing, params, tmp_path)
    assert "stg_residents.parquet" in str(err.value).splitlines()[0]  # the line the CLI prints names the cause


def test_the_resource_collects_the_early_request_and_validates_anew_otherwise(staged, monkeypatch):
    _, build, params = staged
    files = staged_parquet_files(build / "tables")
    resource = QualitySuitesResource()
    resource._runner = SuiteRunner()
    try:
        assert resource.submit(files, params, build)
        assert not resource.submit(files, params, build)  # one request per run
        outcomes, how = resource.outcomes(files, params, build)
        assert how == EARLY and set(outcomes) == set(TABLES_BY_NAME)
    finally:
        resource._runner.close()
    later = dict(params_to_json(params), as_of="2020-06-30")
    early = SuiteRunner()
    resource._runner = early
    try:
        resource.submit(files, params, build)
        other, how = resource.outcomes(files, params_from_json(later), build)  # not what was submitted
        assert how == AT_QUALITY_STEP and set(other) == set(TABLES_BY_NAME)
        assert not early.alive and resource._runner is None  # stopped: it held the same build folder
    finally:
        early.close()


def test_request_names_the_files_and_where_the_side_process_writes(tmp_path, staged):
    _, _, params = staged
    job = request({"residents": Path("/x/stg_residents.parquet")}, params, tmp_path)
    assert job["tables"] == {"residents": "/x/stg_residents.parquet"}
    assert job["folder"] == str(tmp_path)
    assert job["result"] == str(tmp_path / "suite_outcomes.json")


def _children(pid: int) -> list[int]:
    """The processes `pid` forked (from its main thread, as the side process forks its workers)."""
    return [int(child) for child in (Path("/proc") / str(pid) / "task" / str(pid) / "children").read_text().split()]


def _gone(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"  # a zombie no longer runs


def test_a_forked_worker_ends_with_the_side_process_that_the_run_stops(staged, monkeypatch):
    _, build, params = staged
    monkeypatch.setenv("FEC_GX_WORKERS", "2")
    runner = SuiteRunner()
    try:
        runner.submit(staged_parquet_files(build / "tables"), params, build)
        deadline = time.monotonic() + 60
        while not (workers := _children(runner.process.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert workers, "the side process never forked a worker"
    finally:
        runner.close()  # a run that stops kills its side process mid-request
    deadline = time.monotonic() + 1  # its tables take seconds: a worker left running would outlive this
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in workers)


def test_the_resource_streams_tables_and_a_request_left_open_is_not_collected(staged):
    """Staging hands the tables over one by one; one that failed half-way left its request open:
    the quality step then validates anew rather than wait for an answer that never comes."""
    _, build, params = staged
    files = staged_parquet_files(build / "tables")
    resource = QualitySuitesResource()
    resource._runner = SuiteRunner()
    try:
        assert resource.begin(params, build)
        assert not resource.begin(params, build)  # one request per run
        for table, path in files.items():
            resource.add(table, path)
        resource.end()
        outcomes, how = resource.outcomes(files, params, build)
        assert how == EARLY and set(outcomes) == set(TABLES_BY_NAME)
    finally:
        resource._runner.close()
    half_way = SuiteRunner()
    resource._runner = half_way
    try:
        assert resource.begin(params, build)
        resource.add("communities", files["communities"])
        outcomes, how = resource.outcomes(files, params, build)
        assert how == AT_QUALITY_STEP and set(outcomes) == set(TABLES_BY_NAME)
        assert not half_way.alive and resource._runner is None
    finally:
        half_way.close()
