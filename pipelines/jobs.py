"""Jobs over the as_of-partitioned graph."""

from __future__ import annotations

import dagster as dg

EVALUATION_JOB = "evaluation"

evaluation_job = dg.define_asset_job(
    EVALUATION_JOB,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Ingest → staging (blocking checks) → indicators → results → publish, for one as_of.",
)

JOBS = [evaluation_job]
