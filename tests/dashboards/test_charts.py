"""Charts of indicator figures: valid Vega-Lite, the same numbers in the picture and the table,
withheld figures left out of the picture, accessible titles, axes, colours and shapes."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from typing import Any

import altair as alt
import pytest

from safeguarding.dashboards import charts
from safeguarding.dashboards.charts import (
    DARK_BLUE,
    ORANGE,
    Chart,
    breakdown_chart,
    comparison_chart,
    rri_chart,
    trend_chart,
)
from safeguarding.dashboards.figures import Figure, IndicatorFigures, Place
from safeguarding.dashboards.labels import category_label, format_number, unit_label
from safeguarding.indicators.catalogue import catalogue

LARKHAVEN = Place("E06000097", "Larkhaven", "la", "council")
ENGLAND = Place("E92000001", "England", "england", "england")
SOUTH_WEST = Place("E12000009", "South West", "region", "region")
NEIGHBOURS = (
    Place("E06000098", "Eastmere", "la", "neighbour"),
    Place("E06000099", "Kestrel Vale", "la", "neighbour"),
    Place("E06000096", "Oakbridge", "la", "neighbour"),
    Place("E06000095", "Harrowfield", "la", "neighbour"),
)
PERIODS = ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25")
WITHHELD_PERIOD = "2022-23"
STAGES = ("referral", "assessment", "s47", "cp_plan", "cla")
GROUPS = ("WHITE", "MIXED", "ASIAN", "BLACK", "OTHER")


def _figure(
    indicator: str,
    place: Place,
    period: str,
    value: float,
    *,
    unit: str = "percent",
    margin: float | None = 2.0,
    breakdown: str = "total",
    category: str = "total",
    suppressed: bool = False,
) -> Figure:
    return Figure(
        indicator=indicator,
        place=place,
        period=period,
        breakdown=breakdown,
        category=category,
        value=None if suppressed else value,
        unit=unit,
        numerator=None if suppressed else round(value),
        denominator=None if suppressed else 100,
        lower_ci=None if suppressed or margin is None else value - margin,
        upper_ci=None if suppressed or margin is None else value + margin,
        suppressed=suppressed,
    )


def _outcomes() -> IndicatorFigures:
    """Five years of a percentage for Larkhaven (one year withheld) and its comparators, and
    one year broken down by age band."""
    spec = catalogue().get("adults.msp_asked_pct")
    found: list[Figure] = []
    # Given newest first: the charts must put the periods in time order themselves.
    for index, period in reversed(list(enumerate(PERIODS))):
        found.append(
            _figure(spec.id, LARKHAVEN, period, 80 + index, suppressed=period == WITHHELD_PERIOD)
        )
        found.append(_figure(spec.id, ENGLAND, period, 81 + index / 4, margin=0.3))
        found.append(_figure(spec.id, SOUTH_WEST, period, 79 + index / 2, margin=0.8))
        for rank, neighbour in enumerate(NEIGHBOURS):
            found.append(_figure(spec.id, neighbour, period, 75 + 3 * rank + index))
    for rank, band in enumerate(("18-64", "65-74", "75-84", "85+")):
        found.append(
            _figure(
                spec.id,
                LARKHAVEN,
                "2024-25",
                70 + 5 * rank,
                breakdown="age_band",
                category=band,
                suppressed=band == "75-84",
            )
        )
        found.append(
            _figure(
                spec.id,
                ENGLAND,
                "2024-25",
                72 + 4 * rank,
                margin=0.3,
                breakdown="age_band",
                category=band,
            )
        )
    return IndicatorFigures(spec, LARKHAVEN, tuple(found), PERIODS)


def _concerns() -> IndicatorFigures:
    """A count: England's and the region's are far larger than any council's."""
    spec = catalogue().get("adults.concerns")
    found = [
        _figure(spec.id, place, period, value, unit="count", margin=None)
        for period in PERIODS[-2:]
        for place, value in (
            (LARKHAVEN, 1200.0),
            (ENGLAND, 600000.0),
            (SOUTH_WEST, 70000.0),
            (NEIGHBOURS[0], 1100.0),
        )
    ]
    return IndicatorFigures(spec, LARKHAVEN, tuple(found), PERIODS[-2:])


