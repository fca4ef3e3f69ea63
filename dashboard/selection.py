"""The community a page shows: fixed for a community's own staff, otherwise chosen from the
communities in the viewer's scope (and the county filter). The choice is remembered outside
the widget, so it survives a visit to another page."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.filters import PageContext

WIDGET_KEY, REMEMBERED_KEY = "community_select", "community_selected"


def choose_community(context: PageContext) -> str | None:
    if context.viewer.community_code:
        return context.viewer.community_code
    listed = queries.communities(context.snapshot, context.scope, context.as_of, context.county)
    if listed.height == 0:
        return None
    names = {r["community_code"]: f"{r['community_name']}（{r['county_name']} · {r['community_code']}）"
             for r in listed.iter_rows(named=True)}
    options = list(names)
    remembered = st.session_state.get(REMEMBERED_KEY)
    st.session_state[WIDGET_KEY] = remembered if remembered in names else options[0]
    chosen = st.selectbox("社区", options, key=WIDGET_KEY, format_func=names.get,
                          on_change=_remember)
    st.session_state[REMEMBERED_KEY] = chosen
    return chosen


def _remember() -> None:
    st.session_state[REMEMBERED_KEY] = st.session_state[WIDGET_KEY]
