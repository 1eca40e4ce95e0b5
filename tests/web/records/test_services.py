"""Saving and removing records on someone's behalf: permission, validation and the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from safeguarding.web.audit import trail
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.records import models as m
from safeguarding.web.records.services import delete_record, save_record
from tests.conftest import World


def events(instance: Any, action: str | None = None) -> list[AuditEvent]:
    found = trail.history(instance)
    if action:
        found = found.filter(action=action)
    return list(found)


def fresh(instance: Any) -> Any:
    """The record as it is stored now."""
    return type(instance).objects.get(pk=instance.pk)


# Creating


def test_creating_records_a_create_event_with_the_new_values(world: World) -> None:
    manager = world.users["business_manager"]
    priority = m.Priority(
        partnership=world.children,
        title="Exploitation",
        description="Find children at risk of exploitation sooner.",
    )
    saved = save_record(
        manager,
        priority,
        many_to_many={"periods": [world.period, world.previous_period]},
        via="api",
    )
    assert saved.pk is not None
    assert fresh(saved).title == "Exploitation"

    (event,) = events(saved)
    assert event.action == "create"
    assert event.user == manager
    assert event.username == "manager"
    assert event.via == "api"
    assert event.partnership == world.children
    assert event.object_id == str(saved.pk)
    assert event.object_repr == "Exploitation"
    assert event.changes["title"] == [None, "Exploitation"]
    assert event.changes["partnership"] == [None, str(world.children)]
    assert event.changes["periods"] == [None, ["2023-24", "2024-25"]]


def test_a_contributor_adds_an_update_to_their_own_agencys_action(world: World) -> None:
    police = world.users["police_contributor"]
    update = m.ProgressUpdate(
        action=world.police_action,
        date=datetime.date(2024, 11, 4),
        note="Two training sessions held; 48 officers attended.",
        rag="green",
    )
    save_record(police, update)
    (event,) = events(update)
    assert event.action == "create"
    assert event.changes["rag"] == [None, "green"]
    assert event.partnership == world.children


def test_after_save_runs_inside_the_save(world: World) -> None:
    seen: list[int] = []
    subgroup = m.Subgroup(partnership=world.children, name="Quality assurance")
    save_record(world.users["business_manager"], subgroup, after_save=lambda s: seen.append(s.pk))
    assert seen == [subgroup.pk]


# Updating


def test_an_update_records_only_the_changed_fields(world: World) -> None:
    manager = world.users["business_manager"]
    action = fresh(world.police_action)
    before = trail.snapshot(action)
    action.rag = "green"
    action.status = "completed"
    save_record(manager, action, before=before)

    (event,) = events(action, "update")
    assert event.changes == {"rag": ["amber", "green"], "status": ["in_progress", "completed"]}
    assert event.user == manager
    stored = fresh(action)
    assert (stored.rag, stored.status) == ("green", "completed")


def test_an_update_without_a_snapshot_compares_with_the_stored_record(world: World) -> None:
    action = fresh(world.council_action)
    action.due_date = datetime.date(2025, 2, 28)
    save_record(world.users["business_manager"], action)
    (event,) = events(action, "update")
    assert event.changes == {"due_date": ["2025-01-31", "2025-02-28"]}


def test_an_update_records_many_to_many_changes(world: World) -> None:
    priority = fresh(world.priority)
    before = trail.snapshot(priority)
    save_record(
        world.users["business_manager"],
        priority,
        before=before,
        many_to_many={"periods": [world.period]},
    )
    (event,) = events(priority, "update")
    assert event.changes == {"periods": [["2023-24", "2024-25"], ["2024-25"]]}
    assert list(fresh(priority).periods.all()) == [world.period]


def test_an_update_records_changed_codes(world: World) -> None:
    review = fresh(world.review)
    before = trail.snapshot(review)
    review.themes = ["information_sharing", "invisible_men"]
    review.abuse_types = ["neglect"]
    save_record(world.users["business_manager"], review, before=before)
    (event,) = events(review, "update")
    assert event.changes == {
        "themes": [["information_sharing"], ["information_sharing", "invisible_men"]]
    }


def test_no_event_when_nothing_changed(world: World) -> None:
    action = fresh(world.police_action)
    save_record(world.users["business_manager"], action, before=trail.snapshot(action))
    priority = fresh(world.priority)
    save_record(
        world.users["business_manager"],
        priority,
        many_to_many={"periods": [world.previous_period, world.period]},
    )
    assert events(action) == []
    assert events(priority) == []


def test_a_contributor_updates_their_own_agencys_action(world: World) -> None:
    police = world.users["police_contributor"]
    action = fresh(world.police_action)
    action.rag = "green"
    save_record(police, action)
    assert fresh(action).rag == "green"
    (event,) = events(action, "update")
    assert event.user == police


# Refused


def test_a_refused_change_raises_writes_nothing_and_is_logged(world: World) -> None:
    board = world.users["board_member"]
    action = fresh(world.police_action)
    action.title = "Retitled by a board member"
    with pytest.raises(PermissionDenied):
        save_record(board, action)

    assert fresh(action).title == "Train response officers on neglect"
    (event,) = events(action)
    assert event.action == "refused"
    assert event.user == board
    assert event.note == "change delivery_action"
    assert event.changes == {}
    assert event.partnership == world.children


def test_a_refused_create_saves_nothing_and_is_logged(world: World) -> None:
    board = world.users["board_member"]
    count = m.Priority.objects.count()
    priority = m.Priority(partnership=world.children, title="Board's own", description="-")
    with pytest.raises(PermissionDenied):
        save_record(board, priority, via="api")
    assert m.Priority.objects.count() == count
    event = AuditEvent.objects.get(action="refused")
    assert event.object_id == ""
    assert event.note == "add priority"
    assert event.via == "api"
    assert event.username == "board"


def test_someone_from_another_partnership_is_refused(world: World) -> None:
    elsewhere = world.users["other_manager"]
    priority = fresh(world.priority)
    priority.title = "Changed from elsewhere"
    with pytest.raises(PermissionDenied):
        save_record(elsewhere, priority)
    assert fresh(priority).title == "Neglect"
    assert [e.action for e in events(priority)] == ["refused"]


@pytest.mark.django_db(transaction=True)
def test_the_refused_event_is_committed_although_the_caller_raises(world: World) -> None:
    assert transaction.get_autocommit()
    police = world.users["police_contributor"]
    action = fresh(world.council_action)
    action.rag = "green"
    with pytest.raises(PermissionDenied):
        save_record(police, action)
    # In autocommit mode nothing rolls back the event once save_record has raised.
    assert transaction.get_autocommit()
    assert not transaction.get_connection().in_atomic_block
    (event,) = events(action)
    assert event.action == "refused"
    assert fresh(action).rag == "red"


def test_a_contributor_cannot_give_their_action_to_another_agency(world: World) -> None:
    police = world.users["police_contributor"]
    action = fresh(world.police_action)
    action.owner_agency = world.council
    with pytest.raises(PermissionDenied):
        save_record(police, action)
    assert fresh(action).owner_agency == world.police
    assert [e.action for e in events(action)] == ["refused"]


def test_a_contributor_cannot_take_another_agencys_action(world: World) -> None:
    police = world.users["police_contributor"]
    action = fresh(world.council_action)
    before = trail.snapshot(action)
    action.owner_agency = world.police
    action.status = "in_progress"
    with pytest.raises(PermissionDenied):
        save_record(police, action, before=before)
    stored = fresh(action)
    assert (stored.owner_agency, stored.status) == (world.council, "not_started")
    assert [e.action for e in events(action)] == ["refused"]


def test_a_contributor_cannot_move_an_action_to_another_partnership(world: World) -> None:
    adults_priority = m.Priority.objects.create(
        partnership=world.adults, title="Hoarding", description="-"
    )
    action = fresh(world.police_action)
    action.priority = adults_priority
    with pytest.raises(PermissionDenied):
        save_record(world.users["police_contributor"], action)
    assert fresh(action).priority == world.priority


def test_a_contributor_cannot_take_another_agencys_recommendation(world: World) -> None:
    recommendation = fresh(world.council_recommendation)
    recommendation.owner_agency = world.police
    with pytest.raises(PermissionDenied):
        save_record(world.users["police_contributor"], recommendation)
    assert fresh(recommendation).owner_agency == world.council


# Validation


def test_validation_errors_raise_and_save_nothing(world: World) -> None:
    manager = world.users["business_manager"]
    adults_subgroup = m.Subgroup.objects.create(partnership=world.adults, name="Adults' QA")
    count = m.Priority.objects.count()
    priority = m.Priority(
        partnership=world.children,
        title="Transitions",
        description="-",
        lead_subgroup=adults_subgroup,
    )
    with pytest.raises(ValidationError) as raised:
        save_record(manager, priority, many_to_many={"periods": [world.period]})
    assert "lead_subgroup" in raised.value.message_dict
    assert m.Priority.objects.count() == count
    assert not AuditEvent.objects.exists()


def test_an_invalid_update_saves_nothing(world: World) -> None:
    action = fresh(world.police_action)
    action.rag = "purple"
    action.title = "A new title"
    with pytest.raises(ValidationError) as raised:
        save_record(world.users["business_manager"], action)
    assert "rag" in raised.value.message_dict
    stored = fresh(action)
    assert (stored.rag, stored.title) == ("amber", "Train response officers on neglect")
    assert events(action) == []


def test_a_code_list_error_from_a_codes_field_saves_nothing(world: World) -> None:
    review = fresh(world.review)
    review.abuse_types = ["neglect", "not_a_type"]
    with pytest.raises(ValidationError) as raised:
        save_record(world.users["business_manager"], review)
    assert "abuse_types" in raised.value.message_dict
    assert fresh(review).abuse_types == ["neglect"]


# Deleting


def test_deleting_records_the_old_values(world: World) -> None:
    manager = world.users["business_manager"]
    action = fresh(world.council_action)
    pk = action.pk
    delete_record(manager, action, via="api")
    assert not m.DeliveryAction.objects.filter(pk=pk).exists()

    event = AuditEvent.objects.get(object_id=str(pk), action="delete")
    assert event.user == manager
    assert event.via == "api"
    assert event.object_repr == "Refresh the neglect toolkit"
    assert event.partnership == world.children
    assert event.changes["title"] == ["Refresh the neglect toolkit", None]
    assert event.changes["owner_agency"] == ["Testbury Council", None]
    assert event.changes["due_date"] == ["2025-01-31", None]


def test_deleting_is_refused_to_board_members(world: World) -> None:
    board = world.users["board_member"]
    action = fresh(world.police_action)
    with pytest.raises(PermissionDenied):
        delete_record(board, action)
    assert m.DeliveryAction.objects.filter(pk=action.pk).exists()
    (event,) = events(action)
    assert (event.action, event.note) == ("refused", "delete delivery_action")


def test_deleting_is_refused_to_a_contributor_even_for_their_own_action(world: World) -> None:
    police = world.users["police_contributor"]
    with pytest.raises(PermissionDenied):
        delete_record(police, fresh(world.police_action))
    assert m.DeliveryAction.objects.filter(pk=world.police_action.pk).exists()


def test_an_audit_cannot_name_an_agency_from_another_area(world: World) -> None:
    audit = m.MultiAgencyAudit(partnership=world.children, topic="Neglect", period=world.period)
    with pytest.raises(ValidationError) as raised:
        save_record(
            world.users["business_manager"],
            audit,
            many_to_many={"agencies": [world.police, world.other_council]},
        )
    assert "own area" in str(raised.value)
    assert not m.MultiAgencyAudit.objects.filter(topic="Neglect").exists()
