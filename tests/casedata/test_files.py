"""Large CSV files: read a block at a time into a temporary Parquet file, or refused plainly
when a reader needs them whole in memory."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from safeguarding.casedata.adults.reader import read_adult_cases
from safeguarding.casedata.files import read_table
from safeguarding.casedata.report import InputFileError
from tests.casedata.conftest import TODAY, concern, no_enquiry, write_csv

# Small blocks make a file of a few hundred rows stream in many pieces, as a 2 GB file would.
BLOCK = 4096


def _cases(tmp_path: Path, rows: int = 400) -> Path:
    return write_csv(
        tmp_path / "cases.csv",
        [concern(n) if n % 3 else no_enquiry(n) for n in range(1, rows + 1)],
    )


def test_a_streamed_csv_has_the_same_rows_as_one_read_whole(tmp_path: Path) -> None:
    path = _cases(tmp_path)
    with path.open("a") as handle:
        handle.write("C9,P9,E09000007\n")  # a row that cannot be split, reported either way
    whole = read_table(path)
    streamed = read_table(path, leave_parquet=True, csv_block_bytes=BLOCK)
    try:
        assert streamed.parquet is not None and streamed.table.num_rows == 0
        stored = pq.ParquetFile(streamed.parquet)
        assert stored.metadata.num_row_groups > 10  # written a block at a time
        assert stored.read().rename_columns(streamed.table.column_names).equals(whole.table)
        assert streamed.num_rows == whole.num_rows == 400
        assert streamed.problems == whole.problems and len(whole.problems) == 1
    finally:
        streamed.close()
    assert not streamed.parquet.exists()


def test_the_adult_reader_streams_and_removes_its_copy(tmp_path: Path) -> None:
    path = _cases(tmp_path)
    read = read_adult_cases(path, today=TODAY)
    assert read.tables.concern_count == 400
    assert read.tables.concerns["concern_id"].to_pylist()[:2] == ["C00001", "C00002"]
    # Concerns with an enquiry have two risk types each, in the order of the code list.
    assert read.tables.risk_types.num_rows == 2 * sum(1 for n in range(1, 401) if n % 3)


def test_a_csv_too_large_to_read_whole_is_refused_with_its_size(tmp_path: Path) -> None:
    path = _cases(tmp_path)
    with pytest.raises(InputFileError, match=r"cases\.csv is 0 MB, more than the 0 MB of CSV"):
        read_table(path, csv_in_memory_limit=1000)
    # Streamed, the same file is read whatever its size.
    streamed = read_table(path, leave_parquet=True, csv_in_memory_limit=1000)
    streamed.close()
    assert streamed.num_rows == 400


def test_bad_utf8_in_a_later_block_is_explained_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _cases(tmp_path, rows=8000)  # larger than the first megabyte checked before reading
    with path.open("ab") as handle:
        handle.write(b"C9,P9,E09000007,2024-05-02,81,F,WHITE,PHYSICAL,NONE" + b",\xe9" + b"," * 10)
        handle.write(b"\n")
    assert path.stat().st_size > 1 << 20
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(InputFileError, match="is not UTF-8 text: some characters further"):
        read_table(path, leave_parquet=True, csv_block_bytes=BLOCK)
    assert list(scratch.iterdir()) == []
