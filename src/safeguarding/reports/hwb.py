"""The Health and Wellbeing Board paper on the safeguarding partnerships' reports, as plain data.

A council policy officer takes the shared-priorities analysis (the JSON of
``shared/specs/alignment.md``, made by ``safeguarding align`` and perhaps reviewed in the web
app) and turns it into the cover paper the Board reads: a cover table, the purpose, one section
per partnership in the partnership's own words, the shared priorities with their evidence, the
officers' comments and appendices saying how the analysis was made and what was changed by
hand. ``board_paper_from_alignment`` builds a ``BoardPaper`` from the JSON alone, quoting the
sources exactly and inventing nothing; ``render_board_paper`` writes it as DOCX, HTML or PDF.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

SectionName = Literal["overview", "achievements", "challenges", "priorities"]
PARTNERSHIP_SECTIONS: tuple[SectionName, ...] = (
    "overview",
    "achievements",
    "challenges",
    "priorities",
)
#: How many statements of each section the paper quotes at most: a cover paper summarises.
SECTION_LIMITS: dict[SectionName, int] = {
    "overview": 3,
    "achievements": 6,
    "challenges": 4,
    "priorities": 10,
}
#: Statements shorter than this many words are headings or fragments, not things a report says.
MIN_WORDS = 3
CHANGE_ACTIONS = ("accepted", "rejected", "edited", "added")
SOURCE_KINDS = ("partnership", "strategy")

FINANCE_PLACEHOLDER = "[Finance officer to complete]"
LEGAL_PLACEHOLDER = "[Legal officer to complete]"
ENVIRONMENT_PLACEHOLDER = "[Report author to complete: environmental implications]"
BACKGROUND_PLACEHOLDER = (
    "[Report author to complete: background papers under the Local Government Act 1972]"
)
REPORT_OF_PLACEHOLDER = "[Report author to complete]"
COUNCIL_PLACEHOLDER = "[Council name]"
CONTACT_PLACEHOLDER = "[Contact officer to complete]"
DEFAULT_RECOMMENDATION = "That the Health and Wellbeing Board note the report."
DEFAULT_BOARD = "Health and Wellbeing Board"

#: A meta file larger than this is not a meta file.
MAX_META_BYTES = 1_000_000


class BoardPaperProblem(ValueError):
    """Input the board paper cannot be made from, with a message fit for a council officer."""


# The paper's details: what the cover table says -------------------------------------------------


@dataclass(frozen=True)
class ContactOfficer:
    """Who readers contact about the paper."""

    name: str = CONTACT_PLACEHOLDER
    role: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""

    def lines(self) -> list[str]:
        """The contact's details, one a line, empty ones left out."""
        return [
            line for line in (self.name, self.role, self.address, self.email, self.phone) if line
        ]


@dataclass(frozen=True)
class BoardPaperMeta:
    """What the cover of the paper says. ``None`` means "work it out from the analysis"."""

    title: str | None = None
    report_of: str = REPORT_OF_PLACEHOLDER  # e.g. "Director of Public Health"
    for_submission_to: str = DEFAULT_BOARD  # e.g. "Larkhaven Health and Wellbeing Board"
    date: datetime.date | None = None  # the meeting's date; today when not given
    #: Plain text: paragraphs between blank lines; lines starting "- " become a bulleted list.
    summary: str | None = None
    recommendations: tuple[str, ...] = (DEFAULT_RECOMMENDATION,)
    contact: ContactOfficer = field(default_factory=ContactOfficer)
    council: str = COUNCIL_PLACEHOLDER
    wards: str = "All"
    #: Full names for the sources' short names, e.g. {"LSCP": "Larkhaven Safeguarding ..."}.
    source_names: Mapping[str, str] = field(default_factory=dict)
    #: The purpose section's paragraphs, when the officer writes their own.
    purpose: tuple[str, ...] = ()
    finance_comments: str | None = None
    legal_comments: str | None = None
    environmental_implications: str | None = None
    background_papers: str | None = None
    #: Documents sent with the paper, listed as appendices after the paper's own.
    attachments: tuple[str, ...] = ()

    def name_of(self, source: str) -> str:
        """A source's full name, or its short name when no full name is given."""
        return self.source_names.get(source, source)