def _rri(prefix: str = "children.rri.") -> list[IndicatorFigures]:
    """The relative rate index of each broad ethnic group at each stage, for one year."""
    stages = []
    for step, stage in enumerate(STAGES):
        spec = catalogue().get(prefix + stage)
        found = []
        for group, base in zip(GROUPS, (1.0, 1.4, 0.6, 2.1, 0.9), strict=True):
            value = base * (1 + step / 10)
            suppressed = group == "OTHER" and stage == "cla"
            if group == "MIXED" and stage == "cla":
                value = 0.0  # no child of the group started to be looked after
            found.append(
                Figure(
                    spec.id,
                    LARKHAVEN,
                    "2024-25",
                    "ethnic_group",
                    group,
                    None if suppressed else value,
                    "ratio",
                    lower_ci=None if suppressed or not value else value / 1.3,
                    upper_ci=None if suppressed or not value else value * 1.3,
                    suppressed=suppressed,
                )
            )
        stages.append(IndicatorFigures(spec, LARKHAVEN, tuple(found), ("2024-25",)))
    return stages


@pytest.fixture(scope="module")
def outcomes() -> IndicatorFigures:
    return _outcomes()


@pytest.fixture(scope="module")
def trend(outcomes: IndicatorFigures) -> Chart:
    return trend_chart(outcomes)


@pytest.fixture(scope="module")
def comparison(outcomes: IndicatorFigures) -> Chart:
    return comparison_chart(outcomes, "2024-25")


@pytest.fixture(scope="module")
def by_age(outcomes: IndicatorFigures) -> Chart:
    return breakdown_chart(outcomes, "age_band", "2024-25")


@pytest.fixture(scope="module")
def rri() -> Chart:
    return rri_chart(_rri(), "2024-25")


# Helpers reading a spec --------------------------------------------------------------------


def _data(chart: Chart) -> list[dict[str, Any]]:
    return chart.spec["data"]["values"]


def _layers(chart: Chart) -> list[dict[str, Any]]:
    return chart.spec["layer"]


def _encodings(chart: Chart, channel: str) -> list[dict[str, Any]]:
    return [layer["encoding"][channel] for layer in _layers(chart) if channel in layer["encoding"]]


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _column(chart: Chart, heading: str) -> int:
    return chart.table.headings.index(heading)


def _valid(chart: Chart) -> None:
    alt.LayerChart.from_dict(chart.spec, validate=True)


# Every chart -------------------------------------------------------------------------------


def test_every_chart_is_valid_vega_lite(
    trend: Chart, comparison: Chart, by_age: Chart, rri: Chart
) -> None:
    for chart in (trend, comparison, by_age, rri):
        _valid(chart)
        assert chart.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")


def test_every_chart_has_a_title_a_description_and_readable_fonts(
    trend: Chart, comparison: Chart, by_age: Chart, rri: Chart
) -> None:
    for chart in (trend, comparison, by_age, rri):
        assert chart.spec["title"]["text"] == chart.title
        assert chart.spec["description"] == chart.description
        assert chart.spec["config"]["font"].startswith("Arial")
        sizes = [v for k, v in _walk(chart.spec) if k.lower().endswith("fontsize")]
        assert sizes and min(sizes) >= 12
        assert chart.spec["width"] == charts.WIDTH


def test_every_chart_titles_its_axes(
    trend: Chart, comparison: Chart, by_age: Chart, rri: Chart
) -> None:
    def titles(chart: Chart) -> set[str]:
        return {
            encoding["axis"]["title"]
            for channel in ("x", "y")
            for encoding in _encodings(chart, channel)
            if isinstance(encoding.get("axis"), dict) and encoding["axis"].get("title")
        }

    assert titles(trend) == {"Year", unit_label("percent")}
    assert titles(comparison) == {"Area", unit_label("percent")}
    assert titles(by_age) == {"Age band", unit_label("percent")}
    assert titles(rri) == {"Broad ethnic group", unit_label("ratio")}


