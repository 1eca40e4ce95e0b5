"""Inputs that the property tests found crashing a reader, kept as plain tests of the fixes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safeguarding.casedata.population import COLUMNS as POPULATION_COLUMNS
from safeguarding.casedata.population import read_population
from safeguarding.casedata.report import InputFileError
from safeguarding.indicators.tidy import TIDY_COLUMNS
from tests.security.bounds import bounded


def not_utf8(data: bytes) -> pa.Array:
    """A one-value string array holding ``data`` as it is: Arrow checks nothing when built so."""
    offsets = pa.array([0, len(data)], pa.int32()).buffers()[1]
    return pa.Array.from_buffers(pa.string(), 1, [None, offsets, pa.py_buffer(data)])


def parquet_with_bad_text(columns: tuple[str, ...] | list[str]) -> bytes:
    table = pa.table(
        {
            name: not_utf8(b"\xe1dults") if i == 0 else pa.array(["x"])
            for i, name in enumerate(columns)
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_text_that_is_not_utf8_gets_past_parquet() -> None:
    """Why the fixes are needed: Parquet writes and reads such text without a word."""
    table = pq.read_table(io.BytesIO(parquet_with_bad_text(["a"])))
    with pytest.raises(UnicodeDecodeError):
        table.to_pylist()


def test_a_tidy_parquet_table_whose_text_is_not_utf8_is_refused() -> None:
    # It raised UnicodeDecodeError, a server error on both upload pages.
    from safeguarding.web.results.loading import LoadRejected, read_tidy_file

    with pytest.raises(LoadRejected, match="some of its text is not UTF-8"):
        read_tidy_file("figures.parquet", parquet_with_bad_text(TIDY_COLUMNS))


def test_a_population_parquet_file_whose_text_is_not_utf8_is_refused(tmp_path: Path) -> None:
    # It raised DuckDB's InternalException ("Invalid UTF-8 encountered in DecodeCodepoint").
    path = tmp_path / "population.parquet"
    path.write_bytes(parquet_with_bad_text(POPULATION_COLUMNS))
    with pytest.raises(
        InputFileError,
        match=re.escape("population.parquet could not be read as Parquet: some of its text"),
    ):
        read_population(path)


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        # DuckDB cast '24-2' to a number before checking the period's shape: ConversionException.
        ("E09000007,24-25,18-64,F,WHITE,1000", "period", "is not a financial year"),
        ("E09000007,2024/25,18-64,F,WHITE,1000", "period", "is not a financial year"),
        # A whole number past 64 bits passed the checks and failed the final cast.
        ("E09000007,2024-25,18-64,F,WHITE,99999999999999999999", "population", "too many digits"),
        ("E09000007,2024-25,18-64,F,WHITE,-99999999999999999999", "population", "too many digits"),
    ],
)
def test_a_population_value_of_the_wrong_shape_is_reported_not_raised(
    tmp_path: Path, cells: str, column: str, says: str
) -> None:
    from safeguarding.casedata.report import InputFileInvalid

    path = tmp_path / "population.csv"
    path.write_text(",".join(POPULATION_COLUMNS) + "\n" + cells + "\n")
    with pytest.raises(InputFileInvalid) as caught:
        read_population(path)
    [problem] = caught.value.report.problems
    assert (problem.row, problem.column) == (2, column)
    assert says in problem.message


def parquet_with_bad_column_name(columns: tuple[str, ...] | list[str]) -> bytes:
    """A Parquet file whose first column's name is not UTF-8 (patched in after writing)."""
    table = pa.table({name: pa.array(["x"]) for name in columns})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    first = columns[0].encode()
    return buffer.getvalue().replace(first, first[:-1] + b"\xe4")


@pytest.mark.parametrize("reader", ["adult cases", "population"])
def test_a_parquet_file_whose_column_names_are_not_utf8_is_refused(
    tmp_path: Path, reader: str
) -> None:
    # Found by fuzzing: pyarrow raised UnicodeDecodeError reading the file's schema.
    from safeguarding.casedata.adults.reader import read_adult_cases
    from safeguarding.casedata.adults.schema import COLUMN_NAMES

    columns, read = {
        "adult cases": (COLUMN_NAMES, read_adult_cases),
        "population": (POPULATION_COLUMNS, read_population),
    }[reader]
    path = tmp_path / "file.parquet"
    path.write_bytes(parquet_with_bad_column_name(columns))
    with pytest.raises(InputFileError, match="some of its text is not UTF-8"):
        read(path)


def test_a_tidy_parquet_table_whose_column_names_are_not_utf8_is_refused() -> None:
    from safeguarding.web.results.loading import LoadRejected, read_tidy_file

    with pytest.raises(LoadRejected, match="not a readable Parquet file"):
        read_tidy_file("figures.parquet", parquet_with_bad_column_name(TIDY_COLUMNS))


