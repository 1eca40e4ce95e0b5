"""All or nothing: `safeguarding import indicators` killed while it stores a large table leaves
nothing of it behind, and run again it stores every row once. On a SQLite file here; on a
scratch PostgreSQL database too when the suite runs on PostgreSQL."""

from __future__ import annotations

import csv
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.commands.test_backup import (
    COMMAND,
    environment,
    needs_postgres,
    read_postgres,
    read_sqlite,
    run,
    scratch_postgres_database,
    succeeded,
)
from tests.web.results.tidy_tables import COLUMNS

#: Enough rows that storing them takes a while (the rows go in 2,000 at a time), few enough
#: that the whole import, run twice, stays within a few seconds.
ROWS = 40_000
INDICATORS = (
    "adults.concerns",
    "adults.individuals_with_concerns",
    "adults.s42_enquiries",
    "adults.other_enquiries",
)
PLACES = 1_000
LABEL = "Large run"
#: A bound on waiting for the import to get going, not a measure of its speed.
GIVE_UP_AFTER_SECONDS = 120
STORED = {
    "loads": "SELECT label, row_count FROM results_indicatorload",
    "files": "SELECT name FROM results_loadedfile",
    "values": "SELECT count(*) FROM results_indicatorvalue",
    "distinct": (
        "SELECT count(*) FROM (SELECT DISTINCT indicator, geography_code, period "
        "FROM results_indicatorvalue) AS kept"
    ),
    "audit": "SELECT count(*) FROM audit_auditevent",
}

Read = Callable[[str], list[tuple[Any, ...]]]


def write_large_table(path: Path, rows: int = ROWS) -> None:
    """``rows`` invented counts, each of its own indicator, council and year."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(rows):
            place = number // len(INDICATORS) % PLACES
            year = 1980 + number // (len(INDICATORS) * PLACES)
            writer.writerow(
                [
                    INDICATORS[number % len(INDICATORS)],
                    "la",
                    f"E06{place:06d}",
                    f"{year}-{(year + 1) % 100:02d}",
                    "total",
                    "total",
                    "",
                    "",
                    number % 997,
                    "",
                    "",
                    "count",
                ]
            )


@pytest.fixture(scope="module")
def large_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.csv"
    write_large_table(path)
    return path


def stored(read: Read) -> dict[str, Any]:
    return {name: read(query) for name, query in STORED.items()}


def start_import(table: Path, data_dir: Path, log: Path, url: str | None = None) -> Any:
    with log.open("wb") as output:
        return subprocess.Popen(
            [*COMMAND, "import", "indicators", str(table), "--label", LABEL],
            env=environment(data_dir, url),
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def kill_while_storing(process: Any, storing: Callable[[], bool], log: Path) -> None:
    """SIGKILL ``process`` as soon as ``storing()`` says it is part way through storing."""
    give_up = time.monotonic() + GIVE_UP_AFTER_SECONDS
    while not storing():
        if process.poll() is not None:
            pytest.fail(f"the import ended before it was seen storing: {log.read_text()}")
        if time.monotonic() > give_up:
            pytest.fail("the import was never seen storing")
        time.sleep(0.01)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL


@pytest.fixture
def reaped() -> Iterator[list[Any]]:
    """Processes a test starts, killed at its end if a failure left them running."""
    started: list[Any] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def check_rerun_stores_everything_once(
    table: Path, data_dir: Path, read: Read, before: dict[str, Any], url: str | None = None
) -> None:
    result = succeeded(run(["import", "indicators", str(table), "--label", LABEL], data_dir, url))
    assert f"Loaded {ROWS:,} indicator values" in result.stdout
    after = stored(read)
    assert after["loads"] == [(LABEL, ROWS)]
    assert after["files"] == [(table.name,)]
    assert after["values"] == [(ROWS,)] and after["distinct"] == [(ROWS,)]
    assert after["audit"] == [(before["audit"][0][0] + 1,)]


def test_a_killed_import_into_sqlite_keeps_nothing_and_a_rerun_keeps_everything(
    tmp_path: Path, large_table: Path, reaped: list[Any]
) -> None:
    data_dir = tmp_path / "data"
    succeeded(run(["db", "upgrade"], data_dir))
    database = data_dir / "safeguarding.sqlite3"
    journal = data_dir / "safeguarding.sqlite3-journal"

    def read(query: str) -> list[tuple[Any, ...]]:
        return read_sqlite(database, query)

    before = stored(read)
    empty_size = database.stat().st_size
    log = tmp_path / "import.log"
    process = start_import(large_table, data_dir, log)
    reaped.append(process)

    def storing() -> bool:
        # Values spill from SQLite's cache into the file itself, the journal holding the way back.
        return journal.exists() and database.stat().st_size > empty_size

    kill_while_storing(process, storing, log)
    # Killed in the middle of its transaction: the file holds some of the values, and the
    # journal that undoes them is still there.
    assert journal.exists() and journal.stat().st_size > 0
    assert database.stat().st_size > empty_size

    assert stored(read) == before
    assert not journal.exists()  # opening the database rolled the half-stored load back
    assert read("PRAGMA integrity_check") == [("ok",)]

    check_rerun_stores_everything_once(large_table, data_dir, read, before)


@needs_postgres
def test_a_killed_import_into_postgresql_keeps_nothing_and_a_rerun_keeps_everything(
    tmp_path: Path, large_table: Path, reaped: list[Any]
) -> None:
    import psycopg

    with scratch_postgres_database("kill_import") as url:
        data_dir = tmp_path / "data"
        succeeded(run(["db", "upgrade"], data_dir, url))

        def read(query: str) -> list[tuple[Any, ...]]:
            return read_postgres(url, query)

        before = stored(read)
        with psycopg.connect(url, autocommit=True) as watcher:

            def table_size() -> int:
                found = watcher.execute("SELECT pg_relation_size('results_indicatorvalue')")
                return int(found.fetchone()[0])  # type: ignore[index]

            def others_connected() -> int:
                found = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                return int(found.fetchone()[0])  # type: ignore[index]

            empty_size = table_size()
            log = tmp_path / "import.log"
            process = start_import(large_table, data_dir, log, url)
            reaped.append(process)
            # The table's file grows as the rows go in, before anything is committed.
            kill_while_storing(process, lambda: table_size() > empty_size, log)
            give_up = time.monotonic() + GIVE_UP_AFTER_SECONDS
            while others_connected():
                assert time.monotonic() < give_up, "the killed import's session never ended"
                time.sleep(0.05)
            assert table_size() > empty_size  # rows were written, then rolled back

        assert stored(read) == before
        check_rerun_stores_everything_once(large_table, data_dir, read, before, url)
