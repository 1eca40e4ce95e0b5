"""The Safeguarding Adults Collection (SAC) open-data CSV, read into the tidy indicator table.

NHS England publishes the SAC figures for every council, region and England as one long CSV
(GEOGRAPHY, COUNCIL_TYPE, REGION_CODE, REGION_NAME, ONS_CODE, LA_CODE, LA_NAME,
TABLE_REFERENCE, ENQUIRY_TYPE, CATEGORY, SUBCATEGORY, VALUE). ``sac_mapping.yaml`` beside this
module says which of its rows are which of the platform's indicators; this module applies it.

What comes out is the tidy table of ``indicators.md`` plus a ``suppressed`` column: a figure
the publisher withheld (``[c]``) is a row with no value and ``suppressed`` true. Rows the mapping
does not know are counted and listed (never dropped silently); rows whose figure is not
available (``[x]``, ``[z]``, ``..``, ``-``) are counted and left out.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from safeguarding.catalogue import code_list
from safeguarding.catalogue.geography import council_for_dfe_number
from safeguarding.indicators.tidy import TIDY_SCHEMA

COLUMNS = (
    "GEOGRAPHY",
    "COUNCIL_TYPE",
    "REGION_CODE",
    "REGION_NAME",
    "ONS_CODE",
    "LA_CODE",
    "LA_NAME",
    "TABLE_REFERENCE",
    "ENQUIRY_TYPE",
    "CATEGORY",
    "SUBCATEGORY",
    "VALUE",
)
# Columns some editions add to say the year; used when present.
PERIOD_COLUMNS = ("PERIOD", "YEAR", "REPORTING_PERIOD", "FINANCIAL_YEAR")

#: The tidy table of ``indicators.md``, with the publisher's suppression as a flag.
SCHEMA = pa.schema([*TIDY_SCHEMA, ("suppressed", pa.bool_())])

TOTAL = "total"
MOST_PROBLEMS = 100
MOST_COUNT = 10**15  # far above any published count
_ONS_CODE = re.compile(r"^E\d{8}$")
_PERIOD_IN_NAME = re.compile(r"(?<!\d)(20\d{2})[-_ ]?(?:20)?(\d{2})(?!\d)")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")
_SPACED_DASH = re.compile(r"\s*-\s*")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2019": "'", "\u2018": "'"})

Progress = Callable[[int], None]


class SacFileError(ValueError):
    """The file is not the SAC open-data CSV, or some of its figures cannot be read.

    ``problems`` lists the rows at fault (up to ``MOST_PROBLEMS``); ``problem_count`` counts all.
    """

    def __init__(
        self, message: str, problems: list[SacProblem] | None = None, problem_count: int = 0
    ) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.problem_count = problem_count or len(self.problems)


@dataclass(frozen=True)
class SacProblem:
    """One row that cannot be read: its number as a spreadsheet shows it (header is row 1)."""

    row: int
    column: str
    value: str
    message: str


@dataclass
class SacReading:
    """What one file gave: the tidy table and an account of every row that is not in it."""

    table: pa.Table
    period: str
    rows_read: int
    rows_mapped: int
    suppressed: int
    not_available: int
    ignored: int
    derived: int
    #: Rows no rule matches, by (table reference, enquiry type, category, subcategory).
    unmapped: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    #: Rows whose GEOGRAPHY the mapping does not know, by that value.
    unknown_geographies: Counter[str] = field(default_factory=Counter)

    @property
    def unmapped_count(self) -> int:
        return sum(self.unmapped.values()) + sum(self.unknown_geographies.values())

    def summary(self) -> list[str]:
        """The account in plain sentences, for the command line and the load's notes."""
        lines = [
            f"{self.rows_read:,} rows read for {self.period}: {self.rows_mapped:,} loaded "
            f"({self.suppressed:,} of them suppressed by the publisher), {self.derived:,} "
            f"percentages worked out from them."
        ]
        if self.not_available:
            lines.append(f"{self.not_available:,} rows had no figure ([x], [z], .., -).")
        if self.ignored:
            lines.append(f"{self.ignored:,} rows are tables the platform does not use yet.")
        if self.unknown_geographies:
            kinds = ", ".join(f"{name!r} ({n:,})" for name, n in self.unknown_geographies.items())
            lines.append(f"Rows with a GEOGRAPHY the mapping does not know, not loaded: {kinds}.")
        if self.unmapped:
            lines.append(
                f"{sum(self.unmapped.values()):,} rows matched no rule in the SAC mapping and "
                "were not loaded, for example:"
            )
            for labels, n in self.unmapped.most_common(10):
                lines.append(f"  {' / '.join(labels)} ({n:,} rows)")
        return lines


