"""Configuration of a run as Dagster resources: where the warehouse, the source and the rules are."""


import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

from assets.evaluation import Evaluation
from assets.ruleset import Ruleset, load_ruleset
from assets.warehouse import connect
from pipelines import settings


class WarehouseResource(dg.ConfigurableResource):
    """The embedded DuckDB warehouse: a private build file per evaluation and the served snapshot.

    A run writes only its build file; the dashboard reads only the served snapshot, which a
    publish replaces atomically. `build_name` lets a caller (the CLI) keep its build private.
    """

    root: str = Field(default_factory=lambda: str(settings.warehouse_dir()))
    build_name: str = ""
    memory_limit: str = Field(default_factory=settings.duckdb_memory_limit)
    threads: int = 2

    def build_path(self, as_of: str) -> Path:
        return Path(self.root) / "builds" / (self.build_name or as_of) / "warehouse.duckdb"

    def tables_dir(self, as_of: str) -> Path:
        """Parquet files of the large layers (raw and staged tables) beside the build file."""
        return self.build_path(as_of).parent / "tables"

    @property
    def served_path(self) -> Path:
        return Path(self.root) / "served.duckdb"

    def connect_build(self, as_of: str) -> duckdb.DuckDBPyConnection:
        return connect(self.build_path(as_of), self.memory_limit, self.threads)


class SourceResource(dg.ConfigurableResource):
    """The source folder of one drop; `year` 0 means the as_of date's year."""

    path: str = Field(default_factory=lambda: str(settings.source_dir()))
    year: int = 0

    def evaluation_year(self, as_of: dt.date) -> int:
        return self.year or as_of.year


class RulesetResource(dg.ConfigurableResource):
    """A ruleset name under data/rules/ or a path to a ruleset TOML file."""

    rules: str = Field(default_factory=settings.rules)

    def load(self) -> Ruleset:
        return load_ruleset(self.rules)


def evaluation_for(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext,
                   source: SourceResource, ruleset: RulesetResource) -> Evaluation:
    as_of = dt.date.fromisoformat(context.partition_key)
    return Evaluation(source.evaluation_year(as_of), as_of, ruleset.load())
