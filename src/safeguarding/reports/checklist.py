"""The legal checklist of the statutory annual report: each element the law asks for, checked
against the report's content, with the gaps in plain words.

The elements are data (``safeguarding/catalogue/annual_report_checklist.yaml``): what the report
must contain, where the law says so, and the id of the check. Each check here is one small
function that reads an ``AnnualReport`` and returns its gaps, one sentence each; no gaps means
the element is met. A report can be approved when every statutory element is met.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from safeguarding.reports.annual import AnnualReport, PriorityReport, Recommendation, Review

CHECKLIST_FILE = "annual_report_checklist.yaml"

Check = Callable[[AnnualReport], tuple[str, ...]]

#: Every check, by the id the checklist names it by.
CHECKS: dict[str, Check] = {}

# Recommendation status codes (the recommendation_statuses code list).
NOT_IMPLEMENTED = "not_implemented"
UNDER_WAY = frozenset({"in_progress", "implemented", "impact_evidenced"})
IMPLEMENTED = frozenset({"implemented", "impact_evidenced"})


@dataclass(frozen=True)
class ChecklistElement:
    """One element of the checklist, as the catalogue states it."""

    id: str
    element: str
    source: str
    check: str
    explanation: str
    statutory: bool = True


@dataclass(frozen=True)
class ChecklistItem:
    """One element checked against a report: met, or the gaps that stop it being met."""

    id: str
    element: str
    law: str
    met: bool
    gaps: tuple[str, ...]
    explanation: str
    statutory: bool = True


def check(check_id: str) -> Callable[[Check], Check]:
    """Register a check under ``check_id``, the id the checklist's ``check`` names."""

    def register(function: Check) -> Check:
        if check_id in CHECKS:
            raise ValueError(f"two checks are called {check_id!r}")
        CHECKS[check_id] = function
        return function

    return register


@cache
def checklists() -> dict[str, tuple[ChecklistElement, ...]]:
    """The checklist of each kind of partnership, read from the catalogue."""
    text = resources.files("safeguarding.catalogue").joinpath(CHECKLIST_FILE).read_text("utf-8")
    required = {"id", "element", "source", "check", "explanation"}
    known = required | {"statutory"}
    lists: dict[str, tuple[ChecklistElement, ...]] = {}
    for kind, body in yaml.safe_load(text).items():
        elements = []
        for raw in body["elements"]:
            where = f"{CHECKLIST_FILE}, {kind}.{raw.get('id')}"
            if unknown := sorted(set(raw) - known):
                raise ValueError(f"{where}: unknown key {', '.join(unknown)}")
            if missing := sorted(required - set(raw)):
                raise ValueError(f"{where}: missing {', '.join(missing)}")
            if not isinstance(raw.get("statutory", True), bool):
                raise ValueError(f"{where}: statutory must be true or false")
            if raw["check"] not in CHECKS:
                raise ValueError(f"{where}: no check called {raw['check']!r}")
            elements.append(ChecklistElement(**raw))
        if len({element.id for element in elements}) != len(elements):
            raise ValueError(f"{CHECKLIST_FILE}, {kind}: an element id is repeated")
        lists[kind] = tuple(elements)
    return lists


def checklist(kind: str) -> tuple[ChecklistElement, ...]:
    """The checklist for a kind of partnership ("adults" or "children")."""
    lists = checklists()
    if kind not in lists:
        raise KeyError(f"no annual report checklist for {kind!r}; there are: {', '.join(lists)}")
    return lists[kind]


def check_report(report: AnnualReport) -> list[ChecklistItem]:
    """Every element of the report's checklist, in the checklist's order, with its gaps."""
    items = []
    for element in checklist(report.kind):
        gaps = CHECKS[element.check](report)
        items.append(
            ChecklistItem(
                id=element.id,
                element=element.element,
                law=element.source,
                met=not gaps,
                gaps=gaps,
                explanation=element.explanation,
                statutory=element.statutory,
            )
        )
    return items


def ready_to_approve(items: Iterable[ChecklistItem]) -> bool:
    """Whether every statutory element is met; good-practice gaps do not stop approval."""
    return all(item.met for item in items if item.statutory)


# Wording shared by the checks.


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _count(number: int, one: str, many: str) -> str:
    """The number with the words for it: "1 member agency has", "3 member agencies have"."""
    return f"{number} {one if number == 1 else many}"


def _names(names: Iterable[str]) -> str:
    return ", ".join(names)


