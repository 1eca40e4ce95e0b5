"""The annual report as an editable Word document (DOCX), built with python-docx.

Real Word structure, so that the document stays accessible once a partnership edits it: the
built-in heading, list, caption and table styles; tables whose header row repeats on each
page; numbered captions (SEQ fields); a table of contents and page numbers as fields Word
fills in when the document is opened; every chart a picture with alt text, followed by its
data table. Sections come in the same order as the HTML report.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from safeguarding.dashboards import render
from safeguarding.dashboards.charts import Chart, DataTable
from safeguarding.dashboards.labels import period_label
from safeguarding.reports.annual import (
    AnnualReport,
    Evidence,
    PriorityReport,
    Recommendation,
    Review,
)

LANGUAGE = "en-GB"
NOTHING_RECORDED = "Nothing recorded for the year."
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
TOC_PLACEHOLDER = (
    "Word fills in the contents when the document is opened. If it does not, right-click here "
    "and choose Update field."
)
MEMBER_HEADINGS = ("Agency", "Type", "Representative", "What it did in the year")
ACTION_HEADINGS = ("Action", "Owner", "Due", "Status", "Rating", "Latest update")
RECOMMENDATION_HEADINGS = (
    "Number",
    "Recommendation",
    "Owner",
    "Accepted",
    "Status",
    "What was done",
    "Reason not accepted or not implemented",
)
REVIEW_HEADINGS = ("Review", "Type", "Referred", "Decided", "Published", "Themes", "Status")
CHECKLIST_HEADINGS = ("Element", "Source in law", "Met", "Gaps")

# XML 1.0 allows tab, line feed and carriage return but no other control character, nor
# surrogates or the two non-characters; one stray character would make the file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
# Elements that follow w:updateFields in w:settings; Word rejects settings out of order.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def clean(text: str) -> str:
    """Text that XML 1.0 can hold: control characters removed, line endings made ``\\n``."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def paragraphs_of(text: str) -> list[str]:
    """Plain text split into paragraphs at blank lines, empty ones dropped."""
    return [part.strip() for part in _BLANK_LINE.split(clean(text)) if part.strip()]


def date_text(day: datetime.date | None) -> str:
    """A date as GOV.UK writes it ("1 April 2025"), or empty."""
    return period_label(day.isoformat()) if day else ""


def next_period(period: str) -> str:
    """The reporting year after ``period`` ("2025-26" gives "2026-27")."""
    found = _FINANCIAL_YEAR.match(period)
    if not found:
        return "next year"
    start = int(found.group(1)) + 1
    return f"{start}-{(start + 1) % 100:02d}"


