"""Organiser page for bulk badges: a background job with progress and a download."""

from __future__ import annotations

import time

import pytest

from conference.auth.service import create_or_update_user
from tests.badges.bulk_data import add_registrations
from tests.badges.pdf_checks import page_sizes_mm


@pytest.fixture
def organiser_client(app, client):
    with app.app_context():
        create_or_update_user("boss@example.org", "correct horse battery", "organiser")
    response = client.post("/login", data={"email": "boss@example.org",
                                           "password": "correct horse battery"})
    assert response.status_code == 302
    return client


def wait_for(client, job_id: int, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(f"/admin/badges/jobs/{job_id}.json").get_json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {state['status']}")


def test_a_bulk_job_runs_in_the_background_and_its_pdf_can_be_downloaded(
    app, organiser_client, demo
):
    add_registrations(app, demo, 13, prefix="Delegate")
    add_registrations(app, demo, 3, category="press", prefix="Press")

    response = organiser_client.post("/admin/badges", data={
        "layout": "a7x8", "categories": ["delegate"], "statuses": ["confirmed"],
        "sort": "name", "lang": "en",
    })

    assert response.status_code == 303
    job_id = int(response.headers["Location"].rsplit("job=", 1)[1])
    state = wait_for(organiser_client, job_id)
    assert state["status"] == "done", state["error"]
    assert (state["done"], state["total"], state["pages"]) == (13, 13, 2)
    page = organiser_client.get("/admin/badges").get_data(as_text=True)
    assert f'href="/admin/badges/jobs/{job_id}.pdf"' in page
    assert 'value="13"' in page  # the progress bar is full
    download = organiser_client.get(state["download"])
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert len(page_sizes_mm(download.data)) == 2


def test_an_unknown_category_is_shown_next_to_the_field(organiser_client, demo):
    response = organiser_client.post("/admin/badges", data={
        "layout": "a6", "categories": ["nobody"], "statuses": ["confirmed"],
        "sort": "name", "lang": "en",
    })

    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "nobody" in body and "class=\"error\" role=\"alert\"" in body


def test_staff_without_organiser_role_cannot_print_in_bulk(staff_client, demo):
    assert staff_client.get("/admin/badges").status_code == 403
    assert staff_client.get("/admin/badges/jobs/1.json").status_code == 403
