"""The partnership overview: RAG counts, overdue actions, reviews by stage, open
recommendations, and the period selector."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safeguarding.web.records import models as m
from safeguarding.web.records.overview import build_overview


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_action(world: Any, title: str, rag: str, status: str, due: datetime.date) -> Any:
    return m.DeliveryAction.objects.create(
        priority=world.priority,
        title=title,
        owner_agency=world.icb,
        lead="Designated nurse",
        due_date=due,
        status=status,
        rag=rag,
    )


def test_rag_counts_per_priority(world: Any) -> None:
    add_action(world, "Green one", "green", "in_progress", datetime.date(2030, 1, 1))
    add_action(world, "Green two", "green", "completed", datetime.date(2024, 1, 1))
    overview = build_overview(world.children)
    (row,) = overview.priorities
    assert {c.code: c.count for c in row.rag_counts} == {"red": 1, "amber": 1, "green": 2}
    page = signed_in(world.users["board_member"]).get("/partnerships/tscp/").content.decode()
    # The word and the number are shown, not colour alone.
    assert 'govuk-tag--red">Red</strong> <span class="app-rag-count">1</span>' in page
    assert 'govuk-tag--green">Green</strong> <span class="app-rag-count">2</span>' in page


def test_overdue_actions_exclude_finished_and_future(world: Any) -> None:
    add_action(world, "Done late", "green", "completed", datetime.date(2024, 1, 1))
    add_action(world, "Dropped", "green", "cancelled", datetime.date(2024, 1, 1))
    add_action(world, "Not due yet", "green", "not_started", datetime.date(2099, 1, 1))
    overdue = {a.title for a in build_overview(world.children).overdue}
    # Both fixture actions fell due in early 2025 and are not finished.
    assert overdue == {"Train response officers on neglect", "Refresh the neglect toolkit"}


def test_reviews_by_stage_link_to_the_filtered_list(world: Any) -> None:
    for pseudonym in ("Child W", "Child X"):
        m.LearningReview.objects.create(
            partnership=world.children,
            kind="rapid_review",
            pseudonym=pseudonym,
            referral_date=datetime.date(2025, 1, 5),
        )
    stages = {s.code: s.count for s in build_overview(world.children).stages}
    assert stages["referred"] == 2 and stages["in_progress"] == 1 and stages["published"] == 0
    page = signed_in(world.users["board_member"]).get("/partnerships/tscp/").content.decode()
    assert '<a class="govuk-link" href="/partnerships/tscp/reviews/?status=referred">' in page
    assert "Referral received" in page


def test_open_recommendations(world: Any) -> None:
    world.council_recommendation.status = "impact_evidenced"
    world.council_recommendation.evidence = "Audit shows fathers recorded in 9 of 10 cases."
    world.council_recommendation.save()
    rejected = m.Recommendation.objects.create(
        review=world.review,
        number=3,
        text="Not accepted one",
        accepted=False,
        reason_not_accepted="Already covered.",
    )
    open_ = build_overview(world.children).open_recommendations
    assert open_ == [world.police_recommendation]
    assert rejected not in open_
    page = signed_in(world.users["board_member"]).get("/partnerships/tscp/").content.decode()
    assert "Police share neglect concerns within 24 hours." in page
    assert "record fathers" not in page


def test_period_selector(world: Any) -> None:
    later = m.ReportingPeriod.objects.create(label="2025-26")
    new_priority = m.Priority.objects.create(
        partnership=world.children, title="Exploitation", description="Outside the home."
    )
    new_priority.periods.set([later])
    assert build_overview(world.children).period == later
    client = signed_in(world.users["board_member"])
    neglect = f'href="/partnerships/tscp/priorities/{world.priority.pk}/">Neglect</a>'
    exploitation = f'href="/partnerships/tscp/priorities/{new_priority.pk}/">Exploitation</a>'
    latest = client.get("/partnerships/tscp/").content.decode()
    assert exploitation in latest and neglect not in latest
    earlier = client.get("/partnerships/tscp/?period=2024-25").content.decode()
    assert neglect in earlier and exploitation not in earlier
    odd = client.get("/partnerships/tscp/?period=<script>")
    assert odd.status_code == 200
    assert "showing the latest year instead" in odd.content.decode()
    assert "<script>'" not in odd.content.decode()


def test_overview_queries_do_not_grow_with_records(world: Any) -> None:
    client = signed_in(world.users["board_member"])
    client.get("/partnerships/tscp/")
    with CaptureQueriesContext(connection) as few:
        client.get("/partnerships/tscp/")
    for n in range(15):
        priority = m.Priority.objects.create(
            partnership=world.children, title=f"Priority {n}", description="x"
        )
        priority.periods.set([world.period])
        add_action(world, f"Action {n}", "red", "not_started", datetime.date(2024, 2, 1))
        m.Recommendation.objects.create(review=world.review, number=10 + n, text=f"Rec {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/partnerships/tscp/")
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    "role", ["administrator", "business_manager", "police_contributor", "board_member"]
)
def test_overview_for_each_role(world: Any, role: str) -> None:
    response = signed_in(world.users[role]).get("/partnerships/tscp/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    can_add = role in ("administrator", "business_manager")
    assert ("Add a priority" in page) is can_add
