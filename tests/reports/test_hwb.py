"""The Health and Wellbeing Board paper: built from an alignment JSON made by hand, then written as
DOCX (opened again with python-docx), HTML (parsed with lxml) and tagged PDF (read with pypdf)."""

from __future__ import annotations

import copy
import datetime
import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pypdf
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as WordParagraph

from safeguarding.reports.hwb import (
    ENVIRONMENT_PLACEHOLDER,
    FINANCE_PLACEHOLDER,
    LEGAL_PLACEHOLDER,
    SECTION_LIMITS,
    BoardPaper,
    BoardPaperMeta,
    BoardPaperProblem,
    ContactOfficer,
    board_paper_from_alignment,
    load_meta,
    meta_from_dict,
    render_board_paper,
    unfinished,
)
from safeguarding.reports.hwb_html import board_paper_html
from safeguarding.reports.hwb_layout import CHANGE_HEADINGS, Paragraph, layout, text_parts
from safeguarding.themes.alignment import validate_alignment

COVER_LABELS = [
    "Council",
    "Wards",
    "Report title",
    "Report of",
    "For submission to",
    "Date",
    "Summary of report",
    "Access to information",
    "Contact officer",
    "Recommendation",
]
LSCP_ACHIEVEMENTS = [
    "We launched a multi-agency neglect toolkit that names parental mental health as a key factor.",
    "Training on self-harm and suicide prevention reached 400 practitioners across the borough.",
    "The Young Advisors group reviewed every new leaflet the partnership published.",
    "Our audit of electively home educated children led to a new early-warning notice.",
    "Family Hubs opened two new sites with health visitors on hand each weekday.",
    "Referrals from schools now reach the front door within one working day.",
    "A joint protocol with housing now covers every family in temporary accommodation.",
    "The partnership held four practice weeks, each on a theme from a local review.",
]
TRANSITIONS_LSCP = "Strengthen transitions from youth to adult services for vulnerable adolescents."
TRANSITIONS_LSAB = (
    "Support people through life changes, with a focus on young people moving into adulthood."
)
TRANSITIONS_HWS = (
    "Start well: every child has the best start in life, with smooth moves into adult services."
)
PREVENTION_LSAB = "Strengthen prevention and early identification through professional curiosity."
PREVENTION_HWS = "Prevention comes first across every service the council commissions."


def _statement(
    id: str, source: str, section: str, text: str, page: int | None, *themes: tuple[str, float]
) -> dict[str, Any]:
    return {
        "id": id,
        "source": source,
        "section": section,
        "heading": section.capitalize(),
        "text": text,
        "page": page,
        "themes": [{"theme": theme, "score": score} for theme, score in themes],
    }


