"""The GX side process of checks/suite_runner.py: import GX at once, then validate each request.

    python -m checks.suite_worker     (started by SuiteRunner; reads requests on standard input)

A request's tables are validated by several processes at once (`FEC_GX_WORKERS`, by default one
per core, at most four): GX spends most of its time in its own single-threaded Python, building
each expectation's metric graph, so one process leaves a core idle at the end of every run
(about 4 s of a 3M city's run, the same again for a handful of communities). The extra workers
are forked from this process after GX is imported, so they do not pay for the import again.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

# A table's fixed cost in GX (its suite's metric graph, about 0.4 s) expressed as the Parquet
# bytes validated in the same time (35-65 MB/s for the large tables at 3M): sharing tables by size
# alone would put every small table, and most of the fixed cost, in one share.
TABLE_OVERHEAD_BYTES = 25_000_000
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def build_views(views: Path, tables: dict[str, str]) -> None:
    """A DuckDB file of this process's own: stg_<table> as a view of each staged Parquet file."""
    from assets.warehouse import connect, create_parquet_view

    views.unlink(missing_ok=True)
    with connect(views) as con:
        for table, path in tables.items():
            create_parquet_view(con, f"stg_{table}", Path(path))


def split_tables(sizes: dict[str, int], workers: int) -> list[list[str]]:
    """The tables dealt into at most `workers` shares of about equal work: largest first, each
    onto the least loaded share (longest-processing-time first). A table's work is taken as its
    staged file's size plus TABLE_OVERHEAD_BYTES. No share is empty."""
    shares: list[list[str]] = [[] for _ in range(max(1, min(workers, len(sizes))))]
    loads = [0] * len(shares)
    for table in sorted(sizes, key=lambda t: (-sizes[t], t)):
        least = loads.index(min(loads))
        shares[least].append(table)
        loads[least] += sizes[table] + TABLE_OVERHEAD_BYTES
    return shares


def _file_size(path: str | None) -> int:
    try:
        return Path(path).stat().st_size if path else 0
    except OSError:
        return 0


def _validate_share_then_exit(views: Path, share: list[str], params, memory_limit: str, threads: int, part: Path,
                              parent: int) -> None:
    """The body of a forked worker: validate its share, write the verdicts (or its error) to
    `part`, and leave at once (never back into the request loop it was forked from)."""
    code = 0
    try:
        _die_with_parent(parent)
        from assets.ingest.contract import TABLES_BY_NAME
        from checks.suite_runner import outcomes_to_json
        from checks.validate import validate_warehouse

        specs = tuple(TABLES_BY_NAME[t] for t in share)
        outcomes = validate_warehouse(views, params, specs, memory_limit=memory_limit, threads=threads)
        part.write_text(json.dumps({"outcomes": outcomes_to_json(outcomes)}, ensure_ascii=False), encoding="utf-8")
    except BaseException as err:  # noqa: BLE001 - the parent reports it
        try:
            part.write_text(json.dumps(error_doc(err)), encoding="utf-8")
        except BaseException:  # noqa: BLE001
            code = 1
    finally:
        os._exit(code)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this forked worker when the side process (`parent`) ends (the run stopped
    it, or it died): the worker's verdicts are wanted by nobody then. Elsewhere, it finishes its
    share."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the side process ended before the request took effect
        os._exit(1)


def error_doc(err: BaseException) -> dict:
    """A failure as the run reports it: what went wrong first (the CLI prints one line), then where."""
    return {"error": "".join(traceback.format_exception_only(err)).strip(), "traceback": traceback.format_exc()}


def _read_share(part: Path) -> dict:
    """A forked worker's answer; {} when it wrote none, or was killed while writing it."""
    try:
        return json.loads(part.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def validate_in_shares(views: Path, tables: dict[str, str], params, memory_limit: str, workers: int) -> dict:
    """Every contract table's verdicts, the tables shared among `workers` processes: this one and
    workers - 1 forked children, each with its own read-only connection to the views file, with
    the cores shared among them (pipelines.settings.gx_worker_threads)."""
    from assets.ingest.contract import TABLES, TABLES_BY_NAME
    from checks.suite_runner import outcomes_from_json
    from checks.validate import validate_warehouse
    from pipelines.settings import gx_worker_threads

    shares = split_tables({spec.name: _file_size(tables.get(spec.name)) for spec in TABLES}, workers)
    threads = gx_worker_threads(len(shares))
    children: list[tuple[int, Path, list[str]]] = []
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    own = list(shares[0])
    for number, share in enumerate(shares[1:], start=1):
        part = views.with_name(f"{views.stem}.share{number}.json")
        part.unlink(missing_ok=True)
        try:
            pid = os.fork()
        except OSError:  # no process to spare (a limit, or memory): this process validates the share
            own.extend(share)
            continue
        if pid == 0:
            _validate_share_then_exit(views, share, params, memory_limit, threads, part, parent)
        children.append((pid, part, share))
    outcomes: dict = {}
    failures: list[str] = []
    try:
        outcomes.update(validate_warehouse(views, params, tuple(TABLES_BY_NAME[t] for t in own),
                                           memory_limit=memory_limit, threads=threads))
    finally:
        for pid, part, share in children:
            _, status = os.waitpid(pid, 0)
            doc = _read_share(part)
            part.unlink(missing_ok=True)
            if "outcomes" in doc:
                outcomes.update(outcomes_from_json(doc["outcomes"]))
            else:
                failures.append(doc.get("error") or f"the GX worker for {', '.join(share)} ended with "
                                f"status {os.waitstatus_to_exitcode(status)} and no verdicts")
                if doc.get("traceback"):
                    print(doc["traceback"], file=sys.stderr, flush=True)  # the run keeps this process's errors
    if failures:
        raise RuntimeError("; ".join(failures))
    return {spec.name: outcomes[spec.name] for spec in TABLES}


def answer(job: dict) -> None:
    """Validate one request and write its result file (the error, when it fails)."""
    from checks.suite_runner import outcomes_to_json, params_from_json
    from pipelines.settings import duckdb_memory_limit, gx_workers

    result = Path(job["result"])
    try:
        views = Path(job["views"])
        build_views(views, job["tables"])
        outcomes = validate_in_shares(views, job["tables"], params_from_json(job["params"]),
                                      duckdb_memory_limit(), gx_workers())
        result.write_text(json.dumps({"outcomes": outcomes_to_json(outcomes)}, ensure_ascii=False), encoding="utf-8")
    except Exception as err:  # noqa: BLE001 - the run reports it: the parent reads this file
        result.write_text(json.dumps(error_doc(err)), encoding="utf-8")


def main() -> int:
    from checks.validate import load_gx

    # background work: the run's own process needs the cores first (at city scale staging and
    # the indicators use both); the suites are wanted only at the end, by the quality step
    os.nice(10)
    load_gx()  # the slow part, done while the run ingests and stages
    for line in sys.stdin:  # ends when the run's process closes our input
        if line.strip():
            answer(json.loads(line))
            print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
