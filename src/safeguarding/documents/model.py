"""What a report is once read: blocks of text in reading order, a tree of sections, statements.

Every reader (PDF, DOCX, HTML, Markdown, plain text) produces a list of ``Block`` in reading order;
``structure`` turns blocks into ``Section``s, ``roles`` names each section's role and
``statements`` splits sections into ``Statement``s. Nothing here imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table_row"]
SectionRole = Literal[
    "overview", "achievements", "challenges", "priorities", "recommendations", "other"
]
SECTION_ROLES: tuple[SectionRole, ...] = (
    "overview",
    "achievements",
    "challenges",
    "priorities",
    "recommendations",
    "other",
)


class DocumentProblem(ValueError):
    """A document that cannot be read, with a message fit to show the person who gave it."""


@dataclass(frozen=True)
class Block:
    """One piece of text as the reader found it, before sections are worked out.

    ``level`` is the heading level (1 is the top) for headings, the list depth (1 is the top) for
    list items, and 0 otherwise. ``font_size`` and ``bold`` are kept where the format has them
    (PDF) so that headings told apart only by their look can be found.
    """

    kind: BlockKind
    text: str
    page: int | None = None
    level: int = 0
    font_size: float | None = None
    bold: bool = False
    marker: str | None = None  # the list marker or paragraph number as written, e.g. "•", "2.4."


@dataclass
class Section:
    heading: str
    level: int
    page: int | None
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    role: SectionRole = "other"

    def walk(self) -> list[Section]:
        """This section and every section under it, in reading order."""
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found


@dataclass(frozen=True)
class Statement:
    """One thing a report says: one priority, one achievement, one challenge."""

    id: str  # "<source>-<n>", numbered in reading order from 1
    source: str
    section: SectionRole
    heading: str  # the heading of the section it came from
    text: str
    page: int | None
    list_item: bool = False


@dataclass
class PageNote:
    """Something the person should know about one page, e.g. that it has no text layer."""

    page: int
    message: str


@dataclass
class Document:
    source: str  # a short name for the document, e.g. "CSCP"
    file_name: str
    format: Literal["pdf", "docx", "html", "markdown", "text"]
    pages: int | None
    title: str | None
    sections: list[Section]
    statements: list[Statement]
    notes: list[PageNote] = field(default_factory=list)

    def section_counts(self) -> dict[str, int]:
        """Statements per section role, as the alignment JSON's ``sources[].sections`` has them."""
        counts: dict[str, int] = {}
        for statement in self.statements:
            counts[statement.section] = counts.get(statement.section, 0) + 1
        return counts
