"""The organiser's programme pages: who may open them, forms that save, clashes and stale
forms shown as form errors, lists that search and sort."""

from __future__ import annotations

import re

import pytest

from conference.extensions import db
from conference.models import AuditEntry, Room, Session
from tests.conftest import DEMO
from tests.programme.editing_data import WORKSHOP, conference, hold_seats, room, session

PAGES = ["/admin/programme", "/admin/programme/sessions", "/admin/programme/rooms",
         "/admin/programme/speakers", "/admin/programme/tracks", "/admin/programme/exhibitors",
         "/admin/programme/categories", "/admin/programme/sessions/new",
         "/admin/programme/rooms/new", "/admin/conference"]


def _room_form(**changes) -> dict:
    return {"name_zh": "贵宾室", "name_en": "VIP Lounge", "location_zh": "", "location_en": "3F",
            "capacity": "20", **changes}


def _session_form(app, **changes) -> dict:
    with app.app_context():
        item = session(WORKSHOP)
        form = {"title_zh": "", "title_en": "Late talk", "abstract_zh": "", "abstract_en": "",
                "kind": "talk", "starts_at": "2024-09-19T14:00", "ends_at": "2024-09-19T14:30",
                "room_id": str(item.room_id), "track_id": "0", "capacity": ""}
    form.update(changes)
    return form


@pytest.mark.parametrize("url", PAGES)
def test_the_pages_are_for_organisers_only(client, app, demo, staff, url):
    assert client.get(url).status_code == 302  # to the login page
    client.post("/login", data={"email": staff[0], "password": staff[1]})
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_organisers_open_every_page_in_both_languages(organiser_client, demo, url):
    assert organiser_client.get(f"{url}?lang=en").status_code == 200
    page = organiser_client.get(f"{url}?lang=zh").get_data(as_text=True)
    assert "lang=\"zh-Hans\"" in page


def test_staff_cannot_post_either(client, app, demo, staff):
    client.post("/login", data={"email": staff[0], "password": staff[1]})
    assert client.post("/admin/programme/rooms/new", data=_room_form()).status_code == 403
    with app.app_context():
        item_id = session(WORKSHOP).id
    assert client.post(f"/admin/programme/sessions/{item_id}/cancel").status_code == 403
    assert client.post(f"/admin/programme/sessions/{item_id}/delete").status_code == 403


def test_an_organiser_adds_a_room_which_the_list_and_the_audit_log_show(organiser_client, app,
                                                                        demo):
    response = organiser_client.post("/admin/programme/rooms/new", data=_room_form())
    assert response.status_code == 303
    listing = organiser_client.get("/admin/programme/rooms?q=VIP").get_data(as_text=True)
    assert "VIP Lounge" in listing and "Main Hall" not in listing
    with app.app_context():
        entry = db.session.execute(
            db.select(AuditEntry).where(AuditEntry.kind == "room.create")).scalar_one()
        assert entry.actor == "boss@example.org"


def test_bad_values_come_back_as_form_errors(organiser_client, demo):
    response = organiser_client.post("/admin/programme/rooms/new",
                                     data=_room_form(name_zh="", name_en="", capacity="-3"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please fill this in, in Chinese or English." in page
    assert "whole number above 0" in page


def test_a_clash_names_the_other_session_and_saves_only_when_ticked(organiser_client, app,
                                                                   demo):
    response = organiser_client.post("/admin/programme/sessions/new", data=_session_form(app))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The room is taken then by" in page and "MEMS" in page
    assert "Save despite the clash" in page
    response = organiser_client.post("/admin/programme/sessions/new",
                                     data=_session_form(app, allow_clash="y"))
    assert response.status_code == 303
    agenda = organiser_client.get("/admin/programme").get_data(as_text=True)
    assert "Late talk" in agenda and "holds two sessions at once" in agenda


def test_a_form_opened_before_another_save_is_refused_as_changed_meanwhile(organiser_client,
                                                                          app, demo):
    with app.app_context():
        main_hall = room("main-hall")
        item_id, version = main_hall.id, main_hall.version
    url = f"/admin/programme/rooms/{item_id}"
    first = _room_form(name_en="Main Hall A", version=str(version))
    assert organiser_client.post(url, data=first).status_code == 303
    second = _room_form(name_en="Main Hall B", version=str(version))
    response = organiser_client.post(url, data=second)
    assert response.status_code == 422
    assert "Someone changed this meanwhile" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Room, item_id).name_en == "Main Hall A"


def test_moving_a_session_in_the_form_mails_its_holders(organiser_client, app, demo):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, [("ann@example.org", "en")])
        item = session(WORKSHOP)
        form = _session_form(app, title_en=item.title_en, kind=item.kind, capacity="30",
                             starts_at="2024-09-19T17:30", ends_at="2024-09-19T18:30",
                             version=str(item.version),
                             speaker_ids=[str(s.id) for s in item.speakers])
        item_id = item.id
    response = organiser_client.post(f"/admin/programme/sessions/{item_id}", data=form,
                                     follow_redirects=True)
    assert "1 e-mail queued to the people holding seats." in response.get_data(as_text=True)


