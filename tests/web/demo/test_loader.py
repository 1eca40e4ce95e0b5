"""The demo borough: it loads, it holds what the issue asks for, and its logins work."""

from __future__ import annotations

import datetime
import re
import shutil
import stat
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.catalogue import code_list
from safeguarding.catalogue.geography import known_ons_codes
from safeguarding.indicators.catalogue import catalogue
from safeguarding.web import permissions
from safeguarding.web.audit import trail
from safeguarding.web.dashboards.models import DashboardPanel, NeighbourSet, SharedIndicator
from safeguarding.web.demo.loader import (
    LOGINS_FILE,
    DemoDataError,
    DemoLogin,
    DemoLoginsError,
    load_demo,
)
from safeguarding.web.records import models as m
from safeguarding.web.results.models import IndicatorLoad, IndicatorValue

# A pseudonym is a letter after "Adult", "Child" or "Baby", a group of such letters, or one
# first name: never two or more names, which could be a real person's full name.
PSEUDONYM = re.compile(
    r"^(?:(?:Adult|Child|Baby|Young person) [A-Z]"
    r"|(?:Adults|Children|Young people) [A-Z](?:, [A-Z])* and [A-Z]"
    r"|[A-Z][a-z]+)$"
)


@pytest.fixture
def demo(db: None, tmp_path: Path, settings: Any) -> list[DemoLogin]:
    return load_demo(tmp_path)


def _login(logins: list[DemoLogin], username: str) -> DemoLogin:
    return next(login for login in logins if login.username == username)


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def test_the_demo_holds_one_area_with_both_kinds_of_partnership(demo: list[DemoLogin]) -> None:
    area = m.Area.objects.get()
    assert area.council_code
    assert sorted(p.kind for p in area.partnerships.all()) == ["adults", "children"]
    for partnership in area.partnerships.all():
        kinds = set(partnership.members.values_list("kind", flat=True))
        assert {"statutory_partner", "relevant_agency"} <= kinds
        statutory = {
            member.agency.sector for member in partnership.members.filter(kind="statutory_partner")
        }
        assert statutory == {"local_authority", "health_commissioner", "police"}
        assert partnership.independent_chair
        assert 3 <= partnership.subgroups.count() <= 5
    assert 10 <= area.agencies.count() <= 16


def test_the_strategy_has_themes_with_descriptions(demo: list[DemoLogin]) -> None:
    strategy = m.Strategy.objects.get(kind="health_and_wellbeing")
    themes = list(strategy.themes.all())
    assert 5 <= len(themes) <= 7
    assert all(theme.description for theme in themes)
    assert [theme.order for theme in themes] == list(range(1, len(themes) + 1))


def test_priorities_run_over_two_reported_years_with_a_review_of_each(
    demo: list[DemoLogin],
) -> None:
    completed_years = {"2024-25", "2025-26"}
    for partnership in m.Partnership.objects.all():
        priorities = list(partnership.priorities.all())
        assert 3 <= len(priorities) <= 6
        reviewed_years = set()
        for priority in priorities:
            years = set(priority.periods.values_list("label", flat=True))
            reviews = set(priority.reviews.values_list("period__label", flat=True))
            # Every completed year a priority ran over has its review, and no other year does.
            assert reviews == years & completed_years, priority.title
            reviewed_years |= reviews
            assert 4 <= priority.actions.count() <= 6, priority.title
        assert reviewed_years == completed_years
        outcomes = set(
            m.PriorityReview.objects.filter(priority__partnership=partnership).values_list(
                "outcome", flat=True
            )
        )
        assert len(outcomes) >= 2


def test_actions_have_dated_updates_and_a_mix_of_statuses(demo: list[DemoLogin]) -> None:
    today = timezone.localdate()
    for partnership in m.Partnership.objects.all():
        actions = list(m.DeliveryAction.objects.filter(priority__partnership=partnership))
        assert all(1 <= action.updates.count() <= 5 for action in actions)
        assert len({action.owner_agency_id for action in actions}) >= 5
        statuses = {action.status for action in actions}
        assert {"completed", "in_progress", "not_started"} <= statuses
        assert {action.rag for action in actions} == {"red", "amber", "green"}
        assert any(action.is_overdue for action in actions)
    assert not m.ProgressUpdate.objects.filter(date__gt=today).exists()
    assert not m.LivedExperienceFeedback.objects.filter(date__gt=today).exists()
    assert m.ProgressUpdate.objects.exclude(evidence_url="").count() >= 10


