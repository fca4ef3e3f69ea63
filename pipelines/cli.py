"""The `fec` command: evaluate a source, generate a synthetic city, serve the dashboard.

`fec evaluate` materialises the same Dagster assets the schedules run, in-process, then writes
the contract's CSV files. Exit status: 0 success, 2 fatal input error, 3 blocked by a data-quality
check, 1 anything else; on 2 and 3 nothing is written to --out and nothing is published.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_FATAL, EXIT_BLOCKED = 0, 1, 2, 3


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fec", description="Full employment community evaluation (充分就业社区评定)")
    commands = parser.add_subparsers(dest="command", required=True)

    evaluate = commands.add_parser("evaluate", help="evaluate a source folder and write the result CSVs")
    evaluate.add_argument("--source", required=True, type=Path, help="folder with one file per source table")
    evaluate.add_argument("--year", required=True, type=int, help="evaluation year Y")
    evaluate.add_argument("--as-of", type=_date, default=None, help="as-of date (default: the ruleset's official date)")
    evaluate.add_argument("--rules", default=None, help="ruleset name under data/rules/ or a TOML file")
    evaluate.add_argument("--out", required=True, type=Path, help="folder for the five output CSV files")
    evaluate.add_argument("--warehouse", type=Path, default=None,
                          help="warehouse folder (default: $FEC_WAREHOUSE_DIR or data/warehouse)")
    evaluate.add_argument("--verbose", action="store_true", help="show Dagster's run log")
    evaluate.add_argument("--stats", type=Path, default=None,
                          help="write each step's and stage's wall time and peak memory to this JSON file")

    backfill = commands.add_parser("backfill", help="evaluate and publish every month-end of a year")
    backfill.add_argument("--source", required=True, type=Path)
    backfill.add_argument("--year", required=True, type=int)
    backfill.add_argument("--from-month", type=int, default=1, choices=range(1, 13), metavar="M",
                          help="start at this month's end (1-12, default 1): resume a backfill that stopped")
    backfill.add_argument("--rules", default=None)
    backfill.add_argument("--warehouse", type=Path, default=None)
    backfill.add_argument("--verbose", action="store_true")

    generate = commands.add_parser("generate", help="write a synthetic city's source tables")
    generate.add_argument("--out", required=True, type=Path)
    generate.add_argument("--year", type=int, default=2020)
    generate.add_argument("--scale", type=int, default=200_000, help="number of residents (default 200000)")
    generate.add_argument("--seed", type=int, default=20201111, help="random seed (default 20201111)")
    generate.add_argument("--encoding", choices=("utf-8", "gb18030"), default="utf-8")

    docs = commands.add_parser("quality-docs", help="build Great Expectations Data Docs (HTML) from the snapshot")
    docs.add_argument("--warehouse", type=Path, default=None,
                      help="warehouse folder (default: $FEC_WAREHOUSE_DIR or data/warehouse)")
    docs.add_argument("--as-of", type=_date, default=None, help="evaluation date (default: the latest published)")
    docs.add_argument("--out", type=Path, default=None, help="folder for the HTML (default: data/quality_docs)")

    demo = commands.add_parser("demo", help="generate a demo city (once), evaluate it, serve the dashboard")
    demo.add_argument("--scale", type=int, default=200_000, help="residents of the demo city (default 200000)")
    demo.add_argument("--port", type=int, default=8501)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--no-serve", action="store_true", help="stop after publishing the results")

    dashboard = commands.add_parser("dashboard", help="serve the dashboard on the current snapshot")
    dashboard.add_argument("--port", type=int, default=8501)
    dashboard.add_argument("--host", default="127.0.0.1")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("evaluate", "backfill", "demo"):
        from pipelines.settings import gx_workers

        try:  # a bad setting is said before any work, not found by the quality step at the end
            gx_workers()
        except ValueError as err:
            print(f"error: {err}", file=sys.stderr)
            return EXIT_FAILURE
    if args.command == "evaluate":
        from pipelines.evaluate import run_evaluate

        return run_evaluate(args)
    if args.command == "backfill":
        from pipelines.evaluate import run_backfill

        return run_backfill(args)
    if args.command == "generate":
        from pipelines.generate import run_generate

        return run_generate(args)
    if args.command == "quality-docs":
        from pipelines.quality_docs import run_quality_docs

        return run_quality_docs(args)
    if args.command == "demo":
        from pipelines.demo import run_demo

        return run_demo(args)
    if args.command == "dashboard":
        from pipelines.demo import run_dashboard

        return run_dashboard(args)
    return EXIT_FAILURE


def entry() -> None:
    """The `fec` console command: main(), then a quick exit.

    Once a run is done, tearing down the interpreter (freeing every object of Dagster, Polars
    and DuckDB one by one) takes about a second and does nothing the kernel would not do when
    the process ends. So the exit handlers run, the output is flushed, and the process ends.
    """
    status = main()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    entry()
