"""The board paper laid out as a committee paper: the cover table's rows, then numbered sections
of numbered paragraphs ("2.3"), subheadings, bulleted lists and tables.

The HTML and DOCX writers both walk this one layout, so the two say the same thing in the same
order with the same numbers. Every word about a partnership comes from its report; the words
here only introduce what is quoted.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from safeguarding.reports.hwb import (
    BACKGROUND_PLACEHOLDER,
    BoardPaper,
    FocusArea,
    HandChange,
    PartnershipSection,
    Quote,
    SectionName,
    SharedPriority,
)

SpanKind = Literal["text", "strong", "page", "placeholder", "quote"]
SECTION_TITLES: dict[SectionName, str] = {
    "overview": "Overview",
    "achievements": "Achievements",
    "challenges": "Challenges",
    "priorities": "Priorities",
}
SOURCES_HEADINGS = ("Short name", "Document", "Kind", "File", "Statements found")
THEME_HEADINGS = ("Theme", "Found as", "Sources", "Strength")
CHANGE_HEADINGS = ("Change", "Theme", "Statement", "Before", "After", "Note")
APPENDIX_TITLES = ("Sources read", "How the analysis was made", "Changes made by hand")
ROLE_ORDER = ("overview", "achievements", "challenges", "priorities", "recommendations", "other")

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A typed bullet at the start of a line of plain text: made into a real list item.
_TYPED_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\uf0b7])\s+")
_PLACEHOLDER = re.compile(r"\[[^\[\]]+\]")


@dataclass(frozen=True)
class Span:
    """A run of text and what it is: plain, bold, a page reference, a quote, a placeholder."""

    text: str
    kind: SpanKind = "text"


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (numbered when ``number`` is set), perhaps followed by a list."""

    content: Inline
    number: str | None = None
    items: tuple[Inline, ...] = ()
    ordered: bool = False  # the items are a numbered list, not bullets
    note: bool = False  # says that something is missing, rather than what a source says


@dataclass(frozen=True)
class Subheading:
    text: str


@dataclass(frozen=True)
class TableBlock:
    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Subheading | TableBlock


@dataclass(frozen=True)
class PaperSection:
    """A top-level section: numbered ("2.") in the body, lettered as an appendix."""

    id: str
    title: str
    number: int | None
    blocks: tuple[Block, ...]

    @property
    def heading(self) -> str:
        """The heading as printed, number and all."""
        return f"{self.number}. {self.title}" if self.number is not None else self.title


@dataclass(frozen=True)
class CoverRow:
    label: str
    parts: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Layout:
    title: str
    cover: tuple[CoverRow, ...]
    sections: tuple[PaperSection, ...]


# Text ------------------------------------------------------------------------------------------


def spans(text: str, kind: SpanKind = "text") -> Inline:
    """Text as spans, with any "[... to complete]" placeholder marked so it stands out."""
    found: list[Span] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > position:
            found.append(Span(text[position : match.start()], kind))
        found.append(Span(match.group(), "placeholder"))
        position = match.end()
    if position < len(text):
        found.append(Span(text[position:], kind))
    return tuple(found)


def text_parts(text: str) -> list[Paragraph]:
    """Plain text as paragraphs (between blank lines); lines typed as bullets become a list."""
    parts: list[Paragraph] = []
    for block in _BLANK_LINE.split(text.replace("\r\n", "\n").strip()):
        lead: list[str] = []
        items: list[str] = []
        for line in block.split("\n"):
            bullet = _TYPED_BULLET.match(line)
            if bullet:
                items.append(line[bullet.end() :].strip())
            elif items and line.strip():  # a bullet's text running on to the next line
                items[-1] = f"{items[-1]} {line.strip()}"
            elif line.strip():
                lead.append(line.strip())
        if lead or items:
            parts.append(
                Paragraph(
                    spans(" ".join(lead)) if lead else (),
                    items=tuple(spans(item) for item in items if item),
                )
            )
    return parts


def long_date(day: datetime.date | None) -> str:
    """A date as GOV.UK writes it: "17 December 2025"."""
    return f"{day.day} {day:%B %Y}" if day else ""


