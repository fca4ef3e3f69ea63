"""Ingest: every source file read into a raw text table of the partition's build warehouse."""


from pathlib import Path

import dagster as dg
import polars as pl

from assets.ingest.contract import TABLES
from assets.ingest.errors import FatalInputError
from assets.ingest.reader import RawTable, locate_table_files, read_table
from assets.metering import peak_rss_mb
from assets.warehouse import write_frame, write_parquet_view
from pipelines.partitions import as_of_partitions
from pipelines.resources import SourceResource, WarehouseResource

RAW_FILES_TABLE = "raw_files"


def raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(f"raw_{table}")


def read_source(source_dir: Path) -> dict[str, RawTable]:
    """All tables of a source folder; raises FatalInputError on the first fatal problem."""
    files = locate_table_files(source_dir)
    raws = {spec.name: read_table(spec, files.get(spec.name)) for spec in TABLES}
    if raws["communities"].frame.height == 0:
        raise FatalInputError(raws["communities"].file, "communities is empty: there is no community to evaluate")
    return raws


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            raw_key(spec.name),
            description=f"{spec.chinese_name} as read from {spec.name}.csv/.parquet/.xlsx: trimmed text, "
            "contract column names, row numbers kept.",
            group_name="ingest",
            kinds={"polars", "duckdb"},
            owners=["team:data-engineering"],
        )
        for spec in TABLES
    ],
    partitions_def=as_of_partitions,
)
def raw_tables(context: dg.AssetExecutionContext, source: SourceResource, warehouse: WarehouseResource):
    """Read every source file once. A fatal input error fails the run before anything is staged."""
    try:
        raws = read_source(Path(source.path))
    except FatalInputError as err:
        raise dg.Failure(
            description=str(err),
            metadata={"file": err.file, "column": err.column or "", "exit_status": 2},
            allow_retries=False,
        ) from None
    folder = warehouse.tables_dir(context.partition_key)
    with warehouse.connect_build(context.partition_key) as con:
        for name, raw in raws.items():
            write_parquet_view(con, f"raw_{name}", raw.frame, folder)
        write_frame(
            con,
            RAW_FILES_TABLE,
            pl.DataFrame(
                {
                    "table": list(raws),
                    "file": [r.file for r in raws.values()],
                    "encoding": [r.encoding for r in raws.values()],
                    "blank_records": [r.blank_records for r in raws.values()],
                },
                schema={"table": pl.String, "file": pl.String, "encoding": pl.String, "blank_records": pl.Int64},
            ),
        )
    for name, raw in raws.items():
        yield dg.MaterializeResult(
            asset_key=raw_key(name),
            metadata={
                "file": raw.file or "(absent: read as empty)",
                "encoding": raw.encoding,
                "dagster/row_count": raw.frame.height,
                "blank_records": raw.blank_records,
                "peak_rss_mb": peak_rss_mb(),
            },
        )
