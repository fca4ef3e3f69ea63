"""Where one run's time went: each step's wall time and the memory reached, per stage.

Read back from the run's own event log (an ephemeral instance keeps it in memory), so the
figures come from the very run a user made, with no second run and no profiler attached.
`fec evaluate --stats FILE` writes them; the benchmark reads that file.
"""

from __future__ import annotations

import dagster as dg

# the asset groups, in the order a run passes through them; the two blocking checks belong to
# staging (they read staging_counts), the GX warning checks to quality
STAGES: tuple[str, ...] = ("ingest", "staging", "quality", "indicators", "results", "publish")
BLOCKING_CHECK_NAMES = frozenset({"required_table_emptied", "quarantine_share"})


def stage_of_steps(defs: dg.Definitions) -> dict[str, str]:
    """Step key -> stage, from the asset groups of the definitions."""
    stages: dict[str, str] = {}
    for definition in defs.assets or []:
        groups = set(definition.group_names_by_key.values())
        if len(groups) == 1 and hasattr(definition, "node_def"):
            stages[definition.node_def.name] = groups.pop()
    for checks in defs.asset_checks or []:
        names = {key.name for key in checks.check_keys}
        stages[checks.node_def.name] = "staging" if names <= BLOCKING_CHECK_NAMES else "quality"
    return stages


def run_stats(instance: dg.DagsterInstance, run_id: str, defs: dg.Definitions) -> dict[str, object]:
    """Per step: stage, seconds and the process's peak RSS reported by its materialisations;
    per stage: the sums of seconds and the highest peak."""
    stage_of = stage_of_steps(defs)
    steps: dict[str, dict[str, object]] = {}
    for stats in instance.get_run_step_stats(run_id):
        steps[stats.step_key] = {
            "step": stats.step_key,
            "stage": stage_of.get(stats.step_key, "quality"),
            "seconds": round((stats.end_time or 0) - (stats.start_time or 0), 3),
            "peak_rss_mb": None,
        }
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        event = record.dagster_event
        peak = event.step_materialization_data.materialization.metadata.get("peak_rss_mb") if event else None
        step = steps.get(event.step_key or "") if event else None
        if peak is not None and step is not None:
            step["peak_rss_mb"] = max(float(peak.value), step["peak_rss_mb"] or 0.0)
    stages: dict[str, dict[str, float | None]] = {s: {"seconds": 0.0, "peak_rss_mb": None} for s in STAGES}
    for step in steps.values():
        stage = stages.setdefault(str(step["stage"]), {"seconds": 0.0, "peak_rss_mb": None})
        stage["seconds"] = round(float(stage["seconds"] or 0) + float(step["seconds"]), 3)
        if step["peak_rss_mb"] is not None:
            stage["peak_rss_mb"] = max(float(step["peak_rss_mb"]), stage["peak_rss_mb"] or 0.0)
    return {"run_id": run_id, "steps": list(steps.values()), "stages": stages}
