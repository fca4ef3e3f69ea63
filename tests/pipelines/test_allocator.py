"""Polars' allocator settings for pipeline runs (pipelines/allocator.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from pipelines.allocator import JEMALLOC_SETTINGS, RUN_SETTINGS, tune_polars_allocator
from pipelines.settings import REPO_ROOT


def test_the_run_settings_go_into_an_environment_without_any():
    environ: dict[str, str] = {}
    assert tune_polars_allocator(environ, loaded=set())
    assert environ == {JEMALLOC_SETTINGS: RUN_SETTINGS}


def test_a_users_own_setting_is_kept():
    environ = {JEMALLOC_SETTINGS: "dirty_decay_ms:0"}
    assert not tune_polars_allocator(environ, loaded=set())
    assert environ == {JEMALLOC_SETTINGS: "dirty_decay_ms:0"}


def test_nothing_is_set_once_polars_is_loaded():
    environ: dict[str, str] = {}
    assert not tune_polars_allocator(environ, loaded={"polars"})
    assert environ == {}


def _python(code: str, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != JEMALLOC_SETTINGS} | extra
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO_ROOT,
                          timeout=120, check=True)


def test_importing_the_package_before_polars_gives_polars_the_run_settings_last():
    shown = _python("import os, pipelines, polars; print(os.environ['_RJEM_MALLOC_CONF'])").stdout.strip()
    assert shown.startswith("dirty_decay_ms:500")  # Polars' own, which ours follow and so override
    assert shown.endswith("," + RUN_SETTINGS)


def test_jemalloc_takes_the_run_settings_without_complaint():
    run = _python("import polars as pl; pl.DataFrame({'a': range(10)}).sum()",
                  **{JEMALLOC_SETTINGS: RUN_SETTINGS + ",stats_print:true"})
    assert "Invalid conf" not in run.stderr
    assert "opt.oversize_threshold: 0" in run.stderr
    assert "opt.dirty_decay_ms: 5000" in run.stderr
