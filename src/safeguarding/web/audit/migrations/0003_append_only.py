"""The database itself refuses to change or remove audit events.

Triggers abort any UPDATE and DELETE on the audit table (and TRUNCATE on PostgreSQL), whatever
sends it: the ORM, raw SQL, a database console. Two things are let through:

- An update that only empties ``user_id`` or ``partnership_id``: Django's "set null" when a
  person or a partnership is removed. The event keeps the name it was written with.
- A removal while a row sits in ``audit_purge_permit``, a table no model owns, so Django's
  ``flush`` never empties it. Only the audit app's ``flush`` command (which the test framework
  runs between transactional tests, and which empties the whole database) puts a row there, in
  its own transaction, and takes it out before committing. No one else sees it.

SQLite rebuilds a table for most schema changes and drops its triggers on the way: a later
migration that alters the audit table must put them back (a test checks that they are there and
that the update trigger names every column).
"""

from django.db import migrations

PERMIT = "audit_purge_permit"
#: The only columns an update may change, and only to empty.
DETACHABLE = ("user_id", "partnership_id")
CHANGED = "The audit trail is append-only: its events cannot be changed."
REMOVED = "The audit trail is append-only: its events cannot be deleted."


def _table(apps):
    return apps.get_model("audit", "AuditEvent")._meta.db_table


def _sqlite(schema_editor, table):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        columns = [
            c.name for c in connection.introspection.get_table_description(cursor, table)
        ]
    quote = schema_editor.quote_name
    fixed = [f"NEW.{quote(c)} IS NOT OLD.{quote(c)}" for c in columns if c not in DETACHABLE]
    emptied = [
        f"(NEW.{quote(c)} IS NOT OLD.{quote(c)} AND NEW.{quote(c)} IS NOT NULL)"
        for c in DETACHABLE
    ]
    return [
        f"CREATE TABLE {PERMIT} (granted_at TEXT NOT NULL)",
        f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {quote(table)} "
        f"WHEN {' OR '.join(fixed + emptied)} "
        f"BEGIN SELECT RAISE(ABORT, '{CHANGED}'); END",
        f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {quote(table)} "
        f"WHEN NOT EXISTS (SELECT 1 FROM {PERMIT}) "
        f"BEGIN SELECT RAISE(ABORT, '{REMOVED}'); END",
    ]


def _postgresql(schema_editor, table):
    quote = schema_editor.quote_name
    # Every column but the two that may be emptied must stay as it was: comparing the rows as
    # JSON covers columns added later without rewriting the function.
    without = " - ".join(f"'{c}'" for c in DETACHABLE)
    emptied = " OR ".join(
        f"(NEW.{c} IS DISTINCT FROM OLD.{c} AND NEW.{c} IS NOT NULL)" for c in DETACHABLE
    )
    return [
        f"CREATE TABLE {PERMIT} (granted_at timestamptz NOT NULL DEFAULT now())",
        f"""CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (to_jsonb(NEW) - {without}) IS DISTINCT FROM (to_jsonb(OLD) - {without})
               OR {emptied} THEN
                RAISE EXCEPTION '{CHANGED}' USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
        END $$""",
        f"""CREATE FUNCTION audit_event_refuse_removal() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM {PERMIT}) THEN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NULL;
            END IF;
            RAISE EXCEPTION '{REMOVED}' USING ERRCODE = 'restrict_violation';
        END $$""",
        f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {quote(table)} "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
        f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {quote(table)} "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_removal()",
        # TRUNCATE fires no row triggers, so it has one of its own.
        f"CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {quote(table)} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_removal()",
    ]


def guard(apps, schema_editor):
    build = {"sqlite": _sqlite, "postgresql": _postgresql}.get(schema_editor.connection.vendor)
    if build is None:  # the platform runs on SQLite or PostgreSQL; the model still refuses
        return
    for statement in build(schema_editor, _table(apps)):
        schema_editor.execute(statement, params=None)


def unguard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    quote = schema_editor.quote_name
    table = quote(_table(apps))
    if vendor == "sqlite":
        statements = [
            "DROP TRIGGER IF EXISTS audit_event_no_update",
            "DROP TRIGGER IF EXISTS audit_event_no_delete",
        ]
    elif vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {table}",
            f"DROP TRIGGER IF EXISTS audit_event_no_delete ON {table}",
            f"DROP TRIGGER IF EXISTS audit_event_no_update ON {table}",
            "DROP FUNCTION IF EXISTS audit_event_refuse_removal()",
            "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
        ]
    else:
        return
    for statement in [*statements, f"DROP TABLE IF EXISTS {PERMIT}"]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_sign_ins_and_exports")]

    operations = [migrations.RunPython(guard, unguard)]
