"""Indicators: the sets L, U, D, G and the per-community indicator table, as DuckDB SQL."""


import dagster as dg

from assets.indicators.compute import build_community_indicators, build_sets, write_ruleset_criteria
from assets.ingest.contract import TABLES
from assets.metering import peak_rss_mb
from assets.staging.assets import STAGING_COUNTS, stg_key
from pipelines.partitions import as_of_partitions
from pipelines.resources import RulesetResource, SourceResource, WarehouseResource, evaluation_for

SET_DESCRIPTIONS = {
    "labour_resource": "L(c): working-age residents with work ability.",
    "qualifying_spells": "Unemployment spells in the period of persons who can and want to work.",
    "registered_unemployed": "U(c): registered unemployed, their current spell and service window.",
    "unemployed_services": "Distinct services and training referral of each person in U(c) in their window.",
    "difficulty_certifications": "D(c): the difficulty certifications in scope at as_of.",
    "certificate_groups": "G(c): the in-scope records of the five certificate groups.",
}
STAGED = [stg_key(spec.name) for spec in TABLES] + [STAGING_COUNTS]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(name, description=text, deps=STAGED, group_name="indicators", kinds={"duckdb", "sql"})
        for name, text in SET_DESCRIPTIONS.items()
    ],
    partitions_def=as_of_partitions,
)
def evaluation_sets(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
    ruleset: RulesetResource,
):
    evaluation = evaluation_for(context, source, ruleset)
    with warehouse.connect_build(context.partition_key) as con:
        counts = build_sets(con, evaluation.sql_params(), warehouse.tables_dir(context.partition_key))
    for name, rows in counts.items():
        yield dg.MaterializeResult(asset_key=name, metadata={"dagster/row_count": rows, "peak_rss_mb": peak_rss_mb()})


@dg.asset(
    deps=[*SET_DESCRIPTIONS, *STAGED],
    partitions_def=as_of_partitions,
    group_name="indicators",
    kinds={"duckdb", "sql"},
    owners=["team:analytics"],
)
def community_indicators(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
    ruleset: RulesetResource,
) -> dg.MaterializeResult:
    """community x indicator: numerator, denominator and value of every indicator of contract §2."""
    evaluation = evaluation_for(context, source, ruleset)
    with warehouse.connect_build(context.partition_key) as con:
        rows = build_community_indicators(con, evaluation.sql_params())
        write_ruleset_criteria(con, evaluation.ruleset)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "year": evaluation.year,
            "as_of": evaluation.as_of.isoformat(),
            "ruleset": evaluation.ruleset.ruleset_id,
            "provisional": not evaluation.is_official,
            "peak_rss_mb": peak_rss_mb(),
        }
    )
