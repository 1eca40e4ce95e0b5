"""Charts of indicator figures as Vega-Lite specs (built with Altair), each with its title, a
text alternative and a table of its data.

Each builder picks one list of figures and makes the chart's data, its table and its
description from that list, so that the picture, the table beside it and the download cannot
disagree. Suppressed figures are left out of the picture and shown as ``[c]`` in the table.

Style, for readers who see no colour or only grey: a small fixed set of the Government
Statistical Service's accessible colours, and every series also told apart by its point shape
and, for lines, its dash; Arial (or its metric twin Liberation Sans) at 12 px or more.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from safeguarding.dashboards.figures import Figure, IndicatorFigures, Place, period_order
from safeguarding.dashboards.labels import (
    NO_FIGURE,
    breakdown_title,
    category_label,
    format_number,
    format_value,
    period_label,
    period_phrase,
    unit_label,
)
from safeguarding.indicators.disclosure import SUPPRESSED

#: The Government Statistical Service's accessible categorical palette.
DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
LIGHT_PURPLE = "#A285D1"
TEXT_COLOUR = "#0B0C0C"
#: Arial where the reader has it; Liberation Sans has the same widths, for the server's drawings.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
WIDTH = 600
ROW_HEIGHT = 28
LABEL_LIMIT = 280
NEIGHBOURS_MEDIAN = "Statistical neighbours (median)"
NEIGHBOURS = "Statistical neighbours"
INTERVAL_NOTE = "Lines through the points show the 95% confidence interval."
COUNTS_NOTE = "Counts grow with the population, so they are not set beside England or the region."
WITHHELD_NOTE = (
    f"Some figures are withheld to protect people's privacy: the table shows them as {SUPPRESSED}."
)
#: England's legend symbol: a filled upright bar, as a legend symbol is filled and a bare line
#: would not show.
ENGLAND_TICK_SYMBOL = "M-0.2,-1L0.2,-1L0.2,1L-0.2,1Z"
SAME_RATE = "Same rate"

# Several neighbours with a figure are needed before their middle value says anything.
_MEDIAN_MINIMUM = 3
_FINANCIAL_YEAR = re.compile(r"^\d{4}-\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RRI_PREFIX = "relative rate index of "
_STAGE_COLOURS = (DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE)
_STAGE_SHAPES = ("circle", "square", "triangle-up", "diamond", "triangle-down", "cross")


@dataclass(frozen=True)
class SeriesStyle:
    """How one line or group of points is drawn."""

    colour: str
    shape: str
    dash: tuple[int, ...]


#: The style of each kind of place; the council's line is solid, the others' dashed.
STYLES = {
    "council": SeriesStyle(DARK_BLUE, "circle", ()),
    "region": SeriesStyle(TURQUOISE, "square", (6, 3)),
    "england": SeriesStyle(ORANGE, "triangle-up", (2, 2)),
    "neighbour": SeriesStyle(DARK_GREY, "diamond", (8, 4)),
}

#: The columns of a chart's data as a download: (key of each raw row, heading).
DOWNLOAD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("indicator", "Indicator"),
    ("place_code", "Area code"),
    ("place", "Area"),
    ("period", "Period"),
    ("breakdown", "Breakdown"),
    ("category", "Category"),
    ("value", "Value"),
    ("lower_ci", "Lower confidence limit"),
    ("upper_ci", "Upper confidence limit"),
    ("numerator", "Numerator"),
    ("denominator", "Denominator"),
    ("unit", "Unit"),
    ("suppressed", "Suppressed"),
)


@dataclass(frozen=True)
class DataTable:
    """The table of a chart's data, as it is shown beside the chart and downloaded.

    ``rows`` are display strings, one tuple per row in the order of ``headings``;
    ``numeric`` says which columns hold numbers (to align them right). ``raw_rows`` are the same
    figures unformatted, one dict per figure with the keys of ``download_columns``.
    """

    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    raw_rows: tuple[dict[str, Any], ...]
    numeric: tuple[bool, ...] = ()
    download_columns: tuple[tuple[str, str], ...] = DOWNLOAD_COLUMNS


@dataclass(frozen=True)
class Chart:
    """A chart: its Vega-Lite spec, its title, a text alternative and its data table."""

    title: str
    spec: dict[str, Any]
    description: str
    table: DataTable


# Figures and cells -------------------------------------------------------------------------


def _finite(value: float | None) -> float | None:
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return float(value)


def _plotted(figure: Figure | None) -> bool:
    """Whether a figure has a value the chart can show."""
    return figure is not None and not figure.suppressed and _finite(figure.value) is not None


def _interval(figure: Figure) -> tuple[float, float] | None:
    lower, upper = _finite(figure.lower_ci), _finite(figure.upper_ci)
    if figure.suppressed or lower is None or upper is None:
        return None
    return lower, upper


def value_cell(figure: Figure | None, unit: str) -> str:
    """A figure's value as its table shows it: the number, ``[c]`` or "no figure"."""
    if figure is None:
        return NO_FIGURE
    if figure.suppressed:
        return SUPPRESSED
    return format_number(_finite(figure.value), unit) or NO_FIGURE


