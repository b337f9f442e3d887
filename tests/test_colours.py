"""A colour that is not a plain ``#rrggbb`` never reaches a style: not on the agenda, not in
the printed programme, not on a badge; the importer refuses it in the first place."""

from __future__ import annotations

import re

import pytest

from conference.badges.layouts import DEFAULT_LAYOUT, LAYOUTS
from conference.badges.render import DEFAULT_BAND_COLOUR, badge_stylesheet
from conference.current import current_conference
from conference.extensions import db
from conference.models import AttendeeCategory, Track
from conference.programme.importer import ProgrammeError, import_programme
from conference.programme.pdf import programme_html
from tests.public.programme_data import PROGRAMME, load_spring_programme

# Short enough for the colour columns (seven characters), so PostgreSQL stores them too.
BAD_COLOURS = ["red", "#a3}*{x", "#aa330", ""]


def _card(page: str, slug: str) -> str:
    cards = re.findall(r"<article class=\"session-card.*?</article>", page, re.DOTALL)
    return next(card for card in cards if f'href="/sessions/{slug}"' in card)


@pytest.mark.parametrize("bad", BAD_COLOURS)
def test_a_stored_colour_that_is_not_rrggbb_is_left_out_everywhere(app, client, bad):
    load_spring_programme(app)
    with app.app_context():
        db.session.execute(db.update(Track).where(Track.slug == "hardware").values(colour=bad))
        db.session.execute(db.update(AttendeeCategory).values(colour=bad))
        db.session.commit()

    agenda = client.get("/agenda?lang=en").get_data(as_text=True)
    assert "--track-colour: #0033aa" in _card(agenda, "chips")  # the other track's colour
    assert "--track-colour" not in _card(agenda, "opening")
    session_page = client.get("/sessions/opening?lang=en").get_data(as_text=True)
    assert "--track-colour" not in session_page

    with app.test_request_context("/"):
        conference = current_conference()
        book = programme_html(conference, "en")
        stylesheet = badge_stylesheet(LAYOUTS[DEFAULT_LAYOUT], conference)
    assert re.findall(r"border-left-color: ([^ ;]*)", book) == ["#0033aa"]
    [category_rule] = re.findall(r"\.k\d+ \{[^}]*\}", stylesheet)
    assert f"background: {DEFAULT_BAND_COLOUR};" in category_rule
    if bad:
        assert bad not in book and bad not in stylesheet


@pytest.mark.parametrize("bad", BAD_COLOURS)
def test_the_importer_refuses_a_colour_that_is_not_rrggbb(app, bad):
    text = PROGRAMME.replace('colour: "#aa3300"', f"colour: {bad!r}")
    with app.app_context(), pytest.raises(ProgrammeError, match="must look like #1f6feb"):
        import_programme(text, "colours.yaml")
