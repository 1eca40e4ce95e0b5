"""The same catalogue gives the same rows on DuckDB, PostgreSQL and Spark."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from safeguarding.casedata.synth.adults import synth_adult_tables
from safeguarding.indicators.catalogue import catalogue
from safeguarding.indicators.run import adult_indicators
from tests.indicators.parity import assert_same_rows

YEARS = ["2022-23", "2023-24"]


@pytest.fixture(scope="module")
def generated() -> tuple[Any, pa.Table]:
    return synth_adult_tables(las=3, years=YEARS, seed=20240401, scale=0.01)


@pytest.fixture(scope="module")
def on_duckdb(generated: tuple[Any, pa.Table]) -> pa.Table:
    cases, population = generated
    return adult_indicators(cases, population, engine="duckdb").table


def test_the_generated_data_exercises_every_indicator_and_level(on_duckdb: pa.Table) -> None:
    indicators = set(on_duckdb["indicator"].to_pylist())
    assert indicators == {spec.id for spec in catalogue().with_prefix("adults.")}
    assert set(on_duckdb["geography_level"].to_pylist()) == {"la", "region", "england"}
    assert set(on_duckdb["period"].to_pylist()) == set(YEARS)


def test_postgres_gives_the_same_rows(
    generated: tuple[Any, pa.Table], on_duckdb: pa.Table, postgres_url: str
) -> None:
    cases, population = generated
    run = adult_indicators(cases, population, engine="postgres", database_url=postgres_url)
    assert run.engine == "postgres"
    assert_same_rows(run.table, on_duckdb)


def test_spark_gives_the_same_rows(
    generated: tuple[Any, pa.Table], on_duckdb: pa.Table, spark_session: Any
) -> None:
    cases, population = generated
    run = adult_indicators(cases, population, engine="spark", spark_session=spark_session)
    assert run.engine == "spark"
    assert_same_rows(run.table, on_duckdb)


def _totals(table: pa.Table) -> pa.Table:
    return table.filter(pc.equal(table["breakdown"], "total"))


@pytest.fixture(scope="module")
def totals_on_duckdb(generated: tuple[Any, pa.Table], on_duckdb: pa.Table) -> pa.Table:
    # The totals alone are counted together, in one query (run.totals_together).
    cases, population = generated
    table = adult_indicators(cases, population, engine="duckdb", breakdowns=["total"]).table
    assert_same_rows(table, _totals(on_duckdb))
    return table


def test_postgres_gives_the_same_totals(
    generated: tuple[Any, pa.Table], totals_on_duckdb: pa.Table, postgres_url: str
) -> None:
    cases, population = generated
    run = adult_indicators(
        cases, population, engine="postgres", database_url=postgres_url, breakdowns=["total"]
    )
    assert_same_rows(run.table, totals_on_duckdb)


def test_spark_gives_the_same_totals(
    generated: tuple[Any, pa.Table], totals_on_duckdb: pa.Table, spark_session: Any
) -> None:
    cases, population = generated
    run = adult_indicators(
        cases, population, engine="spark", spark_session=spark_session, breakdowns=["total"]
    )
    assert_same_rows(run.table, totals_on_duckdb)
