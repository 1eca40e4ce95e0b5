"""Adult safeguarding case records: the normalised tables, the reader and its validation."""

from safeguarding.casedata.adults.schema import (
    COLUMN_NAMES,
    COLUMNS,
    CONCERNS_SCHEMA,
    RISK_TYPES_SCHEMA,
    AdultCaseTables,
)

__all__ = ["COLUMNS", "COLUMN_NAMES", "CONCERNS_SCHEMA", "RISK_TYPES_SCHEMA", "AdultCaseTables"]
