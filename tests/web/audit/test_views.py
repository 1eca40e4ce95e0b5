"""The audit trail page: administrators only, with filters and a CSV download that is itself
written to the trail."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from safeguarding.web.audit import trail
from safeguarding.web.audit.models import AuditEvent
from tests.conftest import World

PAGE = "/audit/"
CSV = "/audit/data.csv"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _admin(world: World) -> Client:
    return _client(world.users["administrator"])


@pytest.fixture
def events(world: World) -> list[AuditEvent]:
    manager = world.users["business_manager"]
    return [
        trail.record(manager, world.police_action, "update", {"rag": ["amber", "green"]}),
        trail.record(world.users["adults_manager"], world.adults, "update", {"name": ["A", "B"]}),
        trail.sign_in_failed(None, "manager"),
        trail.sign_in(None, world.users["board_member"]),
    ]


def _csv_rows(response: Any) -> list[dict[str, str]]:
    data = b"".join(response.streaming_content)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "who",
    [
        "business_manager",
        "adults_manager",
        "police_contributor",
        "board_member",
        "no_role",
    ],
)
def test_only_administrators_read_it_and_others_are_written_down(world: World, who: str) -> None:
    client = _client(world.users[who])
    assert client.get(PAGE).status_code == 403
    assert client.get(CSV).status_code == 403
    refused = AuditEvent.objects.filter(action="refused", user=world.users[who])
    assert sorted(refused.values_list("note", flat=True)) == [
        "download the audit trail",
        "read the audit trail",
    ]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_people_not_signed_in_are_sent_to_sign_in(db: None) -> None:
    for url in (PAGE, CSV):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_the_page_lists_every_kind_of_event(world: World, events: list[AuditEvent]) -> None:
    response = _admin(world).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Audit trail</h1>' in html
    for shown in ("Changed", "Sign-in failed", "Signed in", "Train response officers on neglect"):
        assert shown in html
    # The administrator's own sign-in (force_login) is an event too.
    assert "<strong>5</strong> events" in html
    assert 'href="/audit/data.csv"' in html and "Download as CSV" in html
    assert _admin(world).get("/audit/data.xlsx").status_code == 404


def test_filters_narrow_the_list_and_the_download(world: World, events: list[AuditEvent]) -> None:
    admin = _admin(world)
    query = {"person": "manager", "action": "sign_in_failed"}
    html = admin.get(PAGE, query).content.decode()
    assert "<strong>1</strong> event match" in html
    assert "person=manager&amp;action=sign_in_failed" in html
    rows = _csv_rows(admin.get(CSV, query))
    assert [(row["Who"], row["Action"]) for row in rows] == [("manager", "sign_in_failed")]
    by_partnership = _csv_rows(admin.get(CSV, {"partnership": "tsab"}))
    # The download is written down before it is read, so it is in its own file.
    assert [(row["Action"], row["Record"]) for row in by_partnership] == [
        ("update", world.adults.name),
        ("export", ""),
    ]
    assert by_partnership[1]["Note"] == "audit trail (partnership tsab) as CSV"


def test_dates_filter_by_day_and_must_run_forwards(world: World, events: list[AuditEvent]) -> None:
    admin = _admin(world)
    today = events[0].at.date()
    day = {"start_day": today.day, "start_month": today.month, "start_year": today.year}
    assert "<strong>5</strong> events match" in admin.get(PAGE, day).content.decode()
    later = {"start_day": 1, "start_month": 1, "start_year": today.year + 1}
    assert "No events match these filters." in admin.get(PAGE, later).content.decode()
    backwards = {**later, "end_day": 1, "end_month": 1, "end_year": today.year}
    html = admin.get(PAGE, backwards).content.decode()
    assert "There is a problem" in html
    assert "To date must be the same as or after the from date" in html
    assert "Download as CSV" not in html
    # The download answers the same filters by showing the page's problem, not a file.
    response = admin.get(CSV, backwards)
    assert response.status_code == 302 and response["Location"].startswith(PAGE)


def test_the_download_streams_and_is_itself_written_down(
    world: World, events: list[AuditEvent]
) -> None:
    admin = _admin(world)
    response = admin.get(CSV, {"action": "update"}, REMOTE_ADDR="192.0.2.50")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    assert response["Cache-Control"] == "no-store"
    rows = _csv_rows(response)
    assert len(rows) == 2 and {row["Action"] for row in rows} == {"update"}
    assert rows[0]["Changes"] == '{"rag": ["amber", "green"]}'
    (exported,) = AuditEvent.objects.filter(action="export")
    assert exported.user == world.users["administrator"]
    assert exported.note == "audit trail (action update) as CSV"
    assert exported.ip == "192.0.2.50"


def test_pages_keep_the_filters(world: World) -> None:
    for n in range(55):
        trail.sign_in_failed(None, f"guess-{n}")
    admin = _admin(world)
    html = admin.get(PAGE, {"action": "sign_in_failed"}).content.decode()
    assert "<strong>55</strong> events match" in html
    assert "?action=sign_in_failed&amp;page=2" in html
    second = admin.get(PAGE, {"action": "sign_in_failed", "page": "2"}).content.decode()
    assert second.count("Sign-in failed</td>") + second.count("Sign-in failed<br>") == 5


def test_the_page_only_reads(world: World) -> None:
    admin = _admin(world)
    for url in (PAGE, CSV):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(admin, method)(url).status_code == 405, (method, url)


def test_the_navigation_shows_the_trail_to_administrators_only(world: World) -> None:
    assert 'href="/audit/"' in _admin(world).get("/").content.decode()
    manager = _client(world.users["business_manager"]).get("/").content.decode()
    assert 'href="/audit/"' not in manager
