"""The audit trail is append-only: events can be added, never changed or removed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from safeguarding.web.audit import trail
from safeguarding.web.audit.models import AppendOnlyError, AuditEvent
from safeguarding.web.records import models as m
from tests.conftest import World


@pytest.fixture
def event(world: World) -> AuditEvent:
    return trail.record(
        world.users["business_manager"],
        world.police_action,
        "update",
        {"rag": ["amber", "green"]},
    )


def test_an_event_cannot_be_changed_through_the_instance(event: AuditEvent) -> None:
    event.changes = {"rag": ["amber", "red"]}
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).changes == {"rag": ["amber", "green"]}


def test_an_event_cannot_be_deleted_through_the_instance(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_updated_through_the_queryset(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(username="someone-else")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(note="tidied")
    assert AuditEvent.objects.get(pk=event.pk).username == "manager"


def test_events_cannot_be_deleted_through_the_queryset(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_events_cannot_be_bulk_updated(event: AuditEvent) -> None:
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["note"])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_removing_a_person_keeps_their_events_and_name(event: AuditEvent, world: World) -> None:
    manager = world.users["business_manager"]
    manager.delete()
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.user is None
    assert kept.username == "manager"
    assert kept.changes == {"rag": ["amber", "green"]}


def test_removing_a_partnership_keeps_its_events(event: AuditEvent, world: World) -> None:
    pk = world.children.pk
    m.Partnership.objects.filter(pk=pk).delete()
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.partnership is None
    assert kept.object_repr == "Train response officers on neglect"


def test_an_event_reads_as_a_line(event: AuditEvent) -> None:
    text = str(event)
    assert "manager" in text
    assert "update" in text
    assert "Train response officers on neglect" in text


def test_an_event_without_a_signed_in_user(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    recorded = trail.record(AnonymousUser(), world.review, "refused", note="view learning_review")
    assert recorded.user is None
    assert recorded.username == "anonymous"
    assert recorded.partnership == world.children


def test_a_new_user_model_instance_is_not_linked(world: World) -> None:
    unsaved = get_user_model()(username="not-saved")
    recorded = trail.record(unsaved, world.review, "refused")
    assert recorded.user is None
    assert recorded.username == "not-saved"


def test_the_queryset_may_only_empty_the_links_to_a_person_or_partnership(
    event: AuditEvent, world: World
) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(user=world.users["board_member"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(user=None, note="and a change")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update()
    assert AuditEvent.objects.filter(pk=event.pk).update(user=None, partnership=None) == 1
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.user is None and kept.partnership is None and kept.username == "manager"


def test_the_base_manager_refuses_too(event: AuditEvent) -> None:
    # Django's own machinery (deletion, related managers) reads through the base manager.
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=event.pk).update(note="tidied")
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_an_event_about_no_record(world: World) -> None:
    signed_in = trail.sign_in(None, world.users["board_member"])
    assert signed_in.content_type is None
    assert signed_in.object_id == "" and signed_in.object_repr == ""
    assert str(signed_in).endswith("board sign_in")
