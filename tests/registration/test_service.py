"""The registration rules, called the way the form, the API and the CLI call them."""

from __future__ import annotations

import threading

import pytest

from conference.extensions import db
from conference.models import Conference, Registration
from conference.programme.importer import import_programme
from conference.registration.lifecycle import register
from conference.registration.validation import (
    DuplicateEmail,
    InvalidRegistration,
    RegistrationData,
)
from tests.registration.conference_data import PROGRAMME, SLUG


def _conference() -> Conference:
    return db.session.execute(db.select(Conference).where(Conference.slug == SLUG)).scalar_one()


def _data(**changes) -> RegistrationData:
    values = {
        "name": "Ada Lovelace",
        "email": "Ada.Lovelace@Example.ORG",
        "organisation": "Analytical Engines Ltd",
        "job_title": "Programmer",
        "phone": "+86 551 1234-5678",
        "category_code": "delegate",
        "consent": True,
        "language": "en",
    }
    values.update(changes)
    return RegistrationData(**values)


def _rows() -> list[Registration]:
    return list(db.session.execute(db.select(Registration).order_by(Registration.id)).scalars())


def _errors(app, **changes) -> dict[str, list[str]]:
    with app.test_request_context("/?lang=en"):
        with pytest.raises(InvalidRegistration) as caught:
            register(_conference(), _data(**changes))
        assert _rows() == []
        return caught.value.errors


def test_open_category_is_confirmed_and_stored_before_returning(app, conference_slug):
    with app.app_context():
        registration = register(_conference(), _data())
        token = registration.token
    with app.app_context():  # a fresh session sees the committed row
        stored = db.session.execute(
            db.select(Registration).where(Registration.token == token)
        ).scalar_one()
        assert stored.status == "confirmed"
        assert stored.email == "ada.lovelace@example.org"
        assert stored.name == "Ada Lovelace"
        assert stored.category.code == "delegate"
        assert stored.consent_at is not None
        assert stored.language == "en"
        assert len(stored.token) >= 32 and not stored.token.isdigit()


def test_category_needing_approval_gives_pending(app, conference_slug):
    with app.app_context():
        assert register(_conference(), _data(category_code="expert")).status == "pending"


def test_category_not_offered_to_the_public_is_refused(app, conference_slug):
    errors = _errors(app, category_code="crew")
    assert list(errors) == ["category"]


def test_unknown_category_is_refused(app, conference_slug):
    assert "category" in _errors(app, category_code="vip")


def test_every_problem_is_reported_at_once(app, conference_slug):
    errors = _errors(
        app, name="  ", email="not-an-address", organisation="", consent=False, phone="call me"
    )
    assert set(errors) == {"name", "email", "organisation", "consent", "phone"}


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", 120), ("organisation", 200), ("job_title", 120), ("phone", 40)],
)
def test_length_caps(app, conference_slug, field, limit):
    value = "8" * (limit + 1) if field == "phone" else "x" * (limit + 1)
    assert field in _errors(app, **{field: value})
    with app.app_context():
        value = "8" * limit if field == "phone" else "x" * limit
        assert getattr(register(_conference(), _data(**{field: value})), field) == value


def test_over_long_email_is_refused(app, conference_slug):
    assert "email" in _errors(app, email="a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org")


def test_duplicate_email_in_any_case_is_refused_and_nothing_is_added(app, conference_slug):
    with app.app_context():
        register(_conference(), _data(email="ada@example.org"))
        with pytest.raises(DuplicateEmail) as caught:
            register(_conference(), _data(name="Someone Else", email=" ADA@example.ORG "))
        assert "Ada" not in caught.value.message
        assert [r.name for r in _rows()] == ["Ada Lovelace"]


def test_same_email_may_register_for_another_conference(app, conference_slug):
    with app.app_context():
        other = import_programme(PROGRAMME.replace(SLUG, "other-2025"), "other.yaml")
        register(_conference(), _data())
        register(other, _data())
        assert len(_rows()) == 2


