"""A served snapshot of the planted city (tests/dashboard/city_source.py) at two as-of dates,
published by the real `fec evaluate`, shared by the dashboard's tests; and per-test
warehouses so that each test has its own audit log."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.demo_users import DemoAccount, write_demo_users
from dashboard.queries import Snapshot, current_snapshot
from tests.conftest import run_fec
from tests.dashboard.city_source import AS_OF_DATES, COUNTY_NAMES, GUANGMING, write_city_source

DEMO_BCRYPT_ROUNDS = 4  # the cheapest cost bcrypt allows: log-in is exercised, not the hash's strength


@pytest.fixture(scope="session")
def published_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse `fec evaluate` published the city into, once per session (do not write to it)."""
    root = tmp_path_factory.mktemp("dashboard-city")
    source = write_city_source(root / "source")
    warehouse = root / "warehouse"
    for as_of in AS_OF_DATES:
        result = run_fec("evaluate", "--source", source, "--year", "2020", "--as-of", as_of.isoformat(),
                         "--out", root / f"out-{as_of.isoformat()}", warehouse=warehouse)
        assert result.returncode == 0, result.stderr
    return warehouse


@pytest.fixture
def warehouse(published_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the published warehouse, made the current one (FEC_WAREHOUSE_DIR), with
    demo accounts; its audit log starts empty."""
    private = tmp_path / "warehouse"
    private.mkdir()
    shutil.copy2(published_warehouse / "served.duckdb", private / "served.duckdb")
    monkeypatch.setenv("FEC_WAREHOUSE_DIR", str(private))
    monkeypatch.delenv("FEC_USERS_FILE", raising=False)
    return private


@pytest.fixture
def demo_accounts(warehouse: Path) -> dict[str, DemoAccount]:
    accounts = write_demo_users(warehouse / "users.yaml", sorted(COUNTY_NAMES.items()), GUANGMING,
                                bcrypt_rounds=DEMO_BCRYPT_ROUNDS)
    return {a.username: a for a in accounts}


@pytest.fixture
def snapshot(warehouse: Path) -> Snapshot:
    found = current_snapshot(warehouse / "served.duckdb")
    assert found is not None
    return found
