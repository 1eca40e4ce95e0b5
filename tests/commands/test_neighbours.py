"""``safeguarding neighbours``: a council's statistical neighbours from a measures file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguarding.cli import app

runner = CliRunner()

MEASURES = "\r\n".join(
    [
        "council_code,council_name,population_0_17,imd_average_score,constant",
        "E06000097,Larkhaven,40000,20,1",
        "E06000098,Brindle Vale,41000,21,1",
        "E06000099,Otterby,80000,30,1",
        "E08000098,Castle Fenwick,20000,10,1",
        "E09000098,Marrow [Old Town],400000,35,1",
    ]
)


@pytest.fixture
def measures_file(tmp_path: Path) -> Path:
    path = tmp_path / "measures.csv"
    path.write_text(MEASURES, encoding="utf-8")
    return path


def words(text: str) -> str:
    """The text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


def test_prints_the_neighbours_nearest_first_with_the_method(measures_file: Path) -> None:
    result = runner.invoke(app, ["neighbours", str(measures_file), "--council", "E06000097"])
    assert result.exit_code == 0, result.output
    shown = words(result.stdout)
    assert shown.startswith(
        "The 4 councils nearest to Larkhaven on 2 measures (population aged 0 to 17 and "
        "Index of Multiple Deprivation average score), each standardised, from the file "
        "measures.csv."
    )
    lines = [line for line in result.stdout.splitlines() if "E0" in line]
    # Otterby and Castle Fenwick are twice and half Larkhaven's size, and 10 points either side
    # on deprivation: a tie, listed in order of code.
    assert [line.split()[1] for line in lines] == [
        "E06000098",
        "E06000099",
        "E08000098",
        "E09000098",
    ]
    assert "Brindle Vale" in lines[0] and "0.1" in lines[0]
    # A name with brackets is shown as it is, not read as markup.
    assert "Marrow [Old Town]" in result.stdout
    assert "Note: constant is the same for every council in measures.csv" in words(result.stderr)


def test_writes_a_csv_when_asked_for_a_code_in_any_case(
    measures_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "neighbours.csv"
    result = runner.invoke(
        app,
        [
            "neighbours",
            str(measures_file),
            "--council",
            "e06000097",
            "--count",
            "2",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote 2 neighbours to {out}." in words(result.stdout)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0] == ["Code", "Name", "Distance"]
    assert [row[:2] for row in rows[1:]] == [
        ["E06000098", "Brindle Vale"],
        ["E06000099", "Otterby"],
    ]
    assert 0 < float(rows[1][2]) < float(rows[2][2])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--council", "E06000001"], "E06000001 is not in measures.csv."),
        (["--council", "E06000097", "--out", "neighbours.txt"], "must end in .csv"),
        (["--council", "E06000097", "--out", "missing/n.csv"], "does not exist"),
    ],
)
def test_bad_arguments_fail_plainly(
    measures_file: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [str(tmp_path / a) if a.endswith((".txt", ".csv")) else a for a in args]
    result = runner.invoke(app, ["neighbours", str(measures_file), *args])
    assert result.exit_code == 1
    assert message in words(result.stderr)
    assert "Traceback" not in result.output


def test_a_file_with_problems_lists_them_and_a_missing_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("council_code,score\nE06000097,1\nE06000098,high\nX1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["neighbours", str(bad), "--council", "E06000097"])
    assert result.exit_code == 1
    shown = words(result.stderr)
    assert "bad.csv has 2 problems:" in shown
    assert "row 3 score 'high': is not a number" in shown
    assert "row 4 council_code 'X1'" in shown
    missing = runner.invoke(
        app, ["neighbours", str(tmp_path / "none.csv"), "--council", "E06000097"]
    )
    assert missing.exit_code == 1
    assert "none.csv: no such file." in words(missing.stderr)
    assert "Traceback" not in result.output + missing.output
