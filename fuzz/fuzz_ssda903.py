"""Fuzz the SSDA903 reader: one file of a council-year folder is the input, the others valid."""

from __future__ import annotations

import sys

import atheris
from common import SSDA903_FILES, choose, refused, scratch

with atheris.instrument_imports(include=["safeguarding"]):
    from safeguarding.casedata.children.ssda903 import FILES, read_ssda903
    from safeguarding.casedata.report import InputFileError

# The header line of each file and one good row: what the files not being fuzzed hold.
GOOD_ROWS = {
    "header.csv": "C1,2,14/02/2012,BCRB,A123456789012,,",
    "episodes.csv": "C1,01/06/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,SC123456",
    "missing.csv": "C1,02/08/2024,03/08/2024,M",
}
GOOD = {
    name: f"{','.join(c.name for c in FILES[name.removesuffix('.csv')])}\n{row}\n".encode()
    for name, row in GOOD_ROWS.items()
}


def TestOneInput(data: bytes) -> None:
    fuzzed, content = choose(data, SSDA903_FILES)
    folder = scratch() / "201" / "2024-25"
    folder.mkdir(parents=True, exist_ok=True)
    for name, good in GOOD.items():
        (folder / name).write_bytes(content if name == fuzzed else good)
    try:
        read_ssda903(folder)
    except InputFileError as error:
        refused(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
