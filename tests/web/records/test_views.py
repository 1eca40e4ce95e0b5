"""The generic record pages: who may see and change what, forms, filters and the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.dashboards.models import DashboardPanel, SharedIndicator
from safeguarding.web.records import models as m
from safeguarding.web.records.registry import BY_KEY, RECORD_TYPES, RecordType
from safeguarding.web.reports.models import AnnualReport, MemberContribution

READERS = ("administrator", "business_manager", "police_contributor", "board_member")
OUTSIDERS = ("adults_manager", "other_manager", "no_role")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def list_url(record_type: RecordType) -> str:
    if record_type.key == "reporting_period":
        return "/periods/"
    if record_type.area_path:
        return f"/areas/testbury/{record_type.slug}/"
    return f"/partnerships/tscp/{record_type.slug}/"


def one_record(world: Any, record_type: RecordType) -> Any:
    """A record of ``record_type`` in the children's partnership or its area."""
    if record_type.key == "reporting_period":
        return world.period
    if record_type.area_path:
        if record_type.key == "agency":
            return world.police
        strategy = m.Strategy.objects.create(
            area=world.area,
            title="Testbury Health and Wellbeing Strategy",
            kind="health_and_wellbeing",
            start_year=2024,
            end_year=2029,
        )
        if record_type.key == "strategy":
            return strategy
        return m.StrategyTheme.objects.create(strategy=strategy, title="Start well")
    makers = {
        "agency_membership": lambda: world.children.members.get(agency=world.police),
        "subgroup": lambda: m.Subgroup.objects.create(
            partnership=world.children, name="Learning and Improvement"
        ),
        "priority": lambda: world.priority,
        "priority_review": lambda: m.PriorityReview.objects.create(
            priority=world.priority,
            period=world.previous_period,
            outcome="continuing",
            summary="Carried on.",
            reviewed_on=datetime.date(2024, 4, 20),
        ),
        "delivery_action": lambda: world.police_action,
        "progress_update": lambda: m.ProgressUpdate.objects.create(
            action=world.police_action,
            date=datetime.date(2024, 11, 1),
            note="Two of five sessions delivered.",
            rag="amber",
        ),
        "achievement": lambda: m.Achievement.objects.create(
            partnership=world.children,
            period=world.period,
            title="Neglect toolkit used",
            description="Used in 40 cases.",
        ),
        "challenge": lambda: m.Challenge.objects.create(
            partnership=world.children,
            period=world.period,
            title="Health visitor vacancies",
            description="A third of posts vacant.",
        ),
        "learning_review": lambda: world.review,
        "recommendation": lambda: world.police_recommendation,
        "audit": lambda: m.MultiAgencyAudit.objects.create(
            partnership=world.children, topic="Neglect of teenagers", period=world.period
        ),
        "feedback": lambda: m.LivedExperienceFeedback.objects.create(
            partnership=world.children,
            source="survey",
            date=datetime.date(2024, 10, 1),
            summary="Survey of 30 young people",
            what_was_said="Workers change too often.",
        ),
        "dashboard_panel": lambda: DashboardPanel.objects.create(
            partnership=world.children,
            priority=world.priority,
            indicator="children.cp_plans_subsequent_pct",
        ),
        "annual_report": lambda: AnnualReport.objects.create(
            partnership=world.children, period=world.period, foreword="Our year."
        ),
        "member_contribution": lambda: MemberContribution.objects.create(
            membership=world.children.members.get(agency=world.police),
            period=world.period,
            contribution="Trained 40 officers.",
        ),
        "shared_indicator": lambda: SharedIndicator.objects.create(
            partnership=world.children,
            code="missing-episodes",
            title="Missing from home episodes",
            definition="Episodes of children reported missing to the police.",
            unit="count",
            owner_agency=world.police,
        ),
    }
    return makers[record_type.key]()


PAGE_TYPES = [t for t in RECORD_TYPES if t.key != "partnership"]


