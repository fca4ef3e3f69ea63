"""Staging kept for the next run of the same process, when that run stages the same files (a backfill).

`fec backfill` evaluates the month-ends of one drop one after another in one process. Staging
depends on the source files and on the run date (an ID's birth date may not lie after it), never
on the as_of date, so every run after the first would read, check and write the same tables again
(about 10 s of each 3M run). Once enabled (`enable`, by the backfill command), a run that stages
hard-links its staged Parquet files into a folder beside the builds and keeps its quarantine and
counts in memory; the next run whose landed files are the same files (path, size, modification
time, encoding) on the same run date links them into its own build instead of staging again.

One set is kept (a backfill stages one drop); the folder is removed when the process exits, and a
folder left by a process that was killed is removed by the next one that keeps a set.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from assets.ingest.landing import LandedFile
from assets.staging.validate import StagingCounts

FOLDER_PREFIX = ".staging-reuse-"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StagingKey:
    """What staging's output depends on: each table's file as landed, and the run date."""

    files: tuple[tuple[str, str, str, int, int], ...]  # (table, source path, encoding, size, mtime_ns)
    run_date: dt.date


@dataclass(frozen=True)
class StagingOutput:
    """What staging produces besides the staged Parquet files."""

    counts: list[StagingCounts]
    quarantines: list[pl.DataFrame]
    by_community: list[pl.DataFrame]
    encodings: dict[str, str]
    staged_for: str  # the as_of of the run that staged


@dataclass
class _Kept:
    key: StagingKey
    folder: Path
    files: list[str]
    output: StagingOutput


_enabled = False
_kept: _Kept | None = None


def enable() -> None:
    global _enabled
    _enabled = True


def enabled() -> bool:
    return _enabled


def staging_key(landed: dict[str, LandedFile], run_date: dt.date) -> StagingKey:
    return StagingKey(
        tuple(sorted((t, f.source, f.encoding, f.size, f.mtime_ns) for t, f in landed.items())), run_date
    )


def recall(key: StagingKey, tables_dir: Path) -> StagingOutput | None:
    """Link the kept staged files into `tables_dir` and return the rest of that staging, or None
    when nothing is kept for `key` (or the files cannot be linked: the run then stages)."""
    if _kept is None or _kept.key != key:
        return None
    tables_dir.mkdir(parents=True, exist_ok=True)
    try:
        for name in _kept.files:
            target = tables_dir / name
            target.unlink(missing_ok=True)
            os.link(_kept.folder / name, target)
    except OSError as err:
        logger.warning("staging is done again: the kept staged tables could not be linked (%s)", err)
        forget()
        return None
    return _kept.output


def keep(key: StagingKey, tables_dir: Path, files: list[str], output: StagingOutput) -> None:
    """Keep this run's staging (`files`, names in `tables_dir`) for the next run of the process."""
    global _kept
    forget()
    folder = tables_dir.parent.parent / f"{FOLDER_PREFIX}{os.getpid()}"
    _remove_abandoned(folder.parent)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.link(tables_dir / name, folder / name)
    except OSError as err:  # another file system, or no hard links: the next run stages again
        logger.warning("staged tables not kept for the next run (%s)", err)
        shutil.rmtree(folder, ignore_errors=True)
        return
    _kept = _Kept(key, folder, list(files), output)


def forget() -> None:
    """Drop what is kept (its folder too)."""
    global _kept
    if _kept is not None:
        shutil.rmtree(_kept.folder, ignore_errors=True)
        _kept = None


def _remove_abandoned(builds: Path) -> None:
    """Folders of processes that no longer run (killed before they could remove their own)."""
    for folder in builds.glob(f"{FOLDER_PREFIX}*"):
        pid = folder.name.removeprefix(FOLDER_PREFIX)
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


atexit.register(forget)
