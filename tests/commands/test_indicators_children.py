"""``safeguarding indicators children`` from census files and SSDA903 folders to a tidy table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from typer.testing import CliRunner

from safeguarding.casedata.synth.children import synth_children
from safeguarding.cli import app
from safeguarding.indicators.tidy import TIDY_COLUMNS

runner = CliRunner()


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("children")
    synth_children(las=2, years=["2024-25"], seed=11, out=out, scale=0.1)
    return out


def run(*args: str) -> object:
    return runner.invoke(app, ["indicators", "children", *args])


def test_a_folder_of_census_files_gives_the_same_table_as_the_files_one_by_one(
    collection: Path, tmp_path: Path
) -> None:
    files = sorted((collection / "cin").glob("*.xml"))
    one_by_one = [arg for f in files for arg in ("--cin", str(f))]
    common = [
        "--ssda903",
        str(collection / "ssda903"),
        "--population",
        str(collection / "population.csv"),
    ]
    by_file = run(*one_by_one, *common, "--out", str(tmp_path / "a.csv"))
    by_folder = run("--cin", str(collection / "cin"), *common, "--out", str(tmp_path / "b.csv"))
    assert by_file.exit_code == 0, by_file.output
    assert by_folder.exit_code == 0, by_folder.output
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    table = pacsv.read_csv(tmp_path / "a.csv")
    assert table.column_names == list(TIDY_COLUMNS)
    indicators = set(table.column("indicator").to_pylist())
    assert {"children.referrals", "children.cla_at_31_march", "children.rri.s47"} <= indicators


def test_suppressed_output_shows_no_count_from_one_to_four(
    collection: Path, tmp_path: Path
) -> None:
    out = tmp_path / "suppressed.csv"
    result = run(
        "--cin",
        str(collection / "cin"),
        "--population",
        str(collection / "population.csv"),
        "--suppress",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    table = pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(strings_can_be_null=False))
    rows = table.to_pylist()
    counts = [r["value"] for r in rows if r["unit"] == "count"]
    assert counts and all(v == "[c]" or (v.isdigit() and int(v) % 5 == 0) for v in counts)


def test_the_same_census_given_twice_is_refused(collection: Path, tmp_path: Path) -> None:
    census = sorted((collection / "cin").glob("*.xml"))[0]
    copy = tmp_path / "copy.xml"
    shutil.copy(census, copy)
    result = run(
        "--cin",
        str(census),
        "--cin",
        str(copy),
        "--population",
        str(collection / "population.csv"),
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert result.exit_code == 1
    assert "give each council's year once" in result.output


def test_an_empty_folder_is_explained(collection: Path, tmp_path: Path) -> None:
    result = run(
        "--cin",
        str(tmp_path),
        "--population",
        str(collection / "population.csv"),
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert result.exit_code == 1
    assert "No CIN census XML files were found" in result.output
    assert "Traceback" not in result.output