def test_evidence_links_point_only_at_invented_sites(demo: list[DemoLogin]) -> None:
    for url in m.ProgressUpdate.objects.exclude(evidence_url="").values_list(
        "evidence_url", flat=True
    ):
        host = url.split("/")[2]
        assert url.startswith("https://")
        assert host.endswith(".example") or host in ("example.org", "example.com"), url


def test_achievements_and_challenges_cover_both_years(demo: list[DemoLogin]) -> None:
    for partnership in m.Partnership.objects.all():
        for model in (m.Achievement, m.Challenge):
            records = model.objects.filter(partnership=partnership)
            assert set(records.values_list("period__label", flat=True)) == {"2024-25", "2025-26"}
            assert records.filter(priority__isnull=False).exists()
            assert records.filter(priority__isnull=True).exists()
        assert all(a.impact for a in m.Achievement.objects.filter(partnership=partnership))
        assert all(c.response for c in m.Challenge.objects.filter(partnership=partnership))


def test_learning_reviews_span_kinds_stages_and_recommendation_statuses(
    demo: list[DemoLogin],
) -> None:
    for partnership in m.Partnership.objects.all():
        reviews = partnership.reviews.all()
        assert reviews.count() >= 4
        assert len({review.status for review in reviews}) >= 4
        assert len({review.kind for review in reviews}) >= 2
    kinds = set(m.LearningReview.objects.values_list("kind", flat=True))
    assert kinds == {code.code for code in code_list("review_kinds").codes}
    stages = set(m.LearningReview.objects.values_list("status", flat=True))
    assert {
        "referred",
        "under_consideration",
        "not_progressed",
        "in_progress",
        "published",
        "closed",
    } <= stages
    with_recommendations = m.LearningReview.objects.filter(recommendations__isnull=False).distinct()
    assert with_recommendations.count() >= 4
    for review in with_recommendations:
        assert 3 <= review.recommendations.count() <= 6, review.pseudonym
    statuses = set(m.Recommendation.objects.values_list("status", flat=True))
    assert len(statuses) >= 3
    assert "impact_evidenced" in statuses
    refused = m.Recommendation.objects.get(accepted=False)
    assert len(refused.reason_not_accepted) > 40
    for review in m.LearningReview.objects.all():
        assert review.themes and review.abuse_types


def test_no_pseudonym_looks_like_a_full_name(demo: list[DemoLogin]) -> None:
    pseudonyms = list(m.LearningReview.objects.values_list("pseudonym", flat=True))
    assert pseudonyms
    for pseudonym in pseudonyms:
        assert PSEUDONYM.match(pseudonym), pseudonym


def test_each_partnership_has_two_audits_and_lived_experience_feedback(
    demo: list[DemoLogin],
) -> None:
    for partnership in m.Partnership.objects.all():
        audits = list(partnership.audits.all())
        assert len(audits) == 2
        for audit in audits:
            assert audit.cases_audited and audit.findings and audit.actions
            assert audit.agencies.count() >= 3
        feedback = partnership.feedback.all()
        assert feedback.count() >= 5
        assert len({entry.source for entry in feedback}) >= 3
        assert all(entry.what_was_said and entry.what_changed for entry in feedback)


def test_every_stored_record_passes_validation(demo: list[DemoLogin]) -> None:
    checked = 0
    for model in apps.get_app_config("records").get_models():
        for instance in model.objects.all():
            instance.full_clean()
            checked += 1
    assert checked > 200


def test_later_edits_show_in_the_audit_trail(demo: list[DemoLogin]) -> None:
    action = m.DeliveryAction.objects.get(
        title__startswith="Brief every response and neighbourhood officer"
    )
    assert action.rag == "amber"
    events = list(trail.history(action))
    assert [(e.username, e.action) for e in events] == [("demo-police", "update")]
    assert events[0].changes == {"rag": ["green", "amber"]}
    update = action.updates.get(date=datetime.date(2026, 11, 20))
    assert trail.history(update).get().username == "demo-police"
    recommendation = m.Recommendation.objects.get(review__pseudonym="Adult F", number=2)
    assert recommendation.status == "implemented"
    assert trail.history(recommendation).get().username == "demo-nhs"
    review = m.LearningReview.objects.get(pseudonym="Adult K")
    assert trail.history(review).get().changes["status"] == ["under_consideration", "in_progress"]


