"""The PDF reader on the invented corpus (Word-via-LibreOffice and WeasyPrint PDFs), and on bad
input. Expected readings come from tests/documents/corpus/*.expected.yaml, which
scripts/make_document_corpus.py writes from the source text, not from this reader."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml

from safeguarding.documents.limits import DEFAULT_LIMITS, ReadLimits
from safeguarding.documents.model import Block, DocumentProblem, PageNote
from safeguarding.documents.pdf import read_pdf
from safeguarding.documents.text_rules import is_page_number

CORPUS = Path(__file__).parent / "corpus"
PDFS = sorted(p.name for p in CORPUS.glob("*.pdf"))
LIBREOFFICE = [name for name in PDFS if name.endswith(".lo.pdf")]
WEASYPRINT = [name for name in PDFS if name.endswith(".wp.pdf")]
NUMBER = re.compile(r"^\d+\.$")


@cache
def reading(name: str) -> tuple[list[Block], int, list[PageNote], str | None]:
    return read_pdf((CORPUS / name).read_bytes(), limits=DEFAULT_LIMITS)


@cache
def expected(name: str) -> dict[str, Any]:
    return yaml.safe_load((CORPUS / f"{name}.expected.yaml").read_text(encoding="utf-8"))


def blocks_of(name: str) -> list[Block]:
    return reading(name)[0]


def section_headings(name: str) -> list[Block]:
    """The heading blocks after the title (the title is a heading too in a PDF)."""
    headings = [b for b in blocks_of(name) if b.kind == "heading"]
    assert headings[0].text == expected(name)["title"]
    return headings[1:]


def test_the_corpus_has_both_kinds_of_pdf() -> None:
    assert len(LIBREOFFICE) == 3 and len(WEASYPRINT) == 3


@pytest.mark.parametrize("name", PDFS)
def test_pages_and_title(name: str) -> None:
    blocks, pages, _notes, title = reading(name)
    assert pages == expected(name)["pages"]
    assert title == expected(name)["title"]
    assert all(b.page is not None and 1 <= b.page <= pages for b in blocks)
    assert [b.page for b in blocks] == sorted(b.page or 0 for b in blocks)


@pytest.mark.parametrize("name", PDFS)
def test_headings_in_order_with_levels_from_size_or_weight(name: str) -> None:
    headings = section_headings(name)
    want = expected(name)["headings"]
    assert [h.text for h in headings] == [w["text"] for w in want]
    levels: dict[int, set[int]] = {}
    for heading, wanted in zip(headings, want, strict=True):
        levels.setdefault(wanted["level"], set()).add(heading.level)
    # each outline level is one heading level, and a part sits below its chapter
    assert all(len(found) == 1 for found in levels.values())
    assert max(levels[1]) > 1  # level 1 is the title's
    if 2 in levels:
        assert min(levels[2]) > max(levels[1])


@pytest.mark.parametrize("name", PDFS)
def test_empty_heading_is_kept(name: str) -> None:
    blocks = blocks_of(name)
    for text in expected(name)["empty_headings"]:
        at = next(i for i, b in enumerate(blocks) if b.kind == "heading" and b.text == text)
        assert blocks[at + 1].kind == "heading"


@pytest.mark.parametrize("name", PDFS)
def test_bullets_become_list_items_with_depth(name: str) -> None:
    items = [b for b in blocks_of(name) if b.kind == "list_item" and not b.marker[0].isdigit()]
    counts = expected(name)["list_items"]
    top = [b for b in items if b.level == 1]
    nested = [b for b in items if b.level == 2]
    assert len(top) == counts["bullets"]
    assert len(nested) == counts["nested_bullets"]
    assert {b.marker for b in top} == {"•"}  # the Symbol font's U+F0B7 too, made plain
    assert {b.marker for b in nested} == ({"o"} if name.endswith(".lo.pdf") else {"◦"})
    first = expected(name)["named_statements"]["achievements_first_bullet"]
    assert first in [b.text for b in top]


@pytest.mark.parametrize("name", LIBREOFFICE)
def test_symbol_font_bullets_are_in_the_word_export(name: str) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(CORPUS / name))
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    assert "\uf0b7" in text  # the corpus really has the private-use Symbol bullet


@pytest.mark.parametrize("name", PDFS)
def test_numbered_priorities_and_paragraph_numbers(name: str) -> None:
    blocks = blocks_of(name)
    named = expected(name)["named_statements"]
    numbered = [b for b in blocks if b.kind == "list_item" and NUMBER.match(b.marker or "")]
    priorities = [text for key, text in named.items() if key.startswith("priority_")]
    assert [b.text for b in numbered] == priorities
    assert [b.marker for b in numbered] == [f"{n}." for n in range(1, len(priorities) + 1)]
    for marker, text in expected(name)["numbered_paragraphs"].items():
        assert any(b.marker == marker and b.text == text for b in blocks), marker


@pytest.mark.parametrize("name", PDFS)
def test_no_running_header_footer_or_page_number(name: str) -> None:
    for block in blocks_of(name):
        for running in expected(name)["running_text"]:
            assert running not in block.text
        assert not is_page_number(block.text)
        assert not re.search(r"\bPage \d+ of \d+\b", block.text)


@pytest.mark.parametrize("name", PDFS)
def test_table_rows_read_once(name: str) -> None:
    blocks = blocks_of(name)
    rows = [b.text for b in blocks if b.kind == "table_row"]
    want = expected(name)["table_rows"]
    # a table carried over a page may repeat its header row; otherwise each row once, in order
    assert [row for i, row in enumerate(rows) if row != want[0] or i == 0] == want
    paragraphs = " ".join(b.text for b in blocks if b.kind != "table_row")
    for row in want[1:]:
        assert row.split(" | ")[0] not in paragraphs


@pytest.mark.parametrize("name", WEASYPRINT)
def test_two_columns_read_left_then_right(name: str) -> None:
    columns = expected(name)["columns"]
    blocks = blocks_of(name)
    start = next(i for i, b in enumerate(blocks) if b.text == columns["heading"])
    text = " ".join(b.text for b in blocks[start + 1 :])
    at = 0
    for paragraph in columns["paragraphs"]:
        found = text.find(paragraph, at)
        assert found >= 0, paragraph
        at = found + len(paragraph)


@pytest.mark.parametrize("name", PDFS)
def test_scanned_page_noted_and_nothing_invented(name: str) -> None:
    blocks, _pages, notes, _title = reading(name)
    scanned = expected(name)["scanned_pages"]
    assert [note.page for note in notes] == scanned
    for note in notes:
        assert note.message == (
            f"Page {note.page} has no text layer (a scanned image?); nothing was read from it."
        )
    assert not [b for b in blocks if b.page in scanned]
    everything = " ".join(b.text for b in blocks)
    for line in expected(name).get("scanned_text", []):
        assert line not in everything


def test_line_end_hyphen_kept_in_a_compound_the_document_uses() -> None:
    name = "larkhaven-health-wellbeing-strategy-2024-25.lo.pdf"
    texts = [b.text for b in blocks_of(name)]
    assert any("long-term conditions" in t for t in texts[:25])  # broken over two lines there
    assert not any("longterm" in t or "long term" in t for t in texts)


# ---------------------------------------------------------------------------------------------
# Bad input


def small_pdf(pages: int = 1) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def problem(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(DocumentProblem) as raised:
        read_pdf(data, limits=limits)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_encrypted_pdf_is_refused() -> None:
    reader = pypdf.PdfReader(io.BytesIO((CORPUS / WEASYPRINT[0]).read_bytes()))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="letmein", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert "is protected by a password" in problem(out.getvalue())


def test_truncated_pdf_is_refused() -> None:
    data = (CORPUS / LIBREOFFICE[0]).read_bytes()
    assert "damaged" in problem(data[: len(data) // 3])


def test_not_a_pdf_is_refused() -> None:
    assert "not a PDF" in problem(b"PK\x03\x04 this is a zip, not a report")


def test_zero_page_pdf_is_refused() -> None:
    assert "no pages" in problem(small_pdf(0))


def test_too_large_is_refused_before_reading() -> None:
    data = (CORPUS / WEASYPRINT[0]).read_bytes()
    assert "MB allowed" in problem(data, ReadLimits(max_bytes=len(data) - 1))


def test_too_many_pages_is_refused() -> None:
    assert "3 pages, more than the 2" in problem(small_pdf(3), ReadLimits(max_pages=2))


def test_too_slow_is_refused() -> None:
    data = (CORPUS / WEASYPRINT[0]).read_bytes()
    assert "took longer than" in problem(data, ReadLimits(max_seconds=0.0))


def test_too_much_text_is_refused() -> None:
    data = (CORPUS / WEASYPRINT[0]).read_bytes()
    assert "characters" in problem(data, ReadLimits(max_text_chars=500))


def test_blank_pages_are_not_called_scanned() -> None:
    blocks, pages, notes, title = read_pdf(small_pdf(2), limits=DEFAULT_LIMITS)
    assert (blocks, pages, notes, title) == ([], 2, [], None)


def test_a_page_pdfium_cannot_load_is_noted_and_the_rest_read() -> None:
    """Found by fuzzing: a page object PDFium refuses to load used to escape as PdfiumError."""
    data = (Path(__file__).parent / "found" / "damaged-page-tree.pdf").read_bytes()
    blocks, pages, notes, _title = read_pdf(data, limits=DEFAULT_LIMITS)
    assert pages == 5
    assert [note.page for note in notes] == [2, 3, 4, 5]
    assert all("damaged" in note.message for note in notes)
    assert all(block.page == 1 for block in blocks)


# ---------------------------------------------------------------------------------------------
# Small PDFs printed by WeasyPrint in the test: numbered headings, two columns

PRINT_CSS = """
@page { size: A4; margin: 2cm; }
body { font-family: "Liberation Sans", sans-serif; font-size: 11pt; line-height: 1.3; }
p { margin: 0 0 7pt 0; }
.h1 { font-size: 16pt; margin: 14pt 0 8pt 0; }
.h2 { font-size: 13.5pt; margin: 10pt 0 6pt 0; }
.columns { column-count: 2; column-gap: 28pt; }
.columns p { break-inside: avoid; }
"""


def printed(body: str) -> list[Block]:
    """The blocks read from ``body`` printed to PDF by WeasyPrint."""
    import weasyprint

    html = f"<html><head><style>{PRINT_CSS}</style></head><body>{body}</body></html>"
    return read_pdf(weasyprint.HTML(string=html).write_pdf(), limits=DEFAULT_LIMITS)[0]


def test_numbered_headings_set_large_or_bold_are_headings_with_their_number() -> None:
    blocks = printed(
        "<p class='h1'>10. Our work on neglect</p>"
        "<p>During the year partners met each month to look at neglect cases.</p>"
        "<p>1. Numbered paragraphs in the body size stay list items.</p>"
        "<p>2. So does the one after it.</p>"
        "<p class='h2'>10.1 What we achieved</p>"
        "<ol><li>We trained staff.</li><li>We audited cases.</li></ol>"
        "<p><b>10.2 What we found difficult</b></p>"
        "<p>Waiting lists stayed long.</p>"
        "<p class='h1'>11. Our priorities</p>"
        "<ol style='font-weight: bold'><li>Exploitation</li><li>Neglect</li></ol>"
        "<ul><li style='font-size: 16pt'>A large bullet is still a bullet</li></ul>"
        "<p>3. <b>Neglect:</b> a bold lead-in does not make this item a heading.</p>"
    )
    found = [(b.kind, b.text, b.level, b.marker) for b in blocks]
    assert found == [
        ("heading", "10. Our work on neglect", 1, None),
        ("paragraph", "During the year partners met each month to look at neglect cases.", 0, None),
        ("list_item", "Numbered paragraphs in the body size stay list items.", 1, "1."),
        ("list_item", "So does the one after it.", 1, "2."),
        ("heading", "10.1 What we achieved", 2, None),
        ("list_item", "We trained staff.", 1, "1."),
        ("list_item", "We audited cases.", 1, "2."),
        ("heading", "10.2 What we found difficult", 3, None),
        ("paragraph", "Waiting lists stayed long.", 0, None),
        ("heading", "11. Our priorities", 1, None),
        ("list_item", "Exploitation", 1, "1."),  # a list of short bold items: not headings
        ("list_item", "Neglect", 1, "2."),
        ("list_item", "A large bullet is still a bullet", 1, "•"),
        ("list_item", "Neglect: a bold lead-in does not make this item a heading.", 1, "3."),
    ]


LEFT = (
    "Partners in Saltmarsh met each month to review cases of neglect, and the notes of "
    "every meeting went to the board. The audit of forty cases showed that records named "
    "the child's own words more often than the year before, and that plans were reviewed "
    "on time. Health visitors asked for the meetings to continue."
)
RIGHT = (
    "Schools in Old Quay trained their designated leads on exploitation, and each school "
    "now has a named lead who meets the police every term."
)
AFTER = (
    "After the two columns, this paragraph runs across the whole page, wide enough to cross "
    "the gutter between the columns, and so is read after both of them."
)


def test_a_left_column_paragraph_running_below_the_right_column_keeps_its_last_lines() -> None:
    blocks = printed(
        "<p class='h1'>Our work in two columns</p>"
        f"<div class='columns'><p>{LEFT}</p><p>{RIGHT}</p></div><p>{AFTER}</p>"
    )
    assert [(b.kind, b.text) for b in blocks[1:]] == [
        ("paragraph", LEFT),
        ("paragraph", RIGHT),
        ("paragraph", AFTER),
    ]


def test_a_right_column_running_below_the_left_column_keeps_its_last_lines() -> None:
    blocks = printed(
        "<p class='h1'>Our work in two columns</p>"
        f"<div class='columns'><p>{RIGHT}</p><p>{LEFT}</p></div><p>{AFTER}</p>"
    )
    assert [(b.kind, b.text) for b in blocks[1:]] == [
        ("paragraph", RIGHT),
        ("paragraph", LEFT),
        ("paragraph", AFTER),
    ]


def test_a_new_paragraph_below_the_right_column_is_not_run_on() -> None:
    """Below the right column's end, only lines that carry on the left column's paragraph at its
    line spacing join it; a heading or a paragraph after a gap stays apart, after both columns."""
    blocks = printed(
        "<p class='h1'>Our work in two columns</p>"
        f"<div class='columns'><p>{LEFT}</p><p>{RIGHT}</p></div>"
        "<p class='h2'>What we achieved</p><p>We trained staff.</p>"
    )
    assert [(b.kind, b.text) for b in blocks[1:]] == [
        ("paragraph", LEFT),
        ("paragraph", RIGHT),
        ("heading", "What we achieved"),
        ("paragraph", "We trained staff."),
    ]
