"""``safeguarding audit export`` writes the audit trail as CSV for a governance review, and is
itself written to the trail."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from unittest import mock

from typer.testing import CliRunner

from safeguarding.commands.audit import audit_app
from safeguarding.web.audit import trail
from safeguarding.web.audit.models import AuditEvent
from tests.conftest import World

runner = CliRunner()


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _sign_in_on(day: dt.date, world: World) -> AuditEvent:
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=noon):
        return trail.sign_in(None, world.users["board_member"])


def test_a_quarter_is_written_and_the_export_recorded(world: World, tmp_path: Path) -> None:
    _sign_in_on(dt.date(2025, 12, 31), world)
    _sign_in_on(dt.date(2026, 1, 1), world)
    _sign_in_on(dt.date(2026, 3, 31), world)
    _sign_in_on(dt.date(2026, 4, 1), world)
    out = tmp_path / "audit.csv"
    args = ["export", "--from", "2026-01-01", "--to", "2026-03-31", "--out", str(out)]
    result = runner.invoke(audit_app, args)
    assert result.exit_code == 0, result.output
    assert "Wrote 2 audit events" in result.output
    rows = _rows(out)
    assert [row["When (UTC)"] for row in rows] == ["2026-01-01T12:00:00Z", "2026-03-31T12:00:00Z"]
    (exported,) = AuditEvent.objects.filter(action="export")
    assert exported.via == "cli" and exported.username.endswith(" (cli)")
    assert exported.user is None
    assert exported.note == "audit trail (from 2026-01-01, to 2026-03-31) as CSV"


def test_filters_match_the_pages(world: World, tmp_path: Path) -> None:
    trail.record(world.users["business_manager"], world.police_action, "update", {"a": [1, 2]})
    trail.sign_in_failed(None, "manager")
    out = tmp_path / "audit.csv"
    args = ["export", "--out", str(out), "--person", "MANAGER", "--partnership", "tscp"]
    result = runner.invoke(audit_app, args)
    assert result.exit_code == 0, result.output
    assert [(row["Who"], row["Action"]) for row in _rows(out)] == [("manager", "update")]
    result = runner.invoke(audit_app, ["export", "--out", str(out), "--action", "sign_in_failed"])
    assert result.exit_code == 0, result.output
    assert [row["Action"] for row in _rows(out)] == ["sign_in_failed"]


def test_bad_options_are_explained(world: World, tmp_path: Path) -> None:
    out = str(tmp_path / "audit.csv")
    cases = [
        (["--from", "2026-13-01"], "--from must be a date written like 2026-01-31"),
        (["--from", "2026-03-01", "--to", "2026-01-01"], "--to must be the same day"),
        (["--partnership", "nope"], "no partnership 'nope'"),
        (["--action", "edit"], "no action 'edit'"),
    ]
    for extra, message in cases:
        result = runner.invoke(audit_app, ["export", "--out", out, *extra])
        assert result.exit_code == 1, extra
        assert message in " ".join(result.output.split()), (extra, result.output)
    result = runner.invoke(audit_app, ["export", "--out", str(tmp_path / "audit.xlsx")])
    assert result.exit_code == 1 and "must end in .csv" in result.output
    result = runner.invoke(audit_app, ["export", "--out", str(tmp_path / "no" / "audit.csv")])
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not AuditEvent.objects.filter(action="export").exists()
    assert not Path(out).exists()


def test_the_command_is_on_the_main_app() -> None:
    from safeguarding.cli import app

    result = runner.invoke(app, ["audit", "export", "--help"])
    assert result.exit_code == 0
    assert "--from" in result.output and "--out" in result.output
