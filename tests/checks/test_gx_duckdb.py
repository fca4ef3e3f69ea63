"""checks/gx_duckdb.py: GX's SQL path on DuckDB fails without the patch and counts correctly with it.

When `test_upstream_gx_still_needs_the_patch` fails, upstream GX has fixed its DuckDB support:
delete checks/gx_duckdb.py, its `apply()` call in checks/validate.py and this file.
"""

from __future__ import annotations

import duckdb
import pytest

from checks import gx_duckdb
from checks.validate import exception_messages, quiet_context
from tests.checks.conftest import duckdb_file, gx_batches


@pytest.fixture
def warehouse(tmp_path):
    return duckdb_file(tmp_path / "w.duckdb",
                       "CREATE TABLE t AS SELECT * FROM (VALUES ('410402'), ('41040X'), (NULL)) AS v(code)")


def validate(path) -> dict[str, dict]:
    """not-null and regex expectations on t.code through GX's SQL datasource, as GX reports them."""
    import great_expectations as gx

    suite = gx.ExpectationSuite("t", expectations=[
        gx.expectations.ExpectColumnValuesToNotBeNull(column="code"),
        gx.expectations.ExpectColumnValuesToMatchRegex(column="code", regex="^[0-9]{6}$"),
    ])
    with gx_batches(path) as batch:  # quiet_context() there applies the patch
        result = batch("t").validate(suite, result_format="BASIC")
    return {
        r.expectation_config.type: {
            "success": r.success,
            "unexpected": (r.result or {}).get("unexpected_count"),
            "error": "; ".join(exception_messages(r.exception_info)),
        }
        for r in result.results
    }


def test_upstream_gx_still_needs_the_patch(warehouse, monkeypatch):
    quiet_context()
    gx_duckdb.remove()
    monkeypatch.setattr(gx_duckdb, "apply", lambda: None)  # keep validate() from installing it again
    try:
        upstream = validate(warehouse)
    finally:
        monkeypatch.undo()
        gx_duckdb.apply()
    errors = {kind: r["error"] for kind, r in upstream.items() if r["error"]}
    assert errors, (f"GX now validates DuckDB without checks/gx_duckdb.py ({', '.join(gx_duckdb.UPSTREAM_ISSUES)} "
                    "fixed): remove the patch")
    known = ("No open result set", "Regex is not supported for dialect duckdb")  # the two faults the patch fixes
    assert all(any(k in e for k in known) for e in errors.values()), errors


def test_patched_gx_counts_on_duckdb_and_releases_the_file(warehouse):
    assert validate(warehouse) == {
        "expect_column_values_to_not_be_null": {"success": False, "unexpected": 1, "error": ""},
        "expect_column_values_to_match_regex": {"success": False, "unexpected": 1, "error": ""},
    }
    writer = duckdb.connect(str(warehouse), config={"memory_limit": "1GB"})  # no connection left open by GX
    writer.execute("DROP TABLE t")
    writer.close()
