"""Schedules and the inbox sensor, evaluated with Dagster's own test contexts."""

from __future__ import annotations

import datetime as dt
import json

import dagster as dg
import pytest

from pipelines.drops import month_end, month_ends, previous_month_end
from pipelines.jobs import monthly_refresh_schedule, q4_official_schedule, source_drop_sensor
from pipelines.partitions import AS_OF_PARTITIONS_NAME


def write_drop(inbox, name, manifest: dict | str | None):
    folder = inbox / name
    folder.mkdir(parents=True)
    (folder / "communities.csv").write_text("community_code\n", encoding="utf-8")
    if manifest is not None:
        text = manifest if isinstance(manifest, str) else json.dumps(manifest)
        (folder / "manifest.json").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    folder = tmp_path / "inbox"
    folder.mkdir()
    monkeypatch.setenv("FEC_INBOX_DIR", str(folder))
    monkeypatch.setenv("FEC_SOURCE_DIR", str(tmp_path / "source"))
    return folder


def test_month_end_arithmetic():
    assert month_end(dt.date(2020, 2, 10)) == dt.date(2020, 2, 29)
    assert previous_month_end(dt.date(2021, 1, 1)) == dt.date(2020, 12, 31)
    assert month_ends(2021)[1] == dt.date(2021, 2, 28)
    assert len(month_ends(2020)) == 12


@pytest.fixture
def instance():
    with dg.instance_for_test() as test_instance:
        yield test_instance


def test_monthly_schedule_evaluates_the_month_that_just_ended(inbox, tmp_path, instance):
    context = dg.build_schedule_context(instance=instance, scheduled_execution_time=dt.datetime(2020, 7, 1, 6))
    request = monthly_refresh_schedule(context)
    assert request.partition_key == "2020-06-30"
    assert request.run_config["resources"]["source"]["config"] == {"path": str(tmp_path / "source"), "year": 2020}
    assert instance.has_dynamic_partition(AS_OF_PARTITIONS_NAME, "2020-06-30")


def test_q4_schedule_runs_the_official_evaluation(inbox, instance):
    context = dg.build_schedule_context(instance=instance, scheduled_execution_time=dt.datetime(2020, 12, 31, 20))
    request = q4_official_schedule(context)
    assert (request.partition_key, request.run_key) == ("2020-12-31", "official-2020-12-31")
    assert q4_official_schedule.job_name == "official_evaluation"


def test_sensor_starts_one_run_per_complete_drop_and_never_twice(inbox):
    write_drop(inbox, "2020-06-extract", {"year": 2020, "as_of": "2020-06-30", "extracted_on": "2020-07-03"})
    write_drop(inbox, "2020-07-half-copied", None)
    write_drop(inbox, "2020-08-broken", '{"year": 2020, "as_of": "2020-08-31"')
    instance = dg.DagsterInstance.ephemeral()

    first = source_drop_sensor(dg.build_sensor_context(instance=instance))
    assert [(r.run_key, r.partition_key) for r in first.run_requests] == [("drop-2020-06-extract", "2020-06-30")]
    assert first.run_requests[0].run_config["resources"]["source"]["config"]["path"].endswith("2020-06-extract")
    assert json.loads(first.cursor) == ["2020-06-extract", "2020-08-broken"]
    assert [r.partition_keys for r in first.dynamic_partitions_requests] == [["2020-06-30"]]

    second = source_drop_sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor))
    assert second.run_requests == []
    assert second.skip_reason.skip_message == "no new drop"

    (inbox / "2020-07-half-copied" / "manifest.json").write_text(
        json.dumps({"year": 2020, "as_of": "2020-07-31", "extracted_on": "2020-08-02", "ruleset": "pingdingshan-2020"}),
        encoding="utf-8")
    third = source_drop_sensor(dg.build_sensor_context(instance=instance, cursor=second.cursor))
    assert [r.partition_key for r in third.run_requests] == ["2020-07-31"]
    assert third.run_requests[0].run_config["resources"]["ruleset"]["config"] == {"rules": "pingdingshan-2020"}


def test_sensor_reports_a_malformed_manifest_once(inbox):
    write_drop(inbox, "bad", {"year": 2020, "as_of": "2020-13-01", "extracted_on": "2020-07-03"})
    first = source_drop_sensor(dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral()))
    assert first.run_requests == []
    assert "bad" in first.skip_reason.skip_message and "month must be in 1..12" in first.skip_reason.skip_message
    again = source_drop_sensor(dg.build_sensor_context(instance=dg.DagsterInstance.ephemeral(), cursor=first.cursor))
    assert again.skip_reason.skip_message == "no new drop"
