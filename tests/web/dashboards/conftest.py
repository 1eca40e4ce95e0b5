"""Stored indicator values for the dashboard tests: invented figures for Testbury (the shared
``world`` area, council code E09000099), England and two invented neighbours."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.web.dashboards.models import NeighbourSet
from safeguarding.web.results.models import IndicatorLoad, IndicatorValue
from tests.conftest import World

COUNCIL = "E09000099"
ENGLAND = "E92000001"
NEIGHBOURS = [
    {"code": "E06000090", "name": "Brackenford"},
    {"code": "E06000091", "name": "Eastmere"},
]
YEARS = ("2022-23", "2023-24", "2024-25")


def _value(indicator: str, code: str, period: str, **fields: Any) -> IndicatorValue:
    level = "england" if code == ENGLAND else "la"
    return IndicatorValue(
        indicator=indicator,
        geography_level=level,
        geography_code=code,
        period=period,
        breakdown=fields.pop("breakdown", "total"),
        category=fields.pop("category", "total"),
        **fields,
    )


@pytest.fixture
def figures(world: World) -> IndicatorLoad:
    """Three years of a percentage with intervals, a count with a small number, and the
    relative rate index of two ethnic groups at referral."""
    load = IndicatorLoad.objects.create(
        kind="computed",
        label="Invented figures",
        loaded_by_name="analyst",
        via="cli",
        suppressed=False,
    )
    rows = []
    for number, (period, pct) in enumerate(zip(YEARS, (24.0, 21.5, 18.2), strict=True)):
        for code, value in ((COUNCIL, pct), (ENGLAND, 22.0), ("E06000090", 20.0 + number)):
            rows.append(
                _value(
                    "children.cp_plans_subsequent_pct",
                    code,
                    period,
                    value=value,
                    numerator=int(value * 10),
                    denominator=1000,
                    lower_ci=value - 2.5,
                    upper_ci=value + 2.5,
                    unit="percent",
                )
            )
        rows.append(
            _value(
                "children.cp_plans_started",
                COUNCIL,
                period,
                value=180 + number,
                numerator=180 + number,
                unit="count",
            )
        )
        for category, count in (("NEG", 97 + number), ("PHY", 3)):
            rows.append(
                _value(
                    "children.cp_plans_started",
                    COUNCIL,
                    period,
                    value=count,
                    numerator=count,
                    unit="count",
                    breakdown="category_of_abuse",
                    category=category,
                )
            )
    for group, value, low, high in (("BLACK", 2.4, 1.8, 3.1), ("WHITE", 0.95, 0.9, 1.0)):
        rows.append(
            _value(
                "children.rri.referral",
                COUNCIL,
                "2024-25",
                value=value,
                lower_ci=low,
                upper_ci=high,
                numerator=120,
                denominator=5000,
                unit="ratio",
                breakdown="ethnic_group",
                category=group,
            )
        )
    for row in rows:
        row.load = load
    IndicatorValue.objects.bulk_create(rows)
    NeighbourSet.objects.create(area=world.area, neighbours=NEIGHBOURS, method="Chosen by hand.")
    return load
