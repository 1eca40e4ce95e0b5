"""Recording changes: snapshots, differences and one record's history."""

from __future__ import annotations

import datetime

from safeguarding.web.audit import trail
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.records import models as m
from tests.conftest import World


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
