"""Fuzz the population file reader (CSV, Parquet and XLSX): it loads or raises InputFileError."""

from __future__ import annotations

import sys

import atheris
from common import POPULATION_SUFFIXES, choose, refused, scratch

with atheris.instrument_imports(include=["safeguarding"]):
    from safeguarding.casedata.population import read_population
    from safeguarding.casedata.report import InputFileError


def TestOneInput(data: bytes) -> None:
    suffix, content = choose(data, POPULATION_SUFFIXES)
    path = scratch() / f"population{suffix}"
    path.write_bytes(content)
    try:
        read_population(path)
    except InputFileError as error:
        refused(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
