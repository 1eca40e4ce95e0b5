"""The children's catalogue gives the same rows on DuckDB, PostgreSQL and Spark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from safeguarding.casedata.children.cin_reader import read_cin_census
from safeguarding.casedata.children.ssda903 import read_ssda903
from safeguarding.casedata.population import read_population
from safeguarding.casedata.synth.children import synth_children
from safeguarding.indicators.children import (
    ChildrenCaseTables,
    children_case_tables,
    children_catalogue,
)
from safeguarding.indicators.children_run import children_indicators
from tests.indicators.parity import assert_same_rows

YEARS = ["2023-24", "2024-25"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ChildrenCaseTables, pa.Table]:
    out: Path = tmp_path_factory.mktemp("children-parity")
    # Small: at this scale some optional SSDA903 tables are header-only, read as empty tables.
    result = synth_children(2, YEARS, 20240401, out, scale=0.01, over_represent=["BCRB:s47:1.8"])
    census = [read_cin_census(path) for path in result.cin_files]
    returns = [read_ssda903(folder) for folder in result.ssda903_folders]
    population, _ = read_population(result.population)
    return children_case_tables(census, returns), population


@pytest.fixture(scope="module")
def on_duckdb(generated: tuple[ChildrenCaseTables, pa.Table]) -> pa.Table:
    tables, population = generated
    return children_indicators(tables, population, engine="duckdb").table


def test_the_generated_data_exercises_every_indicator_and_level(on_duckdb: pa.Table) -> None:
    indicators = set(on_duckdb["indicator"].to_pylist())
    assert indicators == {spec.id for spec in children_catalogue().indicators}
    assert set(on_duckdb["geography_level"].to_pylist()) == {"la", "region", "england"}
    assert set(YEARS) <= set(on_duckdb["period"].to_pylist())


def test_postgres_gives_the_same_rows(
    generated: tuple[ChildrenCaseTables, pa.Table], on_duckdb: pa.Table, postgres_url: str
) -> None:
    tables, population = generated
    run = children_indicators(tables, population, engine="postgres", database_url=postgres_url)
    assert run.engine == "postgres"
    assert_same_rows(run.table, on_duckdb)


def test_spark_gives_the_same_rows(
    generated: tuple[ChildrenCaseTables, pa.Table], on_duckdb: pa.Table, spark_session: Any
) -> None:
    tables, population = generated
    run = children_indicators(tables, population, engine="spark", spark_session=spark_session)
    assert run.engine == "spark"
    assert_same_rows(run.table, on_duckdb)
