"""The database refuses to change or remove audit events, on SQLite and PostgreSQL alike,
whatever sends the SQL; only emptying the whole database (``flush``) may remove them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands
from django.db import DatabaseError, connection, models, transaction

from safeguarding.web.audit import guard, trail
from safeguarding.web.audit.models import AuditEvent
from tests.conftest import World

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def event(world: World) -> AuditEvent:
    return trail.record(
        world.users["business_manager"], world.police_action, "update", {"rag": ["amber", "red"]}
    )


def _raw(sql: str, params: list[Any] | None = None) -> int:
    """Run one statement as a person at a database console would; the rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _refused(sql: str, params: list[Any] | None = None) -> None:
    # A savepoint, so that PostgreSQL's aborted statement does not spoil the test's transaction.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw(sql, params)


def _stored(event: AuditEvent) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TABLE} WHERE id = %s", [event.pk])
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_the_triggers_are_in_place(db: None) -> None:
    expected = guard.POSTGRESQL_TRIGGERS if connection.vendor == "postgresql" else guard.TRIGGERS
    assert guard.installed_triggers() == expected


def _another_value(field: models.Field, event: AuditEvent, world: World) -> Any:
    """A value for a column unlike the one the event holds."""
    if field.primary_key:
        return event.pk + 1000
    if isinstance(field, models.ForeignKey):
        others = {
            "user": world.users["board_member"].pk,
            "partnership": world.adults.pk,
            "content_type": ContentType.objects.get_for_model(ContentType).pk,
        }
        return others[field.name]
    if isinstance(field, models.DateTimeField):
        return event.at - datetime.timedelta(days=30)
    if isinstance(field, models.JSONField):
        return '{"rag": ["amber", "green"]}'
    if isinstance(field, models.GenericIPAddressField):
        return "192.0.2.7"
    return "tampered"


@pytest.mark.parametrize("field", AuditEvent._meta.concrete_fields, ids=lambda f: f.column)
def test_no_column_can_be_changed_in_sql(
    field: models.Field, event: AuditEvent, world: World
) -> None:
    # Every column of the model, so a column added later fails here until the triggers cover it.
    before = _stored(event)
    value = _another_value(field, event, world)
    _refused(f"UPDATE {TABLE} SET {field.column} = %s WHERE id = %s", [value, event.pk])
    assert _stored(event) == before


def test_an_update_that_changes_nothing_is_harmless(event: AuditEvent) -> None:
    before = _stored(event)
    assert _raw(f"UPDATE {TABLE} SET note = note WHERE id = %s", [event.pk]) == 1
    assert _stored(event) == before


def test_sql_may_only_empty_the_links_to_a_person_or_partnership(event: AuditEvent) -> None:
    _raw(f"UPDATE {TABLE} SET user_id = NULL, partnership_id = NULL WHERE id = %s", [event.pk])
    stored = _stored(event)
    assert stored["user_id"] is None and stored["partnership_id"] is None
    assert stored["username"] == "manager"
    # Emptied links cannot be filled again, with the same person or another.
    manager = AuditEvent.objects.get(pk=event.pk)
    _refused(f"UPDATE {TABLE} SET user_id = %s WHERE id = %s", [event.user_id, manager.pk])


def test_events_cannot_be_deleted_in_sql(event: AuditEvent) -> None:
    _refused(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    _refused(f"DELETE FROM {TABLE}")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_table_cannot_be_truncated_on_postgresql(event: AuditEvent) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE: a DELETE without WHERE fires the delete trigger.")
    # The event's foreign keys are checked at commit: check them now, or PostgreSQL refuses the
    # TRUNCATE for that reason before the trigger is reached.
    _raw("SET CONSTRAINTS ALL IMMEDIATE")
    _refused(f"TRUNCATE {TABLE}")
    _refused(f"TRUNCATE {TABLE} CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_permit_lets_events_go_only_inside_its_block(event: AuditEvent) -> None:
    with guard.purge_permitted():
        assert _raw(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk]) == 1
    assert not AuditEvent.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {guard.PERMIT_TABLE}")
        assert cursor.fetchone()[0] == 0
    again = trail.sign_in(None, event.user)
    _refused(f"DELETE FROM {TABLE} WHERE id = %s", [again.pk])


def test_a_failure_inside_the_permit_leaves_no_permit(event: AuditEvent) -> None:
    with pytest.raises(RuntimeError), guard.purge_permitted():
        _raw(f"DELETE FROM {TABLE}")
        raise RuntimeError("stopped half way")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    _refused(f"DELETE FROM {TABLE}")


def test_flush_is_the_audit_apps_own() -> None:
    assert get_commands()["flush"] == "safeguarding.web.audit"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_leaves_it_guarded(world: World) -> None:
    trail.sign_in(None, world.users["board_member"])
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert guard.installed_triggers() >= guard.TRIGGERS
    event = trail.sign_in(None, None)
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE}")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_flush_asks_first_and_says_the_trail_goes_too(
    event: AuditEvent, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return "no"

    monkeypatch.setattr("builtins.input", answer)
    call_command("flush", verbosity=0)
    assert "audit trail" in asked[0]
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_takes_its_triggers_away_and_puts_them_back() -> None:
    call_command("migrate", "audit", "0002", verbosity=0)
    try:
        assert guard.installed_triggers() == set()
        assert guard.PERMIT_TABLE not in connection.introspection.table_names()
    finally:
        call_command("migrate", "audit", verbosity=0)
    assert guard.installed_triggers() >= guard.TRIGGERS
