"""The SSDA903 reader: a council-year folder of CSV files into tables, with clear problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safeguarding.casedata.children.ssda903 import (
    FILES,
    find_ssda903_folders,
    output_schema,
    read_ssda903,
)
from safeguarding.casedata.report import InputFileError

HEADER = ["C1,2,14/02/2012,BCRB,A123456789012,,", "C2,1,01/09/2015,WBRI,,,"]
EPISODES = [
    "C1,01/06/2024,S,C2,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,SC123456",
    "C2,15/07/2024,S,V2,N4,K2,PR4,20/12/2024,E4A,,AB1 2CD,EF3 4GH,",
]


def _folder(
    root: Path,
    *,
    header: list[str] | None = None,
    episodes: list[str] | None = None,
    missing: list[str] | None = None,
    episodes_columns: str | None = None,
) -> Path:
    folder = root / "201" / "2024-25"
    folder.mkdir(parents=True, exist_ok=True)
    names = {file: ",".join(c.name for c in columns) for file, columns in FILES.items()}
    (folder / "header.csv").write_text("\n".join([names["header"], *(header or HEADER)]) + "\n")
    (folder / "episodes.csv").write_text(
        "\n".join([episodes_columns or names["episodes"], *(episodes or EPISODES)]) + "\n"
    )
    if missing is not None:
        (folder / "missing.csv").write_text("\n".join([names["missing"], *missing]) + "\n")
    return folder


def test_a_valid_folder_gives_tables_with_la_and_year(tmp_path: Path) -> None:
    read = read_ssda903(_folder(tmp_path, missing=["C1,02/08/2024,03/08/2024,M"]))
    assert read.ok, read.summary()
    assert (read.la, read.year) == ("201", "2024-25")
    assert set(read.tables) == {"header", "episodes", "missing"}
    for name, table in read.tables.items():
        assert table.schema == output_schema(name)
        assert set(table.column("la").to_pylist()) == {"201"}
        assert set(table.column("year").to_pylist()) == {"2024-25"}
    header = read.tables["header"].to_pylist()
    assert [h["sex"] for h in header] == ["F", "M"]
    assert [h["has_upn"] for h in header] == [True, False]
    assert "upn" not in read.tables["header"].column_names
    assert "home_post" not in read.tables["episodes"].column_names
    episode = read.tables["episodes"].to_pylist()[1]
    assert episode["decom"] == dt.date(2024, 7, 15) and episode["dec"] == dt.date(2024, 12, 20)
    assert episode["row"] == 3 and episode["place"] == "K2"


def test_finding_folders_under_a_root(tmp_path: Path) -> None:
    _folder(tmp_path)
    (tmp_path / "notes").mkdir()
    assert [p.relative_to(tmp_path).as_posix() for p in find_ssda903_folders(tmp_path)] == [
        "201/2024-25"
    ]


def test_value_problems_name_row_column_and_value(tmp_path: Path) -> None:
    episodes = [
        "C1,31/06/2024,S,C2,N1,U4,PR1,,,,,,",  # impossible date
        "C2,15/07/2024,S,XX,N4,K2,PR4,20/12/2024,E4A,,,,",  # unknown legal status
        "C2,15/07/2024,S,V2,N4,K2,PR4,2024-12-20,E4A,,,,",  # ISO date
        "C2,20/12/2024,P,V2,N4,K2,PR4,01/12/2024,E4A,,,,",  # ends before it starts
        "C9,20/12/2024,S,V2,N4,K2,PR4,,,,,,",  # not in the header
    ]
    read = read_ssda903(_folder(tmp_path, episodes=episodes))
    report = read.reports["episodes"]
    assert report.counts == {
        "impossible_date": 1,
        "unknown_code": 1,
        "wrong_type": 1,
        "inconsistent": 2,
    }
    found = {(p.row, p.column, p.value) for p in report.problems}
    assert found == {
        (2, "DECOM", "31/06/2024"),
        (3, "LS", "XX"),
        (4, "DEC", "2024-12-20"),
        (5, "DEC", "01/12/2024"),
        (6, "CHILD", "C9"),
    }
    assert "written dd/mm/YYYY" in report.summary()
    assert read.tables["episodes"].column("decom").to_pylist()[0] is None


def test_duplicate_children_in_the_header(tmp_path: Path) -> None:
    read = read_ssda903(_folder(tmp_path, header=[*HEADER, "C1,2,14/02/2012,BCRB,,,"]))
    problem = read.reports["header"].problems[0]
    assert (problem.row, problem.kind) == (4, "duplicate_id")
    assert "also the CHILD of row 2" in problem.message


def test_values_in_the_wrong_columns_are_pointed_out(tmp_path: Path) -> None:
    # a value missing after CHILD shifts every other value one column to the left
    shifted = ["C1,S,C2,N1,U4,PR1,01/06/2024,,,,,,"]
    read = read_ssda903(_folder(tmp_path, episodes=shifted))
    messages = read.reports["episodes"].summary()
    assert "it looks like a code, so the values of this row may be in the wrong columns" in messages
    assert "it is a date, so the values of this row may be in the wrong columns" in messages


def test_a_row_with_too_many_values_is_reported(tmp_path: Path) -> None:
    read = read_ssda903(
        _folder(tmp_path, episodes=[*EPISODES, "C1,01/06/2024,S,C2,N1,U4,PR1,,,,,,,extra"])
    )
    assert read.reports["episodes"].counts == {"bad_row": 1}


def test_a_header_that_does_not_match_is_refused(tmp_path: Path) -> None:
    columns = ",".join(c.name for c in FILES["episodes"]).replace(",LS,", ",LEGAL_STATUS,")
    with pytest.raises(InputFileError, match="does not have the SSDA903 columns LS"):
        read_ssda903(_folder(tmp_path, episodes_columns=columns))


def test_folder_layout_is_checked(tmp_path: Path) -> None:
    wrong = tmp_path / "Barnet" / "2024-25"
    wrong.mkdir(parents=True)
    with pytest.raises(InputFileError, match="not a council-year folder"):
        read_ssda903(wrong)
    folder = tmp_path / "201" / "2024-25"
    folder.mkdir(parents=True)
    with pytest.raises(InputFileError, match=r"has no header\.csv"):
        read_ssda903(folder)


def test_non_utf8_csv_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "header.csv").write_bytes(
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC\xe91,2,14/02/2012,BCRB,,,\n"
    )
    with pytest.raises(InputFileError, match="not UTF-8"):
        read_ssda903(folder)


def _header_line(file: str) -> str:
    return ",".join(column.name for column in FILES[file]) + "\n"


@pytest.mark.parametrize("file", ["uasc", "missing", "reviews"])
def test_an_optional_file_with_only_its_header_is_an_empty_table(tmp_path: Path, file: str) -> None:
    folder = _folder(tmp_path)
    (folder / f"{file}.csv").write_text(_header_line(file))
    read = read_ssda903(folder)
    assert read.ok
    assert read.tables[file].num_rows == 0
    assert read.tables[file].schema == output_schema(file)
    assert read.reports[file].warnings == []
    # The other files are read as usual.
    assert read.tables["episodes"].num_rows == len(EPISODES)


def test_an_empty_optional_file_must_still_have_the_right_columns(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "missing.csv").write_text("CHILD,MIS_START,MISSING\n")
    with pytest.raises(InputFileError, match="does not have the SSDA903 columns MIS_END"):
        read_ssda903(folder)
    # A header line in UTF-16 is not taken for an empty table.
    (folder / "missing.csv").write_bytes(_header_line("missing").encode("utf-16"))
    with pytest.raises(InputFileError, match="UTF-16"):
        read_ssda903(folder)
    # Nor is a file with nothing in it at all.
    (folder / "missing.csv").write_text("\n\n")
    with pytest.raises(InputFileError, match="is empty"):
        read_ssda903(folder)


def test_a_council_with_no_children_looked_after_is_empty_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "420" / "2024-25"
    folder.mkdir(parents=True)
    for file in FILES:
        (folder / f"{file}.csv").write_text(_header_line(file))
    read = read_ssda903(folder)
    assert read.ok
    assert all(table.num_rows == 0 for table in read.tables.values())
    [warning] = read.reports["header"].warnings
    assert "no children looked after in 2024-25" in warning and "420" in warning
    assert "incomplete export" in read.summary()


def test_children_in_the_header_without_episodes_are_warned_about(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "episodes.csv").write_text(_header_line("episodes"))
    read = read_ssda903(folder)
    assert read.tables["episodes"].num_rows == 0
    [warning] = read.reports["episodes"].warnings
    assert "header.csv has 2" in warning and "incomplete" in warning
