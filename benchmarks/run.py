"""The performance benchmark: whole-process `fec evaluate` against DuckDB's own load time.

    uv run python -m benchmarks.run --scale 3000000 [--seed 20201111] [--work DIR] [--parquet] [--backfill]

It generates a city (or reuses one in --work), then prints one line per stage of the Dagster
run (wall time, input rows per second, peak memory at the end of the stage), the floor (DuckDB
loading every CSV once into typed tables), the fixed cost F (a whole `fec evaluate` on the tiny
fixture city) and the marginal ratio (T - F) / floor that we track. Figures, not assertions:
docs/performance.md records them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TINY_CITY = REPO / "tests" / "fixtures" / "cities" / "tiny"
STAGE_OF_GROUP = {
    "ingest": "ingest",
    "staging": "staging/quarantine",
    "quality": "quality checks",
    "indicators": "indicators",
    "results": "results",
    "publish": "publish",
}
STAGES = ["ingest", "staging/quarantine", "quality checks", "indicators", "results", "publish"]

FLOOR_SCRIPT = """
import sys, time, duckdb
from pathlib import Path
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
started = time.perf_counter()
rows = 0
for path in sorted(Path(sys.argv[1]).glob(sys.argv[2])):
    reader = "read_csv" if path.suffix == ".csv" else "read_parquet"
    con.execute(f"CREATE TABLE {path.stem} AS SELECT * FROM {reader}('{path}')")
    rows += con.execute(f"SELECT count(*) FROM {path.stem}").fetchall()[0][0]
print(time.perf_counter() - started, rows)
"""


@dataclass
class ProcessRun:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_process(args: list[str], env: dict[str, str] | None = None) -> ProcessRun:
    """Wall time and the peak resident set of the child process tree's largest member."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO)
    seconds = time.perf_counter() - started
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return ProcessRun(seconds, peak, done.returncode, done.stdout, done.stderr)


def fec(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "pipelines.cli", *map(str, args)]


def ensure_city(folder: Path, scale: int, seed: int) -> float:
    if (folder / "manifest.json").exists():
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("scale") == scale and manifest.get("seed") == seed:
            return 0.0
    run = run_process(fec("generate", "--out", folder, "--scale", scale, "--seed", seed))
    if run.returncode:
        raise SystemExit(f"generate failed: {run.stderr}")
    return run.seconds


def to_parquet(csv_dir: Path, parquet_dir: Path) -> None:
    import duckdb

    parquet_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for path in sorted(csv_dir.glob("*.csv")):
        target = parquet_dir / f"{path.stem}.parquet"
        if not target.exists():
            con.execute(f"COPY (SELECT * FROM read_csv('{path}')) TO '{target}' (FORMAT parquet)")


def floor_seconds(folder: Path, pattern: str) -> tuple[float, int]:
    run = run_process([sys.executable, "-c", FLOOR_SCRIPT, str(folder), pattern])
    if run.returncode:
        raise SystemExit(f"floor measurement failed: {run.stderr}")
    seconds, rows = run.stdout.split()[-2:]
    return float(seconds), int(rows)


def evaluate(source: Path, warehouse: Path, dagster_home: Path, as_of: str = "2020-12-31") -> ProcessRun:
    env = os.environ | {"FEC_WAREHOUSE_DIR": str(warehouse), "DAGSTER_HOME": str(dagster_home)}
    dagster_home.mkdir(parents=True, exist_ok=True)
    (dagster_home / "dagster.yaml").touch()
    run = run_process(fec("evaluate", "--source", source, "--year", "2020", "--as-of", as_of, "--out",
                          warehouse / f"out-{as_of}"), env)
    if run.returncode:
        raise SystemExit(f"evaluate failed ({run.returncode}): {run.stderr}")
    return run


def stage_figures(dagster_home: Path) -> dict[str, tuple[float, float]]:
    """Per stage: summed step seconds and the peak RSS reported by its last materialisation."""
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    import dagster as dg

    from pipelines.definitions import defs

    group_of_step: dict[str, str] = {}
    for definition in defs.assets or []:
        groups = set(definition.group_names_by_key.values())
        group_of_step[definition.node_def.name] = groups.pop() if len(groups) == 1 else ""
    for checks in defs.asset_checks or []:
        names = {key.name for key in checks.check_keys}
        blocking = names <= {"required_table_emptied", "quarantine_share"}
        group_of_step[checks.node_def.name] = "staging" if blocking else "quality"
    instance = dg.DagsterInstance.get()
    run = instance.get_runs(limit=1)[0]
    figures: dict[str, list[float]] = {stage: [0.0, 0.0] for stage in STAGES}
    for stats in instance.get_run_step_stats(run.run_id):
        stage = STAGE_OF_GROUP.get(group_of_step.get(stats.step_key, ""), "quality checks")
        figures[stage][0] += (stats.end_time or 0) - (stats.start_time or 0)
    for record in instance.all_logs(run.run_id):
        event = record.dagster_event
        if event is None or not event.is_step_materialization:
            continue
        peak = event.step_materialization_data.materialization.metadata.get("peak_rss_mb")
        stage = STAGE_OF_GROUP.get(group_of_step.get(event.step_key or "", ""), "quality checks")
        if peak is not None:
            figures[stage][1] = max(figures[stage][1], float(peak.value))
    return {stage: (secs, peak) for stage, (secs, peak) in figures.items()}


