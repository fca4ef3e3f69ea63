"""Import Great Expectations on a background thread while ingest and staging work.

`import great_expectations` takes about 5.5 s (it pulls in scipy.stats, pandas, altair and
SQLAlchemy), and the quality step can do nothing before it is done. Ingest and staging spend
their time inside Polars and DuckDB, which release the GIL, so the import can run beside them
and the quality step finds GX already loaded. At city scale this takes the import off the
critical path; on a tiny source it still overlaps Dagster's own step bookkeeping.

The thread is a daemon: a run that fails before the quality step (a fatal input error) exits
without waiting for it. Any import error is left for the quality step to raise and report.
"""

from __future__ import annotations

import importlib
import sys
import threading

GX_MODULES = (
    "great_expectations",
    "great_expectations.data_context.types.base",
    "sqlalchemy.pool",
    "duckdb_engine",
    "checks.gx_duckdb",
)

_lock = threading.Lock()
_thread: threading.Thread | None = None


def _import_gx() -> None:
    for module in GX_MODULES:
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - the quality step imports again and reports the error
            return


def start_gx_import() -> None:
    """Begin importing GX unless it is loaded or loading (idempotent, returns at once)."""
    global _thread
    with _lock:
        if _thread is not None or "checks.gx_duckdb" in sys.modules:
            return
        _thread = threading.Thread(target=_import_gx, name="fec-gx-import", daemon=True)
        _thread.start()


def wait_for_gx_import() -> None:
    """Let a started import finish before the caller imports GX itself (no two threads then
    import the same modules at once)."""
    with _lock:
        thread = _thread
    if thread is not None:
        thread.join()
