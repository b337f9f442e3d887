"""``flask --app conference …`` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .extensions import db

DEMO_FILE = Path(__file__).parent / "demo" / "hefei-smart-sensor-2024.yaml"


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when a conference is already loaded.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo conference (replacing an earlier copy of it)."""
    from .models import Conference
    from .programme.importer import ProgrammeError, import_programme

    if if_empty and db.session.execute(db.select(Conference.id).limit(1)).first():
        click.echo("A conference is already loaded; nothing to do.")
        return
    try:
        conference = import_programme(DEMO_FILE.read_text(encoding="utf-8"), str(DEMO_FILE))
    except ProgrammeError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Loaded demo conference {conference.slug}: {_counts(conference)}.")


@click.command("import-programme")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_programme_command(file: Path) -> None:
    """Load a conference from a programme FILE (see docs/programme-format.md)."""
    from .programme.importer import ProgrammeError, import_programme

    try:
        conference = import_programme(file.read_text(encoding="utf-8"), str(file))
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file}: not UTF-8 text ({exc.reason})") from exc
    except ProgrammeError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Loaded {conference.slug}: {_counts(conference)}.")


def _counts(conference) -> str:
    return (
        f"{len(conference.rooms)} rooms, {len(conference.tracks)} tracks, "
        f"{len(conference.sessions)} sessions, {len(conference.speakers)} speakers, "
        f"{len(conference.exhibitors)} exhibitors, {len(conference.categories)} categories"
    )


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "organiser", "staff"]), default="staff")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(email: str, role: str, password: str) -> None:
    """Create a staff account (or reset its role and password)."""
    from .auth.service import AccountError, create_or_update_user

    try:
        user, created = create_or_update_user(email, password, role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{'Created' if created else 'Updated'} {user.role} {user.email}.")


@click.command("create-device-token")
@with_appcontext
@click.argument("name")
def create_device_token(name: str) -> None:
    """Create a bearer token for a scanner device; the token is the last line printed."""
    from .auth.service import issue_device_token

    token = issue_device_token(name)
    click.echo(f"Device token for {name!r} (shown once; revoke it from the organiser pages):")
    click.echo(token)


@click.command("create-api-token")
@with_appcontext
@click.argument("email")
@click.argument("name")
def create_api_token(email: str, name: str) -> None:
    """Create an API token acting as the account EMAIL; the token is the last line printed."""
    from .auth.api_tokens import issue_api_token
    from .email_address import EmailNotValidError, normalise_email
    from .models import User

    try:
        address = normalise_email(email)
    except EmailNotValidError as exc:
        raise click.ClickException(f"{email!r} is not a valid e-mail address") from exc
    account = db.session.execute(db.select(User).where(User.email == address)).scalar_one_or_none()
    if account is None or not account.active:
        raise click.ClickException(f"no active account {address}")
    _, token = issue_api_token(account, name)
    click.echo(f"API token {name!r} acting as {account.email} ({account.role}); shown once, "
               "revoke it on /admin/people:")
    click.echo(token)


def init_app(app) -> None:
    for command in (seed_demo, import_programme_command, create_user, create_device_token,
                    create_api_token):
        app.cli.add_command(command)
    from .badges.commands import render_badges

    app.cli.add_command(render_badges)
    from .mail.outbox import send_mail_command
    from .registration.commands import approve_command, reject_command

    for command in (send_mail_command, approve_command, reject_command):
        app.cli.add_command(command)
