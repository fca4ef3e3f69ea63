"""The contract's tables as the generator writes them: file names, column order, Chinese aliases.

Taken from the engine's own contract specs (assets/ingest/contract.py) so the generator can never
write a table the engine reads differently.
"""

from __future__ import annotations

from assets.ingest.contract import TABLES as CONTRACT_TABLES
from assets.ingest.contract import TABLES_BY_NAME

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {spec.name: tuple(spec.column_names) for spec in CONTRACT_TABLES}
TABLES: tuple[str, ...] = tuple(TABLE_COLUMNS)

# A government export (GB18030) carries Chinese headers for these tables only, like the example case.
ALIASED_TABLES: frozenset[str] = frozenset({"communities", "residents", "labour_registry"})

# Required for everyone who is not unemployed (the default ruleset's four-field list).
SIX_CLEAR_FOR_OTHERS: tuple[str, ...] = (
    "family_situation", "vocational_skill", "employment_status", "social_security_status",
)

SERVICE_TYPES: tuple[str, ...] = TABLES_BY_NAME["service_logs"].column("service_type").enum
TRAINING_TYPES: tuple[str, ...] = ("training_referral", "entrepreneurship_training_referral")
