"""``safeguarding indicators``: statutory indicators from case records (``specs/cli.md``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pyarrow as pa
import pyarrow.compute as pc
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
    err,
    fail,
    progress_bar,
    step_reporter,
    write_indicator_table,
)

if TYPE_CHECKING:
    from safeguarding.indicators.run import IndicatorRun

indicators_app = typer.Typer(
    help="Statutory indicators from case records.", no_args_is_help=True, add_completion=False
)


def _read_population(path: Path) -> pa.Table:
    """The population file (``specs/population.md``), checked as the case files are."""
    from safeguarding.casedata.population import read_population
    from safeguarding.casedata.report import InputFileError, InputFileInvalid

    try:
        table, report = read_population(path)
    except InputFileInvalid as error:
        raise fail(f"{error.report.summary()}\nNothing was computed; fix the file.") from None
    except InputFileError as error:
        raise fail(str(error)) from None
    for warning in report.warnings:
        err.print(f"Note: {warning}", highlight=False)
    return table


def _read_cases(paths: list[Path], valid_rows_only: bool) -> tuple[object, list[str]]:
    """Every case file, read and validated, as one pair of tables; and notes for the user."""
    from safeguarding.casedata.adults import AdultCaseTables
    from safeguarding.casedata.adults.reader import read_adult_cases
    from safeguarding.casedata.report import InputFileError, InputFileInvalid

    concerns, risk_types, notes = [], [], []
    for path in paths:
        try:
            read = read_adult_cases(path, valid_rows_only=valid_rows_only)
        except InputFileInvalid as error:
            raise fail(
                f"{error.report.summary()}\nNothing was computed; fix the file, or run "
                "with --valid-rows-only to leave those rows out."
            ) from None
        except InputFileError as error:
            raise fail(str(error)) from None
        concerns.append(read.tables.concerns)
        risk_types.append(read.tables.risk_types)
        notes += read.report.warnings
        if read.report.rows_left_out:
            notes.append(
                f"{path.name}: {read.report.rows_left_out:,} rows with problems were left out."
            )
    tables = AdultCaseTables(
        concerns=pa.concat_tables(concerns), risk_types=pa.concat_tables(risk_types)
    )
    ids = tables.concerns["concern_id"]
    if len(paths) > 1 and pc.count_distinct(ids).as_py() != len(ids):
        raise fail("The case files share concern ids: each concern must be in only one file.")
    return tables, notes


def _chosen_breakdowns(given: list[str] | None) -> list[str] | None:
    """The breakdowns named by ``--breakdowns`` (repeated, comma-separated, or both), checked
    against the catalogue before any file is read."""
    if not given:
        return None
    from safeguarding.indicators.catalogue import catalogue

    chosen = [name.strip() for value in given for name in value.split(",") if name.strip()]
    known = dict.fromkeys(b for spec in catalogue().of_domain("adults") for b in spec.breakdowns)
    unknown = [name for name in chosen if name not in known]
    if not chosen:
        raise fail(f"--breakdowns names no breakdown; choose from {', '.join(known)}.")
    if unknown:
        verb = "is not a breakdown" if len(unknown) == 1 else "are not breakdowns"
        raise fail(
            f"--breakdowns: {', '.join(unknown)} {verb} of the adult indicators; "
            f"choose from {', '.join(known)}.",
            markup=False,
        )
    return chosen


@indicators_app.command("adults")
def adults_command(
    cases: Annotated[
        list[Path], typer.Option("--cases", help="Adult case files (CSV, Parquet or XLSX).")
    ],
    out_path: IndicatorsOutOption,
    population: Annotated[
        Path | None, typer.Option(help="Population file (CSV), for rates per 100,000 adults.")
    ] = None,
    engine: EngineOption = EngineName.duckdb,
    database_url: DatabaseUrlOption = None,
    spark_master: SparkMasterOption = None,
    suppress: SuppressOption = False,
    valid_rows_only: Annotated[
        bool, typer.Option("--valid-rows-only", help="Leave out rows with problems.")
    ] = False,
    breakdowns: Annotated[
        list[str] | None,
        typer.Option(
            "--breakdowns",
            help="Only these breakdowns, comma-separated (e.g. total or total,sex); "
            "'total' is the headline figure. Default: every indicator's own.",
        ),
    ] = None,
) -> None:
    """Adult safeguarding indicators in the tidy table of indicators.md."""
    from safeguarding.indicators.run import adult_indicators

    check_indicators_out(out_path)
    chosen = _chosen_breakdowns(breakdowns)
    tables, notes = _read_cases(cases, valid_rows_only)
    population_table = _read_population(population) if population else None

    progress = progress_bar()
    task = progress.add_task("Indicators", total=None)

    def compute() -> IndicatorRun:
        with progress:
            return adult_indicators(
                tables,
                population_table,
                engine=engine.value,
                database_url=database_url,
                spark_master=spark_master,
                breakdowns=chosen,
                progress=step_reporter(progress, task),
            )

    run = compute_on_engine(engine, compute)
    write_indicator_table(run.table, out_path, [*notes, *run.warnings], suppress)
