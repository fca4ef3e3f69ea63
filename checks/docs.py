"""GX Data Docs (static HTML) on demand, from the suites and validation results stored in dq_validations.

Works on a build warehouse (one evaluation) or on the served snapshot (every published as_of;
pick one, default the latest). Nothing is re-validated: the pages show what the run found.
The pages hold no person's ID: results are stored without unexpected values (see
checks/validate.py RESULT_FORMAT). Write them into a git-ignored folder such as
data/quality_docs/.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb

from assets.warehouse import path_literal
from checks.quality import DQ_VALIDATIONS

SITE_NAME = "fec_quality"
GX_SITE_ENTRIES = ("index.html", "expectations", "validations", "static")


class DataDocsError(ValueError):
    """The warehouse holds no stored validation to render."""


def _stored_validations(warehouse: Path, as_of: dt.date | None) -> tuple[str, list[dict]]:
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {path_literal(warehouse)} AS w (READ_ONLY)")
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'w'").fetchall()}
        if DQ_VALIDATIONS not in tables:
            raise DataDocsError(f"{warehouse}: no {DQ_VALIDATIONS} table (run the evaluation with this version first)")
        columns = {r[0] for r in con.execute(f"DESCRIBE w.main.{DQ_VALIDATIONS}").fetchall()}
        query = f'SELECT "table", suite, suite_json, result_json FROM w.main.{DQ_VALIDATIONS}'
        params: list = []
        run_name = "build"
        if "as_of" in columns:  # the served snapshot keeps every published as_of
            chosen = as_of or con.execute(f"SELECT max(as_of) FROM w.main.{DQ_VALIDATIONS}").fetchall()[0][0]
            if chosen is None:
                raise DataDocsError(f"{warehouse}: {DQ_VALIDATIONS} is empty")
            query += " WHERE as_of = ?"
            params = [chosen]
            run_name = chosen.isoformat()
        cursor = con.execute(query + ' ORDER BY "table"', params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    if not rows:
        raise DataDocsError(f"{warehouse}: no stored validation for as_of {as_of}")
    if run_name == "build":
        run_name = json.loads(rows[0]["suite_json"]).get("meta", {}).get("as_of", "build")
    return run_name, rows


def build_data_docs(warehouse: Path, out_dir: Path, as_of: dt.date | None = None) -> Path:
    """Render GX Data Docs for the validations stored in `warehouse` (a build file or the served
    snapshot; `as_of` picks a published evaluation there, default the latest) into `out_dir`.
    Returns the path of the site's index.html. Replaces an earlier site in `out_dir` (only GX's
    own entries: index.html, expectations/, validations/, static/)."""
    run_name, rows = _stored_validations(Path(warehouse), as_of)

    from great_expectations.core import ExpectationSuite
    from great_expectations.core.expectation_validation_result import expectationSuiteValidationResultSchema
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    from checks.validate import quiet_context

    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    for entry in GX_SITE_ENTRIES:
        stale = out_dir / entry
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    context = quiet_context()
    context.add_data_docs_site(SITE_NAME, {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(out_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    run_time = dt.datetime.combine(dt.date.fromisoformat(run_name), dt.time()) if run_name != "build" else None
    for row in rows:
        context.suites.add(ExpectationSuite(**json.loads(row["suite_json"])))
        result = expectationSuiteValidationResultSchema.load(json.loads(row["result_json"]))
        run_id = RunIdentifier(run_name=run_name, run_time=run_time)
        result.meta["run_id"] = run_id
        suite_id = ExpectationSuiteIdentifier(row["suite"])
        key = ValidationResultIdentifier(suite_id, run_id, batch_identifier=row["table"])
        context.validation_results_store.set(key, result)
    context.build_data_docs(site_names=[SITE_NAME])
    return out_dir / "index.html"
