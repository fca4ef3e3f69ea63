"""Staging: typed tables, the quarantine and the per-table counts the blocking checks read."""


import datetime as dt

import dagster as dg
import polars as pl

from assets.ingest.assets import RAW_FILES_TABLE, raw_key
from assets.ingest.contract import TABLES, TABLES_BY_NAME
from assets.ingest.reader import RawTable
from assets.metering import peak_rss_mb
from assets.staging.store import store_quarantine_and_counts, store_staged_table
from assets.staging.validate import StagingCounts, stage_table
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
    """One table at a time (communities first: the others' unknown_community check needs it), so
    memory holds the largest table, not all of them."""
    folder = warehouse.tables_dir(context.partition_key)
    today = dt.date.today()
    counts: list[StagingCounts] = []
    quarantines: list[pl.DataFrame] = []
    with warehouse.connect_build(context.partition_key) as con:
        files = {r["table"]: r for r in read_frame(con, f"SELECT * FROM {RAW_FILES_TABLE}").iter_rows(named=True)}

        def raw(name: str) -> RawTable:
            info = files[name]
            frame = pl.read_parquet(folder / f"raw_{name}.parquet")
            return RawTable(name, info["file"], info["encoding"], frame, info["blank_records"])

        communities = stage_table(raw("communities"), TABLES_BY_NAME["communities"], None, today)
        known = communities.clean.get_column("community_code")
        for spec in TABLES:
            staged = communities if spec.name == "communities" else stage_table(raw(spec.name), spec, known, today)
            store_staged_table(con, staged, folder)
            counts.append(staged.counts)
            quarantines.append(staged.quarantine)
            del staged
        store_quarantine_and_counts(con, quarantines, counts)
    for table_counts in counts:
        yield dg.MaterializeResult(
            asset_key=stg_key(table_counts.table),
            metadata={
                "dagster/row_count": table_counts.used_rows,
                "input_rows": table_counts.input_rows,
                "identical_copies": table_counts.identical_copies,
                "quarantined_rows": table_counts.quarantined_rows,
            },
        )
    reasons: dict[str, int] = {}
    for quarantine in quarantines:
        for reason in quarantine.get_column("reason").to_list():
            code = reason.split(":", 1)[0]
            reasons[code] = reasons.get(code, 0) + 1
    yield dg.MaterializeResult(
        asset_key=QUARANTINE,
        metadata={"dagster/row_count": sum(reasons.values()), **{f"reason/{k}": v for k, v in sorted(reasons.items())}},
    )
    yield dg.MaterializeResult(
        asset_key=STAGING_COUNTS,
        metadata={"input_rows": sum(c.input_rows for c in counts), "peak_rss_mb": peak_rss_mb()},
    )
