"""Registering again after a cancellation: a cancelled registration frees its e-mail
address for a new registration (new link, new badge) and stays as history; every other
status keeps the address taken."""

from __future__ import annotations

import email
import email.policy
import json

import pytest
from sqlalchemy.exc import IntegrityError

from conference.badges.tokens import issue_code
from conference.checkin.revocations import revoked_since
from conference.checkin.service import check_in
from conference.checkin.walkin import registration_by_email
from conference.extensions import db
from conference.models import Conference, OutboxMessage, Registration, Scan
from conference.registration.lifecycle import cancel, register, reject
from conference.registration.lookups import resend_manage_link, wait_for_link_requests
from conference.registration.validation import DuplicateEmail, RegistrationData
from tests.registration.conference_data import SLUG, form_data
from tests.registration.pages import field_error, parse_page

DUPLICATE = "This e-mail address is already registered for this conference."


def _conference() -> Conference:
    return db.session.execute(db.select(Conference).where(Conference.slug == SLUG)).scalar_one()


def _data(**changes) -> RegistrationData:
    values = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "organisation": "Analytical Engines Ltd",
        "category_code": "delegate",
        "consent": True,
    }
    values.update(changes)
    return RegistrationData(**values)


def _scan(code: str) -> tuple[str, int | None]:
    result = check_in(code, gate="North", nonce=None, scanned_by="test")
    return result.status, result.registration.id if result.registration else None


def _mails(app) -> list[tuple[str, str, str]]:
    """(recipient, kind, plain text body) of every message sent, oldest first."""
    with app.app_context():
        rows = db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
        return [
            (
                row.recipient,
                row.kind,
                email.message_from_bytes(row.message, policy=email.policy.default)
                .get_body(preferencelist=("plain",))
                .get_content(),
            )
            for row in rows
        ]


def _token(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def test_after_cancelling_the_same_address_registers_anew_and_the_old_badge_stays_refused(
    app, conference_slug
):
    with app.test_request_context("/?lang=en"):
        first = register(_conference(), _data())
        old_code = issue_code(first)
        assert _scan(old_code) == ("ok", first.id)
        cancel(first)

        again = register(_conference(), _data(email=" ADA@Example.ORG ", name="Ada King"))
        assert again.status == "confirmed"
        assert again.id != first.id
        assert again.token != first.token
        assert again.public_id != first.public_id
        new_code = issue_code(again)
        assert new_code != old_code

        assert _scan(old_code) == ("revoked", first.id)  # staff see whose badge it was
        assert _scan(new_code) == ("ok", again.id)  # the new badge was never admitted
        old_id, old_public_id, new_public_id = first.id, first.public_id, again.public_id

    with app.app_context():  # the cancelled registration stays, with its scans
        old = db.session.get(Registration, old_id)
        assert (old.status, old.name, old.email) == ("cancelled", "Ada Lovelace", "ada@example.org")
        results = db.session.execute(
            db.select(Scan.result).where(Scan.registration_id == old_id).order_by(Scan.id)
        ).scalars().all()
        assert results == ["ok", "revoked"]
        revoked = {(r.public_id, r.reason) for r in revoked_since(None).items}
        assert (old_public_id, "cancelled") in revoked
        assert not any(public_id == new_public_id for public_id, _ in revoked)


@pytest.mark.parametrize(
    ("category", "status"),
    [("delegate", "confirmed"), ("expert", "pending"), ("student", "waitlisted")],
)
def test_an_active_registration_keeps_its_address(app, conference_slug, category, status):
    with app.test_request_context("/?lang=en"):
        if category == "student":  # its one place goes to someone else first
            register(_conference(), _data(email="first@example.org", category_code="student"))
        assert register(_conference(), _data(category_code=category)).status == status
        with pytest.raises(DuplicateEmail) as caught:
            register(_conference(), _data(name="Ada King"))
        assert DUPLICATE in caught.value.message


def test_a_rejected_person_is_sent_to_the_organisers_not_registered_again(
    client, app, conference_slug
):
    with app.test_request_context("/?lang=en"):
        reject(register(_conference(), _data(category_code="expert")))
        with pytest.raises(DuplicateEmail) as caught:
            register(_conference(), _data())
        assert "contact the organisers" in caught.value.message
    response = client.post("/register?lang=en", data=form_data())
    assert response.status_code == 409
    assert DUPLICATE in field_error(response, "email")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Registration.id))).scalar_one() == 1