@pytest.mark.parametrize("record_type", PAGE_TYPES, ids=lambda t: t.key)
@pytest.mark.parametrize("role", READERS)
def test_list_and_detail_pages_render_for_every_reader(
    world: Any, record_type: RecordType, role: str
) -> None:
    record = one_record(world, record_type)
    client = signed_in(world.users[role])
    listing = client.get(list_url(record_type))
    assert listing.status_code == 200
    first_column = getattr(record, record_type.list_columns[0])
    named = first_column if isinstance(first_column, str) else str(record)
    assert named[:40] in listing.content.decode() or record_type.key == "progress_update"
    detail = client.get(f"{list_url(record_type)}{record.pk}/")
    assert detail.status_code == 200
    assert "History of changes" in detail.content.decode()


@pytest.mark.parametrize("record_type", PAGE_TYPES, ids=lambda t: t.key)
def test_outsiders_get_not_found_for_partnership_and_area_records(
    world: Any, record_type: RecordType
) -> None:
    record = one_record(world, record_type)
    for role in ("other_manager", "no_role"):
        client = signed_in(world.users[role])
        expected = {403} if record_type.key == "reporting_period" and role == "no_role" else None
        for url in (list_url(record_type), f"{list_url(record_type)}{record.pk}/"):
            status = client.get(url).status_code
            if record_type.key == "reporting_period" and role == "other_manager":
                assert status == 200
            elif expected:
                assert status in expected
            else:
                assert status == 404, (role, url)


def test_the_adults_manager_cannot_see_the_childrens_partnership(world: Any) -> None:
    client = signed_in(world.users["adults_manager"])
    assert client.get("/partnerships/tscp/").status_code == 404
    assert client.get(f"/partnerships/tscp/actions/{world.police_action.pk}/").status_code == 404
    # The same record reached through the partnership they can see is not there either.
    assert client.get(f"/partnerships/tsab/actions/{world.police_action.pk}/").status_code == 404


def test_anonymous_people_are_sent_to_sign_in(world: Any) -> None:
    client = Client()
    for url in (
        "/",
        "/partnerships/tscp/",
        "/partnerships/tscp/about/",
        "/partnerships/tscp/actions/",
        f"/partnerships/tscp/actions/{world.police_action.pk}/edit/",
        "/areas/testbury/agencies/",
        "/periods/",
        "/accounts/tokens/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/?next="), url


def test_unknown_record_type_is_not_found(world: Any) -> None:
    client = signed_in(world.users["administrator"])
    assert client.get("/partnerships/tscp/widgets/").status_code == 404
    assert client.get("/partnerships/tscp/agencies/").status_code == 404
    assert client.get("/areas/testbury/actions/").status_code == 404


def test_home_lists_partnerships_with_roles(world: Any) -> None:
    page = signed_in(world.users["police_contributor"]).get("/").content.decode()
    assert world.children.name in page
    assert world.adults.name not in page
    assert "Agency contributor for Testshire Police" in page
    admin_page = signed_in(world.users["administrator"]).get("/").content.decode()
    assert world.other.name in admin_page and "Add a partnership" in admin_page


