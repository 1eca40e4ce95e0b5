"""`safeguarding backup` and `safeguarding restore`, run as a person runs them: in a separate
process, on a database of their own (a SQLite file here; a scratch PostgreSQL database when the
suite runs on PostgreSQL), never the test database."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import typer

from safeguarding.commands import backup
from tests.web.results.tidy_tables import row, small_table, tidy_csv

COMMAND = [sys.executable, "-m", "safeguarding.cli"]
#: What the checks read back: every load, file and value, in the order they were stored.
CONTENTS = {
    "loads": "SELECT id, kind, label, row_count FROM results_indicatorload ORDER BY id",
    "files": "SELECT load_id, name, sha256 FROM results_loadedfile ORDER BY id",
    "values": (
        "SELECT id, load_id, indicator, geography_code, period, breakdown, category, value, "
        "superseded_by_id FROM results_indicatorvalue ORDER BY id"
    ),
    "migrations": "SELECT app, name FROM django_migrations ORDER BY app, name",
}


def environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The command's own data directory, and ``database_url`` when one is given (else the
    SQLite file in the data directory), never the test database."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(SAFEGUARDING_DATA_DIR=str(data_dir), COLUMNS="400")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(
    args: list[str], data_dir: Path, database_url: str | None = None, answer: str = ""
) -> subprocess.CompletedProcess[str]:
    """The command run to its end, as a person runs it."""
    return subprocess.run(
        [*COMMAND, *args],
        env=environment(data_dir, database_url),
        capture_output=True,
        text=True,
        timeout=180,
        input=answer,
    )


def succeeded(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def postgres_url() -> str:
    """The suite's PostgreSQL server (``make test-postgres``), or "" on SQLite runs."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


