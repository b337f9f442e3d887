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
@click.option("--attendees", type=click.IntRange(0, 1_000_000), default=0,
              help="Add this many synthetic attendees to the demo (loading it first if needed).")
def seed_demo(if_empty: bool, attendees: int) -> None:
    """Load the demo conference (replacing an earlier copy of it); with --attendees N, add N
    synthetic registrations to it for demos and load tests."""
    from .models import Conference
    from .programme.importer import ProgrammeError, import_programme

    if attendees:
        _seed_attendees(attendees)
        return
    if if_empty and db.session.execute(db.select(Conference.id).limit(1)).first():
        click.echo("A conference is already loaded; nothing to do.")
        return
    try:
        conference = import_programme(DEMO_FILE.read_text(encoding="utf-8"), str(DEMO_FILE))
    except ProgrammeError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Loaded demo conference {conference.slug}: {_counts(conference)}.")


def _seed_attendees(count: int) -> None:
    import time

    from .demo_attendees import seed_attendees
    from .models import Conference
    from .programme.importer import import_programme

    slug = _demo_slug()
    conference = db.session.execute(
        db.select(Conference).where(Conference.slug == slug)).scalar_one_or_none()
    if conference is None:
        conference = import_programme(DEMO_FILE.read_text(encoding="utf-8"), str(DEMO_FILE))
        click.echo(f"Loaded demo conference {conference.slug}.")
    started = time.perf_counter()
    report = seed_attendees(conference, count)
    seconds = time.perf_counter() - started
    click.echo(f"Added {report.added:,} synthetic attendees to {slug} in {seconds:.1f} s.")
    click.echo("  by status: " + ", ".join(f"{k} {v:,}" for k, v in sorted(report.by_status.items())))
    click.echo("  by category: "
               + ", ".join(f"{k} {v:,}" for k, v in sorted(report.by_category.items())))
    click.echo(f"  seats {report.seats:,} (waiting lists {report.waitlisted_seats:,}), "
               f"checked in {report.checked_in:,} ({report.went_out:,} gone out again)")
    for code, (before, after) in report.enlarged.items():
        click.echo(f"  category {code}: capacity {before:,} raised to {after:,} to admit them")


def _demo_slug() -> str:
    import yaml

    return yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["conference"]["slug"]


@click.command("import-programme")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")
def import_programme_command(file: Path, dry_run: bool) -> None:
    """Load a conference from a programme FILE (see docs/programme-format.md); one people
    registered for is changed in place, and what changed is printed."""
    from .programme.importer import ProgrammeError, load_programme

    try:
        conference, report = load_programme(file.read_text(encoding="utf-8"), str(file),
                                            dry_run=dry_run)
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file}: not UTF-8 text ({exc.reason})") from exc
    except ProgrammeError as exc:
        raise click.ClickException(str(exc)) from exc
    if report is None:
        verb = "Would load" if dry_run else "Loaded"
        click.echo(f"{verb} {conference.slug}: {_counts(conference)}.")
        return
    for line in report.lines:
        click.echo(line)
    verb = "Would change" if dry_run else "Changed"
    click.echo(f"{verb} {conference.slug} in place: {len(report.lines)} changes, "
               f"{len(report.mails)} e-mails to seat holders"
               + (" (dry run: nothing changed)." if dry_run else "."))


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


@click.command("backup")
@with_appcontext
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def backup_command(folder: Path) -> None:
    """Back up the database, the instance keys and the stored files into a new FOLDER."""
    from .backup import backup

    summary = _backup_step(backup, folder)
    click.echo(f"Backed up the {summary.database} database (migration {summary.revision}) and "
               f"{summary.files - 1} instance files into {folder}: {summary.size:,} bytes.")


@click.command("restore")
@with_appcontext
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(folder: Path) -> None:
    """Restore a backup FOLDER into this site's empty database and instance folder."""
    from .backup import restore

    summary = _backup_step(restore, folder)
    click.echo(f"Restored the {summary.database} database (migration {summary.revision}) and "
               f"{summary.files} instance files from {folder}. Start the app servers again.")


def _backup_step(step, folder: Path):
    from .backup import BackupError

    try:
        return step(folder)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc


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
                    backup_command, restore_command, create_api_token):
        app.cli.add_command(command)
    from .badges.commands import render_badges

    app.cli.add_command(render_badges)
    from .mail.outbox import send_mail_command
    from .registration.commands import approve_command, reject_command
    from .registration.retention import purge_command

    for command in (send_mail_command, approve_command, reject_command, purge_command):
        app.cli.add_command(command)