def test_about_page_shows_members_and_subgroups(world: Any) -> None:
    m.Subgroup.objects.create(partnership=world.children, name="Quality Assurance")
    page = signed_in(world.users["board_member"]).get("/partnerships/tscp/about/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Testbury High School" in text and "Quality Assurance" in text
    assert "/about/edit/" not in text


# -- buttons only where permissions allow -----------------------------------------------------


def test_change_buttons_follow_permissions(world: Any) -> None:
    police_url = f"/partnerships/tscp/actions/{world.police_action.pk}/"
    council_url = f"/partnerships/tscp/actions/{world.council_action.pk}/"
    police = signed_in(world.users["police_contributor"])
    assert f"{police_url}edit/" in police.get(police_url).content.decode()
    assert f"{council_url}edit/" not in police.get(council_url).content.decode()
    assert f"{police_url}delete/" not in police.get(police_url).content.decode()
    board = signed_in(world.users["board_member"]).get(police_url).content.decode()
    assert "/edit/" not in board and "Add a progress update" not in board
    assert "Add a progress update" in police.get(police_url).content.decode()
    manager = signed_in(world.users["business_manager"]).get(police_url).content.decode()
    assert f"{police_url}delete/" in manager


# -- creating, changing and deleting ----------------------------------------------------------


def action_form(world: Any, **changes: str) -> dict[str, str]:
    data = {
        "priority": str(world.priority.pk),
        "title": "Audit neglect referrals from schools",
        "description": "",
        "owner_agency": str(world.school.pk),
        "lead": "Designated safeguarding lead",
        "due_date_day": "30",
        "due_date_month": "9",
        "due_date_year": "2025",
        "status": "not_started",
        "rag": "green",
    }
    data.update(changes)
    return data


def test_manager_creates_an_action_and_the_audit_trail_records_it(world: Any) -> None:
    client = signed_in(world.users["business_manager"])
    response = client.post("/partnerships/tscp/actions/new/", action_form(world))
    action = m.DeliveryAction.objects.get(title="Audit neglect referrals from schools")
    assert response.status_code == 302
    assert response["Location"] == f"/partnerships/tscp/actions/{action.pk}/"
    assert action.due_date == datetime.date(2025, 9, 30)
    event = AuditEvent.objects.get(action="create", object_id=str(action.pk))
    assert event.username == "manager" and event.changes["title"][1] == action.title
    page = client.get(response["Location"]).content.decode()
    assert "Delivery action added" in page
    assert "30 September 2025" in page and "Created by manager" in page


def test_editing_records_old_and_new_values_shown_on_the_page(world: Any) -> None:
    client = signed_in(world.users["police_contributor"])
    url = f"/partnerships/tscp/actions/{world.police_action.pk}/"
    form = action_form(
        world,
        title=world.police_action.title,
        owner_agency=str(world.police.pk),
        lead="Detective Inspector",
        status="in_progress",
        rag="red",
        due_date_day="31",
        due_date_month="3",
        due_date_year="2025",
    )
    response = client.post(f"{url}edit/", form)
    assert response.status_code == 302
    world.police_action.refresh_from_db()
    assert world.police_action.rag == "red"
    event = AuditEvent.objects.get(action="update", object_id=str(world.police_action.pk))
    assert event.changes == {"rag": ["amber", "red"]}
    page = client.get(url).content.decode()
    assert "Changed by police" in page
    # Code labels, not codes, in the old and new values.
    assert '<td class="govuk-table__cell">Amber</td>' in page
    assert '<td class="govuk-table__cell">Red</td>' in page


def test_contributor_cannot_edit_another_agencys_action_and_is_logged(world: Any) -> None:
    client = signed_in(world.users["police_contributor"])
    url = f"/partnerships/tscp/actions/{world.council_action.pk}/edit/"
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        action_form(world, title="Hijacked", owner_agency=str(world.council.pk)),
    )
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()
    world.council_action.refresh_from_db()
    assert world.council_action.title == "Refresh the neglect toolkit"
    refused = AuditEvent.objects.filter(
        action="refused", object_id=str(world.council_action.pk), username="police"
    )
    assert refused.count() == 2


def test_contributor_cannot_move_their_action_to_another_agency(world: Any) -> None:
    client = signed_in(world.users["police_contributor"])
    url = f"/partnerships/tscp/actions/{world.police_action.pk}/edit/"
    response = client.post(
        url,
        action_form(world, title=world.police_action.title, owner_agency=str(world.council.pk)),
    )
    assert response.status_code == 403
    world.police_action.refresh_from_db()
    assert world.police_action.owner_agency == world.police


def test_board_member_cannot_add_or_delete(world: Any) -> None:
    client = signed_in(world.users["board_member"])
    assert client.get("/partnerships/tscp/actions/new/").status_code == 403
    assert client.post("/partnerships/tscp/actions/new/", action_form(world)).status_code == 403
    delete = f"/partnerships/tscp/reviews/{world.review.pk}/delete/"
    assert client.post(delete).status_code == 403
    assert m.LearningReview.objects.filter(pk=world.review.pk).exists()
    assert not m.DeliveryAction.objects.filter(title__startswith="Audit neglect").exists()


def test_delete_asks_for_confirmation_then_deletes_and_logs(world: Any) -> None:
    client = signed_in(world.users["business_manager"])
    url = f"/partnerships/tscp/recommendations/{world.council_recommendation.pk}/delete/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Are you sure you want to delete" in confirm.content.decode()
    assert m.Recommendation.objects.filter(pk=world.council_recommendation.pk).exists()
    response = client.post(url)
    # A recommendation is shown on its review's page, so that is where we go back to.
    assert response["Location"] == f"/partnerships/tscp/reviews/{world.review.pk}/"
    assert not m.Recommendation.objects.filter(pk=world.council_recommendation.pk).exists()
    assert AuditEvent.objects.filter(
        action="delete", object_id=str(world.council_recommendation.pk)
    ).exists()


