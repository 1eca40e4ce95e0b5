"""``safeguarding audit export``: the audit trail as CSV, for an information governance review.
Registered on the main app as ``audit``."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated

import typer

from safeguarding.commands.common import database_problem, fail, out, start_django

audit_app = typer.Typer(no_args_is_help=True)


@audit_app.callback()
def audit_group() -> None:
    """The audit trail: changes, refused attempts, sign-ins and downloads."""


def _day(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option} must be a date written like 2026-01-31, not {text!r}.") from None


def _operator() -> str:
    """The name of the person at the terminal, as the audit trail keeps it."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        name = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return f"{name} (cli)"


@audit_app.command("export")
def export_command(
    out_path: Annotated[Path, typer.Option("--out", help="The CSV file to write.")],
    start: Annotated[
        str | None, typer.Option("--from", help="First day, e.g. 2026-01-01 (UK time).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day, included, e.g. 2026-03-31.")
    ] = None,
    person: Annotated[str | None, typer.Option(help="Only this username's events.")] = None,
    partnership: Annotated[
        str | None, typer.Option(help="Only this partnership's events: its short address.")
    ] = None,
    action: Annotated[
        str | None, typer.Option(help="Only one kind of event, e.g. sign_in_failed or export.")
    ] = None,
) -> None:
    """Write the audit trail's events, oldest first, to a CSV file. The export is itself
    written to the audit trail."""
    first, last = _day(start, "--from"), _day(end, "--to")
    if first and last and last < first:
        raise fail("--to must be the same day as --from or after it.")
    if out_path.suffix.lower() != ".csv":
        raise fail(f"{out_path} must end in .csv.", markup=False)
    if not out_path.parent.is_dir():
        raise fail(f"The folder {out_path.parent} does not exist.", markup=False)
    start_django()
    if problem := database_problem():
        raise fail(problem)
    from safeguarding.web.audit import export, trail
    from safeguarding.web.audit.models import AuditEvent
    from safeguarding.web.records.models import Partnership

    actions = [code for code, _ in AuditEvent.ACTIONS]
    if action and action not in actions:
        raise fail(f"There is no action {action!r}; there are: {', '.join(actions)}.")
    found = None
    if partnership:
        found = Partnership.objects.filter(slug=partnership).first()
        if found is None:
            slugs = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
            raise fail(f"There is no partnership {partnership!r}; there are: {slugs}.")
    selection = export.Selection(
        start=first, end=last, person=person or "", partnership=found, action=action or ""
    )
    trail.export(
        None,
        f"audit trail ({selection.describe()})",
        "csv",
        partnership=found,
        user=SimpleNamespace(pk=None, username=_operator()),
        via="cli",
    )
    try:
        with out_path.open("wb") as handle:
            count = export.write_csv(selection.events(), handle)
    except OSError as error:
        raise fail(f"Cannot write {out_path}: {error.strerror}.", markup=False) from None
    out.print(f"Wrote {count:,} audit events to {out_path}.", highlight=False, markup=False)
