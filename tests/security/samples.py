"""Small valid inputs for every reader, built with the helpers the readers' own tests use.

The property tests mutate them, and ``fuzz/run.py`` writes them out as the fuzzers' seeds.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from safeguarding.casedata.children.ssda903 import FILES as SSDA903_FILES
from safeguarding.casedata.xlsx import write_xlsx
from tests.casedata.children.cin_files import FOOTER, HEADER, child
from tests.casedata.children.test_ssda903 import EPISODES as SSDA903_EPISODE_ROWS
from tests.casedata.children.test_ssda903 import HEADER as SSDA903_HEADER_ROWS
from tests.casedata.conftest import TODAY, concern, no_enquiry
from tests.casedata.test_population import HEADER as POPULATION_HEADER
from tests.dashboards.test_neighbours import LINE
from tests.published.test_sac import invented_file
from tests.web.results.tidy_tables import small_table, tidy_csv

__all__ = ["TODAY"]

CIN_NAME = "cin_201_2025.xml"
SSDA903_MISSING_ROWS = ["C1,02/08/2024,03/08/2024,M"]


def adult_rows() -> list[dict[str, str]]:
    """Two concerns with enquiries and one without: a valid adult case file."""
    return [concern(1), concern(2, sex="M", age="67"), no_enquiry(3)]


def adult_csv() -> bytes:
    rows = adult_rows()
    lines = [",".join(rows[0])] + [",".join(row.values()) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def adult_parquet() -> bytes:
    rows = adult_rows()
    table = pa.table({name: [row[name] or None for row in rows] for name in rows[0]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def adult_xlsx() -> bytes:
    rows = adult_rows()
    body = [list(rows[0])] + [list(row.values()) for row in rows]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.xlsx"
        write_xlsx(path, [("Concerns", body)])
        return path.read_bytes()


def population_csv() -> bytes:
    """A population file of two cells."""
    body = "E09000007,2024-25,18-64,F,WHITE,1000\nE09000007,2024-25,95+,ALL,all,12\n"
    return (POPULATION_HEADER + body).encode("utf-8")


def population_parquet() -> bytes:
    lines = population_csv().decode().splitlines()
    names, rows = lines[0].split(","), [line.split(",") for line in lines[1:]]
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def cin_xml() -> bytes:
    """A CIN census file of 2025 with two children."""
    text = HEADER.format(year=2025, la="201") + child(1) + child(2, sex="M") + FOOTER
    return text.encode("utf-8")


def ssda903_files() -> dict[str, bytes]:
    """header.csv, episodes.csv and missing.csv of a valid council-year folder."""
    names = {file: ",".join(c.name for c in columns) for file, columns in SSDA903_FILES.items()}
    rows = {
        "header": SSDA903_HEADER_ROWS,
        "episodes": SSDA903_EPISODE_ROWS,
        "missing": SSDA903_MISSING_ROWS,
    }
    return {
        f"{file}.csv": ("\n".join([names[file], *lines]) + "\n").encode("utf-8")
        for file, lines in rows.items()
    }


def tidy_table_csv() -> bytes:
    """A tidy indicator table as ``safeguarding indicators --out`` writes it."""
    return tidy_csv(small_table())


def tidy_table_parquet() -> bytes:
    rows = small_table()
    table = pa.table(
        {name: [None if row[name] == "" else str(row[name]) for row in rows] for name in rows[0]}
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def measures_csv() -> bytes:
    """A statistical neighbours measures file of four invented councils."""
    return LINE


def sac_csv() -> bytes:
    """The SAC open-data CSV, invented."""
    return invented_file()


def all_samples() -> dict[str, dict[str, bytes]]:
    """Every sample by reader, then by file name: the fuzzers' seeds."""
    return {
        "adult_cases": {
            "cases.csv": adult_csv(),
            "cases.parquet": adult_parquet(),
            "cases.xlsx": adult_xlsx(),
        },
        "population": {
            "population.csv": population_csv(),
            "population.parquet": population_parquet(),
        },
        "cin_census": {CIN_NAME: cin_xml()},
        "ssda903": ssda903_files(),
        "indicator_upload": {"table.csv": tidy_table_csv(), "table.parquet": tidy_table_parquet()},
        "measures": {"measures.csv": measures_csv()},
        "sac": {"sac.csv": sac_csv()},
    }
