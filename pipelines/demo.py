"""`fec demo` and `fec dashboard`: the one-command tour of the product on a synthetic city.

The demo generates a city once (data/generated/demo), evaluates it at each quarter-end of the
year so the dashboard has trends (the last is the official evaluation), then serves the dashboard.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import sys
from pathlib import Path

from pipelines import settings
from pipelines.cli import EXIT_FAILURE, EXIT_OK

DEMO_YEAR = 2020
DEMO_SEED = 20201111
QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))


def ensure_demo_city(source: Path, scale: int) -> None:
    if (source / "manifest.json").exists():
        print(f"using the demo city in {source}")
        return
    from generator.city import generate_city

    print(f"generating a demo city of {scale:,} residents in {source} ...")
    generate_city(source, year=DEMO_YEAR, scale=scale, seed=DEMO_SEED)


def evaluate_quarters(source: Path, warehouse: Path) -> int:
    from pipelines.evaluate import evaluate_source, quiet_dagster

    quiet_dagster()
    results = settings.DATA_DIR / "generated" / "demo-results"
    for month, day in QUARTER_ENDS:
        as_of = dt.date(DEMO_YEAR, month, day)
        outcome = evaluate_source(source, DEMO_YEAR, as_of, None, warehouse, results / as_of.isoformat())
        if outcome.exit_status != EXIT_OK:
            print(outcome.message, file=sys.stderr)
            return outcome.exit_status
        print(f"  {outcome.message}")
    print(f"results: {results}/<as_of>/*.csv; served snapshot: {warehouse / 'served.duckdb'}")
    return EXIT_OK


def dashboard_available() -> bool:
    return importlib.util.find_spec("dashboard.server") is not None


def serve_dashboard(port: int, host: str, warehouse: Path, demo_accounts: bool) -> int:
    if not dashboard_available():
        print("the dashboard is not part of this build yet; open the CSVs above or the served snapshot")
        return EXIT_OK
    from dashboard.server import serve

    if demo_accounts:
        _print_demo_accounts(warehouse)
    print(f"dashboard: http://{host}:{port}  (Ctrl+C to stop)")
    return serve(port=port, host=host, warehouse_dir=warehouse)


def _print_demo_accounts(warehouse: Path) -> None:
    from dashboard.demo_users import write_demo_users_for_snapshot

    accounts = write_demo_users_for_snapshot(warehouse)
    print("demo accounts (user / password / role / scope):")
    for account in accounts:
        print(f"  {account.username:<22} {account.password:<18} {account.role:<16} {account.scope or 'all'}")


def run_demo(args: argparse.Namespace) -> int:
    source = settings.DEFAULT_DEMO_SOURCE
    warehouse = settings.warehouse_dir()
    try:
        ensure_demo_city(source, args.scale)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILURE
    status = evaluate_quarters(source, warehouse)
    if status != EXIT_OK or args.no_serve:
        return status
    return serve_dashboard(args.port, args.host, warehouse, demo_accounts=True)


def run_dashboard(args: argparse.Namespace) -> int:
    return serve_dashboard(args.port, args.host, settings.warehouse_dir(), demo_accounts=False)
