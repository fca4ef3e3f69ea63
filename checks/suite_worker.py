"""The GX side process of checks/suite_runner.py: import GX at once, then validate each request.

    python -m checks.suite_worker     (started by SuiteRunner; reads requests on standard input)

A request's tables are validated by several processes at once (`FEC_GX_WORKERS`, by default one
per core, at most four): GX spends most of its time in its own single-threaded Python, building
each expectation's metric graph, so one process leaves a core idle at the end of every run
(about 4 s of a 3M city's run, the same again for a handful of communities). The extra workers
are forked from this process after GX is imported, so they do not pay for the import again.

The tables are not dealt out in advance: each worker takes the next one when it is done with the
last (TableQueue). Dealt out by size, the shares finished up to 2 s apart at 3M residents, with
one core idle meanwhile: the workers run at a low priority beside the run, which leaves them
unequal shares of the CPU, and a table's cost is not its size.

Nor do the tables come all at once: staging hands over each one as soon as it is written, and a
thread of the side process puts it into the queue (Feeder) once the tables its suite looks up
have come too. The workers, forked once GX is imported and the request begins, validate a table
as soon as it is queued, while staging goes on: how much of staging they overlap depends on when
the import ends. At `nice 10` beside a 3M city's staging it gets little CPU; on 2026-12-02 it
ended about as staging did (docs/performance.md), so residents and labour_registry were validated
beside the indicators rather than beside staging. Each worker makes the views its tables need in
a DuckDB file of its own (`suite_views.<n>.duckdb`).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# One table in TableQueue's pipe: fixed-size records, each at most PIPE_BUF (4 KiB on Linux), and
# the 17 tables of a request together far below a pipe's capacity (64 KiB)
QUEUE_RECORD_BYTES = 2048
VIEWS_STEM = "suite_views"


def views_file(folder: Path, number: int) -> Path:
    """The DuckDB file of worker `number`'s views: each worker has its own, which it writes as
    tables come (DuckDB lets a file have one writer or many readers, not both)."""
    return folder / f"{VIEWS_STEM}.{number}.duckdb"


@dataclass(frozen=True)
class QueuedTable:
    """One table to validate and the staged files its suite reads: its own and those of the
    tables its reference rules look up (checks.suites.referenced_tables)."""

    table: str
    files: dict[str, str]  # table -> staged Parquet file

    def record(self) -> bytes:
        record = json.dumps({"table": self.table, "files": self.files}, ensure_ascii=False).encode("utf-8")
        if len(record) > QUEUE_RECORD_BYTES:
            raise ValueError(f"the paths of {self.table}'s staged files are too long for the queue "
                             f"({len(record)} bytes, at most {QUEUE_RECORD_BYTES})")
        return record.ljust(QUEUE_RECORD_BYTES)

    @classmethod
    def from_record(cls, record: bytes) -> QueuedTable:
        doc = json.loads(record.decode("utf-8").rstrip())
        return cls(doc["table"], doc["files"])


class TableQueue:
    """Tables handed out one at a time to whichever process asks first, across fork(), as they come.

    A pipe: the side process writes each table as one record of QUEUE_RECORD_BYTES when staging
    hands it over, and closes the writing end when the request's tables are all in, so that an
    empty pipe then reads as the end. A record is written whole (at most PIPE_BUF bytes) and read
    whole: Linux reads a pipe under its lock, so a read of one record returns one whole record to
    one reader, never part of it or the same record twice. A reader waits while the pipe is empty
    and the writing end open. Every forked reader must close its inherited writing end
    (`close_writer`) at once, or the pipe never ends.
    """

    def __init__(self) -> None:
        self._read, self._write = os.pipe()

    def put(self, item: QueuedTable) -> None:
        if self._write < 0:
            raise RuntimeError("the queue is closed for writing")
        os.write(self._write, item.record())

    def close_writer(self) -> None:
        if self._write >= 0:
            os.close(self._write)
            self._write = -1

    def next(self) -> QueuedTable | None:
        """The next table (waiting for one while the writing end is open), or None at the end."""
        record = b""
        while len(record) < QUEUE_RECORD_BYTES:
            chunk = os.read(self._read, QUEUE_RECORD_BYTES - len(record))
            if not chunk:
                return None
            record += chunk
        return QueuedTable.from_record(record)

    def __iter__(self) -> Iterator[QueuedTable]:
        while (item := self.next()) is not None:
            yield item

    def close(self) -> None:
        self.close_writer()
        if self._read >= 0:
            os.close(self._read)
            self._read = -1


class Feeder:
    """What the side process does with a request's messages: put each table into the queue as soon
    as the tables its suite looks up have come too (communities, labour_registry: staging writes
    them first, so in a run nothing waits), then close the queue at `end`."""

    def __init__(self, queue: TableQueue, params) -> None:
        self.queue = queue
        self.params = params
        self.files: dict[str, str] = {}  # every table handed over so far
        self._waiting: list[str] = []
        self.broken: BaseException | None = None  # no reader left: the rest of the request is read, not queued

    def add(self, table: str, path: str) -> None:
        self.files[table] = path
        self._waiting.append(table)
        ready = [t for t in self._waiting if self._needs(t) <= set(self.files)]
        self._waiting = [t for t in self._waiting if t not in ready]
        for t in ready:
            self._put(t)

    def end(self) -> None:
        """Queue what still waits (a table whose reference never came: its suite then fails and
        says which view is missing) and close the queue."""
        for table in self._waiting:
            self._put(table)
        self._waiting = []
        self.queue.close_writer()

    def feed(self, lines: Iterator[str]) -> None:
        """Read the request's messages up to its `end` (or the end of the input: the run stopped)."""
        try:
            for line in lines:
                message = json.loads(line) if line.strip() else {}
                if message.get("end"):
                    break
                if "table" in message:
                    self.add(str(message["table"]), str(message["path"]))
        finally:
            self.end()

    def _needs(self, table: str) -> set[str]:
        from assets.ingest.contract import TABLES_BY_NAME
        from checks.suites import referenced_tables

        spec = TABLES_BY_NAME.get(table)
        return referenced_tables(spec, self.params) if spec is not None else set()

    def _put(self, table: str) -> None:
        if self.broken is not None:
            return
        files = {t: self.files[t] for t in sorted({table} | self._needs(table)) if t in self.files}
        try:
            self.queue.put(QueuedTable(table, files))
        except (OSError, ValueError) as err:  # a path too long, or no reader left (their errors say why)
            self.broken = err


