"""Organiser commands: approve or reject a registration by its token or e-mail address."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..email_address import EmailNotValidError, normalise_email
from ..extensions import db
from ..models import Registration
from ..models.registration import find_by_token
from .lifecycle import approve, reject
from .lookups import ADDRESS_ORDER


def _find(token_or_email: str) -> list[Registration]:
    """The registration with this token; else, per conference, the registration with this
    e-mail address that holds it (not cancelled), or the one cancelled last."""
    found = find_by_token(token_or_email)
    if found is not None:
        return [found]
    try:
        email = normalise_email(token_or_email)
    except EmailNotValidError:
        return []
    by_conference: dict[int, Registration] = {}
    for registration in db.session.execute(
        db.select(Registration)
        .where(Registration.email == email)
        .order_by(Registration.conference_id, *ADDRESS_ORDER)
    ).scalars():
        by_conference.setdefault(registration.conference_id, registration)
    return list(by_conference.values())


def _one(token_or_email: str) -> Registration:
    found = _find(token_or_email)
    if not found:
        raise click.ClickException(f"no registration for {token_or_email!r}")
    if len(found) > 1:
        raise click.ClickException(
            f"{len(found)} registrations (several conferences) for {token_or_email!r}; use the token"
        )
    return found[0]


@click.command("approve")
@click.argument("token_or_email")
@with_appcontext
def approve_command(token_or_email: str) -> None:
    """Approve a pending registration (TOKEN or EMAIL).

    By e-mail address: the registration holding it, not one cancelled earlier.
    """
    registration = _one(token_or_email)
    if not approve(registration):
        raise click.ClickException(f"not pending but {registration.status}")
    click.echo(f"approved {registration.email}")


@click.command("reject")
@click.argument("token_or_email")
@with_appcontext
def reject_command(token_or_email: str) -> None:
    """Reject a pending registration (TOKEN or EMAIL).

    By e-mail address: the registration holding it, not one cancelled earlier.
    """
    registration = _one(token_or_email)
    if reject(registration) is None:
        raise click.ClickException(f"not pending but {registration.status}")
    click.echo(f"rejected {registration.email}")