def join_names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def page_ref(quote: Quote, *, with_source: bool) -> Span | None:
    """Where a quote is from: " (page 4)" or " (SAPB, page 4)"."""
    parts = [quote.source] if with_source else []
    if quote.page is not None:
        parts.append(f"page {quote.page}")
    return Span(f" ({', '.join(parts)})", "page") if parts else None


def quoted(quote: Quote, *, marks: bool, with_source: bool) -> Inline:
    """A quote exactly as the source says it, then where it says it."""
    text = f"\u201c{quote.text}\u201d" if marks else quote.text
    reference = page_ref(quote, with_source=with_source)
    return (Span(text, "quote"), reference) if reference else (Span(text, "quote"),)


# Sections --------------------------------------------------------------------------------------


class _Numbers:
    """Numbers the paragraphs of one section: 2.1, 2.2 ..."""

    def __init__(self, section: int) -> None:
        self.section = section
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"{self.section}.{self.count}"

    def numbered(self, parts: Sequence[Paragraph]) -> list[Paragraph]:
        """Each paragraph numbered; a list with no lead-in hangs on the paragraph before it."""
        found: list[Paragraph] = []
        for part in parts:
            if not part.content and found:
                previous = found.pop()
                part = Paragraph(previous.content, previous.number, previous.items + part.items)
                found.append(part)
            else:
                found.append(
                    Paragraph(part.content, self.next(), part.items, part.ordered, part.note)
                )
        return found


def _partnership(section: PartnershipSection, number: int) -> PaperSection:
    numbers = _Numbers(number)
    blocks: list[Block] = []
    for name in SECTION_TITLES:
        quotes = section.quotes(name)
        found = section.found.get(name, 0)
        blocks.append(Subheading(SECTION_TITLES[name]))
        if not quotes:
            blocks.append(
                Paragraph(
                    (Span(f"The analysis found no statement of {name} in the report."),),
                    numbers.next(),
                    note=True,
                )
            )
            continue
        if name in ("overview", "challenges"):
            blocks.extend(
                Paragraph(quoted(quote, marks=False, with_source=False), numbers.next())
                for quote in quotes
            )
            continue
        what = "achievements" if name == "achievements" else "priorities"
        verb = "describes" if name == "achievements" else "sets out"
        lead = f"The report {verb} these {what}"
        if found > len(quotes):
            lead += f", among others ({len(quotes)} of its {found} statements on them are quoted):"
        else:
            lead += ":"
        blocks.append(
            Paragraph(
                (Span(lead),),
                numbers.next(),
                items=tuple(quoted(quote, marks=False, with_source=False) for quote in quotes),
            )
        )
    return PaperSection(
        id=f"partnership-{number}", title=section.title, number=number, blocks=tuple(blocks)
    )


def _shared_priority(priority: SharedPriority, numbers: _Numbers) -> list[Block]:
    content: list[Span] = []
    if priority.summary:
        content.append(Span(f"{priority.summary} "))
    content.append(Span("Supported by: ", "strong"))
    content.append(Span(f"{join_names(priority.sources)}."))
    if priority.evidence:
        content.append(Span(" The evidence, quoted from the sources:"))
    return [
        Subheading(priority.label),
        Paragraph(
            tuple(content),
            numbers.next(),
            items=tuple(quoted(quote, marks=True, with_source=True) for quote in priority.evidence),
        ),
    ]


def _focus_item(area: FocusArea) -> Inline:
    return (Span(area.label, "strong"), Span(f" ({join_names(area.sources)})"))


def _shared(paper: BoardPaper, number: int) -> PaperSection:
    numbers = _Numbers(number)
    strategy = f"the {join_names(paper.strategies)}" if paper.strategies else "the strategy"
    blocks: list[Block] = []
    if paper.shared_priorities:
        blocks.append(
            Paragraph(
                (
                    Span(
                        f"The themes below are those that {strategy} and at least two other "
                        "sources hold among their priorities, strongest first. Each is followed "
                        "by the statements that support it, quoted from the sources."
                    ),
                ),
                numbers.next(),
            )
        )
        for priority in paper.shared_priorities:
            blocks.extend(_shared_priority(priority, numbers))
    else:
        blocks.append(
            Paragraph(
                (
                    Span(
                        f"The analysis found no theme that {strategy} and at least two other "
                        "sources share among their priorities."
                    ),
                ),
                numbers.next(),
                note=True,
            )
        )
    blocks.append(Subheading("Further focus areas"))
    if paper.focus_areas:
        blocks.append(
            Paragraph(
                (
                    Span(
                        "These themes are held by two or more sources, but less strongly, or "
                        "are not in the strategy:"
                    ),
                ),
                numbers.next(),
                items=tuple(_focus_item(area) for area in paper.focus_areas),
            )
        )
    else:
        blocks.append(
            Paragraph(
                (Span("The analysis found no further focus areas."),), numbers.next(), note=True
            )
        )
    return PaperSection("shared-priorities", "Shared priorities", number, tuple(blocks))


