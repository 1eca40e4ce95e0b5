"""``safeguarding backup`` and ``safeguarding restore``: the whole database in one file and back.

A backup is one gzipped tar file, readable by its owner only (0600), holding two members in this
order: ``manifest.json`` (the platform version, the kind of database, when it was made, the
latest migration of each app and the SHA-256 of the data) and the data itself.

- SQLite: a consistent copy made with SQLite's online backup API while the platform runs.
- PostgreSQL: ``pg_dump --format=custom`` of the database ``DATABASE_URL`` names. The password
  reaches pg_dump, pg_restore and psql through their environment, never their command line.

``restore`` checks the whole file before it touches anything: the manifest, that the backup is
of the kind of database the platform is set up for, that it was not made by a newer version
(one with migrations this version does not know) and the checksum of the data. It then asks
before replacing everything, unless given ``--yes``. A SQLite copy must pass ``PRAGMA
integrity_check`` and is then swapped in with one rename. On PostgreSQL the objects of the
``public`` schema are dropped and the dump's put back in one transaction (psql
``--single-transaction``), so a restore that fails part way leaves the database as it was.
"""

from __future__ import annotations

import datetime
import glob
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from safeguarding import __version__
from safeguarding.commands.common import err, fail, out, start_django

FORMAT = "safeguarding-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: The data member's name for each kind of database (Django's ``connection.vendor``).
DATA_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MANIFEST_MOST_BYTES = 64 * 1024
CHUNK = 1024 * 1024
#: Where Debian and Ubuntu install each PostgreSQL version's programs.
POSTGRES_BIN_DIRS = "/usr/lib/postgresql/*/bin"
#: How long a restore waits for the platform's other connections to let go of the database.
LOCK_WAIT_SECONDS = 20
#: libpq's environment variable for each connection option ``DATABASE_URL`` may carry.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ERROR_PREFIX = re.compile(r"^.*?\b(?:error|fatal):\s*", re.IGNORECASE)

# Dropping what the platform keeps in the public schema, so the dump's objects can be made
# afresh. Objects an extension owns are the extension's and are left alone.
CLEAR_PUBLIC_SCHEMA = f"""
SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s';
SET LOCAL client_min_messages = warning;
DO $clear$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT c.oid, c.relkind, c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm', 'r', 'p', 'f', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                            AND d.deptype = 'e')
        ORDER BY CASE c.relkind WHEN 'v' THEN 0 WHEN 'm' THEN 1 WHEN 'S' THEN 3 ELSE 2 END
    LOOP
        -- An earlier drop may have taken this object with it.
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = found.oid);
        EXECUTE format(
            'DROP %s IF EXISTS public.%I CASCADE',
            CASE found.relkind
                WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
            found.relname);
    END LOOP;
    FOR found IN
        SELECT p.oid::regprocedure AS signature, p.prokind FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                            AND d.deptype = 'e')
    LOOP
        EXECUTE format(
            'DROP %s IF EXISTS %s CASCADE',
            CASE found.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
            found.signature);
    END LOOP;
END
$clear$;
"""


@dataclass(frozen=True)
class Database:
    """The database the platform is set up to use, as a backup or a restore needs it."""

    kind: str
    settings: Mapping[str, Any]

    @property
    def sqlite_path(self) -> Path:
        return Path(str(self.settings["NAME"])).resolve()

    def describe(self) -> str:
        if self.kind == "sqlite":
            return f"the SQLite database {self.sqlite_path}"
        host = self.settings.get("HOST") or "the local socket"
        port = f":{self.settings['PORT']}" if self.settings.get("PORT") else ""
        return f"the PostgreSQL database {self.settings.get('NAME')} on {host}{port}"


def _configured_database() -> Database:
    """Django's default database, which must be SQLite (in a file) or PostgreSQL."""
    start_django()
    from django.db import connection

    kind = connection.vendor
    if kind not in DATA_MEMBERS:
        raise fail(f"Backups are made of SQLite and PostgreSQL databases only, not {kind}.")
    database = Database(kind, connection.settings_dict)
    if kind == "sqlite":
        name = str(database.settings["NAME"])
        if not name or name == ":memory:" or name.startswith("file:"):
            raise fail("The platform's SQLite database is not a file, so it cannot be backed up.")
    return database


