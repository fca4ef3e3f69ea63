"""Dagster side of the GX suites: the `quality` group's tables and one warning check per staged table.

`quality_tables` runs every suite once (GX on DuckDB, read-only) and stores dq_results,
dq_community, dq_six_clear_fields and dq_validations in the build warehouse. The checks
`gx_stg_<table>` report each table's verdict from dq_results on its staged asset, as warnings:
they never block publication (the contract's two blocking checks are checks/blocking.py).
GX is imported only when these run, never when the definitions load.
"""


import datetime as dt
from pathlib import Path

import dagster as dg
import polars as pl

from assets.ingest.contract import TABLES
from assets.metering import peak_rss_mb
from assets.staging.assets import QUARANTINE, STAGING_COUNTS, stg_key
from assets.staging.store import staged_parquet_files
from assets.warehouse import read_frame
from checks.quality import (
    DQ_COMMUNITY,
    DQ_RESULTS,
    DQ_SIX_CLEAR_FIELDS,
    DQ_VALIDATIONS,
    count_before_verdicts,
    write_quality_tables,
)
from checks.suites import suite_params
from pipelines.partitions import as_of_partitions
from pipelines.resources import (
    QualitySuitesResource,
    RulesetResource,
    SourceResource,
    WarehouseResource,
    evaluation_for,
)

GX_CHECK_PREFIX = "gx_stg_"
QUALITY_GROUP = "quality"


def gx_check_name(table: str) -> str:
    return f"{GX_CHECK_PREFIX}{table}"


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            DQ_RESULTS,
            deps=[stg_key(spec.name) for spec in TABLES],
            description="GX expectations on every staged table: per expectation its verdict, rows evaluated, "
            "unexpected rows and masked examples (community_code NULL), and the communities where it fails.",
            group_name=QUALITY_GROUP,
            kinds={"duckdb"},
            owners=["team:data-engineering"],
        ),
        dg.AssetSpec(
            DQ_COMMUNITY,
            deps=[*(stg_key(spec.name) for spec in TABLES), QUARANTINE, STAGING_COUNTS],
            description="Per community: input rows across all tables, used, identical copies, quarantined (via the "
            "raw community_code), the share not quarantined, and the six-clear rate side by side.",
            group_name=QUALITY_GROUP,
            kinds={"duckdb"},
            owners=["team:data-engineering"],
        ),
        dg.AssetSpec(
            DQ_SIX_CLEAR_FIELDS,
            deps=[stg_key("labour_registry"), stg_key("communities")],
            description="Per community and six-clear field: rows that must fill it (per the ruleset) and rows that do.",
            group_name=QUALITY_GROUP,
            kinds={"duckdb"},
            owners=["team:data-engineering"],
        ),
        dg.AssetSpec(
            DQ_VALIDATIONS,
            deps=[stg_key(spec.name) for spec in TABLES],
            description="Each staged table's GX suite and validation result as JSON, for Data Docs (fec quality-docs).",
            group_name=QUALITY_GROUP,
            kinds={"duckdb"},
            owners=["team:data-engineering"],
        ),
    ],
    partitions_def=as_of_partitions,
    # last before publishing: the GX side process validates while the indicators and results run
    op_tags={"dagster/priority": "-1"},
)
def quality_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
                   ruleset: RulesetResource, quality_suites: QualitySuitesResource):
    """Collect the GX verdicts on the staged tables (pipelines/resources.py: QualitySuitesResource),
    then store the data-quality tables."""
    evaluation = evaluation_for(context, source, ruleset)
    params = suite_params(evaluation.as_of, evaluation.ruleset, Path(source.path), dt.date.today())
    staged = staged_parquet_files(warehouse.tables_dir(context.partition_key))
    with warehouse.connect_build(context.partition_key) as con:
        # what needs no verdict is counted while the side process may still be validating
        counted = count_before_verdicts(con, params)
        outcomes, validated_by = quality_suites.outcomes(staged, params,
                                                         warehouse.build_path(context.partition_key).parent)
        tables = write_quality_tables(con, outcomes, params, counted)
    overall = tables[DQ_RESULTS].filter(pl.col("community_code").is_null())
    community = tables[DQ_COMMUNITY].filter(pl.col("community_code").is_not_null())
    yield dg.MaterializeResult(
        asset_key=DQ_RESULTS,
        metadata={
            "dagster/row_count": tables[DQ_RESULTS].height,
            "expectations": overall.height,
            "failed_expectations": overall.filter(~pl.col("success")).height,
            "extracted_on": params.extracted_on.isoformat(),
            "validated_by": validated_by,
            "peak_rss_mb": peak_rss_mb(),
        },
    )
    yield dg.MaterializeResult(
        asset_key=DQ_COMMUNITY,
        metadata={
            "dagster/row_count": tables[DQ_COMMUNITY].height,
            "communities_with_quarantine": community.filter(pl.col("quarantined_rows") > 0).height,
            "communities_six_clear_incomplete": community.filter(pl.col("six_clear_rate") < 1).height,
        },
    )
    yield dg.MaterializeResult(asset_key=DQ_SIX_CLEAR_FIELDS,
                               metadata={"dagster/row_count": tables[DQ_SIX_CLEAR_FIELDS].height})
    yield dg.MaterializeResult(asset_key=DQ_VALIDATIONS,
                               metadata={"dagster/row_count": tables[DQ_VALIDATIONS].height})


