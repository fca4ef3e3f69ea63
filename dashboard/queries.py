"""Read-only, cached access to the served snapshot; the only module that speaks SQL.

Why it looks the way it does:
- The pipeline replaces `served.duckdb` with os.replace() on every publish, so each query opens
  an in-memory connection and ATTACHes the file READ_ONLY, then closes it. A connection held
  to the path could keep returning the old file; Streamlit caches results, never connections.
- Results are cached per snapshot *version* (path, mtime, size): a publish changes the
  version, so the next rerun reads the new results without waiting for a TTL.
- Every query takes the viewer's `Scope` and filters on it in SQL: a county leader's queries
  only ever return the leader's county, whatever the page asks for. User filters (a chosen
  county, community, tier) are separate parameters, AND'ed with the scope.
- User values are bound as parameters, never formatted into SQL.
- Overviews read the precomputed tables (county_summary, community_results, criteria); the
  person-level worklist is only read for one community at a time.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from assets.warehouse import read_frame
from pipelines.settings import warehouse_dir

SERVED_FILE_NAME = "served.duckdb"
CACHE_TTL_SECONDS = 600


@dataclass(frozen=True)
class Snapshot:
    """One version of the served file; part of every cache key."""

    path: str
    mtime_ns: int
    size: int


@dataclass(frozen=True)
class Scope:
    """What a viewer may see: the whole city (both None), one county-level unit by county_code
    (a functional zone's communities belong to the zone, not their legal district), or one
    community."""

    county_code: str | None = None
    community_code: str | None = None

    @property
    def is_city(self) -> bool:
        return self.county_code is None and self.community_code is None


CITY = Scope()


def served_path() -> Path:
    return warehouse_dir() / SERVED_FILE_NAME


def current_snapshot(path: Path | None = None) -> Snapshot | None:
    """The served file's current version, or None before the first publish."""
    target = path or served_path()
    try:
        stat = os.stat(target)
    except FileNotFoundError:
        return None
    return Snapshot(str(target), stat.st_mtime_ns, stat.st_size)


def _read(snapshot: Snapshot, sql: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{_sql_quote(snapshot.path)}' AS s (READ_ONLY)")
        con.execute("USE s")
        return read_frame(con, sql, params or {})
    finally:
        con.close()


def _sql_quote(text: str) -> str:
    """The snapshot path comes from the server's settings, not from a user; quoted all the same
    (ATTACH takes no bound parameter)."""
    return text.replace("'", "''")


def _scope_params(scope: Scope) -> dict[str, object]:
    return {"scope_county": scope.county_code, "scope_community": scope.community_code}


def _in_scope(alias: str) -> str:
    """SQL condition: row `alias` (with county_code and community_code) is inside the scope."""
    return (f"($scope_county::VARCHAR IS NULL OR {alias}.county_code = $scope_county) "
            f"AND ($scope_community::VARCHAR IS NULL OR {alias}.community_code = $scope_community)")


CITY_ONLY = "($scope_county::VARCHAR IS NULL AND $scope_community::VARCHAR IS NULL)"
COUNTY_FILTER = "($county::VARCHAR IS NULL OR r.county_code = $county)"
QUARANTINE_IN_SCOPE = (f"({CITY_ONLY} OR q.community_code IN (SELECT r.community_code FROM community_results AS r "
                       f"WHERE r.as_of = $as_of AND {_in_scope('r')}))")


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def table_names(snapshot: Snapshot) -> frozenset[str]:
    frame = _read(snapshot, "SELECT table_name FROM duckdb_tables() WHERE database_name = 's'")
    return frozenset(frame["table_name"].to_list())


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def runs(snapshot: Snapshot) -> pl.DataFrame:
    """Published evaluation dates: as_of, year, provisional, ruleset, published_at (oldest first).
    Dates only; whoever may log in may know which dates exist."""
    return _read(snapshot, "SELECT as_of, year, provisional, ruleset, published_at FROM runs ORDER BY as_of")


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def counties(snapshot: Snapshot, scope: Scope, as_of: dt.date) -> pl.DataFrame:
    """County-level units with communities in scope at as_of: county_code, county_name."""
    return _read(snapshot, f"""
        SELECT DISTINCT r.county_code, r.county_name
        FROM community_results AS r
        WHERE r.as_of = $as_of AND {_in_scope("r")}
        ORDER BY r.county_code
    """, {"as_of": as_of, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def communities(snapshot: Snapshot, scope: Scope, as_of: dt.date, county: str | None = None) -> pl.DataFrame:
    """Communities in scope (and in `county` if given): code, name, street, county."""
    return _read(snapshot, f"""
        SELECT r.community_code, r.community_name, r.street_name, r.county_code, r.county_name
        FROM community_results AS r
        WHERE r.as_of = $as_of AND {_in_scope("r")} AND {COUNTY_FILTER}
        ORDER BY r.county_code, r.community_code
    """, {"as_of": as_of, "county": county, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def county_summary(snapshot: Snapshot, scope: Scope, as_of: dt.date, county: str | None = None) -> pl.DataFrame:
    """The precomputed per-county counts and money; a community's staff get no rows."""
    return _read(snapshot, f"""
        SELECT r.county_code, r.county_name, r.communities, r.applied_municipal, r.applied_star,
               r.qualified_municipal, r.qualified_star, r.awarded_municipal, r.awarded_star,
               r.reward_yuan, r.clawback_yuan
        FROM county_summary AS r
        WHERE r.as_of = $as_of
          AND ($scope_county::VARCHAR IS NULL OR r.county_code = $scope_county)
          AND $scope_community::VARCHAR IS NULL
          AND {COUNTY_FILTER}
        ORDER BY r.county_code
    """, {"as_of": as_of, "county": county, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def criterion_failures(snapshot: Snapshot, scope: Scope, as_of: dt.date, tier: str,
                       county: str | None = None) -> pl.DataFrame:
    """Per county and criterion of `tier`: communities failing it and persons/items short (the sum
    of shortfall; a fail on an empty denominator has none and is counted in `unknown_shortfall`).
    Every criterion of the tier appears, with 0 where nobody fails."""
    return _read(snapshot, f"""
        SELECT r.county_code, any_value(r.county_name) AS county_name, c.criterion_id,
               any_value(c.indicator_id) AS indicator_id, min(c.ordinal) AS ordinal,
               count(*) FILTER (WHERE c.outcome = 'fail') AS communities_failing,
               coalesce(sum(c.shortfall) FILTER (WHERE c.outcome = 'fail'), 0) AS total_shortfall,
               count(*) FILTER (WHERE c.outcome = 'fail' AND c.shortfall IS NULL) AS unknown_shortfall
        FROM community_criteria AS c
        JOIN community_results AS r ON r.as_of = c.as_of AND r.community_code = c.community_code
        WHERE c.as_of = $as_of AND c.tier = $tier AND {_in_scope("r")} AND {COUNTY_FILTER}
        GROUP BY r.county_code, c.criterion_id
        ORDER BY r.county_code, ordinal
    """, {"as_of": as_of, "tier": tier, "county": county, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def nearest_to_qualifying(snapshot: Snapshot, scope: Scope, as_of: dt.date, tier: str,
                          county: str | None = None) -> pl.DataFrame:
    """Communities not qualified for `tier`, nearest first: fewest failing criteria, then the
    smallest total shortfall. `failing` lists the criterion ids in the ruleset's order."""
    return _read(snapshot, f"""
        SELECT r.community_code, r.community_name, r.street_name, r.county_name, r.tier_applied,
               r.qualified_tier,
               count(*) AS failing_criteria,
               coalesce(sum(c.shortfall), 0) AS total_shortfall,
               count(*) FILTER (WHERE c.shortfall IS NULL) AS unknown_shortfall,
               string_agg(c.criterion_id, ';' ORDER BY c.ordinal) AS failing
        FROM community_criteria AS c
        JOIN community_results AS r ON r.as_of = c.as_of AND r.community_code = c.community_code
        WHERE c.as_of = $as_of AND c.tier = $tier AND c.outcome = 'fail'
          AND {_in_scope("r")} AND {COUNTY_FILTER}
        GROUP BY ALL
        ORDER BY failing_criteria, total_shortfall, r.community_code
    """, {"as_of": as_of, "tier": tier, "county": county, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def indicator_trend(snapshot: Snapshot, scope: Scope, year: int, county: str | None = None,
                    community: str | None = None) -> pl.DataFrame:
    """Per published as_of of `year` and indicator: the numerators and denominators summed over
    the communities in scope (and in `county` / `community`), and their ratio (NULL when the
    summed denominator is 0, and for counts)."""
    return _read(snapshot, f"""
        SELECT i.as_of, any_value(u.provisional) AS provisional, i.indicator_id, min(i.ordinal) AS ordinal,
               sum(i.numerator) AS numerator, sum(i.denominator) AS denominator,
               CASE WHEN sum(i.denominator) > 0 THEN sum(i.numerator) / sum(i.denominator) END AS value
        FROM community_indicators AS i
        JOIN runs AS u ON u.as_of = i.as_of
        JOIN community_results AS r ON r.as_of = i.as_of AND r.community_code = i.community_code
        WHERE u.year = $year AND {_in_scope("r")} AND {COUNTY_FILTER}
          AND ($community::VARCHAR IS NULL OR r.community_code = $community)
        GROUP BY i.as_of, i.indicator_id
        ORDER BY i.as_of, ordinal
    """, {"year": year, "county": county, "community": community, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def community_result(snapshot: Snapshot, scope: Scope, as_of: dt.date, community: str) -> pl.DataFrame:
    """The one community_results row of `community` (no row when it is outside the scope)."""
    return _read(snapshot, f"""
        SELECT r.* EXCLUDE (year, as_of)
        FROM community_results AS r
        WHERE r.as_of = $as_of AND r.community_code = $community AND {_in_scope("r")}
    """, {"as_of": as_of, "community": community, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def community_indicators(snapshot: Snapshot, scope: Scope, as_of: dt.date, community: str) -> pl.DataFrame:
    """Every indicator of `community` beside its municipal and star criterion: threshold,
    outcome and shortfall per tier (NULL where the tier sets no threshold)."""
    return _read(snapshot, f"""
        SELECT i.indicator_id, i.numerator, i.denominator, i.value,
               m.criterion_id AS municipal_criterion, m.threshold AS municipal_threshold,
               m.outcome AS municipal_outcome, m.shortfall AS municipal_shortfall,
               t.criterion_id AS star_criterion, t.threshold AS star_threshold,
               t.outcome AS star_outcome, t.shortfall AS star_shortfall
        FROM community_indicators AS i
        JOIN community_results AS r ON r.as_of = i.as_of AND r.community_code = i.community_code
        LEFT JOIN community_criteria AS m ON m.as_of = i.as_of AND m.community_code = i.community_code
             AND m.indicator_id = i.indicator_id AND m.tier = 'municipal'
        LEFT JOIN community_criteria AS t ON t.as_of = i.as_of AND t.community_code = i.community_code
             AND t.indicator_id = i.indicator_id AND t.tier = 'star'
        WHERE i.as_of = $as_of AND i.community_code = $community AND {_in_scope("r")}
        ORDER BY i.ordinal
    """, {"as_of": as_of, "community": community, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def worklist(snapshot: Snapshot, scope: Scope, as_of: dt.date, community: str) -> pl.DataFrame:
    """The people and households behind the community's shortfalls, unmasked: the caller masks
    them for the viewer's role before anything is shown or exported."""
    if "worklist" not in table_names(snapshot):
        return pl.DataFrame(schema={"list_kind": pl.String, "subject_kind": pl.String, "subject_id": pl.String,
                                    "name": pl.String, "detail": pl.String, "difficulty_categories": pl.String})
    return _read(snapshot, f"""
        SELECT w.list_kind, w.subject_kind, w.subject_id, w.name, w.detail, w.difficulty_categories
        FROM worklist AS w
        WHERE w.as_of = $as_of AND w.community_code = $community AND {_in_scope("w")}
        ORDER BY w.list_kind, w.subject_id
    """, {"as_of": as_of, "community": community, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def awards(snapshot: Snapshot, scope: Scope, as_of: dt.date, county: str | None = None) -> pl.DataFrame:
    """Communities awarded a title or owing a clawback at as_of, by county then community."""
    return _read(snapshot, f"""
        SELECT r.county_code, r.county_name, r.street_name, r.community_code, r.community_name, r.tier_applied,
               r.qualified_tier, r.awarded_tier, r.reward_yuan, r.clawback_yuan, r.fraud_disqualified
        FROM community_results AS r
        WHERE r.as_of = $as_of AND (r.reward_yuan > 0 OR r.clawback_yuan > 0)
          AND {_in_scope("r")} AND {COUNTY_FILTER}
        ORDER BY r.county_code, r.community_code
    """, {"as_of": as_of, "county": county, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def workflow(snapshot: Snapshot, scope: Scope, as_of: dt.date, county: str | None = None) -> pl.DataFrame:
    """Per tier applied: applications still in the running after each review (applied → street →
    county → city → third party; a pending review does not stop an application, an explicit
    rejection does), how many met the tier applied for, and how many were awarded."""
    return _read(snapshot, f"""
        SELECT t.tier,
               count(w.community_code) AS applied,
               count(w.community_code) FILTER (WHERE w.street_recommended IS NOT FALSE) AS street,
               count(w.community_code) FILTER (WHERE w.street_recommended IS NOT FALSE
                   AND w.county_preselected IS NOT FALSE) AS county,
               count(w.community_code) FILTER (WHERE w.street_recommended IS NOT FALSE
                   AND w.county_preselected IS NOT FALSE AND w.city_reviewed IS NOT FALSE) AS city,
               count(w.community_code) FILTER (WHERE w.stage_status <> 'rejected') AS third_party,
               count(w.community_code) FILTER (WHERE w.qualified_tier = 'star'
                   OR (t.tier = 'municipal' AND w.qualified_tier = 'municipal')) AS qualified,
               count(w.community_code) FILTER (WHERE w.awarded_tier <> 'none') AS awarded,
               count(w.community_code) FILTER (WHERE w.fraud_disqualified) AS fraud_disqualified
        FROM (VALUES ('municipal'), ('star')) AS t(tier)
        LEFT JOIN application_workflow AS w
          ON w.tier_applied = t.tier AND w.as_of = $as_of AND {_in_scope("w")}
         AND ($county::VARCHAR IS NULL OR w.county_code = $county)
        GROUP BY t.tier
        ORDER BY t.tier
    """, {"as_of": as_of, "county": county, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def applications(snapshot: Snapshot, scope: Scope, as_of: dt.date, county: str | None = None) -> pl.DataFrame:
    """Each application in scope with the review it has reached (stage, stage_status) and its result."""
    return _read(snapshot, f"""
        SELECT w.community_code, r.community_name, w.tier_applied, w.applied_on, w.stage, w.stage_status,
               w.qualified_tier, w.awarded_tier, w.fraud_disqualified
        FROM application_workflow AS w
        JOIN community_results AS r ON r.community_code = w.community_code AND r.as_of = w.as_of
        WHERE w.as_of = $as_of AND {_in_scope("w")} AND ($county::VARCHAR IS NULL OR w.county_code = $county)
        ORDER BY w.stage_status, w.stage, w.community_code
    """, {"as_of": as_of, "county": county, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def staging_counts(snapshot: Snapshot, scope: Scope, as_of: dt.date) -> pl.DataFrame:
    """Rows read, used, identical copies and quarantined per source file. City roles only: the
    counts are of the whole source and cannot be cut by county."""
    return _read(snapshot, f"""
        SELECT "table", file, input_rows, used_rows, identical_copies, quarantined_rows
        FROM staging_counts
        WHERE as_of = $as_of AND {CITY_ONLY}
        ORDER BY "table"
    """, {"as_of": as_of, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def quarantine_reasons(snapshot: Snapshot, scope: Scope, as_of: dt.date) -> pl.DataFrame:
    """Quarantined rows counted per table and reason code: all of them for city roles, for others
    the rows whose community code (as written in the row) is one of their communities."""
    return _read(snapshot, f"""
        SELECT "table", split_part(reason, ':', 1) AS reason_code, count(*) AS rows
        FROM quarantine AS q
        WHERE q.as_of = $as_of AND {QUARANTINE_IN_SCOPE}
        GROUP BY ALL
        ORDER BY rows DESC, "table", reason_code
    """, {"as_of": as_of, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def quarantine_rows(snapshot: Snapshot, scope: Scope, as_of: dt.date, table: str | None = None,
                    reason_code: str | None = None, limit: int = 1000) -> pl.DataFrame:
    """The quarantined rows themselves (unmasked; the caller masks keys for masked roles)."""
    return _read(snapshot, f"""
        SELECT "table", file, row_number, key, reason
        FROM quarantine AS q
        WHERE q.as_of = $as_of AND {QUARANTINE_IN_SCOPE}
          AND ($table::VARCHAR IS NULL OR "table" = $table)
          AND ($reason::VARCHAR IS NULL OR split_part(reason, ':', 1) = $reason)
        ORDER BY "table", row_number
        LIMIT $limit
    """, {"as_of": as_of, "table": table, "reason": reason_code, "limit": limit, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def dq_overall(snapshot: Snapshot, scope: Scope, as_of: dt.date) -> pl.DataFrame | None:
    """The warning checks' verdict per source table, expectation and column (dq_results rows
    without a community), failures first; None while the snapshot has no dq_results. City
    roles only: the verdicts are of the whole source."""
    if "dq_results" not in table_names(snapshot):
        return None
    return _read(snapshot, f"""
        SELECT "table", expectation, "column", evaluated, unexpected, success, severity, examples
        FROM dq_results
        WHERE as_of = $as_of AND community_code IS NULL AND {CITY_ONLY}
        ORDER BY success, unexpected DESC NULLS LAST, "table", expectation, "column"
    """, {"as_of": as_of, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def dq_communities(snapshot: Snapshot, scope: Scope, as_of: dt.date, county: str | None = None) -> pl.DataFrame | None:
    """Per community in scope: rows read, used, quarantined, the share kept, six-clear
    completeness and how many checks found problems in its rows (dq_community, dq_results);
    worst first. None while the snapshot has no dq_community."""
    if "dq_community" not in table_names(snapshot):
        return None
    checks = "dq_results" in table_names(snapshot)
    failing = ("(SELECT community_code, count(*) AS failing_checks FROM dq_results "
               "WHERE as_of = $as_of AND community_code IS NOT NULL AND NOT success GROUP BY community_code)"
               if checks else "(SELECT NULL::VARCHAR AS community_code, 0 AS failing_checks)")
    return _read(snapshot, f"""
        SELECT r.county_name, r.community_code, r.community_name, d.input_rows, d.used_rows, d.identical_copies,
               d.quarantined_rows, d.used_share, d.six_clear_rows, d.six_clear_complete, d.six_clear_rate,
               coalesce(f.failing_checks, 0) AS failing_checks
        FROM dq_community AS d
        JOIN community_results AS r ON r.as_of = d.as_of AND r.community_code = d.community_code
        LEFT JOIN {failing} AS f ON f.community_code = d.community_code
        WHERE d.as_of = $as_of AND {_in_scope("r")} AND {COUNTY_FILTER}
        ORDER BY d.used_share, d.six_clear_rate NULLS LAST, r.community_code
    """, {"as_of": as_of, "county": county, **_scope_params(scope)})


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def dq_six_clear_fields(snapshot: Snapshot, scope: Scope, as_of: dt.date,
                        county: str | None = None) -> pl.DataFrame | None:
    """Per six-clear field, over the communities in scope: registry rows that must fill it, rows
    that do, and the completeness. None while the snapshot has no dq_six_clear_fields."""
    if "dq_six_clear_fields" not in table_names(snapshot):
        return None
    return _read(snapshot, f"""
        SELECT f.field, sum(f.required_rows) AS required_rows, sum(f.filled_rows) AS filled_rows,
               CASE WHEN sum(f.required_rows) > 0 THEN sum(f.filled_rows) / sum(f.required_rows) END AS completeness
        FROM dq_six_clear_fields AS f
        JOIN community_results AS r ON r.as_of = f.as_of AND r.community_code = f.community_code
        WHERE f.as_of = $as_of AND {_in_scope("r")} AND {COUNTY_FILTER}
        GROUP BY f.field
        ORDER BY completeness NULLS LAST, f.field
    """, {"as_of": as_of, "county": county, **_scope_params(scope)})
