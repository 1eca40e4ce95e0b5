"""``safeguarding report annual``: a partnership's statutory annual report for a year, as HTML,
PDF or DOCX, from the records in the platform. Registered on the main app as ``report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safeguarding.commands.common import err, fail, out, start_django

report_app = typer.Typer(no_args_is_help=True)
FORMATS = ("html", "pdf", "docx")


@report_app.callback()
def report_group() -> None:
    """Statutory reports of a partnership."""


@report_app.command("annual")
def annual_command(
    partnership: Annotated[str, typer.Option(help="The partnership's short address, e.g. lscp.")],
    year: Annotated[str, typer.Option(help="The reporting year, e.g. 2025-26.")],
    out_path: Annotated[
        Path, typer.Option("--out", help="The file to write: .html, .pdf or .docx.")
    ],
    checklist: Annotated[
        bool, typer.Option(help="Add the legal checklist as an appendix, as a draft has.")
    ] = False,
) -> None:
    """The annual report of a partnership for a year, with published figures only."""
    fmt = out_path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise fail(f"{out_path} must end in .html, .pdf or .docx.", markup=False)
    if not out_path.parent.is_dir():
        raise fail(f"The folder {out_path.parent} does not exist.", markup=False)
    start_django()
    from safeguarding.reports.checklist import check_report
    from safeguarding.reports.output import render_report
    from safeguarding.web.records.models import Partnership
    from safeguarding.web.reports import adapter
    from safeguarding.web.reports.models import AnnualReport

    found = Partnership.objects.filter(slug=partnership).first()
    if found is None:
        slugs = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
        raise fail(f"There is no partnership {partnership!r}; there are: {slugs}.", markup=False)
    report = AnnualReport.objects.filter(partnership=found, period__label=year).first()
    if report is None:
        years = ", ".join(found.annual_reports.values_list("period__label", flat=True)) or "none"
        raise fail(
            f"{found.name} has no annual report for {year}; it has: {years}. Start one on the "
            "partnership's 'Annual reports' page.",
            markup=False,
        )
    with err.status(f"Writing the {year} report of {found.short_name} ..."):
        content = adapter.annual_report(report)
        items = check_report(content)
        data = render_report(content, fmt, items if checklist else None)
    out_path.write_bytes(data)
    gaps = [gap for item in items if not item.met for gap in item.gaps]
    out.print(f"Wrote {out_path} ({len(data):,} bytes).")
    if gaps:
        err.print(f"The legal checklist found {len(gaps)} gap(s), for example: {gaps[0]}")
