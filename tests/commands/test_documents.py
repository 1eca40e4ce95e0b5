"""``safeguarding documents extract``: a document to sections and statements as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from safeguarding.cli import app
from safeguarding.documents.extract import document_from_json

runner = CliRunner()

REPORT = """# Larkhaven Safeguarding Adults Board Annual Report

## What we achieved

- We published a self-neglect protocol.

## Our priorities

- Prevent abuse and neglect.
- Improve how partners respond to hoarding.
"""


def words(text: str) -> str:
    return " ".join(text.split())


def test_extract_writes_the_json_and_a_summary(tmp_path: Path) -> None:
    source = tmp_path / "lsab-2024.md"
    source.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "lsab.json"
    result = runner.invoke(app, ["documents", "extract", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["source"] == "lsab-2024"
    assert [s["id"] for s in data["statements"]] == ["lsab-2024-1", "lsab-2024-2", "lsab-2024-3"]
    assert document_from_json(data).section_counts() == {"achievements": 1, "priorities": 2}
    summary = words(result.stdout)
    assert "2 sections" in summary
    assert "3 statements (1 achievements, 2 priorities)" in summary


def test_the_source_option_names_the_statements(tmp_path: Path) -> None:
    source = tmp_path / "report.md"
    source.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out.json"
    result = runner.invoke(
        app, ["documents", "extract", str(source), "--out", str(out), "--source", "LSAB"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["statements"][0]["id"] == "LSAB-1"


def test_a_bad_document_exits_1_with_one_line(tmp_path: Path) -> None:
    source = tmp_path / "locked.docx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["documents", "extract", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert "password-protected" in words(result.stderr)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_an_empty_file_exits_1(tmp_path: Path) -> None:
    source = tmp_path / "empty.pdf"
    source.write_bytes(b"")
    result = runner.invoke(
        app, ["documents", "extract", str(source), "--out", str(tmp_path / "o.json")]
    )
    assert result.exit_code == 1
    assert "empty (0 bytes)" in words(result.stderr)


def test_a_missing_file_or_folder_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["documents", "extract", str(tmp_path / "no.md"), "--out", str(tmp_path / "o.json")]
    )
    assert result.exit_code == 1
    assert "no such file" in words(result.stderr)
    source = tmp_path / "report.md"
    source.write_text(REPORT, encoding="utf-8")
    result = runner.invoke(
        app, ["documents", "extract", str(source), "--out", str(tmp_path / "no" / "o.json")]
    )
    assert result.exit_code == 1
    assert "does not exist" in words(result.stderr)