def make_alignment() -> dict[str, Any]:
    """An alignment JSON as `safeguarding align` writes it and an officer then reviews it."""
    lscp = [
        _statement(
            "LSCP-1",
            "LSCP",
            "overview",
            "The partnership is led jointly by the council, the police and the integrated care "
            "board.",
            2,
        ),
        _statement(
            "LSCP-2",
            "LSCP",
            "overview",
            "Its vision is that every child in Larkhaven is safe, thriving and heard.",
            2,
        ),
        _statement("LSCP-3", "LSCP", "overview", "Overview", 2),  # a fragment: never quoted
    ]
    scores = [0.62, 0.55, 0.2, 0.7, 0.3, 0.1, 0.45, 0.4]
    for number, (text, score) in enumerate(zip(LSCP_ACHIEVEMENTS, scores, strict=True)):
        lscp.append(
            _statement(
                f"LSCP-{number + 4}", "LSCP", "achievements", text, 3, ("mental_health", score)
            )
        )
    lscp += [
        _statement(
            "LSCP-12",
            "LSCP",
            "challenges",
            "Black and mixed-heritage children remain overrepresented in child protection.",
            4,
            ("disproportionality", 0.7),
        ),
        _statement("LSCP-13", "LSCP", "priorities", TRANSITIONS_LSCP, 5, ("transitions", 0.81)),
        _statement(
            "LSCP-14",
            "LSCP",
            "priorities",
            "Address disproportionality in safeguarding responses for Black children.",
            5,
            ("disproportionality", 0.74),
        ),
    ]
    lsab = [
        _statement(
            "LSAB-1",
            "LSAB",
            "overview",
            "The Board meets quarterly and brings together the council, police and health.",
            1,
        ),
        _statement(
            "LSAB-2",
            "LSAB",
            "achievements",
            "Over 87% of people were asked about the outcomes they wanted.",
            2,
            ("voice", 0.5),
        ),
        _statement(
            "LSAB-3",
            "LSAB",
            "challenges",
            "Self-neglect and cuckooing feature in local Safeguarding Adults Reviews.",
            3,
            ("exploitation", 0.6),
        ),
        _statement("LSAB-4", "LSAB", "priorities", TRANSITIONS_LSAB, 4, ("transitions", 0.77)),
        _statement("LSAB-5", "LSAB", "priorities", PREVENTION_LSAB, 4, ("prevention", 0.66)),
    ]
    hws = [
        _statement("HWS-1", "HWS", "priorities", TRANSITIONS_HWS, 7, ("transitions", 0.69)),
        _statement("HWS-2", "HWS", "priorities", PREVENTION_HWS, 8, ("prevention", 0.58)),
    ]
    return {
        "generated_at": "2025-12-08T10:00:00Z",
        "model": {"embedder": "all-MiniLM-L6-v2-int8", "taxonomy_version": "2025.1"},
        "sources": [
            {
                "name": "LSCP",
                "kind": "partnership",
                "file": "lscp-annual-report.pdf",
                "sections": {"overview": 3, "achievements": 8, "challenges": 1, "priorities": 2},
            },
            {
                "name": "LSAB",
                "kind": "partnership",
                "file": "lsab-annual-report.docx",
                "sections": {"overview": 1, "achievements": 1, "challenges": 1, "priorities": 2},
            },
            {"name": "HWS", "kind": "strategy", "file": "hws.pdf", "sections": {"priorities": 2}},
        ],
        "statements": lscp + lsab + hws,
        # Listed weakest first: the paper puts the strongest first.
        "shared_themes": [
            {
                "theme": "prevention",
                "label": "Prevention and early identification",
                "sources": ["LSAB", "HWS", "LSCP"],
                "strength": 0.64,
                "summary": "The adults' board and the strategy both put prevention first.",
                "evidence": [
                    {"source": "LSAB", "statement": "LSAB-5", "text": PREVENTION_LSAB},
                    {"source": "HWS", "statement": "HWS-2", "text": PREVENTION_HWS},
                ],
            },
            {
                "theme": "transitions",
                "label": "Transitions and continuity of care",
                "sources": ["LSCP", "LSAB", "HWS"],
                "strength": 0.82,
                "summary": "All three plan for young people moving into adult services.",
                "evidence": [
                    {"source": "LSCP", "statement": "LSCP-13", "text": TRANSITIONS_LSCP},
                    {"source": "LSAB", "statement": "LSAB-4", "text": TRANSITIONS_LSAB},
                    {"source": "HWS", "statement": "HWS-1", "text": TRANSITIONS_HWS},
                ],
            },
        ],
        "additional_focus_areas": [
            {
                "theme": "disproportionality",
                "label": "Disproportionality and equity",
                "sources": ["LSCP", "LSAB"],
                "strength": 0.41,
            }
        ],
        "review": {
            "reviewed_by": "Priya Okonjo",
            "reviewed_at": "2025-12-09T15:30:00Z",
            "changes": [
                {
                    "action": "rejected",
                    "theme": "housing",
                    "statement": None,
                    "before": None,
                    "after": None,
                    "note": "Housing is not a priority of the strategy this year.",
                },
                {
                    "action": "edited",
                    "theme": "prevention",
                    "statement": None,
                    "before": "The sources emphasise prevention.",
                    "after": "The adults' board and the strategy both put prevention first.",
                    "note": None,
                },
            ],
        },
    }


