"""Reading an adult case file (CSV, Parquet or XLSX) into validated, normalised tables."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from safeguarding.casedata.adults.schema import AdultCaseTables
from safeguarding.casedata.adults.validation import validate_adult_cases
from safeguarding.casedata.files import read_table
from safeguarding.casedata.report import DEFAULT_LIMIT, ValidationReport


@dataclass(frozen=True)
class AdultCaseFile:
    """What was read from one file: the tables, and the report (warnings, rows left out)."""

    tables: AdultCaseTables
    report: ValidationReport


def read_adult_cases(
    path: str | os.PathLike[str],
    *,
    valid_rows_only: bool = False,
    limit: int = DEFAULT_LIMIT,
    today: dt.date | None = None,
) -> AdultCaseFile:
    """Read and validate an adult case file.

    Raises InputFileError when the file cannot be read at all, and InputFileInvalid (with
    ``.report``) when rows have problems, unless ``valid_rows_only`` is set.
    """
    # A CSV file's rows go block by block to a temporary Parquet file, read where it is, so a
    # file of any size is read in bounded memory; the tables read from it are the rows kept.
    raw = read_table(path, leave_parquet=True)
    try:
        tables, report = validate_adult_cases(
            raw, valid_rows_only=valid_rows_only, limit=limit, today=today
        )
    finally:
        raw.close()
    return AdultCaseFile(tables=tables, report=report)
