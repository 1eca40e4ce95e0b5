"""Storing a tidy indicator table in the platform with its provenance: the one way in.

The command line (``safeguarding import indicators`` and ``import benchmarks``) and the upload
page both call ``store_results``. Every row is checked first; one bad row anywhere and nothing
is stored, and the problems are reported with their row numbers. A good table is stored in one
transaction together with its provenance, and supersedes earlier figures of the same source
(see ``models``).

Row numbers are as a spreadsheet shows them: in a CSV the header is row 1, so the first figure
is row 2; in a Parquet file the first figure is row 1.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath, PureWindowsPath
from types import SimpleNamespace
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import connection, transaction

from safeguarding.catalogue import code_list
from safeguarding.web import permissions
from safeguarding.web.audit import trail
from safeguarding.web.results.models import (
    IndicatorLoad,
    IndicatorValue,
    LoadedFile,
    kinds_of_source,
)

#: A column a table may add: the figure was withheld by its publisher.
SUPPRESSED_COLUMN = "suppressed"
SUPPRESSED = "[c]"
TOTAL = "total"
MOST_PROBLEMS = 100
MOST_FIGURE = 10**15  # far above any count, rate or population, and exact as a float
BATCH = 2000

UNITS = frozenset(code.code for code in code_list("indicator_units").codes)
GEOGRAPHY_LEVELS = frozenset(code.code for code in code_list("geography_levels").codes)
KINDS = frozenset(code.code for code in code_list("indicator_load_kinds").codes)

# Hyphens for shared indicators, whose ids end in a slug.
_INDICATOR = re.compile(r"^[a-z0-9_.-]+$")
_BREAKDOWN = re.compile(r"^[a-z0-9_]+$")
_GEOGRAPHY_CODE = re.compile(r"^(?:[A-Z]\d{8}|\d{3})$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CATEGORY = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()+-]")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one cell (or one row, when ``column`` is empty)."""

    file: str
    row: int
    column: str
    value: str
    message: str