def test_only_the_marks_that_plot_a_figure_are_labelled_with_it(
    trend: Chart, comparison: Chart, by_age: Chart, rri: Chart
) -> None:
    for chart in (trend, comparison, by_age, rri):
        labelled = []
        for layer in _layers(chart):
            mark = layer["mark"]
            if mark["type"] in ("point", "tick"):
                assert layer["encoding"]["description"] == {
                    "field": "value_text",
                    "type": "nominal",
                }
                labelled.append(mark["type"])
            else:
                # Rules, lines and text would otherwise get Vega's own labels, which no
                # table holds.
                assert mark.get("aria") is False, (chart.title, mark)
                assert "description" not in layer.get("encoding", {})
        assert "point" in labelled
    assert all(d["value_text"] for chart in (trend, comparison, by_age, rri) for d in _data(chart))


def test_raw_rows_carry_every_download_column(trend: Chart, rri: Chart) -> None:
    keys = {key for key, _ in charts.DOWNLOAD_COLUMNS}
    for chart in (trend, rri):
        assert chart.table.raw_rows
        assert all(set(row) == keys for row in chart.table.raw_rows)
        assert len(chart.table.numeric) == len(chart.table.headings)
        assert all(len(row) == len(chart.table.headings) for row in chart.table.rows)


# Trend -------------------------------------------------------------------------------------


def test_trend_puts_the_periods_in_time_order(trend: Chart) -> None:
    (domain,) = {tuple(x["scale"]["domain"]) for x in _encodings(trend, "x") if "scale" in x}
    assert domain == PERIODS
    assert [row[0] for row in trend.table.rows] == list(PERIODS)


def test_trend_plots_exactly_the_numbers_its_table_shows(trend: Chart) -> None:
    by_period = {row[0]: row for row in trend.table.rows}
    for datum in _data(trend):
        cell = by_period[datum["period"]][_column(trend, datum["series"])]
        assert format_number(datum["value"], "percent") == cell == datum["value_text"]
    value_columns = [_column(trend, name) for name in ("Larkhaven", "South West", "England")]
    value_columns.append(_column(trend, charts.NEIGHBOURS_MEDIAN))
    shown = [row[i] for row in trend.table.rows for i in value_columns if row[i] != "[c]"]
    assert len(shown) == len(_data(trend))


def test_trend_leaves_withheld_figures_out_of_the_picture(trend: Chart) -> None:
    plotted = {(d["series"], d["period"]) for d in _data(trend)}
    assert ("Larkhaven", WITHHELD_PERIOD) not in plotted
    assert ("England", WITHHELD_PERIOD) in plotted
    row = next(r for r in trend.table.rows if r[0] == WITHHELD_PERIOD)
    assert row[1:4] == ("[c]", "[c]", "[c]")
    withheld = [r for r in trend.table.raw_rows if r["suppressed"]]
    assert [(r["place"], r["period"], r["value"]) for r in withheld] == [
        ("Larkhaven", WITHHELD_PERIOD, None)
    ]
    assert "withheld" in trend.description


def test_trend_shows_the_neighbours_median(trend: Chart, outcomes: IndicatorFigures) -> None:
    values = [f.value for f in outcomes.select(role="neighbour", period="2024-25")]
    median = next(
        d
        for d in _data(trend)
        if d["series"] == charts.NEIGHBOURS_MEDIAN and d["period"] == "2024-25"
    )
    assert median["value"] == statistics.median(values)


def test_trend_tells_series_apart_by_colour_shape_and_dash(trend: Chart) -> None:
    (colour,) = {tuple(c["scale"]["range"]) for c in _encodings(trend, "color") if "scale" in c}
    (shape,) = [s["scale"]["range"] for s in _encodings(trend, "shape")]
    (dash,) = [s["scale"]["range"] for s in _encodings(trend, "strokeDash")]
    assert colour[:3] == (DARK_BLUE, charts.TURQUOISE, ORANGE)
    assert len(set(colour)) == len(set(shape)) == len(colour) == 4
    assert dash[0] == [] and all(dash[1:]) and len({tuple(d) for d in dash}) == 4


