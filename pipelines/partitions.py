"""One partitions definition for the whole asset graph: the as_of date (YYYY-MM-DD).

Month-end keys are added by the monthly schedule, the official evaluation date by the annual
job, and `fec evaluate --as-of D` adds D. One definition keeps one job able to select every
asset (Dagster refuses a run over mixed partitions definitions).
"""

from __future__ import annotations

import dagster as dg

AS_OF_PARTITIONS_NAME = "as_of"
as_of_partitions = dg.DynamicPartitionsDefinition(name=AS_OF_PARTITIONS_NAME)