class LoadRejected(Exception):
    """Nothing was stored: the file cannot be read, or some of its rows are wrong.

    ``problems`` holds the first ``MOST_PROBLEMS`` rows at fault; ``problem_count`` all of them.
    """

    def __init__(
        self, message: str, problems: Sequence[RowProblem] = (), problem_count: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.problem_count = problem_count or len(self.problems)


@dataclass(frozen=True)
class SourceFile:
    """A file's provenance: its name (never a path), SHA-256 and size."""

    name: str
    sha256: str
    size: int

    @classmethod
    def of(cls, name: str, data: bytes) -> SourceFile:
        return cls(safe_file_name(name), hashlib.sha256(data).hexdigest(), len(data))


@dataclass
class TidyRows:
    """The rows of a tidy table with their row numbers, and what the file said about itself."""

    file: str
    rows: list[tuple[int, Mapping[str, Any]]]
    engine: str = ""
    suppressed: bool | None = None
    warnings: list[str] = field(default_factory=list)


def safe_file_name(name: str) -> str:
    """The last part of a file name a browser or a person gave, made safe to store and show."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    # Stripped again after the cut, which can leave a space or a dot at the end.
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")[:255].rstrip(" .")
    return cleaned or "unnamed"


# Reading tidy-table files ----------------------------------------------------------------------


def read_tidy_file(name: str, data: bytes) -> TidyRows:
    """The rows of a tidy table written as CSV or Parquet (``indicators adults --out``)."""
    shown = safe_file_name(name)
    if not data:
        raise LoadRejected(f"{shown} is empty.")
    suffix = shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    if suffix == "parquet" or data[:4] == b"PAR1":
        return _read_parquet(shown, data)
    if suffix != "csv":
        raise LoadRejected(f"{shown} is not a CSV or Parquet file.")
    return _read_csv(shown, data)


def _columns(found: Sequence[str], name: str) -> tuple[list[str], list[str]]:
    """The columns the table lacks and the ones it has that are not used."""
    # Imported here: the indicators package brings its engines, too heavy for Django's start.
    from safeguarding.indicators.tidy import TIDY_COLUMNS

    present = {column.strip().lower() for column in found}
    missing = [column for column in TIDY_COLUMNS if column not in present]
    extra = sorted(present - set(TIDY_COLUMNS) - {SUPPRESSED_COLUMN, ""})
    if missing:
        if len(found) == 1 and any(sep in found[0] for sep in (";", "\t", "|")):
            raise LoadRejected(f"{name} is not separated by commas. Save it as comma-separated.")
        raise LoadRejected(
            f"{name} is not a tidy indicator table: it has no column "
            f"{', '.join(missing[:4])}{' ...' if len(missing) > 4 else ''}."
        )
    return missing, extra


def _read_csv(name: str, data: bytes) -> TidyRows:
    if b"\x00" in data[:4096]:
        raise LoadRejected(f"{name} is not a CSV file (it holds binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LoadRejected(f"{name} is not in UTF-8. Save it as CSV UTF-8.") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise LoadRejected(f"{name} is empty.") from None
    except csv.Error as error:
        raise LoadRejected(f"{name} is not a readable CSV: {error}.") from None
    _, extra = _columns(header, name)
    names = [column.strip().lower() for column in header]
    rows: list[tuple[int, Mapping[str, Any]]] = []
    suppressed_seen = False
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                rows.append((number, {"__cells__": len(cells), "__header__": len(names)}))
                continue
            row = dict(zip(names, cells, strict=True))
            suppressed_seen = suppressed_seen or SUPPRESSED in cells
            rows.append((number, row))
    except csv.Error as error:
        raise LoadRejected(f"{name} is not a readable CSV: {error}.") from None
    warnings = [f"{name}: columns not used: {', '.join(extra)}."] if extra else []
    return TidyRows(name, rows, suppressed=True if suppressed_seen else None, warnings=warnings)


def _read_parquet(name: str, data: bytes) -> TidyRows:
    try:
        table = pq.read_table(io.BytesIO(data))
        # Parquet does not promise that its text is UTF-8, and reading it as Python text fails.
        table.validate(full=True)
    except (pa.ArrowException, OSError, ValueError) as error:
        if "UTF8" in str(error):
            raise LoadRejected(
                f"{name} is not a readable Parquet file: some of its text is not UTF-8."
            ) from None
        raise LoadRejected(f"{name} is not a readable Parquet file.") from None
    _, extra = _columns(table.column_names, name)
    metadata = table.schema.metadata or {}
    engine = metadata.get(b"safeguarding.engine", b"").decode("utf-8", "replace")[:20]
    said = metadata.get(b"safeguarding.suppress")
    if said is not None:
        suppressed = said.strip().lower() in (b"1", b"true", b"yes")
    else:
        # Disclosure control turns the figures into text, so that [c] can sit beside numbers.
        suppressed = pa.types.is_string(table.schema.field("value").type)
    rename = {column: column.strip().lower() for column in table.column_names}
    table = table.rename_columns([rename[c] for c in table.column_names])
    rows = [(number, row) for number, row in enumerate(table.to_pylist(), start=1)]
    warnings = [f"{name}: columns not used: {', '.join(extra)}."] if extra else []
    return TidyRows(name, rows, engine=engine, suppressed=suppressed, warnings=warnings)


def rows_of_table(table: pa.Table, file: str) -> TidyRows:
    """The rows of an Arrow tidy table (a published benchmark reader's output), from row 1."""
    _columns(table.column_names, file)
    return TidyRows(file, [(n, row) for n, row in enumerate(table.to_pylist(), start=1)])


# Checking rows ---------------------------------------------------------------------------------


class _CellError(ValueError):
    pass


def known_indicator_ids() -> frozenset[str] | None:
    """Every indicator id the platform knows (its catalogue and published benchmarks), or None
    when the catalogue cannot be read, in which case only the form of an id is checked."""
    try:
        from safeguarding.indicators.catalogue import catalogue
        from safeguarding.published.sac import published_indicator_ids

        return frozenset(spec.id for spec in catalogue().indicators) | published_indicator_ids()
    except (ImportError, OSError, KeyError, ValueError):
        return None


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _figure(value: Any, *, whole: bool) -> tuple[float | int | None, bool]:
    """A figure and whether it was withheld: empty is None, ``[c]`` is withheld."""
    if isinstance(value, bool):
        raise _CellError("is not a number")
    if isinstance(value, int):
        number: Decimal | float | int = value
    elif isinstance(value, float):
        if math.isnan(value):
            return None, False
        number = value
    else:
        text = _text(value)
        if not text:
            return None, False
        if text == SUPPRESSED:
            return None, True
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _CellError("is not a number (or [c])") from None
    if isinstance(number, Decimal | float) and not math.isfinite(number):
        raise _CellError("is not a finite number")
    # A figure this large is a mistake, and past 64 bits the database cannot store it.
    # (copy_abs, not abs: abs rounds to the decimal context, which can overflow.)
    size = number.copy_abs() if isinstance(number, Decimal) else abs(number)
    if size >= MOST_FIGURE:
        raise _CellError(f"is too large (figures are below {MOST_FIGURE:,})")
    if whole:
        if number != int(number):
            raise _CellError("is not a whole number")
        if number < 0:
            raise _CellError("cannot be negative")
        return int(number), False
    return float(number), False


def _period_ok(period: str) -> bool:
    year = _FINANCIAL_YEAR.match(period)
    if year:
        return (int(year.group(1)) + 1) % 100 == int(year.group(2))
    if _DATE.match(period):
        try:
            datetime.date.fromisoformat(period)
        except ValueError:
            return False
        return True
    return False


def _check_row(row: Mapping[str, Any], known: frozenset[str] | None) -> tuple[dict, list]:
    """The stored fields of one row, and the (column, value, message) of each problem."""
    problems: list[tuple[str, str, str]] = []
    if "__cells__" in row:
        message = f"has {row['__cells__']} cells, the header has {row['__header__']}"
        return {}, [("", "", message)]
    fields: dict[str, Any] = {}
    indicator = _text(row.get("indicator"))
    if not _INDICATOR.match(indicator) or len(indicator) > 100:
        problems.append(
            ("indicator", indicator, "is not an indicator id (such as adults.concerns)")
        )
    elif known is not None and indicator not in known:
        problems.append(("indicator", indicator, "is not an indicator the platform knows"))
    level = _text(row.get("geography_level"))
    if level not in GEOGRAPHY_LEVELS:
        problems.append(("geography_level", level, "must be la, region or england"))
    code = _text(row.get("geography_code")).upper()
    if not _GEOGRAPHY_CODE.match(code):
        problems.append(("geography_code", code, "is not an ONS code or a DfE LA number"))
    period = _text(row.get("period"))
    if not _period_ok(period):
        problems.append(("period", period, "must be a financial year (2024-25) or a date"))
    breakdown = _text(row.get("breakdown"))
    if not _BREAKDOWN.match(breakdown) or len(breakdown) > 50:
        problems.append(("breakdown", breakdown, "is not a breakdown (total, sex, age_band...)"))
    category = _text(row.get("category"))
    if not _CATEGORY.match(category):
        problems.append(("category", category, "must be total or a code of up to 100 characters"))
    elif breakdown == TOTAL and category != TOTAL:
        problems.append(("category", category, "must be total when the breakdown is total"))
    unit = _text(row.get("unit"))
    if unit not in UNITS:
        problems.append(("unit", unit, f"must be one of {', '.join(sorted(UNITS))}"))
    withheld = _truthy(row.get(SUPPRESSED_COLUMN))
    for column in ("numerator", "denominator", "value", "lower_ci", "upper_ci"):
        whole = column in ("numerator", "denominator") or (column == "value" and unit == "count")
        try:
            fields[column], hidden = _figure(row.get(column), whole=whole)
        except _CellError as error:
            problems.append((column, _text(row.get(column)), str(error)))
            continue
        withheld = withheld or hidden
    value, lower, upper = fields.get("value"), fields.get("lower_ci"), fields.get("upper_ci")
    if isinstance(value, float) and value < 0 and unit != "ratio":
        problems.append(("value", _text(row.get("value")), "cannot be negative"))
    if isinstance(value, float) and unit == "percent" and value > 100:
        problems.append(("value", _text(row.get("value")), "is a percentage over 100"))
    if lower is not None and upper is not None and lower > upper:
        problems.append(("lower_ci", _text(row.get("lower_ci")), "is above the upper limit"))
    fields.update(
        indicator=indicator,
        geography_level=level,
        geography_code=code,
        period=period,
        breakdown=breakdown,
        category=category,
        unit=unit,
        suppressed=withheld,
    )
    return fields, problems


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return _text(value).lower() in ("true", "1", "yes")


def check_rows(
    tables: Iterable[TidyRows], known: frozenset[str] | None = None
) -> tuple[list[IndicatorValue], list[RowProblem], int]:
    """Unsaved values for every row, the first problems and how many problems there are."""
    values: list[IndicatorValue] = []
    problems: list[RowProblem] = []
    count = 0
    seen: dict[tuple[str, ...], tuple[str, int]] = {}
    for table in tables:
        for number, row in table.rows:
            fields, found = _check_row(row, known)
            if not found:
                key = tuple(
                    fields[name]
                    for name in (
                        "indicator",
                        "geography_level",
                        "geography_code",
                        "period",
                        "breakdown",
                        "category",
                    )
                )
                if key in seen:
                    where = seen[key]
                    also = f"row {where[1]}" + (f" of {where[0]}" if where[0] != table.file else "")
                    found = [("", "", f"repeats the figure of {also}")]
                else:
                    seen[key] = (table.file, number)
            for column, value, message in found:
                count += 1
                if len(problems) < MOST_PROBLEMS:
                    problems.append(RowProblem(table.file, number, column, value[:80], message))
            if not found:
                values.append(IndicatorValue(**fields))
    return values, problems, count


# Storing ---------------------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def store_results(
    tables: Sequence[TidyRows],
    *,
    kind: str,
    label: str,
    files: Sequence[SourceFile],
    user: Any = None,
    username: str = "",
    via: str = "web",
    engine: str = "",
    suppressed: bool | None = None,
    notes: str = "",
    warnings: Sequence[str] = (),
    progress: Progress | None = None,
) -> IndicatorLoad:
    """Check every row of ``tables`` and store them as one load, or raise ``LoadRejected``.

    ``user`` is the signed-in person (web) and must be allowed to add indicator loads; for the
    command line it is None and ``username`` names the operating-system user.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of load {kind!r}")
    label = " ".join(label.split())[:200]
    if not label:
        raise LoadRejected("Give the load a label: what the figures are, in a few words.")
    if user is not None and not permissions.can(user, "add", "indicator_load", permissions.Scope()):
        from safeguarding.web.records.services import refuse

        raise refuse(user, "add", IndicatorLoad(kind=kind, label=label), via)
    values, problems, count = check_rows(tables, known_indicator_ids())
    if count:
        raise LoadRejected(
            f"Nothing was loaded: {count:,} problem{'s' if count != 1 else ''} in the rows.",
            problems,
            count,
        )
    if not values:
        raise LoadRejected("Nothing was loaded: the file holds no figures.")
    if suppressed is None:
        said = {table.suppressed for table in tables}
        if True in said:
            suppressed = True
        elif said == {False}:
            suppressed = False
    return store_values(
        values,
        kind=kind,
        label=label,
        files=files,
        user=user,
        username=username,
        via=via,
        engine=engine or next((t.engine for t in tables if t.engine), ""),
        suppressed=suppressed,
        notes=notes,
        warnings=[*warnings, *(w for table in tables for w in table.warnings)],
        progress=progress,
    )


def store_values(
    values: Sequence[IndicatorValue],
    *,
    kind: str,
    label: str,
    files: Sequence[SourceFile],
    user: Any = None,
    username: str = "",
    via: str = "web",
    engine: str = "",
    suppressed: bool | None = None,
    notes: str = "",
    warnings: Sequence[str] = (),
    progress: Progress | None = None,
) -> IndicatorLoad:
    """Store checked values as one load, superseding the same source's earlier figures, and
    record it in the audit trail. The caller has checked the rows and the person's right to
    store them (``store_results`` does both)."""
    name = getattr(user, "username", "") if user is not None else username
    all_warnings = list(warnings)
    total = len(values)
    with transaction.atomic():
        load = IndicatorLoad.objects.create(
            kind=kind,
            label=label,
            row_count=total,
            loaded_by=user,
            loaded_by_name=(name or "unknown")[:150],
            via=via,
            engine=engine[:20],
            suppressed=suppressed,
            notes=notes,
            warnings=all_warnings,
        )
        LoadedFile.objects.bulk_create(
            LoadedFile(load=load, name=f.name, sha256=f.sha256, size=f.size) for f in files
        )
        kinds = kinds_of_source(kind)
        # Loads of one source are made one after another, so each sees what the last stored.
        list(IndicatorLoad.objects.select_for_update().filter(kind__in=kinds, pk__lt=load.pk)[:1])
        done = 0
        for chunk in _chunks(values, BATCH):
            for value in chunk:
                value.load = load
            IndicatorValue.objects.bulk_create(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
        _supersede(load, values, kinds)
        actor = user if user is not None else SimpleNamespace(pk=None, username=f"{name} (cli)")
        trail.record(actor, load, "create", via=via, note=f"loaded {total:,} indicator values")
    refresh_statistics()
    return load


def refresh_statistics() -> None:
    """Let the database re-count the stored values after a load. Without fresh counts SQLite
    reads a dashboard's few figures through the index of every current value, a hundred times
    slower."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(IndicatorValue._meta.db_table)}")


def _supersede(load: IndicatorLoad, values: Sequence[IndicatorValue], kinds: list[str]) -> None:
    """Mark the earlier current values of the same source at the same places and years."""
    places: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for value in values:
        places[(value.indicator, value.period, value.geography_level)].add(value.geography_code)
    for (indicator, period, level), codes in places.items():
        for chunk in _chunks(sorted(codes), 500):
            IndicatorValue.objects.filter(
                load__kind__in=kinds,
                superseded_by__isnull=True,
                indicator=indicator,
                period=period,
                geography_level=level,
                geography_code__in=chunk,
            ).exclude(load=load).update(superseded_by=load)
