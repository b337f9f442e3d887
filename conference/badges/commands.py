"""``flask --app conference render-badges``: a PDF of many badges for a print run."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .bulk import (
    DEFAULT_PROCESSES,
    DEFAULT_STATUSES,
    SORTS,
    BadgeSelectionError,
    NothingSelected,
    find_conference,
    render_badges_to_file,
    select_registrations,
)
from .layouts import DEFAULT_LAYOUT, LAYOUTS


def _progress_printer(stream):
    width = 30

    def show(done: int, total: int) -> None:
        filled = width * done // total if total else width
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} badges")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


@click.command("render-badges")
@with_appcontext
@click.option("--layout", type=click.Choice(list(LAYOUTS)), default=DEFAULT_LAYOUT,
              show_default=True, help="Badge stock.")
@click.option("--category", "categories", multiple=True,
              help="Attendee category code (repeat for several; default all).")
@click.option("--status", "statuses", multiple=True,
              help=f"Registration status (repeatable; default {', '.join(DEFAULT_STATUSES)}).")
@click.option("--sort", type=click.Choice(SORTS), default="name", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--conference", "slug", default=None, help="Conference slug (default: the newest).")
@click.option("--processes", type=click.IntRange(1, 16), default=DEFAULT_PROCESSES,
              show_default=True)
@click.option("--back", is_flag=True,
              help="Follow every sheet with its back (sessions, Wi-Fi) for long-edge duplex.")
@click.option("-o", "--output", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path))
def render_badges(layout: str, categories: tuple[str, ...], statuses: tuple[str, ...],
                  sort: str, lang: str, slug: str | None, processes: int, back: bool,
                  output: Path) -> None:
    """Render the badges of many registrations to one PDF FILE (progress on stderr)."""
    try:
        conference = find_conference(slug)
        registrations = select_registrations(
            conference, categories, statuses or DEFAULT_STATUSES, sort
        )
        if not registrations:
            raise NothingSelected()
    except BadgeSelectionError as exc:
        raise click.ClickException(str(exc)) from exc
    pages = render_badges_to_file(
        registrations, lang, LAYOUTS[layout], output,
        progress=_progress_printer(sys.stderr), processes=processes, back=back,
    )
    click.echo(f"Wrote {len(registrations)} badges on {pages} pages to {output}.")