# The paper's content ------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """Something a source says, quoted exactly, and where it says it."""

    text: str
    source: str
    page: int | None = None
    statement: str | None = None  # the statement's id in the analysis, e.g. "LSCP-17"


@dataclass(frozen=True)
class PartnershipSection:
    """One partnership's report in its own words, a few statements from each kind of section."""

    name: str  # the short name, e.g. "LSCP"
    title: str  # the full name
    overview: tuple[Quote, ...] = ()
    achievements: tuple[Quote, ...] = ()
    challenges: tuple[Quote, ...] = ()
    priorities: tuple[Quote, ...] = ()
    #: How many statements of each kind the report has, quoted here or not.
    found: Mapping[str, int] = field(default_factory=dict)

    def quotes(self, section: SectionName) -> tuple[Quote, ...]:
        return getattr(self, section)


@dataclass(frozen=True)
class SharedPriority:
    """A theme the strategy and at least two other sources share, with its evidence."""

    theme: str
    label: str
    sources: tuple[str, ...]
    summary: str
    strength: float | None
    evidence: tuple[Quote, ...]


@dataclass(frozen=True)
class FocusArea:
    """A theme two or more sources hold, but less strongly, or not in the strategy."""

    theme: str
    label: str
    sources: tuple[str, ...]
    strength: float | None


@dataclass(frozen=True)
class SourceRead:
    """A document the analysis read."""

    name: str
    title: str
    kind: str  # "partnership" or "strategy"
    file: str | None
    sections: tuple[tuple[str, int], ...]  # statements found per section role


@dataclass(frozen=True)
class AnalysisMethod:
    """How the analysis was made and who reviewed it."""

    embedder: str
    taxonomy_version: str
    generated_at: datetime.datetime | None
    reviewed_by: str | None
    reviewed_at: datetime.datetime | None

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by)


@dataclass(frozen=True)
class HandChange:
    """One change an officer made to the analysis when reviewing it."""

    action: str  # "accepted", "rejected", "edited" or "added"
    theme: str
    theme_label: str
    statement: str | None
    before: str | None
    after: str | None
    note: str | None


@dataclass(frozen=True)
class BoardPaper:
    """Everything the paper says, with the cover's details worked out."""

    meta: BoardPaperMeta  # title and date always set
    purpose: tuple[str, ...]
    partnerships: tuple[PartnershipSection, ...]
    strategies: tuple[str, ...]  # the strategies' full names
    shared_priorities: tuple[SharedPriority, ...]
    focus_areas: tuple[FocusArea, ...]
    finance_comments: str
    legal_comments: str
    environmental_implications: str
    sources: tuple[SourceRead, ...]
    method: AnalysisMethod
    changes: tuple[HandChange, ...]

    @property
    def title(self) -> str:
        return self.meta.title or ""

    @property
    def date(self) -> datetime.date:
        return self.meta.date or datetime.date.today()


# Reading the alignment JSON -------------------------------------------------------------------


def _where(path: str) -> str:
    return f"The alignment file's {path}"


