"""`fec evaluate`: one in-process Dagster run of the evaluation job, then the contract's CSVs."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.cli import EXIT_BLOCKED, EXIT_FAILURE, EXIT_FATAL, EXIT_OK

if TYPE_CHECKING:  # Dagster is imported only when a run starts, to keep `fec --help` fast
    from pipelines.resources import RulesetResource, SourceResource, WarehouseResource


@dataclass(frozen=True)
class RunOutcome:
    exit_status: int
    message: str = ""


def quiet_dagster() -> None:
    """The CLI's standard error is for one-line verdicts; Dagster's own notices stay out of it."""
    import dagster as dg

    for category in (dg.PreviewWarning, dg.BetaWarning, dg.SupersessionWarning):
        warnings.filterwarnings("ignore", category=category)


def _instance():
    import dagster as dg

    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def run_evaluation_job(warehouse: WarehouseResource, source: SourceResource, ruleset: RulesetResource, as_of: str,
                       verbose: bool = False, stats: dict | None = None) -> RunOutcome:
    """Materialise the whole graph for partition `as_of` and classify how it ended. `stats`, when
    given, receives the run's per-step and per-stage figures (pipelines/run_stats.py)."""
    from pipelines.definitions import build_definitions
    from pipelines.jobs import EVALUATION_JOB
    from pipelines.partitions import ensure_as_of_partition
    from pipelines.run_stats import run_stats

    defs = build_definitions(warehouse=warehouse, source=source, ruleset=ruleset)
    instance = _instance()
    ensure_as_of_partition(instance, as_of)
    run_config = {} if verbose else {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    result = defs.resolve_job_def(EVALUATION_JOB).execute_in_process(
        partition_key=as_of, instance=instance, raise_on_error=False, run_config=run_config
    )
    if stats is not None:
        stats.update(run_stats(instance, result.run_id, defs))
    if result.success:
        return RunOutcome(EXIT_OK)
    for event in result.get_step_failure_events():
        data = event.step_failure_data
        user = data.user_failure_data if data else None
        status = user.metadata.get("exit_status") if user is not None else None
        if status is not None and status.value == EXIT_FATAL:
            return RunOutcome(EXIT_FATAL, f"fatal: {user.description}")
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed and evaluation.blocking:
            return RunOutcome(EXIT_BLOCKED, f"blocked: {evaluation.check_name}: {evaluation.description}")
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error if event.step_failure_data else None
        if error is not None:
            cause = error.cause or error
            return RunOutcome(EXIT_FAILURE, f"error in {event.step_key}: {cause.cls_name}: {cause.message.strip()}")
    return RunOutcome(EXIT_FAILURE, "error: the evaluation run failed")


def evaluate_source(source_dir: Path, year: int, as_of: dt.date | None, rules: str | Path | None,
                    warehouse_root: Path | None, out: Path | None, verbose: bool = False,
                    stats: dict | None = None) -> RunOutcome:
    """Run the job on one source (a private build), publish, and write the CSVs into `out`."""
    from assets.results.export import export_outputs
    from assets.ruleset import RulesetError, load_ruleset
    from assets.warehouse import connect
    from pipelines import settings
    from pipelines.resources import RulesetResource, SourceResource, WarehouseResource

    try:
        ruleset = load_ruleset(rules or settings.rules())
    except RulesetError as err:
        return RunOutcome(EXIT_FAILURE, f"error: {err}")
    as_of = as_of or ruleset.official_as_of(year)
    if as_of < dt.date(year, 1, 1):
        return RunOutcome(EXIT_FAILURE, f"error: --as-of {as_of} is before the evaluation year {year} begins")
    root = Path(warehouse_root or settings.warehouse_dir()).resolve()
    # a private build, deleted below: nothing reads it after this process
    warehouse = WarehouseResource(root=str(root), build_name=f"cli-{uuid.uuid4().hex[:12]}", durable_build=False)
    source = SourceResource(path=str(source_dir.resolve()), year=year)
    build = warehouse.build_path(as_of.isoformat())
    try:
        outcome = run_evaluation_job(
            warehouse, source, RulesetResource(rules=str(ruleset.source)), as_of.isoformat(), verbose=verbose,
            stats=stats,
        )
        if outcome.exit_status == EXIT_OK and out is not None:
            started = time.perf_counter()
            with connect(build, durable=False) as con:
                export_outputs(con, out)
            if stats is not None:
                stats["export_seconds"] = round(time.perf_counter() - started, 3)
    finally:
        if not os.environ.get("FEC_KEEP_BUILD"):
            shutil.rmtree(build.parent, ignore_errors=True)
    if outcome.exit_status == EXIT_OK:
        official = as_of == ruleset.official_as_of(year)
        return RunOutcome(EXIT_OK, f"evaluated {year} as of {as_of}{'' if official else ' (provisional)'}")
    return outcome


def run_evaluate(args: argparse.Namespace) -> int:
    from checks.suite_runner import prestart

    prestart()  # GX loads in its side process while Dagster loads here
    quiet_dagster()
    stats: dict | None = {} if args.stats else None
    outcome = evaluate_source(args.source, args.year, args.as_of, args.rules, args.warehouse, args.out, args.verbose,
                              stats)
    if args.stats:
        args.stats.write_text(json.dumps(stats | {"exit_status": outcome.exit_status}, indent=1), encoding="utf-8")
    if outcome.exit_status != EXIT_OK:
        print(outcome.message.splitlines()[0], file=sys.stderr)
        return outcome.exit_status
    print(f"{outcome.message}: wrote {args.out}")
    return EXIT_OK


def run_backfill(args: argparse.Namespace) -> int:
    """Every month-end of the year from --from-month on (the last is the official date), one after
    another in this process."""
    from assets.staging import reuse
    from checks.suite_runner import prestart
    from pipelines.drops import month_ends

    prestart()  # one GX side process serves every run
    reuse.enable()  # and every run after the first links the tables the first one staged
    quiet_dagster()
    for as_of in month_ends(args.year)[args.from_month - 1:]:
        outcome = evaluate_source(args.source, args.year, as_of, args.rules, args.warehouse, None, args.verbose)
        if outcome.exit_status != EXIT_OK:
            print(outcome.message.splitlines()[0], file=sys.stderr)
            return outcome.exit_status
        print(outcome.message)
    return EXIT_OK