def limit_cell(figure: Figure | None, limit: float | None, unit: str) -> str:
    """One confidence limit as its table shows it: the number, ``[c]`` or empty."""
    if figure is None:
        return ""
    if figure.suppressed:
        return SUPPRESSED
    return format_number(_finite(limit), unit)


def raw_row(figure: Figure) -> dict[str, Any]:
    """A figure as a row of the download: numbers unformatted, None where withheld."""
    withheld = figure.suppressed
    return {
        "indicator": figure.indicator,
        "place_code": figure.place.code,
        "place": figure.place.name,
        "period": figure.period,
        "breakdown": figure.breakdown,
        "category": figure.category,
        "value": None if withheld else _finite(figure.value),
        "lower_ci": None if withheld else _finite(figure.lower_ci),
        "upper_ci": None if withheld else _finite(figure.upper_ci),
        "numerator": None if withheld else figure.numerator,
        "denominator": None if withheld else figure.denominator,
        "unit": figure.unit,
        "suppressed": withheld,
    }


def _datum(figure: Figure, series: str, **extra: Any) -> dict[str, Any]:
    """One point of a chart's data: the figure's value and interval, and how it is labelled."""
    interval = _interval(figure)
    return {
        "series": series,
        "role": figure.place.role,
        "place": figure.place.name,
        "place_code": figure.place.code,
        "period": period_label(figure.period),
        "value": _finite(figure.value),
        "lower_ci": interval[0] if interval else None,
        "upper_ci": interval[1] if interval else None,
        "value_text": format_number(_finite(figure.value), figure.unit),
        **extra,
    }


def _any_withheld(figures: Sequence[Figure | None]) -> bool:
    return any(figure is not None and figure.suppressed for figure in figures)


def _any_interval(figures: Sequence[Figure | None]) -> bool:
    return any(figure is not None and _interval(figure) is not None for figure in figures)


# Words -------------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    """``text`` with a capital first letter lowered, unless it starts an abbreviation."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def comparable_across_places(unit: str) -> bool:
    """Whether figures of ``unit`` can be set beside England's and the region's: a count
    cannot, as it grows with the population."""
    return unit != "count"


def _prose_name(name: str, role: str) -> str:
    """A series as a sentence names it."""
    if role == "neighbour":
        return (
            "the median of its statistical neighbours"
            if name == NEIGHBOURS_MEDIAN
            else ("its statistical neighbours")
        )
    return name


def _period_axis_title(periods: Sequence[str]) -> str:
    if periods and all(_FINANCIAL_YEAR.match(p) for p in periods):
        return "Year"
    if periods and all(_DATE.match(p) for p in periods):
        return "Date"
    return "Period"


