"""Messy real files through ingest and staging: nothing is dropped silently.

One source mixes what government exports look like — a GB18030 CSV with Chinese headers, a
UTF-8 CSV with a byte-order mark, an .xlsx with real date cells and a blank row — and plants a
wrong enum, invalid ID checksums, a person registered in two communities and identical copies.
Per table, the records really in each file (counted here with csv/openpyxl, blank lines not
counted) = used + identical copies + quarantined, and dq_community adds up to the same totals.
(Fatal inputs — a missing required column, a cut or undecodable file — and a mostly quarantined
table are covered by tests/pipelines/test_cli_evaluate.py and tests/assets/ingest.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import duckdb
import openpyxl
import pytest

from assets.ingest.assets import read_source
from assets.ingest.contract import TABLES
from assets.ruleset import load_ruleset
from checks.quality import build_dq_community, rule_counts
from checks.suites import suite_params
from tests.checks.conftest import AS_OF, RUN_DATE, stage_into
from tests.fixtures.sources import make_id, with_bad_checksum

A, B = "410402001001", "410402001002"
P = [make_id(dt.date(1980 + n, 3, 4), n, "1" if n % 2 else "2") for n in range(1, 7)]


def write_csv(path, header: list[str], rows: list[list[str]], encoding: str, blank_lines: int = 0) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    body = text.getvalue() + "\r\n" * blank_lines
    path.write_bytes(("\ufeff" if encoding == "utf-8-sig" else "").encode() + body.encode(
        "utf-8" if encoding == "utf-8-sig" else encoding))


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    folder = tmp_path_factory.mktemp("messy")
    write_csv(folder / "communities.csv",
              ["community_code", "社区名称", "street_code", "街道", "county_code", "县区"],
              [[A, "建设路社区", A[:9], "曙光街街道", "410402", "新华区"],
               [B, "光明路社区", B[:9], "曙光街街道", "410402", "新华区"]], "gb18030")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["公民身份号码", "姓名", "性别", "出生日期", "户编号", "community_code", "有劳动能力"])
    for n, pid in enumerate(P):
        born = dt.datetime(1980 + n + 1, 3, 4)
        sheet.append([pid, "张伟", None, born, f"H{n}", A if n < 3 else B, "是"])
    sheet.append([None] * 7)  # a blank row is not a record
    sheet.append([P[0], "张伟", None, dt.datetime(1981, 3, 4), "H0", A, "是"])  # identical copy of the first
    sheet.append([with_bad_checksum(make_id(dt.date(1970, 1, 1), 9)), "李娜", None, None, "H9", B, "否"])
    book.save(folder / "residents.xlsx")
    six = ["合同到期", "已婚", "保洁", "电工", "灵活就业", "养老保险"]
    header = ["person_id", "community_code", "登记日期", "上传日期", "就业状态", "has_work_ability", "就业意愿",
              "失业原因", "家庭状况", "择业意向", "职业技能", "就业状况", "社会保障情况"]
    write_csv(folder / "labour_registry.csv", header, [
        [P[0], A, "2020/3/1", "2020-03-03", "employed", "Y", "N", *six],
        [P[1], A, "20200301", "2020-03-03", "unemployed", "Y", "Y", *six],
        [P[2], A, "2020-03-01", "", "jobless", "Y", "Y", *six],  # wrong enum
        [P[3], B, "2020-03-01", "2020-03-03", "employed", "Y", "N", *six],
        [P[3], A, "2020-03-01", "2020-03-03", "employed", "Y", "N", *six],  # P3 registered in two communities
        [P[4], B, "2020-03-01", "2020-03-03", "employed", "Y", "N", *six],
        [P[4], B, "2020/03/01", "2020-03-03", "employed", "Y", "N", *six],  # identical once dates are parsed
    ], "utf-8-sig", blank_lines=2)
    write_csv(folder / "unemployment_registrations.csv",
              ["registration_id", "person_id", "community_code", "registered_on", "handled_in_system"],
              [["R1", P[1], A, "2020-02-01", "是"]], "utf-8")
    write_csv(folder / "service_logs.csv",
              ["service_id", "person_id", "community_code", "service_date", "service_type", "via_system"],
              [["S1", P[1], A, "2020-02-10", "job_referral", "1"],
               ["S2", P[1], A, "2020-02-11", "visit", "1"],  # wrong enum
               ["S3", with_bad_checksum(P[5]), B, "2020-02-12", "home_visit", "1"]], "utf-8")  # invalid checksum
    stage_into(folder, folder / "warehouse.duckdb")
    return folder


def records_in(path) -> int:
    """Records really in a file, counted without the project's reader."""
    if path.suffix == ".xlsx":
        rows = openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(min_row=2, values_only=True)
        return sum(1 for row in rows if any(v is not None for v in row))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return sum(1 for record in list(csv.reader(io.StringIO(text)))[1:] if any(v.strip() for v in record))