def test_deleting_a_record_others_rely_on_shows_a_message(world: Any) -> None:
    client = signed_in(world.users["administrator"])
    response = client.post(f"/areas/testbury/agencies/{world.police.pk}/delete/")
    assert response.status_code == 409
    assert "cannot be deleted because other records use it" in response.content.decode()
    assert m.PartnerAgency.objects.filter(pk=world.police.pk).exists()


def test_child_records_are_added_from_their_parent(world: Any) -> None:
    client = signed_in(world.users["police_contributor"])
    action_page = client.get(f"/partnerships/tscp/actions/{world.police_action.pk}/")
    add = f"/partnerships/tscp/updates/new/?action={world.police_action.pk}"
    assert add.replace("&", "&amp;") in action_page.content.decode()
    response = client.post(
        add,
        {
            "date_day": "1",
            "date_month": "12",
            "date_year": "2024",
            "note": "All response teams trained.",
            "evidence_url": "https://example.org/training-register",
            "rag": "green",
        },
    )
    assert response.status_code == 302
    update = m.ProgressUpdate.objects.get(note="All response teams trained.")
    assert update.action == world.police_action
    page = client.get(f"/partnerships/tscp/actions/{world.police_action.pk}/").content.decode()
    assert "https://example.org/training-register" in page


def test_contributor_cannot_add_updates_to_another_agencys_action(world: Any) -> None:
    client = signed_in(world.users["police_contributor"])
    url = f"/partnerships/tscp/updates/new/?action={world.council_action.pk}"
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("query", ["", "?action=abc", "?action=999999"])
def test_child_records_need_a_parent_in_this_partnership(world: Any, query: str) -> None:
    client = signed_in(world.users["business_manager"])
    assert client.get(f"/partnerships/tscp/updates/new/{query}").status_code == 404


def test_a_parent_from_another_partnership_is_not_found(world: Any) -> None:
    adults_review = m.LearningReview.objects.create(
        partnership=world.adults,
        kind="sar_mandatory",
        pseudonym="Adult K",
        referral_date=datetime.date(2024, 7, 1),
    )
    client = signed_in(world.users["business_manager"])
    url = f"/partnerships/tscp/recommendations/new/?review={adults_review.pk}"
    assert client.get(url).status_code == 404


def test_priority_reviews_and_strategy_themes_are_added_from_their_parent(world: Any) -> None:
    client = signed_in(world.users["business_manager"])
    response = client.post(
        f"/partnerships/tscp/priority-reviews/new/?priority={world.priority.pk}",
        {
            "period": str(world.period.pk),
            "outcome": "refocused",
            "summary": "Refocused on adolescents.",
            "reviewed_on_day": "15",
            "reviewed_on_month": "4",
            "reviewed_on_year": "2025",
        },
    )
    assert response.status_code == 302
    assert world.priority.reviews.get().outcome == "refocused"
    # A second review for the same year breaks a unique rule: a form error, not a 500.
    again = client.post(
        f"/partnerships/tscp/priority-reviews/new/?priority={world.priority.pk}",
        {
            "period": str(world.period.pk),
            "outcome": "continuing",
            "summary": "Again.",
            "reviewed_on_day": "16",
            "reviewed_on_month": "4",
            "reviewed_on_year": "2025",
        },
    )
    assert again.status_code == 200
    assert "There is a problem" in again.content.decode()
    strategy = one_record(world, BY_KEY["strategy"])
    assert isinstance(strategy, m.Strategy)
    response = client.post(
        f"/areas/testbury/themes/new/?strategy={strategy.pk}",
        {"order": "2", "title": "Live well", "description": ""},
    )
    assert response.status_code == 302
    page = client.get(f"/areas/testbury/strategies/{strategy.pk}/").content.decode()
    assert "Live well" in page


