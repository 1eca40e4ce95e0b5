"""Fuzz the document reader with a PDF: it reads it or raises DocumentProblem."""

from __future__ import annotations

import sys

import atheris
from common import refused

with atheris.instrument_imports(include=["safeguarding"]):
    from safeguarding.documents.extract import read_document_bytes
    from safeguarding.documents.model import DocumentProblem


def TestOneInput(data: bytes) -> None:
    try:
        read_document_bytes(data, "f.pdf", "F")
    except DocumentProblem as error:
        refused(error)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
