"""The document readers of issue 6 (Word, HTML, Markdown, text, PDF), given anything at all,
either read it or refuse it with a clear ``DocumentProblem``: no other exception, no hang past
a time bound, no memory past a bound (see ``bounds``).

Each is given arbitrary bytes, its own valid sample mutated, and (for Word) a valid package
whose document part is mutated, which reaches the XML reading that a broken zip never does.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.documents.extract import read_document_bytes
from safeguarding.documents.model import DocumentProblem
from tests.documents.builders import html_sample, styled_report
from tests.security.bounds import loads_or_refuses
from tests.security.strategies import mutated

READERS = settings(
    max_examples=int(os.environ.get("SAFEGUARDING_PROPERTY_EXAMPLES", "50")),
    deadline=dt.timedelta(seconds=20),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ANYTHING = st.binary(max_size=4096)
CORPUS = Path(__file__).parents[1] / "documents" / "corpus"

MARKDOWN_SAMPLE = b"""# Report

## What we achieved

1. We trained staff:
   - on neglect
- Bullet

| a | b |
|---|---|
| 1 | 2 |

```
code
```
Setext
------
"""

SAMPLES = {
    "report.docx": styled_report(),
    "page.html": html_sample(),
    "report.md": MARKDOWN_SAMPLE,
    "report.txt": b"OUR YEAR\n\n2. Our priorities\n\n\xe2\x80\xa2 one\n  more\no two\n\f7\n",
}


def read_or_refuse(data: bytes, name: str) -> None:
    outcome = loads_or_refuses(lambda: read_document_bytes(data, name, "X"), DocumentProblem)
    if outcome.value is not None:
        assert outcome.value.file_name == name
        assert all(s.id.startswith("X-") for s in outcome.value.statements)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_document_samples_read(name: str) -> None:
    document = read_document_bytes(SAMPLES[name], name, "X")
    assert document.statements


@pytest.mark.parametrize("name", [*sorted(SAMPLES), "report.pdf"])
@READERS
@given(data=ANYTHING)
def test_document_readers_given_any_bytes(name: str, data: bytes) -> None:
    read_or_refuse(data, name)


@pytest.mark.parametrize("name", sorted(SAMPLES))
@READERS
@given(draw=st.data())
def test_document_readers_given_their_samples_mutated(name: str, draw: st.DataObject) -> None:
    read_or_refuse(draw.draw(mutated(SAMPLES[name])), name)


def _with_part(package: bytes, part: str, content: bytes) -> bytes:
    """The Word package with one part's content replaced, the zip itself left sound."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = content if entry.filename == part else source.read(entry.filename)
            target.writestr(entry.filename, data)
    return buffer.getvalue()


DOCX_PARTS = ("word/document.xml", "word/styles.xml", "word/numbering.xml", "[Content_Types].xml")


@pytest.mark.parametrize("part", DOCX_PARTS)
@READERS
@given(draw=st.data())
def test_word_documents_with_a_mutated_part(part: str, draw: st.DataObject) -> None:
    package = SAMPLES["report.docx"]
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        original = archive.read(part)
    read_or_refuse(_with_part(package, part, draw.draw(mutated(original))), "report.docx")


def _entity_bomb() -> bytes:
    """A document part whose one entity would expand to a thousand million "lol"s."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(entities)}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def test_a_docx_with_an_entity_bomb_in_its_body_is_read_without_expanding_it() -> None:
    package = _with_part(SAMPLES["report.docx"], "word/document.xml", _entity_bomb())
    outcome = loads_or_refuses(
        lambda: read_document_bytes(package, "bomb.docx", "X"), DocumentProblem
    )
    if outcome.value is not None:
        assert all("lollol" not in s.text for s in outcome.value.statements)


@pytest.mark.skipif(not CORPUS.exists(), reason="the document corpus is not there")
@READERS
@given(draw=st.data())
def test_pdfs_mutated(draw: st.DataObject) -> None:
    sample = (CORPUS / "larkhaven-adults-board-2024-25.wp.pdf").read_bytes()
    read_or_refuse(draw.draw(mutated(sample)), "report.pdf")
