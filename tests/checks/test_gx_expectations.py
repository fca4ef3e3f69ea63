"""checks/gx_expectations.py: the query of ExpectQueryToFindNoRows runs once, and counts its rows.

When `test_gx_own_expectation_still_runs_the_query_twice` fails, upstream GX no longer fetches
the rows it does not report: ExpectQueryToFindNoRows can go back to UnexpectedRowsExpectation.
"""

from __future__ import annotations

import pytest

from checks.validate import RESULT_FORMAT, quiet_context
from tests.checks.conftest import duckdb_file, gx_batches

MARKER = "'counted once' = 'counted once'"
QUERY = 'SELECT "row_number" FROM {batch} WHERE v = 0 AND ' + MARKER


@pytest.fixture
def warehouse(tmp_path):
    return duckdb_file(tmp_path / "w.duckdb",
                       'CREATE TABLE t AS SELECT range AS "row_number", range % 3 AS v FROM range(10)')


def validate(path, expectation) -> tuple[dict, list[str]]:
    """The expectation's result on table t, and every SQL statement GX ran for it."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    with gx_batches(path) as batch:
        table = batch("t")
        event.listen(Engine, "before_cursor_execute", record)
        try:
            result = table.validate(expectation, result_format=RESULT_FORMAT)
        finally:
            event.remove(Engine, "before_cursor_execute", record)
    return {"success": result.success, **result.result}, statements


def test_the_query_runs_once_and_its_rows_are_counted(warehouse):
    from checks.gx_expectations import ExpectQueryToFindNoRows

    result, statements = validate(warehouse, ExpectQueryToFindNoRows(unexpected_rows_query=QUERY))
    assert result == {"success": False, "observed_value": 4}  # v = 0 in rows 0, 3, 6, 9
    assert sum(MARKER in s for s in statements) == 1


def test_no_row_found_is_success(warehouse):
    from checks.gx_expectations import ExpectQueryToFindNoRows

    result, _ = validate(warehouse, ExpectQueryToFindNoRows(unexpected_rows_query=QUERY.replace("v = 0", "v = 7")))
    assert result == {"success": True, "observed_value": 0}


def test_gx_own_expectation_still_runs_the_query_twice(warehouse):
    import great_expectations.expectations as gxe

    result, statements = validate(warehouse, gxe.UnexpectedRowsExpectation(unexpected_rows_query=QUERY))
    assert result == {"success": False, "observed_value": 4}
    assert sum(MARKER in s for s in statements) == 2


def test_a_stored_suite_reads_back_with_the_project_expectation(warehouse):
    """Data Docs read the suites back from JSON (checks/docs.py): the type must be known there."""
    import great_expectations as gx

    from checks.gx_expectations import ExpectQueryToFindNoRows

    quiet_context()
    suite = gx.ExpectationSuite("t", expectations=[ExpectQueryToFindNoRows(unexpected_rows_query=QUERY)])
    again = gx.ExpectationSuite(**suite.to_json_dict())
    assert [type(e).__name__ for e in again.expectations] == ["ExpectQueryToFindNoRows"]
    assert again.expectations[0].unexpected_rows_query == QUERY