META = BoardPaperMeta(
    title="Larkhaven Safeguarding Partnerships: Annual Reports 2024-25",
    report_of="Director of Public Health",
    for_submission_to="Larkhaven Health and Wellbeing Board",
    date=datetime.date(2025, 12, 17),
    recommendations=("That the Board note the report.", "That the Board agree the themes."),
    contact=ContactOfficer("Sam Aldous", "Policy Officer", "sam.aldous@larkhaven.example"),
    council="Larkhaven Council",
    source_names={
        "LSCP": "Larkhaven Safeguarding Children Partnership",
        "LSAB": "Larkhaven Safeguarding Adults Board",
        "HWS": "Larkhaven Health and Wellbeing Strategy",
    },
)


@pytest.fixture(scope="module")
def paper() -> BoardPaper:
    return board_paper_from_alignment(make_alignment(), META)


# The paper's content ---------------------------------------------------------------------------


def test_the_hand_made_alignment_matches_the_contract() -> None:
    # The alignment module's own check accepts it: the tests read what `align` writes.
    assert validate_alignment(make_alignment())["sources"][0]["name"] == "LSCP"


def test_each_partnership_is_told_in_its_own_words(paper: BoardPaper) -> None:
    assert [section.name for section in paper.partnerships] == ["LSCP", "LSAB"]
    assert paper.partnerships[0].title == "Larkhaven Safeguarding Children Partnership"
    assert paper.strategies == ("Larkhaven Health and Wellbeing Strategy",)
    statements = {item["id"]: item for item in make_alignment()["statements"]}
    for section in paper.partnerships:
        for name in ("overview", "achievements", "challenges", "priorities"):
            for quote in section.quotes(name):
                original = statements[quote.statement]
                assert (original["source"], original["section"]) == (section.name, name)
                assert (quote.text, quote.page) == (original["text"], original["page"])
    lscp = paper.partnerships[0]
    # The one-word fragment under "Overview" is not a statement worth quoting.
    assert [quote.statement for quote in lscp.overview] == ["LSCP-1", "LSCP-2"]
    assert lscp.found["achievements"] == 8


def test_a_long_section_keeps_its_best_statements_in_reading_order(paper: BoardPaper) -> None:
    achievements = paper.partnerships[0].achievements
    assert len(achievements) == SECTION_LIMITS["achievements"] < len(LSCP_ACHIEVEMENTS)
    # The two least closely matched (scores 0.2 and 0.1) are left out; the rest keep their order.
    kept = [quote.text for quote in achievements]
    assert kept == [text for index, text in enumerate(LSCP_ACHIEVEMENTS) if index not in (2, 5)]


def test_evidence_is_quoted_before_better_scoring_statements() -> None:
    alignment = make_alignment()
    limit = SECTION_LIMITS["achievements"]
    # The weakest achievement becomes evidence for a shared theme: it must now be quoted.
    alignment["shared_themes"][0]["evidence"].append(
        {"source": "LSCP", "statement": "LSCP-9", "text": LSCP_ACHIEVEMENTS[5]}
    )
    achievements = board_paper_from_alignment(alignment).partnerships[0].achievements
    assert len(achievements) == limit
    assert LSCP_ACHIEVEMENTS[5] in [quote.text for quote in achievements]
    assert [quote.statement for quote in achievements] == sorted(
        (quote.statement or "" for quote in achievements), key=lambda id: int(id.split("-")[1])
    )


def test_shared_priorities_strongest_first_with_pages(paper: BoardPaper) -> None:
    assert [item.theme for item in paper.shared_priorities] == ["transitions", "prevention"]
    transitions = paper.shared_priorities[0]
    assert transitions.sources == ("LSCP", "LSAB", "HWS")
    assert [(quote.source, quote.page) for quote in transitions.evidence] == [
        ("LSCP", 5),
        ("LSAB", 4),
        ("HWS", 7),
    ]
    assert [area.label for area in paper.focus_areas] == ["Disproportionality and equity"]


