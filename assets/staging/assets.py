"""Staging: typed tables, the quarantine and the per-table counts the blocking checks read."""


import datetime as dt

import dagster as dg
import polars as pl

from assets.ingest.assets import RAW_FILES_TABLE, raw_key
from assets.ingest.contract import TABLES, TABLES_BY_NAME
from assets.ingest.reader import RawTable
from assets.metering import peak_rss_mb
from assets.staging.store import store_staged
from assets.staging.validate import stage_all
from assets.warehouse import read_frame
from pipelines.partitions import as_of_partitions
from pipelines.resources import WarehouseResource

STAGING_COUNTS = dg.AssetKey("staging_counts")
QUARANTINE = dg.AssetKey("quarantine")


def stg_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(f"stg_{table}")


@dg.multi_asset(
    specs=[
        *(
            dg.AssetSpec(
                stg_key(spec.name),
                deps=[raw_key(spec.name), *([raw_key("communities")] if spec.name != "communities" else [])],
                description=f"{spec.chinese_name}: typed, one row per key ({', '.join(spec.key) or 'no key'}), "
                "bad rows set aside in the quarantine.",
                group_name="staging",
                kinds={"polars", "duckdb"},
                owners=["team:data-engineering"],
            )
            for spec in TABLES
        ),
        dg.AssetSpec(
            QUARANTINE,
            deps=[raw_key(spec.name) for spec in TABLES],
            description="Every rejected input row with its file, row number, key and reason (contract §1).",
            group_name="staging",
            kinds={"duckdb"},
        ),
        dg.AssetSpec(
            STAGING_COUNTS,
            deps=[raw_key(spec.name) for spec in TABLES],
            description="Per table: input rows = used + identical copies + quarantined. Read by the blocking checks.",
            group_name="staging",
            kinds={"duckdb"},
        ),
    ],
    partitions_def=as_of_partitions,
)
def staged_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect_build(context.partition_key) as con:
        files = {r["table"]: r for r in read_frame(con, f"SELECT * FROM {RAW_FILES_TABLE}").iter_rows(named=True)}
        raws = {
            spec.name: RawTable(
                spec.name,
                files[spec.name]["file"],
                files[spec.name]["encoding"],
                pl.read_parquet(warehouse.tables_dir(context.partition_key) / f"raw_{spec.name}.parquet"),
                files[spec.name]["blank_records"],
            )
            for spec in TABLES
        }
        staged = stage_all(raws, TABLES_BY_NAME, latest_birth=dt.date.today())
        store_staged(con, staged, warehouse.tables_dir(context.partition_key))
    for name, table in staged.items():
        counts = table.counts
        yield dg.MaterializeResult(
            asset_key=stg_key(name),
            metadata={
                "dagster/row_count": counts.used_rows,
                "input_rows": counts.input_rows,
                "identical_copies": counts.identical_copies,
                "quarantined_rows": counts.quarantined_rows,
            },
        )
    reasons: dict[str, int] = {}
    for table in staged.values():
        for reason in table.quarantine.get_column("reason").to_list():
            code = reason.split(":", 1)[0]
            reasons[code] = reasons.get(code, 0) + 1
    yield dg.MaterializeResult(
        asset_key=QUARANTINE,
        metadata={"dagster/row_count": sum(reasons.values()), **{f"reason/{k}": v for k, v in sorted(reasons.items())}},
    )
    yield dg.MaterializeResult(
        asset_key=STAGING_COUNTS,
        metadata={"input_rows": sum(t.counts.input_rows for t in staged.values()), "peak_rss_mb": peak_rss_mb()},
    )
