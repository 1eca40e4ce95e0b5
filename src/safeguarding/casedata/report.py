"""What validation found in an input file, in words a council analyst can act on."""

from __future__ import annotations

from dataclasses import dataclass, field

# Each kind of problem, with the heading it is grouped under.
KINDS: dict[str, str] = {
    "bad_row": "Rows that do not have the same number of values as the header",
    "missing_value": "Missing values",
    "wrong_type": "Values of the wrong type",
    "impossible_date": "Impossible dates",
    "future_date": "Dates in the future",
    "out_of_range": "Values out of range",
    "unknown_code": "Unknown codes",
    "duplicate_id": "Duplicate ids",
    "inconsistent": "Inconsistent rows",
    "unexpected_element": "Elements the schema does not have",
}

DEFAULT_LIMIT = 1000


class InputFileError(Exception):
    """A file that cannot be read at all; the message says why, in plain words."""


class InputFileInvalid(InputFileError):
    """A file that was read but has problems; ``report`` lists them."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.headline())
        self.report = report


@dataclass(frozen=True)
class Problem:
    """One problem with one value: where it is, what it is and why it is wrong."""

    row: int  # as the file numbers it, the header being row 1
    column: str
    value: str | None
    kind: str
    message: str  # completes "Row 14, column age: ..."

    def sentence(self) -> str:
        return f"Row {self.row:,}, column {self.column}: {self.message}"


@dataclass
class ValidationReport:
    """Every problem found in a file: totals by kind, and the first ``limit`` problems listed."""

    source: str
    rows_read: int = 0
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    rows_with_problems: int = 0
    rows_left_out: int = 0
    warnings: list[str] = field(default_factory=list)
    limit: int = DEFAULT_LIMIT

    @property
    def ok(self) -> bool:
        return self.total_problems == 0

    @property
    def total_problems(self) -> int:
        return sum(self.counts.values())

    def by_kind(self) -> dict[str, list[Problem]]:
        """The listed problems grouped by kind, in the order of KINDS."""
        grouped: dict[str, list[Problem]] = {}
        for kind in KINDS:
            found = [p for p in self.problems if p.kind == kind]
            if found or self.counts.get(kind):
                grouped[kind] = found
        return grouped

    def headline(self) -> str:
        if self.ok:
            return f"{self.source}: {self.rows_read:,} rows, no problems."
        return (
            f"{self.source}: {self.total_problems:,} {_plural(self.total_problems, 'problem')} "
            f"in {self.rows_with_problems:,} of {self.rows_read:,} rows."
        )

    def brief(self, most: int = 5) -> str:
        """The headline and the first ``most`` problems: enough to find them in the file."""
        lines = [self.headline()]
        lines += [f"  {p.sentence()}" for p in self.problems[:most]]
        if self.total_problems > min(most, len(self.problems)):
            lines.append(f"  ... and {self.total_problems - min(most, len(self.problems)):,} more.")
        return "\n".join(lines)

    def summary(self) -> str:
        """The report as plain text, grouped by kind."""
        lines = [self.headline()]
        lines += [f"Note: {warning}" for warning in self.warnings]
        for kind, listed in self.by_kind().items():
            total = self.counts.get(kind, len(listed))
            lines.append("")
            lines.append(f"{KINDS[kind]} ({total:,}):")
            lines += [f"  {p.sentence()}" for p in listed]
            if total > len(listed):
                lines.append(f"  ... and {total - len(listed):,} more not listed.")
        if self.total_problems > len(self.problems):
            lines.append("")
            lines.append(f"Only the first {self.limit:,} problems are listed.")
        if self.rows_left_out:
            lines.append("")
            lines.append(
                f"{self.rows_left_out:,} {_plural(self.rows_left_out, 'row')} with problems "
                f"{'was' if self.rows_left_out == 1 else 'were'} left out; "
                f"{self.rows_read - self.rows_left_out:,} rows were loaded."
            )
        return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"