def test_encodings_and_formats_are_read_as_they_are(source):
    raws = read_source(source)
    assert {t: (raws[t].file, raws[t].encoding) for t in ("communities", "residents", "labour_registry")} == {
        "communities": ("communities.csv", "gb18030"), "residents": ("residents.xlsx", "xlsx"),
        "labour_registry": ("labour_registry.csv", "utf-8")}
    con = duckdb.connect(str(source / "warehouse.duckdb"), read_only=True)
    names = con.execute("SELECT community_name FROM stg_communities ORDER BY 1").fetchall()
    born = con.execute("SELECT birth_date FROM stg_residents WHERE person_id = ?", [P[0]]).fetchall()
    con.close()
    assert names == [("光明路社区",), ("建设路社区",)]
    assert born == [(dt.date(1981, 3, 4),)]  # an Excel date cell, typed


def test_every_record_is_used_copied_or_quarantined(source):
    con = duckdb.connect(str(source / "warehouse.duckdb"), read_only=True)
    counts = {r[0]: r[1:] for r in con.execute(
        'SELECT "table", file, input_rows, used_rows, identical_copies, quarantined_rows FROM staging_counts'
    ).fetchall()}
    quarantine = sorted((t, reason.split(":")[0], row) for t, reason, row in con.execute(
        'SELECT "table", reason, row_number FROM quarantine').fetchall())
    con.close()
    for spec in TABLES:
        file, input_rows, used, copies, quarantined = counts[spec.name]
        expected = records_in(source / file) if file else 0
        assert input_rows == expected == used + copies + quarantined, spec.name
    assert {t: counts[t][1:] for t in ("residents", "labour_registry", "service_logs")} == {
        "residents": (8, 6, 1, 1),  # 8 records (the blank row is none), one copy, one invalid ID
        "labour_registry": (7, 3, 1, 3),  # the wrong enum and both rows of P3 quarantined, P4's copy
        "service_logs": (3, 1, 0, 2),
    }
    assert quarantine == [
        ("labour_registry", "bad_enum", 3),
        ("labour_registry", "conflicting_duplicates", 4),
        ("labour_registry", "conflicting_duplicates", 5),
        ("residents", "invalid_id", 9),  # sheet row 10: the blank sheet row keeps its number
        ("service_logs", "bad_enum", 2),
        ("service_logs", "invalid_id", 3),
    ]


def test_dq_community_attributes_every_record(source):
    con = duckdb.connect(str(source / "warehouse.duckdb"))
    try:
        params = suite_params(AS_OF, load_ruleset(), source, RUN_DATE)
        community = build_dq_community(con, rule_counts(con, params, set()))
        totals = con.execute("SELECT sum(input_rows), sum(used_rows), sum(identical_copies), sum(quarantined_rows) "
                             "FROM staging_counts").fetchall()[0]
    finally:
        con.close()
    rows = {r["community_code"]: r for r in community.iter_rows(named=True)}
    assert set(rows) == {A, B}
    assert tuple(sum(r[c] for r in rows.values()) for c in (
        "input_rows", "used_rows", "identical_copies", "quarantined_rows")) == totals
    # P3 registered in A and B: each community lost one row; B also lost the resident and the service
    assert (rows[A]["quarantined_rows"], rows[B]["quarantined_rows"]) == (3, 3)
    assert (rows[A]["six_clear_rows"], rows[A]["six_clear_complete"]) == (2, 2)
