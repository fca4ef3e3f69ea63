"""The GX suites in a side process, so that they overlap the rest of the run.

Great Expectations costs about 4 s to import and, on a city, several seconds more to validate,
nearly all of it Python on one core. A run therefore starts a side process with the run (it
imports GX while ingest and staging work on the other core), hands it the staged tables as soon
as staging has written them, and collects the verdicts in the quality step, which runs after
the indicators and results: the suites validate while DuckDB computes the indicators.

The side process reads only the staged Parquet files, through a small DuckDB file of views of
its own (`suite_views.duckdb` beside the build file): never the build file the run writes, as
DuckDB allows one writer or many readers per file, not both. Its verdicts come back as JSON.

The protocol is one JSON line on the side process's standard input (the request below) and a
JSON file it writes (`{"outcomes": ...}` or `{"error": ...}`); a side process whose standard
input closes before any request (the run failed or was killed) exits at once.
"""

from __future__ import annotations

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
VIEWS_FILE = "suite_views.duckdb"
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
    """What the side process is asked to do: validate these staged Parquet files."""
    return {
        "tables": {table: str(path) for table, path in staged.items()},
        "params": params_to_json(params),
        "views": str(folder / VIEWS_FILE),
        "result": str(folder / RESULT_FILE),
    }


class SuiteRunner:
    """One side process: started early, given one request, collected once."""

    def __init__(self) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process; closed in close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        self.request: dict | None = None

    def submit(self, job: dict) -> None:
        if self.request is not None:
            raise RuntimeError("a suite runner takes one request")
        self.request = job
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(job) + "\n").encode("utf-8"))
        self.process.stdin.close()

    def collect(self) -> dict[str, SuiteOutcome]:
        """Wait for the side process and return its verdicts, or raise SuiteRunError."""
        if self.request is None:
            raise RuntimeError("nothing was submitted")
        status = self.process.wait()
        result = Path(self.request["result"])
        doc = json.loads(result.read_text(encoding="utf-8")) if result.exists() else {}
        if status != 0 or "outcomes" not in doc:
            self._stderr.seek(0)
            detail = doc.get("error") or self._stderr.read().decode(errors="replace").strip()
            raise SuiteRunError(f"the GX side process failed (exit {status}): {detail[-2000:]}")
        return outcomes_from_json(doc["outcomes"])

    def close(self) -> None:
        """Stop the side process if it still runs (a failed run, or nothing to collect)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        self._stderr.close()


_prestarted: SuiteRunner | None = None


def prestart() -> None:
    """Start a side process before anything else is imported (fec evaluate does, so that GX
    loads beside Dagster's own start-up); the next run's QualitySuitesResource claims it."""
    global _prestarted
    if _prestarted is None:
        _prestarted = SuiteRunner()


def claim() -> SuiteRunner:
    """The prestarted side process if there is one, else a new one."""
    global _prestarted
    runner, _prestarted = _prestarted, None
    return runner if runner is not None and runner.process.poll() is None else SuiteRunner()


def discard_prestarted() -> None:
    global _prestarted
    if _prestarted is not None:
        _prestarted.close()
        _prestarted = None


def run_suites(staged: dict[str, Path], params: SuiteParams, folder: Path) -> dict[str, SuiteOutcome]:
    """Validate at once, in a side process of its own (a step run without an early start)."""
    runner = SuiteRunner()
    try:
        runner.submit(request(staged, params, folder))
        return runner.collect()
    finally:
        runner.close()
