"""The organiser's list of registrations: one status or all of them, narrowed by a search
on name, e-mail address or organisation, with the number in each status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func

from ..extensions import db
from ..models import Conference, Registration
from ..registration.search import containing, search_text

LISTED_STATUSES = ("pending", "waitlisted", "confirmed", "cancelled", "rejected")
ALL = "all"
PAGE_SIZE = 100  # registrations per page of the list


@dataclass
class RegistrationList:
    status: str  # one of LISTED_STATUSES, or ALL
    query: str  # the search in force ('' for none)
    counts: dict[str, int]  # per status and ALL, counting only the search's matches
    rows: list[Registration]  # the page asked for
    page: int = 1

    @property
    def total(self) -> int:
        """How many registrations the list holds (``rows`` is one page of them)."""
        return self.counts[self.status]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def first(self) -> int:
        """The number of the page's first row in the whole list (from 1)."""
        return (self.page - 1) * PAGE_SIZE + 1


def _matches(query: str):
    """Name, e-mail address or organisation containing ``query``, whatever its case."""
    return containing(query, Registration.name, Registration.email, Registration.organisation)


def status_counts(conference: Conference, query: str = "") -> dict[str, int]:
    statement = (
        db.select(Registration.status, func.count())
        .where(Registration.conference_id == conference.id)
        .group_by(Registration.status)
    )
    if query:
        statement = statement.where(_matches(query))
    found = {status: count for status, count in db.session.execute(statement)}
    counts = {status: found.get(status, 0) for status in LISTED_STATUSES}
    counts[ALL] = sum(found.values())
    return counts


def registration_list(conference: Conference, status: str | None, raw_query: str | None,
                      page: int = 1) -> RegistrationList:
    """Page ``page`` of the registrations of ``status`` matching the search, in order of
    registration (a page beyond the last shows the last).

    Without a status asked for, the list opens on those pending approval when there are
    any (they wait for the organiser), else on all registrations."""
    query = search_text(raw_query)
    counts = status_counts(conference, query)
    if status not in (*LISTED_STATUSES, ALL):
        status = "pending" if not query and counts["pending"] else ALL
    page = min(max(page, 1), max(1, -(-counts[status] // PAGE_SIZE)))
    statement = (
        db.select(Registration)
        .where(Registration.conference_id == conference.id)
        .order_by(Registration.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    if status != ALL:
        statement = statement.where(Registration.status == status)
    if query:
        statement = statement.where(_matches(query))
    rows = list(db.session.execute(statement).scalars())
    return RegistrationList(status=status, query=query, counts=counts, rows=rows, page=page)
