"""The demo partnerships' reports in every format: structure, bookmarks, the checklist's
findings, and pages that are not blank."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from safeguarding.reports.checklist import check_report
from safeguarding.reports.output import render_report
from safeguarding.web.demo.loader import load_demo
from safeguarding.web.reports.adapter import annual_report
from safeguarding.web.reports.models import AnnualReport


@pytest.fixture
def reports(db: None, tmp_path: Path) -> dict[str, AnnualReport]:
    load_demo(tmp_path)
    return {r.partnership.kind: r for r in AnnualReport.objects.select_related("partnership")}


def _ink(pgm: bytes) -> float:
    """The share of pixels that are not white in a binary PGM image."""
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    assert match, "pdftoppm did not write a PGM image"
    pixels = pgm[match.end() :]
    return sum(1 for value in pixels if value < 200) / max(len(pixels), 1)


def _titles(outline: list) -> Iterator[str]:
    """Every bookmark's title, nested ones too."""
    for item in outline:
        if isinstance(item, list):
            yield from _titles(item)
        else:
            yield item.title


@pytest.mark.parametrize("kind", ["adults", "children"])
def test_a_demo_report_renders_in_every_format(reports: dict[str, AnnualReport], kind: str) -> None:
    content = annual_report(reports[kind])
    items = check_report(content)
    assert content.priorities and any(p.evidence for p in content.priorities)

    html = render_report(content, "html", items).decode()
    assert html.count("<h1") == 1 and content.partnership in html
    for priority in content.priorities:
        assert priority.title.replace("'", "&#39;") in html or priority.title in html
    # Every chart is followed by its table.
    assert html.count("<svg") >= 1 and html.count("<table") >= html.count("<svg")

    pdf = PdfReader(io.BytesIO(render_report(content, "pdf", items)))
    titles = list(_titles(pdf.outline))
    assert "Foreword" in titles and len(pdf.pages) > 5
    assert "/StructTreeRoot" in pdf.trailer["/Root"]

    document = Document(io.BytesIO(render_report(content, "docx", items)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Foreword" in headings and len(document.tables) >= 3
    assert document.core_properties.title


def test_the_demo_boards_checklist_names_the_agencies_with_no_contribution(
    reports: dict[str, AnnualReport],
) -> None:
    items = {item.id: item for item in check_report(annual_report(reports["adults"]))}
    gaps = " ".join(items["member_contributions"].gaps)
    # Four of the board's twelve members recorded what they did; the rest are named.
    assert not items["member_contributions"].met
    assert "have not recorded their contribution" in gaps and "Larkhaven Homes" in gaps


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None and not __import__("os").environ.get("CI"),
    reason="pdftoppm (Debian's poppler-utils) is not installed; make report-tools installs it",
)
def test_the_demo_reports_pages_are_not_blank(
    reports: dict[str, AnnualReport], tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report(annual_report(reports["children"]), "pdf"))
    subprocess.run(
        ["pdftoppm", "-r", "20", "-gray", "-f", "1", "-l", "4", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) == 4
    for page in pages:
        assert _ink(page.read_bytes()) > 0.001, page.name
