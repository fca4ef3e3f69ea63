"""The performance benchmark: whole-process `fec evaluate` against DuckDB's own load time.

    uv run python -m benchmarks.run --scale 3000000 [--repeat 3] [--parquet] [--backfill] [--work DIR]

It generates a city with a fixed seed (or reuses it from --work) and measures, each as whole
processes and each --repeat times (medians are reported: this machine's timings vary by 10-20 %
from run to run):
- the floor: DuckDB loading every source CSV once into a typed table (`CREATE TABLE t AS SELECT *
  FROM read_csv(...)`), which any pipeline must at least do;
- F: `fec evaluate` on the project's smallest fixture city (imports, Dagster start-up, run
  bookkeeping and the quality checks included);
- T: `fec evaluate` on the generated city, with its stages read from the run itself
  (`fec evaluate --stats`): ingest, staging/quarantine, quality checks, indicators, results,
  publish, then the CSV export and the process overhead around them.
It prints the marginal ratio (T - F) / floor that we track, the peak resident memory of the
process (ru_maxrss of the child, as /usr/bin/time reports it), the county page's query time, and
with --parquet / --backfill the same city from Parquet sources and a month-end against a backfill
of all twelve. Figures, not assertions; docs/performance.md records them, next to the targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipelines import settings

REPO = Path(__file__).resolve().parent.parent
TINY_CITY = REPO / "tests" / "fixtures" / "cities" / "tiny"
STAGE_LABELS = {
    "ingest": "ingest",
    "staging": "staging/quarantine",
    "quality": "quality checks",
    "indicators": "indicators",
    "results": "results",
    "publish": "publish",
}
TARGETS = {"ratio": 3.0, "fixed_seconds": 15.0, "peak_gib_3m": 4.0, "peak_gib_10m": 8.0, "county_ms": 200.0}
RATIO_TARGET_SCALE = 3_000_000  # the issue sets (T - F) / floor <= 3 at this scale only

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
    peak_rss_mb: float  # the largest single process (ru_maxrss, as /usr/bin/time -v reports it)
    returncode: int
    stdout: str
    stderr: str
    tree_peak_mb: float = 0.0  # the most the process and its children held at once (sampled)
    stats: dict = field(default_factory=dict)
    warehouse: Path | None = None


class ProcessTree:
    """Resident memory of a process and all its descendants, from /proc, sampled every 50 ms
    while a run is measured; so it must cost the run next to nothing.

    The sampler shares the machine's two cores with the run it measures: reading every process's
    `stat` at each sample cost ~6 ms, a tenth of a core, taken from the run (about 1 s of a 3M
    run's T, half that of F). A process's parent is read once, when its pid first appears (this
    kernel has no /proc/<pid>/task/<tid>/children to walk the tree by), and each sample then
    reads only the tree's own `statm` files."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.parents: dict[int, int] = {}  # every live pid seen, with its parent (-1: unreadable)

    def rss_mb(self) -> float:
        live = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for pid in self.parents.keys() - live:  # ended: a new process may get its pid
            del self.parents[pid]
        for pid in live - self.parents.keys():
            self.parents[pid] = _parent_pid(pid)
        children: dict[int, list[int]] = {}
        for pid, parent in self.parents.items():
            children.setdefault(parent, []).append(pid)
        tree, frontier = [self.root], [self.root]
        while frontier:
            found = children.get(frontier.pop(), [])
            tree.extend(found)
            frontier.extend(found)
        return sum(_resident_bytes(pid) for pid in tree) / (1024 * 1024)


def _parent_pid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
        return int(stat[stat.rindex(b")") + 2:].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def run_process(args: list[str], env: dict[str, str] | None = None) -> ProcessRun:
    """Wall time and memory of one child process: its peak resident set (os.wait4, as
    /usr/bin/time -v reports it: the largest single process) and the peak of the whole process
    tree, the child and its side processes together, sampled every 50 ms from /proc.

    Linux counts in a child's ru_maxrss the resident size its parent had when it spawned it (the
    memory before exec), so the benchmark keeps itself small: every run is measured before it
    imports anything heavy (the county query's dashboard modules come last)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=REPO)
        peak_tree = [0.0]
        done = threading.Event()
        tree = ProcessTree(child.pid)

        def sample() -> None:
            while not done.wait(0.05):
                peak_tree[0] = max(peak_tree[0], tree.rss_mb())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    return ProcessRun(seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stdout, stderr,
                      max(peak_tree[0], usage.ru_maxrss / 1024))


def fec(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "pipelines.cli", *map(str, args)]


def quiet_env(**extra: str) -> dict[str, str]:
    """The environment of a user's `fec evaluate`: an ephemeral Dagster instance (no DAGSTER_HOME)."""
    env = os.environ | extra
    env.pop("DAGSTER_HOME", None)
    return env


def ensure_city(folder: Path, scale: int, seed: int) -> float:
    if (folder / "manifest.json").exists():
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("scale") == scale and manifest.get("seed") == seed:
            return 0.0
    run = run_process(fec("generate", "--out", folder, "--scale", scale, "--seed", seed))
    if run.returncode:
        raise SystemExit(f"generate failed: {run.stderr}")
    return run.seconds


TO_PARQUET_SCRIPT = """
import sys, duckdb
from pathlib import Path
con = duckdb.connect()
for path in sorted(Path(sys.argv[1]).glob("*.csv")):
    target = Path(sys.argv[2]) / f"{path.stem}.parquet"
    if not target.exists():
        con.execute(f"COPY (SELECT * FROM read_csv('{path}')) TO '{target}' (FORMAT parquet)")
"""


def to_parquet(csv_dir: Path, parquet_dir: Path) -> None:
    """The same city as Parquet files, typed by DuckDB's CSV sniffer (as an export tool would), in a
    child process: this one stays small (see run_process)."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    run = run_process([sys.executable, "-c", TO_PARQUET_SCRIPT, str(csv_dir), str(parquet_dir)])
    if run.returncode:
        raise SystemExit(f"Parquet conversion failed: {run.stderr}")


def floor_seconds(folder: Path, pattern: str) -> tuple[float, int]:
    run = run_process([sys.executable, "-c", FLOOR_SCRIPT, str(folder), pattern])
    if run.returncode:
        raise SystemExit(f"floor measurement failed: {run.stderr}")
    seconds, rows = run.stdout.split()[-2:]
    return float(seconds), int(rows)


def evaluate(source: Path, work: Path, as_of: str = "2020-12-31") -> ProcessRun:
    """One whole `fec evaluate` process into a fresh warehouse, with its --stats read back."""
    warehouse = work / f"wh-{source.name}-{as_of}-{time.monotonic_ns()}"
    stats = warehouse / "stats.json"
    warehouse.mkdir(parents=True)
    run = run_process(fec("evaluate", "--source", source, "--year", "2020", "--as-of", as_of, "--out",
                          warehouse / "out", "--warehouse", warehouse, "--stats", stats), quiet_env())
    if run.returncode:
        raise SystemExit(f"evaluate failed ({run.returncode}): {run.stderr}")
    run.stats = json.loads(stats.read_text(encoding="utf-8"))
    run.warehouse = warehouse
    return run


def discard_warehouses(runs: list[ProcessRun], keep: ProcessRun | None = None) -> None:
    """Delete the warehouses the runs wrote (all but `keep`'s): each holds a snapshot and its
    history, tens of MB at city scale, and a benchmark that is run again and again filled the disk."""
    for run in runs:
        if run is not keep and run.warehouse is not None:
            shutil.rmtree(run.warehouse, ignore_errors=True)


def median_run(runs: list[ProcessRun]) -> ProcessRun:
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def spread(values: list[float]) -> str:
    return f"median of {len(values)}: " + ", ".join(f"{v:.2f}" for v in sorted(values)) if len(values) > 1 else ""


def stage_seconds(run: ProcessRun) -> dict[str, float]:
    stages = run.stats.get("stages", {})
    return {stage: float(stages.get(stage, {}).get("seconds") or 0.0) for stage in STAGE_LABELS}


def stage_peaks(run: ProcessRun) -> dict[str, float]:
    stages = run.stats.get("stages", {})
    return {stage: float(stages.get(stage, {}).get("peak_rss_mb") or 0.0) for stage in STAGE_LABELS}


def county_query_ms(warehouse: Path, repeat: int = 5) -> float | None:
    """The county page's query (criteria ranked by communities failing and persons short), as a
    county leader (filtered in SQL), uncached: the median of `repeat` calls."""
    try:
        import streamlit.logger

        streamlit.logger.set_log_level("error")  # outside a server its caches warn on every import
        from dashboard import queries
    except ImportError:
        return None
    snapshot = queries.current_snapshot(warehouse / "served.duckdb")
    if snapshot is None:
        return None
    as_of = dt.date(2020, 12, 31)
    county = queries.counties(snapshot, queries.Scope(), as_of).get_column("county_code")[0]
    leader = queries.Scope(county_code=county)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        queries.criterion_failures.__wrapped__(snapshot, leader, as_of, "star", county)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def ratio_verdict(scale: int, ratio: float) -> str:
    """The ratio's target and verdict, at the scale the target is set for; elsewhere only where it
    is set (at 10M the issue asks only that the run completes within its memory, and a verdict
    there read as a failure)."""
    if scale != RATIO_TARGET_SCALE:
        return f"(the target <= {TARGETS['ratio']:.0f} is set at {RATIO_TARGET_SCALE:,} residents)"
    return f"target <= {TARGETS['ratio']:.0f}: {verdict(ratio <= TARGETS['ratio'])}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="residents of the generated city")
    parser.add_argument("--seed", type=int, default=20201111)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of F and T, and twice as many of the floor (medians are reported)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "fec-bench")
    parser.add_argument("--parquet", action="store_true", help="also time the same city from Parquet sources")
    parser.add_argument("--backfill", action="store_true", help="also time a backfill of the 12 month-ends")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    city = args.work / f"city-{args.scale}-{args.seed}"
    generated = ensure_city(city, args.scale, args.seed)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"DuckDB memory_limit {settings.duckdb_memory_limit()}, GX workers {settings.gx_workers()}")
    origin = f"generated in {generated:.1f} s" if generated else "reused"
    print(f"city: {args.scale:,} residents, seed {args.seed} ({origin})", flush=True)

    floors, tinies, wholes = [], [], []
    rows = 0
    for _ in range(repeat):  # interleaved, so a slow spell of the machine touches all three alike
        seconds, rows = floor_seconds(city, "*.csv")
        floors.append(seconds)
        tinies.append(evaluate(TINY_CITY, args.work))
        seconds, rows = floor_seconds(city, "*.csv")  # the floor is short: twice as many samples
        floors.append(seconds)
        wholes.append(evaluate(city, args.work))
    floor = statistics.median(floors)
    tiny, whole = median_run(tinies), median_run(wholes)
    discard_warehouses(tinies + wholes, keep=whole)  # whole's serves the county query, last
    fixed = statistics.median(r.seconds for r in tinies)
    total = statistics.median(r.seconds for r in wholes)
    peak = max(r.peak_rss_mb for r in wholes)
    tree_peak = max(r.tree_peak_mb for r in wholes)
    ratio = (total - fixed) / floor

    at_scale, at_tiny, peaks = stage_seconds(whole), stage_seconds(tiny), stage_peaks(whole)
    print(f"\nstages of the median run ({rows:,} source rows); 'tiny' is the same stage in F's median run")
    print(f"{'stage':<34}{'seconds':>9}{'tiny':>8}{'marginal':>10}{'rows/s':>13}{'peak MB':>9}")
    for stage, label in STAGE_LABELS.items():
        seconds = at_scale[stage]
        rate = f"{rows / seconds:,.0f}" if seconds > 0 else "-"
        print(f"{label:<34}{seconds:>9.2f}{at_tiny[stage]:>8.2f}{seconds - at_tiny[stage]:>10.2f}{rate:>13}"
              f"{peaks[stage]:>9.0f}")
    export, tiny_export = whole.stats.get("export_seconds", 0.0), tiny.stats.get("export_seconds", 0.0)
    print(f"{'CSV export':<34}{export:>9.2f}{tiny_export:>8.2f}{export - tiny_export:>10.2f}")
    overhead = whole.seconds - sum(at_scale.values()) - export
    tiny_overhead = tiny.seconds - sum(at_tiny.values()) - tiny_export
    print(f"{'start-up, imports, run bookkeeping':<34}{overhead:>9.2f}{tiny_overhead:>8.2f}"
          f"{overhead - tiny_overhead:>10.2f}")

    print(f"\nfloor (DuckDB typed load of {rows:,} CSV rows): {floor:.2f} s  ({spread(floors)})")
    print(f"F (tiny fixture city, whole process): {fixed:.2f} s  ({spread([r.seconds for r in tinies])})  "
          f"target <= {TARGETS['fixed_seconds']:.0f} s: {verdict(fixed <= TARGETS['fixed_seconds'])}")
    print(f"T ({args.scale:,} residents, whole process): {total:.2f} s  ({spread([r.seconds for r in wholes])})")
    print(f"(T - F) / floor: {ratio:.2f}  {ratio_verdict(args.scale, ratio)}")
    limit = TARGETS["peak_gib_10m"] if args.scale > 3_000_000 else TARGETS["peak_gib_3m"]
    print(f"peak memory (max of {len(wholes)} runs): the process tree together {tree_peak:,.0f} MB  "
          f"target <= {limit:.0f} GiB: {verdict(tree_peak <= limit * 1024)}; the largest single process "
          f"(ru_maxrss, as /usr/bin/time -v) {peak:,.0f} MB")
    if args.parquet:
        parquet = args.work / f"city-{args.scale}-{args.seed}-parquet"
        to_parquet(city, parquet)
        pfloor, _ = floor_seconds(parquet, "*.parquet")
        pruns = [evaluate(parquet, args.work) for _ in range(repeat)]
        ptotal = statistics.median(r.seconds for r in pruns)
        discard_warehouses(pruns)
        print(f"Parquet sources: T {ptotal:.2f} s ({spread([r.seconds for r in pruns])}), floor {pfloor:.2f} s, "
              f"(T - F) / CSV floor {(ptotal - fixed) / floor:.2f}, peak memory of the tree "
              f"{max(r.tree_peak_mb for r in pruns):,.0f} MB")
    if args.backfill:
        one = evaluate(city, args.work, "2020-06-30")
        warehouse = args.work / f"wh-backfill-{time.monotonic_ns()}"
        backfill = run_process(fec("backfill", "--source", city, "--year", "2020", "--warehouse", warehouse),
                               quiet_env())
        discard_warehouses([one])
        shutil.rmtree(warehouse, ignore_errors=True)
        if backfill.returncode:
            raise SystemExit(f"backfill failed ({backfill.returncode}): {backfill.stderr}")
        print(f"one month-end (2020-06-30): {one.seconds:.2f} s; backfill of the 12 month-ends in one process: "
              f"{backfill.seconds:.2f} s ({backfill.seconds / 12:.2f} s each, peak memory of the tree "
              f"{backfill.tree_peak_mb:,.0f} MB)")
    # last: it imports the dashboard's modules into this process, which would then count in the
    # ru_maxrss of every process it spawned afterwards
    query = county_query_ms(whole.warehouse) if whole.warehouse else None
    discard_warehouses([whole])
    if query is not None:
        print(f"county page query (county leader, uncached, median of 5): {query:.1f} ms  "
              f"target <= {TARGETS['county_ms']:.0f} ms: {verdict(query <= TARGETS['county_ms'])}")
    print(f"SUMMARY scale={args.scale} T={total:.2f}s F={fixed:.2f}s floor={floor:.2f}s ratio={ratio:.2f} "
          f"peak_tree={tree_peak:,.0f}MB peak_process={peak:,.0f}MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
