"""The dashboard's entry point: log-in, the pages this viewer's role may open, the shared
filters, then the chosen page.

Run it with `fec dashboard` (dashboard.server.serve) or `streamlit run dashboard/streamlit_app.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run` puts this file's folder on sys.path, not the repository root the packages live in
REPO_ROOT = str(Path(__file__).resolve().parent.parent)
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from dashboard import auth, charts, filters, navigation, queries  # noqa: E402

st.set_page_config(page_title="充分就业社区评定", page_icon="🏘️", layout="wide")

viewer = auth.current_viewer()
if viewer is None:
    st.navigation(auth.login_pages(navigation.all_url_paths()), position="hidden").run()
    charts.warm_up()  # after the form is on screen, while the user types
    st.stop()

page = st.navigation(navigation.pages_for(viewer))
snapshot = queries.current_snapshot()
context = filters.render_sidebar(viewer, snapshot) if snapshot else None
auth.logout_button(viewer)
if context is None:
    st.title("充分就业社区评定")
    st.info("尚无已发布的评估结果。请先运行评估（fec evaluate 或 fec demo），发布后本页自动显示。")
    st.stop()
filters.store(context)
page.run()
