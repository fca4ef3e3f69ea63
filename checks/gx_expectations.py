"""The project's own GX expectation type: a query that must find no rows, run once.

GX's `UnexpectedRowsExpectation` runs its query twice on every validation: once wrapped in a
`COUNT(*)` for the verdict and once more for the rows themselves (a metric it always asks for,
though our results keep only counts, see checks/validate.py RESULT_FORMAT). On the staged tables of
a city the second run doubles the cost of the reference and uniqueness checks for nothing.
`ExpectQueryToFindNoRows` is the same expectation that asks for the count alone; its result is what
GX's own gives with a BASIC result format (`observed_value`: the number of rows found).

Importing this module imports GX (several seconds) and registers the type
(`expect_query_to_find_no_rows`), which reading a stored suite back needs (checks/docs.py):
import it lazily, inside a function, as checks/validate.py does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from great_expectations.expectations.core.unexpected_rows_expectation import UnexpectedRowsExpectation

ROW_COUNT_METRIC = "unexpected_rows_query.row_count"


class ExpectQueryToFindNoRows(UnexpectedRowsExpectation):
    """`unexpected_rows_query` (a SELECT over `{batch}`) must return no row; only its rows are
    counted, none is fetched."""

    metric_dependencies: ClassVar[tuple[str, ...]] = (ROW_COUNT_METRIC,)

    def _validate(self, metrics: dict, runtime_configuration: dict | None = None,
                  execution_engine: Any = None) -> dict:
        found = metrics[ROW_COUNT_METRIC]
        return {"success": found == 0, "result": {"observed_value": found}}