def test_trend_draws_the_councils_interval(trend: Chart) -> None:
    rule = next(layer for layer in _layers(trend) if layer["mark"]["type"] == "rule")
    assert rule["encoding"]["y"]["field"] == "lower_ci"
    assert rule["encoding"]["y2"]["field"] == "upper_ci"
    assert "council" in rule["transform"][0]["filter"]


def test_trend_description_gives_the_first_and_last_values(trend: Chart) -> None:
    assert trend.description.startswith(
        "Line chart of people asked about the outcomes they wanted in Larkhaven "
        "from 2020-21 to 2024-25, rising from 80.0% to 84.0%"
    )
    assert "England 82.0%" in trend.description
    assert "South West 81.0%" in trend.description


def test_trend_of_a_count_leaves_out_england_and_the_region() -> None:
    chart = trend_chart(_concerns())
    assert {d["series"] for d in _data(chart)} == {"Larkhaven"}
    assert chart.table.headings == ("Year", "Larkhaven")
    assert [row[1] for row in chart.table.rows] == ["1,200", "1,200"]
    assert charts.COUNTS_NOTE in chart.spec["title"]["subtitle"]


# Comparison --------------------------------------------------------------------------------


def test_comparison_orders_the_places_and_highlights_the_council(comparison: Chart) -> None:
    names = [row[0] for row in comparison.table.rows]
    assert names == [
        "Harrowfield",
        "Oakbridge",
        "Larkhaven",
        "Kestrel Vale",
        "Eastmere",
        "South West",
        "England",
    ]
    (y,) = {str(e["scale"]["domain"]) for e in _encodings(comparison, "y")}
    assert y == str(names)
    weight = _encodings(comparison, "y")[0]["axis"]["labelFontWeight"]["expr"]
    assert '"Larkhaven"' in weight and "bold" in weight
    (colour,) = [c["scale"] for c in _encodings(comparison, "color")]
    assert dict(zip(colour["domain"], colour["range"], strict=True))["Larkhaven"] == DARK_BLUE
    (shape,) = [s["scale"] for s in _encodings(comparison, "shape")]
    assert len(set(shape["range"])) == len(shape["range"]) == 4


def test_comparison_plots_exactly_the_numbers_its_table_shows(comparison: Chart) -> None:
    rows = {row[0]: row for row in comparison.table.rows}
    assert len(_data(comparison)) == len(rows)
    for datum in _data(comparison):
        row = rows[datum["place"]]
        assert row[1] == format_number(datum["value"], "percent")
        assert row[2] == format_number(datum["lower_ci"], "percent")
        assert row[3] == format_number(datum["upper_ci"], "percent")


def test_comparison_with_the_council_withheld(outcomes: IndicatorFigures) -> None:
    chart = comparison_chart(outcomes, WITHHELD_PERIOD)
    assert "Larkhaven" not in {d["place"] for d in _data(chart)}
    assert next(r for r in chart.table.rows if r[0] == "Larkhaven")[1:] == ("[c]",) * 3
    assert "Larkhaven's figure is withheld" in chart.description
    # The council keeps its row on the axis, empty, so the reader sees it is missing.
    assert "Larkhaven" in _encodings(chart, "y")[0]["scale"]["domain"]


def test_comparison_description(comparison: Chart) -> None:
    assert "Larkhaven 84.0%, England 82.0% and South West 81.0%" in comparison.description
    assert "range from 79.0% to 88.0%" in comparison.description
    assert "withheld" not in comparison.description


# Breakdown ---------------------------------------------------------------------------------


def test_breakdown_labels_the_categories_and_matches_its_table(by_age: Chart) -> None:
    labels = [category_label("age_band", band) for band in ("18-64", "65-74", "75-84", "85+")]
    assert [row[0] for row in by_age.table.rows] == labels
    assert by_age.table.headings == (
        "Age band",
        "Larkhaven",
        "Larkhaven: lower limit",
        "Larkhaven: upper limit",
        "England",
    )
    rows = {row[0]: row for row in by_age.table.rows}
    for datum in _data(by_age):
        column = 1 if datum["series"] == "Larkhaven" else 4
        assert rows[datum["category"]][column] == format_number(datum["value"], "percent")


