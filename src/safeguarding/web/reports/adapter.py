"""The records of a partnership's year turned into the plain ``AnnualReport`` that the
renderers and the legal checklist read. The only module of the reports app that reads the
records for a report."""

from __future__ import annotations

import datetime

from safeguarding.catalogue import code_list
from safeguarding.dashboards import statements
from safeguarding.reports import annual
from safeguarding.web.dashboards import pages, queries
from safeguarding.web.dashboards.models import DashboardPanel
from safeguarding.web.records import models as records
from safeguarding.web.reports.models import AnnualReport, MemberContribution

#: Who a Safeguarding Adults Board's report goes to (Care Act 2014, Schedule 2 paragraph 4).
ADULTS_RECIPIENTS = (
    "the chief executive and the leader of {council}",
    "the local policing body (the police and crime commissioner)",
    "the local Healthwatch organisation",
    "the chair of the Health and Wellbeing Board",
)
#: Where a children's partnership's report goes once published (Working Together 2023).
CHILDREN_RECIPIENTS = (
    "the Child Safeguarding Practice Review Panel",
    "Foundations, the What Works Centre for children and families",
)
CONCLUDED = ("report_agreed", "published", "closed")
#: A review is ongoing once it has been agreed and started, not while it is only referred.
ONGOING = ("in_progress",)


def period_dates(label: str) -> tuple[datetime.date, datetime.date]:
    """1 April to 31 March of a reporting year written like 2025-26."""
    first = int(label[:4])
    return datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)


def next_label(label: str) -> str:
    first = int(label[:4]) + 1
    return f"{first}-{(first + 1) % 100:02d}"


def _label(list_id: str, code: str) -> str:
    return code_list(list_id).label(code) if code else ""


def _evidence(
    priority: records.Priority, where: queries.Comparators
) -> tuple[annual.Evidence, ...]:
    """The priority's dashboard panels, with published figures (the report is public)."""
    found = []
    for panel in DashboardPanel.objects.filter(priority=priority).order_by("position", "id"):
        spec = queries.spec_of(panel.indicator, priority.partnership)
        if spec is None:
            continue
        total = pages.for_readers(queries.indicator_figures(spec, where), exact=False)
        if panel.breakdown == "total":
            chart = pages.chart_for("trend", spec, where, exact=False)
        else:
            chart = pages.chart_for(
                "breakdown", spec, where, exact=False, breakdown=panel.breakdown
            )
        found.append(
            annual.Evidence(
                title=spec.title,
                statement=statements.headline(total) if total.figures else None,
                chart=chart,
                why=panel.why,
            )
        )
    return tuple(found)


def _actions(priority: records.Priority) -> tuple[annual.Action, ...]:
    made = []
    for action in priority.actions.select_related("owner_agency").order_by("due_date", "id"):
        latest = action.updates.order_by("-date", "-id").first()
        made.append(
            annual.Action(
                title=action.title,
                owner=str(action.owner_agency),
                status=_label("action_statuses", action.status),
                rag=_label("rag_ratings", action.rag),
                due=action.due_date,
                latest_update=latest.note if latest else "",
            )
        )
    return tuple(made)


def _priority(
    priority: records.Priority, period: records.ReportingPeriod, where: queries.Comparators
) -> annual.PriorityReport:
    review = priority.reviews.filter(period=period).first()
    return annual.PriorityReport(
        title=priority.title,
        description=priority.description,
        success_measures=priority.success_measures,
        outcome=_label("priority_review_outcomes", review.outcome) if review else "",
        review_summary=review.summary if review else "",
        actions=_actions(priority),
        evidence=_evidence(priority, where),
    )


def _review(
    review: records.LearningReview, start: datetime.date, end: datetime.date
) -> annual.Review:
    concluded_on = review.publication_date
    concluded = review.status in CONCLUDED and (
        concluded_on is None or start <= concluded_on <= end
    )
    recommendations = tuple(
        annual.Recommendation(
            number=item.number,
            text=item.text,
            owner=str(item.owner_agency) if item.owner_agency_id else "",
            accepted=item.accepted,
            reason_not_accepted=item.reason_not_accepted,
            status=item.status,
            status_label=_label("recommendation_statuses", item.status),
            actions=item.actions,
            evidence=item.evidence,
        )
        for item in review.recommendations.select_related("owner_agency").order_by("number")
    )
    return annual.Review(
        name=review.pseudonym,
        title=review.title,
        kind=_label("review_kinds", review.kind),
        status=review.status,
        status_label=_label("review_statuses", review.status),
        referral_date=review.referral_date,
        decision_date=review.decision_date,
        publication_date=review.publication_date,
        concluded_in_year=concluded,
        in_progress=review.status in ONGOING,
        summary=review.summary,
        findings=review.findings,
        themes=tuple(_label("review_themes", code) for code in review.themes),
        recommendations=recommendations,
    )


