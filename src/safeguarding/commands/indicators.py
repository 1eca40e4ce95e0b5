"""``safeguarding indicators``: statutory indicators from case records (``specs/cli.md``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import pyarrow.compute as pc
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

indicators_app = typer.Typer(
    help="Statutory indicators from case records.", no_args_is_help=True, add_completion=False
)

err = Console(stderr=True)
out = Console()


class EngineName(StrEnum):
    duckdb = "duckdb"
    postgres = "postgres"
    spark = "spark"


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]Error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def _read_population(path: Path) -> pa.Table:
    """The population file (``specs/population.md``), checked as the case files are."""
    from safeguarding.casedata.population import read_population
    from safeguarding.casedata.report import InputFileError, InputFileInvalid

    try:
        table, report = read_population(path)
    except InputFileInvalid as error:
        raise _fail(f"{error.report.summary()}\nNothing was computed; fix the file.") from None
    except InputFileError as error:
        raise _fail(str(error)) from None
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
            raise _fail(
                f"{error.report.summary()}\nNothing was computed; fix the file, or run "
                "with --valid-rows-only to leave those rows out."
            ) from None
        except InputFileError as error:
            raise _fail(str(error)) from None
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
        raise _fail("The case files share concern ids: each concern must be in only one file.")
    return tables, notes


@indicators_app.command("adults")
def adults_command(
    cases: Annotated[
        list[Path], typer.Option("--cases", help="Adult case files (CSV, Parquet or XLSX).")
    ],
    out_path: Annotated[
        Path, typer.Option("--out", help="Where to write: .csv, .parquet, .xlsx or .json.")
    ],
    population: Annotated[
        Path | None, typer.Option(help="Population file (CSV), for rates per 100,000 adults.")
    ] = None,
    engine: Annotated[EngineName, typer.Option(help="Where to compute.")] = EngineName.duckdb,
    database_url: Annotated[
        str | None, typer.Option(help="PostgreSQL URL (default: DATABASE_URL).")
    ] = None,
    spark_master: Annotated[
        str | None, typer.Option(help="Spark master or sc:// URL (default: local).")
    ] = None,
    suppress: Annotated[
        bool, typer.Option("--suppress", help="Disclosure control for publication.")
    ] = False,
    valid_rows_only: Annotated[
        bool, typer.Option("--valid-rows-only", help="Leave out rows with problems.")
    ] = False,
) -> None:
    """Adult safeguarding indicators in the tidy table of indicators.md."""
    from safeguarding.indicators import disclosure
    from safeguarding.indicators.engines import EngineError
    from safeguarding.indicators.output import check_output, write_indicators
    from safeguarding.indicators.run import adult_indicators

    try:
        check_output(out_path)
    except ValueError as error:
        raise _fail(str(error)) from None
    if not out_path.parent.exists():
        raise _fail(f"The folder {out_path.parent} does not exist.")
    tables, notes = _read_cases(cases, valid_rows_only)
    population_table = _read_population(population) if population else None

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = progress.add_task("Indicators", total=None)

    def advance(done: int, total: int, description: str) -> None:
        progress.update(task, completed=done, total=total, description=description)

    try:
        with progress:
            run = adult_indicators(
                tables,
                population_table,
                engine=engine.value,
                database_url=database_url,
                spark_master=spark_master,
                progress=advance,
            )
    except (EngineError, ValueError) as error:
        raise _fail(str(error)) from None
    except Exception as error:  # an engine failing mid-run: its first line says enough
        text = str(error).strip().splitlines()
        raise _fail(f"The {engine.value} engine failed: {text[0] if text else error!r}") from None
    table = disclosure.suppress(run.table) if suppress else run.table
    try:
        write_indicators(table, out_path)
    except (OSError, ValueError) as error:
        raise _fail(f"Cannot write {out_path}: {error}") from None
    for note in [*notes, *run.warnings]:
        err.print(f"Note: {note}", highlight=False, soft_wrap=True)
    if not suppress:
        err.print(
            "Exact figures, for internal use only: use --suppress for anything published.",
            highlight=False,
        )
    out.print(f"Wrote {table.num_rows:,} indicator values to {out_path}.", highlight=False)
