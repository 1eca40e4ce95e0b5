"""The Health and Wellbeing Board paper as an editable Word document (DOCX), the main output.

Built on the annual report's writer (``reports.docx``): the same A4 page, Arial, British
English, page numbers in the footer and captioned tables with repeating header rows. What a
committee paper adds: a cover table whose first column holds its row headers, and one Word
multilevel list that numbers the sections ("2."), their paragraphs ("2.3") and bullets the
statements under them, so that an officer who adds a paragraph in Word gets the numbers
redone by Word.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from safeguarding.reports.docx import _Writer, clean, describe_table
from safeguarding.reports.hwb import BoardPaper
from safeguarding.reports.hwb_layout import (
    CoverRow,
    Inline,
    Layout,
    Paragraph,
    Subheading,
    TableBlock,
    layout,
    long_date,
)

#: Twentieths of a point: where the paper's numbers hang and its text starts.
_NUMBER_INDENT = 720
_BULLET_INDENT = 1080
_BULLET_HANG = 360
_GREY = RGBColor(0x50, 0x5A, 0x5F)


@dataclass(frozen=True)
class _Identity:
    """What the annual report's writer reads from a report to set up a document."""

    title: str
    partnership: str  # the document's author
    period: str


class _PaperWriter(_Writer):
    """Writes the paper's layout into one Word document."""

    def __init__(self, paper: BoardPaper) -> None:
        self.paper = paper
        # The annual writer sets up the page, fonts, language, footer and core properties.
        identity = _Identity(paper.title, paper.meta.council, long_date(paper.date))
        super().__init__(identity)  # type: ignore[arg-type]  # it reads only these three
        properties = self.document.core_properties
        properties.subject = f"A paper for the {clean(paper.meta.for_submission_to)}"
        properties.keywords = "safeguarding; health and wellbeing board; shared priorities"
        properties.category = "Committee report"
        # The annual report asks Word to refresh its contents list on opening; the paper has
        # none, and Word's question about updating fields would only puzzle its readers.
        settings = self.document.settings.element
        for update in settings.findall(qn("w:updateFields")):
            settings.remove(update)
        self.paper_list = self._add_paper_numbering()

    # Numbering --------------------------------------------------------------------------------

    def _add_paper_numbering(self) -> int:
        """A multilevel list: "1." for sections, "1.1" for paragraphs, bullets beneath them."""
        numbering = self.document.part.numbering_part.element
        abstracts = numbering.findall(qn("w:abstractNum"))
        abstract_id = max((int(item.get(qn("w:abstractNumId"))) for item in abstracts), default=-1)
        abstract_id += 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(abstract_id))
        kind = OxmlElement("w:multiLevelType")
        kind.set(qn("w:val"), "multilevel")
        abstract.append(kind)
        levels = (
            ("decimal", "%1.", _NUMBER_INDENT, _NUMBER_INDENT),
            ("decimal", "%1.%2", _NUMBER_INDENT, _NUMBER_INDENT),
            ("bullet", "\u2022", _BULLET_INDENT + _BULLET_HANG, _BULLET_HANG),
        )
        for level, (number_format, text, left, hanging) in enumerate(levels):
            abstract.append(_level(level, number_format, text, left, hanging))
        # The schema wants every abstractNum before the first num.
        if abstracts:
            abstracts[-1].addnext(abstract)
        else:
            numbering.insert(0, abstract)
        return numbering.add_num(abstract_id).numId

    def _numbered(self, paragraph: WordParagraph, level: int) -> None:
        properties = paragraph._p.get_or_add_pPr()
        number = properties.get_or_add_numPr()
        number.get_or_add_ilvl().val = level
        number.get_or_add_numId().val = self.paper_list

    def _ordered_list(self) -> int:
        """A new numbered list (the "List Number" style's) that starts again at 1."""
        numbering = self.document.part.numbering_part.element
        style_number = self.document.styles["List Number"].element.pPr.numPr.numId.val
        abstract_id = numbering.num_having_numId(style_number).abstractNumId.val
        num = numbering.add_num(abstract_id)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(1)
        return num.numId

    # Text -------------------------------------------------------------------------------------

    def runs(self, paragraph: WordParagraph, content: Inline) -> None:
        for span in content:
            run = paragraph.add_run(clean(span.text))
            if span.kind == "strong":
                run.bold = True
            elif span.kind == "page":
                run.font.color.rgb = _GREY
            elif span.kind == "placeholder":
                # Highlighted, so that the officers who must fill it in cannot miss it.
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                run.bold = True

    def part(self, part: Paragraph, container: _Cell | None = None) -> None:
        """A paragraph of the layout (numbered or not), then its list."""
        add = container.add_paragraph if container is not None else self.document.add_paragraph
        if part.content:
            paragraph = add()
            if part.number is not None:
                self._numbered(paragraph, 1)
                paragraph.paragraph_format.space_after = Pt(8)
            self.runs(paragraph, part.content)
            if part.items:
                paragraph.paragraph_format.keep_with_next = True
        ordered = self._ordered_list() if part.ordered else None
        for item in part.items:
            if ordered is not None:
                paragraph = add(style="List Number")
                properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                properties.get_or_add_ilvl().val = 0
                properties.get_or_add_numId().val = ordered
            elif part.number is not None:
                paragraph = add(style="List Bullet")
                self._numbered(paragraph, 2)
            else:
                paragraph = add(style="List Bullet")
            self.runs(paragraph, item)

    # The paper ----------------------------------------------------------------------------------

    def write(self, checklist: Sequence[object] | None = None) -> bytes:
        """The paper as DOCX bytes (``checklist`` is the annual report's; the paper has none)."""
        laid_out = layout(self.paper)
        self.document.add_heading(clean(laid_out.title), 0)
        self.cover(laid_out)
        for section in laid_out.sections:
            heading = self.heading(section.title, 1)
            if section.number is not None:
                self._numbered(heading, 0)
            else:
                # Each appendix starts a page, as it would if printed and stapled on.
                heading.paragraph_format.page_break_before = True
            for block in section.blocks:
                if isinstance(block, Subheading):
                    self.heading(block.text, 2)
                elif isinstance(block, TableBlock):
                    self.table(block.caption, block.headings, block.rows)
                else:
                    self.part(block)
        self.document.add_paragraph().add_run("Report ends.").bold = True
        self._space_after_tables()
        output = io.BytesIO()
        self.document.save(output)
        return output.getvalue()

    def cover(self, laid_out: Layout) -> None:
        """The cover as a two-column table: each row's label is its header cell."""
        table = self.document.add_table(rows=0, cols=2)
        table.style = self.document.styles["Table Grid"]
        describe_table(table, "About this paper")
        _header_column(table._tbl.tblPr)
        label_width = Mm(45)
        value_width = self.text_width - label_width
        table.autofit = False
        table.columns[0].width, table.columns[1].width = label_width, value_width
        for row in laid_out.cover:
            self.cover_row(table.add_row().cells, row, label_width, value_width)

    def cover_row(
        self, cells: Sequence[_Cell], row: CoverRow, label_width: int, value_width: int
    ) -> None:
        label, value = cells
        label.width, value.width = label_width, value_width
        label.paragraphs[0].add_run(clean(row.label)).bold = True
        _shade(label, "F3F2F1")
        first = value.paragraphs[0]
        for part in row.parts:
            self.part(part, value)
        # A new cell starts with an empty paragraph; the parts were added after it.
        if len(value.paragraphs) > 1 and not first.text:
            first._p.getparent().remove(first._p)


