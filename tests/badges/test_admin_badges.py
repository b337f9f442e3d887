"""Organiser page for bulk badges: a background job with progress and a download."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conference.auth.service import create_or_update_user
from conference.badges.jobs import run_badge_job
from conference.extensions import db
from conference.models import Conference, PrintJob
from tests.badges.bulk_data import add_registrations
from tests.badges.pdf_checks import page_sizes_mm
from tests.registration.pages import parse_page


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


def _jobs(app) -> list[PrintJob]:
    with app.app_context():
        return list(db.session.execute(db.select(PrintJob)).scalars())


def test_a_selection_matching_nobody_is_refused_before_any_job_starts(app, organiser_client, demo):
    add_registrations(app, demo, 3, prefix="Delegate")  # none of them is a VIP

    response = organiser_client.post("/admin/badges?lang=en", data={
        "layout": "a6", "categories": ["vip"], "statuses": ["confirmed"],
        "sort": "name", "lang": "en",
    })

    assert response.status_code == 400
    [alert] = parse_page(response).xpath("//p[@role='alert']")
    assert alert.text_content().strip() == (
        "No registration matches this selection: there are no badges to print."
    )
    assert _jobs(app) == []


def _failed_job(app, organiser_client, demo, categories: str) -> tuple[int, str, dict]:
    """A job recorded for ``categories`` and run: (id, the page's status cell, its JSON)."""
    with app.app_context():
        conference_id = db.session.execute(
            db.select(Conference.id).where(Conference.slug == demo)
        ).scalar_one()
        job = PrintJob(conference_id=conference_id, layout="a6", lang="en", sort="name",
                       categories=categories, statuses="confirmed")
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    with app.test_request_context("/"):
        run_badge_job(job_id)
    page = parse_page(organiser_client.get("/admin/badges?lang=en"))
    [cell] = page.xpath(f"//tr[@id='job-{job_id}']/td[4]")
    return job_id, cell.text_content().strip(), organiser_client.get(
        f"/admin/badges/jobs/{job_id}.json?lang=en").get_json()


def test_a_job_whose_people_are_gone_by_the_time_it_runs_says_so(app, organiser_client, demo):
    # Recorded while the press had badges to print; every one of them cancelled since.
    _, shown, state = _failed_job(app, organiser_client, demo, "press")

    reason = "No registration matches this selection: there are no badges to print."
    assert shown == f"failed: {reason}"
    assert (state["status"], state["error"]) == ("failed", reason)


def test_a_job_that_cannot_write_its_file_gives_a_readable_reason(app, organiser_client, demo):
    add_registrations(app, demo, 2, prefix="Delegate")
    # Where the job's PDF goes, a file stands in the way of the folder.
    (Path(app.instance_path) / "print-jobs").write_text("not a folder")

    _, shown, state = _failed_job(app, organiser_client, demo, "delegate")

    reason = "The PDF file could not be written on the server (is its disk full?)."
    assert shown == f"failed: {reason}"
    assert state["error"] == reason
    assert "print-jobs" not in shown and "Errno" not in shown
