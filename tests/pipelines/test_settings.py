"""Settings read from the environment."""

from __future__ import annotations

import os

import pytest

from pipelines.settings import MAX_GX_WORKERS, gx_worker_threads, gx_workers


def test_gx_workers_defaults_to_the_cores_and_reads_the_setting(monkeypatch):
    monkeypatch.delenv("FEC_GX_WORKERS", raising=False)
    assert gx_workers() == max(1, min(len(os.sched_getaffinity(0)), MAX_GX_WORKERS))
    monkeypatch.setenv("FEC_GX_WORKERS", "3")
    assert gx_workers() == 3


@pytest.mark.parametrize("text", ["0", "-1", "two", ""])
def test_a_bad_gx_workers_setting_is_a_clear_error(monkeypatch, text):
    monkeypatch.setenv("FEC_GX_WORKERS", text)
    with pytest.raises(ValueError, match="FEC_GX_WORKERS must be a whole number of at least 1"):
        gx_workers()


@pytest.mark.parametrize(("workers", "cores", "threads"), [(2, 2, 1), (1, 2, 2), (2, 8, 4), (3, 8, 2), (4, 2, 1)])
def test_gx_workers_share_the_cores_among_their_duckdb_threads(workers, cores, threads):
    assert gx_worker_threads(workers, cores) == threads


def test_gx_worker_threads_default_to_the_cores_this_process_may_use():
    assert gx_worker_threads(1) == len(os.sched_getaffinity(0))
