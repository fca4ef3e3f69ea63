"""`fec quality-docs`: Great Expectations Data Docs rendered from the served snapshot, on demand."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines import settings
from pipelines.cli import EXIT_FAILURE, EXIT_OK


def run_quality_docs(args: argparse.Namespace) -> int:
    from checks.docs import DataDocsError, build_data_docs

    served = Path(args.warehouse or settings.warehouse_dir()) / "served.duckdb"
    if not served.exists():
        print(f"error: no published snapshot at {served}: run fec evaluate or fec demo first", file=sys.stderr)
        return EXIT_FAILURE
    out = args.out or settings.DATA_DIR / "quality_docs"
    try:
        index = build_data_docs(served, out, args.as_of)
    except DataDocsError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"Data Docs: {index.resolve().as_uri()}")
    return EXIT_OK
