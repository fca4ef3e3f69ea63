"""Ingest: every source file landed for staging, listed in the build warehouse's raw_files table."""


from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from assets.ingest.contract import TABLES
from assets.ingest.errors import FatalInputError
from assets.ingest.landing import land_source, landed_frame
from assets.ingest.reader import RawTable, check_communities_present, locate_table_files, read_table
from assets.metering import peak_rss_mb
from assets.warehouse import write_frame
from pipelines.partitions import as_of_partitions
from pipelines.resources import SourceResource, WarehouseResource

RAW_FILES_TABLE = "raw_files"


def raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(f"raw_{table}")


def fatal_failure(err: FatalInputError) -> dg.Failure:
    """A fatal input error as the step failure `fec evaluate` turns into exit status 2."""
    return dg.Failure(
        description=str(err),
        metadata={"file": err.file, "column": err.column or "", "exit_status": 2},
        allow_retries=False,
    )


def iter_source(source_dir: Path) -> Iterator[RawTable]:
    """The tables of a source folder one at a time, in contract order; raises FatalInputError on
    the first fatal problem (missing or doubled files before any file is read)."""
    files = locate_table_files(source_dir)
    for spec in TABLES:
        yield check_communities_present(read_table(spec, files.get(spec.name)))


def read_source(source_dir: Path) -> dict[str, RawTable]:
    """All tables of a source folder at once, read straight from the files (for tests and small
    sources; the pipeline lands them first, then stages one at a time)."""
    return {raw.table: raw for raw in iter_source(source_dir)}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            raw_key(spec.name),
            description=f"{spec.chinese_name} landed from {spec.name}.csv/.parquet/.xlsx: located, header mapped to "
            "the contract's columns and fingerprinted; a UTF-8 CSV or Parquet file is read in place by staging, any "
            "other file is transcoded here into a Parquet file of trimmed text.",
            group_name="ingest",
            kinds={"polars", "duckdb"},
            owners=["team:data-engineering"],
        )
        for spec in TABLES
    ],
    partitions_def=as_of_partitions,
)
def raw_tables(context: dg.AssetExecutionContext, source: SourceResource, warehouse: WarehouseResource):
    """Land every source file (see assets/ingest/landing.py). A fatal input error fails the run
    before anything is staged."""
    try:
        landed = land_source(Path(source.path), warehouse.tables_dir(context.partition_key))
    except FatalInputError as err:
        raise fatal_failure(err) from None
    with warehouse.connect_build(context.partition_key) as con:
        write_frame(con, RAW_FILES_TABLE, landed_frame(landed))
    for file in landed:
        metadata: dict[str, object] = {
            "file": file.file or "(absent: read as empty)",
            "encoding": file.encoding,
            "bytes": file.size,
            "read_by_staging": "in place" if file.in_place else "transcoded Parquet" if file.landed else "-",
            "peak_rss_mb": peak_rss_mb(),
        }
        if file.rows is not None:
            metadata |= {"dagster/row_count": file.rows, "blank_records": file.blank_records}
        yield dg.MaterializeResult(asset_key=raw_key(file.table), metadata=metadata)
