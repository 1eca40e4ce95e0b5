"""Choosing the audit events a review asks for, and writing them as CSV a batch at a time."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any
from unittest import mock

import pytest

from safeguarding.web.audit import export, trail
from safeguarding.web.audit.models import AuditEvent
from tests.conftest import World

LONDON = dt.timezone(dt.timedelta(hours=1))  # British Summer Time


def _at(when: dt.datetime, **fields: Any) -> AuditEvent:
    """An event written at a chosen time: ``at`` is set on writing and never changed after."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return AuditEvent.objects.create(**{"username": "someone", "action": "sign_in", **fields})


def _parsed(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _csv(events: Any) -> bytes:
    return b"".join(export.csv_chunks(events))


def test_days_are_whole_uk_days_with_both_ends_included(db: None) -> None:
    # 23:30 on 31 March UK time is 22:30 UTC: still in March for a UK reviewer.
    late_march = _at(dt.datetime(2026, 3, 31, 23, 30, tzinfo=LONDON))
    early_april = _at(dt.datetime(2026, 4, 1, 0, 30, tzinfo=LONDON))
    new_year = _at(dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC))
    before = _at(dt.datetime(2025, 12, 31, 23, 59, tzinfo=dt.UTC))
    quarter = export.Selection(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    assert set(quarter.events()) == {late_march, new_year}
    assert set(export.Selection(start=dt.date(2026, 4, 1)).events()) == {early_april}
    assert set(export.Selection(end=dt.date(2025, 12, 31)).events()) == {before}
    assert export.Selection().events().count() == 4


def test_person_partnership_and_action_narrow_the_events(world: World) -> None:
    manager = world.users["business_manager"]
    changed = trail.record(manager, world.police_action, "update", {"rag": ["red", "green"]})
    signed_in = trail.sign_in(None, manager)
    tried = trail.sign_in_failed(None, "Manager")
    other = trail.record(world.users["adults_manager"], world.adults, "update")
    assert set(export.Selection(person="manager").events()) == {changed, signed_in, tried}
    assert set(export.Selection(partnership=world.children).events()) == {changed}
    assert set(export.Selection(partnership=world.adults).events()) == {other}
    assert set(export.Selection(action="sign_in_failed").events()) == {tried}
    both = export.Selection(person="manager", action="update")
    assert set(both.events()) == {changed}


def test_a_row_holds_what_a_reviewer_needs(world: World) -> None:
    when = dt.datetime(2026, 2, 3, 14, 5, 6, 789, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=when):
        event = trail.record(
            world.users["business_manager"],
            world.police_action,
            "update",
            {"rag": ["amber", "green"], "lead": ["A", "Zoë"]},
        )
    row = export.row(AuditEvent.objects.select_related("content_type").get(pk=event.pk))
    assert row["when"] == "2026-02-03T14:05:06Z"
    assert row["who"] == "manager" and row["action"] == "update" and row["via"] == "web"
    assert row["record_type"] == "delivery action"
    assert row["record_id"] == str(world.police_action.pk)
    assert row["record"] == "Train response officers on neglect"
    assert row["partnership"] == world.children.name
    assert json.loads(row["changes"]) == {"rag": ["amber", "green"], "lead": ["A", "Zoë"]}
    assert "Zoë" in row["changes"]
    sign_in = export.row(trail.sign_in(None, world.users["board_member"]))
    assert sign_in["record_type"] == sign_in["record"] == sign_in["changes"] == ""
    assert sign_in["partnership"] == sign_in["ip"] == ""


def test_the_csv_has_the_columns_once_and_every_event_oldest_first(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "BATCH", 2)
    for n in range(5):
        trail.sign_in_failed(None, f"guess-{n}")
    chunks = list(export.csv_chunks(AuditEvent.objects.all()))
    # The headings, then three batches of at most two events.
    assert len(chunks) == 4
    assert sum(chunk.count(b"\xef\xbb\xbf") for chunk in chunks) == 1
    rows = _parsed(b"".join(chunks))
    assert list(rows[0]) == [heading for _, heading in export.COLUMNS]
    assert [row["Who"] for row in rows] == [f"guess-{n}" for n in range(5)]


def test_text_a_spreadsheet_would_run_is_written_as_text(world: World) -> None:
    trail.sign_in_failed(None, '=HYPERLINK("https://evil.example","x")')
    trail.sign_in_failed(None, "@SUM(1+1)")
    rows = _parsed(_csv(AuditEvent.objects.all()))
    assert rows[0]["Who"] == '\'=HYPERLINK("https://evil.example","x")'
    assert rows[1]["Who"] == "'@SUM(1+1)"


def test_write_csv_counts_the_events_it_writes(world: World) -> None:
    manager = world.users["business_manager"]
    trail.record(manager, world.priority, "update", {"title": ["a", "b"]})
    trail.record(manager, world.priority, "refused", note="a note\nover two lines")
    handle = io.BytesIO()
    assert export.write_csv(AuditEvent.objects.all(), handle) == 2
    assert handle.getvalue() == _csv(AuditEvent.objects.all())
    assert export.write_csv(AuditEvent.objects.none(), io.BytesIO()) == 0


def test_the_selection_describes_itself_and_names_its_file(world: World) -> None:
    everything = export.Selection()
    assert everything.describe() == "everything"
    assert everything.file_name().startswith("audit-trail-start-to-")
    chosen = export.Selection(
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        person="manager",
        partnership=world.children,
        action="export",
    )
    assert chosen.describe() == (
        "from 2026-01-01, to 2026-03-31, person manager, partnership tscp, action export"
    )
    assert chosen.file_name() == "audit-trail-2026-01-01-to-2026-03-31.csv"
