"""``safeguarding align`` writes the alignment JSON and refuses bad input plainly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguarding.cli import app
from safeguarding.themes.alignment import validate_alignment
from safeguarding.themes.taxonomy import load_taxonomy, taxonomy_from_yaml
from tests.themes.alignment_reports import FOCUS, SHARED, TAXONOMY_YAML, write_reports

runner = CliRunner()


@pytest.fixture
def reports(tmp_path: Path) -> dict[str, Path]:
    return write_reports(tmp_path)


def _args(reports: dict[str, Path], out: Path) -> list[str]:
    return [
        "align",
        "--partnership",
        f"LSCP={reports['LSCP']}",
        "--partnership",
        f"LSAB={reports['LSAB']}",
        "--strategy",
        f"HWS={reports['HWS']}",
        "--out",
        str(out),
    ]


def test_writes_the_analysis_with_a_taxonomy_file(reports: dict[str, Path], tmp_path: Path) -> None:
    taxonomy_file = tmp_path / "themes.yaml"
    taxonomy_file.write_text(TAXONOMY_YAML, encoding="utf-8")
    out = tmp_path / "alignment.json"
    result = runner.invoke(app, [*_args(reports, out), "--taxonomy", str(taxonomy_file)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    validate_alignment(data, taxonomy_from_yaml(TAXONOMY_YAML))
    assert {entry["theme"] for entry in data["shared_themes"]} == SHARED
    assert {entry["theme"] for entry in data["additional_focus_areas"]} == FOCUS
    assert [source["file"] for source in data["sources"]] == ["lscp.md", "lsab.md", "hws.md"]
    # The summary printed names the shared themes with their sources, then the focus areas.
    assert "Shared themes:" in result.stdout
    assert "Transitions to adulthood (LSCP, LSAB, HWS" in result.stdout
    assert "Additional focus areas:" in result.stdout
    assert "Domestic abuse (LSCP, LSAB" in result.stdout
    assert result.stdout.index("Shared themes:") < result.stdout.index("Additional focus areas:")


def test_the_catalogue_taxonomy_finds_transitions_shared(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "alignment.json"
    result = runner.invoke(app, _args(reports, out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    taxonomy = load_taxonomy()
    validate_alignment(data, taxonomy)
    assert data["model"]["taxonomy_version"] == taxonomy.version
    shared = {entry["label"]: entry["sources"] for entry in data["shared_themes"]}
    transitions = [label for label in shared if "transition" in label.lower()]
    assert transitions and shared[transitions[0]] == ["LSCP", "LSAB", "HWS"]


def _replace(args: list[str], old: str, new: str) -> list[str]:
    return [new if arg == old else arg for arg in args]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda a, r: _replace(a, f"LSCP={r['LSCP']}", str(r["LSCP"])), "should be NAME=FILE"),
        (lambda a, r: _replace(a, f"LSCP={r['LSCP']}", f"={r['LSCP']}"), "should be NAME=FILE"),
        (lambda a, r: _replace(a, f"LSCP={r['LSCP']}", "LSCP="), "should be NAME=FILE"),
        (
            lambda a, r: _replace(a, f"LSCP={r['LSCP']}", f"L/SCP={r['LSCP']}"),
            "cannot name a source",
        ),
        (
            lambda a, r: _replace(a, f"LSCP={r['LSCP']}", "LSCP=nowhere/missing.pdf"),
            "There is no file nowhere/missing.pdf (for LSCP)",
        ),
        (
            lambda a, r: _replace(a, f"LSCP={r['LSCP']}", f"LSCP={r['LSCP'].parent}"),
            "is not a file",
        ),
        (
            lambda a, r: _replace(a, f"LSAB={r['LSAB']}", f"lscp={r['LSAB']}"),
            "Two documents are named lscp",
        ),
        (lambda a, r: [a[0], *a[3:]], "at least two partnerships"),
        (lambda a, r: [*a, "--strategy", f"HWS2={r['HWS']}"], "exactly one strategy"),
        (lambda a, r: _replace(a, "--strategy", "--partnership"), "exactly one strategy"),
        (lambda a, r: [*a[:-1], "alignment.txt"], "must end in .json"),
        (lambda a, r: [*a, "--taxonomy", "nowhere.yaml"], "There is no taxonomy file"),
    ],
)
def test_bad_options_are_refused_plainly(
    reports: dict[str, Path], tmp_path: Path, edit, message: str
) -> None:
    out = tmp_path / "alignment.json"
    result = runner.invoke(app, edit(_args(reports, out), reports))
    assert result.exit_code == 1, result.output
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_document_with_no_statements_is_refused(reports: dict[str, Path], tmp_path: Path) -> None:
    reports["LSAB"].write_text("# Larkhaven Safeguarding Adults Board\n", encoding="utf-8")
    out = tmp_path / "alignment.json"
    result = runner.invoke(app, _args(reports, out))
    assert result.exit_code == 1
    assert "No statements were found in lsab.md (LSAB)" in " ".join(result.stderr.split())
    assert not out.exists()


def test_an_unreadable_document_is_refused(reports: dict[str, Path], tmp_path: Path) -> None:
    reports["HWS"].write_bytes(b"")
    result = runner.invoke(app, _args(reports, tmp_path / "alignment.json"))
    assert result.exit_code == 1
    assert "(HWS)" in result.stderr and "empty" in result.stderr


def test_a_bad_taxonomy_is_refused(reports: dict[str, Path], tmp_path: Path) -> None:
    taxonomy_file = tmp_path / "themes.yaml"
    taxonomy_file.write_text("version: '1'\nthemes:\n  - id: Not An Id\n", encoding="utf-8")
    args = [*_args(reports, tmp_path / "alignment.json"), "--taxonomy", str(taxonomy_file)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert f"The taxonomy {taxonomy_file} cannot be used" in " ".join(result.stderr.split())
