"""Which pages each role may open. A page a role is not given is not registered for its
session at all, so it cannot be reached by URL either; the queries enforce the scope again."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.auth import Viewer
from dashboard.roles import Role

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"

# page file, title, icon, url path
OVERVIEW = ("overview.py", "全市概览", ":material/location_city:", "overview")
COUNTY = ("county.py", "县区", ":material/map:", "county")
COMMUNITY = ("community.py", "社区", ":material/home_work:", "community")
DATA_QUALITY = ("data_quality.py", "数据质量", ":material/fact_check:", "data-quality")
REWARDS = ("rewards.py", "奖补与追缴", ":material/payments:", "rewards")

PAGES_BY_ROLE = {
    Role.CITY_ADMIN: (OVERVIEW, COUNTY, COMMUNITY, DATA_QUALITY, REWARDS),
    Role.CITY_ANALYST: (OVERVIEW, COUNTY, COMMUNITY, DATA_QUALITY, REWARDS),
    Role.COUNTY_LEADER: (COUNTY, COMMUNITY, DATA_QUALITY, REWARDS),
    Role.COMMUNITY_STAFF: (COMMUNITY,),
}


def all_url_paths() -> list[str]:
    return [url for _, _, _, url in (OVERVIEW, COUNTY, COMMUNITY, DATA_QUALITY, REWARDS)]


def page_titles(role: Role) -> list[str]:
    return [title for _, title, _, _ in PAGES_BY_ROLE[role]]


def pages_for(viewer: Viewer) -> list[st.Page]:
    return [
        st.Page(PAGES_DIR / file, title=title, icon=icon, url_path=url, default=index == 0)
        for index, (file, title, icon, url) in enumerate(PAGES_BY_ROLE[viewer.role])
    ]
