"""`fec evaluate` as a user runs it: a real process, a real Dagster run, real files."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json

import dagster as dg
import duckdb
import pytest

from assets.results.export import OUTPUT_COLUMNS
from tests.conftest import run_fec, shared_or_skip
from tests.fixtures.sources import COMMUNITY, add_application, make_id, star_community, with_bad_checksum


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_compare():
    path = shared_or_skip("examples", "compare.py")
    spec = importlib.util.spec_from_file_location("shared_compare", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example_cases():
    from tests.conftest import SHARED

    folder = SHARED / "examples"
    return sorted(p.name for p in folder.iterdir() if (p / "case.json").exists()) if folder.exists() else ["absent"]


@pytest.mark.parametrize("case", example_cases())
def test_worked_example(case, tmp_path):
    folder = shared_or_skip("examples", case)
    spec = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    done = run_fec("evaluate", "--source", folder / "source", "--year", spec["year"], "--as-of", spec["as_of"],
                   "--out", out, warehouse=tmp_path / "wh")
    assert done.returncode == spec.get("exit_status", 0), done.stderr
    if spec["expect"] == "ok":
        passed, failed, problems = load_compare().compare_dirs(str(folder / "expected"), str(out), strict=True)
        assert (failed, problems) == (0, [])
        assert passed == 5
    else:
        assert not out.exists()
        message = done.stderr.strip()
        assert len(message.splitlines()) == 1
        for alternatives in spec["mentions"]:
            assert any(word in message for word in alternatives), message


def test_outputs_have_exactly_the_contract_columns(tmp_path):
    source = star_community()
    add_application(source, "star")
    done = run_fec("evaluate", "--source", source.write(tmp_path / "src"), "--year", "2020", "--out",
                   tmp_path / "out", warehouse=tmp_path / "wh")
    assert done.returncode == 0, done.stderr
    for table, columns in OUTPUT_COLUMNS.items():
        with (tmp_path / "out" / f"{table}.csv").open(encoding="utf-8") as handle:
            assert tuple(next(csv.reader(handle))) == columns
    results = read_csv(tmp_path / "out" / "community_results.csv")
    assert [(r["community_code"], r["qualified_tier"], r["awarded_tier"], r["reward_yuan"]) for r in results] == [
        (COMMUNITY, "star", "star", "30000")]
    summary = read_csv(tmp_path / "out" / "county_summary.csv")
    assert [(s["county_code"], s["awarded_star"], s["reward_yuan"]) for s in summary] == [("410402", "1", "30000")]

    docs = run_fec("quality-docs", "--out", tmp_path / "docs", warehouse=tmp_path / "wh")
    assert docs.returncode == 0, docs.stderr
    index = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    assert "stg_residents" in index


def test_fatal_input_writes_nothing_and_names_the_file(tmp_path):
    source = star_community().write(tmp_path / "src")
    data = (source / "labour_registry.csv").read_bytes()
    (source / "labour_registry.csv").write_bytes(data + "张".encode()[:2])  # cut inside a character
    out = tmp_path / "out"
    done = run_fec("evaluate", "--source", source, "--year", "2020", "--out", out, warehouse=tmp_path / "wh")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("fatal: labour_registry.csv: the file is cut")
    assert not out.exists()
    assert not (tmp_path / "wh" / "served.duckdb").exists()


def test_empty_communities_is_fatal(tmp_path):
    source = star_community()
    source.rows["communities"] = []
    done = run_fec("evaluate", "--source", source.write(tmp_path / "src"), "--year", "2020", "--out",
                   tmp_path / "out", warehouse=tmp_path / "wh")
    assert (done.returncode, done.stderr.strip()) == (
        2, "fatal: communities.csv: communities is empty: there is no community to evaluate")
    assert not (tmp_path / "out").exists()


def test_mostly_quarantined_table_blocks_publication(tmp_path):
    good = star_community()
    add_application(good, "star")
    first = run_fec("evaluate", "--source", good.write(tmp_path / "good"), "--year", "2020", "--out",
                    tmp_path / "out1", warehouse=tmp_path / "wh")
    assert first.returncode == 0, first.stderr
    served = tmp_path / "wh" / "served.duckdb"
    before = served.read_bytes()

    bad = star_community()
    for n in range(120):
        pid = make_id(dt.date(1980, 1, 1) + dt.timedelta(days=n), n + 10)
        bad.add("residents", person_id=with_bad_checksum(pid) if n < 70 else pid, name="王芳",
                household_id=f"H{n}", community_code=COMMUNITY, has_work_ability=True)
    out = tmp_path / "out2"
    done = run_fec("evaluate", "--source", bad.write(tmp_path / "bad"), "--year", "2020", "--out", out,
                   warehouse=tmp_path / "wh")
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("blocked: quarantine_share: table residents lost 70 of 123 rows")
    assert not out.exists()
    assert served.read_bytes() == before


def test_required_table_emptied_blocks(tmp_path):
    source = star_community()
    source.rows["service_logs"] = [r | {"community_code": "410402009999"} for r in source.rows["service_logs"]]
    out = tmp_path / "out"
    done = run_fec("evaluate", "--source", source.write(tmp_path / "src"), "--year", "2020", "--out", out,
                   warehouse=tmp_path / "wh")
    assert done.returncode == 3
    assert done.stderr.startswith("blocked: required_table_emptied: required table service_logs lost all 2 rows")
    assert not out.exists()


def test_each_as_of_is_kept_in_the_served_snapshot(tmp_path):
    source = star_community().write(tmp_path / "src")
    for as_of in ("2020-06-30", "2020-12-31", "2020-06-30"):
        done = run_fec("evaluate", "--source", source, "--year", "2020", "--as-of", as_of, "--out",
                       tmp_path / f"out-{as_of}", warehouse=tmp_path / "wh")
        assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(tmp_path / "wh" / "served.duckdb"), read_only=True)
    runs = con.execute("SELECT as_of, provisional FROM runs ORDER BY as_of").fetchall()
    per_as_of = con.execute("SELECT as_of, count(*) FROM community_results GROUP BY as_of ORDER BY as_of").fetchall()
    # the CLI's build is stored uncompressed (a scratch file); the served snapshot is compressed
    compressions = {row[0] for row in con.execute(
        "SELECT DISTINCT compression FROM pragma_storage_info('community_indicators')").fetchall()}
    con.close()
    assert compressions - {"Uncompressed", "Constant"}, compressions
    assert runs == [(dt.date(2020, 6, 30), True), (dt.date(2020, 12, 31), False)]
    assert per_as_of == [(dt.date(2020, 6, 30), 1), (dt.date(2020, 12, 31), 1)]
    assert not list((tmp_path / "wh" / "builds").iterdir())


def test_a_second_ruleset_is_used_without_code_changes(tmp_path):
    from tests.conftest import REPO

    text = (REPO / "data" / "rules" / "pingdingshan-2020.toml").read_text(encoding="utf-8")
    stricter = tmp_path / "stricter.toml"
    stricter.write_text(text.replace('id = "pingdingshan-2020"', 'id = "stricter"').replace(
        'municipal = { indicator = "satisfaction_rate", threshold = 0.90 }',
        'municipal = { indicator = "satisfaction_rate", threshold = 1.00 }'), encoding="utf-8")
    source = star_community()
    source.rows["satisfaction_surveys"][0]["rating"] = "neutral"  # 9 of 10 satisfied
    done = run_fec("evaluate", "--source", source.write(tmp_path / "src"), "--year", "2020", "--rules", stricter,
                   "--out", tmp_path / "out", warehouse=tmp_path / "wh")
    assert done.returncode == 0, done.stderr
    criteria = {(r["tier"], r["criterion_id"]): r for r in read_csv(tmp_path / "out" / "community_criteria.csv")}
    assert (criteria[("municipal", "M6_satisfaction")]["threshold"], criteria[("municipal", "M6_satisfaction")][
        "outcome"], criteria[("municipal", "M6_satisfaction")]["shortfall"]) == ("1.00", "fail", "1")
    assert criteria[("star", "M6_satisfaction")]["outcome"] == "pass"
    # star_requires_municipal: a star community must also meet the stricter municipal threshold
    results = read_csv(tmp_path / "out" / "community_results.csv")
    assert [(r["qualified_tier"], r["failed_municipal"], r["failed_star"]) for r in results] == [
        ("none", "M6_satisfaction", "")]


@pytest.mark.parametrize("kill_after_s", [2.5, 4.0, 5.5])
def test_a_killed_run_leaves_the_previous_snapshot_served(tmp_path, kill_after_s):
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import REPO

    first = run_fec("evaluate", "--source", star_community().write(tmp_path / "small"), "--year", "2020",
                    "--as-of", "2020-06-30", "--out", tmp_path / "out1", warehouse=tmp_path / "wh")
    assert first.returncode == 0, first.stderr
    served = tmp_path / "wh" / "served.duckdb"
    before = served.read_bytes()

    big = star_community()
    for n in range(30_000):
        big.add("residents", person_id=make_id(dt.date(1960, 1, 1) + dt.timedelta(days=n % 15_000), n + 10),
                name="王芳", household_id=f"H{n}", community_code=COMMUNITY, has_work_ability=True)
    source = big.write(tmp_path / "big")
    env = os.environ | {"FEC_WAREHOUSE_DIR": str(tmp_path / "wh")}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "evaluate", "--source", str(source), "--year", "2020",
         "--as-of", "2020-12-31", "--out", str(tmp_path / "out2")], cwd=REPO, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(kill_after_s)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{served}' AS s (READ_ONLY)")
    published = con.execute("SELECT as_of FROM s.runs ORDER BY as_of").fetchall()
    con.close()
    if published == [(dt.date(2020, 6, 30),)]:  # killed before the swap
        assert served.read_bytes() == before
        assert not (tmp_path / "out2").exists()
    else:  # the run had finished publishing: the new snapshot is whole
        assert published == [(dt.date(2020, 6, 30),), (dt.date(2020, 12, 31),)]


def test_backfill_publishes_each_month_end_from_the_month_asked(tmp_path):
    """The last two month-ends (two runs in one process; a whole year of the same runs is the
    benchmark's backfill): each published, only the year-end official, and staging done once."""
    from tests.conftest import REPO

    dagster_home = tmp_path / "dagster"  # a recorded instance, to read each run's metadata after
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    done = run_fec("backfill", "--source", REPO / "tests" / "fixtures" / "cities" / "tiny", "--year", "2020",
                   "--from-month", "11", warehouse=tmp_path / "wh", env={"DAGSTER_HOME": str(dagster_home)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["evaluated 2020 as of 2020-11-30 (provisional)",
                                        "evaluated 2020 as of 2020-12-31"]
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        staged_by = {
            record.partition_key: record.asset_materialization.metadata["staged_by"].value
            for record in instance.fetch_materializations(dg.AssetKey("stg_residents"), limit=10).records
        }
    # staging does not depend on as_of: the second run links what the first staged from the same files
    assert staged_by == {"2020-11-30": "this run",
                         "2020-12-31": "reused from this process's run as of 2020-11-30 (the same source files)"}
    assert not list((tmp_path / "wh" / "builds").glob(".staging-reuse-*"))  # removed when the process ended
    con = duckdb.connect(str(tmp_path / "wh" / "served.duckdb"), read_only=True)
    runs = con.execute("SELECT as_of, provisional FROM runs ORDER BY as_of").fetchall()
    december = con.execute(
        "SELECT community_code, qualified_tier, awarded_tier, reward_yuan FROM community_results "
        "WHERE as_of = DATE '2020-12-31' ORDER BY community_code").fetchall()
    november = con.execute("SELECT count(*) FROM community_results WHERE as_of = DATE '2020-11-30'").fetchall()
    counts = {as_of: con.execute('SELECT "table", input_rows, used_rows, quarantined_rows FROM staging_counts '
                                 'WHERE as_of = ? ORDER BY "table"', [as_of]).fetchall()
              for as_of in (dt.date(2020, 11, 30), dt.date(2020, 12, 31))}
    con.close()
    assert runs == [(dt.date(2020, 11, 30), True), (dt.date(2020, 12, 31), False)]
    # the same verdicts as the year-end run of test_evaluate_writes_..., which stages for itself
    assert december == [("410402001001", "star", "star", 30000), ("410402001002", "none", "none", 0),
                        ("410422100001", "star", "municipal", 20000)]
    assert november == [(3,)]
    assert counts[dt.date(2020, 12, 31)] == counts[dt.date(2020, 11, 30)]  # the reused staging's counts
    assert ("residents", 9, 9, 0) in counts[dt.date(2020, 12, 31)]


def test_backfill_rejects_a_month_outside_the_year(tmp_path):
    done = run_fec("backfill", "--source", tmp_path, "--year", "2020", "--from-month", "13", warehouse=tmp_path / "wh")
    assert done.returncode == 2
    assert "--from-month" in done.stderr and "invalid choice" in done.stderr


def test_a_bad_gx_workers_setting_stops_before_any_work(tmp_path):
    done = run_fec("evaluate", "--source", tmp_path, "--year", "2020", "--out", tmp_path / "out",
                   warehouse=tmp_path / "wh", env={"FEC_GX_WORKERS": "zero"})
    assert done.returncode == 1
    assert done.stderr.strip() == "error: FEC_GX_WORKERS must be a whole number of at least 1, not 'zero'"
    assert not (tmp_path / "wh").exists()