def test_loading_twice_adds_nothing_and_returns_the_same_logins(
    demo: list[DemoLogin], tmp_path: Path
) -> None:
    counts = {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("records").get_models()
    }
    users = get_user_model().objects.count()
    results = (IndicatorLoad.objects.count(), IndicatorValue.objects.count())
    # The adult and children's figures computed from invented records, and the police's upload.
    kinds = sorted(IndicatorLoad.objects.values_list("kind", flat=True))
    assert kinds == ["computed", "computed", "uploaded"] and results[1] > 0
    assert load_demo(tmp_path) == demo
    assert counts == {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("records").get_models()
    }
    assert get_user_model().objects.count() == users
    assert (IndicatorLoad.objects.count(), IndicatorValue.objects.count()) == results


def test_logins_file_is_readable_by_its_owner_only(demo: list[DemoLogin], tmp_path: Path) -> None:
    mode = stat.S_IMODE((tmp_path / LOGINS_FILE).stat().st_mode)
    assert mode == 0o600


def test_a_missing_logins_file_is_reported_plainly(demo: list[DemoLogin], tmp_path: Path) -> None:
    (tmp_path / LOGINS_FILE).unlink()
    with pytest.raises(DemoLoginsError, match=r"not loaded again.*logins file .* is missing"):
        load_demo(tmp_path)


def test_there_is_a_login_for_each_role(demo: list[DemoLogin]) -> None:
    assert {login.role for login in demo} == {code.code for code in code_list("roles").codes}
    assert len({login.password for login in demo}) == len(demo)
    contributors = {login.agency for login in demo if login.role == "agency_contributor"}
    sectors = set(
        m.PartnerAgency.objects.filter(name__in=contributors).values_list("sector", flat=True)
    )
    assert sectors == {"police", "health_provider"}
    assert {login.partnership for login in demo if login.role == "business_manager"} == set(
        m.Partnership.objects.values_list("name", flat=True)
    )
    for login in demo:
        assert login.role_label == code_list("roles").label(login.role)


def test_every_login_signs_in(demo: list[DemoLogin]) -> None:
    for login in demo:
        user = authenticate(username=login.username, password=login.password)
        assert user is not None and user.username == login.username
        assert authenticate(username=login.username, password=login.password + "x") is None


def test_each_role_can_do_what_it_should_and_no_more(demo: list[DemoLogin]) -> None:
    children = m.Partnership.objects.get(kind="children")
    adults = m.Partnership.objects.get(kind="adults")
    police_action = m.DeliveryAction.objects.filter(
        priority__partnership=children, owner_agency__sector="police"
    ).first()
    council_action = m.DeliveryAction.objects.filter(
        priority__partnership=children, owner_agency__sector="local_authority"
    ).first()
    hospital_recommendation = m.Recommendation.objects.filter(
        review__partnership=adults, owner_agency__short_name="LHFT"
    ).first()
    council_recommendation = m.Recommendation.objects.filter(
        review__partnership=adults, owner_agency__sector="local_authority"
    ).first()
    adults_priority = adults.priorities.first()
    children_priority = children.priorities.first()
    assert police_action and council_action and hospital_recommendation
    assert council_recommendation and adults_priority and children_priority

    police = _user("demo-police")
    assert permissions.can_on(police, "change", police_action)
    assert not permissions.can_on(police, "change", council_action)
    assert permissions.can_on(police, "view", council_action)
    assert not permissions.can_on(police, "view", adults_priority)
    assert not permissions.can_on(police, "change", children_priority)

    nhs = _user("demo-nhs")
    assert permissions.can_on(nhs, "change", hospital_recommendation)
    assert not permissions.can_on(nhs, "change", council_recommendation)
    assert permissions.can_on(nhs, "view", adults_priority)
    assert not permissions.can_on(nhs, "view", children_priority)

    board = _user("demo-board")
    assert permissions.can_on(board, "view", adults_priority)
    assert not permissions.can_on(board, "change", adults_priority)
    assert not permissions.can_on(board, "change", hospital_recommendation)

    children_manager = _user("demo-lscp-manager")
    assert permissions.can_on(children_manager, "change", council_action)
    assert permissions.can_on(children_manager, "delete", children_priority)
    assert not permissions.can_on(children_manager, "view", adults_priority)

    admin = _user("demo-admin")
    for record in (police_action, adults_priority, hospital_recommendation):
        assert permissions.can_on(admin, "delete", record)


def _copy_of_data(tmp_path: Path) -> Path:
    source = tmp_path / "data"
    source.mkdir()
    package = resources.files("safeguarding.web.demo")
    for name in ("borough.yaml", "children.yaml", "adults.yaml"):
        shutil.copyfile(str(package.joinpath(name)), source / name)
    return source


