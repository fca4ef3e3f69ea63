"""Demo accounts for a demo city: one per role, and one county leader per county.

The passwords are public (listed in dashboard/README.md) and only for demos; production accounts
come from a users file kept outside the repository (FEC_USERS_FILE). The file holds bcrypt
hashes only, and a fresh random cookie key, so a demo file's log-in cookies are worthless
anywhere else.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import bcrypt
import duckdb
import yaml

from dashboard.roles import Role

COOKIE_NAME = "fec_dashboard"
DEMO_PASSWORD_SUFFIX = "-demo"
DEMO_HEADER = "# Demo accounts (passwords in dashboard/README.md). Not for production.\n"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    display_name: str
    county_code: str | None = None
    community_code: str | None = None

    @property
    def scope(self) -> str | None:
        """What the account sees, for a listing: a county or community code; None = whole city."""
        return self.county_code or self.community_code


def demo_accounts(counties: list[tuple[str, str]], community_code: str) -> list[DemoAccount]:
    """admin / admin-demo, analyst / analyst-demo, staff / staff-demo (of `community_code`), and
    leader-<county_code> / leader-demo per county."""
    accounts = [
        DemoAccount("admin", "admin" + DEMO_PASSWORD_SUFFIX, Role.CITY_ADMIN, "市局管理员"),
        DemoAccount("analyst", "analyst" + DEMO_PASSWORD_SUFFIX, Role.CITY_ANALYST, "市局分析员"),
    ]
    accounts += [
        DemoAccount(f"leader-{code}", "leader" + DEMO_PASSWORD_SUFFIX, Role.COUNTY_LEADER, f"{name}负责人",
                    county_code=code)
        for code, name in counties
    ]
    accounts.append(DemoAccount("staff", "staff" + DEMO_PASSWORD_SUFFIX, Role.COMMUNITY_STAFF, "社区工作人员",
                                community_code=community_code))
    return accounts


def write_demo_users(path: Path, counties: list[tuple[str, str]], community_code: str,
                     bcrypt_rounds: int = 12) -> list[DemoAccount]:
    """Write the demo accounts' users file (bcrypt-hashed) and return the accounts with their
    plain demo passwords."""
    accounts = demo_accounts(counties, community_code)
    usernames: dict[str, dict[str, object]] = {}
    hashes: dict[str, bytes] = {}
    for account in accounts:
        if account.password not in hashes:  # one hash per distinct password keeps 12 county leaders fast
            hashes[account.password] = bcrypt.hashpw(account.password.encode(), bcrypt.gensalt(bcrypt_rounds))
        entry: dict[str, object] = {
            "name": account.display_name,
            "email": f"{account.username}@demo.invalid",
            "password": hashes[account.password].decode(),
            "roles": [account.role.value],
        }
        if account.county_code:
            entry["county_code"] = account.county_code
        if account.community_code:
            entry["community_code"] = account.community_code
        usernames[account.username] = entry
    config = {
        "cookie": {"name": COOKIE_NAME, "key": secrets.token_hex(32), "expiry_days": 1},
        "credentials": {"usernames": usernames},
    }
    if path.exists() and not path.read_text(encoding="utf-8").startswith(DEMO_HEADER):
        raise FileExistsError(f"{path} holds accounts that are not demo accounts; not overwriting it")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(DEMO_HEADER + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    temp.chmod(0o600)
    temp.replace(path)
    return accounts


def write_demo_users_for_snapshot(warehouse: Path, path: Path | None = None) -> list[DemoAccount]:
    """Demo accounts for the city in `<warehouse>/served.duckdb`: a leader for each county of its
    latest evaluation, and the community staff account for the community with the longest
    worklist (so the demo has people to show). Written to `path`, default `<warehouse>/users.yaml`."""
    counties, community = _snapshot_geography(Path(warehouse) / "served.duckdb")
    return write_demo_users(path or Path(warehouse) / "users.yaml", counties, community)


def _snapshot_geography(served: Path) -> tuple[list[tuple[str, str]], str]:
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{str(served).replace(chr(39), chr(39) * 2)}' AS s (READ_ONLY)")
        con.execute("USE s")
        latest = "(SELECT max(as_of) FROM runs)"
        counties = con.execute(
            f"SELECT DISTINCT county_code, county_name FROM community_results WHERE as_of = {latest} ORDER BY 1"
        ).fetchall()
        busiest = con.execute(
            f"SELECT community_code FROM worklist WHERE as_of = {latest} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchall()
        if not busiest:
            busiest = con.execute(
                f"SELECT min(community_code) FROM community_results WHERE as_of = {latest}").fetchall()
    finally:
        con.close()
    if not counties or busiest[0][0] is None:
        raise ValueError(f"{served} has no published communities")
    return [(str(code), str(name)) for code, name in counties], str(busiest[0][0])
