"""The one Dagster Definitions object: `dagster dev` and `fec evaluate` load the same graph."""

from __future__ import annotations

import dagster as dg

from assets.indicators.assets import community_indicators, evaluation_sets
from assets.ingest.assets import raw_tables
from assets.publish.assets import served_snapshot
from assets.results.assets import (
    application_workflow,
    community_criteria,
    community_results,
    county_summary,
    worklist,
)
from assets.staging.assets import staged_tables
from checks.assets import QUALITY_CHECKS, quality_tables
from checks.blocking import BLOCKING_CHECKS
from pipelines.jobs import JOBS, SCHEDULES, SENSORS
from pipelines.resources import QualitySuitesResource, RulesetResource, SourceResource, WarehouseResource

ALL_ASSETS = [
    raw_tables,
    staged_tables,
    evaluation_sets,
    community_indicators,
    community_criteria,
    community_results,
    county_summary,
    worklist,
    application_workflow,
    quality_tables,
    served_snapshot,
]


def build_definitions(
    warehouse: WarehouseResource | None = None,
    source: SourceResource | None = None,
    ruleset: RulesetResource | None = None,
    quality_suites: QualitySuitesResource | None = None,
) -> dg.Definitions:
    return dg.Definitions(
        assets=ALL_ASSETS,
        asset_checks=[*BLOCKING_CHECKS, *QUALITY_CHECKS],
        jobs=JOBS,
        # one writer per DuckDB build file: steps must not run in parallel processes, whichever job
        # (including the UI's "Materialize all") starts them
        executor=dg.in_process_executor,
        schedules=SCHEDULES,
        sensors=SENSORS,
        resources={
            "warehouse": warehouse or WarehouseResource(),
            "source": source or SourceResource(),
            "ruleset": ruleset or RulesetResource(),
            "quality_suites": quality_suites or QualitySuitesResource(),
        },
    )


defs = build_definitions()
