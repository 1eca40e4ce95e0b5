"""The plain-English validation report."""

from __future__ import annotations

from safeguarding.casedata.report import Problem, ValidationReport


def _report(problems: int) -> ValidationReport:
    listed = [
        Problem(row=n + 2, column="DECOM", value="B", kind="wrong_type", message="B is not a date")
        for n in range(problems)
    ]
    return ValidationReport(
        source="episodes.csv",
        rows_read=100,
        problems=listed,
        counts={"wrong_type": problems},
        rows_with_problems=problems,
    )


def test_a_brief_report_names_the_first_problems_and_counts_the_rest() -> None:
    text = _report(8).brief(most=3)
    lines = text.splitlines()
    assert lines[0] == "episodes.csv: 8 problems in 8 of 100 rows."
    assert lines[1:4] == [f"  Row {n}, column DECOM: B is not a date" for n in (2, 3, 4)]
    assert lines[4] == "  ... and 5 more."


def test_a_brief_report_with_few_problems_lists_them_all() -> None:
    lines = _report(2).brief(most=5).splitlines()
    assert len(lines) == 3
    assert "more" not in lines[-1]
