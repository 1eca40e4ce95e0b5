"""The annual report as a tagged PDF (PDF/UA-1), printed by WeasyPrint from the report's HTML.

The print stylesheet in ``templates/report.css`` gives the pages their size, running header,
page numbers and breaks; WeasyPrint makes the bookmarks from the h1 to h3 headings. Nothing is
fetched from the network or the disk: the report is self-contained.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import weasyprint

from safeguarding.reports.annual import AnnualReport
from safeguarding.reports.html import report_html

#: PDF/UA-1: a tagged PDF with its title shown and its language set, for screen readers.
PDF_VARIANT = "pdf/ua-1"


def url_fetcher() -> weasyprint.URLFetcher:
    """A fetcher that refuses every address but ``data:`` URIs."""
    return weasyprint.URLFetcher(allowed_protocols=("data",), allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    """Print an HTML document made by ``report_html`` to PDF."""
    document = weasyprint.HTML(string=html, url_fetcher=url_fetcher())
    written = document.write_pdf(pdf_variant=PDF_VARIANT)
    if written is None:  # only when a target is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return written


def report_pdf(report: AnnualReport, *, checklist: Sequence[Any] | None = None) -> bytes:
    """The report as PDF bytes: tagged, with bookmarks, metadata and page numbers."""
    return html_to_pdf(report_html(report, checklist=checklist, chart_images=True))
