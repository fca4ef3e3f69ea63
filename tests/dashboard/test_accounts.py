"""Demo accounts and the users file: bcrypt hashes only, one account per role and county."""

import bcrypt
import pytest
import yaml

from dashboard.auth import Role, load_users, viewer_from_account
from dashboard.demo_users import demo_accounts, write_demo_users, write_demo_users_for_snapshot
from tests.dashboard.city_source import GUANGMING, WEIDONG, XINHUA, ZONE

COUNTIES = [(XINHUA, "新华区"), (WEIDONG, "卫东区")]


def test_one_account_per_role_and_one_leader_per_county():
    accounts = demo_accounts(COUNTIES, GUANGMING)
    assert [(a.username, a.password, a.role, a.scope) for a in accounts] == [
        ("admin", "admin-demo", Role.CITY_ADMIN, None),
        ("analyst", "analyst-demo", Role.CITY_ANALYST, None),
        ("leader-410402", "leader-demo", Role.COUNTY_LEADER, XINHUA),
        ("leader-410403", "leader-demo", Role.COUNTY_LEADER, WEIDONG),
        ("staff", "staff-demo", Role.COMMUNITY_STAFF, GUANGMING),
    ]


def test_the_users_file_holds_bcrypt_hashes_the_dashboard_can_read(tmp_path):
    path = tmp_path / "users.yaml"
    accounts = write_demo_users(path, COUNTIES, GUANGMING, bcrypt_rounds=4)
    text = path.read_text(encoding="utf-8")
    assert "admin-demo" not in text and "leader-demo" not in text
    config = load_users(path)
    users = config["credentials"]["usernames"]
    for account in accounts:
        entry = users[account.username]
        assert bcrypt.checkpw(account.password.encode(), entry["password"].encode())
        viewer = viewer_from_account(account.username, entry)
        assert (viewer.role, viewer.county_code, viewer.community_code) == (
            account.role, account.county_code, account.community_code)
    assert len(config["cookie"]["key"]) == 64
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_users_file_that_is_not_a_demo_file_is_not_overwritten(tmp_path):
    path = tmp_path / "users.yaml"
    path.write_text(yaml.safe_dump({"credentials": {"usernames": {}}}), encoding="utf-8")
    with pytest.raises(FileExistsError, match="not demo accounts"):
        write_demo_users(path, COUNTIES, GUANGMING, bcrypt_rounds=4)
    write_demo_users(tmp_path / "demo.yaml", COUNTIES, GUANGMING, bcrypt_rounds=4)
    write_demo_users(tmp_path / "demo.yaml", COUNTIES, GUANGMING, bcrypt_rounds=4)  # a demo file is renewed


def test_demo_accounts_for_a_published_city(warehouse):
    accounts = write_demo_users_for_snapshot(warehouse)
    leaders = [a.county_code for a in accounts if a.role is Role.COUNTY_LEADER]
    assert leaders == [XINHUA, WEIDONG, ZONE]
    (staff,) = [a for a in accounts if a.role is Role.COMMUNITY_STAFF]
    assert staff.community_code == GUANGMING  # the longest worklist: the demo has people to show
    assert (warehouse / "users.yaml").exists()