needs_postgres = pytest.mark.skipif(
    not postgres_url(),
    reason="needs PostgreSQL: runs under `make test-postgres` (scripts/with-postgres)",
)


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the suite's PostgreSQL server, dropped afterwards: its URL."""
    import psycopg
    from psycopg import sql

    server = postgres_url()
    assert server, "a scratch database needs the suite to run on PostgreSQL"
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def read_sqlite(database: Path, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(query).fetchall()
    connection.close()
    return rows


def read_postgres(url: str, query: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as connection:
        return [tuple(r) for r in connection.execute(query).fetchall()]  # type: ignore[arg-type]


def execute_postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def contents(read: Callable[[str], list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    return {name: read(query) for name, query in CONTENTS.items()}


def later_table() -> bytes:
    """A correction of Hartlepool's concerns: it supersedes the first load's total."""
    return tidy_csv([row(value=1300)])


# -- SQLite -------------------------------------------------------------------------------------


@dataclass
class SqliteBackup:
    """A migrated data directory with one load, its backup, and what the database held."""

    data_dir: Path
    backup_file: Path
    contents: dict[str, list[tuple[Any, ...]]]

    def copy_to(self, place: Path) -> Path:
        """A copy of the data directory to change; the backup stays where it is."""
        shutil.copytree(self.data_dir, place)
        return place / "safeguarding.sqlite3"


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory: pytest.TempPathFactory) -> SqliteBackup:
    root = tmp_path_factory.mktemp("backup")
    data_dir = root / "data"
    table = root / "adults.csv"
    table.write_bytes(tidy_csv(small_table()))
    succeeded(run(["db", "upgrade"], data_dir))
    succeeded(run(["import", "indicators", str(table), "--label", "First run"], data_dir))
    backup_file = root / "platform.backup"
    result = succeeded(run(["backup", "--out", str(backup_file)], data_dir))
    assert "Backed up the SQLite database" in result.stdout
    database = data_dir / "safeguarding.sqlite3"
    return SqliteBackup(data_dir, backup_file, contents(lambda query: read_sqlite(database, query)))


def leftovers(data_dir: Path) -> set[str]:
    """What a restore left in the data directory beyond the platform's own files."""
    return {p.name for p in data_dir.iterdir()} - {
        "safeguarding.sqlite3",
        "secret_key",
        "uploads",
        "cache",
    }


def members(backup_file: Path) -> dict[str, bytes]:
    with tarfile.open(backup_file, "r:gz") as archive:
        return {
            member.name: archive.extractfile(member).read()  # type: ignore[union-attr]
            for member in archive.getmembers()
        }


def write_members(path: Path, found: dict[str, bytes]) -> Path:
    """A backup file holding ``found``, in that order, as ``backup`` writes one."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in found.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_the_backup_is_one_private_file_with_a_manifest(sqlite_backup: SqliteBackup) -> None:
    assert oct(sqlite_backup.backup_file.stat().st_mode & 0o777) == "0o600"
    found = members(sqlite_backup.backup_file)
    assert list(found) == ["manifest.json", "database.sqlite3"]
    manifest = json.loads(found["manifest.json"])
    assert manifest["database"] == "sqlite" and manifest["format"] == "safeguarding-backup"
    assert manifest["platform_version"]
    assert manifest["migrations"]["results"] == "0001_initial"
    assert manifest["data_size"] == len(found["database.sqlite3"])
    assert manifest["data_sha256"] == hashlib.sha256(found["database.sqlite3"]).hexdigest()
    # Nothing of the work is left beside the backup.
    assert sorted(p.name for p in sqlite_backup.backup_file.parent.iterdir()) == [
        "adults.csv",
        "data",
        "platform.backup",
    ]


def test_a_sqlite_database_comes_back_as_it_was(
    sqlite_backup: SqliteBackup, tmp_path: Path
) -> None:
    database = sqlite_backup.copy_to(tmp_path / "data")
    later = tmp_path / "later.csv"
    later.write_bytes(later_table())
    succeeded(run(["import", "indicators", str(later), "--label", "Correction"], database.parent))
    changed = contents(lambda query: read_sqlite(database, query))
    assert len(changed["loads"]) == 2 and changed != sqlite_backup.contents

    worked_out = database.parent / "cache" / "dashboards" / "chart-of-the-correction.djcache"
    worked_out.parent.mkdir(parents=True, exist_ok=True)
    worked_out.write_bytes(b"a chart of figures the restore takes away")

    result = succeeded(run(["restore", str(sqlite_backup.backup_file), "--yes"], database.parent))
    assert "Restored the SQLite database" in result.stdout
    # Load ids will be reused: nothing worked out from the figures taken away may be shown.
    assert not worked_out.exists()
    assert contents(lambda query: read_sqlite(database, query)) == sqlite_backup.contents
    assert read_sqlite(database, "PRAGMA integrity_check") == [("ok",)]
    assert not leftovers(database.parent)


def test_a_backup_restores_onto_a_new_machine(sqlite_backup: SqliteBackup, tmp_path: Path) -> None:
    data_dir = tmp_path / "new"
    succeeded(run(["restore", str(sqlite_backup.backup_file), "--yes"], data_dir))
    database = data_dir / "safeguarding.sqlite3"
    assert contents(lambda query: read_sqlite(database, query)) == sqlite_backup.contents
    assert not leftovers(data_dir)


def test_restore_asks_first_and_a_no_changes_nothing(
    sqlite_backup: SqliteBackup, tmp_path: Path
) -> None:
    database = sqlite_backup.copy_to(tmp_path / "data")
    with sqlite3.connect(database) as changing:
        changing.execute("UPDATE results_indicatorload SET label = 'Relabelled'")
    changing.close()
    before = contents(lambda query: read_sqlite(database, query))
    assert before != sqlite_backup.contents
    for answer in ("n\n", ""):
        result = run(["restore", str(sqlite_backup.backup_file)], database.parent, answer=answer)
        assert result.returncode == 1
        assert "Replace the database?" in result.stderr
        assert "Anything changed since then is lost" in result.stderr
        assert "Nothing was restored." in result.stderr
        assert contents(lambda query: read_sqlite(database, query)) == before


def _flip_a_byte(found: dict[str, bytes], path: Path, original: Path) -> Path:
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _truncate(found: dict[str, bytes], path: Path, original: Path) -> Path:
    path.write_bytes(original.read_bytes()[:-5000])
    return path


def _other_data(found: dict[str, bytes], path: Path, original: Path) -> Path:
    data = bytearray(found["database.sqlite3"])
    data[-100] ^= 0x01
    return write_members(path, {**found, "database.sqlite3": bytes(data)})


def _garbage(found: dict[str, bytes], path: Path, original: Path) -> Path:
    path.write_bytes(gzip.compress(b"indicator,geography_level\n" * 100))
    return path


def _data_first(found: dict[str, bytes], path: Path, original: Path) -> Path:
    return write_members(path, dict(reversed(list(found.items()))))


def _path_trick(found: dict[str, bytes], path: Path, original: Path) -> Path:
    return write_members(
        path,
        {"manifest.json": found["manifest.json"], "../database.sqlite3": found["database.sqlite3"]},
    )


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_flip_a_byte, "damaged"),
        (_truncate, "damaged"),
        (_other_data, "does not match the checksum it was made with"),
        (_garbage, "is not a backup made by `safeguarding backup`"),
        (_data_first, "is not a backup made by `safeguarding backup`"),
        (_path_trick, "is not a backup made by `safeguarding backup`"),
    ],
    ids=["flipped-byte", "truncated", "checksum", "not-a-backup", "out-of-order", "path-trick"],
)
def test_a_damaged_backup_is_refused_and_nothing_changes(
    sqlite_backup: SqliteBackup,
    tmp_path: Path,
    damage: Callable[[dict[str, bytes], Path, Path], Path],
    message: str,
) -> None:
    database = sqlite_backup.copy_to(tmp_path / "data")
    before = database.read_bytes()
    damaged = damage(
        members(sqlite_backup.backup_file), tmp_path / "damaged.backup", sqlite_backup.backup_file
    )
    result = run(["restore", str(damaged), "--yes"], database.parent)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert database.read_bytes() == before
    assert not leftovers(database.parent)


def _with_manifest(sqlite_backup: SqliteBackup, path: Path, **changes: Any) -> Path:
    found = members(sqlite_backup.backup_file)
    manifest = {**json.loads(found["manifest.json"]), **changes}
    data = found.pop("database.sqlite3")
    name = manifest.get("data_file", "database.sqlite3")
    return write_members(path, {"manifest.json": json.dumps(manifest).encode(), name: data})


def test_a_backup_from_a_newer_version_is_refused(
    sqlite_backup: SqliteBackup, tmp_path: Path
) -> None:
    database = sqlite_backup.copy_to(tmp_path / "data")
    manifest = json.loads(members(sqlite_backup.backup_file)["manifest.json"])
    newer = _with_manifest(
        sqlite_backup,
        tmp_path / "newer.backup",
        migrations={**manifest["migrations"], "results": "0099_figures_of_the_future"},
    )
    result = run(["restore", str(newer), "--yes"], database.parent)
    assert result.returncode == 1
    assert "made by a newer version of the platform" in result.stderr
    assert "results.0099_figures_of_the_future" in result.stderr

    format_two = _with_manifest(sqlite_backup, tmp_path / "format.backup", format_version=2)
    result = run(["restore", str(format_two), "--yes"], database.parent)
    assert result.returncode == 1 and "newer version" in result.stderr


def test_a_backup_of_another_kind_of_database_is_refused(
    sqlite_backup: SqliteBackup, tmp_path: Path
) -> None:
    database = sqlite_backup.copy_to(tmp_path / "data")
    postgres = _with_manifest(
        sqlite_backup, tmp_path / "pg.backup", database="postgresql", data_file="database.pgdump"
    )
    result = run(["restore", str(postgres), "--yes"], database.parent)
    assert result.returncode == 1
    assert "is a backup of a PostgreSQL database" in result.stderr
    assert "set up to use SQLite" in result.stderr


def test_a_copy_that_fails_the_integrity_check_is_refused(
    sqlite_backup: SqliteBackup, tmp_path: Path
) -> None:
    database = sqlite_backup.copy_to(tmp_path / "data")
    before = database.read_bytes()
    found = members(sqlite_backup.backup_file)
    broken = bytearray(found["database.sqlite3"])
    page_size = int.from_bytes(broken[16:18], "big")
    # The b-tree page headers of pages 3 to 6 overwritten: the file opens but is not sound.
    for page in range(2, 6):
        broken[page * page_size : page * page_size + 12] = b"\x0d" + b"\xff" * 11
    manifest = json.loads(found["manifest.json"])
    manifest.update(data_sha256=hashlib.sha256(broken).hexdigest(), data_size=len(broken))
    damaged = write_members(
        tmp_path / "unsound.backup",
        {"manifest.json": json.dumps(manifest).encode(), "database.sqlite3": bytes(broken)},
    )
    result = run(["restore", str(damaged), "--yes"], database.parent)
    assert result.returncode == 1
    assert "Nothing was restored." in result.stderr
    assert "integrity check" in result.stderr or "cannot be read" in result.stderr
    assert "Traceback" not in result.stderr
    assert database.read_bytes() == before


def test_plain_messages_for_a_missing_file_and_a_missing_folder(tmp_path: Path) -> None:
    result = run(["restore", str(tmp_path / "nowhere.backup"), "--yes"], tmp_path / "data")
    assert result.returncode == 1
    assert "nowhere.backup: no such file." in result.stderr
    result = run(["backup", "--out", str(tmp_path / "no" / "such" / "x.backup")], tmp_path)
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    result = run(["backup", "--out", str(tmp_path / "b.backup")], tmp_path / "empty")
    assert result.returncode == 1
    assert "safeguarding db upgrade" in result.stderr


def test_postgresql_failures_are_told_plainly(sqlite_backup: SqliteBackup, tmp_path: Path) -> None:
    nowhere = "postgres://nobody:not-this-one@127.0.0.1:1/platform"
    result = run(["backup", "--out", str(tmp_path / "b.backup")], tmp_path / "data", nowhere)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "Cannot open the PostgreSQL database platform on 127.0.0.1:1" in result.stderr
        or "pg_dump was not found" in result.stderr
    )
    assert "not-this-one" not in result.stderr
    assert not (tmp_path / "b.backup").exists()
    # A backup that claims to be a dump but is not one.
    not_a_dump = _with_manifest(
        sqlite_backup, tmp_path / "pg.backup", database="postgresql", data_file="database.pgdump"
    )
    result = run(["restore", str(not_a_dump), "--yes"], tmp_path / "data", nowhere)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Nothing was restored." in result.stderr or "was not found" in result.stderr


def test_a_missing_pg_dump_is_explained(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup, "POSTGRES_BIN_DIRS", str(tmp_path / "*" / "bin"))
    with pytest.raises(typer.Exit) as stopped:
        backup.postgres_program("pg_dump")
    assert stopped.value.exit_code == 1
    message = " ".join(capsys.readouterr().err.split())
    assert "pg_dump was not found" in message and "postgresql-client" in message


def test_the_newest_postgresql_programs_are_found_off_the_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for version in ("9.6", "15", "16"):
        program = tmp_path / version / "bin" / "pg_dump"
        program.parent.mkdir(parents=True)
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup, "POSTGRES_BIN_DIRS", str(tmp_path / "*" / "bin"))
    assert backup.postgres_program("pg_dump") == tmp_path / "16" / "bin" / "pg_dump"


def test_the_password_goes_in_the_environment_only() -> None:
    environment = backup._postgres_environment(
        {
            "NAME": "platform",
            "USER": "analyst",
            "PASSWORD": "s3cret-Pa55",
            "HOST": "db.internal",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require", "unknown": "x"},
        }
    )
    assert environment["PGPASSWORD"] == "s3cret-Pa55"
    assert (environment["PGHOST"], environment["PGPORT"]) == ("db.internal", "5433")
    assert (environment["PGDATABASE"], environment["PGSSLMODE"]) == ("platform", "require")


# -- PostgreSQL ---------------------------------------------------------------------------------


@needs_postgres
def test_a_postgresql_database_comes_back_as_it_was_or_not_at_all(tmp_path: Path) -> None:
    with scratch_postgres_database("backup_test") as url:
        data_dir = tmp_path / "data"
        first = tmp_path / "adults.csv"
        first.write_bytes(tidy_csv(small_table()))
        later = tmp_path / "later.csv"
        later.write_bytes(later_table())
        succeeded(run(["db", "upgrade"], data_dir, url))
        succeeded(run(["import", "indicators", str(first), "--label", "First"], data_dir, url))
        backed_up = contents(lambda query: read_postgres(url, query))
        backup_file = tmp_path / "platform.backup"
        result = succeeded(run(["backup", "--out", str(backup_file)], data_dir, url))
        assert "Backed up the PostgreSQL database" in result.stdout
        assert oct(backup_file.stat().st_mode & 0o777) == "0o600"
        assert list(members(backup_file)) == ["manifest.json", "database.pgdump"]

        succeeded(run(["import", "indicators", str(later), "--label", "Later"], data_dir, url))
        # A table a later version might add, tied to one of the backup's: it must go too.
        execute_postgres(url, "CREATE TABLE later_table (id int REFERENCES auth_user (id))")
        assert contents(lambda query: read_postgres(url, query)) != backed_up

        result = succeeded(run(["restore", str(backup_file), "--yes"], data_dir, url))
        assert "Restored the PostgreSQL database" in result.stdout
        assert contents(lambda query: read_postgres(url, query)) == backed_up
        tables = read_postgres(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert ("later_table",) not in tables
        # Sequences came back too: the next load would take the next number.
        following = "SELECT nextval(pg_get_serial_sequence('results_indicatorload', 'id'))"
        assert read_postgres(url, following) == [(2,)]

        # A SQLite backup is not restored over PostgreSQL.
        sqlite_file = tmp_path / "sqlite.backup"
        found = members(backup_file)
        manifest = {
            **json.loads(found["manifest.json"]),
            "database": "sqlite",
            "data_file": "database.sqlite3",
        }
        write_members(
            sqlite_file,
            {
                "manifest.json": json.dumps(manifest).encode(),
                "database.sqlite3": found["database.pgdump"],
            },
        )
        result = run(["restore", str(sqlite_file), "--yes"], data_dir, url)
        assert result.returncode == 1
        assert "is a backup of a SQLite database" in result.stderr

        # A restore that fails part way (here: a role the backup grants to is gone) leaves the
        # database as it was, although everything was dropped before the failing statement.
        role = f"reader_{secrets.token_hex(4)}"
        execute_postgres(url, f"CREATE ROLE {role}; GRANT SELECT ON auth_user TO {role}")
        try:
            granted = tmp_path / "granted.backup"
            succeeded(run(["backup", "--out", str(granted)], data_dir, url))
            execute_postgres(url, f"REVOKE SELECT ON auth_user FROM {role}; DROP ROLE {role}")
            execute_postgres(url, "UPDATE results_indicatorload SET label = 'Relabelled'")
            before = contents(lambda query: read_postgres(url, query))
            result = run(["restore", str(granted), "--yes"], data_dir, url)
            assert result.returncode == 1
            assert f'role "{role}" does not exist' in result.stderr
            assert "Nothing was restored." in result.stderr
            assert contents(lambda query: read_postgres(url, query)) == before
        finally:
            execute_postgres(
                url,
                f"DO $$BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
                f"EXECUTE 'DROP OWNED BY {role}; DROP ROLE {role}'; END IF; END$$",
            )
