"""``safeguarding report annual``: a partnership's statutory annual report for a year, as HTML,
PDF or DOCX, from the records in the platform; ``safeguarding report hwb``: the Health and
Wellbeing Board paper from a shared-priorities analysis. Registered on the main app as
``report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safeguarding.commands.common import err, fail, out, start_django

report_app = typer.Typer(no_args_is_help=True)
FORMATS = ("html", "pdf", "docx")


@report_app.callback()
def report_group() -> None:
    """Statutory reports of a partnership, and the Health and Wellbeing Board paper."""


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


#: An alignment file larger than this is not one the platform wrote.
MAX_ALIGNMENT_BYTES = 200_000_000


@report_app.command("hwb")
def hwb_command(
    alignment: Annotated[
        Path,
        typer.Option(help="The shared-priorities analysis: the JSON `safeguarding align` wrote."),
    ],
    out_path: Annotated[
        Path, typer.Option("--out", help="The file to write: .docx, .html or .pdf.")
    ],
    meta: Annotated[
        Path | None,
        typer.Option(help="YAML or JSON with the cover's details: title, date, contact officer..."),
    ] = None,
) -> None:
    """The Health and Wellbeing Board paper on the partnerships' reports and shared priorities."""
    import json

    fmt = out_path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise fail(f"{out_path} must end in .docx, .html or .pdf.", markup=False)
    if not out_path.parent.is_dir():
        raise fail(f"The folder {out_path.parent} does not exist.", markup=False)
    try:
        if alignment.stat().st_size > MAX_ALIGNMENT_BYTES:
            raise fail(f"{alignment} is too large to be an alignment file.", markup=False)
        data = json.loads(alignment.read_bytes())
    except FileNotFoundError:
        raise fail(f"There is no alignment file {alignment}.", markup=False) from None
    except OSError as error:
        raise fail(f"Cannot read {alignment}: {error.strerror}.", markup=False) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise fail(
            f"{alignment} is not a JSON file: make it with `safeguarding align`.", markup=False
        ) from None

    from safeguarding.reports.hwb import (
        BoardPaperProblem,
        board_paper_from_alignment,
        load_meta,
        render_board_paper,
        unfinished,
    )
    from safeguarding.themes.alignment import validate_alignment

    try:
        data = validate_alignment(data)
    except ValueError as error:
        # A problem with the file as a whole comes without a place: "is missing 'model'".
        problem = str(error)
        problem = f"it {problem}" if problem.startswith(("is ", "should ")) else problem
        raise fail(
            f"{alignment} is not a shared-priorities analysis: {problem}", markup=False
        ) from None
    try:
        details = load_meta(meta) if meta is not None else None
        paper = board_paper_from_alignment(data, details)
    except BoardPaperProblem as error:
        raise fail(str(error), markup=False) from None
    with err.status("Writing the Health and Wellbeing Board paper ..."):
        content = render_board_paper(paper, fmt)
    try:
        out_path.write_bytes(content)
    except OSError as error:
        raise fail(f"Cannot write {out_path}: {error.strerror}.", markup=False) from None
    out.print(f"Wrote {out_path} ({len(content):,} bytes).", highlight=False)
    missing = unfinished(paper)
    if missing:
        err.print(
            f"Still to complete: {', '.join(missing)} (give them with --meta, or in Word).",
            highlight=False,
            markup=False,
        )
    if not paper.method.reviewed:
        err.print(
            "The analysis has not been reviewed by an officer yet; the paper says so.",
            highlight=False,
            markup=False,
        )
