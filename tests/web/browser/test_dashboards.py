"""The dashboard pages in a browser, with the demo borough: each chart plots exactly the numbers
in the table beside it, exact and published figures say which they are, and axe-core finds no
WCAG 2.2 A or AA failure with every data table open.

One test visits every page, so that the demo is loaded once; it gathers every problem and
reports them together.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from safeguarding.dashboards.labels import NO_FIGURE
from safeguarding.indicators.disclosure import SUPPRESSED
from tests.web.browser.conftest import sign_in
from tests.web.browser.test_accessibility import axe_violations, describe

EXACT_NOTICE = "Exact figures, for members of"
PUBLISHED_NOTICE = "Published figures."
#: What the published notice says a withheld figure looks like.
WITHHELD_NOTICE = f"shown as {SUPPRESSED}"
#: Table cells that stand for no plotted mark.
NOT_PLOTTED = (SUPPRESSED, NO_FIGURE)
NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$")
#: The value heading of a relative rate index chart: its scale is logarithmic, so a 0 in its
#: table has no point.
RRI_HEADING = "Relative rate index"

#: Each chart on a page, read as the reader's browser has it: the figures its marks plot, and
#: its table (the one in the details element that follows the figure).
READ_CHARTS = """
() => [...document.querySelectorAll('figure.app-chart')].map(figure => {
  const text = element => element.textContent.replace(/\\s+/g, ' ').trim();
  const svg = figure.querySelector('svg');
  const details = figure.nextElementSibling;
  const table = details && details.matches('details')
    ? details.querySelector('.govuk-table') : null;
  const headings = table ? [...table.querySelectorAll('thead th')] : [];
  return {
    title: svg && svg.querySelector('title') ? text(svg.querySelector('title')) : '',
    values: svg
      ? [...svg.querySelectorAll('[data-value]')].map(mark => mark.getAttribute('data-value'))
      : [],
    headings: headings.map(text),
    numeric: headings.map(th => th.classList.contains('govuk-table__header--numeric')),
    rows: table
      ? [...table.querySelectorAll('tbody tr')].map(row => [...row.children].map(text))
      : [],
  };
})
"""


@dataclass(frozen=True)
class ChartReading:
    """One chart as the page shows it."""

    title: str
    values: tuple[str, ...]
    headings: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def value_columns(self) -> list[int]:
        """The columns of figures the chart plots: numeric, and not a confidence limit."""
        return [
            index
            for index, (heading, numeric) in enumerate(
                zip(self.headings, self.numeric, strict=True)
            )
            if index > 0 and numeric and "limit" not in heading.lower()
        ]

    @property
    def table_values(self) -> list[str]:
        """The table's figures that the chart must plot."""
        log_scale = RRI_HEADING in self.headings
        return [
            cell
            for row in self.rows
            for index in self.value_columns
            if (cell := row[index]) not in NOT_PLOTTED
            and not (log_scale and NUMBER.match(cell) and float(cell.replace(",", "")) == 0)
        ]


def read_charts(page: Any) -> list[ChartReading]:
    return [
        ChartReading(
            title=found["title"],
            values=tuple(found["values"]),
            headings=tuple(found["headings"]),
            numeric=tuple(found["numeric"]),
            rows=tuple(tuple(row) for row in found["rows"]),
        )
        for found in page.evaluate(READ_CHARTS)
    ]


def chart_problems(chart: ChartReading) -> list[str]:
    """Where a chart and its table disagree."""
    problems = []
    if not chart.rows or not chart.value_columns:
        problems.append("has no table of figures beside it")
    odd = [value for value in chart.values if not NUMBER.match(value)]
    if odd:
        problems.append(f"plots marks labelled with something other than a figure: {odd[:5]}")
    plotted, tabled = Counter(chart.values), Counter(chart.table_values)
    if plotted - tabled:
        problems.append(f"plots figures its table does not show: {sorted(plotted - tabled)}")
    if tabled - plotted:
        problems.append(f"does not plot figures its table shows: {sorted(tabled - plotted)}")
    return [f"chart “{chart.title}” {problem}" for problem in problems]


