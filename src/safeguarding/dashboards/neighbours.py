"""Statistical neighbours: the councils most like a council on measures the user supplies.

The default method is the ten councils nearest to the council on standardised population and
deprivation measures. The measures come as a CSV file:

- UTF-8 (with or without a byte order mark, as Excel's "CSV UTF-8" saves it), commas between
  cells, at most 5 MB;
- a header row with ``council_code`` (the ONS code, such as E06000097), optionally
  ``council_name``, and one or more measure columns with names of your choosing, for example
  ``population_0_17``, ``population_18_plus``, ``imd_average_score`` or
  ``income_deprivation_children``;
- one row per council, at least 2 councils, each council once; every measure cell a number
  (``12345``, ``12,345``, ``-0.4`` and ``1.5e3`` all read).

Council codes are those of unitary authorities (E06), districts (E07), metropolitan districts
(E08), London boroughs (E09) and county councils (E10).

How the distance is worked out:

1. A measure whose column name starts with ``population`` is a count of people, which runs
   from thousands to over a million, so its natural logarithm is used: two councils are then as
   far apart when one is twice the size of the other, whatever their size. Such a measure must
   be more than 0.
2. Each measure is standardised across all councils in the file: its mean is taken away and the
   result divided by its standard deviation (of the whole file, not a sample), giving z-scores.
   A measure that is the same for every council cannot tell councils apart and is left out,
   with a warning.
3. The distance between two councils is the Euclidean distance between their z-scores, every
   measure weighted equally. Councils at the same distance are listed in order of code.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

import numpy as np

from safeguarding.catalogue import geography

#: An ONS code of a council that can have statistical neighbours.
COUNCIL_CODE = re.compile(r"\AE(0[6-9]|10)[0-9]{6}\Z")
CODE_COLUMN = "council_code"
NAME_COLUMN = "council_name"
#: Measures whose column name starts with this are counts of people, compared on a log scale.
POPULATION_PREFIX = "population"
MOST_BYTES = 5 * 1024 * 1024
MOST_PROBLEMS = 20
DEFAULT_COUNT = 10

_NUMBER = re.compile(r"\A[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
_THOUSANDS = re.compile(r"\A[+-]?\d{1,3}(,\d{3})+(\.\d*)?\Z")
_AGE_RANGE = re.compile(r"\Apopulation_(\d+)_(\d+)\Z")
_AGE_AND_OVER = re.compile(r"\Apopulation_(\d+)_plus\Z")
#: Plain-English names of measures that a column name does not spell out well enough.
MEASURE_NAMES = {
    "population": "population",
    "imd_average_score": "Index of Multiple Deprivation average score",
    "imd_rank": "Index of Multiple Deprivation rank",
    "income_deprivation_children": "income deprivation affecting children",
    "income_deprivation_older_people": "income deprivation affecting older people",
    "idaci_average_score": "income deprivation affecting children (IDACI) average score",
    "idaopi_average_score": "income deprivation affecting older people (IDAOPI) average score",
}


@dataclass(frozen=True)
class MeasuresProblem:
    """One cell or row that cannot be used; ``row`` as a spreadsheet shows it (header is 1)."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f" {self.column}" if self.column else "")
        value = f" {self.value!r}" if self.value else ""
        return f"{where}{value}: {self.message}"


class MeasuresError(ValueError):
    """The measures file cannot be used, or a council is not in it.

    The message lists the problems found (up to ``MOST_PROBLEMS``, then how many more);
    ``problems`` holds them and ``problem_count`` counts them all.
    """

    def __init__(
        self, message: str, problems: list[MeasuresProblem] | None = None, problem_count: int = 0
    ) -> None:
        self.problems = problems or []
        self.problem_count = problem_count or len(self.problems)
        lines = [message, *(f"  {problem}" for problem in self.problems)]
        if self.problem_count > len(self.problems):
            lines.append(f"  ... and {self.problem_count - len(self.problems):,} more.")
        super().__init__("\n".join(lines))
        self.message = message


@dataclass(frozen=True)
class CouncilMeasures:
    """One council's row of the measures file."""

    code: str
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Measures:
    """The measures of every council in one file, in file order."""

    file_name: str
    measures: tuple[str, ...]  # the column names, in file order
    councils: tuple[CouncilMeasures, ...]

    def council(self, code: str) -> CouncilMeasures | None:
        """The council with this code, if it is in the file."""
        return next((c for c in self.councils if c.code == code), None)


@dataclass(frozen=True)
class Neighbour:
    """A council near another, with how far apart they are in standardised units."""

    code: str
    name: str
    distance: float


