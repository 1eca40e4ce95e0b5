"""``safeguarding indicators adults`` from files to a tidy table, and its failures."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from safeguarding.casedata.adults.writer import case_file_table, write_adult_cases
from safeguarding.casedata.synth.adults import synth_adult_tables
from safeguarding.commands.indicators import indicators_app
from safeguarding.indicators.tidy import TIDY_COLUMNS

app = typer.Typer()
app.add_typer(indicators_app, name="indicators")
runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cases")
    cases, population = synth_adult_tables(las=2, years=["2023-24"], seed=3, scale=0.01)
    write_adult_cases(case_file_table(cases), folder / "cases.csv")
    pacsv.write_csv(population, folder / "population.csv")
    return folder / "cases.csv", folder / "population.csv"


def _run(*args: str) -> object:
    return runner.invoke(app, ["indicators", "adults", *args])


def test_writes_the_tidy_table_as_csv(files: tuple[Path, Path], tmp_path: Path) -> None:
    cases, population = files
    out = tmp_path / "indicators.csv"
    result = _run("--cases", str(cases), "--population", str(population), "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pacsv.read_csv(out)
    assert tuple(table.column_names) == TIDY_COLUMNS
    assert "adults.concerns_rate_per_100k" in table["indicator"].to_pylist()
    assert "Wrote" in result.stdout


def test_suppressed_output_has_no_small_counts(files: tuple[Path, Path], tmp_path: Path) -> None:
    cases, _ = files
    out = tmp_path / "published.parquet"
    result = _run("--cases", str(cases), "--suppress", "--out", str(out))
    assert result.exit_code == 0, result.output
    values = pq.read_table(out)["value"].to_pylist()
    counts = [v for v in values if v is not None and v != "[c]" and "." not in v]
    assert counts and all(int(v) % 5 == 0 for v in counts)
    assert "[c]" in values


def test_writes_json(files: tuple[Path, Path], tmp_path: Path) -> None:
    cases, _ = files
    out = tmp_path / "indicators.json"
    assert _run("--cases", str(cases), "--out", str(out)).exit_code == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows and set(rows[0]) == set(TIDY_COLUMNS)


def test_an_unknown_output_format_fails_before_any_work(files: tuple[Path, Path]) -> None:
    result = _run("--cases", str(files[0]), "--out", "indicators.txt")
    assert result.exit_code == 1
    assert "must end in" in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_case_file_is_a_plain_error(tmp_path: Path) -> None:
    result = _run("--cases", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o.csv"))
    assert result.exit_code == 1
    assert "none.csv" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_postgres_without_a_url_is_a_plain_error(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = _run(
        "--cases", str(files[0]), "--engine", "postgres", "--out", str(tmp_path / "o.csv")
    )
    assert result.exit_code == 1
    assert "DATABASE_URL" in result.stderr


def test_breakdowns_total_writes_the_headline_figures_only(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    cases, population = files
    every, totals = tmp_path / "every.parquet", tmp_path / "totals.parquet"
    args = ["--cases", str(cases), "--population", str(population)]
    assert _run(*args, "--out", str(every)).exit_code == 0
    result = _run(*args, "--breakdowns", "total", "--out", str(totals))
    assert result.exit_code == 0, result.output
    full = pq.read_table(every)
    expected = full.filter(pc.equal(full["breakdown"], "total"))
    assert pq.read_table(totals).equals(expected)
    both = tmp_path / "both.parquet"
    assert _run(*args, "--breakdowns", "total,sex", "--out", str(both)).exit_code == 0
    assert set(pq.read_table(both)["breakdown"].to_pylist()) == {"total", "sex"}


def test_an_unknown_breakdown_fails_before_reading_the_files(tmp_path: Path) -> None:
    result = _run(
        "--cases", str(tmp_path / "none.csv"), "--breakdowns", "total,gender",
        "--out", str(tmp_path / "o.csv"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "gender is not a breakdown" in result.stderr and "age_band" in result.stderr
    assert "Traceback" not in result.output