class _Writer:
    """Adds the report's parts to one Word document, numbering figures and tables."""

    def __init__(self, report: AnnualReport) -> None:
        self.report = report
        self.document: WordDocument = Document()
        self.figures = 0
        self.tables = 0
        self._set_up()

    # The document as a whole ----------------------------------------------------------------

    def _set_up(self) -> None:
        document = self.document
        section = document.sections[0]
        # python-docx's template is US Letter; reports in England are printed on A4.
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(25))
        normal = document.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(12)
        self._set_language()
        properties = document.core_properties
        properties.title = clean(self.report.title)
        properties.author = clean(self.report.partnership)
        properties.language = LANGUAGE
        properties.subject = f"Annual report {clean(self.report.period)}"
        properties.keywords = "safeguarding; annual report"
        properties.comments = ""
        properties.last_modified_by = clean(self.report.partnership)
        # The template's own dates (2013) and thumbnail (another document) would mislead.
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
        properties.created = properties.modified = now
        package_relationships = document.part.package.rels
        for key, relationship in list(package_relationships.items()):
            if relationship.reltype == RT.THUMBNAIL:
                del package_relationships[key]
        self._page_numbers()
        self._update_fields_on_open()

    def _set_language(self) -> None:
        """Spell-check and read aloud in British English (the document default and theme)."""
        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles.insert(0, defaults)
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is None:
            run_defaults = OxmlElement("w:rPrDefault")
            defaults.insert(0, run_defaults)
        run_properties = run_defaults.find(qn("w:rPr"))
        if run_properties is None:
            run_properties = OxmlElement("w:rPr")
            run_defaults.append(run_properties)
        language = run_properties.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            run_properties.append(language)
        language.set(qn("w:val"), LANGUAGE)
        settings = self.document.settings.element
        theme_language = settings.find(qn("w:themeFontLang"))
        if theme_language is not None:
            theme_language.set(qn("w:val"), LANGUAGE)
        # The template claims to be spell-checked already; without the claim Word checks it.
        for proof_state in settings.findall(qn("w:proofState")):
            settings.remove(proof_state)

    def _update_fields_on_open(self) -> None:
        """Ask Word to fill in the contents and captions when the document is opened."""
        settings = self.document.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        for child in settings:
            if child.tag in {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS}:
                child.addprevious(update)
                return
        settings.append(update)

    def _page_numbers(self) -> None:
        footer = self.document.sections[0].footer
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Page ")
        add_field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        add_field(paragraph, "NUMPAGES", "1")

    def _space_after_tables(self) -> None:
        """Space between each table and what follows it (headings have their own)."""
        for table in self.document.element.body.iterchildren(qn("w:tbl")):
            following = table.getnext()
            if following is None or following.tag != qn("w:p"):
                continue
            paragraph = Paragraph(following, self.document._body)
            if not paragraph.style.name.startswith("Heading"):
                paragraph.paragraph_format.space_before = Pt(12)

    @property
    def text_width(self) -> int:
        section = self.document.sections[0]
        return int(section.page_width - section.left_margin - section.right_margin)

    # Building blocks --------------------------------------------------------------------------

    def heading(self, text: str, level: int) -> Paragraph:
        return self.document.add_heading(clean(text), level)

    def text(self, text: str, style: str | None = None) -> list[Paragraph]:
        """Plain text as paragraphs, one per block between blank lines."""
        return [self.document.add_paragraph(part, style) for part in paragraphs_of(text)]

    def labelled(self, label: str, text: str) -> Paragraph | None:
        """A short fact with a bold label ("Owner: ..."), or nothing when the fact is empty."""
        value = clean(text).strip()
        if not value:
            return None
        paragraph = self.document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
        return paragraph

    def items(self, texts: Iterable[str], *, numbered: bool = False) -> list[Paragraph]:
        style = "List Number" if numbered else "List Bullet"
        return [
            self.document.add_paragraph(clean(text).strip(), style)
            for text in texts
            if clean(text).strip()
        ]

    def caption(self, kind: str, text: str) -> Paragraph:
        """A numbered caption ("Table 3: ...") whose number is a SEQ field Word keeps up."""
        if kind == "Figure":
            self.figures += 1
            number = self.figures
        else:
            self.tables += 1
            number = self.tables
        paragraph = self.document.add_paragraph(style="Caption")
        paragraph.add_run(f"{kind} ")
        add_field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
        paragraph.add_run(f": {clean(text).strip()}")
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def table(
        self,
        caption: str,
        headings: Sequence[str],
        rows: Iterable[Sequence[str | Sequence[str]]],
        numeric: Sequence[bool] = (),
    ) -> Table:
        """A captioned table whose header row repeats on each page.

        A cell given as a sequence of strings gets one paragraph per string.
        """
        self.caption("Table", caption)
        table = self.document.add_table(rows=1, cols=len(headings))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        describe_table(table, caption)
        header = table.rows[0]
        mark_header_row(header._tr)
        for cell, heading in zip(header.cells, headings, strict=True):
            cell.paragraphs[0].add_run(clean(heading)).bold = True
        right = tuple(numeric) + (False,) * (len(headings) - len(numeric))
        for values in rows:
            cells = table.add_row().cells
            for cell, value, is_number in zip(cells, values, right, strict=True):
                fill_cell(cell, value)
                if is_number:
                    for paragraph in cell.paragraphs:
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for cell, is_number in zip(header.cells, right, strict=True):
            if is_number:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return table

    def chart(self, chart: Chart) -> None:
        """The chart as a picture with alt text, then its data table."""
        self.caption("Figure", chart.title)
        picture = self.document.add_paragraph()
        picture.paragraph_format.keep_with_next = True
        shape = picture.add_run().add_picture(
            io.BytesIO(render.png(chart.spec, scale=2)), width=self.text_width
        )
        doc_properties = shape._inline.docPr
        doc_properties.set("descr", clean(chart.description))
        doc_properties.set("name", clean(chart.title)[:200] or "Chart")
        self.data_table(chart.table)

    def data_table(self, data: DataTable) -> None:
        self.table(data.caption, data.headings, data.rows, data.numeric)

    # The report's sections, in the order of the HTML report ----------------------------------

    def write(self, checklist: Sequence[Any] | None) -> bytes:
        self.title()
        self.contents()
        self.foreword()
        self.about()
        self.priorities()
        self.achievements()
        self.challenges()
        self.reviews()
        self.audits()
        self.lived_experience()
        self.training()
        self.next_priorities()
        self.recipients()
        self.appendix_reviews()
        if checklist is not None:
            self.appendix_checklist(checklist)
        self._space_after_tables()
        output = io.BytesIO()
        self.document.save(output)
        return output.getvalue()

    def title(self) -> None:
        report = self.report
        self.document.add_heading(clean(report.title), 0)
        self.document.add_paragraph(
            f"Reporting year: {date_text(report.period_start)} to {date_text(report.period_end)}"
        )
        if report.version_note:
            self.text(report.version_note)
        if report.figures_note:
            self.text(report.figures_note)

    def contents(self) -> None:
        # "TOC Heading" looks like a heading but is left out of the contents it introduces.
        self.document.add_paragraph("Contents", "TOC Heading")
        paragraph = self.document.add_paragraph()
        add_field(paragraph, TOC_INSTRUCTION, TOC_PLACEHOLDER)

    def foreword(self) -> None:
        self.heading("Foreword", 1)
        if not self.text(self.report.foreword):
            self.document.add_paragraph("There is no foreword this year.")
        elif self.report.chair:
            self.document.add_paragraph(clean(self.report.chair))

    def about(self) -> None:
        report = self.report
        self.heading("About the partnership", 1)
        self.text(report.governance)
        self.labelled("Chair", report.chair)
        self.heading("Subgroups", 2)
        if report.subgroups:
            for subgroup in report.subgroups:
                item = self.document.add_paragraph(style="List Bullet")
                item.add_run(clean(subgroup.name)).bold = True
                details = [clean(subgroup.remit).strip()]
                if subgroup.chair.strip():
                    details.append(f"Chaired by {clean(subgroup.chair).strip()}.")
                if any(details):
                    item.add_run(": " + " ".join(part for part in details if part))
        else:
            self.document.add_paragraph("The partnership had no subgroups in the year.")
        self.heading("Members and what they did", 2)
        if report.members:
            self.table(
                f"Member agencies and what each did in {report.period} to implement the strategy",
                MEMBER_HEADINGS,
                (
                    (
                        member.agency,
                        member.kind,
                        member.representative,
                        member.contribution.strip() or NOTHING_RECORDED,
                    )
                    for member in report.members
                ),
            )
        else:
            self.document.add_paragraph("No member agencies are recorded.")

    def priorities(self) -> None:
        report = self.report
        self.heading(f"Our priorities in {report.period}", 1)
        if not report.priorities:
            self.document.add_paragraph(f"No priorities are recorded for {report.period}.")
        for priority in report.priorities:
            self.priority(priority)

    def priority(self, priority: PriorityReport) -> None:
        self.heading(priority.title, 2)
        self.text(priority.description)
        if priority.success_measures.strip():
            self.heading("How we will know it has worked", 3)
            self.text(priority.success_measures)
        self.heading("Progress in the year", 3)
        shown = self.labelled("Outcome of the year's review", priority.outcome)
        if self.text(priority.review_summary) == [] and shown is None:
            self.document.add_paragraph("The priority's progress has not been reviewed yet.")
        self.heading("Actions", 3)
        if priority.actions:
            self.table(
                f"Actions for {priority.title}",
                ACTION_HEADINGS,
                (
                    (
                        action.title,
                        action.owner,
                        date_text(action.due),
                        action.status,
                        action.rag,
                        paragraphs_of(action.latest_update),
                    )
                    for action in priority.actions
                ),
            )
        else:
            self.document.add_paragraph("No actions are recorded for this priority.")
        for evidence in priority.evidence:
            self.evidence(evidence)

    def evidence(self, evidence: Evidence) -> None:
        self.heading(evidence.title, 3)
        if evidence.statement:
            self.text(evidence.statement)
        else:
            self.document.add_paragraph("There is no published figure for this year.")
        if evidence.chart is not None:
            self.chart(evidence.chart)
        self.labelled("Why this matters", evidence.why)

    def achievements(self) -> None:
        self.heading("What we achieved", 1)
        if not self.report.achievements:
            self.document.add_paragraph("No achievements are recorded for the year.")
        for achievement in self.report.achievements:
            self.heading(achievement.title, 2)
            self.text(achievement.description)
            self.labelled("Impact", achievement.impact)
            self.labelled("Priority", achievement.priority)

    def challenges(self) -> None:
        self.heading("Challenges and what we are doing about them", 1)
        if not self.report.challenges:
            self.document.add_paragraph("No challenges are recorded for the year.")
        for challenge in self.report.challenges:
            self.heading(challenge.title, 2)
            self.text(challenge.description)
            self.labelled("What we are doing", challenge.response)
            self.labelled("Priority", challenge.priority)

    def reviews(self) -> None:
        report = self.report
        self.heading("Learning from reviews", 1)
        if not report.reviews:
            self.document.add_paragraph(
                f"No {reviews_name(report)} were concluded or in progress in "
                f"{report.period}, and no earlier review has recommendations still to report on."
            )
            return
        concluded = [review for review in report.reviews if review.concluded_in_year]
        self.heading(f"Reviews concluded in {report.period}", 2)
        if not concluded:
            self.document.add_paragraph(f"No reviews were concluded in {report.period}.")
        for review in concluded:
            self.review(review, concluded=True)
        in_progress = [review for review in report.reviews if review.in_progress]
        self.heading("Reviews in progress", 2)
        if not in_progress:
            self.document.add_paragraph(
                f"No reviews were in progress at {date_text(report.period_end)}."
            )
        for review in in_progress:
            self.review(review, concluded=False)
        self.heading("Recommendations and what was done about them", 2)
        with_recommendations = [review for review in report.reviews if review.recommendations]
        if not with_recommendations:
            self.document.add_paragraph("No review recommendations are recorded.")
        for review in with_recommendations:
            self.heading(f"Recommendations of {clean(review.name)}", 3)
            self.table(
                f"Recommendations of {review_name(review)}, and what was done",
                RECOMMENDATION_HEADINGS,
                (recommendation_row(item) for item in review.recommendations),
                (True,),
            )

    def review(self, review: Review, *, concluded: bool) -> None:
        self.heading(review_name(review), 3)
        facts = [review.kind, f"referred {date_text(review.referral_date)}"]
        if review.decision_date:
            facts.append(f"decided {date_text(review.decision_date)}")
        if review.publication_date:
            facts.append(f"published {date_text(review.publication_date)}")
        self.document.add_paragraph(clean("; ".join(facts)) + ".")
        self.text(review.summary)
        if review.themes:
            self.labelled("Themes", ", ".join(review.themes))
        if concluded:
            self.heading("What the review found", 4)
            if not self.text(review.findings):
                self.document.add_paragraph("No findings are recorded for this review.")

    def audits(self) -> None:
        self.heading("Audits", 1)
        if not self.report.audits:
            self.document.add_paragraph(f"No audits are recorded for {self.report.period}.")
        for audit in self.report.audits:
            self.heading(audit.topic, 2)
            self.labelled("Status", audit.status)
            if audit.cases_audited is not None:
                self.labelled("Cases audited", str(audit.cases_audited))
            self.labelled("Agencies", ", ".join(audit.agencies))
            self.labelled("What we found", audit.findings)
            self.labelled("What we are doing", audit.actions)

    def lived_experience(self) -> None:
        self.heading("What people told us and what changed", 1)
        if not self.report.feedback:
            self.document.add_paragraph(
                f"No feedback from people with lived experience is recorded for "
                f"{self.report.period}."
            )
        for feedback in self.report.feedback:
            self.heading(feedback.summary, 2)
            self.labelled("Source", f"{feedback.source}, {date_text(feedback.date)}")
            self.labelled("What people said", feedback.what_was_said)
            self.labelled("What changed", feedback.what_changed or "No change is recorded yet.")

    def training(self) -> None:
        self.heading("Training and learning", 1)
        if not self.items(self.report.training):
            self.document.add_paragraph("No training is recorded for the year.")

    def next_priorities(self) -> None:
        self.heading(f"Our priorities for {next_period(self.report.period)}", 1)
        if not self.report.next_priorities:
            self.document.add_paragraph("Next year's priorities are not recorded yet.")
        for priority in self.report.next_priorities:
            item = self.document.add_paragraph(style="List Number")
            item.add_run(clean(priority.title).strip()).bold = True
            if priority.description.strip():
                item.add_run(f": {clean(priority.description).strip()}")

    def recipients(self) -> None:
        self.heading("Who this report goes to", 1)
        if self.report.recipients:
            self.document.add_paragraph("The partnership sends this report to:")
            self.items(self.report.recipients)
        else:
            self.document.add_paragraph("No recipients are recorded.")

    def appendix_reviews(self) -> None:
        name = reviews_name(self.report)
        self.heading(f"Appendix: {name[0].upper()}{name[1:]} summary table", 1)
        if not self.report.reviews:
            self.document.add_paragraph(f"There are no {reviews_name(self.report)} to list.")
            return
        self.table(
            f"Learning reviews reported on in {self.report.period}",
            REVIEW_HEADINGS,
            (
                (
                    review_name(review),
                    review.kind,
                    date_text(review.referral_date),
                    date_text(review.decision_date),
                    date_text(review.publication_date),
                    ", ".join(review.themes),
                    review.status_label,
                )
                for review in self.report.reviews
            ),
        )

    def appendix_checklist(self, checklist: Sequence[Any]) -> None:
        self.heading("Appendix: checking the report against the law", 1)
        if not checklist:
            self.document.add_paragraph("The checklist has no items.")
            return
        gaps = sum(len(item.gaps) for item in checklist)
        self.document.add_paragraph(
            "The check found no gaps."
            if gaps == 0
            else f"The check found {gaps} gap{'s' if gaps != 1 else ''}."
        )
        self.table(
            "Each element the report is checked against, its source and any gaps",
            CHECKLIST_HEADINGS,
            (
                (
                    str(item.element),
                    str(item.law),
                    "Yes" if item.met else "No",
                    list(item.gaps) or ["None"],
                )
                for item in checklist
            ),
        )


