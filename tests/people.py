"""A confirmed registration at the demo conference, and the code on its badge."""

from __future__ import annotations

from conference.badges.tokens import issue_code
from conference.extensions import db
from conference.models import Conference, Registration


def new_badge(app, name: str, email: str) -> tuple[int, str]:
    """(registration id, badge code) of a new confirmed registration in the first category."""
    with app.app_context():
        conference = db.session.execute(db.select(Conference)).scalar_one()
        person = Registration(conference=conference, category=conference.categories[0],
                              name=name, email=email)
        db.session.add(person)
        db.session.commit()
        return person.id, issue_code(person)
