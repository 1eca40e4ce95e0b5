"""What the dashboard pages show, put together from stored figures: charts with their tables,
statements and the notice about exact or published figures. Views only choose and render."""

from __future__ import annotations

import hashlib
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.cache import caches
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from safeguarding.dashboards import statements
from safeguarding.dashboards.figures import IndicatorFigures
from safeguarding.dashboards.published import published_figures
from safeguarding.indicators.catalogue import IndicatorSpec, catalogue
from safeguarding.web.dashboards import queries
from safeguarding.web.dashboards.models import DashboardPanel
from safeguarding.web.records import models as records

if TYPE_CHECKING:
    from safeguarding.dashboards import charts

#: The chart a download is asked for by name.
CHART_KINDS = ("trend", "comparison", "breakdown")
#: Stages of the children's journey, as the disproportionality indicators name them.
RRI_PREFIX = "children.rri."
STAGE_RRI_PREFIX = "children.stage_rri."
RRI_GROUPINGS = ("ethnic_group", "ethnicity")


class _Remembered:
    """What pages have worked out from the stored figures, kept in this process, least
    recently used first out. Keys hold ``queries.data_version()``, so a new or removed load
    makes every earlier entry unreachable."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        made = make()
        with self._lock:
            self._entries[key] = made
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


#: Charts, statements and whole page parts, by what they were made from.
REMEMBERED = _Remembered(1024)


@cache
def _code_version() -> str:
    """A fingerprint of the code that draws what is remembered, so that a new release never
    reads what an older one worked out (the shared cache outlives the processes)."""
    from safeguarding.dashboards import charts, labels, published, render

    digest = hashlib.sha256()
    for module in (charts, labels, published, render, statements, queries, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    from django.template.loader import get_template

    digest.update(Path(get_template("dashboards/chart.html").origin.name).read_bytes())
    return digest.hexdigest()[:16]


def remembered(key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """``make()``, or what it gave before for the same ``key`` and the same stored figures:
    from this process's memory, else from the cache the server's processes share."""
    full = (*key, queries.data_version(), connection.settings_dict.get("NAME"), _code_version())
    return REMEMBERED.get_or_make(full, lambda: _shared(full, make))


def _shared(key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    shared = caches["dashboards"]
    name = "dashboards:" + hashlib.sha256(repr(key).encode()).hexdigest()
    found = shared.get(name, _MISSING)
    if found is not _MISSING:
        return found
    made = make()
    shared.set(name, made)
    return made


_MISSING = object()


@dataclass
class ChartBlock:
    """A chart as a page shows it: the picture, its text alternative, its table and
    downloads of its data."""

    chart: charts.Chart
    svg: SafeString
    downloads: dict[str, str] = field(default_factory=dict)
    #: The chart with its table, as HTML: the table closed, and open.
    html: SafeString = field(default=SafeString(""))
    html_open: SafeString = field(default=SafeString(""))

    @property
    def title(self) -> str:
        return self.chart.title

    @property
    def description(self) -> str:
        return self.chart.description

    @property
    def table(self) -> Any:
        return self.chart.table

    def _numeric(self, index: int) -> bool:
        flags = self.chart.table.numeric
        return bool(flags[index]) if index < len(flags) else index > 0

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        """The table's headings, each with whether its column holds numbers."""
        return [(text, self._numeric(i)) for i, text in enumerate(self.chart.table.headings)]

    @property
    def body_rows(self) -> list[list[tuple[str, bool]]]:
        """The table's rows, each cell with whether it holds a number."""
        return [
            [(text, self._numeric(i)) for i, text in enumerate(row)]
            for row in self.chart.table.rows
        ]


def block(
    chart: charts.Chart, download_base: str = "", query: dict[str, str] | None = None
) -> ChartBlock:
    """A chart rendered to SVG on the server, with links to its data if ``download_base``."""
    from safeguarding.dashboards import render

    downloads = {}
    if download_base:
        from urllib.parse import urlencode

        suffix = f"?{urlencode(query)}" if query else ""
        downloads = {fmt: f"{download_base}data.{fmt}{suffix}" for fmt in ("csv", "xlsx")}
    made = ChartBlock(chart, mark_safe(render.svg(chart.spec)), downloads)  # noqa: S308 - made by vl-convert from our own spec, checked free of script by render.svg
    # Drawn once with the chart, not on every page view: a long table is most of a page's work.
    made.html = render_to_string("dashboards/chart.html", {"block": made, "open_table": False})
    made.html_open = render_to_string("dashboards/chart.html", {"block": made, "open_table": True})
    return made


def for_readers(figures: IndicatorFigures, exact: bool) -> IndicatorFigures:
    """The figures as this reader may see them: exact, or with disclosure control."""
    return figures if exact else published_figures(figures)


def chosen_period(figures: IndicatorFigures, asked: str | None) -> str | None:
    """The period asked for when it has figures, else the latest."""
    if asked and asked in figures.periods:
        return asked
    return figures.latest_period