def _validate_queue_then_exit(folder: Path, number: int, queue: TableQueue, params, memory_limit: str,
                              threads: int, part: Path, parent: int) -> None:
    """The body of a forked worker: validate tables from `queue` until it ends, write the verdicts
    (or its error) to `part`, and leave at once (never back into the request loop it was forked
    from)."""
    code = 0
    try:
        queue.close_writer()  # inherited: the queue ends only when the side process closes its own
        _die_with_parent(parent)
        from checks.suite_runner import outcomes_to_json

        outcomes = _validate_from_queue(folder, number, queue, params, memory_limit, threads)
        part.write_text(json.dumps({"outcomes": outcomes_to_json(outcomes)}, ensure_ascii=False), encoding="utf-8")
    except BaseException as err:  # noqa: BLE001 - the parent reports it
        try:
            part.write_text(json.dumps(error_doc(err)), encoding="utf-8")
        except BaseException:  # noqa: BLE001
            code = 1
    finally:
        os._exit(code)


class _QueuedSpecs:
    """The queue's tables as contract specs, in the order taken, remembering each one's files."""

    def __init__(self, queue: TableQueue) -> None:
        self.queue = queue
        self.files: dict[str, str] = {}

    def __iter__(self):
        from assets.ingest.contract import TABLES_BY_NAME

        for item in self.queue:
            self.files = item.files
            yield TABLES_BY_NAME[item.table]

    def views(self, spec) -> list[str]:
        """The statements that make the taken table's suite readable: a view per staged file."""
        from assets.warehouse import parquet_view_sql

        return [parquet_view_sql(f"stg_{table}", Path(path)) for table, path in self.files.items()]


def _validate_from_queue(folder: Path, number: int, queue: TableQueue, params, memory_limit: str,
                         threads: int) -> dict:
    from checks.validate import validate_warehouse

    views = views_file(folder, number)
    views.unlink(missing_ok=True)
    views.with_name(views.name + ".wal").unlink(missing_ok=True)
    specs = _QueuedSpecs(queue)
    return validate_warehouse(views, params, specs, memory_limit=memory_limit, threads=threads, prepare=specs.views)


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


