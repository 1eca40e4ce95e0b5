"""Fuzz the indicator upload: reading a tidy table (CSV or Parquet), checking its rows for the
results upload and for a shared indicator. It loads or raises LoadRejected; row problems are
listed, never raised."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import atheris
from common import TIDY_SUFFIXES, choose, refused, set_up_django

set_up_django()
with atheris.instrument_imports(include=["safeguarding"]):
    from safeguarding.web.dashboards.uploads import Places, check_upload
    from safeguarding.web.results.loading import (
        LoadRejected,
        check_rows,
        known_indicator_ids,
        read_tidy_file,
    )

KNOWN = known_indicator_ids()
SHARED = SimpleNamespace(indicator_id="adults.concerns", unit="count")
PLACES = Places(
    "E06000001",
    "Hartlepool",
    "E12000001",
    {("la", "E06000001"): "Hartlepool", ("england", "E92000001"): "England"},
)


def TestOneInput(data: bytes) -> None:
    suffix, content = choose(data, TIDY_SUFFIXES)
    try:
        tidy = read_tidy_file(f"table{suffix}", content)
    except LoadRejected as error:
        refused(error)
        return
    check_rows([tidy], KNOWN)
    try:
        check_upload(SHARED, PLACES, tidy)  # type: ignore[arg-type]
    except LoadRejected as error:
        refused(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
