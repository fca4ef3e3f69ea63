"""How the GX side process hands a request's tables to its forked workers as they come."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from assets.ingest.contract import TABLES, TABLES_BY_NAME
from assets.staging.store import staged_parquet_files
from checks.suite_runner import work_order
from checks.suite_worker import (
    QUEUE_RECORD_BYTES,
    Feeder,
    QueuedTable,
    TableQueue,
    serve,
    validate_with_workers,
    views_file,
)

CITY_SIZES = {  # staged Parquet bytes of the generated 3M city (seed 20201111), rounded; the rest small
    "residents": 160_000_000, "labour_registry": 67_000_000, "service_logs": 10_600_000,
    "unemployment_registrations": 4_700_000, "new_employment": 3_500_000,
} | {spec.name: 20_000 for spec in TABLES if spec.name not in {
    "residents", "labour_registry", "service_logs", "unemployment_registrations", "new_employment"}}


def test_tables_handed_over_together_go_largest_first_and_ties_by_name():
    order = work_order(CITY_SIZES)
    assert order[:5] == ["residents", "labour_registry", "service_logs", "unemployment_registrations",
                         "new_employment"]
    assert order[5:] == sorted(order[5:])
    assert sorted(order) == sorted(CITY_SIZES)


def _item(table: str) -> QueuedTable:
    return QueuedTable(table, {table: f"/build/tables/stg_{table}.parquet"})


def test_a_queue_hands_out_its_tables_in_order_then_ends():
    queue = TableQueue()
    try:
        queue.put(_item("residents"))
        queue.put(_item("communities"))
        queue.close_writer()
        assert list(queue) == [_item("residents"), _item("communities")]
        assert queue.next() is None
    finally:
        queue.close()


def test_a_reader_waits_for_the_next_table_until_the_queue_is_closed():
    queue = TableQueue()
    taken: list[QueuedTable] = []
    reader = threading.Thread(target=lambda: taken.extend(queue))
    reader.start()
    try:
        queue.put(_item("communities"))
        time.sleep(0.2)
        assert reader.is_alive()  # an empty queue still open for writing is not its end
        queue.put(_item("residents"))
        queue.close_writer()
        reader.join(timeout=10)
        assert not reader.is_alive()
        assert taken == [_item("communities"), _item("residents")]
    finally:
        queue.close()


def test_paths_too_long_for_a_record_are_refused_with_the_table_named():
    with pytest.raises(ValueError, match="residents"):
        QueuedTable("residents", {"residents": "/x" * QUEUE_RECORD_BYTES}).record()


def test_forked_readers_take_every_table_exactly_once(tmp_path):
    """Four processes drain one queue while it is written: each table comes out once, whole, in one process."""
    names = [f"table_{i:03d}" for i in range(300)]
    queue = TableQueue()
    children = []
    for number in range(3):
        pid = os.fork()
        if pid == 0:  # a reader: write what it took, then leave without running pytest's teardown
            code = 0
            try:
                queue.close_writer()
                taken = [item.table for item in queue]
                (tmp_path / f"reader{number}.txt").write_text("\n".join(taken), encoding="utf-8")
            except BaseException:  # noqa: BLE001 - the parent sees the missing file
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    writer = threading.Thread(target=lambda: ([queue.put(_item(n)) for n in names], queue.close_writer()))
    writer.start()  # 300 records fill the pipe many times over: the readers drain it as it fills
    taken_here = [item.table for item in queue]
    writer.join()
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    queue.close()
    taken = [taken_here] + [
        [n for n in (tmp_path / f"reader{i}.txt").read_text(encoding="utf-8").split("\n") if n] for i in range(3)
    ]
    everything = [name for share in taken for name in share]
    assert sorted(everything) == names  # none lost, none twice, none cut
    for share in taken:  # each reader took them in the queue's order
        assert share == sorted(share)


def _queued(queue: TableQueue) -> list[QueuedTable]:
    queue.close_writer()
    try:
        return list(queue)
    finally:
        queue.close()


def test_a_table_waits_for_the_tables_its_suite_looks_up(staged):
    """residents reads stg_communities; unemployment_registrations reads stg_labour_registry too."""
    _, _, params = staged
    queue = TableQueue()
    feeder = Feeder(queue, params)
    feeder.add("unemployment_registrations", "/t/ur.parquet")
    feeder.add("residents", "/t/res.parquet")
    feeder.add("communities", "/t/com.parquet")  # releases residents, not unemployment_registrations
    feeder.add("labour_registry", "/t/lr.parquet")  # releases both that waited for it
    feeder.end()
    assert _queued(queue) == [
        QueuedTable("residents", {"communities": "/t/com.parquet", "residents": "/t/res.parquet"}),
        QueuedTable("communities", {"communities": "/t/com.parquet"}),
        QueuedTable("unemployment_registrations", {"communities": "/t/com.parquet", "labour_registry": "/t/lr.parquet",
                                                   "unemployment_registrations": "/t/ur.parquet"}),
        QueuedTable("labour_registry", {"communities": "/t/com.parquet", "labour_registry": "/t/lr.parquet"}),
    ]


def test_at_the_end_a_table_whose_reference_never_came_is_queued_with_what_there_is(staged):
    _, _, params = staged
    queue = TableQueue()
    feeder = Feeder(queue, params)
    feeder.feed(iter([json.dumps({"table": "residents", "path": "/t/res.parquet"}) + "\n",
                      json.dumps({"end": True}) + "\n",
                      json.dumps({"begin": {}}) + "\n"]))  # the next request: not read
    assert _queued(queue) == [QueuedTable("residents", {"residents": "/t/res.parquet"})]


@pytest.fixture
def tables(tmp_path, staged):
    """The staged tables copied here (a test may remove one)."""
    _, build, _ = staged
    return {table: str(shutil.copy(path, tmp_path / path.name))
            for table, path in staged_parquet_files(build / "tables").items()}


def _request(tables: dict[str, str]) -> list[str]:
    return [json.dumps({"table": t, "path": p}) + "\n" for t, p in tables.items()] + [json.dumps({"end": True}) + "\n"]


@pytest.mark.parametrize("workers", [1, 2])
def test_every_table_handed_over_gets_its_verdicts(tmp_path, tables, staged, workers):
    _, _, params = staged
    outcomes = validate_with_workers(tmp_path, iter(_request(tables)), params, "1GB", workers)
    assert list(outcomes) == list(TABLES_BY_NAME)
    failing = {r for o in outcomes.values() for r, e in o.expectations.items() if not e.success}
    assert "unemployment_registrations/registered_person/person_id" in failing  # the planted unregistered person
    made = {n for n in range(3) if views_file(tmp_path, n).exists()}  # each worker's views of its own
    assert made and made <= set(range(workers))  # (a worker may have taken no table)
    assert not list(tmp_path.glob("*.worker*.json"))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_workers_failure_is_reported_with_its_cause(tmp_path, tables, staged, workers):
    """Whichever process takes the table (this one, or a forked worker), its failure names it."""
    _, _, params = staged
    broken = "labour_registry"
    Path(tables[broken]).unlink()  # gone before its view was made: GX cannot read it
    with pytest.raises(RuntimeError, match=f"stg_{broken}"):
        validate_with_workers(tmp_path, iter(_request(tables)), params, "1GB", workers)
    assert not list(tmp_path.glob("*.worker*.json"))


def test_a_table_never_handed_over_is_named(tmp_path, tables, staged):
    _, _, params = staged
    del tables["fraud_findings"]
    with pytest.raises(RuntimeError, match="no staged table handed over for fraud_findings"):
        validate_with_workers(tmp_path, iter(_request(tables)), params, "1GB", 2)


def test_the_side_process_answers_each_request_and_skips_nothing_of_the_next(tmp_path, tables, staged, capsys):
    """Two requests back to back on one input: two result files, two answers."""
    _, _, params = staged
    from checks.suite_runner import params_to_json

    lines = []
    for number in (1, 2):
        folder = tmp_path / f"run{number}"
        folder.mkdir()
        begin = {"params": params_to_json(params), "folder": str(folder), "result": str(folder / "result.json")}
        lines += [json.dumps({"begin": begin}) + "\n", *_request(tables)]
    serve(iter(lines))
    assert capsys.readouterr().out.split() == ["done", "done"]
    for number in (1, 2):
        doc = json.loads((tmp_path / f"run{number}" / "result.json").read_text(encoding="utf-8"))
        assert set(doc["outcomes"]) == set(TABLES_BY_NAME)
