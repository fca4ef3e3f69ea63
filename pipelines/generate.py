"""`fec generate`: a synthetic city's source tables (see generator/)."""

from __future__ import annotations

import argparse
import sys
import time

from pipelines.cli import EXIT_FAILURE, EXIT_OK


def run_generate(args: argparse.Namespace) -> int:
    from generator.city import generate_city

    started = time.perf_counter()
    try:
        summary = generate_city(args.out, year=args.year, scale=args.scale, seed=args.seed, encoding=args.encoding)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILURE
    took = time.perf_counter() - started
    print(summary.report())
    print(f"wrote {args.out} in {took:.1f} s")
    return EXIT_OK
