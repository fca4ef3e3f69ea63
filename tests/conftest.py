"""Shared test plumbing: where ../shared is, and running the real `fec` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def shared_or_skip(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared exists in the team's workspace and CI, not in a user's clone")
    return path


def run_fec(*args: str | Path, warehouse: Path, timeout: int = 300,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The installed command as a user runs it, in a subprocess, with a private warehouse (and
    an ephemeral Dagster instance unless `env` names a DAGSTER_HOME)."""
    environment = os.environ | {"FEC_WAREHOUSE_DIR": str(warehouse)}
    environment.pop("DAGSTER_HOME", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *map(str, args)],
        capture_output=True, text=True, env=environment, cwd=REPO, timeout=timeout,
    )