def _comments(id: str, title: str, text: str, number: int) -> PaperSection:
    numbers = _Numbers(number)
    return PaperSection(id, title, number, tuple(numbers.numbered(text_parts(text))))


def appendix_titles(paper: BoardPaper) -> list[str]:
    """Every appendix, lettered: the paper's own three, then the documents sent with it."""
    titles = [*APPENDIX_TITLES, *paper.meta.attachments]
    return [f"Appendix {chr(ord('A') + index)}: {title}" for index, title in enumerate(titles)]


def _appendices(paper: BoardPaper, number: int) -> PaperSection:
    numbers = _Numbers(number)
    lead = Paragraph(
        (Span("The appendices to this paper are:"),),
        numbers.next(),
        items=tuple((Span(title),) for title in appendix_titles(paper)),
    )
    return PaperSection("appendices", "Appendices", number, (lead,))


def _sections_found(counts: Sequence[tuple[str, int]]) -> str:
    ordered = sorted(
        counts, key=lambda item: ROLE_ORDER.index(item[0]) if item[0] in ROLE_ORDER else 99
    )
    return ", ".join(f"{role} {count}" for role, count in ordered if count) or "none"


def _appendix_sources(paper: BoardPaper) -> PaperSection:
    rows = tuple(
        (
            source.name,
            source.title,
            "Partnership" if source.kind == "partnership" else "Strategy",
            source.file or "Not recorded",
            _sections_found(source.sections),
        )
        for source in paper.sources
    )
    blocks: tuple[Block, ...] = (
        Paragraph(
            (
                Span(
                    "The analysis read these documents. Statements found counts the statements "
                    "in each kind of section."
                ),
            )
        ),
        TableBlock("Documents the analysis read", SOURCES_HEADINGS, rows),
    )
    return PaperSection("appendix-a", appendix_titles(paper)[0], None, blocks)