def test_the_form_registers_again_after_a_cancellation_and_mails_the_new_link(
    client, app, conference_slug
):
    old_token = _token(client.post("/register?lang=en", data=form_data()))
    assert client.post(f"/registration/{old_token}/cancel").status_code == 303
    cancelled_page = parse_page(client.get(f"/registration/{old_token}?lang=en"))
    [again_link] = cancelled_page.xpath("//a[contains(., 'Register again')]")
    assert again_link.get("href") == f"/register?again={old_token}"
    assert "重新报名" in client.get(f"/registration/{old_token}?lang=zh").get_data(as_text=True)

    response = client.post("/register?lang=en", data=form_data(name="Ada King"))
    new_token = _token(response)
    assert new_token != old_token
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ada King" in page and "Confirmed" in page and "<svg" in page
    assert "already registered" not in page

    # The old page stays cancelled and no longer offers to register again.
    old_page = client.get(f"/registration/{old_token}?lang=en").get_data(as_text=True)
    assert "Cancelled" in old_page and "Register again" not in old_page

    assert client.post("/register/resend-link", data={"email": "ADA@example.org"}).status_code == 200
    wait_for_link_requests()
    mails = _mails(app)
    assert [(to, kind) for to, kind, _ in mails] == [
        ("ada@example.org", "confirmed"),
        ("ada@example.org", "cancelled"),
        ("ada@example.org", "confirmed"),
        ("ada@example.org", "manage_link"),
    ]
    for _, _, body in mails[2:]:
        assert f"/registration/{new_token}" in body
        assert old_token not in body


def test_registering_once_more_while_registered_again_is_refused(client, app, conference_slug):
    old_token = _token(client.post("/register", data=form_data()))
    client.post(f"/registration/{old_token}/cancel")
    _token(client.post("/register", data=form_data()))
    response = client.post("/register?lang=en", data=form_data(name="Mallory"))
    assert response.status_code == 409
    assert DUPLICATE in field_error(response, "email")
    with app.app_context():
        statuses = db.session.execute(
            db.select(Registration.status).order_by(Registration.id)
        ).scalars().all()
    assert statuses == ["cancelled", "confirmed"]


def test_with_only_cancelled_registrations_the_link_of_the_latest_is_resent(app, conference_slug):
    with app.test_request_context("/?lang=en"):
        first = register(_conference(), _data())
        cancel(first)
        second = register(_conference(), _data())
        cancel(second)
        resend_manage_link(_conference(), "ada@example.org")
        tokens = first.token, second.token
    [(_, kind, body)] = _mails(app)[-1:]
    assert kind == "manage_link"
    assert f"/registration/{tokens[1]}" in body
    assert tokens[0] not in body


def test_the_database_holds_one_registration_per_address_that_is_not_cancelled(
    app, conference_slug
):
    """The rule stands without the service: a partial unique index, on SQLite and
    PostgreSQL alike."""

    def add(status: str, address: str | None = "ada@example.org") -> None:
        conference = _conference()
        db.session.add(
            Registration(
                conference=conference, category=conference.categories[0], name="Ada",
                email=address, status=status,
            )
        )
        db.session.commit()

    with app.app_context():
        for _ in range(3):
            add("cancelled")
        add("confirmed")
        for status in ("confirmed", "pending", "waitlisted", "rejected"):
            with pytest.raises(IntegrityError):
                add(status)
            db.session.rollback()
        add("confirmed", None)  # erased registrations keep no address
        add("confirmed", None)
        assert db.session.execute(db.select(db.func.count(Registration.id))).scalar_one() == 6


def test_cancelling_the_new_registration_leaves_the_address_free_again(app, conference_slug):
    with app.test_request_context("/?lang=en"):
        cancel(register(_conference(), _data()))
        cancel(register(_conference(), _data()))
        third = register(_conference(), _data())
        assert third.status == "confirmed"


def test_the_waiting_list_applies_to_someone_registering_again(app, conference_slug):
    with app.test_request_context("/?lang=en"):
        mine = register(_conference(), _data(category_code="student"))
        assert mine.status == "confirmed"
        cancel(mine)  # the one place is free ...
        other = register(_conference(), _data(email="bob@example.org", category_code="student"))
        assert other.status == "confirmed"  # ... and someone else takes it
        assert register(_conference(), _data(category_code="student")).status == "waitlisted"


def test_the_desk_names_the_registration_holding_the_address(app, conference_slug):
    with app.test_request_context("/?lang=en"):
        first = register(_conference(), _data())
        cancel(first)
        assert registration_by_email(_conference(), "ada@example.org") is None
        again = register(_conference(), _data(), source="desk", skip_questions=True)
        assert registration_by_email(_conference(), "Ada@Example.org").id == again.id