def test_changes_made_by_hand_are_kept_with_labels(paper: BoardPaper) -> None:
    assert [(change.action, change.theme_label) for change in paper.changes] == [
        ("rejected", "housing"),  # a rejected theme has left the file, and its label with it
        ("edited", "Prevention and early identification"),
    ]
    assert paper.method.reviewed_by == "Priya Okonjo"
    assert paper.method.taxonomy_version == "2025.1"


def test_defaults_without_meta() -> None:
    paper = board_paper_from_alignment(make_alignment())
    assert paper.title == "LSCP and LSAB: annual reports and shared priorities"
    assert paper.date == datetime.date.today()
    assert paper.finance_comments == FINANCE_PLACEHOLDER
    assert paper.legal_comments == LEGAL_PLACEHOLDER
    assert paper.environmental_implications == ENVIRONMENT_PLACEHOLDER
    assert "Priya Okonjo reviewed them on 9 December 2025" in " ".join(paper.purpose)
    assert unfinished(paper)[0] == "the council's name"
    assert "finance comments" in unfinished(paper)


def test_an_unreviewed_analysis_says_so() -> None:
    alignment = make_alignment()
    del alignment["review"]
    paper = board_paper_from_alignment(alignment)
    assert "have not been reviewed yet" in " ".join(paper.purpose)
    appendix = layout(paper).sections[-1]
    first = appendix.blocks[0]
    assert isinstance(first, Paragraph)
    assert "not been reviewed yet" in first.content[0].text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data["sources"].pop(0) and data["sources"].pop(0), "names no partnership"),
        (lambda data: data["statements"][0].update(source="XYZ"), "'XYZ', which is not among"),
        (lambda data: data["statements"][1].update(page=0), "statements[1] has a page"),
        (lambda data: data["statements"][1].pop("text"), "statements[1] has no 'text'"),
        (lambda data: data["review"]["changes"][0].update(action="ignored"), "action 'ignored'"),
        (lambda data: data.update(generated_at="yesterday"), "generated_at is not a date"),
        (lambda data: data.update(statements={}), "'statements' that is not a list"),
        (lambda data: data["shared_themes"][0].update(sources=["LSCP", 4]), "not a list of names"),
    ],
)
def test_bad_alignment_is_refused_plainly(change: Any, message: str) -> None:
    alignment = make_alignment()
    change(alignment)
    with pytest.raises(BoardPaperProblem, match=re.escape(message)):
        board_paper_from_alignment(alignment)


def test_meta_from_yaml_and_json(tmp_path: Path) -> None:
    path = tmp_path / "meta.yaml"
    path.write_text(
        "title: Safeguarding annual reports\n"
        "date: 2025-12-17\n"
        "council: Larkhaven Council\n"
        "recommendations: That the Board note the report.\n"
        "contact:\n  name: Sam Aldous\n  email: sam.aldous@larkhaven.example\n"
        "source_names:\n  LSCP: Larkhaven Safeguarding Children Partnership\n",
        encoding="utf-8",
    )
    meta = load_meta(path)
    assert meta.date == datetime.date(2025, 12, 17)
    assert meta.recommendations == ("That the Board note the report.",)
    assert meta.contact.lines() == ["Sam Aldous", "sam.aldous@larkhaven.example"]
    assert meta.name_of("LSCP") == "Larkhaven Safeguarding Children Partnership"
    assert meta.name_of("LSAB") == "LSAB"
    as_json = tmp_path / "meta.json"
    as_json.write_text(json.dumps({"report_of": "Director of Public Health"}), encoding="utf-8")
    assert load_meta(as_json).report_of == "Director of Public Health"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("meta.yaml", "titel: Reports\n", "does not know: 'titel'"),
        ("meta.yaml", "date: next Tuesday\n", "'date' must be a date"),
        ("meta.yaml", "title: [unclosed\n", "not valid YAML"),
        ("meta.yaml", "- a list\n", "must hold named fields"),
        ("meta.yaml", "contact:\n  pager: 123\n", "does not know: 'pager'"),
        ("meta.json", "{'single': 'quotes'}", "not valid JSON"),
    ],
)
def test_bad_meta_is_refused_plainly(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BoardPaperProblem, match=message):
        load_meta(path)
    with pytest.raises(BoardPaperProblem, match="There is no meta file"):
        load_meta(tmp_path / "missing.yaml")
    assert meta_from_dict(None) == BoardPaperMeta()


