"""The partnership overview: the year's priorities and their actions, what is overdue,
learning reviews by stage, and recommendations not yet implemented.

A handful of queries whatever the partnership's size: each list is fetched once with the
records it shows beside it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from safeguarding.catalogue import code_list
from safeguarding.web.records import models as records

#: Statuses after which an action is no longer expected to be delivered.
FINISHED_ACTIONS = ("completed", "cancelled")
#: Implementation statuses that count as done.
IMPLEMENTED = ("implemented", "impact_evidenced")


@dataclass
class RagCount:
    code: str
    label: str
    count: int


@dataclass
class PriorityRow:
    priority: records.Priority
    actions: list[records.DeliveryAction]
    rag_counts: list[RagCount]


@dataclass
class StageCount:
    code: str
    label: str
    count: int


@dataclass
class Overview:
    partnership: records.Partnership
    periods: list[records.ReportingPeriod]
    period: records.ReportingPeriod | None
    priorities: list[PriorityRow]
    overdue: list[records.DeliveryAction]
    stages: list[StageCount]
    open_recommendations: list[records.Recommendation]
    problems: list[str] = field(default_factory=list)


def rag_counts(actions: list[records.DeliveryAction]) -> list[RagCount]:
    """How many actions carry each RAG rating, in the code list's order."""
    return [
        RagCount(code, label, sum(1 for a in actions if a.rag == code))
        for code, label in code_list("rag_ratings").choices
    ]


def periods_with_priorities(partnership: records.Partnership) -> list[records.ReportingPeriod]:
    return list(
        records.ReportingPeriod.objects.filter(priorities__partnership=partnership)
        .distinct()
        .order_by("label")
    )


def overdue_actions(
    partnership: records.Partnership, today: datetime.date | None = None
) -> QuerySet[records.DeliveryAction]:
    """Actions past their due date that are neither completed nor cancelled."""
    return (
        records.DeliveryAction.objects.filter(
            priority__partnership=partnership, due_date__lt=today or timezone.localdate()
        )
        .exclude(status__in=FINISHED_ACTIONS)
        .select_related("priority", "owner_agency")
        .order_by("due_date", "title")
    )


def reviews_by_stage(partnership: records.Partnership) -> list[StageCount]:
    """The number of the partnership's learning reviews at each stage, every stage listed."""
    counts = dict(
        records.LearningReview.objects.filter(partnership=partnership)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        StageCount(code, label, counts.get(code, 0))
        for code, label in code_list("review_statuses").choices
    ]


def open_recommendations(
    partnership: records.Partnership,
) -> QuerySet[records.Recommendation]:
    """Accepted recommendations not yet implemented."""
    return (
        records.Recommendation.objects.filter(review__partnership=partnership, accepted=True)
        .exclude(status__in=IMPLEMENTED)
        .select_related("review", "owner_agency")
        .order_by("target_date", "review__referral_date", "number")
    )


def build_overview(partnership: records.Partnership, period_label: str = "") -> Overview:
    """The overview of ``partnership`` for the reporting period labelled ``period_label``
    (the latest with priorities when empty or unknown)."""
    periods = periods_with_priorities(partnership)
    problems = []
    period = next((p for p in periods if p.label == period_label), None)
    if period_label and period is None:
        problems.append(
            f"There are no priorities for {period_label[:10]!r}: showing the latest year instead."
        )
    if period is None and periods:
        period = periods[-1]
    priorities: list[PriorityRow] = []
    if period is not None:
        queryset = (
            records.Priority.objects.filter(partnership=partnership, periods=period)
            .select_related("lead_subgroup")
            .prefetch_related(
                Prefetch(
                    "actions",
                    queryset=records.DeliveryAction.objects.select_related("owner_agency"),
                )
            )
            .order_by("title")
        )
        for priority in queryset:
            actions = list(priority.actions.all())
            priorities.append(PriorityRow(priority, actions, rag_counts(actions)))
    return Overview(
        partnership=partnership,
        periods=periods,
        period=period,
        priorities=priorities,
        overdue=list(overdue_actions(partnership)),
        stages=reviews_by_stage(partnership),
        open_recommendations=list(open_recommendations(partnership)),
        problems=problems,
    )
