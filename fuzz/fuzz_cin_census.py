"""Fuzz the CIN census XML reader: it loads or raises InputFileError, and reads only its input."""

from __future__ import annotations

import sys

import atheris
from common import refused, scratch

with atheris.instrument_imports(include=["safeguarding"]):
    from safeguarding.casedata.children.cin_reader import read_cin_census
    from safeguarding.casedata.report import InputFileError


def TestOneInput(data: bytes) -> None:
    path = scratch() / "cin_201_2025.xml"
    path.write_bytes(data)
    try:
        read_cin_census(path)
    except InputFileError as error:
        refused(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