def _reviews_of_year(
    partnership: records.Partnership, start: datetime.date, end: datetime.date
) -> list[records.LearningReview]:
    """Reviews the year's report speaks of: those referred by its end and not closed before
    it began."""
    found = []
    for review in partnership.reviews.order_by("referral_date", "id"):
        if review.referral_date > end:
            continue
        if (
            review.status in CONCLUDED
            and review.publication_date
            and review.publication_date < start
        ):
            continue
        found.append(review)
    return found


def annual_report(report: AnnualReport) -> annual.AnnualReport:
    """Everything the report says, from the partnership's records for the report's year."""
    partnership = report.partnership
    period = report.period
    start, end = period_dates(period.label)
    where = queries.comparators(partnership.area)
    priorities = partnership.priorities.filter(periods=period).order_by("title")
    upcoming = partnership.priorities.filter(periods__label=next_label(period.label)).order_by(
        "title"
    )
    contributions = {
        item.membership_id: item.contribution
        for item in MemberContribution.objects.filter(
            membership__partnership=partnership, period=period
        )
    }
    council = partnership.area.name
    recipients = ADULTS_RECIPIENTS if partnership.kind == "adults" else CHILDREN_RECIPIENTS
    published = report.versions.order_by("-number").first()
    return annual.AnnualReport(
        partnership=partnership.name,
        short_name=partnership.short_name,
        kind=partnership.kind,
        area=partnership.area.name,
        period=period.label,
        period_start=start,
        period_end=end,
        foreword=report.foreword,
        chair=partnership.independent_chair,
        governance=report.governance or partnership.description,
        subgroups=tuple(
            annual.Subgroup(s.name, s.remit, s.chair) for s in partnership.subgroups.all()
        ),
        members=tuple(
            annual.Member(
                agency=str(m.agency),
                kind=_label("membership_kinds", m.kind),
                representative=m.representative,
                contribution=contributions.get(m.pk, ""),
            )
            for m in partnership.members.select_related("agency").order_by("agency__name")
        ),
        priorities=tuple(_priority(p, period, where) for p in priorities),
        achievements=tuple(
            annual.Achievement(
                a.title, a.description, a.impact, a.priority.title if a.priority_id else ""
            )
            for a in records.Achievement.objects.filter(partnership=partnership, period=period)
            .select_related("priority")
            .order_by("title")
        ),
        challenges=tuple(
            annual.Challenge(
                c.title, c.description, c.response, c.priority.title if c.priority_id else ""
            )
            for c in records.Challenge.objects.filter(partnership=partnership, period=period)
            .select_related("priority")
            .order_by("title")
        ),
        reviews=tuple(_review(r, start, end) for r in _reviews_of_year(partnership, start, end)),
        audits=tuple(
            annual.Audit(
                topic=a.topic,
                status=_label("audit_statuses", a.status),
                cases_audited=a.cases_audited,
                agencies=tuple(str(agency) for agency in a.agencies.all()),
                findings=a.findings,
                actions=a.actions,
            )
            for a in partnership.audits.filter(period=period).order_by("topic")
        ),
        feedback=tuple(
            annual.Feedback(
                source=_label("feedback_sources", f.source),
                date=f.date,
                summary=f.summary,
                what_was_said=f.what_was_said,
                what_changed=f.what_changed,
            )
            for f in partnership.feedback.filter(date__range=(start, end)).order_by("date")
        ),
        training=report.training_items,
        next_priorities=tuple(annual.NextPriority(p.title, p.description) for p in upcoming),
        recipients=tuple(line.format(council=f"{council} Council") for line in recipients),
        version_note=(
            f"Version {published.number}, published {published.published_at:%-d %B %Y}."
            if published
            else "Draft: not yet approved or published."
        ),
    )
