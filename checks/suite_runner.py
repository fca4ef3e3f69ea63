"""The GX suites in a side process, so that they overlap the rest of the run.

Great Expectations costs about 4 s to import and, on a city, several seconds more to validate,
most of it Python on one core (the side process shares the tables among forked workers, one per
core: see checks/suite_worker.py). A run therefore starts a side process with the run (it
imports GX while ingest and staging work on the other core) and hands it each staged table as
soon as staging has written it: the suites validate, once GX is imported, while staging goes on
with the next tables and while DuckDB computes the indicators. The quality step, which runs
after the indicators and results, collects the verdicts. The side
process runs at a lower CPU priority (nice 10): the run's own work goes first, the suites take
the cycles it leaves, and are wanted only at the end.

The side process reads only the staged Parquet files, each worker through a small DuckDB file
of views of its own (`suite_views.<n>.duckdb` beside the build file): never the build file the
run writes, as DuckDB allows one writer or many readers per file, not both. Its verdicts come
back as JSON.

The protocol is JSON lines on the side process's standard input: `{"begin": {...}}` (the
request below without its tables), `{"table": ..., "path": ...}` for each table, `{"end": true}`.
The side process writes a JSON file (`{"outcomes": ...}` or `{"error": ...}`) and answers `done`
on its standard output. It exits when its standard input closes (the run, or the process,
ended), so one side process serves every run of a backfill.
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from checks.suites import SuiteParams
from checks.validate import ExpectationOutcome, SuiteOutcome

WORKER_MODULE = "checks.suite_worker"
RESULT_FILE = "suite_outcomes.json"


class SuiteRunError(RuntimeError):
    """The side process failed: its own error text, for the quality step's failure."""


def params_to_json(params: SuiteParams) -> dict:
    return {
        "as_of": params.as_of.isoformat(),
        "extracted_on": params.extracted_on.isoformat(),
        "six_clear_unemployed": list(params.six_clear_unemployed),
        "six_clear_other": list(params.six_clear_other),
    }


def params_from_json(doc: dict) -> SuiteParams:
    return SuiteParams(
        as_of=dt.date.fromisoformat(doc["as_of"]),
        extracted_on=dt.date.fromisoformat(doc["extracted_on"]),
        six_clear_unemployed=tuple(doc["six_clear_unemployed"]),
        six_clear_other=tuple(doc["six_clear_other"]),
    )


def outcomes_to_json(outcomes: dict[str, SuiteOutcome]) -> dict:
    return {table: dataclasses.asdict(outcome) for table, outcome in outcomes.items()}


def outcomes_from_json(doc: dict) -> dict[str, SuiteOutcome]:
    return {
        table: SuiteOutcome(
            table=o["table"],
            success=o["success"],
            expectations={rule: ExpectationOutcome(**e) for rule, e in o["expectations"].items()},
            suite_json=o["suite_json"],
            result_json=o["result_json"],
        )
        for table, o in doc.items()
    }


def request(staged: dict[str, Path], params: SuiteParams, folder: Path) -> dict:
    """What the side process is asked to do: validate these staged Parquet files, keeping its views
    files and writing its result in `folder`. A runner's `request` is this dict, built up as the
    tables are handed over."""
    return {
        "tables": {table: str(path) for table, path in staged.items()},
        "params": params_to_json(params),
        "folder": str(folder),
        "result": str(folder / RESULT_FILE),
    }


def work_order(sizes: dict[str, int]) -> list[str]:
    """The order tables handed over together go in: largest staged file first (ties by name), so
    the long tables start at once and the small ones fill in at the end."""
    return sorted(sizes, key=lambda t: (-sizes[t], t))


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class SuiteRunner:
    """One side process. It serves one request at a time: `begin`, a table at a time (`add`) as
    staging writes them, `end`, then `collect`; or all at once (`submit`). Between runs of one
    process (a backfill) an idle side process is kept for the next run (`release`, `claim`)."""

    def __init__(self) -> None:
        # what the side process prints when it dies; closed with this object
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self.request: dict | None = None  # the request begun and not yet collected
        self.ended = False  # whether every table of the request was handed over

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def begin(self, params: SuiteParams, folder: Path) -> None:
        if self.request is not None:
            raise RuntimeError("the side process has a request not yet collected")
        self.request = request({}, params, folder)
        self.ended = False
        self._send({"begin": {k: v for k, v in self.request.items() if k != "tables"}})

    def add(self, table: str, path: Path) -> None:
        """Hand over one staged table: the side process validates it as soon as a worker is free."""
        if self.request is None or self.ended:
            raise RuntimeError("no request is open for tables")
        self.request["tables"][table] = str(path)
        self._send({"table": table, "path": str(path)})

    def end(self) -> None:
        if self.request is None or self.ended:
            raise RuntimeError("no request is open for tables")
        self.ended = True
        self._send({"end": True})

    def submit(self, staged: dict[str, Path], params: SuiteParams, folder: Path) -> None:
        """A whole request at once, its tables largest first."""
        self.begin(params, folder)
        sizes = {table: _file_size(Path(path)) for table, path in staged.items()}
        for table in work_order(sizes):
            self.add(table, staged[table])
        self.end()

    def _send(self, message: dict) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # it died: collect() reports what it printed

    def collect(self) -> dict[str, SuiteOutcome]:
        """Wait for the answer to the submitted request: the verdicts, or SuiteRunError."""
        if self.request is None or not self.ended:
            raise RuntimeError("no request was handed over whole")
        job, self.request = self.request, None
        assert self.process.stdout is not None
        answered = self.process.stdout.readline().strip() == b"done"
        result = Path(job["result"])
        doc = json.loads(result.read_text(encoding="utf-8")) if answered and result.exists() else {}
        if "outcomes" not in doc:
            if not answered:
                self.close()  # it died: its own error output says why
            self._stderr.seek(0)
            detail = (doc.get("error") or "")[:2000] or self._stderr.read().decode(errors="replace").strip()[-2000:]
            where = doc.get("traceback", "")[-2000:]
            raise SuiteRunError(f"the GX side process failed: {detail}" + (f"\n{where}" if where else ""))
        return outcomes_from_json(doc["outcomes"])

    def close(self) -> None:
        """End the side process at once (idle, still importing GX, or busy with a request that
        nobody will collect: nothing it holds needs a graceful end)."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        if self.alive:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.request = None


_idle: SuiteRunner | None = None


def prestart() -> None:
    """Start a side process before anything else is imported (fec evaluate does, so that GX
    loads beside Dagster's own start-up); the next run's QualitySuitesResource claims it."""
    global _idle
    if _idle is None:
        _idle = SuiteRunner()


def claim() -> SuiteRunner:
    """The idle side process of this process if there is one, else a new one."""
    global _idle
    runner, _idle = _idle, None
    return runner if runner is not None and runner.alive else SuiteRunner()


def release(runner: SuiteRunner) -> None:
    """A run is over: keep its side process for the next run when it is idle and well, else end it."""
    global _idle
    if _idle is None and runner.request is None and runner.alive:
        _idle = runner
    else:
        runner.close()


def discard_idle() -> None:
    global _idle
    if _idle is not None:
        _idle.close()
        _idle = None


atexit.register(discard_idle)


def run_suites(staged: dict[str, Path], params: SuiteParams, folder: Path) -> dict[str, SuiteOutcome]:
    """Validate at once (a step run without an early start), in an idle side process or a new one."""
    runner = claim()
    try:
        runner.submit(staged, params, folder)
        outcomes = runner.collect()
    except BaseException:
        runner.close()
        raise
    release(runner)
    return outcomes