def _titles(titles: Iterable[str]) -> str:
    return ", ".join(f"'{title}'" for title in titles)


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _same(label: str, title: str) -> bool:
    """Whether an achievement's or challenge's priority label names this priority."""
    label, title = " ".join(label.split()).casefold(), " ".join(title.split()).casefold()
    return bool(label) and label == title


def _recommendation(review: Review, recommendation: Recommendation) -> str:
    return f"Recommendation {recommendation.number} of review '{review.name}'"


def _who(report: AnnualReport) -> str:
    return "the board" if report.is_adults_board else "the partners"


# Which reviews the law speaks of: a board's Safeguarding Adults Reviews (Care Act 2014 s44);
# for children, every review the partnership reports on.


def _is_safeguarding_adults_review(review: Review) -> bool:
    # Review.kind is the code list's label; an adapter may pass the code instead.
    kind = review.kind.strip().casefold()
    return kind.startswith("safeguarding adults review") or kind.startswith("sar_")


def _reviews(report: AnnualReport) -> tuple[Review, ...]:
    if report.is_adults_board:
        return tuple(r for r in report.reviews if _is_safeguarding_adults_review(r))
    return report.reviews


def _review_count(report: AnnualReport, number: int) -> str:
    if report.is_adults_board:
        return _count(number, "Safeguarding Adults Review", "Safeguarding Adults Reviews")
    return _count(number, "review", "reviews")


def _recommendations(report: AnnualReport) -> Iterator[tuple[Review, Recommendation]]:
    for review in _reviews(report):
        for recommendation in review.recommendations:
            yield review, recommendation


def _not_going_ahead(recommendation: Recommendation) -> bool:
    return not recommendation.accepted or recommendation.status == NOT_IMPLEMENTED


def _missing_reasons(report: AnnualReport) -> list[str]:
    gaps = []
    for review, recommendation in _recommendations(report):
        if not _not_going_ahead(recommendation) or not _blank(recommendation.reason_not_accepted):
            continue
        if recommendation.status == NOT_IMPLEMENTED:
            gaps.append(
                f"{_recommendation(review, recommendation)} is marked not implemented "
                "without a reason."
            )
        else:
            gaps.append(
                f"{_recommendation(review, recommendation)} was not accepted and no reason "
                "is recorded."
            )
    return gaps


def _missing_progress(report: AnnualReport) -> list[str]:
    gaps = []
    for review, recommendation in _recommendations(report):
        if _not_going_ahead(recommendation):
            continue
        if _blank(recommendation.status):
            gaps.append(
                f"{_recommendation(review, recommendation)} has no implementation status recorded."
            )
        elif recommendation.status in UNDER_WAY and _blank(recommendation.actions):
            gaps.append(
                f"{_recommendation(review, recommendation)} does not say what has been done "
                "to implement it."
            )
    return gaps


def _missing_impact(report: AnnualReport) -> list[str]:
    return [
        f"{_recommendation(review, recommendation)} is marked implemented but has no evidence "
        "of its impact recorded."
        for review, recommendation in _recommendations(report)
        if recommendation.status in IMPLEMENTED and _blank(recommendation.evidence)
    ]


def _has_impact_statement(priority: PriorityReport) -> bool:
    return any(not _blank(evidence.statement) for evidence in priority.evidence)


# The checks, one element each.


@check("financial_year")
def financial_year(report: AnnualReport) -> tuple[str, ...]:
    """A board reports on a financial year: 1 April to 31 March."""
    start, end = report.period_start, report.period_end
    if (start.month, start.day) == (4, 1) and end == datetime.date(start.year + 1, 3, 31):
        return ()
    return (
        f"The report covers {_date(start)} to {_date(end)}, not a financial year "
        "(1 April to 31 March).",
    )


@check("twelve_month_period")
def twelve_month_period(report: AnnualReport) -> tuple[str, ...]:
    """A children's partnership reports at least once in every 12 months."""
    start, end = report.period_start, report.period_end
    if end < start:
        return (f"The report's period ends on {_date(end)}, before it starts on {_date(start)}.",)
    # 29 February has no anniversary: 12 months from it end on 28 February.
    if (start.month, start.day) == (2, 29):
        a_year_on = datetime.date(start.year + 1, 3, 1)
    else:
        a_year_on = datetime.date(start.year + 1, start.month, start.day)
    if end < a_year_on:
        return ()
    return (f"The report covers {_date(start)} to {_date(end)}, which is more than 12 months.",)


