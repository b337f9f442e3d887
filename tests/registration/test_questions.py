"""Extra questions: on the form, checked, stored with the registration, in my data, erased,
and in the organiser's export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from conference.extensions import db
from conference.models import Answer, Conference, Registration
from conference.registration.lifecycle import register
from conference.registration.privacy import erase_personal_data
from conference.registration.validation import InvalidRegistration, RegistrationData
from tests.api.problems import invalid_fields
from tests.registration.conference_data import SLUG, api_body, form_data, make_required
from tests.registration.pages import field_error, parse_page

API = "/api/v1/registrations"




def _answers(app) -> dict[str, object]:
    with app.app_context():
        rows = db.session.execute(db.select(Answer)).scalars().all()
        return {row.question.code: row.value for row in rows}


def _registrations(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Registration.id))).scalar_one()


def test_form_asks_the_questions_in_the_visitors_language(client, conference_slug):
    page = parse_page(client.get("/register?lang=zh"))
    labels = " ".join(label.text_content() for label in page.xpath("//form//label | //legend"))
    for text in ("饮食需求", "感兴趣的方向", "无障碍需求", "接收明年大会消息"):
        assert text in labels
    diet = [o.text_content() for o in page.xpath("//select[@name='q-diet']/option")]
    assert diet[1:] == ["无", "素食", "清真"]
    topics = page.xpath("//input[@type='checkbox' and @name='q-topics']/@value")
    assert topics == ["sensors", "energy", "software"]
    assert page.xpath("//input[@name='q-access' and @maxlength='500']")
    assert page.xpath("//input[@type='checkbox' and @name='q-news']")
    english = parse_page(client.get("/register?lang=en"))
    assert "Dietary needs" in english.text_content()


def test_answers_from_the_form_are_stored_with_the_registration(client, app, conference_slug):
    response = client.post(
        "/register?lang=en",
        data=form_data(
            **{
                "q-diet": "halal",
                "q-topics": ["software", "sensors"],
                "q-access": "  Step-free\naccess  ",
                "q-news": "y",
            }
        ),
    )
    assert response.status_code == 303
    # Stored as codes, choices in the order offered, text cleaned to one line.
    assert _answers(app) == {
        "diet": "halal",
        "topics": ["sensors", "software"],
        "access": "Step-free access",
        "news": True,
    }
    manage = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "Halal" in manage and "Sensors; Software" in manage


def test_unanswered_optional_questions_store_nothing(client, app, conference_slug):
    assert client.post("/register?lang=en", data=form_data()).status_code == 303
    assert _answers(app) == {}


def test_required_questions_must_be_answered_on_the_form(client, app, conference_slug):
    make_required(app, "diet", "topics", "access", "news")
    response = client.post("/register?lang=en", data=form_data())
    assert response.status_code == 422
    assert field_error(response, "q-diet") == "Please choose an option."
    assert field_error(response, "q-topics") == "Please choose at least one option."
    assert field_error(response, "q-access") == "Please answer this question."
    assert field_error(response, "q-news") == "Please tick this box."
    assert _registrations(app) == 0
    # What was typed stays in the form.
    response = client.post(
        "/register?lang=en", data=form_data(**{"q-diet": "vegetarian", "q-access": "Ramp"})
    )
    page = parse_page(response)
    assert page.xpath("//select[@name='q-diet']/option[@selected]/@value") == ["vegetarian"]
    assert page.xpath("//input[@name='q-access']/@value") == ["Ramp"]


def test_unknown_options_and_over_long_text_are_refused(client, app, conference_slug):
    response = client.post(
        "/register?lang=en",
        data=form_data(
            **{"q-diet": "steak", "q-topics": ["sensors", "golf"], "q-access": "x" * 501}
        ),
    )
    assert response.status_code == 422
    assert field_error(response, "q-diet") == "Please choose one of the options offered."
    assert field_error(response, "q-topics") == "Please choose only among the options offered."
    assert field_error(response, "q-access") == "At most 500 characters, please."
    assert _registrations(app) == 0


def test_api_takes_answers_as_an_object(client, app, conference_slug):
    response = client.post(
        API,
        json=api_body(answers={"diet": "none", "topics": ["energy"], "news": True, "access": ""}),
    )
    assert response.status_code == 201, response.get_json()
    assert _answers(app) == {"diet": "none", "topics": ["energy"], "news": True}
    with app.app_context():
        assert db.session.execute(db.select(Registration.source)).scalar_one() == "api"


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"diet": "steak"}, "answers.diet", "Please choose one of the options offered."),
        ({"diet": ["none"]}, "answers.diet", "Must be the code of one option."),
        ({"topics": "energy"}, "answers.topics", "Must be a list of option codes."),
        ({"topics": ["energy", 3]}, "answers.topics", "Must be a list of option codes."),
        ({"news": "yes"}, "answers.news", "Must be true or false."),
        ({"access": 42}, "answers.access", "Must be text."),
        ({"access": "é" * 501}, "answers.access", "At most 500 characters, please."),
        ({"shoe-size": "42"}, "answers.shoe-size", "There is no such question."),
    ],
)
def test_api_reports_each_bad_answer_under_its_field(
    client, app, conference_slug, answers, field, message
):
    response = client.post(API, json=api_body(answers=answers))
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert invalid_fields(response.get_json()) == {field: [message]}
    assert _registrations(app) == 0


def test_api_answers_must_be_an_object(client, app, conference_slug):
    response = client.post(API, json=api_body(answers=["none"]))
    assert response.status_code == 422
    assert list(invalid_fields(response.get_json())) == ["answers"]


def test_api_missing_required_answer_is_422(client, app, conference_slug):
    make_required(app, "news")
    response = client.post(API, json=api_body())
    assert response.status_code == 422
    assert invalid_fields(response.get_json()) == {"answers.news": ["Please tick this box."]}


def _conference() -> Conference:
    return db.session.execute(db.select(Conference).where(Conference.slug == SLUG)).scalar_one()


def _data(**changes) -> RegistrationData:
    values = {
        "name": "Walk In",
        "email": "walkin@example.org",
        "organisation": "Door",
        "category_code": "delegate",
        "consent": True,
    }
    values.update(changes)
    return RegistrationData(**values)


def test_desk_walk_in_skips_the_questions(app, conference_slug):
    make_required(app, "diet", "news")
    with app.test_request_context("/?lang=en"):
        with pytest.raises(InvalidRegistration) as caught:
            register(_conference(), _data())
        assert set(caught.value.errors) == {"answers.diet", "answers.news"}
        registration = register(
            _conference(),
            _data(answers={"diet": "steak"}),
            source="desk",
            skip_questions=True,
        )
        assert registration.source == "desk"
        assert registration.status == "confirmed"
        assert registration.answers == []


def test_unknown_source_is_a_programming_error(app, conference_slug):
    with app.test_request_context("/"), pytest.raises(ValueError):
        register(_conference(), _data(), source="fax")


def test_my_data_holds_the_answers(client, conference_slug):
    token = client.post(
        API, json=api_body(answers={"diet": "vegetarian", "access": "مترجم <b>"})
    ).json["token"]
    data = json.loads(client.get(f"/registration/{token}/data.json").get_data(as_text=True))
    assert data["answers"] == {"diet": "vegetarian", "access": "مترجم <b>"}


def test_erasing_my_data_deletes_every_answer(client, app, conference_slug):
    token = client.post(
        API,
        json=api_body(answers={"diet": "halal", "access": "Wheelchair", "topics": ["sensors"]}),
    ).json["token"]
    client.post(API, json=api_body(email="other@example.org", answers={"diet": "none"}))
    assert client.post(f"/registration/{token}/erase").status_code == 303
    assert _answers(app) == {"diet": "none"}  # only the other person's
    with app.app_context():
        erased = db.session.execute(
            db.select(Registration).where(Registration.token == token)
        ).scalar_one()
        assert erased.status == "cancelled" and erased.email is None
        erase_personal_data(erased)  # twice changes nothing
        assert erased.answers == []


def _login_organiser(client, app) -> None:
    from conference.auth.service import create_or_update_user

    with app.app_context():
        create_or_update_user("org@example.org", "correct horse battery", "organiser")
    response = client.post(
        "/login", data={"email": "org@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 302


def _register_for_export(client):
    client.post(
        API,
        json=api_body(
            name='=HYPERLINK("http://evil")',
            organisation="@SUM(A1:A2)",
            phone="+86 551 1234 5678",
            sessions=["forum"],
            answers={
                "diet": "halal",
                "topics": ["sensors", "energy"],
                "news": True,
                "access": "-1+1",
            },
        ),
    )
    client.post(API, json=api_body(name="王小明 😀", email="wang@example.org", category="expert"))


def test_export_csv_has_a_column_per_question_and_session(client, app, conference_slug):
    _register_for_export(client)
    assert client.get("/admin/registrations/export.csv").status_code in (302, 401)
    _login_organiser(client, app)
    response = client.get("/admin/registrations/export.csv?lang=en")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads the UTF-8 then
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2
    first, second = rows
    # Formulas are defused: a spreadsheet shows them as text.
    assert first["Name"] == '\'=HYPERLINK("http://evil")'
    assert first["Organisation"] == "'@SUM(A1:A2)"
    assert first["Phone"] == "'+86 551 1234 5678"
    assert first["Accessibility needs"] == "'-1+1"
    assert first["Dietary needs"] == "Halal"
    assert first["Topics"] == "Sensors; New energy"
    assert first["Send me news of next year's conference"] == "Yes"
    assert first["Industry forum"] == "Seat confirmed"
    assert first["Sensor lab"] == ""
    assert first["Status"] == "Confirmed"
    assert first["Source"] == "api"
    assert second["Name"] == "王小明 😀"
    assert second["Status"] == "Pending approval"
    assert second["Dietary needs"] == "" and second["Topics"] == ""
    # One status only, and headings in Chinese for a Chinese-speaking organiser.
    only = client.get("/admin/registrations/export.csv?status=pending&lang=zh").get_data()
    rows = list(csv.DictReader(io.StringIO(only.decode("utf-8-sig"))))
    assert [row["饮食需求"] for row in rows] == [""]
    assert len(rows) == 1


def test_export_xlsx_opens_with_the_same_rows(client, app, conference_slug):
    _register_for_export(client)
    _login_organiser(client, app)
    response = client.get("/admin/registrations/export.xlsx?lang=en")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    # Text cells hold exactly what was typed, no apostrophe: a text cell never runs.
    assert first["Phone"] == "+86 551 1234 5678"
    assert first["Name"] == '=HYPERLINK("http://evil")'
    assert first["Organisation"] == "@SUM(A1:A2)"
    assert first["Accessibility needs"] == "-1+1"
    name_cell = sheet.cell(row=2, column=header.index("Name") + 1)
    assert name_cell.data_type == "s"
    assert first["Topics"] == "Sensors; New energy"
    assert first["Registered"].year >= 2025  # a real date-time
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert dict(zip(header, rows[2], strict=True))["Name"] == "王小明 😀"
    assert client.get("/admin/registrations/export.pdf").status_code == 404


def test_admin_page_links_the_exports(client, app, conference_slug):
    _login_organiser(client, app)
    html = client.get("/admin/registrations?lang=en").get_data(as_text=True)
    assert "/admin/registrations/export.xlsx" in html
    assert "/admin/registrations/export.csv" in html
