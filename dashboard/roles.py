"""The dashboard's roles, kept free of Streamlit so that writing a users file (demo_users, the
CLI) does not load the dashboard's runtime."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CITY_ADMIN = "city_admin"
    CITY_ANALYST = "city_analyst"
    COUNTY_LEADER = "county_leader"
    COMMUNITY_STAFF = "community_staff"