def _level(level: int, number_format: str, text: str, left: int, hanging: int) -> OxmlElement:
    """One level of a Word list definition, its elements in the schema's order."""
    element = OxmlElement("w:lvl")
    element.set(qn("w:ilvl"), str(level))
    for tag, value in (("w:start", "1"), ("w:numFmt", number_format)):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        element.append(child)
    if level == 1:
        # "1.1" even when the section number is shown another way.
        element.append(OxmlElement("w:isLgl"))
    for tag, value in (("w:lvlText", text), ("w:lvlJc", "left")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        element.append(child)
    paragraph = OxmlElement("w:pPr")
    indent = OxmlElement("w:ind")
    indent.set(qn("w:left"), str(left))
    indent.set(qn("w:hanging"), str(hanging))
    paragraph.append(indent)
    element.append(paragraph)
    return element


def _header_column(properties: OxmlElement) -> None:
    """Tell Word (and screen readers) that the first column holds the row headers."""
    look = properties.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        properties.append(look)
    for name, value in (
        ("w:val", "0480"),
        ("w:firstRow", "0"),
        ("w:lastRow", "0"),
        ("w:firstColumn", "1"),
        ("w:lastColumn", "0"),
        ("w:noHBand", "0"),
        ("w:noVBand", "1"),
    ):
        look.set(qn(name), value)


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def board_paper_docx(paper: BoardPaper) -> bytes:
    """The paper as a DOCX file."""
    return _PaperWriter(paper).write()
