"""``safeguarding indicators children``: children's indicators and disproportionality from CIN
census XML and SSDA903 returns (``specs/cli.md``). Registered on the ``indicators`` app as
``children``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from safeguarding.commands.indicators import EngineName, _fail, _read_population, err, out


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
        raise _fail("No CIN census XML files were found in the folders given to --cin.")
    for path in files:
        try:
            read = read_cin_census(path)
        except InputFileError as error:
            raise _fail(str(error)) from None
        key = (read.la, read.year)
        if key in seen:
            raise _fail(
                f"{path.name} and {seen[key].name} are both the {read.year} census of council "
                f"{read.la}: give each council's year once."
            )
        seen[key] = path
        if not read.report.ok:
            notes.append(read.report.headline())
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
                    notes += [r.headline() for r in read.reports.values() if not r.ok]
                returns.append(read)
        except InputFileError as error:
            raise _fail(str(error)) from None
    return census, returns, notes


def children_command(
    cin: Annotated[
        list[Path],
        typer.Option(
            "--cin", help="CIN census XML files (one per council and year), or folders of them."
        ),
    ],
    out_path: Annotated[
        Path, typer.Option("--out", help="Where to write: .csv, .parquet, .xlsx or .json.")
    ],
    population: Annotated[
        Path, typer.Option(help="Population file (CSV) of children aged 0-17, by ethnicity.")
    ],
    ssda903: Annotated[
        list[Path] | None,
        typer.Option("--ssda903", help="SSDA903 folders: <LA>/<year>/ or a root holding them."),
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
) -> None:
    """Children's indicators and disproportionality in the tidy table of indicators.md."""
    from safeguarding.indicators import disclosure
    from safeguarding.indicators.children import children_case_tables
    from safeguarding.indicators.children_run import children_indicators
    from safeguarding.indicators.engines import EngineError
    from safeguarding.indicators.output import check_output, write_indicators

    try:
        check_output(out_path)
    except ValueError as error:
        raise _fail(str(error)) from None
    if not out_path.parent.exists():
        raise _fail(f"The folder {out_path.parent} does not exist.")
    population_table = _read_population(population)

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = progress.add_task("Reading the files", total=None)

    def advance(done: int, total: int, description: str) -> None:
        progress.update(task, completed=done, total=total, description=description)

    try:
        with progress:
            census, returns, notes = _read_files(cin, ssda903 or [])
            tables = children_case_tables(census, returns)
            run = children_indicators(
                tables,
                population_table,
                engine=engine.value,
                database_url=database_url,
                spark_master=spark_master,
                progress=advance,
            )
    except (EngineError, ValueError) as error:
        raise _fail(str(error)) from None
    except typer.Exit:
        raise
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
