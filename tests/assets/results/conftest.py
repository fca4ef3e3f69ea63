from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.evaluate import Evaluate, evaluate_in


@pytest.fixture
def evaluate(tmp_path: Path) -> Evaluate:
    return evaluate_in(tmp_path)