def _normal(text: str) -> str:
    """A label as it is matched: case, spacing and the kind of dash or apostrophe ignored."""
    spaced = " ".join(text.translate(_DASHES).casefold().split())
    return _SPACED_DASH.sub("-", spaced)


@dataclass(frozen=True)
class FigureRule:
    """One rule of the mapping: which rows it matches and the indicator figures they are."""

    match: tuple[tuple[str, str], ...]
    indicator: str
    breakdown: str
    category: str | None
    category_column: str | None
    categories: Mapping[str, str]
    ignored_categories: frozenset[str]

    def matches(self, row: Mapping[str, str]) -> bool:
        return all(_normal(row.get(column, "")) == value for column, value in self.match)


@dataclass(frozen=True)
class Term:
    indicator: str
    breakdown: str
    categories: tuple[str, ...] | None


@dataclass(frozen=True)
class DerivedPercentage:
    indicator: str
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...]


@dataclass(frozen=True)
class GeographyRule:
    level: str
    code_column: str
    default_code: str | None


@dataclass(frozen=True)
class SacMapping:
    geographies: Mapping[str, GeographyRule]
    figures: tuple[FigureRule, ...]
    ignored: tuple[tuple[tuple[str, str], ...], ...]
    derived: tuple[DerivedPercentage, ...]
    suppressed_markers: frozenset[str]
    not_available_markers: frozenset[str]

    @property
    def indicator_ids(self) -> frozenset[str]:
        """Every indicator id a SAC file can load."""
        return frozenset(rule.indicator for rule in self.figures) | frozenset(
            rule.indicator for rule in self.derived
        )


def _match(raw: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(column).upper(), _normal(str(value))) for column, value in raw.items())


def _figure_rule(raw: Mapping[str, Any]) -> FigureRule:
    column = raw.get("category_column")
    categories: dict[str, str] = {}
    if column:
        codes = code_list(str(raw["codes"]))
        for entry in codes.codes:
            categories[_normal(entry.label)] = entry.code
            categories[_normal(entry.code)] = entry.code
        for label, code in (raw.get("aliases") or {}).items():
            if str(code) not in codes:
                raise ValueError(f"sac_mapping.yaml: alias {label!r} names unknown code {code!r}")
            categories[_normal(str(label))] = str(code)
    elif raw.get("category") is None:
        raise ValueError(f"sac_mapping.yaml: a rule for {raw['indicator']} has no category")
    return FigureRule(
        match=_match(raw["match"]),
        indicator=str(raw["indicator"]),
        breakdown=str(raw["breakdown"]),
        category=None if column else str(raw["category"]),
        category_column=str(column).upper() if column else None,
        categories=categories,
        ignored_categories=frozenset(_normal(str(c)) for c in raw.get("ignore_categories") or []),
    )


def _terms(raw: Iterable[Mapping[str, Any]]) -> tuple[Term, ...]:
    return tuple(
        Term(
            indicator=str(t["indicator"]),
            breakdown=str(t["breakdown"]),
            categories=tuple(str(c) for c in t["categories"]) if t.get("categories") else None,
        )
        for t in raw
    )