def test_full_category_waitlists_until_a_cancellation_promotes(app, conference_slug):
    from conference.registration.lifecycle import cancel

    with app.app_context():
        first = register(_conference(), _data(email="one@example.org", category_code="student"))
        second = register(_conference(), _data(email="two@example.org", category_code="student"))
        third = register(_conference(), _data(email="three@example.org", category_code="student"))
        assert [first.status, second.status, third.status] == [
            "confirmed",
            "waitlisted",
            "waitlisted",
        ]
        freed = cancel(first)
        assert freed.registrations == [second]
        assert [first.status, second.status, third.status] == [
            "cancelled",
            "confirmed",
            "waitlisted",
        ]
        assert first.badge_version == 2
        assert second.promoted_at is not None


@pytest.mark.parametrize(
    "name",
    [
        "李明",
        "欧阳 娜娜",
        "👩🏽‍💻 Grace",  # skin tone and zero-width joiner kept
        "مريم الأحمد",
        "\u200fשרה כהן\u200e",  # right-to-left and left-to-right marks kept
        "Zoë Ørsted-Ñúñez",
    ],
)
def test_names_are_stored_as_typed(app, conference_slug, name):
    assert _stored_name(app, name) == name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\u202eevil", "evil"),  # shown as "live" with the override
        ("Ann \u202dBob\u202c", "Ann Bob"),
        ("\u2067مريم\u2069 Li", "مريم Li"),
    ],
)
def test_bidirectional_overrides_are_dropped_from_names(app, conference_slug, typed, stored):
    assert _stored_name(app, typed) == stored


@pytest.mark.parametrize("invisible", [
    "\u200b\u200b",  # zero-width spaces
    "\u200d\u2060\ufeff",  # joiner, word joiner, byte order mark
    "\u3164\u3164",  # Hangul fillers, drawn blank
    "\u2800",  # the blank Braille pattern
    "\u3000\u00a0",  # ideographic and no-break spaces
    "\u0301\u0301",  # combining accents on nothing
])
def test_a_name_of_characters_that_print_nothing_is_refused(app, conference_slug, invisible):
    with app.app_context():
        with pytest.raises(InvalidRegistration) as caught:
            register(_conference(), _data(name=invisible, organisation="Lab"))
        assert set(caught.value.errors) == {"name"}
        with pytest.raises(InvalidRegistration) as caught:
            register(_conference(), _data(name="Li Na", organisation=invisible))
        assert set(caught.value.errors) == {"organisation"}
        assert db.session.execute(db.select(db.func.count(Registration.id))).scalar_one() == 0


def _stored_name(app, typed: str) -> str:
    """The name a registration made with ``typed`` holds, read back in a new app context."""
    with app.app_context():
        token = register(_conference(), _data(name=typed)).token
    with app.app_context():
        return db.session.execute(
            db.select(Registration.name).where(Registration.token == token)
        ).scalar_one()



def test_control_characters_are_stripped(app, conference_slug):
    with app.app_context():
        registration = register(
            _conference(),
            _data(
                name="Ada\x00 \x1b[31mLove\x7flace\u0085\n",
                organisation="Engines\tLtd\r\nLondon\ud800",
            ),
        )
        assert registration.name == "Ada [31mLovelace"
        assert registration.organisation == "Engines Ltd London"


def test_phone_takes_digits_plus_dash_and_spaces_only(app, conference_slug):
    assert "phone" in _errors(app, phone="555-CALL-NOW")
    assert "phone" in _errors(app, phone="+ - ")
    with app.app_context():
        assert register(_conference(), _data(phone="")).phone is None


@pytest.mark.postgres
def test_racing_duplicates_give_one_registration_and_duplicate_errors(app, conference_slug):
    """Requests that all pass the duplicate check at once are still sorted out."""
    threads_count = 8
    for round_number in range(3):
        email = f"race{round_number}@example.org"
        barrier = threading.Barrier(threads_count)
        outcomes: list[str] = []

        def attempt(index: int, email=email, barrier=barrier, outcomes=outcomes) -> None:
            with app.app_context():
                barrier.wait()
                try:
                    register(_conference(), _data(name=f"Racer {index}", email=email))
                except DuplicateEmail:
                    outcomes.append("duplicate")
                except Exception as exc:  # noqa: BLE001 (any other outcome fails the test)
                    outcomes.append(repr(exc))
                else:
                    outcomes.append("registered")

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["duplicate"] * (threads_count - 1) + ["registered"]
    with app.app_context():
        assert len(_rows()) == 3
