"""Dagster definitions, the `fec` command and their settings.

Importing this package sets Polars' allocator for pipeline runs (pipelines/allocator.py); it
has to happen before Polars is imported, and every entry point that runs assets imports this
package first.
"""

from pipelines.allocator import tune_polars_allocator

tune_polars_allocator()
