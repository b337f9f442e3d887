"""The agenda: days, time slots, parallel rooms, filters and the queries behind it."""

from __future__ import annotations

import re

from conference.current import current_conference
from conference.public.service import build_agenda
from tests.conftest import DEMO
from tests.public.programme_data import load_spring_programme
from tests.public.query_count import counted_queries


def _text(response) -> str:
    return response.get_data(as_text=True)


def _card(page: str, slug: str) -> str:
    """The agenda card of session ``slug``."""
    cards = re.findall(r"<article class=\"session-card.*?</article>", page, re.DOTALL)
    return next(card for card in cards if f'href="/sessions/{slug}"' in card)


def _session_links(page: str) -> list[str]:
    return re.findall(r'class="session-title"><a href="/sessions/([^"]+)"', page)


def test_agenda_lists_every_session_in_time_order(client, demo):
    page = _text(client.get("/agenda?lang=en"))
    slugs = _session_links(page)
    assert len(slugs) == len(DEMO["sessions"])
    assert slugs[0] == "registration"
    assert slugs[-1] == "closing"
    assert slugs.index("opening-ceremony") < slugs.index("keynote-smart-sensors-chip-to-system")
    assert "19 September 2024" in page
    assert "Thursday" in page


def test_agenda_card_shows_room_track_speakers_kind_and_seats(client, demo):
    page = _text(client.get("/agenda?lang=en"))
    card = _card(page, "workshop-mems-calibration")
    assert "--track-colour: #d9480f" in card
    assert '13:30</time>–<time datetime="2024-09-19T15:00:00+08:00">15:00' in card
    assert 'href="/rooms/workshop-room">Workshop Room</a>' in card
    assert 'href="/speakers/guo-xinyi">Guo Xinyi</a>' in card
    assert "Workshop" in card
    assert "Optoelectronics and Instrumentation" in card
    assert "30 seats" in card

    lunch = _card(page, "lunch")
    assert "kind-break" in lunch
    assert "Break" in lunch
    assert "seats" not in lunch


def test_track_filter_narrows_the_agenda(client, demo):
    page = _text(client.get("/agenda?track=new-energy&lang=en"))
    assert set(_session_links(page)) == {"keynote-sensors-in-nev", "forum-new-energy-sensing"}
    assert "2 sessions match." in page
    assert '<option value="new-energy" selected>' in page


def test_room_filter_narrows_the_agenda(client, demo):
    page = _text(client.get("/agenda?room=forum-b&lang=en"))
    assert _session_links(page) == [
        "forum-new-energy-sensing",
        "talk-data-centre-sensing",
        "talk-sensor-data-governance",
        "talk-future-industries-sensing",
    ]
    assert '<option value="forum-b" selected>' in page


def test_track_and_room_filters_combine(client, demo):
    page = _text(client.get("/agenda?track=software-it&room=forum-b&lang=en"))
    assert _session_links(page) == ["talk-data-centre-sensing", "talk-sensor-data-governance"]


def test_empty_filters_from_the_form_show_everything(client, demo):
    page = _text(client.get("/agenda?track=&room=&lang=en"))
    assert len(_session_links(page)) == len(DEMO["sessions"])
    assert "filter-summary" not in page


def test_unknown_filter_values_say_nothing_matched(client, demo):
    response = client.get("/agenda?track=astrology&lang=en")
    assert response.status_code == 200
    page = _text(response)
    assert _session_links(page) == []
    assert "There is no track “astrology”." in page
    assert "No session matches these filters." in page

    page = _text(client.get("/agenda?room=%3Cb%3Eattic%3C%2Fb%3E&lang=en"))
    assert "There is no room “&lt;b&gt;attic&lt;/b&gt;”." in page
    assert "<b>attic" not in page


def test_filter_in_another_language_is_explained_in_that_language_too(client, demo):
    page = _text(client.get("/agenda?track=new-energy&lang=zh"))
    assert "新能源分论坛：光伏、储能与汽车中的感知" in page
    assert "开幕式" not in page


def test_multi_day_agenda_has_a_heading_per_day_in_local_time(client, app):
    load_spring_programme(app)
    page = _text(client.get("/agenda?lang=en"))
    assert page.index("29 March 2025") < page.index("30 March 2025")
    # Berlin changes to summer time in between: both days still show 10:00.
    assert 'datetime="2025-03-29T10:00:00+01:00"' in page
    assert 'datetime="2025-03-30T10:00:00+02:00"' in page


def test_parallel_sessions_get_their_room_column_on_wide_screens(app):
    load_spring_programme(app)
    with app.test_request_context("/agenda"):
        agenda = build_agenda(current_conference())
        first_day, second_day = agenda.days
        by_slug = {s.slug: s for slot in first_day.slots for s in slot.sessions}
        place = {slug: first_day.grid.placements[s.id] for slug, s in by_slug.items()}
    # Room A and room B hold parallel sessions: two room columns after the time column.
    assert first_day.grid.room_columns == 2
    assert place["sensors"].column == "2"
    assert place["chips"].column == place["boards"].column == "3"
    # The hour-long forum spans the rows of both half-hour talks beside it.
    sensors_start, sensors_end = place["sensors"].row.split(" / ")
    assert place["chips"].row.startswith(sensors_start + " /")
    assert place["boards"].row.endswith("/ " + sensors_end)
    # Sessions nothing runs beside span every room column.
    assert place["opening"].column == place["lunch"].column == "2 / -1"
    assert second_day.grid.room_columns == 0


def test_agenda_and_session_pages_use_a_fixed_number_of_queries(app, client, demo):
    with counted_queries(app) as statements:
        assert client.get("/agenda").status_code == 200
    # Conference, tracks, rooms, sessions with room and track, their speakers.
    assert len(statements) <= 6, statements

    with counted_queries(app) as statements:
        assert client.get("/?lang=en").status_code == 200
    assert len(statements) <= 8, statements
