"""``safeguarding report annual`` writes a partnership's report for a year."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from safeguarding.commands.report import report_app
from safeguarding.web.reports.models import AnnualReport
from tests.conftest import World

runner = CliRunner()


def test_the_report_is_written_in_the_format_its_name_asks_for(
    world: World, tmp_path: Path
) -> None:
    AnnualReport.objects.create(partnership=world.children, period=world.period, foreword="Hi.")
    out = tmp_path / "report.pdf"
    result = runner.invoke(
        report_app,
        ["annual", "--partnership", "tscp", "--year", "2024-25", "--out", str(out), "--checklist"],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    # The checklist's gaps are named, so the person running it knows the draft is not ready.
    assert "gap" in result.output


def test_a_missing_report_or_partnership_is_explained(world: World, tmp_path: Path) -> None:
    out = str(tmp_path / "report.html")
    result = runner.invoke(
        report_app, ["annual", "--partnership", "nope", "--year", "2024-25", "--out", out]
    )
    assert result.exit_code != 0 and "no partnership 'nope'" in result.output
    assert "tscp" in result.output
    result = runner.invoke(
        report_app, ["annual", "--partnership", "tscp", "--year", "2024-25", "--out", out]
    )
    assert result.exit_code != 0 and "has no annual report for 2024-25" in result.output
    result = runner.invoke(
        report_app, ["annual", "--partnership", "tscp", "--year", "2024-25", "--out", "x.odt"]
    )
    assert result.exit_code != 0 and ".html, .pdf or .docx" in result.output
