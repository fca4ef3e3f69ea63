"""Download files and the audit log, without Streamlit."""

import datetime as dt
import io
import json

import openpyxl
import polars as pl

from dashboard import audit, exports, tables


def test_csv_has_a_byte_order_mark_for_excel_and_keeps_ids_as_text():
    frame = pl.DataFrame({"身份证号": ["01040219800202803X"], "金额（元）": [30000]})
    data = exports.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["身份证号,金额（元）", "01040219800202803X,30000"]


def test_xlsx_sheets_title_line_header_and_money_format():
    frame = pl.DataFrame({"社区代码": ["410402001001"], "奖补（元）": [30000]})
    data = exports.xlsx_bytes({"获奖社区": frame}, {"获奖社区": "截至2020年12月31日"})
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["获奖社区"]
    assert sheet["A1"].value == "截至2020年12月31日"
    assert (sheet["A3"].value, sheet["B3"].value) == ("社区代码", "奖补（元）")
    assert (sheet["A4"].value, sheet["B4"].value) == ("410402001001", 30000)
    assert sheet["B4"].number_format == "#,##0" and sheet["A3"].font.bold


def test_worklist_details_read_as_words():
    worklist = pl.DataFrame({
        "list_kind": ["loan_past_due", "six_clear_missing", "unregistered", "zero_family_open"],
        "subject_kind": ["person", "person", "person", "household"],
        "subject_id": ["410402198606068139", "410403199107078157", "41040219800202803X", "H9"],
        "name": ["吴刚", "周杰", "王芳", None],
        "detail": ["loan_id=L0001;due_on=2020-03-01", "family_situation;vocational_skill", "not_uploaded",
                   "identified_on=2020-01-05"],
        "difficulty_categories": [None, None, None, None],
    })
    shown = tables.worklist_table(worklist, masked_ids=True, masked_categories=True)
    assert shown["说明"].to_list() == ["贷款编号 L0001；到期日 2020-03-01", "缺：家庭状况、职业技能", "已登记未上传",
                                     "认定日期 2020-01-05"]
    assert shown["身份证号/户编号"].to_list() == [
        "410402********8139", "410403********8157", "410402********803X", "H9"]
    assert shown["对象"].to_list() == ["个人", "个人", "个人", "家庭"]


def test_quarantine_keys_are_masked_by_table_for_masked_roles():
    rows = pl.DataFrame({"table": ["difficulty_persons", "service_logs"], "file": ["d.csv", "s.csv"],
                         "row_number": [3, 11], "key": ["4104021975040480;disabled", "S-UNKNOWN"],
                         "reason": ["invalid_id: person_id is not 17 digits and a check character",
                                    "unknown_community: community_code 410499001001 is not in communities"]})
    shown = tables.quarantine_rows_table(rows, masked_ids=True)
    assert shown["键值"].to_list() == ["410402********0480;disabled", "S-UNKNOWN"]
    assert shown["原因"].to_list() == ["身份证号无效", "社区代码不存在"]
    assert tables.quarantine_rows_table(rows, masked_ids=False)["键值"][0] == "4104021975040480;disabled"


def test_audit_records_are_appended_as_json_lines(tmp_path):
    path = tmp_path / "audit.jsonl"
    audit.record("analyst", "city_analyst", "view_worklist", {"as_of": dt.date(2020, 12, 31), "rows": 4}, path)
    audit.record("admin", "city_admin", "export_xlsx", {"file": "奖补与追缴.xlsx"}, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert {k: first[k] for k in ("user", "role", "action", "as_of", "rows")} == {
        "user": "analyst", "role": "city_analyst", "action": "view_worklist", "as_of": "2020-12-31", "rows": 4}
    assert audit.read_records(path)[1]["file"] == "奖补与追缴.xlsx"