# A number written with a huge exponent: Decimal reads it at once, int() of it takes minutes.
HUGE = "1e50000000"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        # Accepted, then too large for the database's 64-bit integer: a server error on storing.
        ("numerator", "1e30"),
        ("denominator", "99999999999999999999"),
        ("value", "1e300"),  # accepted as a figure no dashboard can show
    ],
)
def test_a_figure_too_large_is_a_problem_with_its_row(column: str, value: str) -> None:
    from safeguarding.web.results.loading import check_rows, read_tidy_file
    from tests.web.results.tidy_tables import row, tidy_csv

    table = read_tidy_file("figures.csv", tidy_csv([row(**{column: value})]))
    outcome = bounded(lambda: check_rows([table]), seconds=5)
    values, problems, count = outcome.value
    assert (values, count) == ([], 1)
    assert (problems[0].row, problems[0].column) == (2, column)
    assert "is too large" in problems[0].message


def test_a_published_count_too_large_is_unreadable_not_a_hang() -> None:
    from safeguarding.published.sac import SacFileError, read_sac_csv
    from tests.published.test_sac import HARTLEPOOL, sac_csv

    data = sac_csv([(*HARTLEPOOL, "SG1d", "Concerns", "Total", "Total", HUGE)])
    outcome = bounded(lambda: read_sac_csv(data, name="SAC_2024-25.csv"), seconds=5)
    assert isinstance(outcome.error, SacFileError)
    [problem] = outcome.error.problems
    assert (problem.row, problem.value) == (2, HUGE)


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("\u00b2", "wrong_type"),  # passed str.isdigit(), then int() raised ValueError
        ("1\u00b2", "wrong_type"),
        ("\u0663", "wrong_type"),  # an Arabic-Indic 3: not a number as the XSD defines one
        ("9" * 5000, "out_of_range"),  # int() refuses more than 4,300 digits: ValueError
    ],
)
def test_a_cin_number_of_the_wrong_shape_is_a_problem_not_a_crash(
    tmp_path: Path, written: str, kind: str
) -> None:
    from safeguarding.casedata.children.cin_reader import read_cin_census
    from tests.casedata.children.cin_files import child, cin_file

    body = child(1).replace(
        "<NumberOfPreviousCPP>1</NumberOfPreviousCPP>",
        f"<NumberOfPreviousCPP>{written}</NumberOfPreviousCPP>",
    )
    report = read_cin_census(cin_file(tmp_path, [body])).report
    [problem] = report.problems
    assert (problem.column, problem.kind) == ("NumberOfPreviousCPP", kind)


def _ssda903_folder(root: Path, header_csv: bytes) -> Path:
    from tests.security.samples import ssda903_files

    folder = root / "201" / "2024-25"
    folder.mkdir(parents=True)
    for name, data in ssda903_files().items():
        (folder / name).write_bytes(header_csv if name == "header.csv" else data)
    return folder


def test_a_control_character_before_the_header_is_not_taken_for_a_line_end(
    tmp_path: Path,
) -> None:
    # Found by fuzzing: str.splitlines() ends a line at \x1d (Arrow does not), so the header
    # seemed to have no named columns, Arrow read SEX as numbers and the SSDA903 reader failed
    # with AttributeError: 'int' object has no attribute 'strip'.
    from safeguarding.casedata.children.ssda903 import read_ssda903
    from tests.security.samples import ssda903_files

    folder = _ssda903_folder(tmp_path, b"\x1d" + ssda903_files()["header.csv"])
    read = read_ssda903(folder)
    assert read.tables["header"].column("sex").to_pylist() == ["F", "M"]


def test_a_header_that_arrow_and_python_split_differently_is_refused(tmp_path: Path) -> None:
    from safeguarding.casedata.files import read_table

    path = tmp_path / "header.csv"
    path.write_bytes(b'"CHI\nLD",SEX\nC1,2\n')
    with pytest.raises(InputFileError, match="its first line could not be read as the column"):
        read_table(path)


def test_a_parquet_file_broken_inside_its_pages_is_refused_plainly(tmp_path: Path) -> None:
    """Found by fuzzing: the metadata reads, but DuckDB fails on a page when it first reads the
    rows; that used to escape as a DuckDB error instead of a message about the file."""
    from safeguarding.casedata.adults.reader import read_adult_cases

    path = tmp_path / "cases.parquet"
    path.write_bytes(
        (Path(__file__).parent / "found" / "adult-cases-broken-page.parquet").read_bytes()
    )
    with pytest.raises(InputFileError, match=r"cases\.parquet could not be read as Parquet"):
        read_adult_cases(path)
