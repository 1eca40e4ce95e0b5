"""Fuzz the statistical neighbours' measures file: it loads (and gives neighbours) or raises
MeasuresError."""

from __future__ import annotations

import sys

import atheris
from common import refused

with atheris.instrument_imports(include=["safeguarding"]):
    from safeguarding.dashboards.neighbours import (
        MeasuresError,
        method_text,
        nearest,
        read_measures,
    )


def TestOneInput(data: bytes) -> None:
    try:
        measures = read_measures(data, "measures.csv")
        code = measures.councils[0].code
        nearest(measures, code, 3)
        method_text(measures, 3, council_code=code)
    except MeasuresError as error:
        refused(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
