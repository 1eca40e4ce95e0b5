"""The `safeguarding` command, run as a user runs it: in a separate process."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

COMMAND = [sys.executable, "-m", "safeguarding.cli"]


def run(args: list[str], data_dir: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(SAFEGUARDING_DATA_DIR=str(data_dir), COLUMNS="200", **extra)
    return subprocess.run(
        [*COMMAND, *args], env=env, capture_output=True, text=True, timeout=120, input=""
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    for command in ("demo", "serve", "db", "create-user"):
        assert command in result.stdout


def test_db_upgrade_creates_the_sqlite_database(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "safeguarding.sqlite3").stat().st_size > 0
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_db_upgrade_explains_a_bad_database_url(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode == 1
    assert "Could not upgrade the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_database_that_needs_upgrading(tmp_path: Path) -> None:
    result = run(["serve", "--port", str(free_port())], tmp_path)
    assert result.returncode == 1
    assert "safeguarding db upgrade" in result.stderr


def test_create_user_refuses_an_unknown_partnership(tmp_path: Path) -> None:
    run(["db", "upgrade"], tmp_path)
    result = run(
        ["create-user", "sam", "--role", "board_member", "--partnership", "nowhere"], tmp_path
    )
    assert result.returncode == 1
    assert "no partnership 'nowhere'" in result.stderr


def test_demo_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(["demo", "--port", str(port), "--data-dir", str(tmp_path / "d")], tmp_path)
    assert result.returncode == 1
    assert f"Port {port}" in result.stderr


def test_demo_loads_the_borough_and_serves_the_sign_in_page(tmp_path: Path) -> None:
    port = free_port()
    data_dir = tmp_path / "demo"
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["COLUMNS"] = "200"
    process = subprocess.Popen(
        [*COMMAND, "demo", "--port", str(port), "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/sign-in/", timeout=5
                ) as response:
                    body = response.read().decode()
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"demo stopped: {process.stderr.read()}")
                time.sleep(0.5)
        assert "Sign in" in body
    finally:
        process.terminate()
        stdout, _ = process.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in stdout
    # One sign-in printed for each role.
    for role in (
        "Platform administrator",
        "Partnership business manager",
        "Agency contributor",
        "Board member",
    ):
        assert role in stdout
    assert re.search(r"Password", stdout)
    assert (data_dir / "safeguarding.sqlite3").exists()
