"""Every reader, given anything at all, either loads it or refuses it with a clear message:
no other exception, no hang past a time bound, no memory past a bound (see ``bounds``).

Each reader is given arbitrary bytes, its own valid sample mutated, and input built to its
format (CSV tables of its own columns and strange ones, XML of the CIN census's elements).
The PDF, DOCX and HTML readers of issue 6 do not exist yet and are not covered here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.casedata.adults.reader import read_adult_cases
from safeguarding.casedata.adults.schema import COLUMN_NAMES
from safeguarding.casedata.children.cin_reader import read_cin_census
from safeguarding.casedata.children.ssda903 import FILES as SSDA903_FILES
from safeguarding.casedata.children.ssda903 import read_ssda903
from safeguarding.casedata.population import COLUMNS as POPULATION_COLUMNS
from safeguarding.casedata.population import read_population
from safeguarding.casedata.report import InputFileError
from safeguarding.dashboards.neighbours import MeasuresError, method_text, nearest, read_measures
from safeguarding.indicators.tidy import TIDY_COLUMNS
from safeguarding.published.sac import COLUMNS as SAC_COLUMNS
from safeguarding.published.sac import SacFileError, read_sac_csv
from tests.security import samples
from tests.security.bounds import loads_or_refuses
from tests.security.strategies import csv_tables, mutated, xml_documents

# Fast enough for every run of the suite; the fuzzing run (fuzz/run.py) searches longer.
READERS = settings(
    max_examples=int(os.environ.get("SAFEGUARDING_PROPERTY_EXAMPLES", "50")),
    deadline=dt.timedelta(seconds=20),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ANYTHING = st.binary(max_size=4096)


def _values(data: bytes) -> list[str]:
    """Every distinct cell of a valid CSV sample: cells the reader knows."""
    text = data.decode("utf-8-sig")
    return sorted({cell for line in text.splitlines()[1:] for cell in line.split(",")})


# -- adult case files (CSV, Parquet, XLSX) ------------------------------------------------------

ADULT_SAMPLES = {
    ".csv": samples.adult_csv(),
    ".parquet": samples.adult_parquet(),
    ".xlsx": samples.adult_xlsx(),
}


def read_adults(data: bytes, suffix: str, *, valid_rows_only: bool = False) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"cases{suffix}"
        path.write_bytes(data)
        return loads_or_refuses(
            lambda: read_adult_cases(path, valid_rows_only=valid_rows_only, today=samples.TODAY),
            InputFileError,
        )


@pytest.mark.parametrize("suffix", sorted(ADULT_SAMPLES))
def test_the_adult_samples_load(suffix: str) -> None:
    outcome = read_adults(ADULT_SAMPLES[suffix], suffix)
    assert outcome.error is None
    assert outcome.value.tables.concerns.num_rows == 3


@pytest.mark.parametrize("suffix", sorted(ADULT_SAMPLES))
@READERS
@given(data=ANYTHING)
def test_adult_case_files_of_any_bytes(suffix: str, data: bytes) -> None:
    read_adults(data, suffix)


@pytest.mark.parametrize("suffix", sorted(ADULT_SAMPLES))
@READERS
@given(draw=st.data(), valid_rows_only=st.booleans())
def test_adult_case_files_mutated(suffix: str, draw: st.DataObject, valid_rows_only: bool) -> None:
    read_adults(draw.draw(mutated(ADULT_SAMPLES[suffix])), suffix, valid_rows_only=valid_rows_only)


@READERS
@given(data=csv_tables(COLUMN_NAMES, _values(samples.adult_csv())), valid_rows_only=st.booleans())
def test_adult_case_files_as_csv_tables(data: bytes, valid_rows_only: bool) -> None:
    read_adults(data, ".csv", valid_rows_only=valid_rows_only)


# -- population files (CSV, Parquet, XLSX), read with the adult case files ----------------------

POPULATION_SAMPLES = {".csv": samples.population_csv(), ".parquet": samples.population_parquet()}


def read_population_file(data: bytes, suffix: str) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"population{suffix}"
        path.write_bytes(data)
        return loads_or_refuses(lambda: read_population(path), InputFileError)


@pytest.mark.parametrize("suffix", sorted(POPULATION_SAMPLES))
def test_the_population_samples_load(suffix: str) -> None:
    outcome = read_population_file(POPULATION_SAMPLES[suffix], suffix)
    assert outcome.error is None
    assert outcome.value[0].num_rows == 2


@pytest.mark.parametrize("suffix", sorted(POPULATION_SAMPLES))
@READERS
@given(draw=st.data(), anything=st.booleans())
def test_population_files_mutated(suffix: str, draw: st.DataObject, anything: bool) -> None:
    data = draw.draw(ANYTHING if anything else mutated(POPULATION_SAMPLES[suffix]))
    read_population_file(data, suffix)


@READERS
@given(data=csv_tables(POPULATION_COLUMNS, _values(samples.population_csv())))
def test_population_files_as_csv_tables(data: bytes) -> None:
    read_population_file(data, ".csv")


# -- CIN census XML -----------------------------------------------------------------------------

CIN_SAMPLE = samples.cin_xml()
CIN_TAGS = sorted(set(re.findall(r"<(\w+)", CIN_SAMPLE.decode())) - {"xml"})
_CIN_TEXT = CIN_SAMPLE.decode()
CIN_SKELETON = (
    _CIN_TEXT[: _CIN_TEXT.index("<Child>")],
    "Child",
    _CIN_TEXT[_CIN_TEXT.rindex("</Child>") + len("</Child>") :],
)


def read_cin(data: bytes, name: str = samples.CIN_NAME) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return loads_or_refuses(lambda: read_cin_census(path), InputFileError)


def test_the_cin_sample_loads() -> None:
    outcome = read_cin(CIN_SAMPLE)
    assert outcome.error is None
    assert outcome.value.report.rows_read == 2


@READERS
@given(data=ANYTHING, name=st.sampled_from((samples.CIN_NAME, "census.xml")))
def test_cin_census_of_any_bytes(data: bytes, name: str) -> None:
    read_cin(data, name)


@READERS
@given(data=mutated(CIN_SAMPLE))
def test_cin_census_mutated(data: bytes) -> None:
    read_cin(data)


@READERS
@given(data=xml_documents(CIN_TAGS, CIN_SKELETON))
def test_cin_census_as_xml_documents(data: bytes) -> None:
    read_cin(data)


# -- SSDA903 CSV folders ------------------------------------------------------------------------

SSDA903_SAMPLES = samples.ssda903_files()


def read_903(files: dict[str, bytes]) -> Any:
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "201" / "2024-25"
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return loads_or_refuses(lambda: read_ssda903(folder), InputFileError)


def test_the_ssda903_sample_loads() -> None:
    outcome = read_903(SSDA903_SAMPLES)
    assert outcome.error is None
    assert outcome.value.ok


@READERS
@given(draw=st.data(), file=st.sampled_from(sorted(SSDA903_SAMPLES)), anything=st.booleans())
def test_ssda903_files_mutated(draw: st.DataObject, file: str, anything: bool) -> None:
    data = draw.draw(ANYTHING if anything else mutated(SSDA903_SAMPLES[file]))
    read_903({**SSDA903_SAMPLES, file: data})


@READERS
@given(draw=st.data(), file=st.sampled_from(sorted(SSDA903_SAMPLES)))
def test_ssda903_files_as_csv_tables(draw: st.DataObject, file: str) -> None:
    columns = [column.name for column in SSDA903_FILES[file.removesuffix(".csv")]]
    data = draw.draw(csv_tables(columns, _values(SSDA903_SAMPLES[file])))
    read_903({**SSDA903_SAMPLES, file: data})


# -- indicator uploads: the results upload and a shared indicator's ------------------------------

TIDY_SAMPLES = {".csv": samples.tidy_table_csv(), ".parquet": samples.tidy_table_parquet()}


def read_upload(data: bytes, name: str) -> None:
    """What both upload pages do with a file, short of storing it."""
    from safeguarding.web.dashboards.uploads import Places, check_upload
    from safeguarding.web.results.loading import (
        LoadRejected,
        check_rows,
        known_indicator_ids,
        read_tidy_file,
    )

    outcome = loads_or_refuses(lambda: read_tidy_file(name, data), LoadRejected)
    if outcome.error is not None:
        return
    tidy = outcome.value
    assert tidy is not None
    # The results upload: problems are listed, never raised.
    loads_or_refuses(lambda: check_rows([tidy], known_indicator_ids()), ())
    shared = SimpleNamespace(indicator_id="adults.concerns", unit="count")
    places = Places(
        "E06000001",
        "Hartlepool",
        "E12000001",
        {("la", "E06000001"): "Hartlepool", ("england", "E92000001"): "England"},
    )
    loads_or_refuses(lambda: check_upload(shared, places, tidy), LoadRejected)


@pytest.mark.parametrize("suffix", sorted(TIDY_SAMPLES))
def test_the_tidy_samples_load(suffix: str) -> None:
    from safeguarding.web.results.loading import check_rows, read_tidy_file

    _, problems, count = check_rows([read_tidy_file(f"table{suffix}", TIDY_SAMPLES[suffix])])
    assert count == 0, problems


@pytest.mark.parametrize("suffix", sorted(TIDY_SAMPLES))
@READERS
@given(data=ANYTHING)
def test_indicator_uploads_of_any_bytes(suffix: str, data: bytes) -> None:
    read_upload(data, f"table{suffix}")


@pytest.mark.parametrize("suffix", sorted(TIDY_SAMPLES))
@READERS
@given(draw=st.data())
def test_indicator_uploads_mutated(suffix: str, draw: st.DataObject) -> None:
    read_upload(draw.draw(mutated(TIDY_SAMPLES[suffix])), f"table{suffix}")


@READERS
@given(data=csv_tables(TIDY_COLUMNS, _values(samples.tidy_table_csv())))
def test_indicator_uploads_as_csv_tables(data: bytes) -> None:
    read_upload(data, "table.csv")


# -- statistical neighbours' measures and the SAC open-data CSV ----------------------------------


def read_measures_and_neighbours(data: bytes) -> None:
    """Reading the file, then the neighbours of its first council, as the page does."""
    outcome = loads_or_refuses(lambda: read_measures(data, "measures.csv"), MeasuresError)
    if outcome.error is None and outcome.value is not None:
        measures = outcome.value
        code = measures.councils[0].code

        def neighbours() -> tuple[Any, str]:
            return nearest(measures, code, 3), method_text(measures, 3, council_code=code)

        loads_or_refuses(neighbours, MeasuresError)


def test_the_measures_sample_loads() -> None:
    assert len(read_measures(samples.measures_csv(), "measures.csv").councils) == 4


MEASURES_STRATEGIES: dict[str, Callable[[], st.SearchStrategy[bytes]]] = {
    "anything": lambda: ANYTHING,
    "mutated": lambda: mutated(samples.measures_csv()),
    "tables": lambda: csv_tables(
        ["council_code", "council_name", "population_0_17", "imd_average_score", "score"],
        _values(samples.measures_csv()),
    ),
}


@pytest.mark.parametrize("kind", sorted(MEASURES_STRATEGIES))
@READERS
@given(draw=st.data())
def test_measures_files(kind: str, draw: st.DataObject) -> None:
    read_measures_and_neighbours(draw.draw(MEASURES_STRATEGIES[kind]()))


def test_the_sac_sample_loads() -> None:
    assert read_sac_csv(samples.sac_csv(), name="SAC_2024-25.csv").rows_mapped > 0


SAC_STRATEGIES: dict[str, Callable[[], st.SearchStrategy[bytes]]] = {
    "anything": lambda: ANYTHING,
    "mutated": lambda: mutated(samples.sac_csv()),
    "tables": lambda: csv_tables(SAC_COLUMNS, _values(samples.sac_csv())),
}


@pytest.mark.parametrize("kind", sorted(SAC_STRATEGIES))
@READERS
@given(draw=st.data())
def test_sac_files(kind: str, draw: st.DataObject) -> None:
    data = draw.draw(SAC_STRATEGIES[kind]())
    loads_or_refuses(lambda: read_sac_csv(data, name="SAC_2024-25.csv"), SacFileError)
