"""End to end: the real server (dashboard.server.serve) in a subprocess, driven by headless
Chromium through Playwright — log-in through the real form, pages, a filter change, a real
Excel download, the log-in cookie, log-out. Prints how long a page load and a filter change
took and saves screenshots to artifacts/dashboard-*.png.

Needs Debian's chromium at /usr/bin/chromium (scripts/install_browser.sh installs it and a CJK
font); skips without it. Set FEC_E2E_WAREHOUSE to a warehouse folder to run the same walk on
another snapshot (e.g. a 1,000,000-resident city) and measure there.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from dashboard.demo_users import write_demo_users_for_snapshot
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "artifacts"
# The app has finished its run, no element is left over from the previous run, and every
# Plotly chart has drawn.
APP_READY = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
        if (!chart.querySelector('.main-svg')) return false;
    }
    return true;
}"""

SETTLE_MS = 400  # a run that a component's answer starts begins well within this

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: run scripts/install_browser.sh "
                                "as root (Debian's chromium and fonts-wqy-microhei)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(warehouse: Path, tmp_path: Path):
    """The dashboard served on a free port; yields its base URL and warehouse folder."""
    served = Path(os.environ.get("FEC_E2E_WAREHOUSE", warehouse))
    users = tmp_path / "users.yaml"
    write_demo_users_for_snapshot(served, users)
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    start = (f"import sys; from pathlib import Path; from dashboard.server import serve; "
             f"sys.exit(serve(port={port}, host='127.0.0.1', warehouse_dir=Path({str(served)!r}), "
             f"users_file=Path({str(users)!r})))")
    process = subprocess.Popen([sys.executable, "-c", start], cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the dashboard did not start within 60 s"
            time.sleep(0.2)
        yield url, served
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def wait_until_ready(page, text: str | None = None, timeout: float = 30_000) -> None:
    """`text` is shown and the app is ready, and still ready a moment later: the log-in cookie's
    component answers after a run and may start another one (its elements briefly stale)."""
    if text:
        page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    while True:
        page.wait_for_function(APP_READY, timeout=timeout, polling=50)
        page.wait_for_timeout(SETTLE_MS)
        if page.evaluate(APP_READY):
            return
        assert time.monotonic() < deadline, "the app kept starting new runs"


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the Streamlit select box labelled `label`."""
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.locator("input").first.click()
    page.get_by_role("option", name=option).first.click()


def log_in(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    # the log-in page is read once the app has finished its runs: the cookie component on it
    # answers after the first run and may cause another, which would redraw a form filled meanwhile
    wait_until_ready(page, "请使用分配的账户登录")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_log_in_browse_filter_and_download_in_a_real_browser(server):
    from playwright.sync_api import expect, sync_playwright

    url, served = server
    ARTIFACTS.mkdir(exist_ok=True)
    timings: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1800}, accept_downloads=True,
                                          locale="zh-CN")
            page = context.new_page()

            log_in(page, url, "analyst", "wrong-password")  # opens the log-in page and waits for it
            page.get_by_text("用户名或密码错误").wait_for(timeout=30_000)

            started = time.perf_counter()
            log_in(page, url, "analyst", "analyst-demo")
            wait_until_ready(page, "各县区汇总")
            timings["log-in to city overview"] = time.perf_counter() - started
            assert page.locator("h1").first.inner_text() == "全市概览"
            expect(page.get_by_text("当前用户：市局分析员（市级分析员）")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("参评社区")).to_be_visible(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "dashboard-overview.png"))

            started = time.perf_counter()
            page.get_by_role("link", name="县区").click()
            wait_until_ready(page, "选择县区")
            timings["page change to 县区"] = time.perf_counter() - started

            started = time.perf_counter()
            choose(page, "县区", "新华区")
            wait_until_ready(page, "县区：新华区")
            timings["filter change (county)"] = time.perf_counter() - started
            expect(page.get_by_text("短板：未达到的市级标准")).to_be_visible(timeout=30_000)

            started = time.perf_counter()
            page.get_by_test_id("stSidebar").get_by_text("星级", exact=True).click()
            wait_until_ready(page, "短板：未达到的星级标准")
            timings["filter change (tier)"] = time.perf_counter() - started
            page.screenshot(path=str(ARTIFACTS / "dashboard-county.png"))

            started = time.perf_counter()
            page.get_by_role("link", name="奖补与追缴").click()
            wait_until_ready(page, "获奖社区与奖补金额")
            timings["page change to 奖补与追缴"] = time.perf_counter() - started
            with page.expect_download() as download_info:
                page.get_by_role("button", name="下载 Excel（.xlsx）").click()
            download = download_info.value
            assert download.suggested_filename.endswith(".xlsx")
            book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
            assert book.sheetnames == ["获奖社区", "追缴", "县区合计"]
            assert book["县区合计"]["B4"].value == "新华区"  # the county filter carried over

            started = time.perf_counter()
            page.reload()
            wait_until_ready(page, "获奖社区与奖补金额")
            timings["page load (reload, signed in by cookie)"] = time.perf_counter() - started
            page.get_by_role("button", name="退出登录").wait_for(timeout=30_000)  # signed in: the sidebar says so

            page.get_by_role("button", name="退出登录").click()
            # one log-in form once the rerun settles (while it runs, Streamlit may still show the
            # form of the run before beside the new one)
            expect(page.get_by_label("用户名")).to_have_count(1, timeout=30_000)
            page.wait_for_timeout(1500)  # the cookie's deletion is sent by a component on the log-in page
            page.reload()
            expect(page.get_by_label("用户名")).to_have_count(1, timeout=30_000)
            assert page.get_by_role("button", name="退出登录").count() == 0
        finally:
            browser.close()

    report = "\n".join(f"  {name}: {seconds:.2f} s" for name, seconds in timings.items())
    print(f"\ndashboard timings ({os.environ.get('FEC_E2E_WAREHOUSE', 'test city')}):\n{report}")
    (ARTIFACTS / "dashboard-timings.json").write_text(json.dumps(timings, ensure_ascii=False, indent=1),
                                                      encoding="utf-8")
    assert timings["log-in to city overview"] < 20
    assert timings["filter change (county)"] < 10
    assert timings["page load (reload, signed in by cookie)"] < 20
    audit_actions = [json.loads(line)["action"]
                     for line in (served / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "login" in audit_actions and "export_xlsx" in audit_actions
