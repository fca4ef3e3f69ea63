"""Jobs, schedules and the inbox sensor over the as_of-partitioned graph.

Every run evaluates one as_of: month-ends for year-round monitoring (provisional), the
ruleset's official date for the annual evaluation. Schedules are off by default; a data engineer
turns them on in the Dagster UI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import dagster as dg

from assets.ruleset import load_ruleset
from pipelines import settings
from pipelines.drops import previous_month_end, scan_inbox
from pipelines.partitions import as_of_partitions, ensure_as_of_partition

EVALUATION_JOB = "evaluation"
OFFICIAL_EVALUATION_JOB = "official_evaluation"

evaluation_job = dg.define_asset_job(
    EVALUATION_JOB,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Ingest → staging (blocking checks) → indicators → results → publish, for one as_of.",
)

official_evaluation_job = dg.define_asset_job(
    OFFICIAL_EVALUATION_JOB,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    tags={"fec/kind": "official"},
    description="The annual evaluation at the ruleset's official as_of (31 December by default).",
)


def _source_config(path: str, year: int, rules: str | None = None) -> dict:
    resources: dict = {"source": {"config": {"path": path, "year": year}}}
    if rules:
        resources["ruleset"] = {"config": {"rules": rules}}
    return {"resources": resources}


def _scheduled_run(context: dg.ScheduleEvaluationContext, as_of: dt.date, kind: str) -> dg.RunRequest:
    """A run of the configured source (FEC_SOURCE_DIR) for `as_of`, once per as_of and kind."""
    key = as_of.isoformat()
    ensure_as_of_partition(context.instance, key)
    return dg.RunRequest(
        run_key=f"{kind}-{key}", partition_key=key,
        run_config=_source_config(str(settings.source_dir()), as_of.year),
        tags={"fec/kind": kind},
    )


@dg.schedule(
    cron_schedule="0 6 1 * *",
    job=evaluation_job,
    execution_timezone="Asia/Shanghai",
    description="Monthly monitoring: on the 1st at 06:00, evaluate the month that just ended on the "
    "configured source (FEC_SOURCE_DIR). Provisional except at the official date.",
)
def monthly_refresh_schedule(context: dg.ScheduleEvaluationContext):
    return _scheduled_run(context, previous_month_end(context.scheduled_execution_time.date()), "monthly")


@dg.schedule(
    cron_schedule="0 20 31 12 *",
    job=official_evaluation_job,
    execution_timezone="Asia/Shanghai",
    description="The official annual evaluation (Q4): on 31 December at 20:00, evaluate the year at the "
    "ruleset's official as_of on the configured source.",
)
def q4_official_schedule(context: dg.ScheduleEvaluationContext):
    official = load_ruleset(settings.rules()).official_as_of(context.scheduled_execution_time.year)
    return _scheduled_run(context, official, "official")


def inbox_dir() -> Path:
    return Path(os.environ.get("FEC_INBOX_DIR", settings.DATA_DIR / "inbox"))


@dg.sensor(
    job=evaluation_job,
    minimum_interval_seconds=60,
    description="Starts one run per new source drop in the inbox (FEC_INBOX_DIR): a sub-folder whose "
    "manifest.json (written last) names year, as_of and extracted_on. A malformed manifest is reported "
    "once and not retried.",
)
def source_drop_sensor(context: dg.SensorEvaluationContext):
    seen = set(json.loads(context.cursor)) if context.cursor else set()
    ready, malformed = scan_inbox(inbox_dir(), seen)
    for name, reason in malformed:
        context.log.error(f"drop {name} skipped: {reason}")
    run_requests = [
        dg.RunRequest(
            run_key=f"drop-{drop.name}",
            partition_key=drop.as_of.isoformat(),
            run_config=_source_config(str(drop.folder), drop.year, drop.ruleset),
            tags={"fec/kind": "drop", "fec/drop": drop.name, "fec/extracted_on": drop.extracted_on.isoformat()},
        )
        for drop in ready
    ]
    new_keys = sorted({d.as_of.isoformat() for d in ready})
    cursor = json.dumps(sorted(seen | {d.name for d in ready} | {name for name, _ in malformed}))
    skip = None
    if not run_requests:
        skip = "no new drop" if not malformed else f"{len(malformed)} malformed drop(s): " + "; ".join(
            reason for _, reason in malformed)
    return dg.SensorResult(
        run_requests=run_requests,
        skip_reason=skip,
        cursor=cursor,
        dynamic_partitions_requests=[as_of_partitions.build_add_request(new_keys)] if new_keys else [],
    )


JOBS = [evaluation_job, official_evaluation_job]
SCHEDULES = [monthly_refresh_schedule, q4_official_schedule]
SENSORS = [source_drop_sensor]