def open_every_table(page: Any) -> None:
    """Open each chart's data table as a reader would, so that axe checks the tables too."""
    closed = page.locator("details.govuk-details:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()


@dataclass
class Visit:
    """What one visit to a page found."""

    path: str
    text: str
    charts: list[ChartReading]


def visit(page: Any, base_url: str, path: str, axe_source: str, failures: list[str]) -> Visit:
    """Open a page, check each chart against its table, and run axe with the tables open."""
    response = page.goto(base_url + path)
    if response is None or response.status != 200:
        failures.append(f"{path}: answered {response.status if response else 'nothing'}")
        return Visit(path, "", [])
    charts = read_charts(page)
    failures += [f"{path}: {problem}" for chart in charts for problem in chart_problems(chart)]
    open_every_table(page)
    if page.locator("details.govuk-details:not([open])").count():
        failures.append(f"{path}: a data table did not open")
    if violations := axe_violations(page, axe_source):
        failures.append(f"{path}:\n{describe(violations)}")
    return Visit(path, page.locator("main").inner_text(), charts)


def test_dashboard_pages_plot_their_tables_and_meet_wcag_22_aa(
    page: Any, live_server: Any, axe_source: str, demo_logins: dict[str, Any]
) -> None:
    base = live_server.url
    failures: list[str] = []
    seen: dict[str, Visit] = {}

    def look(path: str) -> Visit:
        seen[path] = found = visit(page, base, path, axe_source, failures)
        return found

    # Each partnership's manager, with an indicator the demo breaks down.
    for username, slug, indicator in (
        ("demo-lscp-manager", "lscp", "children.cp_plans_started"),
        ("demo-lsab-manager", "lsab", "adults.concluded_s42"),
    ):
        login = demo_logins[username]
        page.context.clear_cookies()
        sign_in(page, base, login.username, login.password)
        partnership = f"/partnerships/{slug}/"
        pages = [
            look(f"{partnership}dashboard/"),
            look(f"{partnership}indicators/"),
            look(f"{partnership}indicators/{indicator}/"),
        ]
        if slug == "lscp":
            pages.append(look(f"{partnership}disproportionality/"))
            # A priority's own page shows its dashboard panels: every demo priority has some.
            page.goto(f"{base}{partnership}priorities/")
            priority = next(
                href
                for href in page.eval_on_selector_all(
                    "main a[href]", "links => links.map(a => a.getAttribute('href'))"
                )
                if re.fullmatch(rf"{partnership}priorities/\d+/", href)
            )
            if not look(priority).charts:
                failures.append(f"{priority}: the priority's page shows no evidence charts")
        for signed_in in pages:
            if EXACT_NOTICE not in signed_in.text:
                failures.append(f"{signed_in.path}: no notice that the figures are exact")
        # The indicator page: its trend, the comparison and a breakdown, each with its table.
        if len(pages[2].charts) != 3:
            failures.append(f"{pages[2].path}: {len(pages[2].charts)} charts, not 3")
        if not pages[0].charts:
            failures.append(f"{pages[0].path}: no charts")
        if slug == "lscp" and len(pages[3].charts) != 2:
            failures.append(f"{pages[3].path}: {len(pages[3].charts)} charts, not 2")

        # The public dashboard and one of its indicators, signed out.
        page.context.clear_cookies()
        public = look(f"/public/{slug}/")
        links = page.eval_on_selector_all(
            "main .app-panel h3 a", "links => links.map(a => a.getAttribute('href'))"
        )
        first = links[0] if links else ""
        public_indicator = look(first or f"/public/{slug}/")
        for published in (public, public_indicator):
            if EXACT_NOTICE in published.text or PUBLISHED_NOTICE not in published.text:
                failures.append(f"{published.path}: does not say its figures are published")
            if WITHHELD_NOTICE not in published.text:
                failures.append(f"{published.path}: does not say what {SUPPRESSED} means")
            if not published.charts:
                failures.append(f"{published.path}: no charts")
        if not first.startswith(f"/public/{slug}/indicators/"):
            failures.append(f"/public/{slug}/: its first panel links to {first}, not a public page")
        # Signed out, the exact figures are out of reach, and so is an unpublished indicator.
        page.goto(f"{base}{partnership}indicators/{indicator}/")
        if "/accounts/sign-in/" not in page.url:
            failures.append(f"{partnership}indicators/{indicator}/ is open without signing in")
        unpublished = page.goto(f"{base}/public/{slug}/indicators/{indicator}/")
        if unpublished is None or unpublished.status != 404:
            failures.append(f"/public/{slug}/indicators/{indicator}/ is published")

    charts = [chart for found in seen.values() for chart in found.charts]
    # The check above proves nothing unless the charts plot something.
    assert sum(len(chart.values) for chart in charts) > 100, "the charts plot almost nothing"
    assert not failures, "\n\n".join(failures)