def check_result(table: str, overall: list[dict]) -> dg.AssetCheckResult:
    """One staged table's GX verdict (rows of dq_results with community_code NULL) as a warning."""
    failed = [r for r in overall if not r["success"]]
    if not overall:
        description = f"stg_{table}: no GX result was stored"
    elif failed:
        listed = "; ".join(f"{r['expectation']} {r['column'] or ''}: {r['unexpected']} rows".replace(" :", ":")
                           for r in failed)
        description = f"stg_{table}: {len(failed)} of {len(overall)} expectations failed: {listed}"
    else:
        description = f"stg_{table}: all {len(overall)} expectations met"
    metadata: dict[str, object] = {
        "expectations": len(overall),
        "failed_expectations": len(failed),
        "unexpected_rows": sum(r["unexpected"] or 0 for r in failed),
    }
    for r in failed:
        metadata[f"{r['expectation']}/{r['column'] or 'row'}"] = r["unexpected"] if r["unexpected"] is not None else -1
    if failed:
        lines = ["| expectation | column | evaluated | unexpected | examples (IDs masked) |", "|---|---|---|---|---|"]
        lines += [
            f"| {r['expectation']} | {r['column'] or ''} | {r['evaluated']} | {r['unexpected']} "
            f"| {r['examples'] or ''} |"
            for r in failed
        ]
        metadata["failures"] = dg.MetadataValue.md("\n".join(lines))
    return dg.AssetCheckResult(
        check_name=gx_check_name(table),
        asset_key=stg_key(table),
        passed=bool(overall) and not failed,
        severity=dg.AssetCheckSeverity.WARN,
        description=description,
        metadata=metadata,
    )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            gx_check_name(spec.name),
            asset=stg_key(spec.name),
            additional_deps=[DQ_RESULTS],
            blocking=False,
            description=f"GX suite stg_{spec.name} (warning): required columns, enums, ID and code shapes, plausible "
            "dates, unique keys, references" + (", six clear" if spec.name == "labour_registry" else "") + ".",
        )
        for spec in TABLES
    ],
)
def gx_staged_table_checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    with warehouse.connect_build(context.partition_key) as con:
        overall = read_frame(con, f"SELECT * FROM {DQ_RESULTS} WHERE community_code IS NULL")
    by_table = {spec.name: [] for spec in TABLES}
    for row in overall.iter_rows(named=True):
        by_table.setdefault(row["table"], []).append(row)
    for spec in TABLES:
        yield check_result(spec.name, by_table[spec.name])


QUALITY_CHECKS = [gx_staged_table_checks]
