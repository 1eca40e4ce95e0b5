"""The ``safeguarding`` command: a thin layer over the platform's functions.

See ``shared/specs/cli.md`` for the contract. Bad input ends with a one- or two-line message on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import os
import socket
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from safeguarding.commands import common
from safeguarding.commands.align import align_command
from safeguarding.commands.audit import audit_app
from safeguarding.commands.backup import backup_command, restore_command
from safeguarding.commands.common import database_problem, err, out, start_django
from safeguarding.commands.documents import documents_app
from safeguarding.commands.indicators import indicators_app
from safeguarding.commands.indicators_children import children_command
from safeguarding.commands.load import import_app
from safeguarding.commands.neighbours import neighbours_command
from safeguarding.commands.report import report_app
from safeguarding.commands.synth import synth_app

app = typer.Typer(
    help="The safeguarding partnership platform.", no_args_is_help=True, add_completion=False
)
db_app = typer.Typer(help="The platform's database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(synth_app, name="synth", help="Synthetic case records for tests and demonstrations.")
indicators_app.command("children")(children_command)
app.add_typer(indicators_app, name="indicators", help="Statutory indicators from case records.")
app.add_typer(import_app, name="import", help="Load indicator values into the platform.")
app.command("neighbours")(neighbours_command)
app.add_typer(
    report_app,
    name="report",
    help="Statutory annual reports and the Health and Wellbeing Board paper.",
)
app.add_typer(audit_app, name="audit", help="The audit trail, for a governance review.")
app.add_typer(documents_app, name="documents", help="Reading partnership reports and strategies.")
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.command("align")(align_command)

DEFAULT_DATA_DIR = Path(".safeguarding")


# These messages have always wrapped at the terminal's width, unlike the subcommands'.
fail = partial(common.fail, soft_wrap=False)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise fail(
                f"Port {port} on {host} is already in use. Stop the other server or choose "
                "another port with --port."
            ) from None


def _serve(host: str, port: int, workers: int = 1) -> None:
    from safeguarding.web.server import serve as serve_app

    serve_app(host, port, workers=workers)


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port to serve on.", min=1, max=65535)] = 8000,
    data_dir: Annotated[
        Path, typer.Option(help="Where the demo's SQLite database is kept.")
    ] = DEFAULT_DATA_DIR,
) -> None:
    """Create (or reuse) the demo database, load the demo borough and serve the web app."""
    # The demo always runs on its own SQLite file, whatever DATABASE_URL says.
    os.environ.pop("DATABASE_URL", None)
    host = "127.0.0.1"
    _check_port_free(host, port)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise fail(f"Cannot create the data directory {data_dir}: {error.strerror}.") from None
    start_django(data_dir)
    with err.status("Preparing the demo database..."):
        _migrate()
        from safeguarding.web.demo.loader import load_demo

        logins = load_demo(data_dir.resolve())
    table = Table(title="Demo sign-ins", title_justify="left")
    table.add_column("Role")
    table.add_column("Partnership or agency")
    # Credentials must never be cut short to fit a narrow terminal.
    table.add_column("Username", no_wrap=True, min_width=12)
    table.add_column("Password", no_wrap=True, min_width=24)
    for login in logins:
        where = login.agency or login.partnership or "All partnerships"
        table.add_row(login.role_label, where, login.username, login.password)
    out.print(table)
    out.print(f"The platform is running at [bold]http://{host}:{port}/[/bold] (Ctrl+C to stop).")
    _serve(host, port)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (default: one a core).", min=1, max=32),
    ] = None,
) -> None:
    """Serve the web app on the database that DATABASE_URL names (SQLite by default)."""
    from safeguarding.web.server import default_workers

    _check_port_free(host, port)
    start_django()
    if problem := database_problem(first_line_only=False):
        raise fail(problem)
    count = workers or default_workers()
    out.print(f"Serving on http://{host}:{port}/ with {count} worker(s) (Ctrl+C to stop).")
    _serve(host, port, count)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations."""
    start_django()
    try:
        with err.status("Applying migrations..."):
            _migrate()
    except Exception as error:  # reported plainly: a wrong DATABASE_URL is the usual cause
        raise fail(f"Could not upgrade the database: {error}") from None
    out.print("The database is up to date.")


@app.command("create-user")
def create_user(
    username: str,
    role: Annotated[str, typer.Option(help="administrator, business_manager, ...")],
    partnership: Annotated[str | None, typer.Option(help="Partnership slug.")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency name, for contributors.")] = None,
    email: Annotated[
        str | None,
        typer.Option(help="Work email address: single sign-on matches people by it."),
    ] = None,
) -> None:
    """Create a person with one role; the password is asked for, never given as an option."""
    start_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from safeguarding.web.accounts.models import RoleAssignment
    from safeguarding.web.records.models import PartnerAgency, Partnership

    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise fail(f"There is already a person with the username {username!r}.")
    found_partnership = None
    if partnership:
        found_partnership = Partnership.objects.filter(slug=partnership).first()
        if found_partnership is None:
            raise fail(f"There is no partnership {partnership!r}.")
    found_agency = None
    if agency:
        found_agency = PartnerAgency.objects.filter(name=agency).first()
        if found_agency is None:
            raise fail(f"There is no agency named {agency!r}.")
    if email is not None:
        from django.core.validators import validate_email

        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise fail(f"{email!r} is not an email address.") from None
        if user_model.objects.filter(email__iexact=email).exists():
            raise fail(f"Someone already has the email address {email}.")
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        # Checked against the person too, so a password like their username is refused.
        validate_password(password, user_model(username=username, email=email or ""))
        with transaction.atomic():
            user = user_model.objects.create_user(
                username=username, password=password, email=email or ""
            )
            assignment = RoleAssignment(
                user=user, role=role, partnership=found_partnership, agency=found_agency
            )
            assignment.full_clean(exclude=["user"])
            assignment.save()
    except ValidationError as error:
        raise fail(" ".join(error.messages)) from None
    out.print(f"Created {username} as {assignment.get_role_display()}.")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
