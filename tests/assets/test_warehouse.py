"""Frames in and out of DuckDB through the Arrow C stream interface: every type the pipeline
stores comes back as it went in, a registered frame can be read twice in one query, and a run
never imports pyarrow for it."""

from __future__ import annotations

import datetime as dt
import decimal
import subprocess
import sys

import duckdb
import polars as pl
from polars.testing import assert_frame_equal

from assets.warehouse import read_frame, register_frame, write_frame
from tests.conftest import REPO

EVERY_TYPE = pl.DataFrame(
    {
        "code": ["410402001001", None, "四一〇"],
        "rows": pl.Series([3, None, -1], dtype=pl.Int64),
        "day": [dt.date(2020, 2, 29), None, dt.date(1900, 1, 1)],
        "flag": [True, None, False],
        "rate": pl.Series([decimal.Decimal("0.9"), None, decimal.Decimal("1")], dtype=pl.Decimal(38, 10)),
        "share": [0.25, None, 1.0],
    }
)


def test_a_frame_written_and_read_back_is_the_same_frame():
    con = duckdb.connect()
    write_frame(con, "t", EVERY_TYPE)
    assert_frame_equal(read_frame(con, "SELECT * FROM t"), EVERY_TYPE)
    empty = EVERY_TYPE.head(0)
    write_frame(con, "e", empty)
    assert_frame_equal(read_frame(con, "SELECT * FROM e"), empty)


def test_a_registered_frame_can_be_read_twice_in_one_query():
    con = duckdb.connect()
    register_frame(con, "r", EVERY_TYPE)
    both = read_frame(con, "SELECT count(*) AS n FROM r AS a JOIN r AS b ON a.code = b.code")
    assert both.item() == 2  # the two non-empty codes, each matching itself
    assert read_frame(con, "SELECT sum(rows) AS s FROM r WHERE rows > $least", {"least": 0}).item() == 3


def test_moving_frames_does_not_import_pyarrow():
    code = ("import sys, duckdb, polars as pl; from assets.warehouse import read_frame, write_frame; "
            "con = duckdb.connect(); write_frame(con, 't', pl.DataFrame({'a': [1]})); "
            "assert read_frame(con, 'SELECT * FROM t').item() == 1; print('pyarrow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "False"), done.stderr


def _fsync_mode(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('fsync_mode')").fetchall()[0][0]


def _compressions(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    con.execute("CHECKPOINT")
    rows = con.execute("SELECT DISTINCT compression FROM pragma_storage_info(?)", [table]).fetchall()
    return {row[0] for row in rows}


def test_only_a_build_no_one_reads_again_skips_waiting_for_the_disk(tmp_path):
    """A scheduled run's build stays durable and compressed; the CLI's private build (deleted when
    its process ends) does not wait for the disk at its commits, nor compress what it stores."""
    from pipelines.resources import WarehouseResource

    kept = WarehouseResource(root=str(tmp_path / "kept"))
    repetitive = pl.DataFrame({"code": ["410402001001"] * 50_000, "n": list(range(50_000))})
    with kept.connect_build("2020-12-31") as con:
        assert _fsync_mode(con) == "STANDARD"
        write_frame(con, "r", repetitive)
        assert "Uncompressed" not in _compressions(con, "r")
    private = WarehouseResource(root=str(tmp_path / "private"), build_name="cli-x", durable_build=False)
    with private.connect_build("2020-12-31") as con:
        assert _fsync_mode(con) == "NONE"
        write_frame(con, "t", EVERY_TYPE)
        write_frame(con, "r", repetitive)
        assert _compressions(con, "r") <= {"Uncompressed", "Constant"}  # no RLE, dictionary or bit-packing
    with duckdb.connect(str(private.build_path("2020-12-31")), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM t").fetchall()[0][0] == EVERY_TYPE.height  # still written
