"""Every page for every role, through Streamlit's AppTest on the real snapshot: what each role
may open, what it may see (scope, ID numbers, sensitive categories), what it may download, and
what the audit log records."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from dashboard import audit
from dashboard.auth import AccountError, Role, Viewer, _running_under_apptest, viewer_from_account
from dashboard.masking import FULL_ID
from dashboard.navigation import page_titles
from tests.dashboard.apptest import PAGE_FILES, Downloads, app_for, plotly_titles, rendered_text, table_text, visit
from tests.dashboard.city_source import (
    BAD_CHECKSUM_ID,
    BEIHUAN,
    DISABLED_PERSON,
    DONGHUAN,
    GUANGMING,
    HUBIN,
    JIANSHE,
    UNREGISTERED,
    WEIDONG,
    XINHUA,
    ZONE,
)

ADMIN = Viewer("admin", "市局管理员", Role.CITY_ADMIN)
ANALYST = Viewer("analyst", "市局分析员", Role.CITY_ANALYST)
XINHUA_LEADER = Viewer("leader-410402", "新华区负责人", Role.COUNTY_LEADER, county_code=XINHUA)
ZONE_LEADER = Viewer("leader-410472", "示范区负责人", Role.COUNTY_LEADER, county_code=ZONE)
STAFF = Viewer("staff", "社区工作人员", Role.COMMUNITY_STAFF, community_code=GUANGMING)
VIEWERS = {"city_admin": ADMIN, "city_analyst": ANALYST, "county_leader": XINHUA_LEADER, "community_staff": STAFF}


def choose_community(at, code: str):
    at.selectbox(key="community_select").set_value(code).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("role", list(VIEWERS))
def test_each_role_opens_its_pages_and_no_other(warehouse, role):
    viewer = VIEWERS[role]
    at = app_for(viewer)
    allowed = page_titles(viewer.role)
    for title in PAGE_FILES:
        if title in allowed:
            visit(at, title)
            assert at.title[0].value.startswith(title)
            assert not at.error
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"app_pages/{PAGE_FILES[title]}")


def test_city_overview_figures_and_charts(warehouse):
    at = visit(app_for(ADMIN), "全市概览")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["参评社区"] == "5 个"
    assert metrics["申报（市级 / 星级）"] == "2 / 2"
    assert metrics["达到标准（市级及以上 / 星级）"] == "3 / 2"
    assert metrics["授予称号（市级 / 星级）"] == "1 / 1"
    assert metrics["奖补总额"] == "5万元" and metrics["应追缴总额"] == "2万元"
    assert plotly_titles(at) == ["各县区达标社区占比 · 截至2020年12月31日（正式评定）",
                                 "各县区未达标社区数（市级标准）· 截至2020年12月31日（正式评定）"]
    summary = at.dataframe[0].value
    assert summary["县区"].tolist() == ["新华区", "卫东区", "平顶山市城乡一体化示范区"]
    assert summary["奖补（元）"].tolist() == [30000, 20000, 0]


def test_a_county_leader_sees_no_other_countys_rows(warehouse):
    at = app_for(XINHUA_LEADER)
    seen = []
    for title in ("县区", "数据质量", "奖补与追缴"):
        seen.append(rendered_text(visit(at, title)))
    visit(at, "社区")
    assert at.selectbox(key="community_select").options == [f"建设路社区（新华区 · {JIANSHE}）",
                                                            f"光明路社区（新华区 · {GUANGMING}）"]
    for code in (JIANSHE, GUANGMING):
        seen.append(rendered_text(choose_community(at, code)))
    text = "\n".join(seen)
    assert "光明路社区" in text and "建设路社区" in text
    others = (DONGHUAN, BEIHUAN, HUBIN, WEIDONG, ZONE, "东环社区", "北环社区", "湖滨社区", "卫东区", "城乡一体化示范区")
    for other in others:
        assert other not in text, other


def test_a_zone_leader_sees_the_zones_community_with_its_legal_district(warehouse):
    at = visit(app_for(ZONE_LEADER), "社区")
    assert at.title[0].value == "社区：湖滨社区"
    assert any(f"行政区划隶属 {XINHUA}" in c.value for c in at.caption)
    text = rendered_text(at)
    assert JIANSHE not in text and GUANGMING not in text


@pytest.mark.parametrize("viewer", [ANALYST, XINHUA_LEADER], ids=["city_analyst", "county_leader"])
def test_masked_roles_never_receive_a_full_id(warehouse, monkeypatch, viewer):
    downloads = Downloads().install(monkeypatch)
    at = app_for(viewer)
    texts = [rendered_text(choose_community(visit(at, "社区"), GUANGMING))]
    if viewer.sees_city:
        texts.append(rendered_text(visit(at, "数据质量")))
        assert "410402********8110" in table_text(at)  # the quarantined resident's bad ID, masked
    texts.append(rendered_text(visit(at, "奖补与追缴")))
    texts += [data.decode("utf-8", errors="replace") for data in downloads.files.values()]
    text = "\n".join(texts)
    assert f"{UNREGISTERED[0][:6]}********{UNREGISTERED[0][-4:]}" in text
    assert FULL_ID.search(text) is None, FULL_ID.search(text).group(0)


def test_masked_roles_see_sensitive_categories_only_as_difficulty_persons(warehouse, monkeypatch):
    downloads = Downloads().install(monkeypatch)
    at = choose_community(visit(app_for(ANALYST), "社区"), GUANGMING)
    at.segmented_control(key="community_list").set_value("difficulty_not_employed").run()
    tables = table_text(at) + downloads.named(".csv")[1].decode("utf-8-sig")
    assert "就业困难人员" in tables
    for sensitive in ("残疾人", "戒毒康复人员", "disabled", "drug_rehab"):
        assert sensitive not in tables, sensitive
    assert "“4050”人员" in tables  # not sensitive: still named


def test_unmasked_roles_see_full_ids_and_categories(warehouse):
    at = choose_community(visit(app_for(ADMIN), "社区"), GUANGMING)
    at.segmented_control(key="community_list").set_value("difficulty_not_employed").run()
    tables = table_text(at)
    assert DISABLED_PERSON in tables and "残疾人" in tables and "戒毒康复人员" in tables
    staff = visit(app_for(STAFF), "社区")
    assert staff.title[0].value == "社区：光明路社区"
    assert UNREGISTERED[1] in table_text(staff)
    assert len(staff.selectbox) == 0 or "community_select" not in [s.key for s in staff.selectbox]


def test_quarantined_ids_are_full_for_the_admin(warehouse):
    at = visit(app_for(ADMIN), "数据质量")
    assert BAD_CHECKSUM_ID in table_text(at)


def test_community_page_shows_indicators_against_thresholds(warehouse):
    at = choose_community(visit(app_for(ADMIN), "社区"), GUANGMING)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["申报层级"] == "市级" and metrics["达标层级"] == "未达标" and metrics["应追缴"] == "20,000 元"
    indicators = at.dataframe[0].value.set_index("指标")
    registration = indicators.loc["劳动力信息登记率"]
    assert (registration["分子"], registration["分母"], registration["数值"]) == ("5", "7", "71.4%")
    assert (registration["市级标准"], registration["市级结果"], registration["市级差额"]) == ("≥ 95%", "未达标", "2")
    assert indicators.loc["创业担保贷款到期还款率", "市级标准"] == "—"
    assert "光明路社区各项指标与市级、星级标准 · 截至2020年12月31日（正式评定）" in plotly_titles(at)
    lists = at.segmented_control(key="community_list")
    assert lists.options == ["未登记或未上传的劳动力（2）", "尚未就业的就业困难人员（2）"]
    assert at.dataframe[-1].value["姓名"].tolist() == ["王芳", "李强"]


def test_worklist_view_and_csv_export_are_audited(warehouse, monkeypatch):
    downloads = Downloads().install(monkeypatch)
    at = choose_community(visit(app_for(ANALYST), "社区"), GUANGMING)
    name, data = downloads.named(".csv")
    assert name == f"工作清单_{GUANGMING}_2020-12-31.csv"
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "清单,对象,身份证号/户编号,姓名,说明,就业困难类别"
    assert "未登记或未上传的劳动力,个人,410402********803X,王芳,未登记," in text
    at.download_button(key="community_worklist_csv").click().run()
    records = audit.read_records(warehouse / "audit.jsonl")
    actions = [(r["user"], r["role"], r["action"], r.get("community")) for r in records]
    assert ("analyst", "city_analyst", "view_worklist", GUANGMING) in actions
    (view,) = [r for r in records if r["action"] == "view_worklist" and r["community"] == GUANGMING]
    assert (view["list"], view["rows"]) == ("unregistered", 2)
    assert ("analyst", "city_analyst", "export_csv", GUANGMING) in actions
    export = next(r for r in records if r["action"] == "export_csv")
    assert export["file"] == name and export["rows"] == 4 and export["as_of"] == "2020-12-31"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", export["at"])


def test_rewards_export_real_excel_and_csv(warehouse, monkeypatch):
    downloads = Downloads().install(monkeypatch)
    at = visit(app_for(ADMIN), "奖补与追缴")
    name, data = downloads.named(".xlsx")
    assert name == "奖补与追缴_2020-12-31.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["获奖社区", "追缴", "县区合计"]
    awarded = list(book["获奖社区"].iter_rows(values_only=True))
    assert awarded[0][0] == "奖补与追缴 · 全市 · 截至2020年12月31日（正式评定）"
    header = awarded[2]
    rows = [dict(zip(header, row, strict=True)) for row in awarded[3:]]
    assert [(r["社区"], r["社区代码"], r["授予称号"], r["奖补（元）"]) for r in rows] == [
        ("建设路社区", JIANSHE, "星级", 30000), ("东环社区", DONGHUAN, "市级", 20000)]
    clawbacks = list(book["追缴"].iter_rows(values_only=True))
    assert dict(zip(clawbacks[2], clawbacks[3], strict=True))["追缴（元）"] == 20000
    counties = list(book["县区合计"].iter_rows(values_only=True))
    assert [row[1] for row in counties[3:]] == ["新华区", "卫东区", "平顶山市城乡一体化示范区"]
    _, csv = downloads.named(".csv")
    lines = csv.decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[1].startswith(f"新华区,曙光街街道,{JIANSHE},建设路社区,星级,星级,星级,30000,0,")
    at.download_button(key="rewards_xlsx").click().run()
    (export,) = [r for r in audit.read_records(warehouse / "audit.jsonl") if r["action"] == "export_xlsx"]
    assert (export["user"], export["file"], export["awarded"], export["clawbacks"]) == ("admin", name, 2, 1)


def test_a_county_leaders_rewards_are_its_own(warehouse, monkeypatch):
    downloads = Downloads().install(monkeypatch)
    visit(app_for(XINHUA_LEADER), "奖补与追缴")
    book = openpyxl.load_workbook(io.BytesIO(downloads.named(".xlsx")[1]))
    assert [row[1] for row in book["县区合计"].iter_rows(min_row=4, values_only=True)] == ["新华区"]
    assert [row[3] for row in book["获奖社区"].iter_rows(min_row=4, values_only=True)] == ["建设路社区"]


def test_filters_persist_across_pages(warehouse):
    at = app_for(ADMIN)
    at.sidebar.selectbox(key="filters_county").set_value(WEIDONG).run()
    at.sidebar.radio(key="filters_tier").set_value("star").run()
    visit(at, "县区")
    assert at.title[0].value == "县区：卫东区"
    assert plotly_titles(at)[0] == "卫东区短板：各项星级标准未达标情况 · 截至2020年12月31日（正式评定）"
    visit(at, "奖补与追缴")
    assert at.dataframe[0].value["社区"].tolist() == ["东环社区"]
    visit(at, "社区")
    assert at.selectbox(key="community_select").options[0] == f"东环社区（卫东区 · {DONGHUAN}）"


def test_a_county_can_be_picked_on_the_county_page(warehouse):
    at = visit(app_for(ANALYST), "县区")
    assert at.title[0].value == "县区"
    at.selectbox(key="county_pick").set_value(ZONE).run()
    assert at.title[0].value == "县区：平顶山市城乡一体化示范区"
    assert at.sidebar.selectbox(key="filters_county").value == ZONE


def test_a_provisional_date_is_labelled_everywhere(warehouse):
    at = app_for(ADMIN)
    at.sidebar.selectbox(key="filters_as_of").set_value(dt.date(2020, 6, 30)).run()
    assert any("预评估" in w.value for w in at.warning)
    assert all(title.endswith("截至2020年6月30日（预评估）") for title in plotly_titles(at))
    visit(at, "县区")
    at.selectbox(key="county_pick").set_value(XINHUA).run()
    assert "2020年6月30日（预评估）" in at.caption[0].value
    assert at.sidebar.selectbox(key="filters_as_of").options == ["2020-12-31 正式评定", "2020-06-30 预评估"]


def test_the_real_log_in_form(warehouse, demo_accounts):
    at = app_for(None)
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    at.text_input[0].input("analyst")
    at.text_input[1].input("wrong-password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["用户名或密码错误"]
    at.text_input[1].input(demo_accounts["analyst"].password)
    at.button[0].click().run()
    assert at.title[0].value == "全市概览"
    assert "当前用户：市局分析员（市级分析员）" in [c.value for c in at.sidebar.caption]
    at.sidebar.button(key="auth_logout").click().run()
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    logins = [r for r in audit.read_records(warehouse / "audit.jsonl") if r["action"] == "login"]
    assert [(r["user"], r["role"]) for r in logins] == [("analyst", "city_analyst")]


def test_no_published_snapshot_yet(warehouse):
    (warehouse / "served.duckdb").unlink()
    at = app_for(ADMIN)
    assert any("尚无已发布的评估结果" in i.value for i in at.info)


def test_the_test_seam_is_closed_outside_apptest():
    assert _running_under_apptest() is False


def test_accounts_the_dashboard_cannot_scope_are_refused():
    with pytest.raises(AccountError, match="exactly one role"):
        viewer_from_account("x", {"roles": ["superuser"]})
    with pytest.raises(AccountError, match="no county_code"):
        viewer_from_account("x", {"roles": ["county_leader"]})
    with pytest.raises(AccountError, match="no community_code"):
        viewer_from_account("x", {"roles": ["community_staff"], "county_code": XINHUA})
    leader = viewer_from_account("l", {"roles": ["county_leader"], "county_code": 410402, "community_code": "x"})
    assert (leader.county_code, leader.community_code, leader.scope.county_code) == (XINHUA, None, XINHUA)


def test_a_cookie_of_a_removed_account_shows_the_log_in_form():
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st
        from streamlit_authenticator.utilities import LoginError

        from dashboard.auth import _log_in_from_cookie

        class CookieOfRemovedAccount:
            def login(self, location):
                st.session_state["authentication_status"] = True
                raise LoginError("User not authorized")

        _log_in_from_cookie(CookieOfRemovedAccount())
        st.write(f"status={st.session_state['authentication_status']}")

    at = AppTest.from_function(script).run()
    assert [m.value for m in at.markdown] == ["status=None"]
