"""``GET /api/v1/dashboard``: the organisers' live figures (see
``conference.admin.dashboard_figures``), for the dashboard page and for integrations.

Auth: an organiser's session with the API header, or an organiser's or admin's API token.
"""

from __future__ import annotations

from pydantic import Field

from ..admin.dashboard_figures import dashboard_figures
from ..current import current_conference
from ..errors import problem
from . import bp
from .contract import ORGANISER, Answer, DateTimeText, operation


class Series(Answer):
    name: str
    counts: list[int] = Field(description="Arrivals in each five-minute bucket of `labels`.")


class CategorySeries(Series):
    colour: str


class Arrivals(Answer):
    labels: list[str] = Field(description="The buckets' start times (local, HH:MM).")
    gates: list[Series]
    categories: list[CategorySeries]
    total: int


class Day(Answer):
    day: str = Field(json_schema_extra={"format": "date"})
    count: int


class Gauge(Answer):
    name: str
    taken: int
    capacity: int | None
    colour: str | None


class SessionGauge(Gauge):
    starts: str = Field(description="Local start, MM-DD HH:MM.")


class Dashboard(Answer):
    """The live figures of the site's conference."""

    generated_at: DateTimeText
    checked_in: int
    expected: int = Field(description="Confirmed registrations.")
    arrivals: Arrivals
    registrations_per_day: list[Day]
    category_gauges: list[Gauge]
    session_gauges: list[SessionGauge]


@bp.get("/dashboard")
@operation(summary="The organisers' live figures", tags=["back office"], access=ORGANISER,
           responses={200: Dashboard, 404: "No conference has been loaded yet."})
def dashboard():
    """Arrivals per five minutes by gate and category, registrations per day, and the
    places and seats taken, as the dashboard at /admin draws them."""
    conference = current_conference(required=False)
    if conference is None:
        return problem(404, "Not Found", "No conference has been loaded yet.")
    return Dashboard.model_validate(dashboard_figures(conference)), 200, {
        "Cache-Control": "no-store"}
