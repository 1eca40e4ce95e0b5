"""Children's indicators for invented councils, from generation to the tidy table, in one call.

The demo has a borough that is not in the lookup. ``children_indicator_table`` writes its CIN
census files, SSDA903 folders and population file, reads them back with the platform's own
readers (so the demo shows what a council's real files would give), runs the children's
indicator catalogue on DuckDB and returns the tidy table with the borough's rows under its ONS
code, as the platform stores results. A demo that needs more than the table (its own engine,
warnings, progress) calls the same steps itself::

    result = synth_children(0, years, seed, workdir, invented=[borough])
    tables, population = read_generated(result)
    run = children_indicators(tables, population, region_of=children_region_lookup([borough]))
    table = with_ons_codes(run.table, [borough])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from safeguarding.casedata.synth.children import (
    ChildrenSynthResult,
    InventedChildrenCouncil,
    Overrepresentation,
    children_region_lookup,
    ons_code_lookup,
    synth_children,
)

if TYPE_CHECKING:
    from safeguarding.indicators.children import ChildrenCaseTables

__all__ = ["children_indicator_table", "read_generated", "with_ons_codes"]


def read_generated(result: ChildrenSynthResult) -> tuple[ChildrenCaseTables, pa.Table]:
    """The children's case tables and the population from what ``synth_children`` wrote.

    The files are the generator's own, so a problem the readers find is a fault in the
    generator: it is raised rather than passed on.
    """
    from safeguarding.casedata.children.cin_reader import read_cin_census
    from safeguarding.casedata.children.ssda903 import read_ssda903
    from safeguarding.casedata.population import read_population
    from safeguarding.indicators.children import children_case_tables

    census = [read_cin_census(path) for path in result.cin_files]
    returns = [read_ssda903(folder) for folder in result.ssda903_folders]
    problems = [file.report.brief() for file in census if not file.report.ok]
    problems += [
        report.brief() for ssda in returns for report in ssda.reports.values() if not report.ok
    ]
    population, report = read_population(result.population)
    if not report.ok:
        problems.append(report.brief())
    if problems:
        raise RuntimeError(
            "The generated children's files fail their checks:\n" + "\n".join(problems)
        )
    return children_case_tables(census, returns), population


def with_ons_codes(table: pa.Table, invented: Sequence[InventedChildrenCouncil]) -> pa.Table:
    """The tidy table with each council row's DfE LA number replaced by the council's ONS code.

    Region and England rows are left as they are; so is a council the lookup does not know.
    """
    to_ons = ons_code_lookup(invented)
    codes = table["geography_code"].to_pylist()
    levels = table["geography_level"].to_pylist()
    recoded = [
        (to_ons(code) or code) if level == "la" and code is not None else code
        for code, level in zip(codes, levels, strict=True)
    ]
    position = table.schema.get_field_index("geography_code")
    return table.set_column(position, table.schema.field(position), pa.array(recoded, pa.string()))


def children_indicator_table(
    invented: Sequence[InventedChildrenCouncil],
    years: Sequence[str],
    seed: int,
    *,
    workdir: str | Path,
    over_represent: Sequence[str | Overrepresentation] = (),
) -> pa.Table:
    """Every children's indicator for the invented councils, their regions and England.

    The files are written under ``workdir`` (``cin/``, ``ssda903/``, ``population.csv``). Council
    rows carry the invented ONS codes; region and England rows cover the invented councils only.
    The run's warnings are not returned: for the generator's own files in the years it writes
    there are none. No disclosure control is applied here. Raises ValueError, in plain words,
    for councils, years or planted factors the generator refuses.
    """
    from safeguarding.indicators.children_run import children_indicators

    if not invented:
        raise ValueError("Give at least one invented council.")
    result = synth_children(
        0, years, seed, workdir, invented=invented, over_represent=over_represent
    )
    tables, population = read_generated(result)
    run = children_indicators(
        tables, population, engine="duckdb", region_of=children_region_lookup(invented)
    )
    return with_ons_codes(run.table, invented)