# Word XML helpers -----------------------------------------------------------------------------


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A complex field (PAGE, TOC, SEQ...) with ``shown`` as its result until Word updates it."""

    def character(kind: str) -> None:
        run = paragraph.add_run()
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            mark.set(qn("w:dirty"), "true")
        run._r.append(mark)

    character("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    character("separate")
    paragraph.add_run(shown)
    character("end")


def mark_header_row(row: CT_Row) -> None:
    """Repeat the row at the top of each page, and tell screen readers it holds headings."""
    properties = row.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def describe_table(table: Table, caption: str) -> None:
    """The table's own title (Word's table alt text), kept after w:tblLook as the schema asks."""
    properties = table._tbl.tblPr
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), clean(caption)[:250])
    properties.append(title)


def fill_cell(cell: _Cell, value: str | Sequence[str]) -> None:
    texts = [value] if isinstance(value, str) else list(value)
    first, *rest = [clean(text).strip() for text in texts] or [""]
    cell.paragraphs[0].add_run(first)
    for text in rest:
        cell.add_paragraph(text)


# Rows -----------------------------------------------------------------------------------------


def reviews_name(report: AnnualReport) -> str:
    """What the partnership's reviews are called: the Care Act's name for a board's."""
    return "Safeguarding Adults Reviews" if report.is_adults_board else "learning reviews"


def review_name(review: Review) -> str:
    return f"{review.name}: {review.title}" if review.title.strip() else review.name


def recommendation_row(item: Recommendation) -> tuple[str | list[str], ...]:
    done = [part for part in (item.actions.strip(), item.evidence.strip()) if part]
    refused = not item.accepted or item.status == "not_implemented"
    reason = item.reason_not_accepted.strip() or ("No reason recorded." if refused else "")
    return (
        str(item.number),
        item.text,
        item.owner,
        "Yes" if item.accepted else "No",
        item.status_label or item.status.replace("_", " ").capitalize(),
        done or ["Nothing recorded yet."],
        reason,
    )


def report_docx(report: AnnualReport, *, checklist: Sequence[Any] | None = None) -> bytes:
    """The report as a DOCX file; with ``checklist``, an appendix of the legal checklist."""
    return _Writer(report).write(checklist)
