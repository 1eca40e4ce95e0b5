"""``safeguarding import``: indicator results and published benchmarks into the platform.

Both subcommands store through ``safeguarding.web.results.loading.store_results``, as the
upload page does: every row is checked first and a load is one transaction, so a file with a
problem loads nothing. The provenance names the operating-system user, with ``via`` "cli".
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import MofNCompleteColumn

from safeguarding.commands.common import (
    database_problem,
    err,
    fail,
    out,
    progress_bar,
    start_django,
)

import_app = typer.Typer(
    help="Load indicator results and published statistics into the platform.",
    no_args_is_help=True,
    add_completion=False,
)

#: How many row problems are printed before "and N more".
PROBLEMS_PRINTED = 10


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _start_django() -> None:
    """Set Django up on the configured database, which must be up to date."""
    start_django()
    if problem := database_problem():
        raise fail(problem)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise fail(f"{path}: no such file.")
    try:
        return path.read_bytes()
    except OSError as error:
        raise fail(f"Cannot read {path}: {error.strerror}.") from None


def _rejected(error: Any) -> typer.Exit:
    """The reason nothing was loaded, with the first rows at fault."""
    lines = [error.message]
    for problem in error.problems[:PROBLEMS_PRINTED]:
        column = f" {problem.column}" if problem.column else ""
        value = f" {problem.value!r}" if problem.value else ""
        lines.append(f"  {problem.file} row {problem.row}{column}{value}: {problem.message}")
    if error.problem_count > PROBLEMS_PRINTED:
        lines.append(f"  ... and {error.problem_count - PROBLEMS_PRINTED:,} more.")
    return fail("\n".join(lines))


@import_app.command("indicators")
def indicators_command(
    file: Annotated[Path, typer.Argument(help="A tidy table (.csv or .parquet).")],
    label: Annotated[str, typer.Option("--label", help="What the figures are, in a few words.")],
    engine: Annotated[
        str | None, typer.Option(help="The engine that computed them, if the file does not say.")
    ] = None,
    notes: Annotated[str, typer.Option(help="Anything a reader should know.")] = "",
) -> None:
    """Load a tidy table written by `safeguarding indicators adults --out`."""
    data = _read(file)
    _start_django()
    from safeguarding.web.results.loading import (
        LoadRejected,
        SourceFile,
        read_tidy_file,
        store_results,
    )

    progress = progress_bar(MofNCompleteColumn())
    task = progress.add_task("Loading indicator values", total=None)
    try:
        with progress:
            rows = read_tidy_file(file.name, data)
            load = store_results(
                [rows],
                kind="computed",
                label=label,
                files=[SourceFile.of(file.name, data)],
                username=_os_user(),
                via="cli",
                engine=engine or "",
                notes=notes,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    except LoadRejected as error:
        raise _rejected(error) from None
    for warning in load.warnings:
        err.print(f"Note: {warning}", highlight=False, soft_wrap=True)
    out.print(
        f"Loaded {load.row_count:,} indicator values from {file.name} as load {load.pk}.",
        highlight=False,
    )


@import_app.command("benchmarks")
def benchmarks_command(
    files: Annotated[list[Path], typer.Argument(help="SAC open-data CSV files.")],
    period: Annotated[
        str | None,
        typer.Option(help="The financial year, e.g. 2024-25, if the file names do not say."),
    ] = None,
    label: Annotated[
        str | None, typer.Option(help="What the figures are (default: from the file names).")
    ] = None,
) -> None:
    """Load published Safeguarding Adults Collection figures for comparison."""
    from safeguarding.published.sac import SacFileError, read_sac_csv

    if period is not None and len(files) > 1:
        raise fail("--period applies to one file; name each year's file for its year instead.")
    contents = {path: _read(path) for path in files}
    _start_django()
    from safeguarding.web.results.loading import (
        LoadRejected,
        SourceFile,
        rows_of_table,
        store_results,
    )

    progress = progress_bar(MofNCompleteColumn())
    readings = []
    try:
        with progress:
            for path, data in contents.items():
                task = progress.add_task(f"Reading {path.name}", total=None)
                reading = read_sac_csv(
                    data,
                    name=path.name,
                    period=period,
                    progress=lambda n, task=task: progress.update(task, completed=n),
                )
                readings.append((path, data, reading))
            store_task = progress.add_task("Storing", total=None)
            years = sorted({reading.period for _, _, reading in readings})
            load = store_results(
                [rows_of_table(reading.table, path.name) for path, _, reading in readings],
                kind="published",
                label=label or f"Safeguarding Adults Collection {', '.join(years)}",
                files=[SourceFile.of(path.name, data) for path, data, _ in readings],
                username=_os_user(),
                via="cli",
                suppressed=True,
                warnings=[
                    f"{path.name}: {line}"
                    for path, _, reading in readings
                    for line in reading.summary()
                ],
                progress=lambda d, t: progress.update(store_task, completed=d, total=t),
            )
    except SacFileError as error:
        lines = [str(error)]
        for problem in error.problems[:PROBLEMS_PRINTED]:
            value = f" {problem.value!r}" if problem.value else ""
            lines.append(f"  row {problem.row} {problem.column}{value}: {problem.message}")
        if error.problem_count > PROBLEMS_PRINTED:
            lines.append(f"  ... and {error.problem_count - PROBLEMS_PRINTED:,} more.")
        raise fail("\n".join(lines)) from None
    except LoadRejected as error:
        raise _rejected(error) from None
    for path, _, reading in readings:
        for line in reading.summary()[1:]:
            err.print(f"Note: {path.name}: {line.strip()}", highlight=False, soft_wrap=True)
    out.print(
        f"Loaded {load.row_count:,} published figures from {len(files)} file"
        f"{'s' if len(files) != 1 else ''} as load {load.pk}.",
        highlight=False,
    )
