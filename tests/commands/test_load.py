"""``safeguarding import indicators`` and ``safeguarding import benchmarks``."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguarding.commands.load import import_app
from safeguarding.web.results.models import IndicatorLoad, IndicatorValue
from tests.published.test_sac import invented_file
from tests.web.results.tidy_tables import row, small_table, tidy_csv

runner = CliRunner()


@pytest.fixture
def tidy_file(tmp_path: Path) -> Path:
    path = tmp_path / "adults-2024-25.csv"
    path.write_bytes(tidy_csv(small_table()))
    return path


@pytest.mark.django_db
def test_import_indicators_stores_a_computed_load(tidy_file: Path) -> None:
    result = runner.invoke(
        import_app, ["indicators", str(tidy_file), "--label", "Run of 2 May", "--engine", "duckdb"]
    )
    assert result.exit_code == 0, result.stderr
    load = IndicatorLoad.objects.get()
    assert f"Loaded 5 indicator values from adults-2024-25.csv as load {load.pk}" in result.stdout
    assert (load.kind, load.via, load.engine, load.label) == (
        "computed",
        "cli",
        "duckdb",
        "Run of 2 May",
    )
    assert load.loaded_by is None and load.loaded_by_name == getpass.getuser()
    # Only the name is kept, never the path it was loaded from.
    assert load.files.get().name == "adults-2024-25.csv"
    assert str(tidy_file.parent) not in load.files.get().name


@pytest.mark.django_db
def test_import_indicators_refuses_a_file_with_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(tidy_csv([row(), row(period="next year", breakdown="sex", category="F")]))
    result = runner.invoke(import_app, ["indicators", str(path), "--label", "Bad"])
    assert result.exit_code == 1
    assert "Nothing was loaded: 1 problem in the rows." in result.stderr
    assert "bad.csv row 3 period 'next year'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not IndicatorLoad.objects.exists() and not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_import_indicators_explains_a_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(import_app, ["indicators", str(tmp_path / "nope.csv"), "--label", "x"])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_import_indicators_needs_a_label(tidy_file: Path) -> None:
    result = runner.invoke(import_app, ["indicators", str(tidy_file)])
    assert result.exit_code == 2
    assert "--label" in result.stderr


@pytest.mark.django_db
def test_import_benchmarks_stores_published_figures_and_reports_unmapped_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "SAC_2024-25_open_data.csv"
    path.write_bytes(invented_file())
    result = runner.invoke(import_app, ["benchmarks", str(path)])
    assert result.exit_code == 0, result.stderr
    load = IndicatorLoad.objects.get()
    assert (load.kind, load.via, load.suppressed) == ("published", "cli", True)
    assert load.label == "Safeguarding Adults Collection 2024-25"
    england = load.values.get(indicator="adults.concerns", geography_level="england")
    assert (england.value, england.period) == (641020.0, "2024-25")
    assert load.values.get(indicator="adults.s42_enquiries", geography_code="E06000001").suppressed
    assert "SG9 / Section 42 / Something new / Anything" in result.stderr
    assert any("matched no rule" in warning for warning in load.warnings)
    assert f"as load {load.pk}" in result.stdout


@pytest.mark.django_db
def test_import_benchmarks_needs_the_year(tmp_path: Path) -> None:
    path = tmp_path / "sac.csv"
    path.write_bytes(invented_file())
    result = runner.invoke(import_app, ["benchmarks", str(path)])
    assert result.exit_code == 1
    assert "--period" in result.stderr and "Traceback" not in result.stderr
    assert not IndicatorLoad.objects.exists()
    result = runner.invoke(import_app, ["benchmarks", str(path), "--period", "2023-24"])
    assert result.exit_code == 0, result.stderr
    assert set(IndicatorValue.objects.values_list("period", flat=True)) == {"2023-24"}


@pytest.mark.django_db
def test_import_benchmarks_refuses_a_file_that_is_not_the_sac_csv(tidy_file: Path) -> None:
    result = runner.invoke(import_app, ["benchmarks", str(tidy_file)])
    assert result.exit_code == 1
    assert "is not the SAC open-data CSV" in result.stderr
    assert not IndicatorLoad.objects.exists()


@pytest.mark.django_db
def test_two_files_of_one_year_with_the_same_figures_load_nothing(tmp_path: Path) -> None:
    first = tmp_path / "sac-2024-25.csv"
    second = tmp_path / "sac-2024-25-copy.csv"
    first.write_bytes(invented_file())
    second.write_bytes(invented_file())
    result = runner.invoke(import_app, ["benchmarks", str(first), str(second)])
    assert result.exit_code == 1
    assert "repeats the figure of row" in result.stderr
    assert not IndicatorLoad.objects.exists()


def test_an_unmigrated_database_is_explained(tmp_path: Path, tidy_file: Path) -> None:
    """Run as a separate process, as a user would, on a fresh data directory."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["SAFEGUARDING_DATA_DIR"] = str(tmp_path / "data")
    code = "from safeguarding.commands.load import import_app; import_app()"
    result = subprocess.run(
        [sys.executable, "-c", code, "indicators", str(tidy_file), "--label", "x"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "safeguarding db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
