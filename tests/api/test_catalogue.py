"""GET /api/v1/sessions, /speakers and /exhibitors."""

from __future__ import annotations

from tests.conftest import DEMO
from tests.public.programme_data import SCRIPT, load_spring_programme
from tests.public.query_count import counted_queries

SESSION_FIELDS = {"id", "slug", "title", "starts_at", "ends_at", "room", "track", "speakers",
                  "capacity", "seats_left", "kind", "abstract", "status"}


def _items(client, url: str, **headers) -> dict[str, dict]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.content_type == "application/json"
    return {item["id"]: item for item in response.get_json()["items"]}


def test_sessions_carry_every_field_with_local_times(client, demo):
    sessions = _items(client, "/api/v1/sessions?lang=en")
    assert len(sessions) == len(DEMO["sessions"])
    for item in sessions.values():
        assert set(item) == SESSION_FIELDS
        assert item["id"] == item["slug"]

    workshop = sessions["workshop-mems-calibration"]
    assert workshop["title"] == "Workshop: hands-on MEMS pressure sensor calibration"
    assert workshop["starts_at"] == "2024-09-19T13:30:00+08:00"
    assert workshop["ends_at"] == "2024-09-19T15:00:00+08:00"
    assert workshop["room"] == {"slug": "workshop-room", "name": "Workshop Room"}
    assert workshop["track"] == {"slug": "optoelectronics",
                                 "name": "Optoelectronics and Instrumentation",
                                 "colour": "#d9480f"}
    assert workshop["speakers"] == [{"slug": "guo-xinyi", "name": "Guo Xinyi"},
                                    {"slug": "zheng-kaiwen", "name": "Zheng Kaiwen"}]
    assert workshop["capacity"] == 30
    assert workshop["seats_left"] == 30
    assert workshop["kind"] == "workshop"
    assert workshop["abstract"].startswith("Calibrate a MEMS pressure sensor")

    opening = sessions["opening-ceremony"]
    assert opening["starts_at"] == "2024-09-19T09:15:00+08:00"
    assert opening["track"] is None
    assert opening["speakers"] == []
    assert opening["capacity"] is None
    assert opening["seats_left"] is None
    assert opening["kind"] == "ceremony"


def test_sessions_come_in_agenda_order(client, demo):
    response = client.get("/api/v1/sessions")
    starts = [item["starts_at"] for item in response.get_json()["items"]]
    assert starts == sorted(starts)
    assert response.get_json()["items"][0]["id"] == "registration"


def test_lang_chooses_the_language_of_texts(client, demo):
    chinese = _items(client, "/api/v1/sessions?lang=zh")["keynote-smart-sensors-chip-to-system"]
    assert chinese["title"] == "主旨报告：智能传感器，从芯片到系统"
    assert chinese["room"]["name"] == "主会场（庐州厅）"
    assert chinese["track"]["name"] == "光电及仪器仪表"
    assert chinese["speakers"] == [{"slug": "zhou-yanqing", "name": "周彦青"}]

    english = _items(client, "/api/v1/sessions?lang=en")["keynote-smart-sensors-chip-to-system"]
    assert english["title"] == "Keynote: Smart sensors, from chip to system"


def test_browser_language_applies_without_lang(app, demo):
    response = app.test_client().get("/api/v1/sessions",
                                      headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert response.headers["Content-Language"] == "zh-Hans"
    assert "Accept-Language" in response.headers["Vary"]
    titles = {item["id"]: item["title"] for item in response.get_json()["items"]}
    assert titles["opening-ceremony"] == "开幕式"

    response = app.test_client().get("/api/v1/sessions?lang=en",
                                      headers={"Accept-Language": "zh-CN"})
    assert response.headers["Content-Language"] == "en"


def test_offsets_follow_daylight_saving_time(client, app):
    load_spring_programme(app)
    sessions = _items(client, "/api/v1/sessions?lang=en")
    assert sessions["opening"]["starts_at"] == "2025-03-29T09:00:00+01:00"
    assert sessions["closing"]["starts_at"] == "2025-03-30T10:00:00+02:00"
    assert sessions["closing"]["ends_at"] == "2025-03-30T10:30:00+02:00"
    # Texts are data, handed over exactly as entered.
    assert sessions["opening"]["title"] == f"Opening {SCRIPT}"


def test_speakers_in_alphabetical_order_with_their_sessions(client, demo):
    response = client.get("/api/v1/speakers?lang=en")
    items = response.get_json()["items"]
    assert len(items) == len(DEMO["speakers"])
    names = [item["name"] for item in items]
    assert names == sorted(names, key=str.casefold)
    he_yun = next(item for item in items if item["id"] == "he-yun")
    assert he_yun == {
        "id": "he-yun",
        "slug": "he-yun",
        "name": "He Yun",
        "title": "Chief Engineer",
        "organisation": "Daheng Energy",
        "bio": he_yun["bio"],
        "sessions": ["panel-mid-tier-supply-chain", "forum-new-energy-sensing"],
    }
    assert he_yun["bio"].startswith("Works on photovoltaic module manufacturing")

    chinese = _items(client, "/api/v1/speakers?lang=zh")
    assert chinese["he-yun"]["name"] == "何芸"
    assert chinese["he-yun"]["organisation"] == "大恒能源"


def test_exhibitors_with_booth_category_and_website(client, demo):
    response = client.get("/api/v1/exhibitors?lang=en")
    items = response.get_json()["items"]
    assert len(items) == len(DEMO["exhibitors"])
    assert [item["booth"] for item in items][:3] == ["A01", "A02", "A03"]
    exhibitors = {item["id"]: item for item in items}
    assert exhibitors["xingan-iot"] == {
        "id": "xingan-iot",
        "slug": "xingan-iot",
        "name": "XinGan IoT (demo company)",
        "booth": "C04",
        "category": "Internet of Things",
        "description": ("A fictional demo company: low-power wireless sensor nodes and "
                        "edge gateways."),
        "website": "https://example.com/xingan-iot",
    }
    assert exhibitors["ruikongxin"]["website"] is None
    assert _items(client, "/api/v1/exhibitors?lang=zh")["ruikongxin"]["category"] == "传感器"


def test_catalogue_before_any_conference_is_a_problem_document(client):
    response = client.get("/api/v1/sessions")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_sessions_are_loaded_in_a_fixed_number_of_queries(app, client, demo):
    with counted_queries(app) as statements:
        assert client.get("/api/v1/sessions").status_code == 200
    # Conference, sessions with room and track, their speakers: not one query per session.
    assert len(statements) <= 4, statements
