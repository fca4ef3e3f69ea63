"""The GX side process of checks/suite_runner.py: import GX at once, then validate each request.

    python -m checks.suite_worker     (started by SuiteRunner; reads requests on standard input)

A request's tables are validated by several processes at once (`FEC_GX_WORKERS`, by default one
per core, at most four): GX spends most of its time in its own single-threaded Python, building
each expectation's metric graph, so one process leaves a core idle at the end of every run
(about 4 s of a 3M city's run, the same again for a handful of communities). The extra workers
are forked from this process after GX is imported, so they do not pay for the import again.

The tables are not dealt out in advance: each worker takes the next one (largest first) when it
is done with the last (TableQueue). Dealt out by size, the shares finished up to 2 s apart at
3M residents, with one core idle meanwhile: the workers run at a low priority beside the run,
which leaves them unequal shares of the CPU, and a table's cost is not its size.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# One table name in TableQueue's pipe: fixed-size records, each far below PIPE_BUF (4 KiB on Linux)
QUEUE_RECORD_BYTES = 64


def build_views(views: Path, tables: dict[str, str]) -> None:
    """A DuckDB file of this process's own: stg_<table> as a view of each staged Parquet file."""
    from assets.warehouse import connect, create_parquet_view

    views.unlink(missing_ok=True)
    with connect(views) as con:
        for table, path in tables.items():
            create_parquet_view(con, f"stg_{table}", Path(path))


def work_order(sizes: dict[str, int]) -> list[str]:
    """The order the tables are handed out in: largest staged file first (ties by name), so the
    long tables start at once and the small ones fill in at the end."""
    return sorted(sizes, key=lambda t: (-sizes[t], t))


class TableQueue:
    """Table names handed out one at a time to whichever process asks first, across fork().

    The names are written into a pipe, whole, before the workers are forked, and its writing end
    is closed at once, so an empty pipe reads as the end. Each name is one record of
    QUEUE_RECORD_BYTES; Linux reads a pipe under its lock, so a read of one record returns one
    whole record to one reader, never part of it or the same record twice.
    """

    def __init__(self, tables: list[str]) -> None:
        records = []
        for table in tables:
            record = table.encode("ascii")
            if len(record) > QUEUE_RECORD_BYTES:
                raise ValueError(f"table name too long for the queue: {table}")
            records.append(record.ljust(QUEUE_RECORD_BYTES))
        self._read, write = os.pipe()
        try:
            os.write(write, b"".join(records))  # 17 tables: about 1 KiB, far below a pipe's 64 KiB
        finally:
            os.close(write)

    def next(self) -> str | None:
        """The next table, or None when every table has been taken."""
        record = b""
        while len(record) < QUEUE_RECORD_BYTES:
            chunk = os.read(self._read, QUEUE_RECORD_BYTES - len(record))
            if not chunk:
                return None
            record += chunk
        return record.decode("ascii").rstrip()

    def __iter__(self):
        while (table := self.next()) is not None:
            yield table

    def close(self) -> None:
        os.close(self._read)


def _file_size(path: str | None) -> int:
    try:
        return Path(path).stat().st_size if path else 0
    except OSError:
        return 0


def _validate_queue_then_exit(views: Path, queue: TableQueue, params, memory_limit: str, threads: int, part: Path,
                              parent: int) -> None:
    """The body of a forked worker: validate tables from `queue` until it is empty, write the
    verdicts (or its error) to `part`, and leave at once (never back into the request loop it was
    forked from)."""
    code = 0
    try:
        _die_with_parent(parent)
        from checks.suite_runner import outcomes_to_json

        outcomes = _validate_from_queue(views, queue, params, memory_limit, threads)
        part.write_text(json.dumps({"outcomes": outcomes_to_json(outcomes)}, ensure_ascii=False), encoding="utf-8")
    except BaseException as err:  # noqa: BLE001 - the parent reports it
        try:
            part.write_text(json.dumps(error_doc(err)), encoding="utf-8")
        except BaseException:  # noqa: BLE001
            code = 1
    finally:
        os._exit(code)


def _validate_from_queue(views: Path, queue: TableQueue, params, memory_limit: str, threads: int) -> dict:
    from assets.ingest.contract import TABLES_BY_NAME
    from checks.validate import validate_warehouse

    return validate_warehouse(views, params, (TABLES_BY_NAME[t] for t in queue), memory_limit=memory_limit,
                              threads=threads)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this forked worker when the side process (`parent`) ends (the run stopped
    it, or it died): the worker's verdicts are wanted by nobody then. Elsewhere, it finishes the
    tables it took."""
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


def _read_answer(part: Path) -> dict:
    """A forked worker's answer; {} when it wrote none, or was killed while writing it."""
    try:
        return json.loads(part.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def validate_with_workers(views: Path, tables: dict[str, str], params, memory_limit: str, workers: int) -> dict:
    """Every contract table's verdicts, the tables shared among `workers` processes: this one and
    workers - 1 forked children, each with its own read-only connection to the views file, with
    the cores shared among them (pipelines.settings.gx_worker_threads). Each process takes the
    next table from a TableQueue when it is done with the last."""
    from assets.ingest.contract import TABLES
    from checks.suite_runner import outcomes_from_json
    from pipelines.settings import gx_worker_threads

    order = work_order({spec.name: _file_size(tables.get(spec.name)) for spec in TABLES})
    workers = max(1, min(workers, len(order)))
    threads = gx_worker_threads(workers)
    queue = TableQueue(order)
    children: list[tuple[int, Path]] = []
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    outcomes: dict = {}
    failures: list[str] = []
    try:
        for number in range(1, workers):
            part = views.with_name(f"{views.stem}.worker{number}.json")
            part.unlink(missing_ok=True)
            try:
                pid = os.fork()
            except OSError:  # no process to spare (a limit, or memory): the others take its tables
                break
            if pid == 0:
                _validate_queue_then_exit(views, queue, params, memory_limit, threads, part, parent)
            children.append((pid, part))
        try:
            outcomes.update(_validate_from_queue(views, queue, params, memory_limit, threads))
        except Exception as err:  # noqa: BLE001 - reported with the workers' failures below
            doc = error_doc(err)
            failures.append(doc["error"])
            print(doc["traceback"], file=sys.stderr, flush=True)
    finally:
        for pid, part in children:
            _, status = os.waitpid(pid, 0)
            doc = _read_answer(part)
            part.unlink(missing_ok=True)
            if "outcomes" in doc:
                outcomes.update(outcomes_from_json(doc["outcomes"]))
            else:
                failures.append(doc.get("error") or f"a GX worker ended with status "
                                f"{os.waitstatus_to_exitcode(status)} and no verdicts")
                if doc.get("traceback"):
                    print(doc["traceback"], file=sys.stderr, flush=True)  # the run keeps this process's errors
        queue.close()
    missing = [spec.name for spec in TABLES if spec.name not in outcomes]
    if missing and not failures:
        failures.append(f"no GX verdict for {', '.join(missing)}")
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
        outcomes = validate_with_workers(views, job["tables"], params_from_json(job["params"]),
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
