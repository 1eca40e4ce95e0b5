"""The annual report as DOCX: opened again with python-docx and checked for real Word structure."""

from __future__ import annotations

import dataclasses
import io
import itertools
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from safeguarding.reports.annual import AnnualReport, Member, Recommendation
from safeguarding.reports.docx import (
    ACTION_HEADINGS,
    MEMBER_HEADINGS,
    RECOMMENDATION_HEADINGS,
    REVIEW_HEADINGS,
    clean,
    next_period,
    paragraphs_of,
    report_docx,
)
from safeguarding.reports.sample import sample_report

SECTIONS = [
    "Foreword",
    "About the partnership",
    "Our priorities in 2025-26",
    "What we achieved",
    "Challenges and what we are doing about them",
    "Learning from reviews",
    "Audits",
    "What people told us and what changed",
    "Training and learning",
    "Our priorities for 2026-27",
    "Who this report goes to",
    "Appendix: Safeguarding Adults Reviews summary table",
]


@dataclasses.dataclass(frozen=True)
class ChecklistItem:
    element: str
    law: str
    met: bool
    gaps: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def report() -> AnnualReport:
    return sample_report(priorities=2)


@pytest.fixture(scope="module")
def document(report: AnnualReport) -> WordDocument:
    return docx.Document(io.BytesIO(report_docx(report)))


def report_title() -> str:
    return "Larkhaven Safeguarding Adults Board annual report 2025-26"


def open_docx(data: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(data))


def blocks(document: WordDocument) -> Iterator[Paragraph | Table]:
    """The body's paragraphs and tables in document order."""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            yield Paragraph(element, document._body)
        elif element.tag == qn("w:tbl"):
            yield Table(element, document._body)


def headings(document: WordDocument) -> list[tuple[int, str]]:
    return [
        (int(paragraph.style.name.removeprefix("Heading ")), paragraph.text)
        for paragraph in document.paragraphs
        if paragraph.style.name.startswith("Heading ")
    ]


def header(table: Table) -> list[str]:
    return [cell.text for cell in table.rows[0].cells]


def table_with(document: WordDocument, headings: tuple[str, ...]) -> list[Table]:
    return [table for table in document.tables if header(table) == list(headings)]


def field_codes(element: Any) -> list[str]:
    return [code.text.strip() for code in element.iter(qn("w:instrText"))]


def section_text(document: WordDocument, title: str) -> list[str]:
    """The texts of the paragraphs under one Heading 1, up to the next."""
    found: list[str] = []
    inside = False
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            inside = paragraph.text == title
        elif inside:
            found.append(paragraph.text)
    return found


def test_sections_are_heading_1_in_the_order_of_the_html_report(document: WordDocument) -> None:
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == report_title()
    assert [text for level, text in headings(document) if level == 1] == SECTIONS


def test_priorities_and_their_evidence_sit_under_their_section(
    document: WordDocument, report: AnnualReport
) -> None:
    found = headings(document)
    start = found.index((1, "Our priorities in 2025-26"))
    end = found.index((1, "What we achieved"))
    inside = found[start + 1 : end]
    assert [text for level, text in inside if level == 2] == [p.title for p in report.priorities]
    evidence_titles = {(3, item.title) for p in report.priorities for item in p.evidence}
    assert evidence_titles <= set(inside)
    assert (3, "Actions") in inside
    # No level is skipped on the way down.
    levels = [level for level, _ in found]
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))


def test_lists_use_word_list_styles(document: WordDocument, report: AnnualReport) -> None:
    styles = {paragraph.text: paragraph.style.name for paragraph in document.paragraphs}
    for item in report.training:
        assert styles[item] == "List Bullet"
    for recipient in report.recipients:
        assert styles[recipient] == "List Bullet"
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert numbered == ["Exploitation of adults: Cuckooing and scams."]
    subgroup = next(p for p in document.paragraphs if p.text.startswith("Quality and performance"))
    assert subgroup.style.name == "List Bullet"


