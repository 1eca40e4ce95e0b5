"""Children's indicators, computed by the engine from generated CIN census and SSDA903 files,
load into the platform as stored values with their provenance, like the adult ones."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from safeguarding.casedata.children.cin_reader import read_cin_census
from safeguarding.casedata.children.ssda903 import read_ssda903
from safeguarding.casedata.population import read_population
from safeguarding.casedata.synth.children import synth_children
from safeguarding.indicators import disclosure
from safeguarding.indicators.children import children_case_tables
from safeguarding.indicators.children_run import children_indicators
from safeguarding.indicators.output import write_indicators
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.results.loading import (
    LoadRejected,
    SourceFile,
    read_tidy_file,
    store_results,
)
from safeguarding.web.results.models import IndicatorLoad, IndicatorValue
from tests.conftest import World
from tests.web.results.tidy_tables import row, tidy_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def childrens_table(tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    """The whole children's indicator set for two invented councils and one year."""
    out = tmp_path_factory.mktemp("children-results")
    result = synth_children(2, ["2024-25"], 11, out, scale=0.1, over_represent=["BCRB:s47:2"])
    census = [read_cin_census(path) for path in result.cin_files]
    returns = [read_ssda903(folder) for folder in result.ssda903_folders]
    population, _ = read_population(result.population)
    run = children_indicators(children_case_tables(census, returns), population)
    return run.table


def _load(path: Path, world: World) -> IndicatorLoad:
    data = path.read_bytes()
    return store_results(
        [read_tidy_file(path.name, data)],
        kind="computed",
        label="Children's indicators 2024-25",
        files=[SourceFile.of(path.name, data)],
        user=world.users["business_manager"],
    )


def test_an_exact_childrens_table_loads_with_its_provenance(
    childrens_table: pa.Table, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "children 2024-25.csv"
    write_indicators(childrens_table, path)
    load = _load(path, world)

    assert load.row_count == childrens_table.num_rows == load.values.count()
    [source] = load.files.all()
    assert source.name == "children 2024-25.csv"
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (load.kind, load.via, load.loaded_by) == (
        "computed",
        "web",
        world.users["business_manager"],
    )
    assert AuditEvent.objects.filter(object_id=str(load.pk), action="create").exists()

    stored = Counter(load.values.values_list("indicator", flat=True))
    assert stored == Counter(childrens_table.column("indicator").to_pylist())
    # Every kind of figure the children's engine writes is there: councils by their DfE LA
    # number, rates per 10,000, ratios by ethnic code and group, plans by category of abuse.
    levels = dict(load.values.values_list("geography_level", "geography_code").distinct())
    assert levels["england"] == "E92000001"
    council_codes = set(
        load.values.filter(geography_level="la").values_list("geography_code", flat=True)
    )
    assert council_codes and all(len(code) == 3 and code.isdigit() for code in council_codes)
    breakdowns = set(load.values.values_list("breakdown", flat=True))
    assert {"total", "ethnicity", "ethnic_group", "category_of_abuse"} <= breakdowns
    assert load.values.filter(unit="rate_per_10000").exists()

    # A stored ratio is exactly the engine's figure, with its interval and counts.
    first_ratio = childrens_table.filter(
        pc.and_(pc.equal(childrens_table["unit"], "ratio"), pc.is_valid(childrens_table["value"]))
    ).to_pylist()[0]
    value = load.values.get(
        indicator=first_ratio["indicator"],
        geography_level=first_ratio["geography_level"],
        geography_code=first_ratio["geography_code"],
        period=first_ratio["period"],
        breakdown=first_ratio["breakdown"],
        category=first_ratio["category"],
    )
    assert value.value == pytest.approx(first_ratio["value"], rel=1e-12)
    assert (value.lower_ci, value.upper_ci) == pytest.approx(
        (first_ratio["lower_ci"], first_ratio["upper_ci"]), rel=1e-12
    )
    assert (value.numerator, value.denominator) == (
        first_ratio["numerator"],
        first_ratio["denominator"],
    )
    assert not value.suppressed


def test_a_suppressed_childrens_parquet_loads_as_suppressed(
    childrens_table: pa.Table, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "children-published.parquet"
    write_indicators(disclosure.suppress(childrens_table), path)
    load = _load(path, world)
    assert load.suppressed is True
    assert load.row_count == childrens_table.num_rows
    # Small counts were withheld: stored as withheld, with no figure.
    withheld = load.values.filter(suppressed=True)
    assert withheld.exists()
    assert not withheld.filter(value__isnull=False, unit="count").exists()


def test_a_childrens_id_the_catalogue_does_not_know_is_refused(world: World) -> None:
    rows = [
        row(indicator="children.referrals", geography_code="202"),
        row(indicator="children.referals", geography_code="202", value=3),
    ]
    with pytest.raises(LoadRejected) as caught:
        store_results(
            [read_tidy_file("children.csv", tidy_csv(rows))],
            kind="computed",
            label="Children's indicators",
            files=[SourceFile.of("children.csv", b"x")],
            username="analyst",
            via="cli",
        )
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "indicator", "children.referals")
    assert not IndicatorValue.objects.exists()
