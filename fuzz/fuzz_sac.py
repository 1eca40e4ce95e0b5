"""Fuzz the SAC open-data CSV reader: it loads or raises SacFileError."""

from __future__ import annotations

import sys

import atheris
from common import refused

with atheris.instrument_imports(include=["safeguarding"]):
    from safeguarding.published.sac import SacFileError, read_sac_csv


def TestOneInput(data: bytes) -> None:
    try:
        read_sac_csv(data, name="SAC_2024-25.csv")
    except SacFileError as error:
        refused(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
