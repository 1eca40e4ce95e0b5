"""Engines for the indicator tests: a private PostgreSQL cluster and a small local Spark."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _missing(reason: str) -> None:
    """Skip when an engine is not installed here; on CI that is a failure, not a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is not skipped)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """DATABASE_URL when it names PostgreSQL; otherwise a cluster of our own, removed after."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        yield given
        return
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        _missing("PostgreSQL server programs are not installed (make postgresql)")
    bindir = Path(found[-1]).parent
    workdir = Path(tempfile.mkdtemp(prefix="sg-indicators-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root, so root runs it as the postgres account.
        shutil.chown(workdir, user="postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = workdir / "data"

    def run(*command: str) -> None:
        subprocess.run([*as_owner, *command], check=True, capture_output=True)

    try:
        run(
            str(bindir / "initdb"), "-D", str(data), "-U", "safeguarding", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        run(
            str(bindir / "pg_ctl"), "-D", str(data), "-l", str(workdir / "server.log"), "-w",
            "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off",
            "start",
        )  # fmt: skip
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "safeguarding",
            "indicators")  # fmt: skip
        yield f"postgresql://safeguarding@127.0.0.1:{port}/indicators"
    finally:
        subprocess.run(
            [*as_owner, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One small local Spark session for the whole run (starting one takes seconds)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _missing("PySpark is not installed")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        _missing("Java is not installed, and Spark needs it (make java)")
    from safeguarding.indicators.engines import local_spark_session

    session = local_spark_session("local[2]")
    yield session
    session.stop()