class Neighbours(list[Neighbour]):
    """The nearest councils, nearest first, with what the user should know about the method."""

    def __init__(
        self, neighbours: list[Neighbour], measures_used: tuple[str, ...], warnings: list[str]
    ) -> None:
        super().__init__(neighbours)
        self.measures_used = measures_used
        self.warnings = warnings


def measure_name(column: str) -> str:
    """A measure's column name as a reader would say it: population_0_17 -> population aged
    0 to 17."""
    if column in MEASURE_NAMES:
        return MEASURE_NAMES[column]
    if found := _AGE_RANGE.match(column):
        return f"population aged {found[1]} to {found[2]}"
    if found := _AGE_AND_OVER.match(column):
        return f"population aged {found[1]} and over"
    return column.replace("_", " ").strip()


def is_population(column: str) -> bool:
    """Whether a measure is a count of people, compared on a log scale."""
    return column.lower().startswith(POPULATION_PREFIX)


def _decode(data: bytes, name: str) -> str:
    if len(data) > MOST_BYTES:
        raise MeasuresError(f"{name} is larger than {MOST_BYTES // (1024 * 1024)} MB.")
    if not data.strip():
        raise MeasuresError(f"{name} is empty.")
    if b"\x00" in data[:4096]:
        raise MeasuresError(f"{name} is not a CSV file (it holds binary data).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MeasuresError(
            f"{name} is not UTF-8 text: save it from your spreadsheet as CSV UTF-8."
        ) from None


def _number(text: str) -> float | None:
    """The number a cell holds, or None when it is not a finite number."""
    text = text.strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return None
    figure = float(text)
    return figure if math.isfinite(figure) else None


def _header(cells: list[str], name: str) -> list[str]:
    header = [cell.strip() for cell in cells]
    if CODE_COLUMN not in (cell.lower() for cell in header):
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            raise MeasuresError(
                f"{name} does not use commas between cells: save it as CSV (comma delimited)."
            )
        raise MeasuresError(f"{name} has no {CODE_COLUMN} column in its header row.")
    problems = []
    seen: set[str] = set()
    for position, cell in enumerate(header, start=1):
        if not cell:
            problems.append(MeasuresProblem(1, f"column {position}", "", "has no name"))
        elif cell.lower() in seen:
            problems.append(MeasuresProblem(1, cell, "", "is in the header more than once"))
        seen.add(cell.lower())
    if problems:
        raise MeasuresError(f"The header row of {name} cannot be used:", problems)
    if not set(seen) - {CODE_COLUMN, NAME_COLUMN}:
        raise MeasuresError(
            f"{name} has no measure columns: add at least one, such as population_0_17."
        )
    return header


def read_measures(data: bytes, name: str) -> Measures:
    """Read and check a measures file (see this module's docstring for its format).

    Raises ``MeasuresError`` naming every row and column at fault, at once.
    """
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _header(next(reader), name)
        lowered = [cell.lower() for cell in header]
        code_at = lowered.index(CODE_COLUMN)
        name_at = lowered.index(NAME_COLUMN) if NAME_COLUMN in lowered else None
        measure_at = [i for i in range(len(header)) if i not in (code_at, name_at)]
        measure_columns = tuple(header[i] for i in measure_at)
        problems: list[MeasuresProblem] = []
        problem_count = 0

        def problem(row: int, column: str, value: str, message: str) -> None:
            nonlocal problem_count
            problem_count += 1
            if len(problems) < MOST_PROBLEMS:
                # A long cell is cut short: the start is enough to find it.
                problems.append(MeasuresProblem(row, column, value[:40], message))

        councils: list[CouncilMeasures] = []
        first_row: dict[str, int] = {}
        for row, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problem(row, "", "", f"has {len(cells)} cells but the header has {len(header)}")
                continue
            code = cells[code_at].strip()
            row_ok = True
            if not COUNCIL_CODE.match(code):
                problem(row, CODE_COLUMN, code, "is not a council's ONS code such as E06000097")
                row_ok = False
            elif code in first_row:
                problem(row, CODE_COLUMN, code, f"is also in row {first_row[code]}")
                row_ok = False
            else:
                first_row[code] = row
            values = []
            for position, column in zip(measure_at, measure_columns, strict=True):
                cell = cells[position].strip()
                figure = _number(cell)
                if figure is None:
                    problem(row, column, cell, "is not a number" if cell else "is blank")
                    row_ok = False
                elif is_population(column) and figure <= 0:
                    problem(row, column, cell, "is a population, so must be more than 0")
                    row_ok = False
                else:
                    values.append(figure)
            if row_ok:
                given = cells[name_at].strip() if name_at is not None else ""
                councils.append(CouncilMeasures(code, given or _known_name(code), tuple(values)))
    except StopIteration:
        raise MeasuresError(f"{name} is empty.") from None
    except csv.Error as error:
        raise MeasuresError(f"{name} is not a readable CSV file: {error}.") from None
    if problems:
        noun = "problem" if problem_count == 1 else "problems"
        raise MeasuresError(f"{name} has {problem_count:,} {noun}:", problems, problem_count)
    if len(councils) < 2:
        raise MeasuresError(f"{name} needs at least 2 councils to compare; it has {len(councils)}.")
    return Measures(file_name=name, measures=measure_columns, councils=tuple(councils))


