"""The records' own rules: what ``full_clean`` accepts and refuses, and derived values."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from safeguarding.web.records import models as m
from tests.conftest import World


def errors_of(instance: Any, **kwargs: Any) -> dict[str, list[str]]:
    """The field errors ``full_clean`` gives, or an empty dict when the record is valid."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        return error.message_dict
    return {}


TODAY = timezone.localdate()
ONE_DAY = datetime.timedelta(days=1)


def test_models_and_migrations_agree(db: None) -> None:
    """A model or code-list change without its migration fails here, not on someone's server."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# Financial years


@pytest.mark.parametrize("label", ["2024-25", "2023-24", "1999-00", "2099-00"])
def test_financial_year_labels_that_are_valid(label: str) -> None:
    m.validate_financial_year(label)


@pytest.mark.parametrize(
    "label",
    [
        "2024-26",
        "2024-24",
        "24-25",
        "2024-2025",
        "2024/25",
        "2024 25",
        "",
        "abcd-ef",
        "2024-25\n",
        " 2024-25",
        "\u0662\u0660\u0662\u0664-\u0662\u0665",  # Arabic-Indic digits for 2024-25
    ],
)
def test_financial_year_labels_that_are_invalid(label: str) -> None:
    with pytest.raises(ValidationError) as raised:
        m.validate_financial_year(label)
    assert "2024-25" in raised.value.messages[0]


def test_a_reporting_period_checks_its_label(db: None) -> None:
    assert "label" in errors_of(m.ReportingPeriod(label="2024-2025"))
    assert errors_of(m.ReportingPeriod(label="2030-31")) == {}


def test_a_reporting_period_runs_april_to_march() -> None:
    period = m.ReportingPeriod(label="2024-25")
    assert period.start == datetime.date(2024, 4, 1)
    assert period.end == datetime.date(2025, 3, 31)
    assert str(period) == "2024-25"


def test_the_period_containing_a_day(world: World) -> None:
    assert m.ReportingPeriod.containing(datetime.date(2024, 4, 1)) == world.period
    assert m.ReportingPeriod.containing(datetime.date(2025, 3, 31)) == world.period
    assert m.ReportingPeriod.containing(datetime.date(2024, 3, 31)) == world.previous_period
    count = m.ReportingPeriod.objects.count()
    created = m.ReportingPeriod.containing(datetime.date(2025, 4, 1))
    assert created.label == "2025-26"
    assert m.ReportingPeriod.objects.count() == count + 1
    assert m.ReportingPeriod.containing(datetime.date(2000, 1, 15)).label == "1999-00"


# Area, partnership and agencies


def test_council_code_must_be_an_ons_code(db: None) -> None:
    area = m.Area(name="Newtown", slug="newtown", council_code="E09000007")
    assert errors_of(area) == {}
    area.council_code = "Newtown"
    assert "council_code" in errors_of(area)
    area.council_code = "W06000015"
    assert "council_code" in errors_of(area)


def test_a_partnership_kind_comes_from_the_code_list(world: World) -> None:
    world.children.kind = "education"
    assert "kind" in errors_of(world.children)
    world.children.kind = "other"
    assert errors_of(world.children) == {}


def test_a_member_agency_must_be_from_the_partnerships_area(world: World) -> None:
    membership = m.AgencyMembership(
        partnership=world.children, agency=world.other_council, kind="relevant_agency"
    )
    assert "agency" in errors_of(membership)
    membership = m.AgencyMembership(
        partnership=world.adults, agency=world.school, kind="relevant_agency"
    )
    assert errors_of(membership) == {}


def test_a_partnership_with_members_cannot_move_area(world: World) -> None:
    world.children.area = world.other_area
    assert list(errors_of(world.children)) == ["area"]
    empty = m.Partnership.objects.create(
        area=world.area,
        name="Testbury Community Safety",
        short_name="CSP",
        slug="csp",
        kind="other",
    )
    empty.area = world.other_area
    assert errors_of(empty) == {}


def test_a_subgroup_chair_agency_must_be_from_the_partnerships_area(world: World) -> None:
    subgroup = m.Subgroup(
        partnership=world.children, name="Exploitation", chair_agency=world.police
    )
    assert errors_of(subgroup) == {}
    subgroup.chair_agency = world.other_council
    assert list(errors_of(subgroup)) == ["chair_agency"]


# Priorities and what hangs from them


def test_a_lead_subgroup_must_be_of_the_same_partnership(world: World) -> None:
    adults_group = m.Subgroup.objects.create(partnership=world.adults, name="Practice")
    children_group = m.Subgroup.objects.create(partnership=world.children, name="Practice")
    world.priority.lead_subgroup = adults_group
    assert list(errors_of(world.priority)) == ["lead_subgroup"]
    world.priority.lead_subgroup = children_group
    assert errors_of(world.priority) == {}


@pytest.mark.parametrize("model", [m.Achievement, m.Challenge])
def test_an_achievement_or_challenge_priority_must_be_of_the_same_partnership(
    world: World, model: type[m.Achievement | m.Challenge]
) -> None:
    record = model(
        partnership=world.adults,
        period=world.period,
        priority=world.priority,
        title="Joint training",
        description="-",
    )
    assert list(errors_of(record)) == ["priority"]
    record.partnership = world.children
    assert errors_of(record) == {}
    record.priority = None
    assert errors_of(record) == {}


def test_an_action_owner_must_be_a_member_of_the_partnership(world: World) -> None:
    action = m.DeliveryAction(
        priority=world.priority,
        title="Attendance officers join strategy meetings",
        owner_agency=world.other_council,
        lead="Head of Inclusion",
        due_date=datetime.date(2025, 7, 1),
    )
    errors = errors_of(action)
    assert list(errors) == ["owner_agency"]
    assert world.children.name in errors["owner_agency"][0]
    # The school is in the area but a member of the children's partnership only.
    action.owner_agency = world.school
    assert errors_of(action) == {}
    adults_priority = m.Priority.objects.create(
        partnership=world.adults, title="Transitions", description="-"
    )
    action.priority = adults_priority
    assert list(errors_of(action)) == ["owner_agency"]


def test_an_action_status_and_rag_come_from_code_lists(world: World) -> None:
    action = world.police_action
    action.status = "done"
    action.rag = "blue"
    assert set(errors_of(action)) == {"status", "rag"}


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        ("in_progress", TODAY - ONE_DAY, True),
        ("not_started", TODAY - 100 * ONE_DAY, True),
        ("paused", TODAY - ONE_DAY, True),
        ("completed", TODAY - ONE_DAY, False),
        ("cancelled", TODAY - ONE_DAY, False),
        ("in_progress", TODAY, False),
        ("in_progress", TODAY + ONE_DAY, False),
    ],
)
def test_an_action_is_overdue(status: str, due: datetime.date, overdue: bool) -> None:
    action = m.DeliveryAction(title="-", lead="-", due_date=due, status=status)
    assert action.is_overdue is overdue


def test_a_progress_update_cannot_be_in_the_future(world: World) -> None:
    update = m.ProgressUpdate(
        action=world.police_action, date=TODAY + ONE_DAY, note="Planned.", rag="green"
    )
    assert list(errors_of(update)) == ["date"]
    update.date = TODAY
    assert errors_of(update) == {}


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://example.org/minutes/2024-11.pdf", True),
        ("http://intranet.example.org/report", True),
        ("ftp://example.org/report.pdf", False),
        ("javascript:alert(1)", False),
        ("example.org/report", False),
    ],
)
def test_progress_evidence_must_be_a_web_link(world: World, url: str, valid: bool) -> None:
    update = m.ProgressUpdate(
        action=world.police_action, date=TODAY, note="-", rag="green", evidence_url=url
    )
    assert ("evidence_url" not in errors_of(update)) is valid


def test_one_review_of_a_priority_a_year(world: World) -> None:
    m.PriorityReview.objects.create(
        priority=world.priority,
        period=world.period,
        outcome="continuing",
        summary="-",
        reviewed_on=datetime.date(2025, 4, 20),
    )
    again = m.PriorityReview(
        priority=world.priority,
        period=world.period,
        outcome="achieved",
        summary="-",
        reviewed_on=datetime.date(2025, 4, 21),
    )
    assert "__all__" in errors_of(again)


# Learning reviews and recommendations


def review(world: World, **values: Any) -> m.LearningReview:
    fields: dict[str, Any] = {
        "partnership": world.adults,
        "kind": "sar_mandatory",
        "pseudonym": "Adult D",
        "status": "referred",
        "referral_date": datetime.date(2024, 5, 1),
    }
    fields.update(values)
    return m.LearningReview(**fields)


def test_a_referred_review_is_valid(world: World) -> None:
    assert errors_of(review(world)) == {}


@pytest.mark.parametrize(
    "pseudonym", ["Adult 4857773456", "Child 20190312", "Adult born 03/05/12", "Mr 1.2.88"]
)
def test_a_pseudonym_with_identifying_numbers_is_refused(world: World, pseudonym: str) -> None:
    assert list(errors_of(review(world, pseudonym=pseudonym))) == ["pseudonym"]


@pytest.mark.parametrize("pseudonym", ["Adult D", "Child Q", "Jade", "Children C1 and C2"])
def test_ordinary_pseudonyms_are_accepted(world: World, pseudonym: str) -> None:
    assert errors_of(review(world, pseudonym=pseudonym)) == {}


def test_review_dates_must_be_in_order(world: World) -> None:
    early = review(
        world,
        status="in_progress",
        decision_date=datetime.date(2024, 4, 1),
    )
    assert list(errors_of(early)) == ["decision_date"]
    published_early = review(
        world,
        status="published",
        decision_date=datetime.date(2024, 6, 1),
        publication_date=datetime.date(2024, 5, 20),
    )
    assert list(errors_of(published_early)) == ["publication_date"]
    no_decision = review(world, publication_date=datetime.date(2024, 4, 20))
    assert list(errors_of(no_decision)) == ["publication_date"]
    in_order = review(
        world,
        status="published",
        decision_date=datetime.date(2024, 6, 1),
        publication_date=datetime.date(2025, 2, 14),
    )
    assert errors_of(in_order) == {}


def test_a_published_review_needs_its_publication_date(world: World) -> None:
    published = review(world, status="published", decision_date=datetime.date(2024, 6, 1))
    errors = errors_of(published)
    assert list(errors) == ["publication_date"]
    assert "published" in errors["publication_date"][0]


@pytest.mark.parametrize("status", ["in_progress", "report_agreed", "published", "closed"])
def test_a_review_under_way_needs_its_decision_date(world: World, status: str) -> None:
    under_way = review(world, status=status, publication_date=datetime.date(2025, 1, 1))
    assert "decision_date" in errors_of(under_way)


def test_review_kind_status_themes_and_abuse_types_come_from_code_lists(world: World) -> None:
    bad = review(world, kind="serious_case_review", status="lost", themes=["x"], abuse_types=["y"])
    assert set(errors_of(bad)) == {"kind", "status", "themes", "abuse_types"}


def test_a_review_reads_as_its_title_or_pseudonym(world: World) -> None:
    assert str(review(world)) == "Adult D (Safeguarding Adults Review (mandatory))"
    assert str(review(world, title="Learning from Adult D")) == "Learning from Adult D"


def recommendation(world: World, **values: Any) -> m.Recommendation:
    fields: dict[str, Any] = {
        "review": world.review,
        "number": 9,
        "text": "Health visitors ask who else lives in the home.",
        "owner_agency": world.icb,
    }
    fields.update(values)
    return m.Recommendation(**fields)


def test_a_recommendation_is_valid(world: World) -> None:
    assert errors_of(recommendation(world)) == {}


def test_a_recommendation_not_accepted_needs_a_reason(world: World) -> None:
    refused = recommendation(world, accepted=False)
    assert list(errors_of(refused)) == ["reason_not_accepted"]
    refused.reason_not_accepted = "   "
    assert list(errors_of(refused)) == ["reason_not_accepted"]
    refused.reason_not_accepted = "Already covered by the national pathway."
    assert errors_of(refused) == {}


def test_a_recommendation_not_being_implemented_needs_a_reason(world: World) -> None:
    stopped = recommendation(world, status="not_implemented")
    assert list(errors_of(stopped)) == ["reason_not_accepted"]
    stopped.reason_not_accepted = "The service was recommissioned."
    assert errors_of(stopped) == {}


def test_impact_evidenced_needs_evidence(world: World) -> None:
    done = recommendation(world, status="impact_evidenced")
    assert list(errors_of(done)) == ["evidence"]
    done.evidence = "Audit in March 2025 found fathers recorded in 46 of 50 assessments."
    assert errors_of(done) == {}


def test_a_recommendation_owner_must_be_a_member_of_the_partnership(world: World) -> None:
    outsider = recommendation(world, owner_agency=world.other_council)
    assert list(errors_of(outsider)) == ["owner_agency"]
    whole_partnership = recommendation(world, owner_agency=None)
    assert errors_of(whole_partnership) == {}


def test_recommendation_numbers_are_unique_in_a_review(world: World) -> None:
    again = recommendation(world, number=1)
    assert "__all__" in errors_of(again)


# Lived experience and strategies


def feedback(world: World, **values: Any) -> m.LivedExperienceFeedback:
    fields: dict[str, Any] = {
        "partnership": world.children,
        "source": "young_advisors",
        "date": datetime.date(2024, 10, 8),
        "summary": "Young advisors' session on online safety",
        "what_was_said": "Adults do not understand the apps we use.",
    }
    fields.update(values)
    return m.LivedExperienceFeedback(**fields)


def test_feedback_cannot_be_dated_in_the_future(world: World) -> None:
    assert errors_of(feedback(world)) == {}
    assert list(errors_of(feedback(world, date=TODAY + ONE_DAY))) == ["date"]


def test_feedback_priority_must_be_of_the_same_partnership(world: World) -> None:
    assert errors_of(feedback(world, priority=world.priority)) == {}
    assert list(errors_of(feedback(world, partnership=world.adults, priority=world.priority))) == [
        "priority"
    ]


def test_feedback_source_comes_from_the_code_list(world: World) -> None:
    assert list(errors_of(feedback(world, source="rumour"))) == ["source"]


def strategy(world: World, **values: Any) -> m.Strategy:
    fields: dict[str, Any] = {
        "area": world.area,
        "title": "Testbury Health and Wellbeing Strategy",
        "kind": "health_and_wellbeing",
        "start_year": 2024,
        "end_year": 2029,
    }
    fields.update(values)
    return m.Strategy(**fields)


def test_strategy_years(world: World) -> None:
    assert errors_of(strategy(world)) == {}
    assert errors_of(strategy(world, end_year=2024)) == {}
    assert list(errors_of(strategy(world, end_year=2023))) == ["end_year"]
    assert list(errors_of(strategy(world, start_year=1990, end_year=1995))) == ["start_year"]
    assert list(errors_of(strategy(world, end_year=2150))) == ["end_year"]
    assert list(errors_of(strategy(world, start_year=0, end_year=0))) == ["start_year"]
