"""Driving the dashboard with Streamlit's AppTest: a viewer put in through auth's test seam,
everything a page rendered as text, and the files its download buttons would serve."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard.auth import TEST_VIEWER_KEY, Viewer
from tests.conftest import REPO

APP = REPO / "dashboard" / "streamlit_app.py"
PAGE_FILES = {"全市概览": "overview.py", "县区": "county.py", "社区": "community.py", "数据质量": "data_quality.py",
              "奖补与追缴": "rewards.py"}


def app_for(viewer: Viewer | None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if viewer is not None:
        at.session_state[TEST_VIEWER_KEY] = viewer
    return at.run()


def visit(at: AppTest, title: str) -> AppTest:
    at.switch_page(f"app_pages/{PAGE_FILES[title]}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _protos(block):
    proto = getattr(block, "proto", None)
    if proto is not None:
        yield proto
    for child in getattr(block, "children", {}).values():
        yield from _protos(child)


def rendered_text(at: AppTest) -> str:
    """Everything the browser would be sent for the main area and the sidebar: every element's
    message (labels, options, markdown, Arrow bytes of tables, chart JSON), and each table
    again as readable CSV."""
    parts = [str(p) for block in (at.main, at.sidebar) for p in _protos(block)]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    return "\n".join(parts)


def table_text(at: AppTest) -> str:
    return "\n".join(frame.value.to_csv() for frame in at.dataframe)


def plotly_titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


@dataclass
class Downloads:
    """The files st.download_button hands to the browser, by file name."""

    files: dict[str, bytes] = field(default_factory=dict)

    def install(self, monkeypatch) -> Downloads:
        original = MediaFileManager.add
        downloads = self

        def add(manager, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
            if is_for_static_download and file_name and isinstance(path_or_data, bytes):
                downloads.files[file_name] = path_or_data
            return original(manager, path_or_data, mimetype, coordinates, file_name=file_name,
                            is_for_static_download=is_for_static_download)

        monkeypatch.setattr(MediaFileManager, "add", add)
        return self

    def named(self, suffix: str) -> tuple[str, bytes]:
        found = [(name, data) for name, data in self.files.items() if name.endswith(suffix)]
        assert len(found) == 1, sorted(self.files)
        return found[0]