def test_foreign_key_choices_are_limited_to_the_partnership(world: Any) -> None:
    client = signed_in(world.users["business_manager"])
    page = client.get("/partnerships/tscp/actions/new/").content.decode()
    assert "Testbury High School" in page
    assert "Elsewhere Council" not in page
    other_priority = m.Priority.objects.create(
        partnership=world.adults, title="Self-neglect", description="x"
    )
    response = client.post(
        "/partnerships/tscp/actions/new/",
        action_form(world, priority=str(other_priority.pk)),
    )
    assert response.status_code == 200
    assert "Select the priority from the list" in response.content.decode()
    response = client.post(
        "/partnerships/tscp/actions/new/",
        action_form(world, owner_agency=str(world.other_council.pk)),
    )
    assert response.status_code == 200
    assert "Select the owner agency from the list" in response.content.decode()


def test_many_to_many_fields_are_saved_through_the_form(world: Any) -> None:
    client = signed_in(world.users["business_manager"])
    response = client.post(
        "/partnerships/tscp/priorities/new/",
        {
            "title": "Exploitation",
            "description": "Children at risk outside the home.",
            "periods": [str(world.period.pk)],
            "lead_subgroup": "",
            "success_measures": "",
        },
    )
    assert response.status_code == 302
    priority = m.Priority.objects.get(title="Exploitation")
    assert list(priority.periods.all()) == [world.period]
    event = AuditEvent.objects.get(action="create", object_id=str(priority.pk))
    assert event.changes["periods"][1] == ["2024-25"]


def test_partnership_pages_for_administrator_and_manager(world: Any) -> None:
    manager = signed_in(world.users["business_manager"])
    assert manager.get("/partnerships/new/").status_code == 403
    edit = manager.get("/partnerships/tscp/about/edit/")
    assert edit.status_code == 200
    data = {
        "area": str(world.area.pk),
        "name": world.children.name,
        "short_name": "TSCP",
        "slug": "tscp",
        "kind": "children",
        "independent_chair": "Independent scrutineer",
        "description": "",
    }
    assert manager.post("/partnerships/tscp/about/edit/", data).status_code == 302
    world.children.refresh_from_db()
    assert world.children.independent_chair == "Independent scrutineer"
    assert manager.get("/partnerships/tscp/about/delete/").status_code == 403
    admin = signed_in(world.users["administrator"])
    response = admin.post(
        "/partnerships/new/",
        {**data, "name": "Testbury Community Safety Partnership", "slug": "tcsp", "kind": "other"},
    )
    assert response.status_code == 302
    assert m.Partnership.objects.filter(slug="tcsp").exists()


# -- lists: search and filters ----------------------------------------------------------------


def rows(response: Any) -> str:
    return response.content.decode()


def test_action_filters_and_search(world: Any) -> None:
    client = signed_in(world.users["board_member"])
    red = rows(client.get("/partnerships/tscp/actions/?rag=red"))
    assert "Refresh the neglect toolkit" in red and "Train response officers" not in red
    police = rows(client.get(f"/partnerships/tscp/actions/?owner_agency={world.police.pk}"))
    assert "Train response officers" in police and "Refresh the neglect toolkit" not in police
    found = rows(client.get("/partnerships/tscp/actions/?q=toolkit"))
    assert "Refresh the neglect toolkit" in found and "Train response officers" not in found
    assert "<strong>1</strong> delivery action" in found
    both = rows(client.get(f"/partnerships/tscp/actions/?priority={world.priority.pk}"))
    assert "Refresh the neglect toolkit" in both and "Train response officers" in both


@pytest.mark.parametrize(
    "query",
    [
        "?priority=abc",
        "?priority=999999",
        "?owner_agency=-1",
        "?rag=purple",
        "?status=%00",
        "?page=zzz",
        "?page=99999",
        "?q=" + "x" * 500,
    ],
)
def test_bad_filter_values_never_fail(world: Any, query: str) -> None:
    client = signed_in(world.users["business_manager"])
    response = client.get(f"/partnerships/tscp/actions/{query}")
    assert response.status_code == 200


def test_filter_by_a_record_of_another_partnership_is_ignored_with_a_message(world: Any) -> None:
    other_priority = m.Priority.objects.create(
        partnership=world.adults, title="Self-neglect", description="x"
    )
    client = signed_in(world.users["business_manager"])
    page = rows(client.get(f"/partnerships/tscp/actions/?priority={other_priority.pk}"))
    assert "The priority filter was ignored" in page
    assert "Refresh the neglect toolkit" in page