def _strength(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "Not recorded"


def _reviewed_phrase(paper: BoardPaper) -> str:
    method = paper.method
    when = f" on {long_date(method.reviewed_at.date())}" if method.reviewed_at else ""
    return f"{method.reviewed_by or 'An officer'} reviewed the analysis{when}"


def _appendix_method(paper: BoardPaper) -> PaperSection:
    method = paper.method
    made = (
        f"The analysis was made on {long_date(method.generated_at.date())} from the documents "
        "in Appendix A. "
        if method.generated_at
        else "The analysis was made from the documents in Appendix A. "
    )
    texts = [
        made + "Each document was read into sections and statements, and each section's role "
        "(overview, achievements, challenges, priorities) was recognised from its headings and "
        "content.",
        "Each statement was then matched to the themes of the taxonomy (version "
        f"{method.taxonomy_version}) with the sentence-embedding model {method.embedder}, run "
        "on the platform itself so that no text left it, together with each theme's key words.",
        "A theme is a shared priority when the strategy and at least two other sources hold it "
        "among their priorities (or, where a document has no priorities, among its strongest "
        "statements). A further focus area is held by two or more sources, but less strongly, "
        "or is not in the strategy. Strength, from 0 to 1, says how closely and how widely the "
        "sources' statements match the theme.",
        (
            f"The analysis is a suggestion, not a finding. {_reviewed_phrase(paper)}, and could "
            "accept, reject or edit each theme and each piece of evidence, or add their own; "
            "Appendix C lists what was changed by hand."
        )
        if method.reviewed
        else (
            "The analysis is a suggestion, not a finding, and has not been reviewed yet: an "
            "officer must review each theme and each piece of evidence before the paper goes "
            "to the Board."
        ),
    ]
    blocks: list[Block] = [Paragraph((Span(text),)) for text in texts]
    rows = tuple(
        (item.label, "Shared priority", join_names(item.sources), _strength(item.strength))
        for item in paper.shared_priorities
    ) + tuple(
        (item.label, "Further focus area", join_names(item.sources), _strength(item.strength))
        for item in paper.focus_areas
    )
    if rows:
        blocks.append(
            TableBlock("Themes found and how strongly they are shared", THEME_HEADINGS, rows)
        )
    return PaperSection("appendix-b", appendix_titles(paper)[1], None, tuple(blocks))


def change_row(change: HandChange) -> tuple[str, ...]:
    """One change made by hand, as the appendix's table shows it."""
    return (
        change.action.capitalize(),
        change.theme_label,
        change.statement or "The theme as a whole",
        change.before if change.before is not None else "",
        change.after if change.after is not None else "",
        change.note or "",
    )


def _appendix_changes(paper: BoardPaper) -> PaperSection:
    blocks: list[Block]
    if paper.changes:
        blocks = [
            Paragraph((Span(f"{_reviewed_phrase(paper)} and made these changes by hand."),)),
            TableBlock(
                "Changes made by hand to the suggested analysis",
                CHANGE_HEADINGS,
                tuple(change_row(change) for change in paper.changes),
            ),
        ]
    elif paper.method.reviewed:
        blocks = [Paragraph((Span(f"{_reviewed_phrase(paper)} and changed nothing by hand."),))]
    else:
        blocks = [
            Paragraph(
                (Span("The analysis has not been reviewed yet, so nothing was changed by hand."),),
                note=True,
            )
        ]
    return PaperSection("appendix-c", appendix_titles(paper)[2], None, tuple(blocks))


def _cover(paper: BoardPaper) -> tuple[CoverRow, ...]:
    meta = paper.meta
    recommendations = meta.recommendations
    if len(recommendations) == 1:
        recommended = (Paragraph(spans(recommendations[0])),)
    else:
        recommended = (
            Paragraph((), items=tuple(spans(text) for text in recommendations), ordered=True),
        )
    return (
        CoverRow("Council", (Paragraph(spans(meta.council)),)),
        CoverRow("Wards", (Paragraph(spans(meta.wards)),)),
        CoverRow("Report title", (Paragraph(spans(paper.title)),)),
        CoverRow("Report of", (Paragraph(spans(meta.report_of)),)),
        CoverRow("For submission to", (Paragraph(spans(meta.for_submission_to)),)),
        CoverRow("Date", (Paragraph((Span(long_date(paper.date)),)),)),
        CoverRow("Summary of report", tuple(text_parts(meta.summary or ""))),
        CoverRow(
            "Access to information",
            tuple(text_parts(meta.background_papers or BACKGROUND_PLACEHOLDER)),
        ),
        CoverRow("Contact officer", tuple(Paragraph(spans(line)) for line in meta.contact.lines())),
        CoverRow("Recommendation" if len(recommendations) == 1 else "Recommendations", recommended),
    )


def layout(paper: BoardPaper) -> Layout:
    """The paper as the cover's rows and its sections in order, numbered."""
    sections: list[PaperSection] = [
        _comments("purpose", "Purpose of report", "\n\n".join(paper.purpose), 1)
    ]
    for partnership in paper.partnerships:
        sections.append(_partnership(partnership, len(sections) + 1))
    sections.append(_shared(paper, len(sections) + 1))
    sections.append(
        _comments("finance", "Finance comments", paper.finance_comments, len(sections) + 1)
    )
    sections.append(_comments("legal", "Legal comments", paper.legal_comments, len(sections) + 1))
    sections.append(
        _comments(
            "environment",
            "Environmental implications",
            paper.environmental_implications,
            len(sections) + 1,
        )
    )
    sections.append(_appendices(paper, len(sections) + 1))
    sections.extend((_appendix_sources(paper), _appendix_method(paper), _appendix_changes(paper)))
    return Layout(paper.title, _cover(paper), tuple(sections))
