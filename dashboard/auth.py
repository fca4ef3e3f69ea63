"""Who is looking: log-in with streamlit-authenticator, and the viewer's role and scope.

Accounts live in a YAML file (bcrypt hashes; path from FEC_USERS_FILE, default
`<warehouse>/users.yaml`; production accounts come from a file outside the repository):

    cookie: {name: fec_dashboard, key: <random secret>, expiry_days: 1}
    credentials:
      usernames:
        leader-410402:
          name: 新华区负责人
          password: $2b$12$...
          roles: [county_leader]
          county_code: "410402"        # county_leader: the county-level unit it leads
        staff:
          roles: [community_staff]
          community_code: "410402001001"   # community_staff: its community

The file is read, never written: the credentials are handed to the authenticator as a copy,
so its bookkeeping (failed attempts, logged_in) stays in memory.

Roles and what they see:
| role            | scope            | ID numbers | sensitive difficulty categories |
| city_admin      | whole city       | full       | shown                           |
| city_analyst    | whole city       | masked     | 就业困难人员                      |
| county_leader   | its county_code  | masked     | 就业困难人员                      |
| community_staff | its community    | full       | shown                           |
An account with no known role, or a county leader / community staff without its code, is
refused.

Test seam: AppTest cannot drive the log-in form's cookie component, so a test may put a
`Viewer` into session_state under TEST_VIEWER_KEY. It is honoured only while Streamlit runs
under AppTest (the `global.appTest` option), never by a real server.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import yaml

from dashboard import audit
from dashboard.labels import ROLE_NAMES
from dashboard.queries import Scope
from dashboard.roles import Role
from pipelines.settings import warehouse_dir

TEST_VIEWER_KEY = "_test_viewer"
AUTHENTICATOR_KEY = "_auth_authenticator"
COOKIE_SET_KEY = "_auth_cookie_set"
LOGOUT_KEY = "auth_logout"
USERS_FILE_NAME = "users.yaml"
LOGIN_FIELDS = {"Form name": "登录 · 充分就业社区评定", "Username": "用户名", "Password": "密码", "Login": "登录"}


class AccountError(ValueError):
    """An account the dashboard cannot serve (no known role, or a missing county/community)."""


@dataclass(frozen=True)
class Viewer:
    username: str
    display_name: str
    role: Role
    county_code: str | None = None
    community_code: str | None = None

    @property
    def scope(self) -> Scope:
        if self.role is Role.COUNTY_LEADER:
            return Scope(county_code=self.county_code)
        if self.role is Role.COMMUNITY_STAFF:
            return Scope(community_code=self.community_code)
        return Scope()

    @property
    def sees_city(self) -> bool:
        return self.role in (Role.CITY_ADMIN, Role.CITY_ANALYST)

    @property
    def masks_ids(self) -> bool:
        return self.role in (Role.CITY_ANALYST, Role.COUNTY_LEADER)

    @property
    def masks_categories(self) -> bool:
        return self.role in (Role.CITY_ANALYST, Role.COUNTY_LEADER)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role.value]


def users_file() -> Path:
    return Path(os.environ.get("FEC_USERS_FILE", warehouse_dir() / USERS_FILE_NAME))


def load_users(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        config = yaml.safe_load(handle) or {}
    if "credentials" not in config or "usernames" not in (config["credentials"] or {}):
        raise AccountError(f"{path}: no credentials.usernames")
    return config


def viewer_from_account(username: str, account: dict) -> Viewer:
    """The Viewer of one account entry; refuses an account the dashboard cannot scope."""
    roles = [r for r in (account.get("roles") or []) if r in Role.__members__.values()]
    if len(roles) != 1:
        raise AccountError(f"account {username!r} needs exactly one role of {', '.join(Role)}")
    role = Role(roles[0])
    county = _code(account.get("county_code"))
    community = _code(account.get("community_code"))
    if role is Role.COUNTY_LEADER and not county:
        raise AccountError(f"account {username!r} (county_leader) has no county_code")
    if role is Role.COMMUNITY_STAFF and not community:
        raise AccountError(f"account {username!r} (community_staff) has no community_code")
    return Viewer(username=username, display_name=str(account.get("name") or username), role=role,
                  county_code=county if role is Role.COUNTY_LEADER else None,
                  community_code=community if role is Role.COMMUNITY_STAFF else None)


def _code(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def current_viewer() -> Viewer | None:
    """The logged-in viewer, or None (then the caller shows `login_page`). Re-authenticates from
    the log-in cookie when there is one; handles the log-out button of the previous run."""
    if _running_under_apptest() and isinstance(st.session_state.get(TEST_VIEWER_KEY), Viewer):
        return st.session_state[TEST_VIEWER_KEY]
    path = users_file()
    if not path.exists():
        st.error(f"未找到账户配置文件：{path}（设置 FEC_USERS_FILE，或运行 fec demo 生成演示账户）")
        st.stop()
    config = load_users(path)
    authenticator = _authenticator(config)
    st.session_state[AUTHENTICATOR_KEY] = authenticator
    if st.session_state.get(LOGOUT_KEY) and st.session_state.get("authentication_status"):
        # Log out before anything is drawn, so the cookie deletion is rendered in the same run
        # as the log-in page and has time to reach the browser.
        authenticator.logout(location="unrendered")
        st.session_state.pop(COOKIE_SET_KEY, None)
        return None
    if not st.session_state.get("authentication_status"):
        _log_in_from_cookie(authenticator)
    username = st.session_state.get("username")
    if not st.session_state.get("authentication_status") or not username:
        return None
    account = config["credentials"]["usernames"].get(username)
    if account is None:
        return None
    try:
        viewer = viewer_from_account(username, account)
    except AccountError as err:
        st.error(f"账户配置有误，无法登录：{err}")
        st.stop()
    if not st.session_state.get(COOKIE_SET_KEY):
        # The log-in form's own cookie is lost to the rerun that follows a log-in; set it in the
        # first run of the logged-in session instead (skipped when expiry_days is 0).
        authenticator.cookie_controller.set_cookie()
        st.session_state[COOKIE_SET_KEY] = True
    return viewer


def _log_in_from_cookie(authenticator) -> None:
    """A valid log-in cookie of an account since removed from the users file is refused (the
    log-in form is shown) rather than failing the page."""
    from streamlit_authenticator.utilities import LoginError

    try:
        authenticator.login(location="unrendered")
    except LoginError:
        for key in ("authentication_status", "username", "name", "roles"):
            st.session_state[key] = None


def _running_under_apptest() -> bool:
    """AppTest patches `streamlit.config.get_option` for the duration of a test run (st.get_option
    is bound earlier and does not see the patch)."""
    from streamlit import config as streamlit_config

    return bool(streamlit_config.get_option("global.appTest"))


def _authenticator(config: dict):
    import streamlit_authenticator as stauth

    cookie = config.get("cookie") or {}
    return stauth.Authenticate(
        copy.deepcopy(config["credentials"]),
        cookie_name=str(cookie.get("name", "fec_dashboard")),
        cookie_key=str(cookie.get("key", "")) or _refuse_without_cookie_key(),
        cookie_expiry_days=float(cookie.get("expiry_days", 1)),
        auto_hash=False,
        login_sleep_time=0.05,
    )


def _refuse_without_cookie_key() -> str:
    st.error("账户配置文件缺少 cookie.key（用于签名登录凭证的密钥）")
    st.stop()
    return ""


def login_page() -> None:
    """The log-in form (the only page before log-in)."""
    authenticator = st.session_state[AUTHENTICATOR_KEY]
    st.title("充分就业社区评定")
    st.caption("平顶山市市级（星级）充分就业社区评定 · 请使用分配的账户登录")
    authenticator.login(location="main", fields=LOGIN_FIELDS, key="auth_login", callback=_record_login)
    status = st.session_state.get("authentication_status")
    if status:
        st.rerun()
    elif status is False:
        st.error("用户名或密码错误")


def _record_login(event: dict) -> None:
    roles = event.get("roles") or []
    audit.record(str(event.get("username")), ",".join(roles), "login", {})


def logout_button(viewer: Viewer) -> None:
    """Sidebar: who is logged in, and the log-out button (acted on by the next run's
    `current_viewer`)."""
    st.sidebar.caption(f"当前用户：{viewer.display_name}（{viewer.role_name}）")
    st.sidebar.button("退出登录", key=LOGOUT_KEY, icon=":material/logout:")


def login_pages(url_paths: list[str]) -> list:
    """The log-in page, registered under every page's address too, so that a link to a page
    opens the log-in form (then the page) rather than "page not found"."""
    login = st.Page(login_page, title="登录", icon=":material/login:", url_path="login", default=True)
    return [login, *(st.Page(login_page, title="登录", url_path=url) for url in url_paths)]
