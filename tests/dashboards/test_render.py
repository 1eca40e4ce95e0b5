"""Drawing charts to SVG and PNG: safe to inline in a page, accessible, and cached."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest

from safeguarding.dashboards import render
from safeguarding.dashboards.charts import Chart, trend_chart
from safeguarding.dashboards.figures import Figure, IndicatorFigures, Place
from safeguarding.indicators.catalogue import catalogue

LARKHAVEN = Place("E06000097", "Larkhaven", "la", "council")
ENGLAND = Place("E92000001", "England", "england", "england")
PERIODS = ("2022-23", "2023-24", "2024-25")


@pytest.fixture(scope="module")
def chart() -> Chart:
    spec = catalogue().get("adults.msp_asked_pct")
    found = [
        Figure(
            indicator=spec.id,
            place=place,
            period=period,
            breakdown="total",
            category="total",
            value=value + i,
            unit="percent",
            lower_ci=value + i - 2,
            upper_ci=value + i + 2,
        )
        for i, period in enumerate(PERIODS)
        for place, value in ((LARKHAVEN, 80.0), (ENGLAND, 81.0))
    ]
    return trend_chart(IndicatorFigures(spec, LARKHAVEN, tuple(found), PERIODS))


@pytest.fixture(scope="module")
def drawn(chart: Chart) -> str:
    """One drawing shared by every test: vl-convert's first call in a process is the slow one."""
    return render.svg(chart.spec)


def test_svg_is_an_svg_element_without_a_prolog(drawn: str) -> None:
    assert drawn.startswith("<svg ")
    assert "<?xml" not in drawn and "<!DOCTYPE" not in drawn
    assert drawn.rstrip().endswith("</svg>")


def test_svg_is_an_image_named_by_the_chart_title(drawn: str, chart: Chart) -> None:
    opening = drawn[: drawn.index(">") + 1]
    assert 'role="img"' in opening
    for attribute in ("width", "height", "viewBox"):
        assert re.search(rf'\s{attribute}="[^"]+"', opening)
    assert drawn[len(opening) :].startswith(f"<title>{chart.title}</title>")
    assert "aria-labelledby" not in drawn
    # Vega's own markup for assistive technology would contradict role="img": the picture is
    # the one thing inside it that assistive technology is told about.
    assert "aria-roledescription" not in drawn
    assert "aria-label" not in drawn
    assert re.findall(r'\srole="[^"]*"', drawn) == [' role="img"']


def test_svg_keeps_each_plotted_figure_as_its_tables_value(drawn: str, chart: Chart) -> None:
    values = sorted(re.findall(r'\sdata-value="([^"]*)"', drawn))
    value_columns = [
        index
        for index, heading in enumerate(chart.table.headings)
        if index > 0 and "limit" not in heading
    ]
    cells = sorted(row[index] for row in chart.table.rows for index in value_columns)
    assert cells == ["80.0", "81.0", "81.0", "82.0", "82.0", "83.0"]
    assert values == cells


def test_svg_has_no_script_and_no_event_handlers(drawn: str) -> None:
    assert "<script" not in drawn.lower()
    assert not re.search(r"\son[a-z]+\s*=", drawn, flags=re.IGNORECASE)


def test_svg_shows_the_chart_text(drawn: str) -> None:
    assert ">People asked about the outcomes they wanted</text>" in drawn
    assert ">2024-25</text>" in drawn


def test_svg_is_cached_by_the_specs_content(chart: Chart, drawn: str) -> None:
    # A copy with its keys in another order is the same spec: the cache returns the same text.
    reordered: dict[str, Any] = dict(reversed(list(chart.spec.items())))
    assert render.spec_key(reordered) == render.spec_key(chart.spec)
    assert render.svg(reordered) is drawn


def test_svg_from_many_threads_at_once(chart: Chart, drawn: str) -> None:
    results: list[str] = []
    lock = threading.Lock()

    def draw() -> None:
        found = render.svg(chart.spec)
        with lock:
            results.append(found)

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [drawn] * 8


def test_png(chart: Chart) -> None:
    image = render.png(chart.spec, scale=1)
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert render.png(chart.spec, scale=1) is image


def test_inline_svg_removes_active_content_and_namespaces_ids() -> None:
    hostile = (
        '<?xml version="1.0"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10" viewBox="0 0 10 10" onload="alert(1)">'
        "<title>Old</title><script>alert(2)</script>"
        '<defs><clipPath id="clip1"><rect width="5" height="5"/></clipPath></defs>'
        '<g clip-path="url(#clip1)" role="graphics-object" onclick="alert(3)">'
        '<a xlink:href="javascript:alert(4)"><text>Hi</text></a>'
        '<use href="#clip1"/></g>'
        '<g class="mark-symbol role-mark layer_1_marks" role="graphics-object">'
        '<path aria-label="12.5" role="graphics-symbol" aria-roledescription="point"/></g>'
        '<g class="mark-group role-axis" role="graphics-symbol" aria-label="X-axis titled Year">'
        '<g class="mark-text role-axis-label"><text aria-label="2024-25">2024-25</text></g></g>'
        "</svg>"
    )
    safe = render.inline_svg(hostile, title="A & B", id_prefix="c1-")
    assert "<script" not in safe and "alert" not in safe and "javascript" not in safe
    assert safe.count("<title>") == 1 and "<title>A &amp; B</title>" in safe
    assert 'id="c1-clip1"' in safe and 'clip-path="url(#c1-clip1)"' in safe
    assert 'href="#c1-clip1"' in safe
    assert "graphics-object" not in safe and "graphics-symbol" not in safe
    # A mark keeps the figure it plots; an axis or its labels keep nothing.
    assert re.findall(r'data-value="([^"]*)"', safe) == ["12.5"]
    assert "aria-label" not in safe and "aria-roledescription" not in safe
    assert 'width="10" height="10" viewBox="0 0 10 10"' in safe


def test_spec_title_reads_every_form() -> None:
    assert render.spec_title({"title": "Plain"}) == "Plain"
    assert render.spec_title({"title": {"text": ["Two", "lines"]}}) == "Two lines"
    assert render.spec_title({}) == ""


def test_cache_forgets_the_least_recently_used() -> None:
    cache: render._Cache[str] = render._Cache(2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # "b" is now the least recently used
    cache.put("c", "C")
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c"), len(cache)) == ("A", "C", 2)
