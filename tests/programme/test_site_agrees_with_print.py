"""The site, the machine-readable exports and the printed programme show one programme in
one order: the sessions, the exhibitors by booth and the speakers by name (pinyin in
Chinese)."""

from __future__ import annotations

import json
import re

import pytest
from icalendar import Calendar

from conference.current import current_conference
from conference.programme.importer import import_programme
from conference.programme.pdf import programme_html

# The speakers' English names are not their pinyin, so only an order by pinyin gives
# 陈 (chen), 李 (li), 王 (wang), 张 (zhang). Booths sort with every run of digits as a number, whatever the letters' case. Two
# sessions start together in the hall; the longer one comes first in the file, so it
# is stored first, yet the shorter one is listed first everywhere.
PROGRAMME = """
conference:
  slug: order-test
  acronym: order
  name: {zh: 顺序测试会, en: Order Test}
  starts_on: 2025-05-01
  ends_on: 2025-05-01
  timezone: Asia/Shanghai
  venue: {zh: 会展中心, en: Expo Centre}
categories:
  - code: delegate
    name: {zh: 代表, en: Delegate}
rooms:
  - slug: hall
    name: {zh: 大厅, en: Hall}
  - slug: side
    name: {zh: 侧厅, en: Side Room}
speakers:
  - {slug: wang, name: {zh: 王丽, en: Alice Wang}}
  - {slug: zhang, name: {zh: 张伟, en: David Zhang}}
  - {slug: li, name: {zh: 李强, en: Qiang Li}}
  - {slug: chen, name: {zh: 陈静, en: Chen Jing}}
exhibitors:
  - {slug: e1, name: Hall Ten, booth: Hall 1-10, category: {zh: 传感器, en: Sensors}}
  - {slug: e2, name: Hall Nine, booth: Hall 1-9, category: {zh: 传感器, en: Sensors}}
  - {slug: e3, name: Bee, booth: b11, category: {zh: 传感器, en: Sensors}}
  - {slug: e4, name: Ten, booth: A10, category: {zh: 传感器, en: Sensors}}
  - {slug: e5, name: Two, booth: A2, category: {zh: 传感器, en: Sensors}}
sessions:
  - slug: poster-session
    title: {zh: 海报展示, en: Poster session}
    kind: talk
    starts: 2025-05-01 10:00
    ends: 2025-05-01 12:00
    room: hall
    speakers: [wang, zhang, li, chen]
  - slug: coffee
    title: {zh: 茶歇, en: Coffee}
    kind: break
    starts: 2025-05-01 10:00
    ends: 2025-05-01 10:30
    room: hall
  - slug: side-talk
    title: {zh: 侧厅报告, en: Side talk}
    kind: talk
    starts: 2025-05-01 10:00
    ends: 2025-05-01 11:00
    room: side
  - slug: opening
    title: {zh: 开幕, en: Opening}
    kind: keynote
    starts: 2025-05-01 09:00
    ends: 2025-05-01 09:30
    room: side
"""


@pytest.fixture
def order_test(app):
    with app.app_context():
        return import_programme(PROGRAMME, "order-test.yaml").slug


def _agenda_slugs(client) -> list[str]:
    page = client.get("/agenda?lang=en").get_data(as_text=True)
    return re.findall(r'class="session-title"><a href="/sessions/([^"]+)"', page)


def test_the_agenda_the_exports_and_the_book_list_sessions_in_one_order(app, client,
                                                                          order_test):
    slugs = _agenda_slugs(client)
    assert slugs == ["opening", "coffee", "poster-session", "side-talk"]

    schedule = json.loads(client.get("/schedule.json").data)["schedule"]["conference"]
    [day] = schedule["days"]
    in_schedule = {room: [event["slug"].removeprefix("order-") for event in events]
                   for room, events in day["rooms"].items()}
    assert in_schedule == {
        "Hall": [slug for slug in slugs if slug in ("coffee", "poster-session")],
        "Side Room": [slug for slug in slugs if slug in ("opening", "side-talk")],
    }

    calendar = Calendar.from_ical(client.get("/agenda.ics").data)
    assert [str(event["UID"]).split("@")[0] for event in calendar.walk("VEVENT")] == slugs

    with app.test_request_context("/"):
        book = programme_html(current_conference(), "en")
    assert re.findall(r'<b class="h">([^<]+)</b>', book) == [
        "Opening", "Coffee", "Poster session", "Side talk"
    ]


def test_the_exhibitors_page_and_the_book_list_booths_in_one_order(app, client, order_test):
    page = client.get("/exhibitors?lang=en").get_data(as_text=True)
    on_page = re.findall(r'<span class="booth"[^>]*>([^<]+)</span>', page)
    assert on_page == ["A2", "A10", "b11", "Hall 1-9", "Hall 1-10"]
    in_api = [item["booth"] for item in client.get("/api/v1/exhibitors").json["items"]]
    assert in_api == on_page

    with app.test_request_context("/"):
        book = programme_html(current_conference(), "en")
    assert re.findall(r'<tr><td class="n">([^<]+)</td>', book) == on_page


def test_the_speakers_page_and_the_book_list_chinese_names_by_pinyin(app, client, order_test):
    page = client.get("/speakers?lang=zh").get_data(as_text=True)
    on_page = re.findall(r'<a class="person-name" href="[^"]+">([^<]+)</a>', page)
    assert on_page == ["陈静", "李强", "王丽", "张伟"]
    in_api = [item["name"] for item in client.get("/api/v1/speakers?lang=zh").json["items"]]
    assert in_api == on_page

    with app.test_request_context("/"):
        book = programme_html(current_conference(), "zh")
    index = book[book.index('<section id="speakers">'):]
    assert re.findall(r'<div class="p" id="[^"]+"><b>([^<]+)</b>', index) == on_page
    assert re.findall(r'<h4 class="ini">([^<]+)</h4>', index) == ["C", "L", "W", "Z"]