@cache
def mapping() -> SacMapping:
    """The SAC mapping in ``sac_mapping.yaml``, read once."""
    text = resources.files(__package__).joinpath("sac_mapping.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    geographies = {
        _normal(name): GeographyRule(
            level=str(rule["level"]),
            code_column=str(rule["code_column"]).upper(),
            default_code=rule.get("default_code"),
        )
        for name, rule in raw["geography"].items()
    }
    return SacMapping(
        geographies=geographies,
        figures=tuple(_figure_rule(rule) for rule in raw["figures"]),
        ignored=tuple(_match(rule) for rule in raw.get("ignore") or []),
        derived=tuple(
            DerivedPercentage(
                indicator=str(d["indicator"]),
                numerator=_terms(d["numerator"]),
                denominator=_terms(d["denominator"]),
            )
            for d in raw.get("derived") or []
        ),
        suppressed_markers=frozenset(_normal(str(m)) for m in raw["suppressed_markers"]),
        not_available_markers=frozenset(_normal(str(m)) for m in raw["not_available_markers"]),
    )


def published_indicator_ids() -> frozenset[str]:
    """The indicator ids that published benchmarks can hold."""
    return mapping().indicator_ids


def period_from_name(name: str) -> str | None:
    """The financial year a file's name gives, ``2024-25`` from ``SAC_2024-25.csv``,
    ``sac_2024_25`` or ``2024-2025``; None when it gives none or an impossible one."""
    found = _PERIOD_IN_NAME.search(Path(name).name)
    if not found:
        return None
    start, end = found.group(1), found.group(2)
    if (int(start) + 1) % 100 != int(end):
        return None
    return f"{start}-{end}"


