"""Staging: typed tables, the quarantine and the per-table counts the blocking checks read."""


import datetime as dt
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from assets.ingest.assets import RAW_FILES_TABLE, fatal_failure, raw_key
from assets.ingest.contract import TABLES
from assets.ingest.errors import FatalInputError
from assets.ingest.landing import LandedFile, landed_from_frame, read_landed
from assets.ingest.reader import check_communities_present
from assets.metering import peak_rss_mb
from assets.staging import reuse
from assets.staging.store import staged_parquet_files, store_quarantine_and_counts, store_staged_table
from assets.staging.validate import StagingCounts, stage_table
from assets.warehouse import create_parquet_view, read_frame
from checks.suites import suite_params
from pipelines.partitions import as_of_partitions
from pipelines.resources import (
    QualitySuitesResource,
    RulesetResource,
    SourceResource,
    WarehouseResource,
    evaluation_for,
)

STAGING_COUNTS = dg.AssetKey("staging_counts")
QUARANTINE = dg.AssetKey("quarantine")


def _stage_landed(con: duckdb.DuckDBPyConnection, landed: dict[str, LandedFile], folder: Path, today: dt.date,
                  as_of: str, written: Callable[[str, Path], None]) -> reuse.StagingOutput:
    """Stage each landed table, one at a time (communities first: the others' unknown_community
    check needs it), so that memory holds the largest table, not all of them. `written` hears of
    each staged file as soon as it is complete."""
    counts: list[StagingCounts] = []
    quarantines: list[pl.DataFrame] = []
    by_community: list[pl.DataFrame] = []
    encodings: dict[str, str] = {}
    known = None
    for spec in TABLES:  # communities is the first table of the contract
        raw = check_communities_present(read_landed(spec, landed[spec.name]))
        encodings[spec.name] = raw.encoding
        staged = stage_table(raw, spec, known, today)
        del raw
        if spec.name == "communities":
            known = staged.clean.get_column("community_code")
        store_staged_table(con, staged, folder)
        written(spec.name, staged_parquet_files(folder)[spec.name])
        counts.append(staged.counts)
        quarantines.append(staged.quarantine)
        by_community.append(staged.community_counts)
        del staged
    return reuse.StagingOutput(counts, quarantines, by_community, encodings, staged_for=as_of)


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
            description="Per table: input rows = used + identical copies + quarantined. Read by the blocking checks. "
            "Split by community in staging_community_counts (the data-quality page's per-community figures).",
            group_name="staging",
            kinds={"duckdb"},
        ),
    ],
    partitions_def=as_of_partitions,
)
def staged_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
                  ruleset: RulesetResource, quality_suites: QualitySuitesResource):
    """Stage each landed table, or, in a backfill, link the tables an earlier run of this process
    staged from the same files (assets/staging/reuse.py). A source file found unreadable here (not
    UTF-8 after all, cut, changed since landing) is a fatal input error, as in ingest. Each table,
    once written, is handed to the GX side process started with the run, which validates it, once
    GX is imported, while staging and the rest of the run go on."""
    folder = warehouse.tables_dir(context.partition_key)
    today = dt.date.today()
    evaluation = evaluation_for(context, source, ruleset)
    params = suite_params(evaluation.as_of, evaluation.ruleset, Path(source.path), today)
    build_folder = warehouse.build_path(context.partition_key).parent
    with warehouse.connect_build(context.partition_key) as con:
        landed = landed_from_frame(read_frame(con, f"SELECT * FROM {RAW_FILES_TABLE}"))
        key = reuse.staging_key(landed, today) if reuse.enabled() else None
        output = recalled = reuse.recall(key, folder) if key is not None else None
        if recalled is not None:
            for path in staged_parquet_files(folder).values():
                create_parquet_view(con, path.stem, path)
            quality_suites.submit(staged_parquet_files(folder), params, build_folder)
        else:
            # the GX side process validates each table while the next ones are staged
            quality_suites.begin(params, build_folder)
            try:
                output = _stage_landed(con, landed, folder, today, context.partition_key, quality_suites.add)
            except FatalInputError as err:
                raise fatal_failure(err) from None
            quality_suites.end()
            if key is not None:
                reuse.keep(key, folder, [p.name for p in staged_parquet_files(folder).values()], output)
        store_quarantine_and_counts(con, output.quarantines, output.counts, output.by_community)
    counts, quarantines, encodings = output.counts, output.quarantines, output.encodings
    staged_by = "this run" if recalled is None else (
        f"reused from this process's run as of {output.staged_for} (the same source files)")
    for table_counts in counts:
        yield dg.MaterializeResult(
            asset_key=stg_key(table_counts.table),
            metadata={
                "dagster/row_count": table_counts.used_rows,
                "file": table_counts.file or "(absent: read as empty)",
                "encoding": encodings[table_counts.table],
                "input_rows": table_counts.input_rows,
                "identical_copies": table_counts.identical_copies,
                "quarantined_rows": table_counts.quarantined_rows,
                "staged_by": staged_by,
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