def test_deleting_a_held_session_from_its_page_cancels_it(organiser_client, app, demo):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, [("ann@example.org", "en")])
        item_id = session(WORKSHOP).id
    response = organiser_client.post(f"/admin/programme/sessions/{item_id}/delete",
                                     follow_redirects=True)
    assert "cancelled, not deleted" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Session, item_id).cancelled


def test_the_settings_page_renames_the_conference_and_hides_the_demo_banner(
        organiser_client, client, app, demo):
    page = organiser_client.get("/admin/conference?lang=en").get_data(as_text=True)
    assert "Show the demo-data banner" in page
    with app.app_context():
        conf = conference(demo)
        form = {name: getattr(conf, name) or "" for name in (
            "name_zh", "slogan_zh", "slogan_en", "description_zh", "description_en",
            "venue_zh", "venue_en", "address_zh", "address_en", "timezone", "wifi_network",
            "wifi_password")}
        form.update(name_en="Sensor Summit 2024", starts_on=conf.starts_on.isoformat(),
                    ends_on=conf.ends_on.isoformat(), version=str(conf.version))
    response = organiser_client.post("/admin/conference", data=form)
    assert response.status_code == 303
    home = organiser_client.get("/?lang=en").get_data(as_text=True)
    assert "Sensor Summit 2024" in home
    assert "Demo data:" not in home


def _titles(page: str) -> list[str]:
    return re.findall(r'<td class="item-name">\s*<a href="[^"]+">([^<]+)</a>', page)


def test_sessions_sort_by_title_or_time(organiser_client, demo):
    by_title = _titles(organiser_client.get("/admin/programme/sessions?sort=title&lang=en")
                       .get_data(as_text=True))
    by_time = _titles(organiser_client.get("/admin/programme/sessions?lang=en")
                      .get_data(as_text=True))
    assert len(by_title) == len(by_time) == len(DEMO["sessions"])
    initials = [title[0].upper() for title in by_title]
    assert initials == sorted(initials)
    assert by_title != by_time


def test_a_category_window_is_typed_in_the_conference_time_zone(organiser_client, app, demo):
    from conference.models import AttendeeCategory

    form = {"name_zh": "学生", "name_en": "Students", "colour": "#336699", "capacity": "50",
            "public": "y", "opens_at": "2024-08-01T09:00", "closes_at": "2024-09-10T18:00"}
    assert organiser_client.post("/admin/programme/categories/new", data=form).status_code == 303
    with app.app_context():
        students = db.session.execute(db.select(AttendeeCategory).where(
            AttendeeCategory.name_en == "Students")).scalar_one()
        assert students.opens_at.isoformat() == "2024-08-01T01:00:00"  # 09:00 in Hefei
        assert (students.public, students.needs_approval) == (True, False)
    page = organiser_client.get(f"/admin/programme/categories/{students.id}").get_data(
        as_text=True)
    assert 'value="2024-08-01T09:00"' in page
    late = dict(form, name_en="Late", closes_at="2024-07-01T09:00")
    response = organiser_client.post("/admin/programme/categories/new", data=late)
    assert response.status_code == 422
    assert "The end comes before the start." in response.get_data(as_text=True)


def test_an_exhibitor_logo_shows_on_the_exhibitor_pages(organiser_client, app, demo):
    import io

    from tests.admin.test_programme_images import png

    form = {"name_en": "Acme Sensors", "booth": "Z9", "website": "https://acme.example",
            "logo": (io.BytesIO(png()), "logo.png")}
    response = organiser_client.post("/admin/programme/exhibitors/new", data=form,
                                     content_type="multipart/form-data")
    assert response.status_code == 303
    listing = organiser_client.get("/exhibitors?lang=en").get_data(as_text=True)
    assert re.search(r'class="exhibitor-mark" src="/uploads/[0-9a-f]{32}\.jpg"', listing)
    bad = dict(form, name_en="Bad site", website="javascript:alert(1)",
               logo=(io.BytesIO(png()), "logo.png"))
    response = organiser_client.post("/admin/programme/exhibitors/new", data=bad,
                                     content_type="multipart/form-data")
    assert response.status_code == 422
    assert "http:// or https://" in response.get_data(as_text=True)


def test_a_room_made_smaller_than_a_session_in_it_warns(organiser_client, app, demo):
    with app.app_context():
        workshop_room = room("workshop-room")
        url, version = f"/admin/programme/rooms/{workshop_room.id}", workshop_room.version
    form = {"name_en": "Workshop Room", "name_zh": "", "location_zh": "", "location_en": "",
            "capacity": "20", "version": str(version)}
    page = organiser_client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert "takes more people than Workshop Room holds (20)" in page