def _known_name(code: str) -> str:
    found = geography.council(code)
    return found.name if found else code


def _standardised(measures: Measures) -> tuple[tuple[str, ...], np.ndarray, list[str]]:
    """The measures that tell councils apart, every council's z-scores on them, and warnings.

    Raises ``MeasuresError`` when no measure tells councils apart.
    """
    table = np.array([council.values for council in measures.councils], dtype=float)
    for position, column in enumerate(measures.measures):
        if is_population(column):
            table[:, position] = np.log(table[:, position])
    mean = table.mean(axis=0)
    spread = table.std(axis=0)
    # Values that are equal on paper can differ in the last bit after a logarithm.
    varies = spread > 1e-12 * np.maximum(1.0, np.abs(mean))
    warnings = [
        f"{column} is the same for every council in {measures.file_name}, so it was left out."
        for column, used in zip(measures.measures, varies, strict=True)
        if not used
    ]
    used_columns = tuple(c for c, used in zip(measures.measures, varies, strict=True) if used)
    if not used_columns:
        raise MeasuresError(
            f"Every measure in {measures.file_name} is the same for every council, so no "
            "council is nearer than another."
        )
    scores = (table[:, varies] - mean[varies]) / spread[varies]
    return used_columns, scores, warnings


def nearest(measures: Measures, council_code: str, count: int = DEFAULT_COUNT) -> Neighbours:
    """The ``count`` councils nearest to ``council_code``, nearest first (fewer if the file
    holds fewer); see this module's docstring for the method."""
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    if measures.council(council_code) is None:
        raise MeasuresError(f"{council_code} is not in {measures.file_name}.")
    used_columns, scores, warnings = _standardised(measures)
    at = next(i for i, c in enumerate(measures.councils) if c.code == council_code)
    distances = np.sqrt(((scores - scores[at]) ** 2).sum(axis=1))
    others = [
        Neighbour(council.code, council.name, float(distance))
        for council, distance in zip(measures.councils, distances, strict=True)
        if council.code != council_code
    ]
    # Rounding first lets distances that are equal on paper tie, whatever the floating point.
    others.sort(key=lambda n: (round(n.distance, 9), n.code))
    return Neighbours(others[:count], used_columns, warnings)


def _listed(items: list[str]) -> str:
    """Items as a sentence lists them: a, b and c."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def method_text(
    measures: Measures, count: int = DEFAULT_COUNT, *, council_code: str | None = None
) -> str:
    """How a neighbour set was chosen, in plain English, to store and show with it.

    Name the council with ``council_code`` for "The 10 councils nearest to Larkhaven ...";
    without it the sentence reads "The 10 nearest councils ...".
    """
    used_columns, _, _ = _standardised(measures)
    shown = min(count, len(measures.councils) - 1)
    if council_code is None:
        who = "The nearest council" if shown == 1 else f"The {shown} nearest councils"
    else:
        council = measures.council(council_code)
        if council is None:
            raise MeasuresError(f"{council_code} is not in {measures.file_name}.")
        who = "The council" if shown == 1 else f"The {shown} councils"
        who += f" nearest to {council.name}"
    names = [measure_name(column) for column in used_columns]
    noun = "measure" if len(names) == 1 else "measures"
    each = "standardised" if len(names) == 1 else "each standardised"
    text = (
        f"{who} on {len(names)} {noun} ({_listed(names)}), {each}, "
        f"from the file {measures.file_name}."
    )
    if any(is_population(column) for column in used_columns):
        text += " Populations were compared on a log scale."
    left_out = [measure_name(c) for c in measures.measures if c not in used_columns]
    if left_out:
        text += f" Left out because every council has the same value: {_listed(left_out)}."
    return text
