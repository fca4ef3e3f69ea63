"""Configuration of a run as Dagster resources: where the warehouse, the source and the rules are."""


import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field, PrivateAttr

from assets.evaluation import Evaluation
from assets.ruleset import Ruleset, load_ruleset
from assets.warehouse import connect
from checks.suite_runner import SuiteRunner, claim, release, request, run_suites
from checks.suites import SuiteParams
from checks.validate import SuiteOutcome
from pipelines import settings


class WarehouseResource(dg.ConfigurableResource):
    """The embedded DuckDB warehouse: a private build file per evaluation and the served snapshot.

    A run writes only its build file; the dashboard reads only the served snapshot, which a
    publish replaces atomically. `build_name` lets a caller (the CLI) keep its build private;
    `durable_build=False` says that build is deleted when the process ends, so DuckDB need not
    wait for the disk at its commits (assets.warehouse.duckdb_config). A scheduled run's build
    stays durable: it outlives the run, for the next run that materialises part of the graph.
    """

    root: str = Field(default_factory=lambda: str(settings.warehouse_dir()))
    build_name: str = ""
    durable_build: bool = True
    memory_limit: str = Field(default_factory=settings.duckdb_memory_limit)
    threads: int = 2

    def build_path(self, as_of: str) -> Path:
        return Path(self.root) / "builds" / (self.build_name or as_of) / "warehouse.duckdb"

    def tables_dir(self, as_of: str) -> Path:
        """Parquet files of the large layers (raw and staged tables) beside the build file."""
        return self.build_path(as_of).parent / "tables"

    @property
    def served_path(self) -> Path:
        return Path(self.root) / "served.duckdb"

    def connect_build(self, as_of: str) -> duckdb.DuckDBPyConnection:
        return connect(self.build_path(as_of), self.memory_limit, self.threads, self.durable_build)


class SourceResource(dg.ConfigurableResource):
    """The source folder of one drop; `year` 0 means the as_of date's year."""

    path: str = Field(default_factory=lambda: str(settings.source_dir()))
    year: int = 0

    def evaluation_year(self, as_of: dt.date) -> int:
        return self.year or as_of.year


class RulesetResource(dg.ConfigurableResource):
    """A ruleset name under data/rules/ or a path to a ruleset TOML file."""

    rules: str = Field(default_factory=settings.rules)

    def load(self) -> Ruleset:
        return load_ruleset(self.rules)


class QualitySuitesResource(dg.ConfigurableResource):
    """The GX suites in a side process (checks/suite_runner.py), started with the run.

    The process imports GX while ingest and staging run; staging hands it the staged tables;
    the quality step collects the verdicts. Without an early start (a run that materialises
    only the quality step, or `early_start` off) the quality step validates there and then.
    """

    early_start: bool = True
    _runner: SuiteRunner | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        run = context.run
        if self.early_start and run is not None and _run_materialises(run, QUALITY_STEP_ASSET):
            self._runner = claim()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._runner is not None:
            release(self._runner)  # kept for the next run of this process when idle
            self._runner = None

    def begin(self, params: SuiteParams, folder: Path) -> bool:
        """Open a request to the side process started with the run (False: none runs), for staging
        to hand it each table as written (`add`) and close (`end`)."""
        if not self._idle():
            return False
        self._runner.begin(params, folder)
        return True

    def add(self, table: str, path: Path) -> None:
        if self._open():
            self._runner.add(table, path)

    def end(self) -> None:
        if self._open():
            self._runner.end()

    def submit(self, staged: dict[str, Path], params: SuiteParams, folder: Path) -> bool:
        """Hand over every staged table at once (False: no side process runs, or it has a request)."""
        if not self._idle():
            return False
        self._runner.submit(staged, params, folder)
        return True

    def _idle(self) -> bool:
        """A side process runs and has no request: it can take one."""
        return self._runner is not None and self._runner.request is None and self._runner.alive

    def _open(self) -> bool:
        return self._runner is not None and self._runner.request is not None and not self._runner.ended

    def outcomes(self, staged: dict[str, Path], params: SuiteParams,
                 folder: Path) -> tuple[dict[str, SuiteOutcome], str]:
        """The verdicts, and how they were reached: by the side process started with the run when
        staging handed it exactly these tables, else by one started now."""
        runner = self._runner
        if runner is not None and runner.ended and runner.request == request(staged, params, folder):
            return runner.collect(), EARLY
        if runner is not None and runner.request is not None:
            # it validates something else (the run crossed midnight, say) in the same build
            # folder, whose views file the new validation needs
            runner.close()
            self._runner = None
        return run_suites(staged, params, folder), AT_QUALITY_STEP


QUALITY_STEP_ASSET = dg.AssetKey("dq_results")
EARLY = "side process started with the run, given the staged tables by staging"
AT_QUALITY_STEP = "side process started by the quality step"


def _run_materialises(run: dg.DagsterRun, key: dg.AssetKey) -> bool:
    """Whether a run will compute `key` (a run without an asset selection, None or empty, runs its
    whole job)."""
    return not run.asset_selection or key in run.asset_selection


def evaluation_for(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext,
                   source: SourceResource, ruleset: RulesetResource) -> Evaluation:
    as_of = dt.date.fromisoformat(context.partition_key)
    return Evaluation(source.evaluation_year(as_of), as_of, ruleset.load())
