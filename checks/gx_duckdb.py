"""The one patch that lets Great Expectations 1.x validate DuckDB through SQLAlchemy (duckdb-engine).

Upstream GX (checked on 1.24.1) has two faults with DuckDB, both in `SqlAlchemyExecutionEngine`:
- `execute_query` returns a cursor result after its `with engine.connect()` block has closed
  the connection; DuckDB drops the pending rows then, so every metric fails with an IndexError
  (great_expectations#10738, #11579).
- it knows no DuckDB dialect module, so every regex expectation raises "Regex is not supported
  for dialect duckdb". DuckDB's SQLAlchemy dialect *is* the PostgreSQL one (its `~` operator
  matches a regular expression anywhere in the value, as PostgreSQL's does), so the PostgreSQL
  dialect module serves.

The patch keeps one connection per DuckDB execution engine open while GX fetches (GX's own
mechanism for SQLite and SQL Server) and closes it in `close()`; engines for other dialects
are untouched. Create the engine with `NullPool` so that closing really releases the file.
`tests/checks/test_gx_duckdb.py` fails as soon as upstream GX works without the patch: then
delete this module and its callers' `apply()`.

Importing this module imports GX (several seconds): import it lazily, inside a function.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy.dialects.postgresql as postgresql_dialect
from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

UPSTREAM_ISSUES = ("great_expectations#10738", "great_expectations#11579")
ORIGINAL = {
    "__init__": SqlAlchemyExecutionEngine.__init__,
    "get_connection": SqlAlchemyExecutionEngine.get_connection,
    "close": SqlAlchemyExecutionEngine.close,
}


def _is_duckdb(engine: SqlAlchemyExecutionEngine) -> bool:
    return engine.engine.dialect.name == "duckdb"


def _init(self: SqlAlchemyExecutionEngine, *args, **kwargs) -> None:
    ORIGINAL["__init__"](self, *args, **kwargs)
    if _is_duckdb(self) and self.dialect_module is None:
        self.dialect_module = postgresql_dialect


@contextmanager
def _get_connection(self: SqlAlchemyExecutionEngine) -> Iterator:
    if not _is_duckdb(self):
        with ORIGINAL["get_connection"](self) as connection:
            yield connection
        return
    if self._connection is None or self._connection.closed:
        self._connection = self.engine.connect()
    yield self._connection


def _close(self: SqlAlchemyExecutionEngine) -> None:
    if _is_duckdb(self) and self._connection is not None:
        self._connection.close()
        self._connection = None
    ORIGINAL["close"](self)


def apply() -> None:
    """Install the patch (idempotent)."""
    SqlAlchemyExecutionEngine.__init__ = _init
    SqlAlchemyExecutionEngine.get_connection = _get_connection
    SqlAlchemyExecutionEngine.close = _close


def remove() -> None:
    """Restore upstream behaviour (for the test that watches for an upstream fix)."""
    for name, method in ORIGINAL.items():
        setattr(SqlAlchemyExecutionEngine, name, method)
