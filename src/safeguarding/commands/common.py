"""What the ``safeguarding`` subcommands share: the consoles, failing plainly, progress bars, the
engine options, writing an indicator table and starting Django."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

if TYPE_CHECKING:
    import pyarrow as pa

err = Console(stderr=True)
out = Console()

Computed = TypeVar("Computed")


class EngineName(StrEnum):
    duckdb = "duckdb"
    postgres = "postgres"
    spark = "spark"


EngineOption = Annotated[EngineName, typer.Option(help="Where to compute.")]
DatabaseUrlOption = Annotated[
    str | None, typer.Option(help="PostgreSQL URL (default: DATABASE_URL).")
]
SparkMasterOption = Annotated[
    str | None, typer.Option(help="Spark master or sc:// URL (default: local).")
]
SuppressOption = Annotated[
    bool, typer.Option("--suppress", help="Disclosure control for publication.")
]
IndicatorsOutOption = Annotated[
    Path, typer.Option("--out", help="Where to write: .csv, .parquet, .xlsx or .json.")
]


def fail(message: str, *, markup: bool = True, soft_wrap: bool = True) -> typer.Exit:
    """Print "Error: <message>" on stderr and return the exit (status 1) to raise.

    ``markup=False`` prints the message as given, brackets and all, with a plain prefix;
    ``soft_wrap=False`` lets a long message wrap at the terminal's width.
    """
    prefix = "[red]Error:[/red]" if markup else "Error:"
    err.print(f"{prefix} {message}", highlight=False, markup=markup, soft_wrap=soft_wrap)
    return typer.Exit(code=1)


def progress_bar(count: ProgressColumn | None = None) -> Progress:
    """A progress bar on stderr that disappears when done; ``count`` shows how far it has got."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        count or TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def step_reporter(progress: Progress, task: TaskID) -> Callable[[int, int, str], None]:
    """The ``progress`` callback an indicator run takes, moving ``task`` along."""

    def advance(done: int, total: int, description: str) -> None:
        progress.update(task, completed=done, total=total, description=description)

    return advance


def check_indicators_out(out_path: Path) -> None:
    """Stop before any work if the indicator table could not be written to ``out_path``."""
    from safeguarding.indicators.output import check_output

    try:
        check_output(out_path)
    except ValueError as error:
        raise fail(str(error)) from None
    if not out_path.parent.exists():
        raise fail(f"The folder {out_path.parent} does not exist.")


def compute_on_engine(engine: EngineName, compute: Callable[[], Computed]) -> Computed:
    """``compute()``, with an engine's failure (or bad input it finds) told in one line."""
    from safeguarding.indicators.engines import EngineError

    try:
        return compute()
    except (EngineError, ValueError) as error:
        raise fail(str(error)) from None
    except typer.Exit:
        raise
    except Exception as error:  # an engine failing mid-run: its first line says enough
        text = str(error).strip().splitlines()
        raise fail(f"The {engine.value} engine failed: {text[0] if text else error!r}") from None


def write_indicator_table(
    table: pa.Table, out_path: Path, notes: Sequence[str], suppress: bool
) -> None:
    """Write the tidy table (with disclosure control when asked), then the notes and a summary."""
    from safeguarding.indicators import disclosure
    from safeguarding.indicators.output import write_indicators

    table = disclosure.suppress(table) if suppress else table
    try:
        write_indicators(table, out_path)
    except (OSError, ValueError) as error:
        raise fail(f"Cannot write {out_path}: {error}") from None
    for note in notes:
        err.print(f"Note: {note}", highlight=False, soft_wrap=True)
    if not suppress:
        err.print(
            "Exact figures, for internal use only: use --suppress for anything published.",
            highlight=False,
        )
    out.print(f"Wrote {table.num_rows:,} indicator values to {out_path}.", highlight=False)


def start_django(data_dir: Path | None = None) -> None:
    """Point Django at the data directory (and the database it names) and set it up."""
    if data_dir is not None:
        os.environ["SAFEGUARDING_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.web.settings")
    import django

    django.setup()


def database_problem(*, first_line_only: bool = True) -> str | None:
    """Why the configured database cannot be used yet, or None when it is up to date."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # the database is unreachable or not a database
        reason = str(error).strip().splitlines()[0] if first_line_only else str(error)
        return f"Cannot open the database: {reason}"
    if pending:
        return "The database needs upgrading first: run `safeguarding db upgrade`."
    return None