def test_breakdown_leaves_the_withheld_category_out(by_age: Chart) -> None:
    withheld = category_label("age_band", "75-84")
    plotted = {(d["series"], d["category"]) for d in _data(by_age)}
    assert ("Larkhaven", withheld) not in plotted
    assert ("England", withheld) in plotted
    assert next(r for r in by_age.table.rows if r[0] == withheld)[1] == "[c]"
    assert "withheld" in by_age.description


def test_breakdown_marks_england_with_a_tick(by_age: Chart) -> None:
    tick = next(layer for layer in _layers(by_age) if layer["mark"]["type"] == "tick")
    assert '"England"' in tick["transform"][0]["filter"]
    assert tick["encoding"]["color"]["scale"]["range"] == [DARK_BLUE, ORANGE]
    assert by_age.description.startswith(
        "Chart of people asked about the outcomes they wanted in Larkhaven by age band in "
        "2024-25, for 3 groups: highest 85"
    )


# Relative rate index -----------------------------------------------------------------------


def test_rri_uses_a_log_scale_with_a_rule_at_one(rri: Chart) -> None:
    scales = [x["scale"] for x in _encodings(rri, "x") if "scale" in x]
    assert scales and all(scale["type"] == "log" for scale in scales)
    low, high = scales[0]["domain"]
    assert low <= 1 <= high
    reference = [
        layer
        for layer in _layers(rri)
        if layer["mark"]["type"] == "rule" and layer["encoding"]["x"]["field"] == "reference"
    ]
    assert len(reference) == 1
    assert reference[0]["data"]["values"][0]["reference"] == 1.0


def test_rri_names_the_stages_from_their_titles(rri: Chart) -> None:
    (colour,) = [c["scale"] for c in _encodings(rri, "color") if "scale" in c][:1]
    assert colour["domain"] == [
        "Referral",
        "Assessment",
        "Section 47 enquiry",
        "Child protection plan",
        "Starting to be looked after",
    ]
    assert len(set(colour["range"])) == 5
    (shape,) = [s["scale"] for s in _encodings(rri, "shape")]
    assert len(set(shape["range"])) == 5
    assert "against the population" in rri.title


def test_rri_stage_to_stage_keeps_each_stages_comparison() -> None:
    chart = rri_chart(_rri("children.stage_rri."), "2024-25")
    _valid(chart)
    domain = _encodings(chart, "color")[0]["scale"]["domain"]
    assert domain[1] == "Assessment, against referral"
    assert "stage to stage" in chart.title


def test_rri_plots_the_table_and_leaves_out_what_a_log_scale_cannot_show(rri: Chart) -> None:
    assert len(rri.table.rows) == len(GROUPS) * len(STAGES)
    rows = {(row[0], row[1]): row for row in rri.table.rows}
    for datum in _data(rri):
        assert rows[(datum["category"], datum["stage"])][2] == format_number(
            datum["value"], "ratio"
        )
    plotted = {(d["category"], d["stage"]) for d in _data(rri)}
    other, mixed = category_label("ethnic_group", "OTHER"), category_label("ethnic_group", "MIXED")
    cla = "Starting to be looked after"
    assert (other, cla) not in plotted and rows[(other, cla)][2] == "[c]"
    assert (mixed, cla) not in plotted and rows[(mixed, cla)][2] == "0.00"
    assert len(plotted) == len(rri.table.rows) - 2


def test_rri_description_says_where_the_index_is_significant(rri: Chart) -> None:
    black = category_label("ethnic_group", "BLACK")
    asian = category_label("ethnic_group", "ASIAN")
    assert f"{black} at referral, assessment" in rri.description
    assert "Significantly below 1: " + asian in rri.description
    assert "withheld" in rri.description


def test_rri_needs_a_stage() -> None:
    with pytest.raises(ValueError, match="at least one stage"):
        rri_chart([], "2024-25")