@check("partnership_activity")
def partnership_activity(report: AnnualReport) -> tuple[str, ...]:
    """What the partnership did in the year: how it works, and what it achieved."""
    gaps = []
    if _blank(report.governance):
        gaps.append("The report does not say how the partnership works: no governance is recorded.")
    if not report.achievements:
        aim = "to help and protect adults" if report.is_adults_board else "under the arrangements"
        gaps.append(
            f"No achievements are recorded, so the report does not say what {_who(report)} "
            f"did in {report.period} {aim}."
        )
    return tuple(gaps)


@check("strategy_delivery")
def strategy_delivery(report: AnnualReport) -> tuple[str, ...]:
    """The strategy's priorities, each with its delivery-plan actions."""
    if not report.priorities:
        return (
            "No priorities are recorded, so the report does not say how the strategy was put "
            "into practice.",
        )
    without = [priority.title for priority in report.priorities if not priority.actions]
    if not without:
        return ()
    return (
        f"{_count(len(without), 'priority has', 'priorities have')} no actions recorded: "
        f"{_titles(without)}.",
    )


@check("member_contributions")
def member_contributions(report: AnnualReport) -> tuple[str, ...]:
    """What each member agency did in the year."""
    if not report.members:
        return ("No member agencies are recorded.",)
    to = "the strategy" if report.is_adults_board else "the partnership's priorities"
    missing = [member.agency for member in report.members if _blank(member.contribution)]
    if len(missing) == len(report.members):
        return (f"No member agency has recorded its contribution to {to}.",)
    if not missing:
        return ()
    whose = "its" if len(missing) == 1 else "their"
    return (
        f"{_count(len(missing), 'member agency has', 'member agencies have')} not recorded "
        f"{whose} contribution: {_names(missing)}.",
    )


@check("review_findings")
def review_findings(report: AnnualReport) -> tuple[str, ...]:
    """The findings of every review concluded in the year."""
    missing = [r.name for r in _reviews(report) if r.concluded_in_year and _blank(r.findings)]
    if not missing:
        return ()
    verb = "has" if len(missing) == 1 else "have"
    return (
        f"{_review_count(report, len(missing))} concluded in {report.period} {verb} no findings "
        f"recorded: {_names(missing)}.",
    )


@check("reviews_in_progress")
def reviews_in_progress(report: AnnualReport) -> tuple[str, ...]:
    """Every review ongoing at the end of the year is listed as ongoing, and only those."""
    gaps = []
    for review in _reviews(report):
        if review.in_progress and review.concluded_in_year:
            gaps.append(
                f"Review '{review.name}' is marked both in progress and concluded in "
                f"{report.period}."
            )
        elif review.status == "in_progress" and not review.in_progress:
            gaps.append(
                f"Review '{review.name}' is in progress but is not listed as ongoing at "
                f"{_date(report.period_end)}."
            )
    return tuple(gaps)


@check("review_implementation")
def review_implementation(report: AnnualReport) -> tuple[str, ...]:
    """What was done to put the reviews' findings into practice."""
    gaps = [
        f"Review '{review.name}' concluded in {report.period} with findings but has no "
        "recommendations recorded, so the report cannot say how they were put into practice."
        for review in _reviews(report)
        if review.concluded_in_year and not _blank(review.findings) and not review.recommendations
    ]
    return (*gaps, *_missing_progress(report))


@check("reasons_not_implemented")
def reasons_not_implemented(report: AnnualReport) -> tuple[str, ...]:
    """The reason for every decision not to implement a recommendation."""
    return tuple(_missing_reasons(report))


@check("review_decisions")
def review_decisions(report: AnnualReport) -> tuple[str, ...]:
    """Decisions and actions on reviews: progress, impact, and why any is not implemented."""
    return (*_missing_progress(report), *_missing_impact(report), *_missing_reasons(report))


@check("recommendation_impact")
def recommendation_impact(report: AnnualReport) -> tuple[str, ...]:
    """The impact of every recommendation marked implemented."""
    return tuple(_missing_impact(report))


@check("recipients_adults")
def recipients_adults(report: AnnualReport) -> tuple[str, ...]:
    """The report goes to the four the Care Act names (the council counts twice)."""
    return _missing_recipients(
        report,
        (
            ("the chief executive of the local authority", ("chief executive",)),
            ("the leader of the local authority", ("leader",)),
            (
                "the local policing body",
                ("policing body", "crime commissioner", "policing and crime"),
            ),
            ("the local Healthwatch organisation", ("healthwatch",)),
            ("the chair of the Health and Wellbeing Board", ("health and wellbeing board",)),
        ),
    )


