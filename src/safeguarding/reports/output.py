"""A report in the format asked for: one entry point for the web app and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from safeguarding.reports.annual import AnnualReport

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render_report(report: AnnualReport, fmt: str, checklist: Sequence[Any] | None = None) -> bytes:
    """The report as HTML (UTF-8), PDF or DOCX; ``checklist`` adds it as an appendix."""
    if fmt == "html":
        from safeguarding.reports.html import report_html

        return report_html(report, checklist=checklist).encode("utf-8")
    if fmt == "pdf":
        from safeguarding.reports.pdf import report_pdf

        return report_pdf(report, checklist=checklist)
    if fmt == "docx":
        from safeguarding.reports.docx import report_docx

        return report_docx(report, checklist=checklist)
    raise ValueError(f"no report format {fmt!r}; there are: {', '.join(FORMATS)}")
