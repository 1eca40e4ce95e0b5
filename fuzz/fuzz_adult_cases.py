"""Fuzz the adult case file reader (CSV, Parquet and XLSX): it loads or raises InputFileError."""

from __future__ import annotations

import datetime as dt
import sys

import atheris
from common import ADULT_SUFFIXES, choose, refused, scratch

with atheris.instrument_imports(include=["safeguarding"]):
    from safeguarding.casedata.adults.reader import read_adult_cases
    from safeguarding.casedata.report import InputFileError

TODAY = dt.date(2025, 6, 30)


def TestOneInput(data: bytes) -> None:
    suffix, content = choose(data, ADULT_SUFFIXES)
    path = scratch() / f"cases{suffix}"
    path.write_bytes(content)
    try:
        read_adult_cases(path, today=TODAY, valid_rows_only=len(content) % 2 == 1)
    except InputFileError as error:
        refused(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