def test_recommendation_filters(world: Any) -> None:
    world.council_recommendation.status = "implemented"
    world.council_recommendation.save()
    client = signed_in(world.users["board_member"])
    implemented = rows(client.get("/partnerships/tscp/recommendations/?status=implemented"))
    assert "record fathers" in implemented and "within 24 hours" not in implemented
    police = rows(client.get(f"/partnerships/tscp/recommendations/?owner_agency={world.police.pk}"))
    assert "within 24 hours" in police and "record fathers" not in police
    accepted = rows(client.get("/partnerships/tscp/recommendations/?accepted=no"))
    assert "within 24 hours" not in accepted and "<strong>0</strong>" in accepted
    by_review = rows(client.get(f"/partnerships/tscp/recommendations/?review={world.review.pk}"))
    assert "within 24 hours" in by_review and "record fathers" in by_review


def test_review_filters_on_theme_and_abuse_type(world: Any) -> None:
    m.LearningReview.objects.create(
        partnership=world.children,
        kind="rapid_review",
        pseudonym="Child V",
        referral_date=datetime.date(2024, 9, 3),
        themes=["online_harm", "voice"],
        abuse_types=["sexual_exploitation"],
    )
    client = signed_in(world.users["board_member"])
    theme = rows(client.get("/partnerships/tscp/reviews/?themes=online_harm"))
    assert "Child V" in theme and "Child T" not in theme
    sharing = rows(client.get("/partnerships/tscp/reviews/?themes=information_sharing"))
    assert "Child T" in sharing and "Child V" not in sharing
    neglect = rows(client.get("/partnerships/tscp/reviews/?abuse_types=neglect"))
    assert "Child T" in neglect and "Child V" not in neglect
    stage = rows(client.get("/partnerships/tscp/reviews/?status=referred"))
    assert "Child V" in stage and "Child T" not in stage
    search = rows(client.get("/partnerships/tscp/reviews/?q=child+v"))
    assert "Child V" in search and "Child T" not in search
    unknown = client.get("/partnerships/tscp/reviews/?themes=not_a_theme")
    assert unknown.status_code == 200 and "The themes filter was ignored" in rows(unknown)


def test_lists_show_labels_and_long_dates(world: Any) -> None:
    page = rows(signed_in(world.users["board_member"]).get("/partnerships/tscp/actions/"))
    assert "31 March 2025" in page and "In progress" in page
    assert 'govuk-tag govuk-tag--yellow">Amber<' in page
    assert "in_progress" not in page.split("<table")[1]
    reviews = rows(signed_in(world.users["board_member"]).get("/partnerships/tscp/reviews/"))
    assert "Local child safeguarding practice review" in reviews


def test_lists_are_paginated(world: Any) -> None:
    for n in range(30):
        m.DeliveryAction.objects.create(
            priority=world.priority,
            title=f"Extra action {n:02d}",
            owner_agency=world.council,
            lead="Lead",
            due_date=datetime.date(2026, 1, 1),
        )
    client = signed_in(world.users["board_member"])
    first = rows(client.get("/partnerships/tscp/actions/"))
    assert "<strong>32</strong> delivery actions" in first
    assert 'aria-label="Page 2"' in first
    second = rows(client.get("/partnerships/tscp/actions/?page=2"))
    assert "Extra action 29" in second and "Extra action 00" not in second


def test_reporting_periods_for_any_role_holder(world: Any) -> None:
    board = signed_in(world.users["board_member"])
    assert "2024-25" in rows(board.get("/periods/"))
    assert board.get("/periods/new/").status_code == 403
    assert signed_in(world.users["no_role"]).get("/periods/").status_code == 403
    manager = signed_in(world.users["business_manager"])
    bad = manager.post("/periods/new/", {"label": "2025-27"})
    assert bad.status_code == 200 and "Enter a financial year like 2024-25" in rows(bad)
    assert manager.post("/periods/new/", {"label": "2025-26"}).status_code == 302
    assert m.ReportingPeriod.objects.filter(label="2025-26").exists()
