"""Results: criteria per tier, tiers, awards and penalties per community, totals per county."""


import dagster as dg

from assets.indicators.compute import SET_TABLES as SET_NAMES
from assets.metering import peak_rss_mb
from assets.results.compute import build_results
from assets.staging.assets import stg_key
from assets.warehouse import read_frame
from pipelines.partitions import as_of_partitions
from pipelines.resources import RulesetResource, SourceResource, WarehouseResource, evaluation_for

TOP_SHORTFALLS_SQL = """
SELECT criterion_id AS criterion, tier, count(*) AS communities_failing, sum(shortfall) AS persons_or_items_short
FROM community_criteria
WHERE outcome = 'fail'
GROUP BY criterion_id, tier
ORDER BY communities_failing DESC, criterion_id, tier
LIMIT 10
"""


def _run(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
         ruleset: RulesetResource, table: str) -> dict:
    evaluation = evaluation_for(context, source, ruleset)
    with warehouse.connect_build(context.partition_key) as con:
        rows = build_results(con, evaluation.sql_params(), table)
        extra = {}
        if table == "community_criteria":
            top = read_frame(con, TOP_SHORTFALLS_SQL)
            extra["top_shortfalls"] = dg.MetadataValue.md(_markdown(top.to_dicts()))
        if table == "county_summary":
            totals = read_frame(
                con, "SELECT sum(reward_yuan) AS reward, sum(clawback_yuan) AS clawback FROM county_summary"
            ).to_dicts()[0]
            extra["reward_yuan"] = int(totals["reward"] or 0)
            extra["clawback_yuan"] = int(totals["clawback"] or 0)
    return {"dagster/row_count": rows, "peak_rss_mb": peak_rss_mb(), **extra}


def _markdown(rows: list[dict]) -> str:
    if not rows:
        return "No criterion fails."
    header = "| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(rows[0]) + "\n"
    return header + "\n".join("| " + " | ".join(str(v) for v in r.values()) + " |" for r in rows)


@dg.asset(deps=["community_indicators"], partitions_def=as_of_partitions, group_name="results",
          kinds={"duckdb", "sql"}, owners=["team:analytics"])
def community_criteria(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
                       ruleset: RulesetResource) -> dg.MaterializeResult:
    """community x tier x criterion: threshold, outcome (pass / fail / not_applicable) and shortfall."""
    return dg.MaterializeResult(metadata=_run(context, warehouse, source, ruleset, "community_criteria"))


@dg.asset(
    deps=["community_criteria", stg_key("applications"), stg_key("fraud_findings"), stg_key("awards_history")],
    partitions_def=as_of_partitions, group_name="results", kinds={"duckdb", "sql"}, owners=["team:analytics"],
)
def community_results(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
                      ruleset: RulesetResource) -> dg.MaterializeResult:
    """Per community: qualified tier, awarded tier, reward, clawback, fraud flag and failed criteria."""
    return dg.MaterializeResult(metadata=_run(context, warehouse, source, ruleset, "community_results"))


@dg.asset(deps=["community_results"], partitions_def=as_of_partitions, group_name="results",
          kinds={"duckdb", "sql"}, owners=["team:analytics"])
def county_summary(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
                   ruleset: RulesetResource) -> dg.MaterializeResult:
    """Per county-level unit: communities applied, qualified and awarded by tier; rewards and clawbacks."""
    return dg.MaterializeResult(metadata=_run(context, warehouse, source, ruleset, "county_summary"))


@dg.asset(deps=["community_indicators", *SET_NAMES], partitions_def=as_of_partitions, group_name="results",
          kinds={"duckdb", "sql"}, owners=["team:analytics"])
def worklist(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
             ruleset: RulesetResource) -> dg.MaterializeResult:
    """The named people and households behind each shortfall, per community: who still needs help."""
    return dg.MaterializeResult(metadata=_run(context, warehouse, source, ruleset, "worklist"))


@dg.asset(deps=["community_results", stg_key("applications")], partitions_def=as_of_partitions, group_name="results",
          kinds={"duckdb", "sql"}, owners=["team:analytics"])
def application_workflow(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
                         ruleset: RulesetResource) -> dg.MaterializeResult:
    """Each application of the year with its review flags, the stage it has reached and its result."""
    return dg.MaterializeResult(metadata=_run(context, warehouse, source, ruleset, "application_workflow"))