def chart_for(
    kind: str,
    spec: IndicatorSpec,
    where: queries.Comparators,
    *,
    exact: bool,
    breakdown: str | None = None,
    period: str | None = None,
) -> charts.Chart | None:
    """One of an indicator page's charts, by name: what the page draws and what a download of
    its data contains are made by this one function, so they cannot differ."""
    return remembered(
        ("chart", kind, spec, where, exact, breakdown, period),
        lambda: _make_chart(kind, spec, where, exact=exact, breakdown=breakdown, period=period),
    )


def _make_chart(
    kind: str,
    spec: IndicatorSpec,
    where: queries.Comparators,
    *,
    exact: bool,
    breakdown: str | None,
    period: str | None,
) -> charts.Chart | None:
    from safeguarding.dashboards import charts

    if kind == "breakdown":
        if not breakdown or breakdown == "total" or breakdown not in spec.breakdowns:
            return None
        figures = for_readers(
            queries.indicator_figures(spec, where, breakdowns=["total", breakdown]), exact
        )
        when = chosen_period(figures, period)
        return charts.breakdown_chart(figures, breakdown, when) if when else None
    figures = for_readers(queries.indicator_figures(spec, where), exact)
    if not figures.figures:
        return None
    if kind == "trend":
        return charts.trend_chart(figures)
    if kind == "comparison":
        when = chosen_period(figures, period)
        return charts.comparison_chart(figures, when) if when else None
    return None


def panel_blocks(
    partnership: records.Partnership,
    panels: Sequence[DashboardPanel],
    *,
    exact: bool,
    public: bool = False,
) -> list[dict[str, Any]]:
    """The dashboard's panels grouped under the partnership's priorities, each with its chart,
    table and statement; panels of other indicators come last."""
    where = queries.comparators(partnership.area)
    groups: dict[int | None, dict[str, Any]] = {}
    for panel in panels:
        spec = queries.spec_of(panel.indicator, partnership)
        if spec is None:
            continue
        group = groups.setdefault(panel.priority_id, {"priority": panel.priority, "panels": []})
        base = _indicator_url(partnership, spec.id, public)
        made = remembered(
            ("panel", spec, where, exact, panel.breakdown, base),
            lambda spec=spec, base=base, breakdown=panel.breakdown: _panel(
                spec, where, exact, breakdown, base
            ),
        )
        group["panels"].append({"panel": panel, "spec": spec, "url": base, **made})
    ordered = [g for key, g in groups.items() if key is not None]
    ordered.sort(key=lambda g: g["priority"].title)
    if None in groups:
        ordered.append({"priority": None, "panels": groups[None]["panels"]})
    return ordered


def _panel(
    spec: IndicatorSpec, where: queries.Comparators, exact: bool, breakdown: str, base: str
) -> dict[str, Any]:
    """A panel's statement and chart: the trend, or the latest year of one breakdown."""
    total = for_readers(queries.indicator_figures(spec, where), exact)
    if breakdown == "total":
        chart = chart_for("trend", spec, where, exact=exact)
        query = {"chart": "trend"}
    else:
        chart = chart_for("breakdown", spec, where, exact=exact, breakdown=breakdown)
        query = {"chart": "breakdown", "breakdown": breakdown}
    return {
        "statement": statements.headline(total) if total.figures else None,
        "block": block(chart, base, query) if chart else None,
    }


def _indicator_url(partnership: records.Partnership, indicator_id: str, public: bool) -> str:
    name = "dashboards:public-indicator" if public else "dashboards:indicator"
    return reverse(name, args=[partnership.slug, indicator_id])


def rri_specs(prefix: str) -> list[IndicatorSpec]:
    """The relative rate index indicators of each stage, in the journey's order."""
    return list(catalogue().with_prefix(prefix))


def disproportionality(
    partnership: records.Partnership, grouping: str, asked_period: str | None
) -> dict[str, Any]:
    """The relative rate index of each ethnic group at each stage, against the population and
    stage to stage, with the statements of where over-representation is significant."""
    where = queries.comparators(partnership.area, neighbours=False)
    return remembered(
        ("disproportionality", where, grouping, asked_period),
        lambda: _disproportionality(where, grouping, asked_period),
    )


def _disproportionality(
    where: queries.Comparators, grouping: str, asked_period: str | None
) -> dict[str, Any]:
    from safeguarding.dashboards import charts

    against_population = [
        queries.indicator_figures(spec, where, breakdowns=[grouping])
        for spec in rri_specs(RRI_PREFIX)
    ]
    stage_to_stage = [
        queries.indicator_figures(spec, where, breakdowns=[grouping])
        for spec in rri_specs(STAGE_RRI_PREFIX)
    ]
    periods = sorted({p for f in against_population + stage_to_stage for p in f.periods})
    period = asked_period if asked_period in periods else (periods[-1] if periods else None)
    context: dict[str, Any] = {"periods": periods, "period": period, "views": []}
    if period is None:
        return context
    for heading, series in (
        ("Against the child population", against_population),
        ("Compared with the stage before", stage_to_stage),
    ):
        present = [f for f in series if f.select(role="council", period=period, breakdown=None)]
        if not present:
            continue
        chart = charts.rri_chart(present, period, grouping)
        said = [line for f in present for line in statements.disproportionality(f, period)]
        context["views"].append({"heading": heading, "block": block(chart), "statements": said})
    return context