def county_query_ms(warehouse: Path) -> float | None:
    """The county page's query (criteria ranked by communities failing and persons short)."""
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    try:
        from dashboard import queries
    except ImportError:
        return None
    snapshot = queries.current_snapshot(warehouse / "served.duckdb")
    if snapshot is None:
        return None
    as_of = dt.date(2020, 12, 31)
    county = queries.counties(snapshot, queries.Scope(), as_of).get_column("county_code")[0]
    leader = queries.Scope(county_code=county)  # a county leader's own page, filtered in SQL
    started = time.perf_counter()
    queries.criterion_failures.__wrapped__(snapshot, leader, as_of, "star", county)
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20201111)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "fec-bench")
    parser.add_argument("--parquet", action="store_true", help="also time the same city from Parquet sources")
    parser.add_argument("--backfill", action="store_true", help="also time a backfill of the 12 month-ends")
    args = parser.parse_args(argv)

    city = args.work / f"city-{args.scale}-{args.seed}"
    generated = ensure_city(city, args.scale, args.seed)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"DuckDB memory_limit {os.environ.get('FEC_DUCKDB_MEMORY_LIMIT', '3GB')}")
    origin = f"generated in {generated:.1f} s" if generated else "reused"
    print(f"city: {args.scale:,} residents, seed {args.seed} ({origin})")

    floor, rows = floor_seconds(city, "*.csv")
    tiny = evaluate(TINY_CITY, args.work / "wh-tiny", args.work / "dh-tiny")
    home = args.work / f"dh-{args.scale}"
    whole = evaluate(city, args.work / f"wh-{args.scale}", home)
    stages = stage_figures(home)
    print(f"{'stage':<20}{'seconds':>9}{'rows/s':>14}{'peak MB':>10}")
    for stage in STAGES:
        seconds, peak = stages[stage]
        rate = f"{rows / seconds:,.0f}" if seconds > 0 else "-"
        print(f"{stage:<20}{seconds:>9.2f}{rate:>14}{peak:>10.0f}")
    ratio = (whole.seconds - tiny.seconds) / floor
    print(f"floor (DuckDB typed load of {rows:,} CSV rows): {floor:.2f} s")
    print(f"fixed cost F (tiny fixture city, whole process): {tiny.seconds:.2f} s")
    print(f"T (whole process, {args.scale:,} residents): {whole.seconds:.2f} s, peak RSS {whole.peak_rss_mb:,.0f} MB")
    query = county_query_ms(args.work / f"wh-{args.scale}")
    if query is not None:
        print(f"county page query: {query:.1f} ms")
    if args.parquet:
        parquet = args.work / f"city-{args.scale}-{args.seed}-parquet"
        to_parquet(city, parquet)
        pfloor, _ = floor_seconds(parquet, "*.parquet")
        prun = evaluate(parquet, args.work / f"wh-{args.scale}-pq", args.work / f"dh-{args.scale}-pq")
        print(f"parquet: T {prun.seconds:.2f} s, floor {pfloor:.2f} s, peak RSS {prun.peak_rss_mb:,.0f} MB")
    if args.backfill:
        one = evaluate(city, args.work / f"wh-{args.scale}-m", args.work / f"dh-{args.scale}-m", "2020-06-30")
        env = os.environ | {"FEC_WAREHOUSE_DIR": str(args.work / f"wh-{args.scale}-bf")}
        env.pop("DAGSTER_HOME", None)
        backfill = run_process(fec("backfill", "--source", city, "--year", "2020"), env)
        print(f"one month-end: {one.seconds:.2f} s; backfill of 12 month-ends: {backfill.seconds:.2f} s "
              f"(peak RSS {backfill.peak_rss_mb:,.0f} MB)")
    print(f"SUMMARY scale={args.scale} T={whole.seconds:.2f}s F={tiny.seconds:.2f}s floor={floor:.2f}s "
          f"ratio={(ratio):.2f} peak_rss={whole.peak_rss_mb:,.0f}MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