def validate_with_workers(folder: Path, lines: Iterator[str], params, memory_limit: str, workers: int) -> dict:
    """Every contract table's verdicts, validated as the request's messages (`lines`) hand the
    tables over: by this process and workers - 1 forked children, each taking the next table from
    a TableQueue when it is done with the last, with its own views file and the cores shared among
    them (pipelines.settings.gx_worker_threads). A thread of this process reads the messages into
    the queue meanwhile; it starts after the fork, so no child inherits it."""
    from assets.ingest.contract import TABLES
    from checks.suite_runner import outcomes_from_json
    from pipelines.settings import gx_worker_threads

    workers = max(1, min(workers, len(TABLES)))
    threads = gx_worker_threads(workers)
    queue = TableQueue()
    feeder = Feeder(queue, params)
    children: list[tuple[int, Path]] = []
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    outcomes: dict = {}
    failures: list[str] = []
    reader: threading.Thread | None = None
    try:
        for number in range(1, workers):
            part = folder / f"{VIEWS_STEM}.worker{number}.json"
            part.unlink(missing_ok=True)
            try:
                pid = os.fork()
            except OSError:  # no process to spare (a limit, or memory): the others take its tables
                break
            if pid == 0:
                _validate_queue_then_exit(folder, number, queue, params, memory_limit, threads, part, parent)
            children.append((pid, part))
        reader = threading.Thread(target=feeder.feed, args=(lines,), name="gx-request-reader", daemon=True)
        reader.start()
        try:
            outcomes.update(_validate_from_queue(folder, 0, queue, params, memory_limit, threads))
        except Exception as err:  # noqa: BLE001 - reported with the workers' failures below
            doc = error_doc(err)
            failures.append(doc["error"])
            print(doc["traceback"], file=sys.stderr, flush=True)
    finally:
        if reader is not None:
            reader.join()  # the rest of the request is read even when validating failed
        else:
            feeder.feed(lines)
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
    if feeder.broken is not None and not isinstance(feeder.broken, BrokenPipeError):
        failures.append(str(feeder.broken))
    missing = [spec.name for spec in TABLES if spec.name not in outcomes]
    if missing and not failures:
        not_handed = [t for t in missing if t not in feeder.files]
        unanswered = [t for t in missing if t in feeder.files]
        if not_handed:
            failures.append(f"no staged table handed over for {', '.join(not_handed)}")
        if unanswered:
            failures.append(f"no GX verdict for {', '.join(unanswered)}")
    if failures:
        raise RuntimeError("; ".join(failures))
    return {spec.name: outcomes[spec.name] for spec in TABLES}


def answer(begin: dict, lines: Iterator[str]) -> None:
    """Validate one request (its `begin` message read; the rest of it in `lines`) and write its
    result file (the error, when it fails)."""
    from checks.suite_runner import outcomes_to_json, params_from_json
    from pipelines.settings import duckdb_memory_limit, gx_workers

    result = Path(begin["result"])
    try:
        outcomes = validate_with_workers(Path(begin["folder"]), lines, params_from_json(begin["params"]),
                                         duckdb_memory_limit(), gx_workers())
        result.write_text(json.dumps({"outcomes": outcomes_to_json(outcomes)}, ensure_ascii=False), encoding="utf-8")
    except Exception as err:  # noqa: BLE001 - the run reports it: the parent reads this file
        result.write_text(json.dumps(error_doc(err)), encoding="utf-8")


def serve(lines: Iterator[str]) -> None:
    """Answer request after request: a `begin` message, its tables, its `end`; `done` after each."""
    for line in lines:  # ends when the run's process closes our input
        message = json.loads(line) if line.strip() else {}
        if "begin" in message:
            answer(message["begin"], lines)
            print("done", flush=True)


def main() -> int:
    from checks.validate import load_gx

    # background work: the run's own process needs the cores first (at city scale staging and
    # the indicators use both); the suites are wanted only at the end, by the quality step
    os.nice(10)
    load_gx()  # the slow part, done while the run ingests and stages
    serve(iter(sys.stdin.readline, ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