def _sentence(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _listed(items: Sequence[str]) -> str:
    """Items joined as prose: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# Style -------------------------------------------------------------------------------------


#: Whether each spec is checked against the Vega-Lite schema as it is made. The checks take
#: most of the time of building a chart, and the specs are the same few shapes with different
#: data, so the tests check every shape (``validate_specs``) and pages do not.
VALIDATE = False


def _spec(chart: Any) -> dict[str, Any]:
    return chart.to_dict(validate=VALIDATE)


def _styled(chart: alt.TopLevelMixin, title: str, subtitle: Sequence[str], description: str) -> Any:
    """Title, fonts and sizes shared by every chart; each line of ``subtitle`` on its own."""
    lines = [line for line in subtitle if line]
    return (
        chart.properties(
            title=alt.TitleParams(text=title, subtitle=lines or alt.Undefined),
            description=description,
        )
        .configure(font=FONT, background="white")
        .configure_title(
            fontSize=17,
            subtitleFontSize=13,
            anchor="start",
            color=TEXT_COLOUR,
            subtitleColor=TEXT_COLOUR,
            offset=12,
        )
        .configure_axis(
            labelFontSize=12,
            titleFontSize=13,
            labelColor=TEXT_COLOUR,
            titleColor=TEXT_COLOUR,
            titleFontWeight="bold",
            labelLimit=LABEL_LIMIT,
            # The title sits beyond the labels only up to this far out: room for the longest.
            maxExtent=LABEL_LIMIT + 20,
            gridColor="#DDDDDD",
        )
        .configure_legend(
            labelFontSize=12,
            titleFontSize=13,
            labelColor=TEXT_COLOUR,
            titleColor=TEXT_COLOUR,
            orient="bottom",
            direction="horizontal",
            symbolSize=90,
            symbolStrokeWidth=2,
            labelLimit=300,
        )
        .configure_text(fontSize=12, color=TEXT_COLOUR)
        .configure_view(stroke=None)
    )


def _scale(domain: Sequence[str], values: Sequence[Any]) -> alt.Scale:
    return alt.Scale(domain=list(domain), range=list(values))


def _value_axis(unit: str, **extra: Any) -> alt.Axis:
    return alt.Axis(title=unit_label(unit), format=",", **extra)


def _chart_data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)


def _value_description() -> alt.Description:
    """Each mark that plots a figure carries the figure as its table writes it: the drawing
    keeps it (as ``data-value``), so a test can check the picture against the table."""
    return alt.Description("value_text:N")


# Trend -------------------------------------------------------------------------------------


def _neighbours_median(figures: IndicatorFigures, period: str) -> Figure | None:
    """The middle of the neighbours' figures for one period, as a figure of its own."""
    neighbours = figures.select(role="neighbour", period=period)
    values = [figure.value for figure in neighbours if _plotted(figure)]
    if not neighbours:
        return None
    median = statistics.median(values) if len(values) >= _MEDIAN_MINIMUM else None
    return Figure(
        indicator=figures.spec.id,
        place=Place(code="", name=NEIGHBOURS_MEDIAN, level="neighbours", role="neighbour"),
        period=period,
        breakdown="total",
        category="total",
        value=median,
        unit=figures.spec.unit,
    )


def _first_place(figures: IndicatorFigures, role: str) -> Place | None:
    for figure in figures.figures:
        if figure.place.role == role:
            return figure.place
    return None


def _periods(figures: IndicatorFigures) -> tuple[str, ...]:
    return figures.periods or period_order(f.period for f in figures.figures)


def trend_chart(figures: IndicatorFigures) -> Chart:
    """The council's figure over every period, with England, its region and the median of its
    statistical neighbours for comparison, and the council's confidence intervals."""
    spec, council, unit = figures.spec, figures.council, figures.spec.unit
    periods = _periods(figures)
    region, england = _first_place(figures, "region"), _first_place(figures, "england")

    # (series name, role, figure for each period): the one list the chart and table share.
    series: list[tuple[str, str, list[Figure | None]]] = [
        (council.name, "council", [figures.total(council.code, p) for p in periods])
    ]
    comparable = comparable_across_places(unit)
    if region is not None and comparable:
        series.append((region.name, "region", [figures.total(region.code, p) for p in periods]))
    if england is not None and comparable:
        series.append((england.name, "england", [figures.total(england.code, p) for p in periods]))
    medians = [_neighbours_median(figures, p) for p in periods]
    if comparable and any(m is not None for m in medians):
        series.append((NEIGHBOURS_MEDIAN, "neighbour", medians))

    rows = [
        _datum(figure, name)
        for name, _, line in series
        for figure in line
        if figure is not None and _plotted(figure)
    ]
    names = [name for name, _, _ in series]
    # The legend lists only the lines drawn; the table keeps a column for every series.
    drawn = [(name, role) for name, role, line in series if any(_plotted(f) for f in line)]
    drawn_names = [name for name, _ in drawn] or names[:1]
    styles = [STYLES[role] for _, role in drawn] or [STYLES["council"]]
    period_labels = [period_label(p) for p in periods]
    short = all(len(label) <= 8 for label in period_labels) or len(periods) <= 4

    x = alt.X(
        "period:O",
        sort=period_labels,
        scale=alt.Scale(domain=period_labels),
        axis=alt.Axis(title=_period_axis_title(periods), labelAngle=0 if short else -45),
    )
    y = alt.Y("value:Q", axis=_value_axis(unit), scale=alt.Scale(zero=unit == "count"))
    colour = alt.Color(
        "series:N",
        scale=_scale(drawn_names, [s.colour for s in styles]),
        legend=alt.Legend(title=None),
    )
    base = alt.Chart()
    lines = base.mark_line(strokeWidth=2.5, aria=False).encode(
        x=x,
        y=y,
        color=colour,
        strokeDash=alt.StrokeDash(
            "series:N", scale=_scale(drawn_names, [list(s.dash) for s in styles]), legend=None
        ),
    )
    points = base.mark_point(filled=True, size=80, opacity=1).encode(
        x=x,
        y=y,
        color=colour,
        description=_value_description(),
        shape=alt.Shape(
            "series:N",
            scale=_scale(drawn_names, [s.shape for s in styles]),
            legend=alt.Legend(title=None),
        ),
    )
    intervals = (
        base.mark_rule(strokeWidth=1.5, color=DARK_BLUE, aria=False)
        .encode(x=x, y=alt.Y("lower_ci:Q"), y2=alt.Y2("upper_ci:Q"))
        .transform_filter("datum.role == 'council' && isValid(datum.lower_ci)")
    )

    own = series[0][2]
    has_interval = _any_interval(own)
    layers = [intervals, lines, points] if has_interval else [lines, points]
    title = spec.title
    comparators = [_prose_name(name, role) for name, role, _ in series[1:]]
    subtitle = [
        f"{council.name}"
        + (f" compared with {_listed(comparators)}" if comparators else "")
        + (f", {period_labels[0]} to {period_labels[-1]}." if periods else "."),
        INTERVAL_NOTE if has_interval else "",
        "" if comparable else COUNTS_NOTE,
    ]
    everything = [figure for _, _, line in series for figure in line]
    description = _trend_description(figures, series, periods, everything)
    chart = alt.layer(*layers, data=_chart_data(rows)).properties(width=WIDTH, height=320)

    headings = [_period_axis_title(periods), council.name]
    numeric = [False, True]
    if has_interval:
        headings += [f"{council.name}: lower limit", f"{council.name}: upper limit"]
        numeric += [True, True]
    headings += names[1:]
    numeric += [True] * (len(names) - 1)
    table_rows = []
    for index, label in enumerate(period_labels):
        figure = own[index]
        cells = [label, value_cell(figure, unit)]
        if has_interval:
            cells += [
                limit_cell(figure, figure.lower_ci if figure else None, unit),
                limit_cell(figure, figure.upper_ci if figure else None, unit),
            ]
        cells += [value_cell(line[index], unit) for _, _, line in series[1:]]
        table_rows.append(tuple(cells))
    table = DataTable(
        caption=f"{title}: {council.name}"
        + (" and comparators" if len(series) > 1 else "")
        + (f", {period_labels[0]} to {period_labels[-1]}" if periods else ""),
        headings=tuple(headings),
        rows=tuple(table_rows),
        raw_rows=tuple(raw_row(f) for f in everything if f is not None),
        numeric=tuple(numeric),
    )
    return Chart(
        title=title,
        spec=_spec(_styled(chart, title, subtitle, description)),
        description=description,
        table=table,
    )


def _trend_description(
    figures: IndicatorFigures,
    series: list[tuple[str, str, list[Figure | None]]],
    periods: Sequence[str],
    everything: Sequence[Figure | None],
) -> str:
    council = figures.council
    what = _lower_first(figures.spec.title)
    span = f"from {period_label(periods[0])} to {period_label(periods[-1])}" if periods else ""
    shown = [(p, f) for p, f in zip(periods, series[0][2], strict=True) if _plotted(f)]
    opening = f"Line chart of {what} in {council.name}"
    if not shown:
        summary = f"{_sentence(opening, span)}: there are no figures for {council.name} to show."
    elif len(shown) == 1:
        period, figure = shown[0]
        summary = f"{opening}: {_value(figure)} {period_phrase(period)}."
    else:
        (first_period, first), (last_period, last) = shown[0], shown[-1]
        before, after = _value(first), _value(last)
        if before == after:
            change = f"unchanged at {after}"
        elif (last.value or 0) > (first.value or 0):
            change = f"rising from {before} to {after}"
        else:
            change = f"falling from {before} to {after}"
        summary = (
            f"{opening} from {period_label(first_period)} to {period_label(last_period)}, {change}"
        )
        latest = _comparator_values(series, periods.index(last_period))
        summary += f"; {latest} {period_phrase(last_period)}." if latest else "."
    return _sentence(summary, WITHHELD_NOTE if _any_withheld(everything) else "")


def _value(figure: Figure | None) -> str:
    """A figure with its unit, as a sentence shows it ("84.0%")."""
    if figure is None:
        return NO_FIGURE
    return format_value(_finite(figure.value), figure.unit, suppressed=figure.suppressed)


def _comparator_values(series: list[tuple[str, str, list[Figure | None]]], index: int) -> str:
    """The comparators' figures for one period, as prose: "England 82.0% and South West 83.0%"."""
    found = [
        f"{_prose_name(name, role)} {_value(line[index])}"
        for name, role, line in series[1:]
        if _plotted(line[index])
    ]
    return _listed(found)


# Comparison --------------------------------------------------------------------------------


def comparison_chart(figures: IndicatorFigures, period: str) -> Chart:
    """The council beside its statistical neighbours, its region and England in one period:
    points with their intervals as rules, the council's in its own colour, shape and bold."""
    spec, council, unit = figures.spec, figures.council, figures.spec.unit
    comparable = comparable_across_places(unit)
    places = [
        place
        for place in (council, *figures.comparators())
        if comparable or place.role in ("council", "neighbour")
    ]
    found = {place.code: figures.total(place.code, period) for place in places}

    def rank(place: Place) -> tuple[int, float, str]:
        figure = found[place.code]
        value = figure.value if figure is not None and _plotted(figure) else None
        group = {"council": 0, "neighbour": 0, "region": 1, "england": 2}.get(place.role, 0)
        # Council and neighbours highest first, those with no figure after; region, England last.
        return (group, -value if value is not None else math.inf, place.name)

    places.sort(key=rank)
    names = [place.name for place in places]
    series_of = {
        "council": council.name,
        "neighbour": NEIGHBOURS,
        "region": next((p.name for p in places if p.role == "region"), "Region"),
        "england": next((p.name for p in places if p.role == "england"), "England"),
    }
    present_roles = [
        r for r in ("council", "neighbour", "region", "england") if any(p.role == r for p in places)
    ]
    legend_names = [series_of[r] for r in present_roles]
    styles = [STYLES[r] for r in present_roles]
    rows = [
        _datum(figure, series_of.get(p.role, p.name))
        for p in places
        if (figure := found[p.code]) is not None and _plotted(figure)
    ]
    chosen = [found[p.code] for p in places]
    has_interval = _any_interval(chosen)

    y = alt.Y(
        "place:N",
        sort=names,
        scale=alt.Scale(domain=names),
        axis=alt.Axis(
            title="Area",
            labelFontWeight=alt.ExprRef(
                expr=f"datum.value == {json.dumps(council.name)} ? 'bold' : 'normal'"
            ),
        ),
    )
    x = alt.X(
        "value:Q",
        scale=alt.Scale(zero=False),
        axis=_value_axis(unit, orient="top", titleAnchor="start"),
    )
    base = alt.Chart()
    points = base.mark_point(filled=True, size=110, opacity=1).encode(
        x=x,
        y=y,
        description=_value_description(),
        color=alt.Color(
            "series:N",
            scale=_scale(legend_names, [s.colour for s in styles]),
            legend=alt.Legend(title=None),
        ),
        shape=alt.Shape(
            "series:N",
            scale=_scale(legend_names, [s.shape for s in styles]),
            legend=alt.Legend(title=None),
        ),
    )
    intervals = (
        base.mark_rule(strokeWidth=2, color=DARK_GREY, aria=False)
        .encode(x=alt.X("lower_ci:Q"), x2=alt.X2("upper_ci:Q"), y=y)
        .transform_filter("isValid(datum.lower_ci)")
    )
    layers = [intervals, points] if has_interval else [points]
    chart = alt.layer(*layers, data=_chart_data(rows)).properties(
        width=WIDTH, height=ROW_HEIGHT * max(len(places), 1)
    )
    when = period_label(period)
    title = f"{spec.title}, {when}"
    others = [_prose_name(series_of[role], role) for role in present_roles[1:]]
    subtitle = [
        f"{council.name} compared with {_listed(others)}." if others else f"{council.name}.",
        INTERVAL_NOTE if has_interval else "",
        "" if comparable else COUNTS_NOTE,
    ]
    description = _comparison_description(figures, places, found, period)
    headings = ["Area", unit_label(unit)]
    numeric = [False, True]
    if has_interval:
        headings += ["Lower confidence limit", "Upper confidence limit"]
        numeric += [True, True]
    table_rows = []
    for place in places:
        figure = found[place.code]
        cells = [place.name, value_cell(figure, unit)]
        if has_interval:
            cells += [
                limit_cell(figure, figure.lower_ci if figure else None, unit),
                limit_cell(figure, figure.upper_ci if figure else None, unit),
            ]
        table_rows.append(tuple(cells))
    table = DataTable(
        caption=f"{spec.title}: {council.name} and comparators, {when}",
        headings=tuple(headings),
        rows=tuple(table_rows),
        raw_rows=tuple(raw_row(f) for f in chosen if f is not None),
        numeric=tuple(numeric),
    )
    return Chart(
        title=title,
        spec=_spec(_styled(chart, title, subtitle, description)),
        description=description,
        table=table,
    )


def _comparison_description(
    figures: IndicatorFigures,
    places: Sequence[Place],
    found: dict[str, Figure | None],
    period: str,
) -> str:
    council = figures.council
    what = _lower_first(figures.spec.title)
    opening = f"Chart comparing {what} in {council.name} with other areas {period_phrase(period)}"
    own = found[council.code]
    parts = [
        f"{council.name} {_value(own)}"
        if own is not None and _plotted(own)
        else (
            f"no figure for {council.name}"
            if own is None or not own.suppressed
            else f"{council.name}'s figure is withheld"
        )
    ]
    for role in ("england", "region"):
        place = next((p for p in places if p.role == role), None)
        figure = found[place.code] if place else None
        if place is not None and figure is not None and _plotted(figure):
            parts.append(f"{place.name} {_value(figure)}")
    neighbours = [
        figure
        for p in places
        if p.role == "neighbour" and (figure := found[p.code]) is not None and _plotted(figure)
    ]
    sentence = f"{opening}: {_listed(parts)}."
    if neighbours:
        values = sorted(neighbours, key=lambda f: f.value or 0.0)
        low, high = _value(values[0]), _value(values[-1])
        count = len(neighbours)
        sentence += (
            f" The {count} statistical neighbours with a figure range from {low} to {high}."
            if count > 1
            else f" One statistical neighbour has a figure: {high}."
        )
    return _sentence(sentence, WITHHELD_NOTE if _any_withheld(list(found.values())) else "")


# Breakdown ---------------------------------------------------------------------------------


def breakdown_chart(figures: IndicatorFigures, breakdown: str, period: str) -> Chart:
    """The council's figure for each category of one breakdown in one period, with intervals;
    England's figure for the same category as a tick where it is loaded."""
    spec, council, unit = figures.spec, figures.council, figures.spec.unit
    own = figures.select(code=council.code, period=period, breakdown=breakdown)
    england_place = _first_place(figures, "england")
    england = (
        {
            f.category: f
            for f in figures.select(code=england_place.code, period=period, breakdown=breakdown)
        }
        if england_place and comparable_across_places(unit)
        else {}
    )
    categories = list(dict.fromkeys([f.category for f in own] + list(england)))
    own_by = {f.category: f for f in own}
    label = {c: category_label(breakdown, c) for c in categories}
    labels = [label[c] for c in categories]
    england_name = england_place.name if england_place else "England"

    rows = [
        _datum(own_by[c], council.name, category=label[c], category_code=c)
        for c in categories
        if _plotted(own_by.get(c))
    ] + [
        _datum(england[c], england_name, category=label[c], category_code=c)
        for c in categories
        if _plotted(england.get(c))
    ]
    chosen_own: list[Figure | None] = [own_by.get(c) for c in categories]
    chosen_england: list[Figure | None] = [england.get(c) for c in categories]
    has_interval = _any_interval(chosen_own)
    show_england = bool(england)
    names = [council.name] + ([england_name] if show_england else [])

    group = breakdown_title(breakdown)
    y = alt.Y("category:N", sort=labels, scale=alt.Scale(domain=labels), axis=alt.Axis(title=group))
    x = alt.X(
        "value:Q",
        scale=alt.Scale(zero=False),
        axis=_value_axis(unit, orient="top", titleAnchor="start"),
    )
    colour = alt.Color(
        "series:N",
        scale=_scale(names, [DARK_BLUE, ORANGE][: len(names)]),
        legend=alt.Legend(title=None),
    )
    # The legend draws England as a short upright stroke, like its tick on the chart.
    shape = alt.Shape(
        "series:N",
        scale=_scale(names, ["circle", ENGLAND_TICK_SYMBOL][: len(names)]),
        legend=alt.Legend(title=None),
    )
    base = alt.Chart()
    own_filter = f"datum.series == {json.dumps(council.name)}"
    points = (
        base.mark_point(filled=True, size=110, opacity=1)
        .encode(x=x, y=y, color=colour, shape=shape, description=_value_description())
        .transform_filter(own_filter)
    )
    layers: list[alt.Chart] = []
    if has_interval:
        layers.append(
            base.mark_rule(strokeWidth=2, color=DARK_GREY, aria=False)
            .encode(x=alt.X("lower_ci:Q"), x2=alt.X2("upper_ci:Q"), y=y)
            .transform_filter(f"{own_filter} && isValid(datum.lower_ci)")
        )
    layers.append(points)
    if show_england:
        layers.append(
            base.mark_tick(thickness=3, size=ROW_HEIGHT - 6, opacity=1)
            .encode(x=x, y=y, color=colour, shape=shape, description=_value_description())
            .transform_filter(f"datum.series == {json.dumps(england_name)}")
        )
    chart = alt.layer(*layers, data=_chart_data(rows)).properties(
        width=WIDTH, height=ROW_HEIGHT * max(len(categories), 1)
    )
    when = period_label(period)
    title = f"{spec.title} by {_lower_first(group)}, {when}"
    subtitle = [
        f"Figures for {council.name}.",
        INTERVAL_NOTE if has_interval else "",
        f"The upright marks show {england_name}." if show_england else "",
        "" if england_place is None or comparable_across_places(unit) else COUNTS_NOTE,
    ]
    description = _breakdown_description(
        figures, group, period_phrase(period), categories, label, own_by, england, england_name
    )
    headings = [group, council.name]
    numeric = [False, True]
    if has_interval:
        headings += [f"{council.name}: lower limit", f"{council.name}: upper limit"]
        numeric += [True, True]
    if show_england:
        headings.append(england_name)
        numeric.append(True)
    table_rows = []
    for c in categories:
        figure = own_by.get(c)
        cells = [label[c], value_cell(figure, unit)]
        if has_interval:
            cells += [
                limit_cell(figure, figure.lower_ci if figure else None, unit),
                limit_cell(figure, figure.upper_ci if figure else None, unit),
            ]
        if show_england:
            cells.append(value_cell(england.get(c), unit))
        table_rows.append(tuple(cells))
    table = DataTable(
        caption=f"{spec.title} by {_lower_first(group)}: {council.name}, {when}",
        headings=tuple(headings),
        rows=tuple(table_rows),
        raw_rows=tuple(raw_row(f) for f in chosen_own + chosen_england if f is not None),
        numeric=tuple(numeric),
    )
    return Chart(
        title=title,
        spec=_spec(_styled(chart, title, subtitle, description)),
        description=description,
        table=table,
    )


def _breakdown_description(
    figures: IndicatorFigures,
    group: str,
    during: str,
    categories: Sequence[str],
    label: dict[str, str],
    own_by: dict[str, Figure],
    england: dict[str, Figure],
    england_name: str,
) -> str:
    council = figures.council
    what = _lower_first(figures.spec.title)
    opening = f"Chart of {what} in {council.name} by {_lower_first(group)} {during}"
    shown = [c for c in categories if _plotted(own_by.get(c))]
    if not shown:
        summary = f"{opening}: there are no figures for {council.name} to show."
    elif len(shown) == 1:
        only = shown[0]
        summary = f"{opening}: {label[only]} {_value(own_by[only])}."
    else:
        ranked = sorted(shown, key=lambda c: own_by[c].value or 0.0)
        low, high = ranked[0], ranked[-1]
        summary = (
            f"{opening}, for {len(shown)} groups: highest {label[high]} "
            f"({_value(own_by[high])}), lowest {label[low]} ({_value(own_by[low])})."
        )
    if any(_plotted(f) for f in england.values()):
        summary += f" {england_name}'s figure for each group is shown beside it."
    everything = [*own_by.values(), *england.values()]
    return _sentence(summary, WITHHELD_NOTE if _any_withheld(everything) else "")


# Relative rate index -----------------------------------------------------------------------


def stage_name(title: str) -> str:
    """A stage as a legend names it, from its indicator's title: "Relative rate index of
    referral, against the population" -> "Referral, against the population"."""
    if title.lower().startswith(_RRI_PREFIX):
        title = title[len(_RRI_PREFIX) :]
    return _upper_first(title)


def _shared_ending(names: Sequence[str]) -> str:
    """The ", against ..." ending every stage name shares, if they all share one."""
    endings = {name.partition(", ")[2] for name in names}
    if names and len(endings) == 1 and "" not in endings:
        return endings.pop()
    return ""


def _log_ticks(low: float, high: float) -> list[float]:
    """Powers of two from ``low`` to ``high``: 0.25, 0.5, 1, 2, 4, ..."""
    ticks, tick = [], 2.0 ** math.floor(math.log2(low))
    while tick <= high * 1.0001:
        if tick >= low * 0.9999:
            ticks.append(tick)
        tick *= 2
    return ticks


def rri_chart(
    figures_by_stage: Sequence[IndicatorFigures], period: str, breakdown: str = "ethnic_group"
) -> Chart:
    """The relative rate index of each group of ``breakdown`` at each stage of the children's
    journey, in one period: a point and its interval per stage, on a log scale with a rule at
    1 (the same rate as the reference group). Works for ``children.rri.<stage>`` and for
    ``children.stage_rri.<stage>``; each stage is named from its indicator's title."""
    if not figures_by_stage:
        raise ValueError("rri_chart needs the figures of at least one stage")
    council = figures_by_stage[0].council
    full_names = [stage_name(stage.spec.title) for stage in figures_by_stage]
    ending = _shared_ending(full_names)
    stages = [name.partition(", ")[0] if ending else name for name in full_names]
    chosen: list[tuple[str, Figure]] = []
    for stage, stage_figures in zip(stages, figures_by_stage, strict=True):
        for figure in stage_figures.select(code=council.code, period=period, breakdown=breakdown):
            chosen.append((stage, figure))
    categories = list(dict.fromkeys(figure.category for _, figure in chosen))
    label = {c: category_label(breakdown, c) for c in categories}
    labels = [label[c] for c in categories]
    # A ratio of 0 (no child of the group at that stage) has no place on a log scale.
    plotted = [
        (stage, figure)
        for stage, figure in chosen
        if _plotted(figure) and (figure.value or 0.0) > 0
    ]
    rows = []
    for stage, figure in plotted:
        datum = _datum(figure, stage, stage=stage, category=label[figure.category])
        if datum["lower_ci"] is not None and (datum["lower_ci"] <= 0 or datum["upper_ci"] <= 0):
            datum["lower_ci"] = datum["upper_ci"] = None
        rows.append(datum)
    low, high = _log_domain(rows)
    has_interval = any(row["lower_ci"] is not None for row in rows)

    group = breakdown_title(breakdown)
    colours = _scale(stages, _cycle(_STAGE_COLOURS, len(stages)))
    shapes = _scale(stages, _cycle(_STAGE_SHAPES, len(stages)))
    y = alt.Y("category:N", sort=labels, scale=alt.Scale(domain=labels), axis=alt.Axis(title=group))
    y_offset = alt.YOffset("stage:N", sort=stages, scale=alt.Scale(domain=stages))
    x = alt.X(
        "value:Q",
        scale=alt.Scale(type="log", domain=[low, high], nice=False),
        axis=alt.Axis(title=unit_label("ratio"), values=_log_ticks(low, high)),
    )
    # Stage names can be long ("Child protection plan, against section 47 enquiry").
    legend = alt.Legend(title="Stage", columns=2 if len(stages) > 3 else 0)
    colour = alt.Color("stage:N", scale=colours, legend=legend)
    reference = alt.Data(values=[{"reference": 1.0, "label": SAME_RATE}])
    base = alt.Chart()
    layers: list[alt.Chart] = [
        alt.Chart(reference)
        .mark_rule(color=DARK_GREY, strokeDash=[6, 4], strokeWidth=1.5, aria=False)
        .encode(x=alt.X("reference:Q")),
        alt.Chart(reference)
        .mark_text(align="left", dx=4, baseline="bottom", fontSize=12, color=DARK_GREY, aria=False)
        .encode(x=alt.X("reference:Q"), y=alt.value(-2), text=alt.Text("label:N")),
    ]
    if has_interval:
        layers.append(
            base.mark_rule(strokeWidth=1.5, aria=False)
            .encode(
                x=alt.X("lower_ci:Q"),
                x2=alt.X2("upper_ci:Q"),
                y=y,
                yOffset=y_offset,
                color=colour,
            )
            .transform_filter("isValid(datum.lower_ci)")
        )
    layers.append(
        base.mark_point(filled=True, size=80, opacity=1, stroke="white", strokeWidth=0.5).encode(
            x=x,
            y=y,
            yOffset=y_offset,
            color=colour,
            shape=alt.Shape("stage:N", scale=shapes, legend=legend),
            description=_value_description(),
        )
    )
    chart = alt.layer(*layers, data=_chart_data(rows)).properties(
        width=WIDTH, height=max(len(categories), 1) * (max(len(stages), 2) * 11 + 10)
    )
    when = period_label(period)
    # A page shows two of these side by side: each stage against the population, and each
    # against the stage before. Their titles must tell them apart.
    measure = ending or "stage to stage"
    title = f"Relative rate index by {_lower_first(group)}, {measure}, {when}"
    subtitle = [
        f"{council.name}, at each stage of the children's journey.",
        "The dashed line at 1 is the same rate as the reference group.",
        INTERVAL_NOTE if has_interval else "",
    ]
    short = {stage: stage.partition(", ")[0] for stage in stages}
    description = _rri_description(
        council, group, period_phrase(period), measure, short, chosen, label, plotted
    )
    table = DataTable(
        caption=f"Relative rate index by {_lower_first(group)}, {measure}: {council.name}, {when}",
        headings=(
            group,
            "Stage",
            "Relative rate index",
            "Lower confidence limit",
            "Upper confidence limit",
        ),
        rows=tuple(
            (
                label[figure.category],
                stage,
                value_cell(figure, figure.unit),
                limit_cell(figure, figure.lower_ci, figure.unit),
                limit_cell(figure, figure.upper_ci, figure.unit),
            )
            for stage, figure in chosen
        ),
        raw_rows=tuple(raw_row(figure) for _, figure in chosen),
        numeric=(False, False, True, True, True),
    )
    return Chart(
        title=title,
        spec=_spec(_styled(chart, title, subtitle, description)),
        description=description,
        table=table,
    )


def _log_domain(rows: Sequence[dict[str, Any]]) -> tuple[float, float]:
    """Powers of two that take in every value and limit, and 0.5 to 2 at least."""
    extent = [1.0] + [
        v for row in rows for v in (row["value"], row["lower_ci"], row["upper_ci"]) if v
    ]
    low = min(0.5, 2.0 ** math.floor(math.log2(min(extent))))
    high = max(2.0, 2.0 ** math.ceil(math.log2(max(extent))))
    return low, high


def _cycle(values: Sequence[str], count: int) -> list[str]:
    return [values[i % len(values)] for i in range(count)]


def _rri_description(
    council: Place,
    group: str,
    during: str,
    measure: str,
    short: dict[str, str],
    chosen: Sequence[tuple[str, Figure]],
    label: dict[str, str],
    plotted: Sequence[tuple[str, Figure]],
) -> str:
    count = len(short)
    opening = (
        f"Chart of the relative rate index of each {_lower_first(group)} in {council.name}, "
        f"{measure}, at {count} stage{'s' if count != 1 else ''} of the children's journey "
        f"{during}"
    )
    withheld = WITHHELD_NOTE if _any_withheld([f for _, f in chosen]) else ""
    if not plotted:
        return _sentence(f"{opening}: there are no figures to show.", withheld)
    above: dict[str, list[str]] = {}
    below: dict[str, list[str]] = {}
    for stage, figure in plotted:
        interval = _interval(figure)
        if interval is None:
            continue
        if interval[0] > 1:
            above.setdefault(label[figure.category], []).append(_lower_first(short[stage]))
        elif interval[1] < 1:
            below.setdefault(label[figure.category], []).append(_lower_first(short[stage]))
    findings = []
    if above:
        findings.append(
            "Significantly above 1, the whole interval above the same rate: "
            + "; ".join(f"{name} at {_listed(at)}" for name, at in above.items())
            + "."
        )
    if below:
        findings.append(
            "Significantly below 1: "
            + "; ".join(f"{name} at {_listed(at)}" for name, at in below.items())
            + "."
        )
    if not findings:
        findings.append("No group's index is significantly different from 1.")
    return _sentence(f"{opening}.", *findings, withheld)
