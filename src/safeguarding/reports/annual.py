"""What a partnership's statutory annual report says, as plain data.

The web app fills an ``AnnualReport`` from the records and the stored indicator values
(``safeguarding.web.reports.adapter``); the renderers (``html``, ``pdf``, ``docx``) and the
legal checklist (``checklist``) read only this. Dates are ``datetime.date``; every text is
plain text (paragraphs separated by blank lines), never HTML.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from safeguarding.dashboards.charts import Chart


@dataclass(frozen=True)
class Member:
    """A member agency and what it did in the year to implement the strategy."""

    agency: str
    kind: str  # e.g. "Statutory partner", "Relevant agency"
    representative: str = ""
    contribution: str = ""  # empty when the agency has recorded nothing for the year


@dataclass(frozen=True)
class Subgroup:
    name: str
    remit: str = ""
    chair: str = ""


@dataclass(frozen=True)
class Action:
    """A delivery-plan action and where it stood at the end of the year."""

    title: str
    owner: str
    status: str  # label, e.g. "Complete"
    rag: str = ""  # label, e.g. "Green", or ""
    due: datetime.date | None = None
    latest_update: str = ""


@dataclass(frozen=True)
class Evidence:
    """An indicator that shows a priority's impact: its statement and chart (published
    figures: disclosure control already applied)."""

    title: str
    statement: str | None
    chart: Chart | None
    why: str = ""


@dataclass(frozen=True)
class PriorityReport:
    title: str
    description: str
    success_measures: str = ""
    outcome: str = ""  # the year's review outcome label, e.g. "Continuing", or ""
    review_summary: str = ""
    actions: tuple[Action, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Achievement:
    title: str
    description: str
    impact: str = ""
    priority: str = ""


@dataclass(frozen=True)
class Challenge:
    title: str
    description: str
    response: str = ""  # what is being done about it
    priority: str = ""


@dataclass(frozen=True)
class Recommendation:
    number: int
    text: str
    owner: str
    accepted: bool = True
    reason_not_accepted: str = ""
    status: str = ""  # code, e.g. "implemented", "not_implemented", "in_progress"
    status_label: str = ""
    actions: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Review:
    """A learning review (Safeguarding Adults Review, child safeguarding practice review...)."""

    name: str  # the pseudonym, e.g. "Adult D"
    title: str
    kind: str  # label, e.g. "Safeguarding Adults Review"
    status: str  # code, e.g. "published", "in_progress"
    status_label: str
    referral_date: datetime.date
    decision_date: datetime.date | None = None
    publication_date: datetime.date | None = None
    concluded_in_year: bool = False
    in_progress: bool = False
    summary: str = ""
    findings: str = ""
    themes: tuple[str, ...] = ()  # labels
    recommendations: tuple[Recommendation, ...] = ()


@dataclass(frozen=True)
class Audit:
    topic: str
    status: str  # label
    cases_audited: int | None = None
    agencies: tuple[str, ...] = ()
    findings: str = ""
    actions: str = ""


@dataclass(frozen=True)
class Feedback:
    source: str  # label
    date: datetime.date
    summary: str
    what_was_said: str
    what_changed: str = ""


@dataclass(frozen=True)
class NextPriority:
    title: str
    description: str = ""


@dataclass(frozen=True)
class AnnualReport:
    """Everything the report for one partnership and one reporting year says."""

    partnership: str  # full name
    short_name: str
    kind: str  # "adults" (a Safeguarding Adults Board) or "children" (a safeguarding partnership)
    area: str
    period: str  # "2025-26"
    period_start: datetime.date
    period_end: datetime.date
    foreword: str = ""
    chair: str = ""  # the independent chair or scrutineer
    governance: str = ""  # how the partnership works: its arrangements, in the partnership's words
    subgroups: tuple[Subgroup, ...] = ()
    members: tuple[Member, ...] = ()
    priorities: tuple[PriorityReport, ...] = ()
    achievements: tuple[Achievement, ...] = ()
    challenges: tuple[Challenge, ...] = ()
    reviews: tuple[Review, ...] = ()
    audits: tuple[Audit, ...] = ()
    feedback: tuple[Feedback, ...] = ()
    training: tuple[str, ...] = ()  # one item of training or learning activity each
    next_priorities: tuple[NextPriority, ...] = ()
    #: Who the report goes to (the Care Act names them for a Safeguarding Adults Board).
    recipients: tuple[str, ...] = ()
    #: Set when the report is published: "Version 2, published 3 July 2026", and what changed.
    version_note: str = ""
    figures_note: str = (
        "Figures are published figures: counts are rounded to the nearest 5 and figures based "
        "on 1 to 4 people are withheld, shown as [c]."
    )
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.partnership} annual report {self.period}"

    @property
    def is_adults_board(self) -> bool:
        return self.kind == "adults"