def test_tables_have_the_right_header_cells(document: WordDocument, report: AnnualReport) -> None:
    (members,) = table_with(document, MEMBER_HEADINGS)
    assert [row.cells[0].text for row in members.rows[1:]] == [m.agency for m in report.members]
    assert members.rows[1].cells[3].text == report.members[0].contribution
    # The ICB recorded nothing: the table says so rather than leaving the cell blank.
    assert members.rows[3].cells[3].text == "Nothing recorded for the year."
    actions = table_with(document, ACTION_HEADINGS)
    assert len(actions) == len(report.priorities)
    assert actions[0].rows[1].cells[0].text == report.priorities[0].actions[0].title
    assert actions[0].rows[1].cells[2].text == "31 March 2026"
    (reviews,) = table_with(document, REVIEW_HEADINGS)
    assert [row.cells[0].text for row in reviews.rows[1:]] == [
        f"{review.name}: {review.title}" for review in report.reviews
    ]
    assert reviews.rows[1].cells[5].text == "Self-neglect, Mental capacity"
    assert len(table_with(document, RECOMMENDATION_HEADINGS)) == len(report.reviews)


def test_every_table_has_a_repeating_header_row_a_style_and_a_caption(
    document: WordDocument,
) -> None:
    order = list(blocks(document))
    tables = [block for block in order if isinstance(block, Table)]
    assert len(tables) >= 6
    for table in tables:
        assert table.style.name == "Table Grid"
        first, second = table.rows[0]._tr, table.rows[1]._tr
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert second.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
        before = order[order.index(table) - 1]
        assert isinstance(before, Paragraph)
        assert before.style.name == "Caption"
        assert before.text.startswith("Table ")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    numbers = [int(text.split(":")[0].split()[1]) for text in captions if text.startswith("Table")]
    assert numbers == list(range(1, len(tables) + 1))


def test_charts_are_pictures_with_alt_text_followed_by_their_data_table(
    document: WordDocument, report: AnnualReport
) -> None:
    charts = [item.chart for p in report.priorities for item in p.evidence if item.chart]
    pictures = document.inline_shapes
    assert len(pictures) == len(charts) == 4
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for picture, chart in zip(pictures, charts, strict=True):
        described = picture._inline.docPr.get("descr")
        assert described
        assert described == chart.description
        assert abs(picture.width - text_width) < 10_000  # EMU: a third of a millimetre
    order = list(blocks(document))
    holders = [
        block
        for block in order
        if isinstance(block, Paragraph) and block._p.findall(f".//{qn('w:drawing')}")
    ]
    for holder, chart in zip(holders, charts, strict=True):
        at = order.index(holder)
        caption, table = order[at + 1], order[at + 2]
        assert isinstance(caption, Paragraph) and caption.style.name == "Caption"
        assert isinstance(table, Table)
        assert header(table) == list(chart.table.headings)
        assert len(table.rows) == len(chart.table.rows) + 1


def test_core_properties_say_what_the_document_is(document: WordDocument) -> None:
    properties = document.core_properties
    assert properties.title == report_title()
    assert properties.author == "Larkhaven Safeguarding Adults Board"
    assert properties.language == "en-GB"
    assert properties.created is not None and properties.created.year >= 2025
    language = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert language.get(qn("w:val")) == "en-GB"


def test_footer_numbers_the_pages(document: WordDocument) -> None:
    footer = document.sections[0].footer
    assert not footer.is_linked_to_previous
    assert "PAGE" in field_codes(footer._element)
    assert footer.paragraphs[0].text.startswith("Page ")


def test_contents_is_a_field_word_fills_in_after_the_title(document: WordDocument) -> None:
    codes = [
        (index, code)
        for index, paragraph in enumerate(document.paragraphs)
        for code in field_codes(paragraph._p)
    ]
    toc = [index for index, code in codes if code.startswith("TOC ")]
    assert len(toc) == 1
    first_section = next(
        index for index, p in enumerate(document.paragraphs) if p.style.name == "Heading 1"
    )
    assert 0 < toc[0] < first_section
    assert '\\o "1-3"' in dict(codes)[toc[0]]
    settings = document.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_plain_text_is_split_into_paragraphs_at_blank_lines(document: WordDocument) -> None:
    foreword = section_text(document, "Foreword")
    assert foreword[:2] == [
        "This year the Board turned its attention from what we do to what difference it makes.",
        "I thank everyone who told us about their experience of safeguarding.",
    ]
    assert paragraphs_of("One\n\n  \n\nTwo\nlines\n\n") == ["One", "Two\nlines"]