def _text(item: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
    """``item[key]`` as a string, or None when it may be missing; wrong types are refused."""
    value = item.get(key)
    if value is None:
        if required:
            raise BoardPaperProblem(f"{_where(path)} has no {key!r}.")
        return None
    if not isinstance(value, str):
        raise BoardPaperProblem(f"{_where(path)} has a {key!r} that is not text.")
    return value


def _list(data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> list[Any]:
    value = data.get(key)
    if value is None:
        if required:
            raise BoardPaperProblem(f"{_where(path)} has no {key!r} list.")
        return []
    if not isinstance(value, list):
        raise BoardPaperProblem(f"{_where(path)} has a {key!r} that is not a list.")
    return value


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BoardPaperProblem(f"{_where(path)} is not an object with named fields.")
    return value


def _page(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BoardPaperProblem(f"{_where(path)} has a page that is not a whole number from 1.")
    return value


def _strength(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BoardPaperProblem(f"{_where(path)} has a strength that is not a number.")
    return float(value)


def _names(value: Any, path: str, known: Mapping[str, Any]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise BoardPaperProblem(f"{_where(path)} has 'sources' that are not a list of names.")
    for name in value:
        if name not in known:
            raise BoardPaperProblem(
                f"{_where(path)} names the source {name!r}, which is not among the sources."
            )
    return tuple(value)


def _timestamp(value: Any, path: str) -> datetime.datetime | None:
    """An ISO 8601 date or time ("2025-12-08T10:00:00Z"), or None when missing."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
    raise BoardPaperProblem(
        f"{_where(path)} is not a date and time like 2025-12-08T10:00:00Z: {value!r}."
    )


@dataclass(frozen=True)
class _Statement:
    index: int  # position in the file: the reading order within each source
    id: str
    source: str
    section: str
    text: str
    page: int | None
    score: float  # the best theme score, 0 with no theme


def _sources(data: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for number, raw in enumerate(_list(data, "sources", "top level", required=True)):
        path = f"sources[{number}]"
        item = _mapping(raw, path)
        name = _text(item, "name", path) or ""
        if not name.strip():
            raise BoardPaperProblem(f"{_where(path)} has an empty name.")
        kind = _text(item, "kind", path)
        if kind not in SOURCE_KINDS:
            raise BoardPaperProblem(
                f"{_where(path)} ({name}) has kind {kind!r}; it must be 'partnership' or "
                "'strategy'."
            )
        if name in found:
            raise BoardPaperProblem(f"{_where(path)} repeats the source name {name!r}.")
        _text(item, "file", path, required=False)
        if item.get("sections") is not None:
            sections = _mapping(item["sections"], f"{path}.sections")
            for role, count in sections.items():
                if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    raise BoardPaperProblem(
                        f"{_where(path)} has a count for {role!r} that is not a whole number."
                    )
        found[name] = item
    if not any(item["kind"] == "partnership" for item in found.values()):
        raise BoardPaperProblem(
            "The alignment file names no partnership among its sources: the paper needs at "
            "least one partnership's report."
        )
    return found


def _statements(data: Mapping[str, Any], sources: Mapping[str, Any]) -> list[_Statement]:
    found: list[_Statement] = []
    for number, raw in enumerate(_list(data, "statements", "top level", required=True)):
        path = f"statements[{number}]"
        item = _mapping(raw, path)
        source = _text(item, "source", path) or ""
        if source not in sources:
            raise BoardPaperProblem(
                f"{_where(path)} comes from {source!r}, which is not among the sources."
            )
        score = 0.0
        for theme_number, theme in enumerate(_list(item, "themes", path)):
            theme_path = f"{path}.themes[{theme_number}]"
            value = _strength(_mapping(theme, theme_path).get("score"), theme_path)
            score = max(score, value or 0.0)
        found.append(
            _Statement(
                index=number,
                id=_text(item, "id", path) or "",
                source=source,
                section=_text(item, "section", path) or "",
                text=_text(item, "text", path) or "",
                page=_page(item.get("page"), path),
                score=score,
            )
        )
    return found


# Choosing what to quote ------------------------------------------------------------------------


def _quotable(statement: _Statement) -> bool:
    return len(statement.text.split()) >= MIN_WORDS


def _choose(
    statements: Sequence[_Statement], section: SectionName, evidence_ids: set[str]
) -> tuple[_Statement, ...]:
    """The few statements of one section worth quoting, in reading order.

    An overview is best told by its opening statements; elsewhere the statements the analysis
    used as evidence come first, then those most closely matched to a theme (the substance of a
    report, rather than its connecting sentences).
    """
    seen: set[str] = set()
    candidates: list[_Statement] = []
    for statement in statements:
        key = " ".join(statement.text.split()).casefold()
        if _quotable(statement) and key not in seen:
            seen.add(key)
            candidates.append(statement)
    limit = SECTION_LIMITS[section]
    if section != "overview":
        candidates.sort(key=lambda item: (item.id not in evidence_ids, -item.score, item.index))
    return tuple(sorted(candidates[:limit], key=lambda item: item.index))


def _quote(statement: _Statement) -> Quote:
    return Quote(statement.text, statement.source, statement.page, statement.id)


# Building the paper ---------------------------------------------------------------------------


def _join(names: Sequence[str]) -> str:
    """Names as a sentence lists them: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _short_date(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{moment.day} {moment:%B %Y}"


def _default_purpose(
    partnerships: Sequence[str],
    strategies: Sequence[str],
    method: AnalysisMethod,
    shared_section: int,
) -> tuple[str, ...]:
    """The purpose section when the officer has not written one: what the paper does, no more."""
    against = f" against the {_join(strategies)}" if strategies else ""
    last = 1 + len(partnerships)
    sections = (
        "Section 2" if last == 2 else "Sections 2 and 3" if last == 3 else f"Sections 2 to {last}"
    )
    if method.reviewed:
        when = f" on {_short_date(method.reviewed_at)}" if method.reviewed_at else ""
        review = f"; {method.reviewed_by} reviewed them{when}."
    else:
        review = ". They have not been reviewed yet: an officer must check them before the paper "
        review += "goes to the Board."
    return (
        f"This paper presents the reports of the {_join(partnerships)} and reads their "
        f"priorities{against}, to help the Board identify the priorities they share and the "
        "learning across the partnerships.",
        "Each statutory safeguarding partnership publishes a report every year on what it has "
        "done, how effective its arrangements have been and what it will prioritise next.",
        f"{sections} {'summarises' if last == 2 else 'summarise'} each report in its own words: "
        "its overview, achievements, challenges and priorities, quoted with the page each "
        f"statement is on. Section {shared_section} sets out the themes the partnerships share "
        "with the strategy, with the evidence for each.",
        "The shared priorities were suggested by software that reads each document and matches "
        "its statements to a list of safeguarding and health themes. They are a suggestion for "
        f"an officer to review{review} Appendix B says how the analysis was made and Appendix C "
        "what was changed by hand.",
    )


def _default_summary(partnerships: Sequence[str], strategies: Sequence[str]) -> str:
    against = f" with the {_join(strategies)}" if strategies else ""
    return (
        f"This report shares the reports of the {_join(partnerships)} and sets out the "
        f"priorities they share{against}.\n\n"
        "It aims to:\n"
        "- give an overview of each partnership's achievements, challenges and priorities\n"
        "- identify shared strategic priorities between the partnerships and the Board\n"
        "- help the Board consider learning across the partnerships"
    )


def _labels(data: Mapping[str, Any]) -> dict[str, str]:
    """Theme labels the file gives, in shared themes, focus areas or statements."""
    labels: dict[str, str] = {}
    for key in ("shared_themes", "additional_focus_areas"):
        for item in data.get(key) or []:
            if isinstance(item, Mapping) and isinstance(item.get("theme"), str):
                label = item.get("label")
                if isinstance(label, str) and label.strip():
                    labels[item["theme"]] = label
    return labels


def _build(data: Any, meta: BoardPaperMeta | None) -> BoardPaper:
    data = _mapping(data, "top level")
    meta = meta or BoardPaperMeta()
    sources = _sources(data)
    statements = _statements(data, sources)
    by_id = {statement.id: statement for statement in statements}
    labels = _labels(data)

    model = data.get("model") or {}
    model = _mapping(model, "model")
    review = data.get("review")
    review = _mapping(review, "review") if review is not None else {}
    method = AnalysisMethod(
        embedder=_text(model, "embedder", "model", required=False) or "not recorded",
        taxonomy_version=_text(model, "taxonomy_version", "model", required=False)
        or "not recorded",
        generated_at=_timestamp(data.get("generated_at"), "generated_at"),
        reviewed_by=(_text(review, "reviewed_by", "review", required=False) or "").strip() or None,
        reviewed_at=_timestamp(review.get("reviewed_at"), "review.reviewed_at"),
    )

    shared: list[SharedPriority] = []
    evidence_ids: set[str] = set()
    for number, raw in enumerate(_list(data, "shared_themes", "top level")):
        path = f"shared_themes[{number}]"
        item = _mapping(raw, path)
        theme = _text(item, "theme", path) or ""
        quotes: list[Quote] = []
        for evidence_number, raw_evidence in enumerate(_list(item, "evidence", path)):
            evidence_path = f"{path}.evidence[{evidence_number}]"
            evidence = _mapping(raw_evidence, evidence_path)
            source = _text(evidence, "source", evidence_path) or ""
            if source not in sources:
                raise BoardPaperProblem(
                    f"{_where(evidence_path)} comes from {source!r}, which is not among the "
                    "sources."
                )
            statement_id = _text(evidence, "statement", evidence_path, required=False)
            statement = by_id.get(statement_id or "")
            page = _page(evidence.get("page"), evidence_path)
            if page is None and statement is not None:
                page = statement.page
            if statement_id:
                evidence_ids.add(statement_id)
            quotes.append(
                Quote(_text(evidence, "text", evidence_path) or "", source, page, statement_id)
            )
        shared.append(
            SharedPriority(
                theme=theme,
                label=_text(item, "label", path, required=False) or labels.get(theme, theme),
                sources=_names(item.get("sources"), path, sources),
                summary=(_text(item, "summary", path, required=False) or "").strip(),
                strength=_strength(item.get("strength"), path),
                evidence=tuple(quotes),
            )
        )
    focus: list[FocusArea] = []
    for number, raw in enumerate(_list(data, "additional_focus_areas", "top level")):
        path = f"additional_focus_areas[{number}]"
        item = _mapping(raw, path)
        theme = _text(item, "theme", path) or ""
        focus.append(
            FocusArea(
                theme=theme,
                label=_text(item, "label", path, required=False) or labels.get(theme, theme),
                sources=_names(item.get("sources"), path, sources),
                strength=_strength(item.get("strength"), path),
            )
        )

    changes: list[HandChange] = []
    for number, raw in enumerate(_list(review, "changes", "review")):
        path = f"review.changes[{number}]"
        item = _mapping(raw, path)
        action = _text(item, "action", path)
        if action not in CHANGE_ACTIONS:
            raise BoardPaperProblem(
                f"{_where(path)} has action {action!r}; it must be one of "
                f"{', '.join(CHANGE_ACTIONS)}."
            )
        theme = _text(item, "theme", path) or ""
        changes.append(
            HandChange(
                action=action,
                theme=theme,
                theme_label=labels.get(theme, theme),
                statement=_text(item, "statement", path, required=False),
                before=_text(item, "before", path, required=False),
                after=_text(item, "after", path, required=False),
                note=_text(item, "note", path, required=False),
            )
        )

    partnerships: list[PartnershipSection] = []
    for name, source in sources.items():
        if source["kind"] != "partnership":
            continue
        own = [statement for statement in statements if statement.source == name]
        chosen: dict[str, tuple[Quote, ...]] = {}
        found: dict[str, int] = {}
        for section in PARTNERSHIP_SECTIONS:
            in_section = [statement for statement in own if statement.section == section]
            found[section] = len(in_section)
            chosen[section] = tuple(
                _quote(statement) for statement in _choose(in_section, section, evidence_ids)
            )
        partnerships.append(
            PartnershipSection(name=name, title=meta.name_of(name), found=found, **chosen)
        )
    strategies = tuple(
        meta.name_of(name) for name, source in sources.items() if source["kind"] == "strategy"
    )

    read: list[SourceRead] = []
    for name, source in sources.items():
        counts = source.get("sections")
        if counts is None:
            counted: dict[str, int] = {}
            for statement in statements:
                if statement.source == name:
                    counted[statement.section] = counted.get(statement.section, 0) + 1
            counts = counted
        read.append(
            SourceRead(
                name=name,
                title=meta.name_of(name),
                kind=source["kind"],
                file=source.get("file"),
                sections=tuple((role, int(count)) for role, count in counts.items()),
            )
        )

    partnership_names = [section.title for section in partnerships]
    short_names = [section.name for section in partnerships]
    title = meta.title or f"{_join(short_names)}: annual reports and shared priorities"
    resolved = replace(
        meta,
        title=title,
        date=meta.date or datetime.date.today(),
        summary=meta.summary or _default_summary(partnership_names, strategies),
    )
    purpose = meta.purpose or _default_purpose(
        partnership_names, strategies, method, shared_section=2 + len(partnerships)
    )
    return BoardPaper(
        meta=resolved,
        purpose=tuple(purpose),
        partnerships=tuple(partnerships),
        strategies=strategies,
        shared_priorities=tuple(sorted(shared, key=lambda item: -(item.strength or 0.0))),
        focus_areas=tuple(sorted(focus, key=lambda item: -(item.strength or 0.0))),
        finance_comments=meta.finance_comments or FINANCE_PLACEHOLDER,
        legal_comments=meta.legal_comments or LEGAL_PLACEHOLDER,
        environmental_implications=meta.environmental_implications or ENVIRONMENT_PLACEHOLDER,
        sources=tuple(read),
        method=method,
        changes=tuple(changes),
    )


def board_paper_from_alignment(
    alignment: dict[str, Any], meta: BoardPaperMeta | None = None
) -> BoardPaper:
    """The board paper made from the shared-priorities analysis alone.

    Each partnership's section quotes a few of its own statements of each kind, exactly and in
    reading order; nothing is written about a partnership that its report does not say. Raises
    ``BoardPaperProblem`` when the JSON lacks something the paper needs.
    """
    return _build(alignment, meta)


# The meta file ---------------------------------------------------------------------------------

_META_TEXT_FIELDS = (
    "title",
    "report_of",
    "for_submission_to",
    "summary",
    "council",
    "wards",
    "finance_comments",
    "legal_comments",
    "environmental_implications",
    "background_papers",
)
_CONTACT_FIELDS = ("name", "role", "email", "phone", "address")
META_FIELDS = (
    *_META_TEXT_FIELDS,
    "date",
    "recommendations",
    "contact",
    "source_names",
    "purpose",
    "attachments",
)


def _meta_text(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BoardPaperProblem(f"In the meta file, {name!r} must be text.")
    text = str(value).strip()
    if not text:
        raise BoardPaperProblem(f"In the meta file, {name!r} is empty.")
    return text


def _meta_texts(value: Any, name: str) -> tuple[str, ...]:
    """One text, or a list of texts."""
    items = value if isinstance(value, list) else [value]
    return tuple(_meta_text(item, name) for item in items)


def _meta_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise BoardPaperProblem(
        f"In the meta file, 'date' must be a date written like 2025-12-17, not {value!r}."
    )


def meta_from_dict(data: Any) -> BoardPaperMeta:
    """A ``BoardPaperMeta`` from the fields of a meta file (or a web form), checked."""
    if data is None:
        return BoardPaperMeta()
    if not isinstance(data, Mapping):
        raise BoardPaperProblem("The meta file must hold named fields, such as 'title: ...'.")
    unknown = sorted(str(key) for key in data if key not in META_FIELDS)
    if unknown:
        raise BoardPaperProblem(
            f"The meta file has a field the paper does not know: {unknown[0]!r}. The fields "
            f"are: {', '.join(META_FIELDS)}."
        )
    values: dict[str, Any] = {}
    for name in _META_TEXT_FIELDS:
        if data.get(name) is not None:
            values[name] = _meta_text(data[name], name)
    if data.get("date") is not None:
        values["date"] = _meta_date(data["date"])
    for name in ("recommendations", "purpose", "attachments"):
        if data.get(name) is not None:
            values[name] = _meta_texts(data[name], name)
    if data.get("recommendations") is not None and not values["recommendations"]:
        raise BoardPaperProblem("In the meta file, 'recommendations' is an empty list.")
    contact = data.get("contact")
    if contact is not None:
        if isinstance(contact, str):
            contact = {"name": contact}
        if not isinstance(contact, Mapping):
            raise BoardPaperProblem(
                "In the meta file, 'contact' must have a name and perhaps a role, email, phone "
                "and address."
            )
        unknown = sorted(str(key) for key in contact if key not in _CONTACT_FIELDS)
        if unknown:
            raise BoardPaperProblem(
                f"In the meta file, 'contact' has a field the paper does not know: "
                f"{unknown[0]!r}. Its fields are: {', '.join(_CONTACT_FIELDS)}."
            )
        values["contact"] = ContactOfficer(
            **{
                key: _meta_text(value, f"contact.{key}")
                for key, value in contact.items()
                if value is not None
            }
        )
    names = data.get("source_names")
    if names is not None:
        if not isinstance(names, Mapping):
            raise BoardPaperProblem(
                "In the meta file, 'source_names' must pair each short name with a full name, "
                "e.g. 'LSCP: Larkhaven Safeguarding Children Partnership'."
            )
        values["source_names"] = {
            str(key): _meta_text(value, f"source_names.{key}") for key, value in names.items()
        }
    return BoardPaperMeta(**values)


def load_meta(path: Path) -> BoardPaperMeta:
    """The paper's details from a YAML or JSON file (see ``META_FIELDS``), checked."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BoardPaperProblem(f"There is no meta file {path}.") from None
    except OSError as error:
        raise BoardPaperProblem(f"Cannot read the meta file {path}: {error.strerror}.") from None
    if len(raw) > MAX_META_BYTES:
        raise BoardPaperProblem(f"The meta file {path} is too large to be a meta file.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BoardPaperProblem(f"The meta file {path} is not UTF-8 text.") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise BoardPaperProblem(
                f"The meta file {path} is not valid JSON (line {error.lineno}: {error.msg})."
            ) from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise BoardPaperProblem(f"The meta file {path} is not valid YAML{where}.") from None
    return meta_from_dict(data)


def unfinished(paper: BoardPaper) -> list[str]:
    """What the paper still leaves for an officer to complete, in the cover's order."""
    meta = paper.meta
    checks = (
        ("the council's name", meta.council == COUNCIL_PLACEHOLDER),
        ("report of", meta.report_of == REPORT_OF_PLACEHOLDER),
        ("access to information", meta.background_papers is None),
        ("the contact officer", meta.contact.name == CONTACT_PLACEHOLDER),
        ("finance comments", paper.finance_comments == FINANCE_PLACEHOLDER),
        ("legal comments", paper.legal_comments == LEGAL_PLACEHOLDER),
        ("environmental implications", paper.environmental_implications == ENVIRONMENT_PLACEHOLDER),
    )
    return [name for name, missing in checks if missing]


# Output ---------------------------------------------------------------------------------------

FORMATS = ("docx", "html", "pdf")


def render_board_paper(paper: BoardPaper, fmt: str) -> bytes:
    """The paper as DOCX (the editable main output), HTML (UTF-8) or tagged PDF."""
    if fmt == "docx":
        from safeguarding.reports.hwb_docx import board_paper_docx

        return board_paper_docx(paper)
    if fmt == "html":
        from safeguarding.reports.hwb_html import board_paper_html

        return board_paper_html(paper).encode("utf-8")
    if fmt == "pdf":
        from safeguarding.reports.hwb_html import board_paper_html
        from safeguarding.reports.pdf import html_to_pdf

        return html_to_pdf(board_paper_html(paper))
    raise ValueError(f"no board paper format {fmt!r}; there are: {', '.join(FORMATS)}")
