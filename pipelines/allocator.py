"""Polars' memory allocator (jemalloc) as a pipeline run wants it.

Polars tells jemalloc to give freed memory back to the system after half a second
(`dirty_decay_ms:500,muzzy_decay_ms:1000`, set in `polars/__init__.py`; pola-rs/polars#18088),
and jemalloc serves allocations above 8 MiB from an arena of their own that gives them back at
once. That suits a notebook. A run stages table after table, and each makes and drops columns
of millions of values: the same memory is given back and asked for again, and the kernel hands
it out again page by page. At 3M residents a run took ~1.65M page faults and ~9 CPU-s of kernel
time. Keeping freed memory for five seconds and serving large blocks from the ordinary arenas
took ~2.5 CPU-s of that away, for 0.26-0.38 GB more at the peak of the process tree (twenty
seconds: the same saving for 0.7 GB more).

Polars appends `_RJEM_MALLOC_CONF` to its own settings when it is imported, and jemalloc reads
them once: the setting must be in the environment before anything imports Polars, so the
`pipelines` package sets it when it is imported (its `__init__`), ahead of every entry point
that runs assets (`fec`, Dagster's code server and run workers). A `_RJEM_MALLOC_CONF` the user
set is left alone. Child processes (the GX side process) inherit it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Container, MutableMapping

JEMALLOC_SETTINGS = "_RJEM_MALLOC_CONF"
RUN_SETTINGS = "oversize_threshold:0,dirty_decay_ms:5000,muzzy_decay_ms:5000"


def tune_polars_allocator(environ: MutableMapping[str, str] = os.environ,
                          loaded: Container[str] = sys.modules) -> bool:
    """Put RUN_SETTINGS in the environment for Polars to read; False (nothing changed) when Polars
    is loaded already (too late: jemalloc has read its settings) or the user set their own."""
    if "polars" in loaded or JEMALLOC_SETTINGS in environ:
        return False
    environ[JEMALLOC_SETTINGS] = RUN_SETTINGS
    return True
