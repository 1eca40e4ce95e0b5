"""``safeguarding synth children`` writes the folder, and refuses bad options in one plain line."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from safeguarding.commands.synth import synth_app

app = typer.Typer()
app.add_typer(synth_app, name="synth")
runner = CliRunner()


def test_writes_cin_ssda903_and_population(tmp_path: Path) -> None:
    out = tmp_path / "children"
    args = ["synth", "children", "--las", "2", "--years", "2023-24:2024-25", "--seed", "3"]
    result = runner.invoke(
        app, [*args, "--scale", "0.05", "--out", str(out), "--over-represent", "BCRB:s47:1.8"]
    )
    assert result.exit_code == 0, result.output
    cin = sorted(p.name for p in (out / "cin").iterdir())
    assert len(cin) == 4 and all(n.startswith("cin_") and n.endswith(".xml") for n in cin)
    assert {n.split("_")[2].removesuffix(".xml") for n in cin} == {"2023-24", "2024-25"}
    folders = sorted((out / "ssda903").glob("*/*"))
    assert len(folders) == 4
    for folder in folders:
        assert {p.name for p in folder.iterdir()} == {
            "header.csv",
            "episodes.csv",
            "uasc.csv",
            "missing.csv",
            "reviews.csv",
        }
    population = (out / "population.csv").read_text(encoding="utf-8").splitlines()
    assert population[0] == "geography_code,period,age_band,sex,ethnicity,population"
    assert len(population) == 1 + 2 * 2 * 18
    assert "referrals" in result.output


def test_bad_options_fail_with_one_plain_line(tmp_path: Path) -> None:
    out = tmp_path / "children"
    for extra, words in (
        (["--over-represent", "BCRB:court:2"], "stage must be one of"),
        (["--over-represent", "BCRB:assessment:3"], "cannot be planted that high"),
        (["--years", "2019-20"], "no CIN census schema here"),
        (["--years", "2024-26"], "not a financial year"),
        (["--las", "500"], "--las must be between 1 and 153"),
    ):
        result = runner.invoke(app, ["synth", "children", "--out", str(out), *extra])
        assert result.exit_code == 1, (extra, result.output)
        assert words in result.output
        assert "Traceback" not in result.output
        assert result.output.strip().startswith("Error:")
    assert not out.exists()


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "taken.txt"
    out.write_text("already here", encoding="utf-8")
    result = runner.invoke(app, ["synth", "children", "--out", str(out), "--scale", "0.01"])
    assert result.exit_code == 1
    assert "is a file" in result.output
