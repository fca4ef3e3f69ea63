"""How the GX side process hands a request's tables to its forked workers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assets.ingest.contract import TABLES
from assets.staging.store import staged_parquet_files
from checks.suite_worker import QUEUE_RECORD_BYTES, TableQueue, build_views, validate_with_workers, work_order

CITY_SIZES = {  # staged Parquet bytes of the generated 3M city (seed 20201111), rounded; the rest small
    "residents": 160_000_000, "labour_registry": 67_000_000, "service_logs": 10_600_000,
    "unemployment_registrations": 4_700_000, "new_employment": 3_500_000,
} | {spec.name: 20_000 for spec in TABLES if spec.name not in {
    "residents", "labour_registry", "service_logs", "unemployment_registrations", "new_employment"}}


def test_the_largest_tables_are_handed_out_first_and_ties_go_by_name():
    order = work_order(CITY_SIZES)
    assert order[:5] == ["residents", "labour_registry", "service_logs", "unemployment_registrations",
                         "new_employment"]
    assert order[5:] == sorted(order[5:])
    assert sorted(order) == sorted(CITY_SIZES)


def test_a_queue_hands_out_its_tables_in_order_then_ends():
    queue = TableQueue(["residents", "communities"])
    try:
        assert list(queue) == ["residents", "communities"]
        assert queue.next() is None
    finally:
        queue.close()


def test_a_name_longer_than_a_record_is_refused():
    with pytest.raises(ValueError, match="too long"):
        TableQueue(["x" * (QUEUE_RECORD_BYTES + 1)])


def test_forked_readers_take_every_table_exactly_once(tmp_path):
    """Four processes drain one queue at once: each name comes out once, whole, in one process."""
    names = [f"table_{i:03d}" for i in range(300)]
    queue = TableQueue(names)
    children = []
    for number in range(3):
        pid = os.fork()
        if pid == 0:  # a reader: write what it took, then leave without running pytest's teardown
            code = 0
            try:
                taken = list(queue)
                (tmp_path / f"reader{number}.txt").write_text("\n".join(taken), encoding="utf-8")
            except BaseException:  # noqa: BLE001 - the parent sees the missing file
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    taken_here = list(queue)
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


@pytest.fixture
def views(tmp_path, staged):
    """The staged tables copied here, and a views file over the copies (a test may remove one)."""
    _, build, _ = staged
    tables = {}
    for table, path in staged_parquet_files(build / "tables").items():
        tables[table] = str(shutil.copy(path, tmp_path / path.name))
    views = tmp_path / "views.duckdb"
    build_views(views, tables)
    return views, tables


@pytest.mark.parametrize("workers", [1, 2])
def test_a_workers_failure_is_reported_with_its_cause(views, staged, workers):
    """Whichever process takes the table (this one, or a forked worker), its failure names it."""
    _, _, params = staged
    views_file, tables = views
    broken = "labour_registry"
    Path(tables[broken]).unlink()  # gone after its view was made: GX cannot read it
    with pytest.raises(RuntimeError, match=f"stg_{broken}"):
        validate_with_workers(views_file, tables, params, "1GB", workers)
    assert not list(views_file.parent.glob("*.worker*.json"))
