"""The served snapshot: what the dashboard reads, replaced only after every blocking check passed."""


import dagster as dg

from assets.metering import peak_rss_mb
from assets.publish.snapshot import PUBLISHED_TABLES, publish_snapshot
from pipelines.partitions import as_of_partitions
from pipelines.resources import RulesetResource, SourceResource, WarehouseResource, evaluation_for


@dg.asset(
    deps=list(PUBLISHED_TABLES),  # every table it copies is an asset of the graph
    partitions_def=as_of_partitions,
    group_name="publish",
    kinds={"duckdb"},
    owners=["team:data-engineering"],
)
def served_snapshot(context: dg.AssetExecutionContext, warehouse: WarehouseResource, source: SourceResource,
                    ruleset: RulesetResource) -> dg.MaterializeResult:
    """The dashboard's read-only snapshot: every published as_of's results, swapped in atomically."""
    evaluation = evaluation_for(context, source, ruleset)
    published = publish_snapshot(
        warehouse.build_path(context.partition_key),
        warehouse.served_path,
        evaluation.as_of,
        {
            "year": evaluation.year,
            "ruleset": evaluation.ruleset.ruleset_id,
            "provisional": not evaluation.is_official,
            "source": source.path,
            "run_id": context.run.run_id,
        },
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(warehouse.served_path)),
            "provisional": not evaluation.is_official,
            "peak_rss_mb": peak_rss_mb(),
            **{f"rows/{table}": rows for table, rows in published.items()},
        }
    )
