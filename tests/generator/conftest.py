"""Small generated cities shared by the generator tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import GenerationSummary, generate_city

SHARED = Path(__file__).resolve().parents[3] / "shared"
SCALE = 8000


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    """A UTF-8 city of 8,000 residents."""
    return generate_city(tmp_path_factory.mktemp("city") / "source", scale=SCALE)


@pytest.fixture(scope="session")
def gb_city(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    """The same city written as a GB18030 government export."""
    return generate_city(tmp_path_factory.mktemp("gb") / "source", scale=SCALE, encoding="gb18030")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared folder (skips when this checkout has none beside it)."""
    if not SHARED.is_dir():
        pytest.skip(f"no shared folder at {SHARED}")
    return SHARED
