"""Staging kept for the next run of the process: linked back only for the same files on the same day."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import polars as pl
import pytest

from assets.ingest.contract import TABLES_BY_NAME
from assets.ingest.landing import land_table
from assets.staging import reuse
from assets.staging.validate import StagingCounts

TODAY = dt.date(2026, 12, 1)
COUNTS = [StagingCounts("residents", "residents.csv", 3, 2, 0, 1)]
QUARANTINE = pl.DataFrame({"table": ["residents"], "row_number": [3], "reason": ["invalid_id: person_id is empty"]})


@pytest.fixture(autouse=True)
def nothing_kept():
    reuse.forget()
    yield
    reuse.forget()


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / "residents.csv").write_text(
        "person_id,name,gender,birth_date,household_id,community_code,has_work_ability\n"
        "410402199001011234,A,1,1990-01-01,H1,410402001001,Y\n", encoding="utf-8")
    return folder


def landed(source, folder):
    return {"residents": land_table(TABLES_BY_NAME["residents"], source / "residents.csv", folder)}


def staged_run(tmp_path, name: str):
    """A build's tables folder as staging leaves it: one staged Parquet file."""
    tables = tmp_path / "builds" / name / "tables"
    tables.mkdir(parents=True)
    frame = pl.DataFrame({"person_id": ["410402199001011234"], "row_number": [1]})
    frame.write_parquet(tables / "stg_residents.parquet")
    return tables


def output(as_of: str = "2020-10-31") -> reuse.StagingOutput:
    return reuse.StagingOutput(COUNTS, [QUARANTINE], [], {"residents": "utf-8"}, staged_for=as_of)


def test_the_next_run_on_the_same_files_links_the_kept_tables(tmp_path, source):
    first = staged_run(tmp_path, "first")
    key = reuse.staging_key(landed(source, tmp_path), TODAY)
    reuse.keep(key, first, ["stg_residents.parquet"], output())
    second = tmp_path / "builds" / "second" / "tables"
    recalled = reuse.recall(reuse.staging_key(landed(source, tmp_path), TODAY), second)
    assert recalled is not None and recalled.counts == COUNTS and recalled.staged_for == "2020-10-31"
    assert recalled.quarantines[0].equals(QUARANTINE)
    linked = second / "stg_residents.parquet"
    assert linked.stat().st_ino == (first / "stg_residents.parquet").stat().st_ino  # a link, not a copy
    assert pl.read_parquet(linked).get_column("person_id").to_list() == ["410402199001011234"]


def test_the_kept_tables_outlive_the_build_that_staged_them(tmp_path, source):
    first = staged_run(tmp_path, "first")
    key = reuse.staging_key(landed(source, tmp_path), TODAY)
    reuse.keep(key, first, ["stg_residents.parquet"], output())
    (first / "stg_residents.parquet").unlink()  # fec removes each build once it is published
    second = tmp_path / "builds" / "second" / "tables"
    assert reuse.recall(key, second) is not None
    assert pl.read_parquet(second / "stg_residents.parquet").height == 1


def test_a_changed_file_or_another_day_stages_again(tmp_path, source):
    first = staged_run(tmp_path, "first")
    reuse.keep(reuse.staging_key(landed(source, tmp_path), TODAY), first, ["stg_residents.parquet"], output())
    elsewhere = tmp_path / "builds" / "other" / "tables"
    assert reuse.recall(reuse.staging_key(landed(source, tmp_path), TODAY + dt.timedelta(days=1)), elsewhere) is None
    with (source / "residents.csv").open("a", encoding="utf-8") as handle:
        handle.write("410402199001021234,B,1,1990-01-02,H2,410402001001,Y\n")
    assert reuse.recall(reuse.staging_key(landed(source, tmp_path), TODAY), elsewhere) is None
    assert not elsewhere.exists()  # nothing linked


def test_nothing_is_recalled_when_nothing_was_kept(tmp_path, source):
    assert reuse.recall(reuse.staging_key(landed(source, tmp_path), TODAY), tmp_path / "t") is None


def test_forget_removes_the_kept_folder_and_a_dead_process_folder_goes_with_the_next_keep(tmp_path, source):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / "builds" / f"{reuse.FOLDER_PREFIX}{dead.stdout.strip()}"
    alive = tmp_path / "builds" / f"{reuse.FOLDER_PREFIX}{os.getppid()}"
    abandoned.mkdir(parents=True)
    alive.mkdir()
    first = staged_run(tmp_path, "first")
    reuse.keep(reuse.staging_key(landed(source, tmp_path), TODAY), first, ["stg_residents.parquet"], output())
    kept = tmp_path / "builds" / f"{reuse.FOLDER_PREFIX}{os.getpid()}"
    assert (kept / "stg_residents.parquet").exists()
    assert not abandoned.exists() and alive.exists()  # only a folder whose process is gone is removed
    reuse.forget()
    assert not kept.exists()
