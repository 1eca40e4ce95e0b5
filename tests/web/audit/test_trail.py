"""Recording changes: snapshots, differences and one record's history."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse

from safeguarding.web.audit import trail
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.dashboards.models import DashboardPanel
from safeguarding.web.records import models as m
from safeguarding.web.reports.models import AnnualReport, PublishedReport
from safeguarding.web.results.models import IndicatorLoad, IndicatorValue
from tests.conftest import World
from tests.web.dashboards.conftest import COUNCIL, ENGLAND, YEARS, _value

PCT = "children.cp_plans_subsequent_pct"


def test_history_gives_one_records_events_newest_first(world: World) -> None:
    manager = world.users["business_manager"]
    first = trail.record(manager, world.police_action, "create")
    trail.record(manager, world.council_action, "update", {"rag": ["red", "amber"]})
    second = trail.record(manager, world.police_action, "update", {"rag": ["amber", "green"]})
    third = trail.record(world.users["board_member"], world.police_action, "refused")
    # An event of another type of record with the same id is not part of this history.
    trail.record(manager, world.police_recommendation, "update", object_id=world.police_action.pk)
    assert AuditEvent.objects.filter(object_id=str(world.police_action.pk)).count() == 4

    history = list(trail.history(world.police_action))
    assert history == [third, second, first]


def test_history_orders_by_time_before_id(world: World) -> None:
    manager = world.users["business_manager"]
    older = trail.record(manager, world.priority, "create")
    newer = trail.record(manager, world.priority, "update", {"title": ["Neglect", "Neglect 2"]})
    # Events written in the same instant still come newest first.
    assert list(trail.history(world.priority)) == [newer, older]
    assert older.at <= newer.at


def test_history_of_a_record_with_none_is_empty(world: World) -> None:
    assert not trail.history(world.council_recommendation).exists()


def test_snapshot_reads_fields_as_people_would(world: World) -> None:
    values = trail.snapshot(world.police_action)
    assert values["title"] == "Train response officers on neglect"
    assert values["owner_agency"] == "Testshire Police"
    assert values["priority"] == "Neglect"
    assert values["due_date"] == "2025-03-31"
    assert "id" not in values

    review = trail.snapshot(world.review)
    assert review["themes"] == ["information_sharing"]
    assert review["decision_date"] == "2024-06-01"
    assert review["publication_date"] is None

    priority = trail.snapshot(world.priority)
    assert priority["periods"] == ["2023-24", "2024-25"]


def test_snapshot_of_an_unsaved_record_leaves_out_many_to_many(world: World) -> None:
    values = trail.snapshot(m.Priority(partnership=world.children, title="New", description="-"))
    assert "periods" not in values
    assert values["lead_subgroup"] is None


def test_diff_lists_only_changed_fields() -> None:
    before = {"title": "Old", "rag": "red", "themes": ["voice"], "gone": 1}
    after = {"title": "Old", "rag": "green", "themes": ["voice", "trauma"], "new": 2}
    assert trail.diff(before, after) == {
        "gone": [1, None],
        "new": [None, 2],
        "rag": ["red", "green"],
        "themes": [["voice"], ["voice", "trauma"]],
    }
    assert trail.diff(before, dict(before)) == {}


def test_events_are_json_safe_for_dates(world: World) -> None:
    update = m.ProgressUpdate.objects.create(
        action=world.police_action, date=datetime.date(2024, 12, 2), note="Done.", rag="green"
    )
    recorded = trail.record(
        world.users["business_manager"], update, "create", trail.diff({}, trail.snapshot(update))
    )
    stored = AuditEvent.objects.get(pk=recorded.pk)
    assert stored.changes["date"] == [None, "2024-12-02"]
    assert stored.partnership == world.children


@pytest.fixture
def figures(world: World) -> IndicatorLoad:
    """Three years of one invented percentage for Testbury and England."""
    load = IndicatorLoad.objects.create(
        kind="computed", label="Invented", loaded_by_name="analyst", via="cli", suppressed=False
    )
    IndicatorValue.objects.bulk_create(
        _value(
            PCT, code, period, value=value, numerator=9, denominator=50, unit="percent", load=load
        )
        for period in YEARS
        for code, value in ((COUNCIL, 18.0), (ENGLAND, 22.0))
    )
    return load


def _client(user: Any = None, **defaults: Any) -> Client:
    client = Client(**defaults)
    if user is not None:
        client.force_login(user)
    return client


def _exports() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="export").order_by("id"))


def test_chart_data_downloads_are_written_down(world: World, figures: IndicatorLoad) -> None:
    client = _client(world.users["board_member"], REMOTE_ADDR="192.0.2.1")
    for fmt in ("csv", "xlsx"):
        url = reverse("dashboards:indicator-data", args=["tscp", PCT, fmt])
        assert client.get(url, {"chart": "trend"}).status_code == 200
    csv_event, xlsx_event = _exports()
    assert csv_event.user == world.users["board_member"]
    assert csv_event.partnership == world.children
    assert csv_event.ip == "192.0.2.1" and csv_event.via == "web"
    assert "children-cp_plans_subsequent_pct-trend.csv" in csv_event.note
    assert csv_event.note.endswith("as CSV") and xlsx_event.note.endswith("as XLSX")
    assert csv_event.content_type is None
    # A refused or failed download hands nothing out, so writes no export.
    client.get(reverse("dashboards:indicator-data", args=["tscp", PCT, "pdf"]))
    client.get(reverse("dashboards:indicator-data", args=["tscp", PCT, "csv"]), {"chart": "no"})
    assert len(_exports()) == 2


def test_public_chart_data_downloads_are_written_down_with_no_person(
    world: World, figures: IndicatorLoad
) -> None:
    DashboardPanel.objects.create(partnership=world.children, indicator=PCT, public=True)
    url = reverse("dashboards:public-indicator-data", args=["tscp", PCT, "csv"])
    assert _client(REMOTE_ADDR="203.0.113.5").get(url, {"chart": "trend"}).status_code == 200
    (event,) = _exports()
    assert event.user is None and event.username == "anonymous"
    assert event.ip == "203.0.113.5"
    assert "published" in event.note


@pytest.fixture
def report(world: World) -> AnnualReport:
    return AnnualReport.objects.create(
        partnership=world.children, period=world.period, foreword="A year of change."
    )


def test_a_draft_report_download_is_written_down_but_is_not_a_change(
    world: World, report: AnnualReport
) -> None:
    client = _client(world.users["business_manager"])
    url = reverse("reports:draft", args=["tscp", report.pk, "html"])
    assert client.get(url).status_code == 200
    (event,) = _exports()
    assert event.object_id == str(report.pk) and event.object_repr == str(report)
    assert event.partnership == world.children
    assert event.note == "draft annual report as HTML"
    assert not trail.history(report).exists()


def test_a_published_report_download_is_written_down(world: World, report: AnnualReport) -> None:
    version = PublishedReport(
        report=report, number=1, published_by_name="manager", html="<p>Hi</p>", pdf=b"", docx=b""
    )
    version.save()
    url = reverse("reports:public-file", args=["tscp", world.period.label, 1, "html"])
    assert _client(REMOTE_ADDR="198.51.100.3").get(url).status_code == 200
    (event,) = _exports()
    assert event.user is None and event.ip == "198.51.100.3"
    assert event.object_repr == str(version)
    assert event.partnership == world.children
    assert event.note == "published annual report, version 1 as HTML"


def test_the_address_is_the_connections_unless_told_to_trust_the_proxy(settings: Any) -> None:
    factory = RequestFactory()
    assert trail.client_ip(None) is None
    assert trail.client_ip(factory.get("/", REMOTE_ADDR="2001:db8::1")) == "2001:db8::1"
    assert trail.client_ip(factory.get("/", REMOTE_ADDR="not an address")) is None
    forwarded = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9")
    assert trail.client_ip(forwarded) == "127.0.0.1"
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    assert trail.client_ip(forwarded) == "10.0.0.9"
    garbled = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert trail.client_ip(garbled) == "127.0.0.1"


def test_the_channel_is_the_api_for_api_addresses() -> None:
    factory = RequestFactory()
    assert trail.channel(factory.get("/api/v1/areas")) == "api"
    assert trail.channel(factory.get("/apiary/")) == "web"
    assert trail.channel(factory.get("/partnerships/tscp/")) == "web"
    assert trail.channel(None) == "web"


def test_an_api_download_is_marked_as_through_the_api(world: World) -> None:
    request = RequestFactory().get("/api/v1/things.csv", REMOTE_ADDR="192.0.2.8")
    request.user = world.users["business_manager"]
    event = trail.export(request, "things", "csv", instance=world.priority)
    assert event.via == "api" and event.ip == "192.0.2.8"
    assert event.partnership == world.children and event.object_repr == "Neglect"


def test_a_refusal_about_no_record(world: World) -> None:
    request = RequestFactory().get("/audit/", REMOTE_ADDR="192.0.2.9")
    request.user = AnonymousUser()
    event = trail.refused(request, "read the audit trail")
    assert event.action == "refused" and event.username == "anonymous"
    assert event.note == "read the audit trail" and event.ip == "192.0.2.9"


def test_overlong_values_are_cut_to_fit(db: None) -> None:
    event = trail.sign_in_failed(None, "y" * 400)
    assert event.username == "y" * 150
    assert trail.sign_in_failed(None, "").username == "(no username)"
    assert len(trail.export(None, "z" * 900, "csv").note) == 500