def test_a_bad_record_stops_the_load_names_it_and_leaves_nothing(db: None, tmp_path: Path) -> None:
    source = _copy_of_data(tmp_path)
    children = yaml.safe_load((source / "children.yaml").read_text())
    action = children["priorities"][0]["actions"][1]
    action["rag"] = "purple"
    (source / "children.yaml").write_text(yaml.safe_dump(children))
    with pytest.raises(DemoDataError) as raised:
        load_demo(tmp_path / "state", source=source)
    assert action["title"] in str(raised.value)
    assert "rag" in str(raised.value)
    assert not m.Area.objects.exists()
    assert not get_user_model().objects.exists()
    assert not (tmp_path / "state" / LOGINS_FILE).exists()


def test_an_update_dated_in_the_future_is_refused(db: None, tmp_path: Path) -> None:
    source = _copy_of_data(tmp_path)
    adults = yaml.safe_load((source / "adults.yaml").read_text())
    adults["priorities"][0]["actions"][0]["updates"][0]["date"] = (
        timezone.localdate() + datetime.timedelta(days=1)
    )
    (source / "adults.yaml").write_text(yaml.safe_dump(adults))
    with pytest.raises(DemoDataError, match="future"):
        load_demo(tmp_path / "state", source=source)
    assert not m.DeliveryAction.objects.exists()


def test_a_misspelt_field_or_unknown_agency_is_named(db: None, tmp_path: Path) -> None:
    source = _copy_of_data(tmp_path)
    adults = yaml.safe_load((source / "adults.yaml").read_text())
    adults["audits"][0]["cases_audted"] = 3
    (source / "adults.yaml").write_text(yaml.safe_dump(adults))
    with pytest.raises(DemoDataError, match="cases_audted"):
        load_demo(tmp_path / "state", source=source)

    adults["audits"][0].pop("cases_audted")
    adults["priorities"][1]["actions"][0]["owner"] = "ambulance"
    (source / "adults.yaml").write_text(yaml.safe_dump(adults))
    with pytest.raises(DemoDataError, match="no agency 'ambulance'"):
        load_demo(tmp_path / "state", source=source)
    assert not m.Area.objects.exists()


# Indicator results ------------------------------------------------------------------------------

BOROUGH_CODE = "E06000097"
DEMO_YEARS = {"2021-22", "2022-23", "2023-24", "2024-25", "2025-26"}


def test_the_borough_has_one_load_of_computed_adult_indicators_with_provenance(
    demo: list[DemoLogin],
) -> None:
    load = IndicatorLoad.objects.get(label__icontains="adult safeguarding")
    admin = _user("demo-admin")
    assert load.kind == "computed"
    assert "Larkhaven" in load.label and "invented" in load.label
    assert (load.loaded_by, load.loaded_by_name, load.via) == (admin, "demo-admin", "cli")
    assert load.engine == "duckdb"
    assert load.suppressed is False
    assert "invented" in load.notes and "no real person" in load.notes
    assert load.row_count == load.values.count()
    assert [(e.username, e.action) for e in trail.history(load)] == [("demo-admin", "create")]


def test_the_load_holds_every_adult_indicator_for_the_borough_in_every_year(
    demo: list[DemoLogin],
) -> None:
    load = IndicatorLoad.objects.get(label__icontains="adult safeguarding")
    values = load.values.all()
    neighbours = NeighbourSet.objects.get(area__council_code=BOROUGH_CODE)
    assert len(neighbours.codes) == 10
    # Every council is invented: none of their codes belongs to a real council.
    assert not set(neighbours.codes) & known_ons_codes()
    places = set(values.values_list("geography_level", "geography_code").distinct())
    assert places == {
        ("la", BOROUGH_CODE),
        *(("la", code) for code in neighbours.codes),
        ("region", "E12000009"),
        ("england", "E92000001"),
    }
    totals = values.filter(breakdown="total", geography_code=BOROUGH_CODE)
    expected = {spec.id for spec in catalogue().with_prefix("adults.")}
    for year in DEMO_YEARS:
        assert set(totals.filter(period=year).values_list("indicator", flat=True)) == expected
    assert set(values.values_list("period", flat=True).distinct()) == DEMO_YEARS


