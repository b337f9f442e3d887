"""Everyone sees an organiser's edit on the next request: the public pages, the schedule
files (their ``version`` changes), the calendar, the programme and room-sign PDFs and the
API — no cache holds the old programme, and an old ETag gets the new document."""

from __future__ import annotations

import pytest

from conference.programme import editing
from tests.badges.pdf_checks import pdf_text, squeezed
from tests.programme.editing_data import session

SLUG = "workshop-mems-calibration"
NEW_TITLE = "Pressure sensors calibrated by hand"

DOCUMENTS = ["/schedule.json", "/schedule.xml", "/programme.pdf?lang=en",
             "/rooms/workshop-room/schedule.pdf?lang=en"]


def _text(response) -> str:
    if response.mimetype == "application/pdf":
        return squeezed(pdf_text(response.data))
    return response.get_data(as_text=True)


def _rename(app) -> None:
    with app.app_context():
        item = session(SLUG)
        editing.finish(editing.save_session(item.conference, item, {"title_en": NEW_TITLE}))


@pytest.mark.parametrize("path", DOCUMENTS)
def test_a_document_polled_with_its_old_etag_comes_back_edited(client, app, demo, path):
    first = client.get(path)
    assert first.status_code == 200
    assert "no-cache" in first.headers["Cache-Control"]  # kept, but asked for again
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    _rename(app)
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert squeezed(NEW_TITLE) in squeezed(_text(again))


def test_the_schedule_version_changes_with_an_edit(client, app, demo):
    before = client.get("/schedule.json").json["schedule"]["version"]
    _rename(app)
    assert client.get("/schedule.json").json["schedule"]["version"] != before


@pytest.mark.parametrize("path", [f"/sessions/{SLUG}?lang=en", "/agenda?lang=en",
                                  "/rooms/workshop-room?lang=en", "/agenda.ics",
                                  "/api/v1/sessions"])
def test_pages_the_calendar_and_the_api_show_the_edit_at_once(client, app, demo, path):
    def text() -> str:  # iCalendar lines folded at 75 octets, unfolded
        return client.get(path).get_data(as_text=True).replace("\r\n ", "")

    assert NEW_TITLE not in text()
    _rename(app)
    assert NEW_TITLE in text()
