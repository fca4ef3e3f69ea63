"""How the GX side process shares a request's tables among its forked workers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assets.ingest.contract import TABLES
from assets.staging.store import staged_parquet_files
from checks.suite_worker import TABLE_OVERHEAD_BYTES, build_views, split_tables, validate_in_shares

CITY_SIZES = {  # staged Parquet bytes of the generated 3M city (seed 20201111), rounded; the rest small
    "residents": 160_000_000, "labour_registry": 67_000_000, "service_logs": 10_600_000,
    "unemployment_registrations": 4_700_000, "new_employment": 3_500_000,
} | {spec.name: 20_000 for spec in TABLES if spec.name not in {
    "residents", "labour_registry", "service_logs", "unemployment_registrations", "new_employment"}}


def test_every_table_is_in_exactly_one_share():
    shares = split_tables(CITY_SIZES, 2)
    assert len(shares) == 2
    assert sorted(t for share in shares for t in share) == sorted(CITY_SIZES)


def test_the_two_largest_tables_go_to_different_workers():
    shares = split_tables(CITY_SIZES, 2)
    assert {share[0] for share in shares} == {"residents", "labour_registry"}


def test_small_tables_are_shared_by_count_when_sizes_do_not_tell_them_apart():
    shares = split_tables({f"t{i}": 1_000 for i in range(17)}, 2)
    assert sorted(len(share) for share in shares) == [8, 9]


def test_the_shares_work_is_balanced_within_one_table():
    shares = split_tables(CITY_SIZES, 2)
    loads = [sum(CITY_SIZES[t] + TABLE_OVERHEAD_BYTES for t in share) for share in shares]
    largest = max(CITY_SIZES.values()) + TABLE_OVERHEAD_BYTES
    assert abs(loads[0] - loads[1]) <= largest


def test_one_worker_takes_everything_and_no_share_is_ever_empty():
    assert split_tables(CITY_SIZES, 1) == [sorted(CITY_SIZES, key=lambda t: (-CITY_SIZES[t], t))]
    assert split_tables({"a": 5, "b": 1}, 4) == [["a"], ["b"]]
    assert split_tables({"a": 5}, 0) == [["a"]]


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


def test_a_forked_workers_failure_is_reported_with_its_cause(views, staged):
    _, _, params = staged
    views_file, tables = views
    sizes = {spec.name: Path(tables[spec.name]).stat().st_size for spec in TABLES}
    in_the_child = split_tables(sizes, 2)[1][0]  # a table the forked worker validates, not this process
    Path(tables[in_the_child]).unlink()  # gone after its view was made: GX cannot connect to it
    with pytest.raises(RuntimeError, match=f"stg_{in_the_child}"):
        validate_in_shares(views_file, tables, params, "1GB", 2)