@check("recipients_children")
def recipients_children(report: AnnualReport) -> tuple[str, ...]:
    """The report goes to the national panel and the What Works Centre."""
    return _missing_recipients(
        report,
        (
            (
                "the Child Safeguarding Practice Review Panel",
                ("child safeguarding practice review panel",),
            ),
            (
                "Foundations, the What Works Centre for children and families",
                ("foundations", "what works"),
            ),
        ),
    )


def _missing_recipients(
    report: AnnualReport, required: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[str, ...]:
    if not any(not _blank(recipient) for recipient in report.recipients):
        return ("The report does not say who it is sent to.",)
    # Recipients are free text, so we look for the words that name each one.
    named = " | ".join(report.recipients).casefold()
    return tuple(
        f"The report does not say it is sent to {who}."
        for who, words in required
        if not any(word in named for word in words)
    )


@check("priority_reviews")
def priority_reviews(report: AnnualReport) -> tuple[str, ...]:
    """How effective the arrangements were: each priority's review of the year."""
    if not report.priorities:
        return (
            "No priorities are recorded, so the report cannot say how effective the "
            "arrangements have been.",
        )
    without = [p.title for p in report.priorities if _blank(p.review_summary)]
    if not without:
        return ()
    return (
        f"{_count(len(without), 'priority has', 'priorities have')} no review of the year's "
        f"progress: {_titles(without)}.",
    )


@check("impact_evidence")
def impact_evidence(report: AnnualReport) -> tuple[str, ...]:
    """Some evidence of impact on outcomes, and the training that was done."""
    gaps = []
    statements = any(_has_impact_statement(p) for p in report.priorities)
    impacts = any(not _blank(a.impact) for a in report.achievements)
    if not statements and not impacts:
        people = "adults" if report.is_adults_board else "children and families"
        gaps.append(
            f"No evidence of impact on {people} is recorded: no indicator with a statement "
            "and no achievement with its impact."
        )
    if not any(not _blank(training) for training in report.training):
        gaps.append("No training is recorded.")
    return tuple(gaps)


@check("impact_per_priority")
def impact_per_priority(report: AnnualReport) -> tuple[str, ...]:
    """Every priority shows its impact, not only its activity."""
    return tuple(
        f"Priority '{priority.title}' has no evidence of impact: no indicator with a statement "
        "and no achievement with its impact."
        for priority in report.priorities
        if not _has_impact_statement(priority)
        and not any(
            _same(a.priority, priority.title) and not _blank(a.impact) for a in report.achievements
        )
    )


@check("slow_progress")
def slow_progress(report: AnnualReport) -> tuple[str, ...]:
    """Where progress on the priorities was slow, and what is being done about it."""
    gaps = []
    if not report.challenges:
        gaps.append(
            "No challenges are recorded, so the report does not say where progress on the "
            "priorities was slow."
        )
    unanswered = [c.title for c in report.challenges if _blank(c.response)]
    if unanswered:
        it = "it" if len(unanswered) == 1 else "them"
        gaps.append(
            f"{_count(len(unanswered), 'challenge does', 'challenges do')} not say what is "
            f"being done about {it}: {_names(unanswered)}."
        )
    for priority in report.priorities:
        red = sum(action.rag.strip().casefold() == "red" for action in priority.actions)
        explained = not _blank(priority.review_summary) or any(
            _same(c.priority, priority.title) for c in report.challenges
        )
        if red and not explained:
            gaps.append(
                f"Priority '{priority.title}' has {_count(red, 'action', 'actions')} rated red, "
                "but the report does not say why progress was slow."
            )
    return tuple(gaps)


@check("feedback_used")
def feedback_used(report: AnnualReport) -> tuple[str, ...]:
    """Feedback was sought, and something changed because of it."""
    if not report.feedback:
        whose = (
            "people who use services, their families or carers"
            if report.is_adults_board
            else "children and families"
        )
        return (f"No feedback from {whose} is recorded.",)
    unchanged = [f.summary for f in report.feedback if _blank(f.what_changed)]
    if not unchanged:
        return ()
    does, it = ("does", "it") if len(unchanged) == 1 else ("do", "them")
    return (
        f"{_count(len(unchanged), 'piece of feedback', 'pieces of feedback')} {does} not say "
        f"what changed because of {it}: {_names(unchanged)}.",
    )


@check("published_figures_note")
def published_figures_note(report: AnnualReport) -> tuple[str, ...]:
    """The report says its figures are published figures."""
    if not _blank(report.figures_note):
        return ()
    return (
        "The report does not say that its figures are published figures, rounded and with "
        "small numbers withheld.",
    )
