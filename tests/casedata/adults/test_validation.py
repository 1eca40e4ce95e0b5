"""Every kind of problem in an adult case file is found, with its row, column and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguarding.casedata.adults.reader import read_adult_cases
from safeguarding.casedata.report import InputFileInvalid, ValidationReport
from tests.casedata.conftest import TODAY, concern, no_enquiry, write_csv


def problems_in(tmp_path: Path, rows: list[dict[str, str]]) -> ValidationReport:
    path = write_csv(tmp_path / "cases.csv", rows)
    with pytest.raises(InputFileInvalid) as raised:
        read_adult_cases(path, today=TODAY)
    return raised.value.report


# (spoilt row, kind, column, value, words in the message). The spoilt row is the file's row 3.
CASES = [
    (concern(2, concern_id=""), "missing_value", "concern_id", None, "is empty"),
    (concern(2, age="eighty"), "wrong_type", "age", "eighty", "eighty is not a whole number"),
    (
        concern(2, concern_date="02/05/2024"),
        "wrong_type",
        "concern_date",
        "02/05/2024",
        "YYYY-MM-DD",
    ),
    (
        concern(2, enquiry_end_date="2024-02-30"),
        "impossible_date",
        "enquiry_end_date",
        "2024-02-30",
        "2024-02-30 is not a real date",
    ),
    (concern(2, concern_date="2025-07-01"), "future_date", "concern_date", "2025-07-01", "future"),
    (concern(2, age="17"), "out_of_range", "age", "17", "17 is not an age from 18 to 120"),
    (concern(2, age="121"), "out_of_range", "age", "121", "from 18 to 120"),
    (concern(2, concern_date="1900-01-01"), "out_of_range", "concern_date", "1900-01-01", "2000"),
    (concern(2, sex="X"), "unknown_code", "sex", "X", "is not a sex code"),
    (concern(2, la_code="E06999999"), "unknown_code", "la_code", "E06999999", "ONS code"),
    (
        concern(2, risk_types="NEGLECT;THEFT"),
        "unknown_code",
        "risk_types",
        "THEFT",
        "NEGLECT;THEFT",
    ),
    (concern(1), "duplicate_id", "concern_id", "C00001", "also the concern_id of row 2"),
    (
        no_enquiry(2, msp_outcome="FULLY"),
        "inconsistent",
        "msp_outcome",
        "FULLY",
        "enquiry_type is NONE",
    ),
    (
        concern(2, enquiry_start_date=""),
        "inconsistent",
        "enquiry_start_date",
        None,
        "enquiry_type is S42",
    ),
    (
        concern(2, enquiry_end_date="2024-05-01"),
        "inconsistent",
        "enquiry_end_date",
        "2024-05-01",
        "before the enquiry start date, 2024-05-06",
    ),
    (
        concern(2, risk_assessment="NO_RISK_NO_ACTION"),
        "inconsistent",
        "risk_outcome",
        "REDUCED",
        "here it is NO_RISK_NO_ACTION",
    ),
    (
        concern(2, lacked_capacity="NO"),
        "inconsistent",
        "capacity_support",
        "ADVOCATE",
        "lacked_capacity is YES",
    ),
    (
        concern(2, msp_asked="NOT_ASKED"),
        "inconsistent",
        "msp_outcome",
        "FULLY",
        "msp_asked is ASKED_EXPRESSED",
    ),
    (
        concern(2, enquiry_end_date="", risk_assessment="", risk_outcome=""),
        "inconsistent",
        "msp_outcome",
        "FULLY",
        "has not concluded",
    ),
]


@pytest.mark.parametrize(
    ("row", "kind", "column", "value", "words"),
    CASES,
    ids=[f"{kind}-{column}-{i}" for i, (_, kind, column, _, _) in enumerate(CASES)],
)
def test_each_kind_of_problem(
    tmp_path: Path, row: dict[str, str], kind: str, column: str, value: str | None, words: str
) -> None:
    report = problems_in(tmp_path, [concern(1), row])
    assert report.counts == {kind: 1}
    (problem,) = report.problems
    assert (problem.row, problem.column, problem.value, problem.kind) == (3, column, value, kind)
    assert words in problem.message
    assert f"Row 3, column {column}: " in report.summary()


def test_impossible_date_reads_as_an_analyst_would_write_it(tmp_path: Path) -> None:
    rows = [concern(n) for n in range(1, 14)]
    rows.append(concern(14, enquiry_end_date="2024-02-30"))
    report = problems_in(tmp_path, rows)
    assert "Row 15, column enquiry_end_date: 2024-02-30 is not a real date" in report.summary()


def test_every_problem_is_reported_at_once_grouped_by_kind(tmp_path: Path) -> None:
    rows = [
        concern(1, age="5", sex="Q"),
        concern(2, concern_date="2024-13-13"),
        no_enquiry(3, risk_source="KNOWN"),
        concern(4, age="200"),
    ]
    report = problems_in(tmp_path, rows)
    assert report.counts == {
        "out_of_range": 2,
        "unknown_code": 1,
        "impossible_date": 1,
        "inconsistent": 1,
    }
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "age"),
        (2, "sex"),
        (3, "concern_date"),
        (4, "risk_source"),
        (5, "age"),
    ]
    assert report.rows_with_problems == 4
    text = report.summary()
    assert text.index("Impossible dates (1)") < text.index("Values out of range (2)")
    assert "5 problems in 4 of 4 rows" in text


def test_the_listing_stops_at_the_limit_but_the_counts_do_not(tmp_path: Path) -> None:
    rows = [concern(n, age="7") for n in range(1, 31)]
    path = write_csv(tmp_path / "cases.csv", rows)
    with pytest.raises(InputFileInvalid) as raised:
        read_adult_cases(path, today=TODAY, limit=10)
    report = raised.value.report
    assert report.counts == {"out_of_range": 30}
    assert len(report.problems) == 10
    assert "... and 20 more not listed" in report.summary()
    assert "Only the first 10 problems are listed" in report.summary()


def test_valid_rows_only_leaves_out_rows_with_problems_and_says_how_many(tmp_path: Path) -> None:
    rows = [concern(1), concern(2, age="x"), concern(3), concern(1), concern(5, sex="Z")]
    path = write_csv(tmp_path / "cases.csv", rows)
    read = read_adult_cases(path, today=TODAY, valid_rows_only=True)
    assert read.tables.concerns.column("concern_id").to_pylist() == ["C00001", "C00003"]
    assert read.report.rows_left_out == 3
    assert set(read.tables.risk_types.column("concern_id").to_pylist()) == {"C00001", "C00003"}
    assert "3 rows with problems were left out; 2 rows were loaded" in read.report.summary()


def test_empty_optional_values_are_not_problems(tmp_path: Path) -> None:
    row = concern(1, age="", sex="", ethnic_group="", risk_types="", risk_location="")
    read = read_adult_cases(write_csv(tmp_path / "cases.csv", [row]), today=TODAY)
    got = read.tables.concerns.to_pylist()[0]
    assert got["age"] is None and got["sex"] is None and got["risk_location"] is None
    assert read.tables.risk_types.num_rows == 0


def test_former_council_codes_are_accepted(tmp_path: Path) -> None:
    row = concern(1, la_code="E10000006", concern_date="2022-05-01")
    row |= {"enquiry_start_date": "2022-05-03", "enquiry_end_date": "2022-06-01"}
    read = read_adult_cases(write_csv(tmp_path / "cases.csv", [row]), today=TODAY)
    assert read.tables.concerns.column("la_code").to_pylist() == ["E10000006"]
