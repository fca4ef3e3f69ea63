"""The benchmark script: its measurements are real (rows loaded, memory held) and its report
adds up (the ratio is computed from the figures it prints)."""

from __future__ import annotations

import re
import sys

import polars as pl
import pytest

from benchmarks import run as bench

ALLOCATE = "import time; block = bytearray({mb} * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); {after}"


@pytest.fixture(scope="module")
def small_city(tmp_path_factory):
    """A generated city of 2,000 residents, as the benchmark makes one (fec generate, fixed seed)."""
    work = tmp_path_factory.mktemp("bench")
    city = work / "city-2000-7"
    assert bench.ensure_city(city, 2000, 7) > 0
    return work, city


def test_the_floor_loads_every_row_of_every_csv(small_city):
    _, city = small_city
    seconds, rows = bench.floor_seconds(city, "*.csv")
    expected = sum(pl.read_csv(path, infer_schema=False).height for path in city.glob("*.csv"))
    assert rows == expected and rows > 2000  # residents alone are 2,000
    assert 0 < seconds < 30


def test_a_reused_city_is_not_generated_again(small_city):
    _, city = small_city
    assert bench.ensure_city(city, 2000, 7) == 0.0


def test_memory_of_a_process_and_of_its_tree():
    """A child holding 200 MB while its own child holds 150 MB: the largest process is the child,
    the tree holds both at once."""
    grandchild = ALLOCATE.format(mb=150, after="time.sleep(1.5)")
    child = ALLOCATE.format(
        mb=200, after=f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}], check=True)"
    )
    measured = bench.run_process([sys.executable, "-c", child])
    assert measured.returncode == 0, measured.stderr
    assert 200 <= measured.peak_rss_mb < 300
    assert measured.tree_peak_mb >= 350
    assert measured.seconds >= 1.5


def test_the_report_prints_every_stage_and_a_ratio_of_its_own_figures(small_city, capsys):
    work, _ = small_city
    assert bench.main(["--scale", "2000", "--seed", "7", "--repeat", "1", "--work", str(work)]) == 0
    report = capsys.readouterr().out
    for label in bench.STAGE_LABELS.values():
        assert re.search(rf"^{re.escape(label)}\s+\d+\.\d\d\s+\d+\.\d\d", report, re.MULTILINE), label
    summary = re.search(r"^SUMMARY scale=2000 T=([\d.]+)s F=([\d.]+)s floor=([\d.]+)s ratio=(-?[\d.]+) "
                        r"peak_tree=([\d,]+)MB peak_process=([\d,]+)MB$", report, re.MULTILINE)
    assert summary, report
    total, fixed, floor, ratio = (float(summary.group(i)) for i in range(1, 5))
    assert ratio == pytest.approx((total - fixed) / floor, abs=0.02 + 0.01 / floor)
    assert int(summary.group(5).replace(",", "")) >= int(summary.group(6).replace(",", "")) > 100
    assert re.search(r"^county page query \(county leader, uncached, median of 5\): [\d.]+ ms", report, re.MULTILINE)
    assert "city: 2,000 residents, seed 7 (reused)" in report
