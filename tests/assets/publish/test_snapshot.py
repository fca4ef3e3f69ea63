"""Publishing: history by as_of, rollback copies, and readers that never see a half-written file."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import duckdb
import pytest

from assets.publish.snapshot import PUBLISHED_TABLES, publish_snapshot
from tests.conftest import REPO


def make_build(path, rows: int, tag: str, as_of: dt.date = dt.date(2020, 1, 1)):
    """A build warehouse with every published table, `rows` rows tagged `tag` (as a run for `as_of`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    for table, has_as_of in PUBLISHED_TABLES.items():
        as_of_column = "?::DATE AS as_of, " if has_as_of else ""
        params = [as_of, tag, rows] if has_as_of else [tag, rows]
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {as_of_column}range AS n, ? AS tag FROM range(?)",
                    params)
    con.close()
    return path


def served_rows(served, as_of) -> list[tuple]:
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{served}' AS s (READ_ONLY)")
    rows = con.execute("SELECT tag, count(*) FROM s.community_results WHERE as_of = ? GROUP BY tag",
                       [as_of]).fetchall()
    con.close()
    return rows


def test_each_as_of_replaces_only_itself(tmp_path):
    served = tmp_path / "served.duckdb"
    june, july = dt.date(2020, 6, 30), dt.date(2020, 7, 31)
    publish_snapshot(make_build(tmp_path / "b1.duckdb", 3, "first", june), served, june, {"year": 2020})
    publish_snapshot(make_build(tmp_path / "b2.duckdb", 2, "second", july), served, july, {"year": 2020})
    publish_snapshot(make_build(tmp_path / "b3.duckdb", 4, "third", june), served, june, {"year": 2020})
    assert served_rows(served, june) == [("third", 4)]
    assert served_rows(served, july) == [("second", 2)]


def test_previous_snapshots_are_kept_for_rollback(tmp_path):
    served = tmp_path / "served.duckdb"
    for n in range(4):
        publish_snapshot(make_build(tmp_path / f"b{n}.duckdb", n + 1, f"v{n}", dt.date(2020, 6, 30)), served,
                         dt.date(2020, 6, 30), {"year": 2020}, keep=2)
    kept = sorted((tmp_path / "snapshots").glob("served-*.duckdb"))
    assert len(kept) == 2
    assert served_rows(kept[-1], dt.date(2020, 6, 30)) == [("v2", 3)]
    assert not list(tmp_path.glob(".served.duckdb.*.tmp"))


WRITER = """
import datetime as dt, sys
from pathlib import Path
from assets.publish.snapshot import publish_snapshot
build, served = Path(sys.argv[1]), Path(sys.argv[2])
for n in range(int(sys.argv[3])):
    publish_snapshot(build, served, dt.date(2020, 1, 1), {"year": 2020})
"""


def test_readers_see_whole_snapshots_while_a_writer_publishes(tmp_path):
    served = tmp_path / "served.duckdb"
    build = make_build(tmp_path / "build.duckdb", 20_000, "x")
    publish_snapshot(build, served, dt.date(2020, 1, 1), {"year": 2020})
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(build), str(served), "12"], cwd=REPO)
    reads = 0
    try:
        while writer.poll() is None or reads == 0:
            con = duckdb.connect(":memory:")
            con.execute(f"ATTACH '{served}' AS s (READ_ONLY)")
            per_as_of = con.execute("SELECT as_of, count(*) FROM s.community_results GROUP BY as_of").fetchall()
            con.close()
            assert {count for _, count in per_as_of} == {20_000}
            reads += 1
    finally:
        writer.wait(timeout=120)
    assert writer.returncode == 0
    assert reads > 3


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8])
def test_a_writer_killed_mid_publish_leaves_the_served_snapshot_readable(tmp_path, delay):
    served = tmp_path / "served.duckdb"
    publish_snapshot(make_build(tmp_path / "small.duckdb", 10, "old"), served, dt.date(2020, 1, 1), {"year": 2020})
    before = served.read_bytes()
    build = make_build(tmp_path / "big.duckdb", 300_000, "new")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(build), str(served), "1"], cwd=REPO)
    time.sleep(delay + 1.0)  # the interpreter and duckdb import take about a second
    writer.kill()
    writer.wait()
    rows = served_rows(served, dt.date(2020, 1, 1))
    assert rows in ([("old", 10)], [("new", 300_000)])
    if rows == [("old", 10)]:  # killed before the swap: not a byte changed
        assert served.read_bytes() == before
