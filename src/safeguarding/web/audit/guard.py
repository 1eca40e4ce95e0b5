"""The database's side of the append-only audit trail: the permit that lets a whole-database
reset empty it. The triggers themselves are made by migration ``0003_append_only``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

#: A table no model owns, so ``flush`` never empties it; the triggers refuse every removal of
#: an audit event unless it holds a row.
PERMIT_TABLE = "audit_purge_permit"
TRIGGERS = frozenset({"audit_event_no_update", "audit_event_no_delete"})
POSTGRESQL_TRIGGERS = TRIGGERS | {"audit_event_no_truncate"}


@contextmanager
def purge_permitted(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let audit events be removed inside this block, in one transaction that no one else sees
    until it ends, by when the permit is gone again. For emptying the whole database only."""
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            present = PERMIT_TABLE in connection.introspection.table_names(cursor)
            if present:
                cursor.execute(
                    f"INSERT INTO {PERMIT_TABLE} (granted_at) VALUES (CURRENT_TIMESTAMP)"
                )
        yield
        if present:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {PERMIT_TABLE}")


def installed_triggers(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """The names of the append-only triggers present on the audit table."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["audit_auditevent"],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                ["audit_auditevent"],
            )
        else:
            return set()
        return {name for (name,) in cursor.fetchall()}
