"""``safeguarding report hwb`` writes the Health and Wellbeing Board paper from an analysis."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pypdf
import pytest
from typer.testing import CliRunner

from safeguarding.cli import app
from safeguarding.commands.report import report_app
from tests.reports.test_hwb import TRANSITIONS_LSAB, make_alignment

runner = CliRunner()


@pytest.fixture
def alignment(tmp_path: Path) -> Path:
    path = tmp_path / "alignment.json"
    path.write_text(json.dumps(make_alignment()), encoding="utf-8")
    return path


def test_the_paper_is_written_as_docx_with_the_meta_file(alignment: Path, tmp_path: Path) -> None:
    meta = tmp_path / "meta.yaml"
    meta.write_text(
        "title: Larkhaven Safeguarding Partnerships' Annual Reports\n"
        "council: Larkhaven Council\n"
        "date: 2025-12-17\n"
        "source_names:\n  LSAB: Larkhaven Safeguarding Adults Board\n",
        encoding="utf-8",
    )
    out = tmp_path / "paper.docx"
    result = runner.invoke(
        report_app, ["hwb", "--alignment", str(alignment), "--meta", str(meta), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    document = docx.Document(io.BytesIO(out.read_bytes()))
    assert document.core_properties.title == "Larkhaven Safeguarding Partnerships' Annual Reports"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Larkhaven Safeguarding Adults Board" in headings
    assert any(TRANSITIONS_LSAB in p.text for p in document.paragraphs)
    # The officer is told what is still to fill in; the council's name was given.
    assert "Still to complete:" in result.output and "finance comments" in result.output
    assert "the council's name" not in result.output


def test_html_and_pdf_follow_the_suffix(alignment: Path, tmp_path: Path) -> None:
    html = tmp_path / "paper.html"
    result = runner.invoke(report_app, ["hwb", "--alignment", str(alignment), "--out", str(html)])
    assert result.exit_code == 0, result.output
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    pdf = tmp_path / "paper.PDF"
    result = runner.invoke(report_app, ["hwb", "--alignment", str(alignment), "--out", str(pdf)])
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Shared priorities" in text and "Transitions and continuity of care" in text


def _fails(args: list[str]) -> str:
    result = runner.invoke(report_app, ["hwb", *args])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    return " ".join(result.output.split())


def test_bad_input_is_explained(alignment: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "paper.docx")
    assert ".docx, .html or .pdf" in _fails(["--alignment", str(alignment), "--out", "paper.odt"])
    missing_folder = str(tmp_path / "nowhere" / "paper.docx")
    assert "does not exist" in _fails(["--alignment", str(alignment), "--out", missing_folder])
    assert "no alignment file" in _fails(["--alignment", str(tmp_path / "x.json"), "--out", out])

    not_json = tmp_path / "report.json"
    not_json.write_bytes(b"%PDF-1.7 not json")
    assert "is not a JSON file" in _fails(["--alignment", str(not_json), "--out", out])

    incomplete = tmp_path / "incomplete.json"
    incomplete.write_text(json.dumps({"sources": []}), encoding="utf-8")
    message = _fails(["--alignment", str(incomplete), "--out", out])
    assert "is not a shared-priorities analysis: it is missing 'generated_at'" in message

    wrong = make_alignment()
    wrong["shared_themes"][0]["evidence"][0]["statement"] = "LSAB-99"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(wrong), encoding="utf-8")
    assert "LSAB-99" in _fails(["--alignment", str(bad), "--out", out])

    meta = tmp_path / "meta.yaml"
    meta.write_text("date: soon\n", encoding="utf-8")
    assert "'date' must be a date" in _fails(
        ["--alignment", str(alignment), "--meta", str(meta), "--out", out]
    )
    assert not Path(out).exists()


def test_report_help_names_the_board_paper() -> None:
    result = runner.invoke(app, ["report", "--help"])
    assert result.exit_code == 0
    assert "hwb" in result.output
    assert "Health and Wellbeing Board paper" in " ".join(result.output.split())