def normal_period(text: str) -> str | None:
    """A financial year written ``2024-25`` (or ``2024/25``, ``2024-2025``), else None."""
    return period_from_name(text.strip().replace("/", "-"))


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise SacFileError(f"{name} is empty.")
    if b"\x00" in data[:4096]:
        raise SacFileError(f"{name} is not a CSV file (it holds binary data).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SacFileError(f"{name} is not a text file in UTF-8 or Windows encoding.")


def _header(reader_header: list[str], name: str) -> list[str]:
    header = [column.strip().upper() for column in reader_header]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
            raise SacFileError(
                f"{name} is not separated by commas. Save it as a comma-separated CSV."
            )
        raise SacFileError(
            f"{name} is not the SAC open-data CSV: it has no column "
            f"{', '.join(missing[:4])}{' ...' if len(missing) > 4 else ''}."
        )
    return header


def _count(text: str) -> int | None:
    """A published count: digits, maybe with thousands commas; None if it is not one."""
    cleaned = text.replace(",", "").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    # The size is checked before int(), which takes minutes over 1e99999999 (copy_abs, not
    # abs: abs rounds to the decimal context, which overflows).
    if not number.is_finite() or number.copy_abs() >= MOST_COUNT:
        return None
    if number != number.to_integral_value():
        return None
    return int(number)


@dataclass
class _Figure:
    numerator: int | None
    suppressed: bool
    source: tuple[str, ...]
    row: int


def read_sac_csv(
    source: Path | bytes,
    *,
    name: str | None = None,
    period: str | None = None,
    progress: Progress | None = None,
) -> SacReading:
    """Read a SAC open-data CSV into the tidy table.

    The year is ``period`` if given, else the file's PERIOD or YEAR column, else its name
    (``SAC_2024-25.csv``). Raises ``SacFileError`` for a file that is not the SAC CSV and for
    rows whose figures cannot be read (every such row, at once); nothing is half-read.
    """
    if isinstance(source, Path):
        name = name or source.name
        try:
            data = source.read_bytes()
        except OSError as error:
            raise SacFileError(f"Cannot read {name}: {error.strerror}.") from None
    else:
        data = source
    name = name or "the file"
    if period is not None and normal_period(period) is None:
        raise SacFileError(f"{period!r} is not a financial year such as 2024-25.")
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _header(next(reader), name)
    except StopIteration:
        raise SacFileError(f"{name} is empty.") from None
    except csv.Error as error:
        raise SacFileError(f"{name} is not a readable CSV: {error}.") from None
    period_column = next((c for c in PERIOD_COLUMNS if c in header), None)
    rules = mapping()
    figures: dict[tuple[str, str, str, str, str], _Figure] = {}
    problems: list[SacProblem] = []
    problem_count = 0
    periods_seen: set[str] = set()
    reading = SacReading(
        table=SCHEMA.empty_table(),
        period="",
        rows_read=0,
        rows_mapped=0,
        suppressed=0,
        not_available=0,
        ignored=0,
        derived=0,
    )

    def problem(row_number: int, column: str, value: str, message: str) -> None:
        nonlocal problem_count
        problem_count += 1
        if len(problems) < MOST_PROBLEMS:
            problems.append(SacProblem(row_number, column, value, message))

    try:
        for row_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            reading.rows_read += 1
            if progress and reading.rows_read % 5000 == 0:
                progress(reading.rows_read)
            if len(cells) != len(header):
                problem(row_number, "", "", f"has {len(cells)} cells, the header has {len(header)}")
                continue
            row = {column: cell.strip() for column, cell in zip(header, cells, strict=True)}
            if period_column and row[period_column]:
                row_period = normal_period(row[period_column])
                if row_period is None:
                    problem(row_number, period_column, row[period_column], "is not a year")
                    continue
                periods_seen.add(row_period)
            geography = rules.geographies.get(_normal(row["GEOGRAPHY"]))
            if geography is None:
                reading.unknown_geographies[row["GEOGRAPHY"]] += 1
                continue
            if any(all(_normal(row.get(c, "")) == v for c, v in m) for m in rules.ignored):
                reading.ignored += 1
                continue
            rule = next((r for r in rules.figures if r.matches(row)), None)
            labels = (
                row["TABLE_REFERENCE"],
                row["ENQUIRY_TYPE"],
                row["CATEGORY"],
                row["SUBCATEGORY"],
            )
            if rule is None:
                reading.unmapped[labels] += 1
                continue
            if rule.category_column:
                label = _normal(row[rule.category_column])
                if label in rule.ignored_categories:
                    reading.ignored += 1
                    continue
                category = rule.categories.get(label)
                if category is None:
                    reading.unmapped[labels] += 1
                    continue
            else:
                category = rule.category or TOTAL
            code = _geography_code(row, geography)
            if code is None:
                problem(
                    row_number,
                    geography.code_column,
                    row[geography.code_column],
                    f"is not a code for a {geography.level} ({row['LA_NAME'] or row['GEOGRAPHY']})",
                )
                continue
            value = _normal(row["VALUE"])
            if value in rules.suppressed_markers:
                count, suppressed = None, True
            elif value in rules.not_available_markers:
                reading.not_available += 1
                continue
            else:
                count, suppressed = _count(row["VALUE"]), False
                if count is None or count < 0:
                    problem(row_number, "VALUE", row["VALUE"], "is not a count")
                    continue
            key = (rule.indicator, geography.level, code, rule.breakdown, category)
            earlier = figures.get(key)
            if earlier is not None:
                if earlier.source == labels:
                    problem(
                        row_number,
                        "VALUE",
                        row["VALUE"],
                        f"repeats the figure of row {earlier.row} for {code}",
                    )
                    continue
                # Two published categories the platform counts as one: their sum.
                earlier.suppressed = earlier.suppressed or suppressed
                earlier.numerator = (
                    None
                    if earlier.numerator is None or count is None
                    else earlier.numerator + count
                )
            else:
                figures[key] = _Figure(count, suppressed, labels, row_number)
            reading.rows_mapped += 1
            reading.suppressed += suppressed
    except csv.Error as error:
        raise SacFileError(f"{name} is not a readable CSV: {error}.") from None

    if problem_count:
        raise SacFileError(
            f"{name}: {problem_count} row{'s' if problem_count != 1 else ''} cannot be read.",
            problems,
            problem_count,
        )
    reading.period = _choose_period(period, periods_seen, name)
    if not figures:
        raise SacFileError(
            f"{name} has no figures the platform can load: "
            f"{reading.unmapped_count:,} of its {reading.rows_read:,} rows matched no rule."
        )
    rows = [
        _tidy_row(key, figure.numerator, figure.suppressed, reading.period)
        for key, figure in figures.items()
    ]
    derived_rows = _derived_rows(figures, rules.derived, reading.period)
    reading.derived = len(derived_rows)
    reading.table = pa.Table.from_pylist(rows + derived_rows, schema=SCHEMA)
    if progress:
        progress(reading.rows_read)
    return reading


def _choose_period(period: str | None, seen: set[str], name: str) -> str:
    if period is not None:
        return normal_period(period) or period
    if len(seen) > 1:
        raise SacFileError(
            f"{name} holds several years ({', '.join(sorted(seen))}): load one year a file."
        )
    if seen:
        return seen.pop()
    from_name = period_from_name(name)
    if from_name is None:
        raise SacFileError(
            f"{name} does not say which year it is: give it with --period 2024-25 "
            "(or put the year in the file name)."
        )
    return from_name


def _geography_code(row: Mapping[str, str], rule: GeographyRule) -> str | None:
    """The ONS code of the row's place, or None when it has no usable one."""
    code = row.get(rule.code_column, "").upper() or rule.default_code
    if not code and rule.level == "la" and row.get("LA_CODE"):
        found = council_for_dfe_number(row["LA_CODE"])
        code = found.ons_code if found else None
    if not code or not _ONS_CODE.match(code):
        return None
    if rule.level == "region" and not code.startswith("E12"):
        return None
    return code


def _tidy_row(
    key: tuple[str, str, str, str, str], count: int | None, suppressed: bool, period: str
) -> dict[str, Any]:
    indicator, level, code, breakdown, category = key
    return {
        "indicator": indicator,
        "geography_level": level,
        "geography_code": code,
        "period": period,
        "breakdown": breakdown,
        "category": category,
        "numerator": None,
        "denominator": None,
        "value": None if count is None else float(count),
        "lower_ci": None,
        "upper_ci": None,
        "unit": "count",
        "suppressed": suppressed,
    }


Figures = Mapping[tuple[str, str, str, str, str], _Figure]
# Figures by indicator, level, code and breakdown, then by category.
FigureIndex = Mapping[tuple[str, str, str, str], Mapping[str, _Figure]]


def _term_sum(
    index: FigureIndex, place: tuple[str, str], terms: tuple[Term, ...]
) -> tuple[int | None, bool, bool]:
    """The sum of ``terms`` at ``place``: (total, any part suppressed, every part present)."""
    total = 0
    suppressed = False
    present = True
    for term in terms:
        by_category = index.get((term.indicator, *place, term.breakdown), {})
        if term.categories is None:
            found = list(by_category.values())
            present = present and bool(found)
        else:
            found = [by_category[c] for c in term.categories if c in by_category]
            present = present and len(found) == len(term.categories)
        for figure in found:
            if figure.suppressed or figure.numerator is None:
                suppressed = True
            else:
                total += figure.numerator
    return (None if suppressed else total), suppressed, present


def _derived_rows(
    figures: Figures, derived: tuple[DerivedPercentage, ...], period: str
) -> list[dict[str, Any]]:
    """Percentages worked out from the published counts, place by place."""
    index: dict[tuple[str, str, str, str], dict[str, _Figure]] = {}
    for (indicator, level, code, breakdown, category), figure in figures.items():
        index.setdefault((indicator, level, code, breakdown), {})[category] = figure
    places = sorted({(level, code) for (_, level, code, _, _) in figures})
    rows = []
    for percentage in derived:
        for place in places:
            numerator, num_hidden, num_present = _term_sum(index, place, percentage.numerator)
            denominator, den_hidden, den_present = _term_sum(index, place, percentage.denominator)
            suppressed = num_hidden or den_hidden
            if not (num_present and den_present) or (not suppressed and not denominator):
                continue
            value = None if suppressed else 100.0 * (numerator or 0) / (denominator or 1)
            rows.append(
                {
                    "indicator": percentage.indicator,
                    "geography_level": place[0],
                    "geography_code": place[1],
                    "period": period,
                    "breakdown": TOTAL,
                    "category": TOTAL,
                    "numerator": numerator,
                    "denominator": denominator,
                    "value": value,
                    "lower_ci": None,
                    "upper_ci": None,
                    "unit": "percent",
                    "suppressed": suppressed,
                }
            )
    return rows
