"""The annual report as HTML: its structure, its charts and tables, and escaping."""

from __future__ import annotations

import dataclasses
import datetime
import itertools

import pytest
from lxml import html as lxml_html

from safeguarding.reports import annual
from safeguarding.reports.html import css_string, long_date, paragraphs, report_html, sections
from safeguarding.reports.sample import sample_report

SVG = "{http://www.w3.org/2000/svg}svg"
EXPECTED_SECTIONS = [
    "Contents",
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
class Check:
    """Stands in for a legal checklist item: only its attributes matter."""

    element: str
    law: str
    met: bool
    gaps: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def report() -> annual.AnnualReport:
    return sample_report(priorities=2)


@pytest.fixture(scope="module")
def page(report: annual.AnnualReport) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(report_html(report))


def text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_document_is_english_with_one_h1_and_its_title(
    page: lxml_html.HtmlElement, report: annual.AnnualReport
) -> None:
    assert page.get("lang") == "en-GB"
    assert [text(h1) for h1 in page.iter("h1")] == [report.title]
    assert text(page.find("head/title")) == report.title


def test_landmarks(page: lxml_html.HtmlElement) -> None:
    body = page.find("body")
    assert [child.tag for child in body] == ["header", "main", "footer"]
    nav = page.find(".//main//nav")
    assert nav is not None
    assert text(page.get_element_by_id(nav.get("aria-labelledby"))) == "Contents"


def test_sections_in_order(page: lxml_html.HtmlElement) -> None:
    assert [text(h2) for h2 in page.iter("h2")] == EXPECTED_SECTIONS


def test_contents_links_every_section_and_priority(page: lxml_html.HtmlElement) -> None:
    links = page.findall(".//nav//a")
    targets = [link.get("href") for link in links]
    assert all(target.startswith("#") for target in targets)
    for target in targets:
        assert page.get_element_by_id(target[1:]) is not None
    assert "#priority-2" in targets
    assert text(links[0]) == "Foreword"


def test_one_h3_per_priority(page: lxml_html.HtmlElement, report: annual.AnnualReport) -> None:
    section = page.get_element_by_id("priorities")
    assert [text(h3) for h3 in section.iter("h3")] == [p.title for p in report.priorities]


def test_headings_never_skip_a_level(page: lxml_html.HtmlElement) -> None:
    levels = [int(element.tag[1]) for element in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1
    assert all(after - before <= 1 for before, after in itertools.pairwise(levels))


def test_every_chart_is_an_image_with_visible_description_then_its_table(
    page: lxml_html.HtmlElement, report: annual.AnnualReport
) -> None:
    drawings = list(page.iter(SVG)) or list(page.iter("svg"))
    expected = sum(1 for p in report.priorities for e in p.evidence if e.chart is not None)
    assert len(drawings) == expected == 4
    for drawing in drawings:
        assert drawing.get("role") == "img"
        description = page.get_element_by_id(drawing.get("aria-describedby"))
        assert description.getparent().tag == "figcaption"
        assert len(text(description)) > 20
        figure = description.getparent().getparent()
        assert figure.tag == "figure"
        table = figure.getnext()
        assert table is not None and table.tag == "table"
        assert text(table.find("caption"))


def test_chart_tables_hold_the_chart_data(
    page: lxml_html.HtmlElement, report: annual.AnnualReport
) -> None:
    chart = report.priorities[0].evidence[0].chart
    assert chart is not None
    table = page.find(".//div[@class='chart']/table")
    assert text(table.find("caption")) == chart.table.caption
    assert [text(th) for th in table.findall("thead/tr/th")] == list(chart.table.headings)
    first_row = [text(cell) for cell in table.find("tbody/tr")]
    assert first_row == list(chart.table.rows[0])


def test_ids_are_unique_even_when_a_chart_repeats(page: lxml_html.HtmlElement) -> None:
    ids = [element.get("id") for element in page.iter() if element.get("id")]
    assert len(ids) == len(set(ids))


def test_every_table_has_a_caption_and_scoped_headers(page: lxml_html.HtmlElement) -> None:
    tables = list(page.iter("table"))
    assert len(tables) >= 10
    for table in tables:
        assert table[0].tag == "caption" and text(table[0])
        for header in table.iter("th"):
            assert header.get("scope") in ("col", "row")


def test_lists_are_lists(page: lxml_html.HtmlElement, report: annual.AnnualReport) -> None:
    training = page.get_element_by_id("training")
    assert [text(li) for li in training.findall(".//ul/li")] == list(report.training)
    recipients = page.get_element_by_id("recipients")
    assert len(recipients.findall(".//ul/li")) == len(report.recipients)


def test_user_text_is_escaped(report: annual.AnnualReport) -> None:
    hostile = dataclasses.replace(
        report,
        foreword='<script>alert("x")</script>\n\nSecond <b>paragraph</b>.',
        partnership="Larkhaven & Vale </style><script>",
    )
    made = report_html(hostile)
    assert "<script" not in made
    assert "&lt;script&gt;alert(" in made
    page = lxml_html.document_fromstring(made)
    foreword = [text(p) for p in page.get_element_by_id("foreword").findall("p")]
    assert foreword[:2] == ['<script>alert("x")</script>', "Second <b>paragraph</b>."]
    # The running header's title is a CSS string: nothing in it can close the style element.
    assert made.count("</style>") == 1


def test_reviews_concluded_in_progress_and_reasons(
    page: lxml_html.HtmlElement, report: annual.AnnualReport
) -> None:
    reviews = page.get_element_by_id("reviews")
    titles = [text(h) for h in reviews.iter("h3")]
    assert titles == [
        "Reviews concluded in 2025-26",
        "Reviews in progress",
        "Recommendations not accepted or not implemented",
    ]
    concluded = [r for r in report.reviews if r.concluded_in_year]
    assert text(reviews).count("Agencies closed the case when help was refused.") == len(concluded)
    reasons = reviews.find(".//table[@class='govuk-table not-implemented']")
    assert len(reasons.findall("tbody/tr")) == len(report.reviews)
    assert "Covered by the national training programme." in text(reasons)


def test_a_missing_reason_is_said(report: annual.AnnualReport) -> None:
    review = report.reviews[0]
    bare = dataclasses.replace(review.recommendations[1], reason_not_accepted="", accepted=True)
    changed = dataclasses.replace(
        report,
        reviews=(dataclasses.replace(review, recommendations=(bare,)),),
    )
    page = lxml_html.document_fromstring(report_html(changed))
    reasons = page.find(".//table[@class='govuk-table not-implemented']")
    assert "No reason is recorded." in text(reasons)
    assert "Not implemented" in text(reasons)


def test_appendix_table_of_reviews(
    page: lxml_html.HtmlElement, report: annual.AnnualReport
) -> None:
    appendix = page.get_element_by_id("appendix-reviews")
    table = appendix.find(".//table")
    assert [text(th) for th in table.findall("thead/tr/th")] == [
        "Review",
        "Type",
        "Referred",
        "Published",
        "Themes",
        "Status",
        "Recommendations",
    ]
    rows = table.findall("tbody/tr")
    assert len(rows) == len(report.reviews)
    first = report.reviews[0]
    cells = [text(cell) for cell in rows[0]]
    assert cells[0] == f"{first.name}: {first.title}"
    assert cells[2] == "10 April 2025"
    assert cells[4] == "Self-neglect, Mental capacity"
    assert cells[6] == "2 (1 implemented)"


def test_checklist_appendix_only_when_given(report: annual.AnnualReport) -> None:
    checks = [
        Check(
            "Findings of reviews concluded in the year", "Care Act 2014, Sch 2 para 4(1)(c)", True
        ),
        Check(
            "What each member did",
            "Care Act 2014, Sch 2 para 4(1)(b)",
            False,
            ("No member agency has recorded its contribution to the strategy",),
        ),
    ]
    page = lxml_html.document_fromstring(report_html(report, checklist=checks))
    headings = [text(h2) for h2 in page.iter("h2")]
    assert headings[-1] == "Appendix: checking the report against the law"
    rows = page.get_element_by_id("appendix-checklist").findall(".//tbody/tr")
    assert [text(row[2]) for row in rows] == ["Met", "Gaps found"]
    assert [text(li) for li in rows[1].iter("li")] == [
        "No member agency has recorded its contribution to the strategy"
    ]
    assert "#appendix-checklist" in [a.get("href") for a in page.findall(".//nav//a")]
    without = lxml_html.document_fromstring(report_html(report))
    assert "appendix-checklist" not in {e.get("id") for e in without.iter()}


def test_empty_sections_say_so(report: annual.AnnualReport) -> None:
    empty = dataclasses.replace(report, priorities=(), audits=(), feedback=(), foreword="")
    page = lxml_html.document_fromstring(report_html(empty))
    assert "No priorities are recorded for 2025-26." in text(page.get_element_by_id("priorities"))
    assert "No foreword has been written." in text(page.get_element_by_id("foreword"))
    assert [text(h2) for h2 in page.iter("h2")] == EXPECTED_SECTIONS


def test_embedded_content_has_no_document_or_main(report: annual.AnnualReport) -> None:
    made = report_html(report, standalone=False)
    assert made.lstrip().startswith('<div class="annual-report"')
    for absent in ("<html", "<body", "<main", "<style", "<header"):
        assert absent not in made
    fragment = lxml_html.fragment_fromstring(made)
    assert len(list(fragment.iter("h1"))) == 1


def test_chart_images_for_printing(report: annual.AnnualReport) -> None:
    page = lxml_html.document_fromstring(report_html(report, chart_images=True))
    assert not list(page.iter(SVG)) and not list(page.iter("svg"))
    images = page.findall(".//div[@class='chart-picture']/img")
    assert len(images) == 4
    chart = report.priorities[0].evidence[0].chart
    assert chart is not None
    assert images[0].get("alt") == chart.title
    assert images[0].get("src").startswith("data:image/svg+xml;base64,")
    assert page.get_element_by_id(images[0].get("aria-describedby")) is not None


def test_sections_list_adds_the_checklist(report: annual.AnnualReport) -> None:
    assert sections(report, checklist=False)[-1].id == "appendix-reviews"
    assert sections(report, checklist=True)[-1].id == "appendix-checklist"
    children = dataclasses.replace(report, kind="children")
    assert sections(children, checklist=False)[-1].title == (
        "Appendix: Learning reviews summary table"
    )


def test_words() -> None:
    assert long_date(datetime.date(2025, 4, 1)) == "1 April 2025"
    assert long_date(None) == ""
    assert paragraphs("One\nline.\n\n  \n\nTwo.") == ["One line.", "Two."]
    assert paragraphs("") == []
    assert css_string('A "b" </style>') == '"A \\000022b\\000022 \\00003c\\00002fstyle\\00003e"'