def test_typed_bullets_become_a_real_list() -> None:
    parts = text_parts("It aims to:\n- share the reports\n- find the shared\n  priorities\n\nEnd.")
    assert parts[0].content[0].text == "It aims to:"
    assert [item[0].text for item in parts[0].items] == [
        "share the reports",
        "find the shared priorities",
    ]
    assert parts[1].content[0].text == "End."
    # A placeholder stands out wherever it is written.
    assert [
        span.kind for span in text_parts("Ask [Legal officer to complete] now.")[0].content
    ] == [
        "text",
        "placeholder",
        "text",
    ]


def test_the_layout_numbers_paragraphs_like_a_committee_paper(paper: BoardPaper) -> None:
    sections = layout(paper).sections
    numbered = [section for section in sections if section.number is not None]
    assert [section.number for section in numbered] == list(range(1, 9))
    assert [section.title for section in numbered[:4]] == [
        "Purpose of report",
        "Larkhaven Safeguarding Children Partnership",
        "Larkhaven Safeguarding Adults Board",
        "Shared priorities",
    ]
    for section in numbered:
        numbers = [
            block.number
            for block in section.blocks
            if isinstance(block, Paragraph) and block.number
        ]
        assert numbers == [f"{section.number}.{count}" for count in range(1, len(numbers) + 1)]
    assert [section.title for section in sections if section.number is None] == [
        "Appendix A: Sources read",
        "Appendix B: How the analysis was made",
        "Appendix C: Changes made by hand",
    ]


# DOCX ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def document(paper: BoardPaper) -> WordDocument:
    return docx.Document(io.BytesIO(render_board_paper(paper, "docx")))


def _num_id(paragraph: WordParagraph) -> tuple[int, int] | None:
    """The paragraph's own list number and level, or None when it is not in a list."""
    properties = paragraph._p.pPr
    if properties is None or properties.numPr is None:
        return None
    return properties.numPr.numId.val, properties.numPr.ilvl.val


def _level_formats(document: WordDocument, num_id: int) -> dict[int, tuple[str, str]]:
    """The list's levels as (number format, level text)."""
    numbering = document.part.numbering_part.element
    abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    for abstract in numbering.findall(qn("w:abstractNum")):
        if int(abstract.get(qn("w:abstractNumId"))) == abstract_id:
            return {
                int(level.get(qn("w:ilvl"))): (
                    level.find(qn("w:numFmt")).get(qn("w:val")),
                    level.find(qn("w:lvlText")).get(qn("w:val")),
                )
                for level in abstract.findall(qn("w:lvl"))
            }
    raise AssertionError(f"no list definition for {num_id}")