def _code_migrations() -> dict[str, set[str]]:
    """The migrations this version of the platform has, by app."""
    from django.db.migrations.loader import MigrationLoader

    known: dict[str, set[str]] = {}
    for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations:
        known.setdefault(app, set()).add(name)
    return known


def _latest(applied: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The latest applied migration of each app (their names begin with a running number)."""
    latest: dict[str, str] = {}
    for app, name in applied:
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _private_directory(near: Path | None = None) -> Iterator[Path]:
    """A working directory only its owner can enter (near ``near``, so a rename stays on one
    file system), removed afterwards with whatever is in it."""
    try:
        work = Path(tempfile.mkdtemp(prefix=".safeguarding-", dir=near))
    except OSError as error:
        raise fail(
            f"Cannot make a working folder in {near or 'the temporary folder'}: {error.strerror}."
        ) from None
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` survive a power cut."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename is still atomic
    finally:
        os.close(descriptor)


# -- PostgreSQL programs ------------------------------------------------------------------------


def _version_of(directory: str) -> tuple[int, ...]:
    """The version in ``/usr/lib/postgresql/<version>/bin``, for sorting."""
    return tuple(int(part) for part in re.findall(r"\d+", Path(directory).parent.name))


def postgres_program(name: str) -> Path:
    """A PostgreSQL client program: on the PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return Path(found)
    directories = sorted(glob.glob(POSTGRES_BIN_DIRS), key=_version_of, reverse=True)
    for directory in directories:
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise fail(
        f"{name} was not found. Install PostgreSQL's client programs (on Debian or Ubuntu: "
        f"apt-get install postgresql-client) or put {name} on the PATH."
    )


def _postgres_environment(settings: Mapping[str, Any]) -> dict[str, str]:
    """The environment that points libpq's programs at the database, password included."""
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            environment[variable] = str(settings[key])
    for option, value in (settings.get("OPTIONS") or {}).items():
        if option in LIBPQ_OPTIONS and value not in (None, ""):
            environment[LIBPQ_OPTIONS[option]] = str(value)
    return environment


def _reason(text: str | bytes) -> str:
    """The line of a program's complaint that says what went wrong."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower() or "fatal" in line.lower()]
    line = (errors or lines or ["no message"])[0]
    # "pg_restore: error: ..." and "psql:script.sql:3: ERROR:  ...": the program's name and
    # the word error say nothing the message does not.
    return _ERROR_PREFIX.sub("", line).rstrip(".")


# -- making a backup ----------------------------------------------------------------------------


def _has_migrations_table(database: sqlite3.Connection) -> bool:
    found = database.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
    )
    return found.fetchone() is not None


def _copy_sqlite(database: Path, copy: Path) -> dict[str, str]:
    """A consistent copy of a live SQLite database, and its latest migrations."""
    if not database.is_file():
        raise fail(f"There is no database at {database} yet: run `safeguarding db upgrade`.")
    try:
        source = sqlite3.connect(database, timeout=LOCK_WAIT_SECONDS)
        try:
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
                applied = (
                    target.execute("SELECT app, name FROM django_migrations").fetchall()
                    if _has_migrations_table(target)
                    else []
                )
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        raise fail(f"Could not copy the database {database}: {error}.") from None
    return _latest(applied)


def _dump_postgres(database: Database, dump: Path) -> dict[str, str]:
    """``pg_dump --format=custom`` of the database, and its latest migrations."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    pg_dump = postgres_program("pg_dump")
    try:
        applied = list(MigrationRecorder(connection).applied_migrations())
    except Exception as error:  # the database is unreachable: its first line says why
        raise fail(f"Cannot open {database.describe()}: {_reason(str(error))}") from None
    finally:
        connection.close()
    result = subprocess.run(  # noqa: S603 - a fixed program; no shell, no input from the user
        [str(pg_dump), "--format=custom", f"--file={dump}"],
        env=_postgres_environment(database.settings),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise fail(f"pg_dump could not back up the database: {_reason(result.stderr)}")
    return _latest(applied)


def _write_archive(out_path: Path, manifest: Mapping[str, Any], data: Path, member: str) -> None:
    """Write the backup to a private temporary file beside ``out_path``, then rename it."""
    descriptor, temporary = tempfile.mkstemp(
        dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".partial"
    )
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive:
                text = json.dumps(manifest, indent=2).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(text), 0o600, int(time.time())
                archive.addfile(info, io.BytesIO(text))
                info = archive.gettarinfo(data, arcname=member)
                info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                with data.open("rb") as handle:
                    archive.addfile(info, handle)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, out_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(out_path.parent)


def backup_command(
    out_path: Annotated[Path, typer.Option("--out", help="The backup file to write.")],
) -> None:
    """Back up the whole database to one file (only you can read it): keep it safe."""
    out_path = out_path.expanduser()
    if out_path.is_dir():
        raise fail(f"{out_path} is a folder: give the name of the backup file to write.")
    if not out_path.parent.is_dir():
        raise fail(f"The folder {out_path.parent} does not exist.")
    database = _configured_database()
    if database.kind == "sqlite" and out_path.resolve() == database.sqlite_path:
        raise fail("The backup cannot be written over the database itself.")
    member = DATA_MEMBERS[database.kind]
    with _private_directory(out_path.parent) as work:
        data = work / member
        with err.status(f"Backing up {database.describe()}..."):
            if database.kind == "sqlite":
                migrations = _copy_sqlite(database.sqlite_path, data)
            else:
                migrations = _dump_postgres(database, data)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "platform_version": __version__,
                "database": database.kind,
                "made_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "migrations": migrations,
                "data_file": member,
                "data_size": data.stat().st_size,
                "data_sha256": _sha256(data),
            }
            try:
                _write_archive(out_path, manifest, data, member)
            except OSError as error:
                raise fail(f"Cannot write {out_path}: {error.strerror or error}.") from None
    size = out_path.stat().st_size
    out.print(
        f"Backed up {database.describe()} to {out_path} ({size / 1_000_000:,.1f} MB). "
        "It holds personal data: keep it as safe as the database.",
        highlight=False,
    )


# -- reading a backup ---------------------------------------------------------------------------


class _NotABackup(Exception):
    pass


def _not_a_backup(file: Path) -> typer.Exit:
    return fail(f"{file} is not a backup made by `safeguarding backup`, or it is damaged.")


def _checked_manifest(raw: bytes) -> dict[str, Any]:
    """The manifest, if it has every field in the expected form."""
    manifest = json.loads(raw.decode("utf-8"))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _NotABackup
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise _NotABackup
    if version > FORMAT_VERSION:
        return manifest  # told apart by the caller: a newer platform wrote it
    kind = manifest.get("database")
    migrations = manifest.get("migrations")
    if (
        kind not in DATA_MEMBERS
        or manifest.get("data_file") != DATA_MEMBERS[kind]
        or not isinstance(manifest.get("data_sha256"), str)
        or not _SHA256.match(manifest["data_sha256"])
        or not isinstance(migrations, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in migrations.items())
        or not isinstance(manifest.get("made_at"), str)
    ):
        raise _NotABackup
    return manifest


def _member_reader(archive: tarfile.TarFile, name: str, most: int | None = None) -> IO[bytes]:
    """The next member of the archive, which must be the regular file ``name``."""
    member = archive.next()
    if member is None or member.name != name or not member.isfile():
        raise _NotABackup
    if most is not None and member.size > most:
        raise _NotABackup
    reader = archive.extractfile(member)
    if reader is None:
        raise _NotABackup
    return reader


def _describe_made(manifest: Mapping[str, Any]) -> str:
    try:
        made = datetime.datetime.fromisoformat(manifest["made_at"])
        when = made.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        when = manifest["made_at"]
    return f"on {when} by version {manifest.get('platform_version', 'unknown')}"


def _check_compatible(file: Path, manifest: Mapping[str, Any], database: Database) -> None:
    """Refuse a backup of another kind of database, or one a newer platform made."""
    if manifest["format_version"] > FORMAT_VERSION:
        raise fail(
            f"{file} was made by a newer version of the platform. Upgrade the platform first. "
            "Nothing was restored."
        )
    if manifest["database"] != database.kind:
        raise fail(
            f"{file} is a backup of a {KIND_NAMES[manifest['database']]} database, but the "
            f"platform is set up to use {KIND_NAMES[database.kind]}. Nothing was restored."
        )
    known = _code_migrations()
    for app, name in manifest["migrations"].items():
        if name not in known.get(app, set()):
            raise fail(
                f"{file} was made by a newer version of the platform (its database has the "
                f"migration {app}.{name}, which this version does not know). Upgrade the "
                "platform first. Nothing was restored."
            )


def _behind(manifest: Mapping[str, Any]) -> bool:
    """Whether the backup lacks migrations this version has (``db upgrade`` brings it on)."""
    known = _code_migrations()
    return any(
        manifest["migrations"].get(app, "") < max(names) for app, names in known.items() if names
    )


def _unpack(file: Path, database: Database, work: Path) -> tuple[dict[str, Any], Path]:
    """The manifest and the data, checked against the configured database and the checksum."""
    if not os.access(file, os.R_OK):
        raise fail(f"Cannot read {file}: permission denied.")
    data = work / DATA_MEMBERS[database.kind]
    try:
        with tarfile.open(file, "r:*") as archive:
            manifest = _checked_manifest(
                _member_reader(archive, MANIFEST, MANIFEST_MOST_BYTES).read()
            )
            _check_compatible(file, manifest, database)
            digest = hashlib.sha256()
            reader = _member_reader(archive, manifest["data_file"])
            with data.open("wb") as handle:
                for chunk in iter(lambda: reader.read(CHUNK), b""):
                    digest.update(chunk)
                    handle.write(chunk)
    except (_NotABackup, tarfile.TarError, gzip.BadGzipFile, EOFError, zlib.error, ValueError):
        raise _not_a_backup(file) from None
    except OSError as error:  # reading the file or writing the copy: a full disk, say
        raise fail(f"Cannot unpack {file}: {error.strerror or error}.") from None
    if digest.hexdigest() != manifest["data_sha256"]:
        raise fail(
            f"{file} is damaged: its data does not match the checksum it was made with. "
            "Nothing was restored."
        )
    return manifest, data


# -- restoring ----------------------------------------------------------------------------------


def _check_sqlite(copy: Path, file: Path) -> None:
    """The restored copy must be a sound SQLite database of the platform."""
    try:
        check = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        try:
            result = [row[0] for row in check.execute("PRAGMA integrity_check").fetchall()]
            has_migrations = _has_migrations_table(check)
        finally:
            check.close()
    except sqlite3.Error as error:
        raise fail(
            f"The database in {file} cannot be read: {error}. Nothing was restored."
        ) from None
    if result != ["ok"]:
        raise fail(
            f"The database in {file} fails SQLite's integrity check ({result[0]}). "
            "Nothing was restored."
        )
    if not has_migrations:
        raise fail(f"The database in {file} is not the platform's. Nothing was restored.")


def _swap_in_sqlite(copy: Path, database: Path) -> None:
    """Put the checked copy in the database's place with one rename.

    The old database is held with a write lock meanwhile: the rename waits for any writer to
    finish, and a journal left by a crashed writer is rolled back first, so no journal of the
    old file is left to be played onto the new one.
    """
    mode = database.stat().st_mode & 0o777 if database.exists() else 0o600
    os.chmod(copy, mode)
    holder = None
    try:
        if database.exists():
            holder = _hold(database)
        if holder is None:
            # No lock could be had on a file that is not a database: nor can its journals
            # be its own, and they must not be played onto the restored copy.
            for suffix in ("-journal", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(copy, database)
        _fsync_directory(database.parent)
    finally:
        if holder is not None:
            holder.close()


def _hold(database: Path) -> sqlite3.Connection | None:
    """A write lock on the database, or None when the file is not a database at all."""
    holder = sqlite3.connect(database, timeout=LOCK_WAIT_SECONDS, isolation_level=None)
    try:
        if holder.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            holder.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        holder.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        holder.close()
        raise fail(
            f"The database {database} is in use ({error}). Stop the platform's server and try "
            "again. Nothing was restored."
        ) from None
    except sqlite3.DatabaseError:
        holder.close()
        return None
    return holder


def _restore_postgres(dump: Path, database: Database) -> None:
    """Drop the platform's objects and load the dump's, in one transaction."""
    pg_restore = postgres_program("pg_restore")
    psql = postgres_program("psql")
    environment = _postgres_environment(database.settings)
    clear = dump.with_name("clear.sql")
    clear.write_text(CLEAR_PUBLIC_SCHEMA, encoding="utf-8")
    # The whole script is written out before psql starts: fed through a pipe, a pg_restore that
    # stopped part way would hand psql half a script, which it would then commit.
    script = dump.with_name("restore.sql")
    made = subprocess.run(  # noqa: S603 - fixed programs, no shell
        [str(pg_restore), "--clean", "--if-exists", "--no-owner", f"--file={script}", str(dump)],
        env=environment,
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        raise fail(
            f"pg_restore could not read the backup: {_reason(made.stderr)}. Nothing was restored."
        )
    applied = subprocess.run(  # noqa: S603
        [
            str(psql),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--file={clear}",
            f"--file={script}",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if applied.returncode != 0:
        reason = _reason(applied.stderr)
        if "lock timeout" in reason:
            reason = "the database is in use; stop the platform's server and try again"
        raise fail(f"Could not restore the database: {reason}. Nothing was restored.")


def _forget_worked_out_pages() -> None:
    """Empty the dashboards' shared cache. Its keys hold the number and the last id of the
    loads, which new loads into the restored database will repeat with other figures."""
    from django.core.cache import caches

    caches["dashboards"].clear()


def _confirmed(database: Database, manifest: Mapping[str, Any]) -> bool:
    err.print(
        f"Restoring replaces everything in {database.describe()} with the backup made "
        f"{_describe_made(manifest)}. Anything changed since then is lost. Stop the "
        "platform's server first.",
        highlight=False,
    )
    try:
        return typer.confirm("Replace the database?", default=False, err=True)
    except typer.Abort:
        return False


def restore_command(
    file: Annotated[Path, typer.Argument(help="A file made by `safeguarding backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before replacing.")] = False,
) -> None:
    """Replace the whole database with a backup, after checking it."""
    file = file.expanduser()
    if not file.exists():
        raise fail(f"{file}: no such file.")
    if not file.is_file():
        raise fail(f"{file} is not a file: give the backup file to restore.")
    database = _configured_database()
    near = None
    if database.kind == "sqlite":
        near = database.sqlite_path.parent
        near.mkdir(parents=True, exist_ok=True)
    with _private_directory(near) as work:
        with err.status(f"Checking {file}..."):
            manifest, data = _unpack(file, database, work)
            if database.kind == "sqlite":
                _check_sqlite(data, file)
        if not yes and not _confirmed(database, manifest):
            raise fail("Nothing was restored.")
        from django.db import connections

        connections.close_all()
        with err.status(f"Restoring {database.describe()}..."):
            if database.kind == "sqlite":
                _swap_in_sqlite(data, database.sqlite_path)
            else:
                _restore_postgres(data, database)
    _forget_worked_out_pages()
    out.print(
        f"Restored {database.describe()} from the backup made {_describe_made(manifest)}.",
        highlight=False,
    )
    if _behind(manifest):
        out.print(
            "The backup is from an earlier version: run `safeguarding db upgrade` next.",
            highlight=False,
        )