def test_the_childrens_load_has_disproportionality_with_intervals_for_the_borough(
    demo: list[DemoLogin],
) -> None:
    load = IndicatorLoad.objects.get(label__icontains="looked-after")
    rri = load.values.filter(
        indicator__startswith="children.rri.",
        geography_code=BOROUGH_CODE,
        breakdown="ethnic_group",
        lower_ci__isnull=False,
    )
    # Black children were planted 1.8 times as likely to have a section 47 enquiry.
    s47 = rri.get(indicator="children.rri.s47", category="BLACK", period="2025-26")
    assert s47.lower_ci > 1
    assert rri.values("indicator").distinct().count() == 5


def test_the_police_supply_their_shared_indicator(demo: list[DemoLogin]) -> None:
    load = IndicatorLoad.objects.get(kind="uploaded")
    assert load.loaded_by_name == "demo-police"
    shared = SharedIndicator.objects.get()
    assert set(load.values.values_list("indicator", flat=True)) == {shared.indicator_id}
    assert load.values.count() == 5
    panels = DashboardPanel.objects.filter(indicator=shared.indicator_id)
    assert panels.count() == 1


def test_the_borough_figures_are_plausible_for_a_unitary_council(demo: list[DemoLogin]) -> None:
    values = IndicatorValue.objects.current().filter(geography_code=BOROUGH_CODE)
    for year in DEMO_YEARS:
        concerns = values.get(indicator="adults.concerns", period=year, breakdown="total")
        # A unitary council of about 171,000 people has one to two thousand concerns a year.
        assert 1_000 <= concerns.value <= 2_500, (year, concerns.value)
        by_sex = values.filter(indicator="adults.concerns", period=year, breakdown="sex")
        assert by_sex.aggregate(n=Sum("value"))["n"] == concerns.value
        asked = values.get(indicator="adults.msp_asked_pct", period=year, breakdown="total")
        assert 60 <= asked.value <= 95, year
        assert asked.value == pytest.approx(100 * asked.numerator / asked.denominator)
        assert asked.lower_ci < asked.value < asked.upper_ci
        s42 = values.get(indicator="adults.s42_enquiries", period=year, breakdown="total")
        assert 0.15 * concerns.value < s42.value < 0.5 * concerns.value
        rate = values.get(indicator="adults.concerns_rate_per_100k", period=year, breakdown="total")
        assert rate.numerator == concerns.value
        assert 120_000 < rate.denominator < 150_000


def test_the_business_manager_sees_the_load_on_the_results_pages(demo: list[DemoLogin]) -> None:
    load = IndicatorLoad.objects.get(label__icontains="adult safeguarding")
    client = Client()
    client.force_login(_user("demo-lsab-manager"))
    listing = client.get(reverse("results:load-list"))
    assert listing.status_code == 200
    detail_url = reverse("results:load-detail", args=[load.pk])
    assert f'href="{detail_url}"'.encode() in listing.content
    detail = client.get(detail_url)
    assert detail.status_code == 200
    page = detail.content.decode()
    assert load.label in page and "adults.msp_asked_pct" in page


def _borough_with(tmp_path: Path, **change: Any) -> Path:
    source = _copy_of_data(tmp_path)
    borough = yaml.safe_load((source / "borough.yaml").read_text())
    borough["adult_indicators"].update(change)
    (source / "borough.yaml").write_text(yaml.safe_dump(borough))
    return source


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"region_code": "E12000009"}, "unknown settings region_code"),
        (
            {"neighbours": [{"code": "E09000007", "name": "Camden", "adults": 1000}]},
            "belongs to a real council",
        ),
        ({"loaded_by": "demo-board"}, "demo-board may not load indicator results"),
        ({"seed": "twelve"}, "whole numbers"),
    ],
)
def test_bad_indicator_settings_stop_the_load_and_leave_nothing(
    db: None, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    source = _borough_with(tmp_path, **change)
    with pytest.raises(DemoDataError, match=message) as raised:
        load_demo(tmp_path / "state", source=source)
    assert "adult_indicators" in str(raised.value)
    assert not m.Area.objects.exists()
    assert not IndicatorLoad.objects.exists() and not IndicatorValue.objects.exists()
    assert not (tmp_path / "state" / LOGINS_FILE).exists()


def test_a_real_council_code_is_refused_for_invented_records(db: None, tmp_path: Path) -> None:
    source = _copy_of_data(tmp_path)
    borough = yaml.safe_load((source / "borough.yaml").read_text())
    borough["area"]["council_code"] = "E06000001"  # Hartlepool
    (source / "borough.yaml").write_text(yaml.safe_dump(borough))
    with pytest.raises(DemoDataError, match="real council"):
        load_demo(tmp_path / "state", source=source)
    assert not IndicatorValue.objects.exists()
