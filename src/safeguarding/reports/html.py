"""The annual report as an accessible HTML document, to publish as a web page or print to PDF.

Jinja2 templates in ``templates/`` (autoescaped: every text in an ``AnnualReport`` is plain
text) lay out the sections in the order the law and the partnerships' readers expect. Each
chart is drawn as inline SVG by ``dashboards.render`` and followed by its data table.
"""

from __future__ import annotations

import base64
import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from safeguarding.dashboards import render
from safeguarding.dashboards.charts import Chart
from safeguarding.reports.annual import AnnualReport, Recommendation, Review

LANGUAGE = "en-GB"

# ``render.svg`` gives every id in a drawing this prefix; the same chart may appear twice in
# a report, so each appearance gets its own.
_SVG_ID_PREFIX = re.compile(r"\bchart-([0-9a-f]{10})-")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Letters, digits and a few marks stay as they are in a CSS string; the rest are escaped.
_CSS_PLAIN = re.compile(r"[A-Za-z0-9 .,:()'-]")


@dataclass(frozen=True)
class Section:
    """A section of the report as the contents list links to it."""

    id: str
    title: str


def long_date(day: datetime.date | None) -> str:
    """A date as GOV.UK writes it: "1 April 2025" ("" for no date)."""
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"


def paragraphs(text: str | None) -> list[str]:
    """Plain text split into paragraphs at blank lines, empty ones left out."""
    if not text:
        return []
    return [" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(text) if part.strip()]


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(char if _CSS_PLAIN.fullmatch(char) else f"\\{ord(char):06x}" for char in text)
    return Markup(f'"{escaped}"')  # noqa: S704 - every character outside a small safe set is escaped


def sections(report: AnnualReport, *, checklist: bool) -> tuple[Section, ...]:
    """The sections after the contents list, in order."""
    found = [
        Section("foreword", "Foreword"),
        Section("about", "About the partnership"),
        Section("priorities", f"Our priorities in {report.period}"),
        Section("achievements", "What we achieved"),
        Section("challenges", "Challenges and what we are doing about them"),
        Section("reviews", "Learning from reviews"),
        Section("audits", "Audits"),
        Section("lived-experience", "What people told us and what changed"),
        Section("training", "Training and learning"),
        Section("next-priorities", f"Our priorities for {_next_period(report.period)}"),
        Section("recipients", "Who this report goes to"),
        Section("appendix-reviews", f"Appendix: {_reviews_name(report)} summary table"),
    ]
    if checklist:
        found.append(Section("appendix-checklist", "Appendix: checking the report against the law"))
    return tuple(found)


def _next_period(period: str) -> str:
    """The reporting year after ``period``: 2025-26 gives 2026-27."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if match is None:
        return "next year"
    start = int(match.group(1)) + 1
    return f"{start}-{(start + 1) % 100:02d}"


def _reviews_name(report: AnnualReport) -> str:
    return "Safeguarding Adults Reviews" if report.is_adults_board else "Learning reviews"


def _not_implemented(review: Review) -> list[Recommendation]:
    """The review's recommendations that were not accepted or are marked not implemented."""
    return [
        recommendation
        for recommendation in review.recommendations
        if not recommendation.accepted or recommendation.status == "not_implemented"
    ]


def _recommendations_summary(review: Review) -> str:
    """How many recommendations a review made and how many are implemented."""
    total = len(review.recommendations)
    if not total:
        return "None recorded"
    implemented = sum(1 for item in review.recommendations if item.status == "implemented")
    return f"{total} ({implemented} implemented)"


class _ChartDrawer:
    """Draws each chart once per appearance: inline SVG with ids unique in the document, or an
    image of the same SVG."""

    def __init__(self, *, as_images: bool) -> None:
        self._as_images = as_images
        self._count = 0

    def __call__(self, chart: Chart, description_id: str) -> Markup:
        if self._as_images:
            encoded = base64.b64encode(render.svg(chart.spec).encode("utf-8")).decode("ascii")
            return Markup(
                '<img class="chart-image" src="data:image/svg+xml;base64,{}" alt="{}" '
                'aria-describedby="{}">'
            ).format(encoded, chart.title, description_id)
        self._count += 1
        drawn = _SVG_ID_PREFIX.sub(rf"chart-\g<1>-{self._count}-", render.svg(chart.spec))
        # The picture's longer text alternative is the description printed under it.
        drawn = drawn.replace("<svg", f'<svg aria-describedby="{description_id}"', 1)
        return Markup(drawn)  # noqa: S704 - drawn by vl-convert from our spec, made free of script by render.svg


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (autoescaped)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("safeguarding.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    env.filters["paragraphs"] = paragraphs
    env.filters["css_string"] = css_string
    env.globals["not_implemented"] = _not_implemented
    env.globals["recommendations_summary"] = _recommendations_summary
    return env


def report_html(
    report: AnnualReport,
    *,
    checklist: Sequence[Any] | None = None,
    standalone: bool = True,
    chart_images: bool = False,
) -> str:
    """The report as HTML: a whole document, or (``standalone=False``) only what goes inside
    the web app page's ``<main>``.

    ``checklist`` items need ``element``, ``law``, ``met`` and ``gaps``; given, they become an
    appendix. ``chart_images`` puts each chart's SVG in an ``<img>`` (as a ``data:`` URI) rather
    than inline: for printing, where WeasyPrint lays such images out several times faster,
    draws a repeated chart once and tags each as a figure with its alternative text.
    """
    template = environment().get_template("report.html" if standalone else "report_content.html")
    listed = sections(report, checklist=checklist is not None)
    return template.render(
        report=report,
        language=LANGUAGE,
        short_title=f"{report.short_name} annual report {report.period}",
        period_phrase=f"{long_date(report.period_start)} to {long_date(report.period_end)}",
        sections=listed,
        titles={section.id: section.title for section in listed},
        reviews_name=_reviews_name(report),
        concluded=[review for review in report.reviews if review.concluded_in_year],
        in_progress=[review for review in report.reviews if review.in_progress],
        earlier=[
            review
            for review in report.reviews
            if not review.concluded_in_year and not review.in_progress and review.recommendations
        ],
        checklist=list(checklist) if checklist is not None else None,
        chart_svg=_ChartDrawer(as_images=chart_images),
    )
