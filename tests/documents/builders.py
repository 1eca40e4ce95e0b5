"""Small Word documents built in the tests with python-docx, and zip packages built by hand."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph


def docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def number(paragraph: Paragraph, num_id: int, level: int) -> Paragraph:
    """Put ``paragraph`` in Word list ``num_id`` at ``level`` (0 is the top) by its numPr."""
    properties = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    properties.append(num_pr)
    return paragraph


def typed_paragraph(
    document: docx.document.Document, text: str, *, bold: bool = False, size: float | None = None
) -> Paragraph:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def styled_report() -> bytes:
    """A report with a title, styled headings, Word numbering, typed bullets and a table."""
    document = docx.Document()
    document.add_paragraph("Brindle Vale Safeguarding Children Partnership 2024-25", style="Title")
    document.add_heading("Introduction", level=1)
    document.add_paragraph("This report tells the partnership's year.")
    document.add_heading("What we have achieved", level=1)
    document.add_paragraph("We trained 400 staff in spotting neglect.", style="List Number")
    document.add_paragraph("We opened a single front door.", style="List Number")
    document.add_paragraph("\uf0b7\tWe held a conference on exploitation.")
    document.add_heading("Priorities", level=1)
    document.add_heading("Neglect", level=2)
    lead = number(document.add_paragraph("Priority 1: Neglect, we will:"), 1, 0)
    assert lead is not None
    number(document.add_paragraph("embed the neglect toolkit"), 1, 1)
    number(document.add_paragraph("measure its effect"), 1, 1)
    document.add_heading("Partner contributions", level=1)
    document.add_heading("Our work in numbers", level=1)
    table = document.add_table(rows=2, cols=3)
    for column, text in enumerate(["Measure", "2023-24", "2024-25"]):
        table.cell(0, column).text = text
    for column, text in enumerate(["Referrals", "2,754", "2,690"]):
        table.cell(1, column).text = text
    return docx_bytes(document)


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def html_sample() -> bytes:
    """A small page with a script, headings, nested lists and a table."""
    return b"""<!doctype html><html><head><title>Otterby SAB</title>
    <script>alert(1)</script></head><body><h1>Our priorities</h1><p>We will:</p>
    <ol><li>Reduce neglect<ul><li>train staff</li></ul></li></ol>
    <table><tr><th>Measure</th><td>12</td></tr></table>
    <p>Page<br>end &amp; more</p></body></html>"""
