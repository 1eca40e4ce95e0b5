"""Storing tidy tables: checked row by row, stored in one transaction, with provenance, and
superseding earlier figures of the same source."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.exceptions import PermissionDenied

from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.results import loading
from safeguarding.web.results.loading import (
    LoadRejected,
    SourceFile,
    read_tidy_file,
    safe_file_name,
    store_results,
)
from safeguarding.web.results.models import IndicatorLoad, IndicatorValue
from tests.conftest import World
from tests.web.results.tidy_tables import COLUMNS, row, small_table, tidy_csv

pytestmark = pytest.mark.django_db


def load_csv(
    data: bytes, *, name: str = "adults.csv", kind: str = "uploaded", user: Any = None, **extra: Any
) -> IndicatorLoad:
    return store_results(
        [read_tidy_file(name, data)],
        kind=kind,
        label=extra.pop("label", "Adult indicators 2024-25"),
        files=[SourceFile.of(name, data)],
        user=user,
        username=extra.pop("username", "analyst"),
        via=extra.pop("via", "web" if user else "cli"),
        **extra,
    )


def test_a_tidy_csv_round_trips_exactly(world: World) -> None:
    load = load_csv(tidy_csv(small_table()), user=world.users["business_manager"])
    assert load.row_count == 5 == load.values.count()
    pct = load.values.get(indicator="adults.msp_asked_pct")
    assert (pct.numerator, pct.denominator, pct.unit) == (161, 203, "percent")
    # Stored as given, not rounded.
    assert pct.value == 79.31034482758621
    assert (pct.lower_ci, pct.upper_ci) == (73.2265, 84.3091)
    england = load.values.get(geography_level="england")
    assert (england.geography_code, england.value, england.numerator) == ("E92000001", 641235, None)
    assert sorted(load.values.filter(breakdown="sex").values_list("category", "value")) == [
        ("F", 700.0),
        ("M", 510.0),
    ]
    assert not load.values.filter(suppressed=True).exists()


def test_provenance_is_recorded(world: World) -> None:
    data = tidy_csv(small_table())
    manager = world.users["business_manager"]
    load = load_csv(data, name="C:\\Users\\analyst\\Desktop\\run 2.csv", user=manager)
    assert (load.kind, load.via, load.loaded_by, load.loaded_by_name) == (
        "uploaded",
        "web",
        manager,
        "manager",
    )
    assert load.loaded_at is not None
    [source] = load.files.all()
    assert source.name == "run 2.csv"
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.size == len(data)
    event = AuditEvent.objects.get(object_id=str(load.pk), action="create")
    assert event.user == manager and "5 indicator values" in event.note


def test_a_command_line_load_names_the_system_user(world: World) -> None:
    load = load_csv(tidy_csv(small_table()), kind="computed", username="jsmith", via="cli")
    assert (load.loaded_by, load.loaded_by_name, load.via) == (None, "jsmith", "cli")
    assert AuditEvent.objects.get(object_id=str(load.pk)).username == "jsmith (cli)"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\data\\figures.parquet", "figures.parquet"),
        ("<script>x</script>.csv", "script_.csv"),
        ("", "unnamed"),
        ("...", "unnamed"),
    ],
)
def test_file_names_are_names_only_and_safe(given: str, expected: str) -> None:
    assert safe_file_name(given) == expected


def test_a_bad_row_in_the_middle_loads_nothing(world: World) -> None:
    rows = small_table()
    rows.insert(2, row(breakdown="sex", category="U", value="lots"))
    with pytest.raises(LoadRejected) as caught:
        load_csv(tidy_csv(rows), user=world.users["business_manager"])
    [problem] = caught.value.problems
    # The header is row 1, so the third figure is row 4.
    assert (problem.row, problem.column, problem.value) == (4, "value", "lots")
    assert "Nothing was loaded" in caught.value.message
    assert not IndicatorLoad.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_every_problem_is_reported_at_once_with_its_row() -> None:
    rows = [
        row(),
        row(unit="people"),
        row(period="2024-26", category="F", breakdown="sex"),
        row(indicator="Adults Concerns"),
        row(indicator="adults.no_such_indicator"),
        row(geography_level="ward", breakdown="sex", category="M"),
        row(breakdown="total", category="F"),
        row(numerator="-3", unit="percent", value=50, indicator="adults.msp_asked_pct"),
        row(value=120.5, unit="percent", indicator="adults.conversion_rate"),
        row(value=12.5, breakdown="age_band", category="18-64"),
        row(geography_code="Hartlepool", breakdown="age_band", category="65-74"),
        row(period="2025-02-30", breakdown="age_band", category="75-84"),
        row(value="nan", breakdown="age_band", category="85-94"),
        row(lower_ci=9, upper_ci=3, unit="ratio", value=5, indicator="adults.concerns"),
    ]
    with pytest.raises(LoadRejected) as caught:
        load_csv(tidy_csv(rows))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (3, "unit"),
        (4, "period"),
        (5, "indicator"),
        (6, "indicator"),
        (7, "geography_level"),
        (8, "category"),
        (9, "numerator"),
        (10, "value"),
        (11, "value"),
        (12, "geography_code"),
        (13, "period"),
        (14, "value"),
        (15, "lower_ci"),
    }
    assert caught.value.problem_count == 13
    assert not IndicatorLoad.objects.exists()


def test_a_repeated_figure_is_a_problem() -> None:
    with pytest.raises(LoadRejected) as caught:
        load_csv(tidy_csv([row(), row(value=5)]))
    [problem] = caught.value.problems
    assert problem.row == 3 and "repeats the figure of row 2" in problem.message


def test_only_the_first_problems_are_kept_but_all_are_counted(monkeypatch: Any) -> None:
    monkeypatch.setattr(loading, "MOST_PROBLEMS", 3)
    rows = [row(period="1999", category=str(n), breakdown="sex") for n in range(10)]
    with pytest.raises(LoadRejected) as caught:
        load_csv(tidy_csv(rows))
    assert len(caught.value.problems) == 3
    assert caught.value.problem_count == 10
    assert "10 problems" in caught.value.message


def test_a_failure_while_storing_leaves_nothing(monkeypatch: Any) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(loading, "_supersede", broken)
    with pytest.raises(RuntimeError):
        load_csv(tidy_csv(small_table()))
    assert not IndicatorLoad.objects.exists()
    assert not IndicatorValue.objects.exists()
    assert not AuditEvent.objects.exists()


def test_suppressed_figures_are_a_flag_and_no_value() -> None:
    rows = [
        row(value="[c]"),
        row(breakdown="sex", category="F", value=5),
        row(
            indicator="adults.msp_asked_pct",
            numerator="[c]",
            denominator=20,
            value="[c]",
            lower_ci="[c]",
            upper_ci="[c]",
            unit="percent",
        ),
    ]
    load = load_csv(tidy_csv(rows))
    assert load.suppressed is True
    hidden = load.values.get(breakdown="total", indicator="adults.concerns")
    assert (hidden.value, hidden.suppressed) == (None, True)
    pct = load.values.get(indicator="adults.msp_asked_pct")
    assert (pct.numerator, pct.denominator, pct.value, pct.suppressed) == (None, 20, None, True)
    assert load.values.get(category="F").suppressed is False


def test_an_exact_csv_does_not_claim_to_know_about_suppression() -> None:
    assert load_csv(tidy_csv(small_table())).suppressed is None


def test_a_new_load_supersedes_the_same_source_at_the_same_places_and_years(
    world: World,
) -> None:
    first = load_csv(tidy_csv(small_table()), kind="computed", label="First run")
    second = load_csv(
        tidy_csv([row(value=1300), row(period="2023-24", value=1100)]),
        user=world.users["business_manager"],
        label="Corrected upload",
    )
    first_values = first.values.all()
    # The Hartlepool concerns of 2024-25 (total and breakdowns) are replaced; the rest are not.
    replaced = first_values.filter(superseded_by=second)
    assert sorted(replaced.values_list("breakdown", "category")) == [
        ("sex", "F"),
        ("sex", "M"),
        ("total", "total"),
    ]
    assert first_values.filter(superseded_by__isnull=True).count() == 2
    current = IndicatorValue.objects.current().filter(
        indicator="adults.concerns", geography_code="E06000001", period="2024-25"
    )
    assert [(v.load_id, v.value) for v in current] == [(second.pk, 1300.0)]
    # The older load is kept.
    assert IndicatorLoad.objects.filter(pk=first.pk).exists()


def test_published_figures_do_not_supersede_the_councils_own() -> None:
    own = load_csv(tidy_csv([row()]), kind="computed")
    published = load_csv(tidy_csv([row(value=1215)]), kind="published")
    assert not own.values.filter(superseded_by__isnull=False).exists()
    current = IndicatorValue.objects.current().filter(indicator="adults.concerns")
    assert {v.load_id for v in current} == {own.pk, published.pk}
    assert list(IndicatorValue.objects.current().published().values_list("value", flat=True)) == [
        1215.0
    ]
    newer = load_csv(tidy_csv([row(value=1220)]), kind="published")
    assert published.values.get().superseded_by == newer
    assert own.values.get().superseded_by is None


def test_a_manager_may_load_but_a_board_member_may_not(world: World) -> None:
    with pytest.raises(PermissionDenied):
        load_csv(tidy_csv(small_table()), user=world.users["board_member"])
    assert not IndicatorLoad.objects.exists()
    assert AuditEvent.objects.filter(action="refused", username="board").exists()
    assert load_csv(tidy_csv(small_table()), user=world.users["adults_manager"]).row_count == 5


def test_a_label_is_required() -> None:
    with pytest.raises(LoadRejected, match="label"):
        load_csv(tidy_csv(small_table()), label="   ")


def parquet(table: pa.Table, metadata: dict[bytes, bytes] | None = None) -> bytes:
    if metadata:
        table = table.replace_schema_metadata(metadata)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def exact_table() -> pa.Table:
    return pa.table(
        {
            "indicator": ["adults.concerns", "adults.msp_asked_pct"],
            "geography_level": ["la", "la"],
            "geography_code": ["E06000001", "E06000001"],
            "period": ["2024-25", "2024-25"],
            "breakdown": ["total", "total"],
            "category": ["total", "total"],
            "numerator": pa.array([None, 161], pa.int64()),
            "denominator": pa.array([None, 203], pa.int64()),
            "value": [1210.0, 79.31034482758621],
            "lower_ci": [None, 73.2],
            "upper_ci": [None, 84.3],
            "unit": ["count", "percent"],
        }
    )


def test_an_exact_parquet_table_loads_and_says_it_is_exact() -> None:
    data = parquet(exact_table(), {b"safeguarding.engine": b"duckdb"})
    load = load_csv(data, name="adults.parquet", kind="computed")
    assert (load.suppressed, load.engine, load.row_count) == (False, "duckdb", 2)
    assert load.values.get(unit="percent").value == 79.31034482758621


def test_a_suppressed_parquet_table_loads_as_suppressed() -> None:
    table = exact_table()
    for name in ("numerator", "denominator", "value", "lower_ci", "upper_ci"):
        texts = [None if v is None else str(v) for v in table[name].to_pylist()]
        texts = ["[c]" if name == "value" and i == 0 else t for i, t in enumerate(texts)]
        table = table.set_column(
            table.schema.get_field_index(name), name, pa.array(texts, pa.string())
        )
    load = load_csv(parquet(table), name="adults.parquet")
    assert load.suppressed is True
    assert load.values.get(unit="count").suppressed is True
    # Parquet rows are numbered from 1.
    bad = table.set_column(0, "indicator", pa.array(["adults.concerns", "BAD ID"]))
    with pytest.raises(LoadRejected) as caught:
        load_csv(parquet(bad), name="adults.parquet")
    assert caught.value.problems[0].row == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("adults.csv", b"", "is empty"),
        ("adults.csv", b"indicator,value\nadults.concerns,3\n", "no column geography_level"),
        ("adults.csv", ";".join(COLUMNS).encode() + b"\n", "not separated by commas"),
        ("adults.csv", "indicator,café".encode("latin-1") + b"\xff\n", "not in UTF-8"),
        ("adults.xlsx", b"PK\x03\x04rest", "not a CSV or Parquet file"),
        ("adults.parquet", b"not parquet at all", "not a readable Parquet file"),
        ("adults.csv", b"\x00\x01\x02binary", "binary"),
    ],
)
def test_files_that_are_not_tidy_tables_are_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(LoadRejected, match=message):
        load_csv(data, name=name)
    assert not IndicatorLoad.objects.exists()


def test_a_row_with_the_wrong_number_of_cells_is_a_problem() -> None:
    data = tidy_csv([row()]) + b"adults.concerns,la\n"
    with pytest.raises(LoadRejected) as caught:
        load_csv(data)
    assert caught.value.problems[0].row == 3
    assert "cells" in caught.value.problems[0].message


def test_unused_columns_are_a_warning_not_an_error() -> None:
    rows = [dict(row(), title="Concerns")]
    load = load_csv(tidy_csv(rows, [*COLUMNS, "title"]))
    assert load.row_count == 1
    assert any("title" in warning for warning in load.warnings)
