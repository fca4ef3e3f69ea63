"""The GX side process of checks/suite_runner.py: import GX at once, then validate each request.

    python -m checks.suite_worker     (started by SuiteRunner; reads requests on standard input)
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path


def build_views(views: Path, tables: dict[str, str]) -> None:
    """A DuckDB file of this process's own: stg_<table> as a view of each staged Parquet file."""
    from assets.warehouse import connect, create_parquet_view

    views.unlink(missing_ok=True)
    with connect(views) as con:
        for table, path in tables.items():
            create_parquet_view(con, f"stg_{table}", Path(path))


def answer(job: dict) -> None:
    """Validate one request and write its result file (the error, when it fails)."""
    from checks.suite_runner import outcomes_to_json, params_from_json
    from checks.validate import validate_warehouse
    from pipelines.settings import duckdb_memory_limit

    result = Path(job["result"])
    try:
        views = Path(job["views"])
        build_views(views, job["tables"])
        outcomes = validate_warehouse(views, params_from_json(job["params"]), memory_limit=duckdb_memory_limit())
        result.write_text(json.dumps({"outcomes": outcomes_to_json(outcomes)}, ensure_ascii=False), encoding="utf-8")
    except Exception:  # noqa: BLE001 - the run reports it: the parent reads this file
        result.write_text(json.dumps({"error": traceback.format_exc()}), encoding="utf-8")


def main() -> int:
    import os

    from checks.validate import load_gx

    # background work: the run's own process needs the cores first (at city scale staging and
    # the indicators use both); the suites are wanted only at the end, by the quality step
    os.nice(10)
    load_gx()  # the slow part, done while the run ingests and stages
    for line in sys.stdin:  # ends when the run's process closes our input
        if line.strip():
            answer(json.loads(line))
            print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