def test_docx_headings_in_order(document: WordDocument, paper: BoardPaper) -> None:
    headings = [
        (paragraph.style.name, paragraph.text)
        for paragraph in document.paragraphs
        if paragraph.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", paper.title)
    top = [text for style, text in headings if style == "Heading 1"]
    assert top == [section.title for section in layout(paper).sections]
    # The partnership's subheadings come in the seed paper's order, under its heading.
    start = headings.index(("Heading 1", "Larkhaven Safeguarding Children Partnership"))
    assert [text for _, text in headings[start + 1 : start + 5]] == [
        "Overview",
        "Achievements",
        "Challenges",
        "Priorities",
    ]
    assert {style for style, _ in headings[start + 1 : start + 5]} == {"Heading 2"}
    assert document.core_properties.title == paper.title
    assert document.core_properties.language == "en-GB"


def test_docx_numbers_sections_and_paragraphs_with_a_word_list(document: WordDocument) -> None:
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    numbered = [_num_id(p) for p in headings if _num_id(p) is not None]
    assert len(numbered) == 8 and {level for _, level in numbered} == {0}
    num_id = numbered[0][0]
    formats = _level_formats(document, num_id)
    assert formats[0] == ("decimal", "%1.")
    assert formats[1] == ("decimal", "%1.%2")
    assert formats[2][0] == "bullet"
    # Appendices are not numbered sections.
    assert all(_num_id(p) is None for p in headings if p.text.startswith("Appendix "))
    purpose = [
        p
        for p in document.paragraphs
        if _num_id(p) == (num_id, 1) and p.text.startswith("This paper presents")
    ]
    assert len(purpose) == 1


def test_docx_lists_are_real_word_lists(document: WordDocument, paper: BoardPaper) -> None:
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets
    for paragraph in bullets:
        found = _num_id(paragraph)
        assert found is not None, paragraph.text
        assert _level_formats(document, found[0])[found[1]][0] == "bullet"
    texts = [p.text for p in bullets]
    for quote in paper.partnerships[0].achievements:
        assert f"{quote.text} (page {quote.page})" in texts
    # No bullet or number is typed into the text.
    for paragraph in document.paragraphs:
        assert not paragraph.text.lstrip().startswith(("\u2022", "- ", "* ", "2.1"))


def test_docx_cover_is_a_table_with_header_cells(document: WordDocument, paper: BoardPaper) -> None:
    cover = document.tables[0]
    labels = [row.cells[0].text for row in cover.rows]
    assert labels == [*COVER_LABELS[:-1], "Recommendations"]
    for row in cover.rows:
        assert all(run.bold for run in row.cells[0].paragraphs[0].runs)
    look = cover._tbl.tblPr.find(qn("w:tblLook"))
    assert look.get(qn("w:firstColumn")) == "1" and look.get(qn("w:firstRow")) == "0"
    values = {row.cells[0].text: row.cells[1] for row in cover.rows}
    assert values["Report title"].text == paper.title
    assert values["Date"].text == "17 December 2025"
    assert values["Report of"].text == "Director of Public Health"
    assert [p.text for p in values["Contact officer"].paragraphs] == [
        "Sam Aldous",
        "Policy Officer",
        "sam.aldous@larkhaven.example",
    ]
    # Two recommendations are a numbered list of their own.
    recommendations = values["Recommendations"].paragraphs
    assert [p.style.name for p in recommendations] == ["List Number", "List Number"]
    assert all(_num_id(p) is not None for p in recommendations)
    summary = values["Summary of report"].paragraphs
    assert [p.style.name for p in summary].count("List Bullet") == 3


def test_docx_quotes_evidence_exactly(document: WordDocument) -> None:
    texts = [p.text for p in document.paragraphs]
    for text, where in (
        (TRANSITIONS_LSCP, "LSCP, page 5"),
        (TRANSITIONS_LSAB, "LSAB, page 4"),
        (TRANSITIONS_HWS, "HWS, page 7"),
        (PREVENTION_HWS, "HWS, page 8"),
    ):
        assert f"\u201c{text}\u201d ({where})" in texts


def test_docx_changes_appendix_and_placeholders(document: WordDocument) -> None:
    changes = document.tables[-1]
    assert [cell.text for cell in changes.rows[0].cells] == list(CHANGE_HEADINGS)
    rows = [[cell.text for cell in row.cells] for row in changes.rows[1:]]
    assert rows[0][:2] == ["Rejected", "housing"]
    assert rows[0][5] == "Housing is not a priority of the strategy this year."
    assert rows[1][:2] == ["Edited", "Prevention and early identification"]
    assert rows[1][3:5] == [
        "The sources emphasise prevention.",
        "The adults' board and the strategy both put prevention first.",
    ]
    texts = [p.text for p in document.paragraphs]
    for placeholder in (FINANCE_PLACEHOLDER, LEGAL_PLACEHOLDER, ENVIRONMENT_PLACEHOLDER):
        assert placeholder in texts
    finance = next(p for p in document.paragraphs if p.text == FINANCE_PLACEHOLDER)
    assert finance.runs[0].font.highlight_color is not None
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


# HTML ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html(paper: BoardPaper) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(render_board_paper(paper, "html"))


def test_html_is_one_accessible_document(html: lxml.html.HtmlElement, paper: BoardPaper) -> None:
    assert html.get("lang", "").startswith("en")
    assert [h1.text_content() for h1 in html.iter("h1")] == [paper.title]
    assert html.find(".//title").text == paper.title
    assert not list(html.iter("script"))
    for element in html.iter():
        assert not any(name.startswith("on") for name in element.attrib)


def test_html_cover_rows_are_a_table_with_row_headers(html: lxml.html.HtmlElement) -> None:
    cover = html.find_class("cover")[0]
    assert cover.tag == "table"
    headers = cover.xpath(".//tbody/tr/th")
    assert [th.text_content().strip() for th in headers] == [
        *COVER_LABELS[:-1],
        "Recommendations",
    ]
    assert {th.get("scope") for th in headers} == {"row"}
    assert cover.xpath(".//ol/li")  # the two recommendations, a numbered list


def test_html_sections_paragraph_numbers_and_lists(html: lxml.html.HtmlElement) -> None:
    headings = [h2.text_content() for h2 in html.iter("h2")]
    assert headings[:2] == [
        "1. Purpose of report",
        "2. Larkhaven Safeguarding Children Partnership",
    ]
    purpose = html.get_element_by_id("purpose")
    numbers = [span.text for span in purpose.find_class("paragraph-number")]
    assert numbers == ["1.1", "1.2", "1.3", "1.4"]
    shared = html.get_element_by_id("shared-priorities")
    quotes = [li.text_content() for li in shared.xpath(".//ul/li")]
    assert f"\u201c{TRANSITIONS_HWS}\u201d (HWS, page 7)" in quotes
    changes = html.get_element_by_id("appendix-c")
    assert [th.text_content() for th in changes.xpath(".//thead//th")] == list(CHANGE_HEADINGS)


def test_html_escapes_what_the_documents_say() -> None:
    alignment = make_alignment()
    alignment["statements"][0]["text"] = "<script>alert(1)</script> is written in the overview."
    paper = board_paper_from_alignment(alignment)
    page = lxml.html.document_fromstring(board_paper_html(paper))
    assert not list(page.iter("script"))
    assert "<script>alert(1)</script> is written" in page.text_content()
    fragment = board_paper_html(paper, standalone=False)
    assert "<html" not in fragment and "<h1" in fragment


# PDF -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reader(paper: BoardPaper) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(render_board_paper(paper, "pdf")))


def test_pdf_reads_as_the_paper(reader: pypdf.PdfReader, paper: BoardPaper) -> None:
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Larkhaven Safeguarding Children Partnership" in text
    assert "Larkhaven Safeguarding Adults Board" in text
    assert "Transitions and continuity of care" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert reader.metadata is not None and reader.metadata.title == paper.title


def test_pdf_is_tagged(reader: pypdf.PdfReader) -> None:
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data()
    assert catalog["/Lang"] == "en-GB"


def test_unknown_format_is_refused(paper: BoardPaper) -> None:
    with pytest.raises(ValueError, match="no board paper format 'odt'"):
        render_board_paper(paper, "odt")
    # The paper given is not changed by rendering it (frozen data, rendered twice alike).
    assert render_board_paper(paper, "html") == render_board_paper(copy.copy(paper), "html")
