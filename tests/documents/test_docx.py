"""Reading Word documents: styled and typed headings, Word lists, typed bullets, tables, and
refusing zip bombs and password-protected files."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from safeguarding.documents.docx import read_docx
from safeguarding.documents.limits import DEFAULT_LIMITS, ReadLimits
from safeguarding.documents.model import Block, DocumentProblem
from tests.documents.builders import docx_bytes, styled_report, typed_paragraph, zip_bytes


def kinds(blocks: list[Block]) -> list[tuple[str, int, str]]:
    return [(block.kind, block.level, block.text) for block in blocks]


def test_styled_headings_lists_and_tables() -> None:
    blocks, pages, notes, title = read_docx(styled_report(), limits=DEFAULT_LIMITS)
    assert pages is None
    assert notes == []
    assert title == "Brindle Vale Safeguarding Children Partnership 2024-25"
    assert kinds(blocks) == [
        ("heading", 1, "Introduction"),
        ("paragraph", 0, "This report tells the partnership's year."),
        ("heading", 1, "What we have achieved"),
        ("list_item", 1, "We trained 400 staff in spotting neglect."),
        ("list_item", 1, "We opened a single front door."),
        ("list_item", 1, "We held a conference on exploitation."),
        ("heading", 1, "Priorities"),
        ("heading", 2, "Neglect"),
        ("list_item", 1, "Priority 1: Neglect, we will:"),
        ("list_item", 2, "embed the neglect toolkit"),
        ("list_item", 2, "measure its effect"),
        ("heading", 1, "Partner contributions"),
        ("heading", 1, "Our work in numbers"),
        ("table_row", 0, "Measure | 2023-24 | 2024-25"),
        ("table_row", 0, "Referrals | 2,754 | 2,690"),
    ]


def test_word_numbering_shows_its_numbers_and_typed_bullets_their_bullet() -> None:
    blocks, *_ = read_docx(styled_report(), limits=DEFAULT_LIMITS)
    markers = {block.text: block.marker for block in blocks if block.kind == "list_item"}
    assert markers["We trained 400 staff in spotting neglect."] == "1."
    assert markers["We opened a single front door."] == "2."
    assert markers["We held a conference on exploitation."] == "•"


def test_list_styles_with_a_depth_in_their_name() -> None:
    document = docx.Document()
    document.add_paragraph("Top item", style="List Bullet")
    document.add_paragraph("Second level item", style="List Bullet 2")
    blocks, *_ = read_docx(docx_bytes(document), limits=DEFAULT_LIMITS)
    assert [(b.kind, b.level) for b in blocks] == [("list_item", 1), ("list_item", 2)]


def test_typed_sub_bullets_take_the_depth_their_symbol_suggests() -> None:
    document = docx.Document()
    document.add_paragraph("\uf0b7\tFirst level")
    document.add_paragraph("o\tSecond level")
    blocks, *_ = read_docx(docx_bytes(document), limits=DEFAULT_LIMITS)
    assert [(b.kind, b.level, b.text, b.marker) for b in blocks] == [
        ("list_item", 1, "First level", "•"),
        ("list_item", 2, "Second level", "o"),
    ]


def test_headings_typed_in_bold_or_a_larger_size_when_no_heading_styles() -> None:
    document = docx.Document()
    typed_paragraph(document, "Annual report", size=20)
    typed_paragraph(document, "Our priorities", bold=True, size=11)
    typed_paragraph(document, "We will reduce neglect across the borough.", size=11)
    typed_paragraph(document, "This sentence is bold but it is body text.", bold=True, size=11)
    blocks, *_ = read_docx(docx_bytes(document), limits=DEFAULT_LIMITS)
    assert kinds(blocks) == [
        ("heading", 1, "Annual report"),
        ("heading", 2, "Our priorities"),
        ("paragraph", 0, "We will reduce neglect across the borough."),
        ("paragraph", 0, "This sentence is bold but it is body text."),
    ]


def test_bold_text_is_not_a_heading_when_the_document_uses_heading_styles() -> None:
    document = docx.Document()
    document.add_heading("Challenges", level=1)
    typed_paragraph(document, "Workforce", bold=True)
    blocks, *_ = read_docx(docx_bytes(document), limits=DEFAULT_LIMITS)
    assert kinds(blocks) == [("heading", 1, "Challenges"), ("paragraph", 0, "Workforce")]


def test_outline_levels_make_headings() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Looking ahead")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")
    paragraph._p.get_or_add_pPr().append(outline)
    blocks, *_ = read_docx(docx_bytes(document), limits=DEFAULT_LIMITS)
    assert kinds(blocks) == [("heading", 2, "Looking ahead")]


def test_merged_cells_are_counted_once() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 0).text = "Measure"
    table.cell(0, 2).text = "2024"
    blocks, *_ = read_docx(docx_bytes(document), limits=DEFAULT_LIMITS)
    assert kinds(blocks) == [("table_row", 0, "Measure | 2024")]


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = zip_bytes({"word/document.xml": b"<w:document/>", "word/filler.xml": b"\0" * 3_000_000})
    limits = ReadLimits(max_unzipped_bytes=1_000_000)
    with pytest.raises(DocumentProblem, match="zip bomb"):
        read_docx(bomb, limits=limits)


def test_a_zip_of_thousands_of_parts_is_refused() -> None:
    parts = {f"word/part{n}.xml": b"" for n in range(30)}
    with pytest.raises(DocumentProblem, match="31 parts"):
        read_docx(
            zip_bytes({"word/document.xml": b"", **parts}), limits=ReadLimits(max_zip_entries=20)
        )


def test_a_password_protected_word_file_is_refused_plainly() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    with pytest.raises(DocumentProblem, match="password-protected"):
        read_docx(ole, limits=DEFAULT_LIMITS)


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    with pytest.raises(DocumentProblem, match="not a Word document"):
        read_docx(zip_bytes({"content.xml": b"<office/>"}), limits=DEFAULT_LIMITS)


def test_a_damaged_word_document_is_refused_plainly() -> None:
    damaged = zip_bytes({"word/document.xml": b"<not xml", "[Content_Types].xml": b"<Types/>"})
    with pytest.raises(DocumentProblem, match="damaged"):
        read_docx(damaged, limits=DEFAULT_LIMITS)


def test_not_a_zip_at_all() -> None:
    with pytest.raises(DocumentProblem, match="not a readable zip"):
        read_docx(b"PK\x03\x04 but nothing else", limits=DEFAULT_LIMITS)


def test_too_much_text_is_refused() -> None:
    document = docx.Document()
    for _ in range(20):
        document.add_paragraph("Neglect remains the most common reason for a plan. " * 5)
    with pytest.raises(DocumentProblem, match="characters"):
        read_docx(docx_bytes(document), limits=ReadLimits(max_text_chars=1000))


def test_stored_sizes_are_what_counts_not_the_compressed_size() -> None:
    # A part stored with no compression is as big unpacked as packed: it is the total that counts.
    data = zip_bytes({"word/document.xml": b"x" * 2000}, compression=zipfile.ZIP_STORED)
    with pytest.raises(DocumentProblem, match="unpack"):
        read_docx(data, limits=ReadLimits(max_unzipped_bytes=1000))