def test_approve_by_address_picks_the_registration_holding_it(app, runner, conference_slug):
    with app.test_request_context("/?lang=en"):
        first = register(_conference(), _data(category_code="expert"))
        cancel(first)
        again = register(_conference(), _data(category_code="expert"))
        ids = [first.id, again.id]
    result = runner.invoke(args=["approve", "ada@example.org"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        statuses = db.session.execute(
            db.select(Registration.id, Registration.status).order_by(Registration.id)
        ).all()
    assert [tuple(row) for row in statuses] == list(zip(ids, ["cancelled", "confirmed"]))


def _register_twice(client) -> tuple[str, str]:
    """Ada registers with answers and a seat, cancels, and registers again: (old, new)
    manage tokens."""
    old = _token(client.post("/register?lang=en", data=form_data(
        **{"q-diet": "halal", "q-access": "Wheelchair", "sessions": ["lab"]}
    )))
    client.post(f"/registration/{old}/cancel")
    new = _token(client.post("/register?lang=en", data=form_data(
        name="Ada King", organisation="Royal Society", **{"q-diet": "vegetarian"}
    )))
    return old, new


def _erased(app) -> list[tuple]:
    """(status, name, e-mail, organisation, phone, job title, answers) of every registration."""
    with app.app_context():
        rows = db.session.execute(db.select(Registration).order_by(Registration.id)).scalars()
        return [
            (r.status, r.name, r.email, r.organisation, r.phone, r.job_title, len(r.answers))
            for r in rows
        ]


@pytest.mark.parametrize("erased_from", ["new", "old"])
def test_deleting_my_data_erases_every_registration_with_my_address(
    client, app, conference_slug, erased_from
):
    old, new = _register_twice(client)
    other = client.post("/register", data=form_data(email="bob@example.org", name="Bob"))
    token = new if erased_from == "new" else old
    assert client.post(f"/registration/{token}/erase").status_code == 303

    assert _erased(app) == [
        ("cancelled", "—", None, None, None, None, 0),
        ("cancelled", "—", None, None, None, None, 0),
        ("confirmed", "Bob", "bob@example.org", "Analytical Engines Ltd", "+86 551-1234 5678",
         "Programmer", 0),
    ]
    for page_token in (old, new):
        page = client.get(f"/registration/{page_token}?lang=en").get_data(as_text=True)
        assert "Cancelled" in page
        for detail in ("Ada", "example.org", "Analytical Engines", "Royal Society", "Halal",
                       "Wheelchair", "Vegetarian", "Register again"):
            assert detail not in page, (page_token == old, detail)
        data = client.get(f"/registration/{page_token}/data.json").get_json()
        assert (data["name"], data["email"], data["earlier_registrations"]) == ("—", None, [])
    assert _token(other)  # Bob's registration is his own


def test_deleting_my_data_keeps_the_head_counts_and_hands_the_place_on(
    client, app, conference_slug
):
    old = _token(client.post("/register", data=form_data(category="student")))
    client.post(f"/registration/{old}/cancel")
    client.post("/register", data=form_data(email="bob@example.org", category="student"))
    new = _token(client.post("/register", data=form_data(category="student")))
    client.post("/register", data=form_data(email="eve@example.org", category="student"))
    assert client.post(f"/registration/{old}/erase").status_code == 303
    with app.app_context():
        statuses = db.session.execute(
            db.select(Registration.email, Registration.status).order_by(Registration.id)
        ).all()
    # Ada's new registration, waiting for the one place, is cancelled and erased; Bob keeps
    # the place and Eve is still next in line.
    assert [tuple(row) for row in statuses] == [
        (None, "cancelled"),
        ("bob@example.org", "confirmed"),
        (None, "cancelled"),
        ("eve@example.org", "waitlisted"),
    ]
    assert new != old


def test_my_data_holds_my_earlier_registrations_with_the_same_address(
    client, app, conference_slug
):
    old, new = _register_twice(client)
    client.post("/register", data=form_data(email="bob@example.org", name="Bob"))
    data = client.get(f"/registration/{new}/data.json").get_json()
    assert (data["name"], data["organisation"], data["status"]) == (
        "Ada King", "Royal Society", "confirmed"
    )
    [earlier] = data["earlier_registrations"]
    assert set(earlier) == set(data) - {"conference", "earlier_registrations"}
    assert (earlier["name"], earlier["email"], earlier["organisation"], earlier["status"]) == (
        "Ada Lovelace", "ada@example.org", "Analytical Engines Ltd", "cancelled"
    )
    assert earlier["answers"] == {"diet": "halal", "access": "Wheelchair"}
    assert earlier["sessions"] == [{"session": "lab", "status": "cancelled"}]
    assert earlier["phone"] == "+86 551-1234 5678" and earlier["job_title"] == "Programmer"
    # The cancelled registration's link shows nothing registered after it.
    old_data = client.get(f"/registration/{old}/data.json").get_json()
    assert old_data["name"] == "Ada Lovelace" and old_data["earlier_registrations"] == []
    assert "Royal Society" not in json.dumps(old_data)


def _prefilled(response) -> dict[str, str]:
    page = parse_page(response)
    values = {
        name: page.xpath(f"//form[contains(@class, 'register-form')]//input[@name='{name}']")[0]
        .get("value", "")
        for name in ("name", "email", "organisation", "job_title", "phone")
    }
    chosen = page.xpath("//select[@name='category']/option[@selected]/@value")
    values["category"] = chosen[0] if chosen else ""
    values["ticked"] = page.xpath(
        "//form[contains(@class, 'register-form')]//input[@type='checkbox'][@checked]/@name"
    )
    return values


EMPTY = {"name": "", "email": "", "organisation": "", "job_title": "", "phone": "", "category": "",
         "ticked": []}


def test_register_again_starts_from_the_cancelled_registrations_details(
    client, app, conference_slug
):
    old = _token(client.post("/register", data=form_data(
        category="expert", sessions=["forum"], **{"q-news": "y"}
    )))
    client.post(f"/registration/{old}/cancel")
    manage = parse_page(client.get(f"/registration/{old}?lang=zh"))
    [again] = manage.xpath("//a[contains(., '重新报名')]")
    response = client.get(again.get("href") + "&lang=zh")
    assert response.status_code == 200
    assert _prefilled(response) == {
        "name": "Ada Lovelace", "email": "ada@example.org",
        "organisation": "Analytical Engines Ltd", "job_title": "Programmer",
        "phone": "+86 551-1234 5678", "category": "expert",
        "ticked": [],  # consent, sessions and answers are given anew
    }
    # The language switch keeps the details.
    [english] = parse_page(response).xpath("//a[@lang='en']")
    assert _prefilled(client.get(english.get("href")))["name"] == "Ada Lovelace"

    _token(client.post("/register", data=form_data()))  # registered again: not any more
    assert _prefilled(client.get(f"/register?again={old}")) == EMPTY


def test_register_again_prefills_nothing_for_any_other_token(client, app, conference_slug):
    active = _token(client.post("/register", data=form_data()))
    rejected = _token(client.post("/register", data=form_data(
        email="bob@example.org", category="expert"
    )))
    with app.app_context():
        reject(db.session.execute(
            db.select(Registration).where(Registration.token == rejected)
        ).scalar_one())
    erased = _token(client.post("/register", data=form_data(email="eve@example.org")))
    client.post(f"/registration/{erased}/erase")
    for token in (active, rejected, erased, "no-such-token", "x" * 200):
        response = client.get(f"/register?again={token}")
        assert response.status_code == 200
        assert _prefilled(response) == EMPTY, token


def _cancellation(app) -> str:
    [body] = [body for _, kind, body in _mails(app) if kind.startswith("cancelled")]
    return body


def test_the_cancellation_says_the_seats_went_on_only_when_someone_was_waiting(
    client, app, conference_slug
):
    alone = _token(client.post("/register", data=form_data(sessions=["lab"])))
    client.post(f"/registration/{alone}/cancel")
    text = _cancellation(app)
    assert "is cancelled and its badge no longer works" in text
    assert "waiting list" not in text
    assert "You may register again with the same e-mail address:" in text
    assert "http://127.0.0.1:5000/register?lang=en" in text


def test_the_cancellation_tells_of_the_waiting_list_when_it_moved(client, app, conference_slug):
    first = _token(client.post("/register", data=form_data(sessions=["lab"])))
    client.post("/register", data=form_data(email="bob@example.org", sessions=["lab"]))
    client.post(f"/registration/{first}/cancel")
    text = _cancellation(app)
    assert "The place or seats you gave up went to people on the waiting lists." in text
    assert "You may register again with the same e-mail address:" in text


def test_the_cancellation_in_chinese(client, app, conference_slug):
    first = _token(client.post("/register?lang=zh", data=form_data(sessions=["lab"])))
    client.post("/register?lang=zh", data=form_data(email="bob@example.org", sessions=["lab"]))
    client.post(f"/registration/{first}/cancel")
    text = _cancellation(app)
    assert "您参加注册测试大会的报名已取消，参会证随之失效。" in text
    assert "您让出的名额或座位已转给候补名单上的参会者。" in text
    assert "您可以使用同一电子邮箱重新报名：" in text
    assert "/register?lang=zh" in text


def test_the_cancellation_offers_registering_again_only_while_the_address_is_free(
    client, app, conference_slug, runner
):
    app.config["MAIL_SEND_INLINE"] = False
    first = _token(client.post("/register", data=form_data()))
    client.post(f"/registration/{first}/cancel")
    _token(client.post("/register", data=form_data()))  # before the sender ran
    assert runner.invoke(args=["send-mail"]).exit_code == 0
    text = _cancellation(app)
    assert "is cancelled" in text and "register again" not in text
