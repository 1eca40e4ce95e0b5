"""``safeguarding neighbours``: a council's statistical neighbours from a measures CSV file.

A thin layer over ``safeguarding.dashboards.neighbours``, where the file format and the method
are described. Registered on the main app as ``neighbours``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from safeguarding.commands.common import err, fail, out
from safeguarding.dashboards.neighbours import DEFAULT_COUNT

#: Distances are shown and written to this many decimal places.
DISTANCE_DECIMALS = 3
COLUMNS = [("code", "Code"), ("name", "Name"), ("distance", "Distance")]


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise fail(f"{path}: no such file.", markup=False)
    try:
        return path.read_bytes()
    except OSError as error:
        raise fail(f"Cannot read {path}: {error.strerror}.", markup=False) from None


def neighbours_command(
    measures_file: Annotated[
        Path, typer.Argument(metavar="MEASURES.csv", help="Population and deprivation measures.")
    ],
    council: Annotated[
        str, typer.Option("--council", help="The council's ONS code, such as E06000097.")
    ],
    count: Annotated[int, typer.Option(help="How many neighbours.", min=1)] = DEFAULT_COUNT,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Write them to this .csv file instead.")
    ] = None,
) -> None:
    """The councils nearest to a council on standardised measures: its statistical neighbours."""
    from safeguarding.dashboards.downloads import to_csv
    from safeguarding.dashboards.neighbours import (
        MeasuresError,
        method_text,
        nearest,
        read_measures,
    )

    if out_path is not None:
        if out_path.suffix.lower() != ".csv":
            raise fail(f"{out_path} must end in .csv.", markup=False)
        if not out_path.parent.is_dir():
            raise fail(f"The folder {out_path.parent} does not exist.", markup=False)
    data = _read(measures_file)
    code = council.strip().upper()
    try:
        measures = read_measures(data, measures_file.name)
        found = nearest(measures, code, count)
        method = method_text(measures, count, council_code=code)
    except MeasuresError as error:
        raise fail(str(error), markup=False) from None
    for warning in found.warnings:
        err.print(f"Note: {warning}", highlight=False, markup=False, soft_wrap=True)
    if out_path is not None:
        rows = [
            {"code": n.code, "name": n.name, "distance": round(n.distance, DISTANCE_DECIMALS)}
            for n in found
        ]
        try:
            out_path.write_bytes(to_csv(rows, COLUMNS))
        except OSError as error:
            raise fail(f"Cannot write {out_path}: {error.strerror}.", markup=False) from None
        out.print(method, highlight=False, markup=False)
        out.print(f"Wrote {len(found)} neighbours to {out_path}.", highlight=False, markup=False)
        return
    out.print(method, highlight=False, markup=False)
    table = Table()
    table.add_column("Code", no_wrap=True)
    table.add_column("Name")
    table.add_column("Distance", justify="right")
    for neighbour in found:
        # Names are the user's own text: never read as rich markup.
        table.add_row(
            neighbour.code, Text(neighbour.name), f"{neighbour.distance:.{DISTANCE_DECIMALS}f}"
        )
    out.print(table)