def test_control_characters_are_stripped_and_text_kept_as_given(report: AnnualReport) -> None:
    member = Member("Larkshire <Fire> & Rescue", "Relevant agency", "", "Fitted\x0b alarms\x00.")
    odd = dataclasses.replace(
        report,
        foreword="A stray\x0b tab\x1f here.\r\n\r\nAnd <b>not bold</b> & fine.",
        members=(*report.members, member),
        training=("Briefings\x07 for GPs",),
    )
    data = report_docx(odd)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "\x0b" not in body and "\x00" not in body and "\x1f" not in body
    document = open_docx(data)
    foreword = section_text(document, "Foreword")
    assert foreword[:2] == ["A stray tab here.", "And <b>not bold</b> & fine."]
    (members,) = table_with(document, MEMBER_HEADINGS)
    assert [cell.text for cell in members.rows[-1].cells] == [
        "Larkshire <Fire> & Rescue",
        "Relevant agency",
        "",
        "Fitted alarms.",
    ]
    assert "Briefings for GPs" in section_text(document, "Training and learning")
    assert clean("a\x0cb\ud800c\ufffe") == "abc"


def test_a_report_with_no_reviews_says_so(report: AnnualReport) -> None:
    document = open_docx(report_docx(dataclasses.replace(report, reviews=())))
    assert section_text(document, "Learning from reviews") == [
        "No Safeguarding Adults Reviews were concluded or in progress in 2025-26, and no "
        "earlier review has recommendations still to report on."
    ]
    appendix = section_text(document, "Appendix: Safeguarding Adults Reviews summary table")
    assert appendix == ["There are no Safeguarding Adults Reviews to list."]
    assert table_with(document, REVIEW_HEADINGS) == []
    assert table_with(document, RECOMMENDATION_HEADINGS) == []


def test_reviews_concluded_and_in_progress_each_get_their_own_part(
    document: WordDocument, report: AnnualReport
) -> None:
    found = headings(document)
    concluded = found.index((2, "Reviews concluded in 2025-26"))
    in_progress = found.index((2, "Reviews in progress"))
    between = [text for level, text in found[concluded + 1 : in_progress] if level == 3]
    assert between == [f"{r.name}: {r.title}" for r in report.reviews if r.concluded_in_year]
    text = section_text(document, "Learning from reviews")
    assert "Agencies closed the case when help was refused." in text


def test_a_recommendation_refused_without_a_reason_says_so(report: AnnualReport) -> None:
    review = report.reviews[0]
    silent = Recommendation(
        3, "Audit every closure.", "Larkhaven Council", status="not_implemented"
    )
    changed = dataclasses.replace(review, recommendations=(*review.recommendations, silent))
    document = open_docx(report_docx(dataclasses.replace(report, reviews=(changed,))))
    (table,) = table_with(document, RECOMMENDATION_HEADINGS)
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows[1][-1] == "Covered by the national training programme."
    assert rows[2][0] == "3"
    assert rows[2][-1] == "No reason recorded."
    assert rows[2][5] == "Nothing recorded yet."


def test_the_checklist_appendix_appears_only_when_given(report: AnnualReport) -> None:
    checklist = [
        ChecklistItem("Findings of reviews concluded in the year", "Care Act 2014", True),
        ChecklistItem(
            "What each member did",
            "Care Act 2014, Schedule 2, paragraph 4(1)(b)",
            False,
            ("No contribution recorded for Larkshire and Vale ICB", "Second gap"),
        ),
    ]
    document = open_docx(report_docx(report, checklist=checklist))
    title = "Appendix: checking the report against the law"
    assert [text for level, text in headings(document) if level == 1][-1] == title
    table = document.tables[-1]
    assert header(table) == ["Element", "Source in law", "Met", "Gaps"]
    assert [cell.text for cell in table.rows[2].cells] == [
        "What each member did",
        "Care Act 2014, Schedule 2, paragraph 4(1)(b)",
        "No",
        "No contribution recorded for Larkshire and Vale ICB\nSecond gap",
    ]
    assert table.rows[1].cells[2].text == "Yes"
    assert section_text(document, title)[0] == "The check found 2 gaps."


def test_the_next_reporting_year() -> None:
    assert next_period("2025-26") == "2026-27"
    assert next_period("2099-00") == "2100-01"
    assert next_period("autumn") == "next year"
