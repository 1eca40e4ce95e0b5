"""``safeguarding synth``: synthetic case data for demos, tests and benchmarks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from safeguarding.commands.common import err, fail, progress_bar

synth_app = typer.Typer(
    help="Synthetic (invented) case data for demos, tests and benchmarks.", no_args_is_help=True
)


def population_path(out: Path) -> Path:
    """Where the population file goes: beside the case file, named after it."""
    return out.with_name(f"{out.stem}-population.csv")


# Messages here print as given: paths and values may hold brackets that are not markup.
_fail = partial(fail, markup=False)


@contextmanager
def _told_plainly(out: Path) -> Iterator[None]:
    """Bad values, and files that could not be written, as a message rather than a traceback."""
    try:
        yield
    except ValueError as error:
        raise _fail(str(error)) from None
    except OSError as error:
        raise _fail(f"Could not write {error.filename or out}: {error.strerror}.") from None


@synth_app.command("adults")
def adults(
    out: Annotated[Path, typer.Option(help="The case file to write: .csv, .parquet or .xlsx.")],
    las: Annotated[int, typer.Option(help="How many councils (1 to 153).")] = 10,
    years: Annotated[
        str, typer.Option(help="Financial years, e.g. 2021-22:2024-25 or 2024-25.")
    ] = "2021-22:2024-25",
    seed: Annotated[int, typer.Option(help="The same seed always gives the same data.")] = 1,
    messy: Annotated[
        bool, typer.Option(help="Spoil a small share of values the way real extracts are.")
    ] = False,
    scale: Annotated[
        float, typer.Option(help="Multiply the volumes (1.0 is England's real rate).", min=1e-6)
    ] = 1.0,
) -> None:
    """Invented adult safeguarding case records (adult-cases.md) and a population file beside."""
    from safeguarding.casedata.adults.writer import case_file_table, write_adult_cases
    from safeguarding.casedata.synth.adults import make_messy, parse_years, synth_adult_tables
    from safeguarding.casedata.writers import check_writable, write_table

    try:
        check_writable(out)
        year_list = parse_years(years)
    except ValueError as error:
        raise _fail(str(error)) from None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _fail(f"Cannot create the folder {out.parent}: {error.strerror}.") from None
    population_out = population_path(out)
    progress = progress_bar()
    steps = 4 + int(messy)
    with _told_plainly(out), progress:
        task = progress.add_task("Generating records", total=steps)
        tables, population = synth_adult_tables(las, year_list, seed, scale=scale)
        progress.update(task, advance=1, description="Laying out the file")
        file_table = case_file_table(tables)
        progress.advance(task)
        if messy:
            progress.update(task, description="Spoiling a few values")
            file_table = make_messy(file_table, seed)
            progress.advance(task)
        progress.update(task, description=f"Writing {out.name}")
        write_adult_cases(file_table, out)
        progress.update(task, advance=1, description=f"Writing {population_out.name}")
        write_table(population, population_out)
        progress.advance(task)
    err.print(
        f"Wrote {file_table.num_rows:,} concerns for {las} councils and {len(year_list)} "
        f"{'year' if len(year_list) == 1 else 'years'} to {out}, and the population to "
        f"{population_out}.",
        highlight=False,
    )


@synth_app.command("children")
def children(
    out: Annotated[
        Path, typer.Option(help="The folder to write: cin/, ssda903/ and population.csv.")
    ],
    las: Annotated[int, typer.Option(help="How many councils (1 to 153).")] = 10,
    years: Annotated[
        str, typer.Option(help="Census years, e.g. 2023-24:2024-25 (2023-24 to 2025-26).")
    ] = "2023-24:2024-25",
    seed: Annotated[int, typer.Option(help="The same seed always gives the same data.")] = 1,
    scale: Annotated[
        float, typer.Option(help="Multiply the volumes (1.0 is England's real rate).", min=1e-6)
    ] = 1.0,
    over_represent: Annotated[
        list[str] | None,
        typer.Option(
            "--over-represent",
            help=(
                "GROUP:STAGE:FACTOR, e.g. BCRB:s47:1.8: that group is FACTOR times as likely as "
                "White British children to reach the stage (referral, assessment, s47, cp_plan, "
                "cla), given the population. Repeat for more."
            ),
        ),
    ] = None,
) -> None:
    """Invented CIN census XML, SSDA903 CSVs and a children's population file."""
    from safeguarding.casedata.synth.children import (
        parse_over_represent,
        parse_years,
        synth_children,
    )

    try:
        year_list = parse_years(years)
        planted = [parse_over_represent(spec) for spec in over_represent or []]
        if out.exists() and not out.is_dir():
            raise ValueError(f"{out} is a file; --out names a folder.")
    except ValueError as error:
        raise _fail(str(error)) from None
    progress = progress_bar()
    with _told_plainly(out), progress:
        task = progress.add_task("Generating councils", total=las)

        def done(name: str) -> None:
            progress.update(task, advance=1, description=f"Wrote {name}")

        result = synth_children(
            las, year_list, seed, out, scale=scale, over_represent=planted, progress=done
        )
    err.print(
        f"Wrote {result.referrals:,} referrals for {las} councils and {len(year_list)} "
        f"{'year' if len(year_list) == 1 else 'years'} to {out} (cin/, ssda903/ and "
        "population.csv).",
        highlight=False,
    )
    if result.without_children:
        err.print(
            f"No census file for {', '.join(result.without_children)}: no child in need at "
            "this scale (a census must hold at least one child).",
            highlight=False,
            soft_wrap=True,
        )
