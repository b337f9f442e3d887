"""An attendee's agenda PDF: /registration/<token>/agenda.pdf."""

from __future__ import annotations

from urllib.parse import urlsplit

from conference import models
from conference.extensions import db
from conference.models import Conference, Registration
from tests.badges.bulk_data import add_registrations
from tests.badges.pdf_checks import pdf_text, squeezed


def registration_token(app, slug: str) -> str:
    add_registrations(app, slug, 1, prefix="Reader")
    with app.app_context():
        return db.session.execute(db.select(Registration.token)).scalar_one()


def test_without_bookings_the_whole_programme_is_listed_with_a_note(app, client, demo):
    token = registration_token(app, demo)

    response = client.get(f"/registration/{token}/agenda.pdf?lang=en")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    text = squeezed(pdf_text(response.data))
    assert "Reader001" in text
    assert squeezed("this is the whole programme") in text
    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == demo)
        ).scalar_one()
        titles = [s.t("title", "en") for s in conference.sessions]
    assert all(squeezed(title) in text for title in titles)


def test_booked_sessions_only_when_the_attendee_picked_some(app, client, demo):
    if not hasattr(models, "SeatBooking"):
        return
    token = registration_token(app, demo)
    with app.app_context():
        registration = db.session.execute(db.select(Registration)).scalar_one()
        sessions = registration.conference.sessions
        picked, other = sessions[1], sessions[2]
        db.session.add(models.SeatBooking(registration=registration, session=picked))
        db.session.commit()
        picked_title, other_title = picked.t("title", "zh"), other.t("title", "zh")

    text = squeezed(pdf_text(client.get(f"/registration/{token}/agenda.pdf?lang=zh").data))

    assert squeezed(picked_title) in text
    assert squeezed(other_title) not in text


def test_unknown_token_has_no_agenda(client, demo):
    assert client.get("/registration/nope/agenda.pdf").status_code == 404


def test_booked_sessions_download_as_a_calendar_file(app, client, demo):
    from icalendar import Calendar

    token = registration_token(app, demo)
    manage = client.get(f"/registration/{token}?lang=en").get_data(as_text=True)
    assert "agenda.ics" not in manage  # no seat yet: nothing for a calendar
    with app.app_context():
        registration = db.session.execute(db.select(Registration)).scalar_one()
        registration.status = "confirmed"
        picked = next(s for s in registration.conference.sessions
                      if s.track and s.speakers and s.t("abstract"))
        db.session.add(models.SeatBooking(registration=registration, session=picked,
                                          status="confirmed"))
        db.session.commit()
        title = picked.t("title", registration.language)
        slug, language = picked.slug, registration.language

    manage = client.get(f"/registration/{token}?lang=en").get_data(as_text=True)
    assert f'href="/registration/{token}/agenda.ics"' in manage
    response = client.get(f"/registration/{token}/agenda.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert client.get("/registration/nope/agenda.ics").status_code == 404

    # The attendee's file says what the published agenda.ics says about the session.
    published = client.get(f"/agenda.ics?session={slug}&lang={language}")
    [same] = Calendar.from_ical(published.data).walk("VEVENT")
    for field in ("SUMMARY", "DTSTART", "DTEND", "LOCATION", "DESCRIPTION", "CATEGORIES"):
        assert event[field].to_ical() == same[field].to_ical(), field
    assert urlsplit(str(event["URL"])).path == urlsplit(str(same["URL"])).path
    assert str(event["UID"]) != str(same["UID"])
