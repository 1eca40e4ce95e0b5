"""``safeguarding indicators children``: children's indicators and disproportionality from CIN
census XML and SSDA903 returns (``specs/cli.md``). Registered on the ``indicators`` app as
``children``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeguarding.commands.common import (
    DatabaseUrlOption,
    EngineName,
    EngineOption,
    IndicatorsOutOption,
    SparkMasterOption,
    SuppressOption,
    check_indicators_out,
    compute_on_engine,
    fail,
    progress_bar,
    step_reporter,
    write_indicator_table,
)
from safeguarding.commands.indicators import _read_population

if TYPE_CHECKING:
    from safeguarding.indicators.run import IndicatorRun


def _read_files(cin: list[Path], ssda903: list[Path]) -> tuple[list, list, list[str]]:
    """Every CIN census file and SSDA903 folder (a council-year folder or a root holding them),
    read and checked; notes for the user about problems found on the way."""
    from safeguarding.casedata.children.cin_reader import read_cin_census
    from safeguarding.casedata.children.ssda903 import find_ssda903_folders, read_ssda903
    from safeguarding.casedata.report import InputFileError

    census, returns, notes = [], [], []
    seen: dict[tuple[str, str], Path] = {}
    # A folder stands for every census file in it, so a whole collection can be given at once.
    files = [
        p for given in cin for p in (sorted(given.glob("*.xml")) if given.is_dir() else [given])
    ]
    if not files:
        raise fail("No CIN census XML files were found in the folders given to --cin.")
    for path in files:
        try:
            read = read_cin_census(path)
        except InputFileError as error:
            raise fail(str(error)) from None
        key = (read.la, read.year)
        if key in seen:
            raise fail(
                f"{path.name} and {seen[key].name} are both the {read.year} census of council "
                f"{read.la}: give each council's year once."
            )
        seen[key] = path
        if not read.report.ok:
            notes.append(read.report.brief())
        census.append(read)
    for given in ssda903:
        try:
            folders = (
                [given] if (given / "episodes.csv").exists() else list(find_ssda903_folders(given))
            )
            if not folders:
                raise InputFileError(
                    f"{given} holds no SSDA903 folders (<DfE LA number>/<year such as 2024-25>/)."
                )
            for folder in folders:
                read = read_ssda903(folder)
                if not read.ok:
                    notes += [r.brief() for r in read.reports.values() if not r.ok]
                returns.append(read)
        except InputFileError as error:
            raise fail(str(error)) from None
    return census, returns, notes


def children_command(
    cin: Annotated[
        list[Path],
        typer.Option(
            "--cin", help="CIN census XML files (one per council and year), or folders of them."
        ),
    ],
    out_path: IndicatorsOutOption,
    population: Annotated[
        Path, typer.Option(help="Population file (CSV) of children aged 0-17, by ethnicity.")
    ],
    ssda903: Annotated[
        list[Path] | None,
        typer.Option("--ssda903", help="SSDA903 folders: <LA>/<year>/ or a root holding them."),
    ] = None,
    engine: EngineOption = EngineName.duckdb,
    database_url: DatabaseUrlOption = None,
    spark_master: SparkMasterOption = None,
    suppress: SuppressOption = False,
) -> None:
    """Children's indicators and disproportionality in the tidy table of indicators.md."""
    from safeguarding.indicators.children import children_case_tables
    from safeguarding.indicators.children_run import children_indicators

    check_indicators_out(out_path)
    population_table = _read_population(population)

    progress = progress_bar()
    task = progress.add_task("Reading the files", total=None)

    def compute() -> tuple[list[str], IndicatorRun]:
        with progress:
            census, returns, notes = _read_files(cin, ssda903 or [])
            tables = children_case_tables(census, returns)
            return notes, children_indicators(
                tables,
                population_table,
                engine=engine.value,
                database_url=database_url,
                spark_master=spark_master,
                progress=step_reporter(progress, task),
            )

    notes, run = compute_on_engine(engine, compute)
    write_indicator_table(run.table, out_path, [*notes, *run.warnings], suppress)
