"""``safeguarding synth adults`` writes readable case and population files."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from safeguarding.casedata.adults.reader import read_adult_cases
from safeguarding.casedata.population import read_population
from safeguarding.casedata.report import InputFileInvalid
from safeguarding.commands.synth import synth_app

app = typer.Typer()
app.add_typer(synth_app, name="synth")
runner = CliRunner()


@pytest.mark.parametrize("suffix", ["csv", "parquet", "xlsx"])
def test_writes_cases_and_population(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"cases.{suffix}"
    args = ["synth", "adults", "--las", "3", "--years", "2023-24:2024-25", "--seed", "4"]
    result = runner.invoke(app, [*args, "--scale", "0.02", "--out", str(out)])
    assert result.exit_code == 0, result.output
    read = read_adult_cases(out)
    assert read.report.ok and read.tables.concerns.num_rows > 0
    assert len(set(read.tables.concerns.column("la_code").to_pylist())) == 3
    population, report = read_population(tmp_path / "cases-population.csv")
    assert report.ok
    assert set(population.column("period").to_pylist()) == {"2023-24", "2024-25"}


def test_messy_output_is_refused_by_the_reader(tmp_path: Path) -> None:
    out = tmp_path / "messy.csv"
    result = runner.invoke(
        app, ["synth", "adults", "--las", "2", "--scale", "0.05", "--messy", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with pytest.raises(InputFileInvalid):
        read_adult_cases(out)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--out", "x.txt"], "must end in .csv, .parquet or .xlsx"),
        (["--las", "999", "--out", "x.csv"], "between 1 and 153"),
        (["--years", "2024-2025", "--out", "x.csv"], "not a financial year"),
    ],
)
def test_bad_arguments_fail_plainly(tmp_path: Path, args: list[str], words: str) -> None:
    args = [str(tmp_path / a) if a.endswith((".txt", ".csv")) else a for a in args]
    result = runner.invoke(app, ["synth", "adults", *args])
    assert result.exit_code == 1
    assert words in result.output
    assert "Traceback" not in result.output


def test_the_output_folder_is_made_when_missing_and_a_file_in_the_way_is_explained(
    tmp_path: Path,
) -> None:
    out = tmp_path / "new" / "folder" / "adults.csv"
    made = runner.invoke(
        app,
        [
            "synth",
            "adults",
            "--las",
            "1",
            "--years",
            "2024-25",
            "--scale",
            "0.01",
            "--out",
            str(out),
        ],
    )
    assert made.exit_code == 0, made.output
    assert out.exists()
    (tmp_path / "blocker").write_text("a file, not a folder")
    blocked = runner.invoke(
        app, ["synth", "adults", "--las", "1", "--out", str(tmp_path / "blocker" / "x.csv")]
    )
    assert blocked.exit_code == 1
    assert "Cannot create the folder" in blocked.output
