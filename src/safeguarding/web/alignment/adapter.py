"""A partnership's or a strategy's records on the platform, as the ``Document`` a report file
would be read into, so that the analysis treats records and uploaded files alike.

A partnership gives its description ("overview"), its priorities ("priorities"), and the
achievements ("achievements") and challenges ("challenges") of its latest reporting year. A
strategy gives its summary ("overview") and its themes ("priorities"): a strategy's themes are
what it sets out to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from safeguarding.documents.model import Block, Document, Section, SectionRole, Statement
from safeguarding.web.records import models as records

#: A source's name starts its statements' ids ("TSCP-4"): letters, digits, "-" and "_".
SOURCE_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_-]{0,19}\Z")
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9_-]+")
#: Words left out of a strategy's initials ("Health and Wellbeing Strategy" -> "HWS").
_SMALL_WORDS = {"and", "of", "for", "the", "to", "in", "a", "an", "on", "our"}


def source_name(text: str, fallback: str = "SOURCE") -> str:
    """``text`` made into a source name: letters, digits, "-" and "_", at most 20."""
    name = _NOT_IN_NAME.sub("-", text.strip()).strip("-_")[:20].strip("-_")
    return name if name and SOURCE_NAME.match(name) else fallback


def initials(title: str) -> str:
    """A short name for a title: the initials of its words, small words left out."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", title) if w.lower() not in _SMALL_WORDS]
    letters = "".join(w[0].upper() for w in words)[:10]
    return letters or "STRATEGY"


def _sentence(*parts: str) -> str:
    """Parts joined as one statement: a title and its description read as two sentences."""
    texts = [" ".join(part.split()) for part in parts if part and part.strip()]
    joined = ""
    for text in texts:
        if joined:
            joined += " " if joined.endswith((".", "!", "?", ":")) else ". "
        joined += text
    return joined


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a text field: blank lines (or single lines) separate them."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


class _Builder:
    """Sections and statements numbered in reading order, as a reader would make them."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sections: list[Section] = []
        self.statements: list[Statement] = []

    def section(
        self, heading: str, role: SectionRole, texts: Iterable[str], *, listed: bool
    ) -> None:
        texts = [t for t in texts if t]
        if not texts:
            return
        kind = "list_item" if listed else "paragraph"
        blocks = [Block(kind, text, level=1 if listed else 0) for text in texts]
        self.sections.append(Section(heading, 1, None, blocks=blocks, role=role))
        for text in texts:
            number = len(self.statements) + 1
            self.statements.append(
                Statement(
                    id=f"{self.source}-{number}",
                    source=self.source,
                    section=role,
                    heading=heading,
                    text=text,
                    page=None,
                    list_item=listed,
                )
            )

    def document(self, file_name: str, title: str) -> Document:
        return Document(
            source=self.source,
            file_name=file_name,
            format="text",
            pages=None,
            title=title,
            sections=self.sections,
            statements=self.statements,
        )


def latest_period(partnership: records.Partnership) -> records.ReportingPeriod | None:
    """The newest reporting year the partnership has priorities, achievements or challenges in."""
    labels = set(
        records.ReportingPeriod.objects.filter(priorities__partnership=partnership).values_list(
            "label", flat=True
        )
    )
    for model in (records.Achievement, records.Challenge):
        labels |= set(
            model.objects.filter(partnership=partnership).values_list("period__label", flat=True)
        )
    if not labels:
        return None
    return records.ReportingPeriod.objects.get(label=max(labels))


def partnership_document(
    partnership: records.Partnership,
    source: str | None = None,
    period: records.ReportingPeriod | None = None,
) -> Document:
    """The partnership's records of ``period`` (its latest year when not given) as a document:
    its description, its priorities running that year, its achievements and challenges."""
    name = source or source_name(partnership.short_name, "PARTNERSHIP")
    period = period or latest_period(partnership)
    built = _Builder(name)
    built.section("Overview", "overview", _paragraphs(partnership.description), listed=False)
    priorities = records.Priority.objects.filter(partnership=partnership)
    if period is not None:
        running = priorities.filter(periods=period)
        priorities = running if running.exists() else priorities
    built.section(
        "Priorities",
        "priorities",
        [_sentence(p.title, p.description) for p in priorities.order_by("title")],
        listed=True,
    )
    for model, heading, role in (
        (records.Achievement, "Achievements", "achievements"),
        (records.Challenge, "Challenges", "challenges"),
    ):
        found = model.objects.filter(partnership=partnership)
        if period is not None:
            found = found.filter(period=period)
        built.section(
            heading,
            role,  # type: ignore[arg-type]
            [_sentence(r.title, r.description) for r in found.order_by("title")],
            listed=True,
        )
    year = f" {period.label}" if period is not None else ""
    return built.document(
        f"{partnership.name} (records on the platform)", f"{partnership.name}{year}"
    )


def strategy_document(strategy: records.Strategy, source: str | None = None) -> Document:
    """The strategy's summary and its themes as a document."""
    name = source or initials(strategy.title)
    built = _Builder(name)
    built.section("Overview", "overview", _paragraphs(strategy.summary), listed=False)
    built.section(
        "Themes",
        "priorities",
        [_sentence(t.title, t.description) for t in strategy.themes.order_by("order", "title")],
        listed=True,
    )
    return built.document(
        f"{strategy.title} (records on the platform)",
        f"{strategy.title} {strategy.start_year}-{strategy.end_year}",
    )
