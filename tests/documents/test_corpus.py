"""Every corpus file (DOCX, PDF from Word via LibreOffice, PDF from WeasyPrint, HTML, Markdown)
through ``read_document``, against the expected reading written from the source text.

Agreed tolerance: each section's role exactly; statement counts per role within 10% (at least
one either way, since a paragraph split by a column or page break may count twice); every named
statement (each priority, each list's first bullet) found word for word."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from safeguarding.documents.extract import read_document
from safeguarding.documents.model import Document

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(p.name for p in CORPUS.iterdir() if not p.name.endswith(".yaml"))


@cache
def document(name: str) -> Document:
    return read_document(CORPUS / name)


def expected(name: str) -> dict[str, Any]:
    return yaml.safe_load((CORPUS / f"{name}.expected.yaml").read_text(encoding="utf-8"))


def test_every_format_is_in_the_corpus() -> None:
    suffixes = {name.split(".", 1)[1] for name in FILES}
    assert suffixes == {"docx", "lo.pdf", "wp.pdf", "html", "md"}
    assert len(FILES) == 15


@pytest.mark.parametrize("name", FILES)
def test_section_roles(name: str) -> None:
    sections = [s for root in document(name).sections for s in root.walk()]
    roles = {s.heading: s.role for s in sections}
    headings = [s.heading for s in sections]
    want = expected(name)["headings"]
    assert [h for h in headings if h in {w["text"] for w in want}] == [w["text"] for w in want]
    assert {w["text"]: roles[w["text"]] for w in want} == {w["text"]: w["role"] for w in want}


@pytest.mark.parametrize("name", FILES)
def test_statement_counts_per_role(name: str) -> None:
    found = document(name).section_counts()
    for role, count in expected(name)["statements"].items():
        assert abs(found.get(role, 0) - count) <= max(1, round(0.1 * count)), role


@pytest.mark.parametrize("name", FILES)
def test_named_statements_found_exactly(name: str) -> None:
    statements = document(name).statements
    texts = {s.text for s in statements}
    for key, text in expected(name)["named_statements"].items():
        assert text in texts, key
    priorities = [s for s in statements if s.section == "priorities" and s.list_item]
    wanted = [t for k, t in expected(name)["named_statements"].items() if k.startswith("priority")]
    assert [s.text for s in priorities] == wanted
