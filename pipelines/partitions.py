"""One partitions definition for the whole asset graph: the as_of date (YYYY-MM-DD).

Month-end keys are added by the monthly schedule, the official evaluation date by the annual
job, and `fec evaluate --as-of D` adds D. One definition keeps one job able to select every
asset (Dagster refuses a run over mixed partitions definitions).
"""

from __future__ import annotations

import dagster as dg

AS_OF_PARTITIONS_NAME = "as_of"
as_of_partitions = dg.DynamicPartitionsDefinition(name=AS_OF_PARTITIONS_NAME)


def ensure_as_of_partition(instance: dg.DagsterInstance, key: str) -> None:
    """Dynamic partitions exist only once added: every way a run is started adds its key first."""
    if not instance.has_dynamic_partition(AS_OF_PARTITIONS_NAME, key):
        instance.add_dynamic_partitions(AS_OF_PARTITIONS_NAME, [key])
