"""Ingest: every source file read into a raw text table of the partition's build warehouse."""


from collections.abc import Iterator
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


def iter_source(source_dir: Path) -> Iterator[RawTable]:
    """The tables of a source folder one at a time, in contract order; raises FatalInputError on
    the first fatal problem (missing or doubled files before any file is read)."""
    files = locate_table_files(source_dir)
    for spec in TABLES:
        raw = read_table(spec, files.get(spec.name))
        if spec.name == "communities" and raw.frame.height == 0:
            raise FatalInputError(raw.file, "communities is empty: there is no community to evaluate")
        yield raw


def read_source(source_dir: Path) -> dict[str, RawTable]:
    """All tables of a source folder at once (for tests and small sources)."""
    return {raw.table: raw for raw in iter_source(source_dir)}


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
    """Read every source file once, writing each to Parquet before the next is read (memory holds
    one table). A fatal input error fails the run before anything is staged."""
    folder = warehouse.tables_dir(context.partition_key)
    read: list[tuple[str, str, str, int, int]] = []  # table, file, encoding, rows, blank records
    with warehouse.connect_build(context.partition_key) as con:
        try:
            for raw in iter_source(Path(source.path)):
                write_parquet_view(con, f"raw_{raw.table}", raw.frame, folder)
                read.append((raw.table, raw.file, raw.encoding, raw.frame.height, raw.blank_records))
                del raw
        except FatalInputError as err:
            raise dg.Failure(
                description=str(err),
                metadata={"file": err.file, "column": err.column or "", "exit_status": 2},
                allow_retries=False,
            ) from None
        write_frame(
            con,
            RAW_FILES_TABLE,
            pl.DataFrame(
                [(table, file, encoding, blank) for table, file, encoding, _, blank in read],
                schema={"table": pl.String, "file": pl.String, "encoding": pl.String, "blank_records": pl.Int64},
                orient="row",
            ),
        )
    for table, file, encoding, rows, blank in read:
        yield dg.MaterializeResult(
            asset_key=raw_key(table),
            metadata={
                "file": file or "(absent: read as empty)",
                "encoding": encoding,
                "dagster/row_count": rows,
                "blank_records": blank,
                "peak_rss_mb": peak_rss_mb(),
            },
        )
