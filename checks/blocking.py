"""The contract's two blocking checks as plain SQL over `staging_counts` (no GX on this path).

They guard every downstream asset: when one fails, nothing is computed from the broken data and
nothing is published, so the previous results stay served.
"""


from decimal import Decimal

import dagster as dg
import duckdb

from assets.ingest.contract import REQUIRED_TABLES
from assets.staging.assets import STAGING_COUNTS
from assets.warehouse import read_frame
from pipelines.resources import RulesetResource, WarehouseResource

REQUIRED_TABLE_EMPTIED = "required_table_emptied"
QUARANTINE_SHARE = "quarantine_share"

REQUIRED_TABLE_EMPTIED_SQL = """
SELECT "table", input_rows, quarantined_rows
FROM staging_counts
WHERE list_contains($required_tables, "table") AND input_rows > 0 AND used_rows = 0
ORDER BY "table"
"""

QUARANTINE_SHARE_SQL = """
SELECT "table", input_rows, quarantined_rows
FROM staging_counts
WHERE input_rows >= $min_rows AND quarantined_rows > $max_share * input_rows
ORDER BY "table"
"""


def emptied_required_tables(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return read_frame(con, REQUIRED_TABLE_EMPTIED_SQL, {"required_tables": list(REQUIRED_TABLES)}).to_dicts()


def over_quarantined_tables(con: duckdb.DuckDBPyConnection, min_rows: int, max_share: Decimal) -> list[dict]:
    return read_frame(con, QUARANTINE_SHARE_SQL, {"min_rows": min_rows, "max_share": max_share}).to_dicts()


def _result(check: str, offenders: list[dict], explain) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=not offenders,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(explain(o) for o in offenders) if offenders else f"{check}: every table passes",
        metadata={"tables": ",".join(o["table"] for o in offenders), "check": check},
    )


@dg.asset_check(
    asset=STAGING_COUNTS,
    name=REQUIRED_TABLE_EMPTIED,
    blocking=True,
    description="Blocks publication when a required table that had rows has none left after quarantine.",
)
def required_table_emptied(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect_build(context.partition_key) as con:
        offenders = emptied_required_tables(con)
    return _result(
        REQUIRED_TABLE_EMPTIED,
        offenders,
        lambda o: f"required table {o['table']} lost all {o['input_rows']} rows to quarantine",
    )


@dg.asset_check(
    asset=STAGING_COUNTS,
    name=QUARANTINE_SHARE,
    blocking=True,
    description="Blocks publication when a table of at least blocking_min_rows rows lost more than "
    "blocking_quarantine_share of them to quarantine.",
)
def quarantine_share(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, ruleset: RulesetResource):
    rules = ruleset.load()
    with warehouse.connect_build(context.partition_key) as con:
        offenders = over_quarantined_tables(con, rules.blocking_min_rows, rules.blocking_quarantine_share)
    return _result(
        QUARANTINE_SHARE,
        offenders,
        lambda o: f"table {o['table']} lost {o['quarantined_rows']} of {o['input_rows']} rows to quarantine "
        f"(more than {rules.blocking_quarantine_share:%})",
    )


BLOCKING_CHECKS = [required_table_emptied, quarantine_share]
