"""Organiser page for bulk badges: a background job with progress and a download."""

from __future__ import annotations

import time
from pathlib import Path

from conference.badges.jobs import run_badge_job
from conference.extensions import db
from conference.models import Conference, PrintJob
from tests.badges.bulk_data import add_registrations
from tests.badges.pdf_checks import page_sizes_mm, pdf_text, squeezed
from tests.registration.pages import parse_page


def wait_for(client, job_id: int, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(f"/admin/badges/jobs/{job_id}.json").get_json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {state['status']}")


def choice_group(page, legend: str) -> dict[str, object]:
    """The checkboxes of the fieldset ``legend`` on ``page``, by the text of their label."""
    [group] = page.xpath(f"//form//fieldset[legend[normalize-space()='{legend}']]")
    boxes = {}
    for box in group.xpath(".//input"):
        [label] = page.xpath(f"//label[@for='{box.get('id')}']")
        boxes[label.text_content().strip()] = box
    return boxes


def submission(page, tick: dict[str, list[str]] | None = None,
               choose: dict[str, str] | None = None) -> dict:
    """What a browser sends for the badges form on ``page`` once the checkboxes named in
    ``tick`` ({legend: [label…]}) are ticked and the menus in ``choose`` ({name: value})
    are set; everything else as the page shows it."""
    [form] = page.xpath("//form[.//button[@type='submit']][.//fieldset]")
    data: dict[str, list[str]] = {}
    for select in form.xpath(".//select"):
        chosen = (choose or {}).get(select.name) or select.value or select.value_options[0]
        data[select.name] = [chosen]
    ticked = {id(box) for legend, labels in (tick or {}).items()
              for label, box in choice_group(page, legend).items() if label in labels}
    for box in form.xpath(".//input[@type='checkbox']"):
        if box.checked or id(box) in ticked:
            data.setdefault(box.name, []).append(box.get("value", "y"))
    return data


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
    response = organiser_client.post("/admin/badges?lang=en", data={
        "layout": "a6", "categories": ["nobody"], "statuses": ["confirmed"],
        "sort": "name", "lang": "en",
    })

    assert response.status_code == 400
    [error] = parse_page(response).xpath(
        "//fieldset[legend[normalize-space()='Categories']]//*[@role='alert']")
    assert "nobody" in error.text_content()


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
    [row] = page.xpath(f"//tr[@id='job-{job_id}']")
    return job_id, _cell(row, "job-status"), organiser_client.get(
        f"/admin/badges/jobs/{job_id}.json?lang=en").get_json()


def test_a_job_whose_people_are_gone_by_the_time_it_runs_says_so(app, organiser_client, demo):
    # Recorded while the press had badges to print; every one of them cancelled since.
    _, shown, state = _failed_job(app, organiser_client, demo, "press")

    reason = "No registration matches this selection: there are no badges to print."
    assert shown == f"Failed: {reason}"
    assert (state["status"], state["error"]) == ("failed", reason)


def test_a_job_that_cannot_write_its_file_gives_a_readable_reason(app, organiser_client, demo):
    add_registrations(app, demo, 2, prefix="Delegate")
    # Where the job's PDF goes, a file stands in the way of the folder.
    (Path(app.instance_path) / "print-jobs").write_text("not a folder")

    _, shown, state = _failed_job(app, organiser_client, demo, "delegate")

    reason = "The PDF file could not be written on the server (is its disk full?)."
    assert shown == f"Failed: {reason}"
    assert state["error"] == reason
    assert "print-jobs" not in shown and "Errno" not in shown


def test_the_categories_are_checkboxes_and_two_ticked_print_exactly_those(
    app, organiser_client, demo
):
    add_registrations(app, demo, 3, prefix="Delegate")
    add_registrations(app, demo, 2, category="press", prefix="Press")
    add_registrations(app, demo, 2, category="speaker", prefix="Speaker")
    page = parse_page(organiser_client.get("/admin/badges?lang=en"))

    categories = choice_group(page, "Categories")
    assert list(categories) == ["Delegate", "Exhibitor staff", "Press", "Government guest",
                                "Speaker", "VIP"]
    assert all(box.get("type") == "checkbox" and not box.checked for box in categories.values())
    statuses = choice_group(page, "Status")
    assert [label for label, box in statuses.items() if box.checked] == ["Confirmed"]
    assert not page.xpath("//select[@multiple]")

    response = organiser_client.post("/admin/badges", data=submission(
        page, tick={"Categories": ["Delegate", "Press"]}, choose={"layout": "a7x8", "lang": "en"},
    ))

    assert response.status_code == 303
    state = wait_for(organiser_client, int(response.headers["Location"].rsplit("job=", 1)[1]))
    assert (state["status"], state["total"]) == ("done", 5)
    text = squeezed(pdf_text(organiser_client.get(state["download"]).data))
    for name in ("Delegate001", "Delegate002", "Delegate003", "Press001", "Press002"):
        assert name in text
    assert "Speaker00" not in text


def test_the_badge_form_reads_in_chinese(organiser_client, demo):
    page = parse_page(organiser_client.get("/admin/badges?lang=zh"))

    assert "贵宾" in choice_group(page, "类别")
    assert list(choice_group(page, "状态")) == ["已确认", "候补中", "待审核", "已取消", "未通过审核"]
    hints = [hint.text_content().strip() for hint in page.xpath("//fieldset/p[@class='hint']")]
    assert hints == ["不勾选则打印全部类别。", "不勾选则只打印已确认的报名。"]
    [stock] = page.xpath("//select[@name='layout']/option[@value='a7x8']")
    assert stock.text == "A4 纸拼 8 张 A7，带裁切线"


def _job_row(app, demo, **values) -> int:
    with app.app_context():
        conference_id = db.session.execute(
            db.select(Conference.id).where(Conference.slug == demo)
        ).scalar_one()
        job = PrintJob(conference_id=conference_id, layout="a6", lang="en", sort="name",
                       categories="", statuses="confirmed", **values)
        db.session.add(job)
        db.session.commit()
        return job.id


def _progress(row) -> tuple[str, str | None, str]:
    """(the progress text, the bar's value — None while it only moves —, the status)."""
    [bar] = row.xpath(".//progress")
    return (" ".join(_cell(row, "job-progress").split()), bar.get("value"),
            _cell(row, "job-status"))


def _cell(row, css_class: str) -> str:
    [cell] = row.xpath(f"td[contains(concat(' ', @class, ' '), ' {css_class} ')]")
    return cell.text_content().strip()


def test_progress_shows_a_moving_bar_until_badges_are_laid_out_then_n_of_n(
    app, organiser_client, demo
):
    queued = _job_row(app, demo, total=13)
    starting = _job_row(app, demo, status="running", total=100)
    halfway = _job_row(app, demo, status="running", total=100, done=48)
    finished = _job_row(app, demo, status="done", total=13, done=13, pages=13)

    for url in ("/admin/badges?lang=en", "/admin/badges/jobs?lang=en"):
        response = organiser_client.get(url)
        assert response.status_code == 200
        page = parse_page(response)
        rows = {job: page.xpath(f"//tr[@id='job-{job}']")[0]
                for job in (queued, starting, halfway, finished)}

        # No "0 of 100" while nothing is laid out yet: a small job is a single chunk.
        assert _progress(rows[queued]) == ("13 badges", None, "Waiting to start")
        assert _progress(rows[starting]) == ("100 badges", None, "Rendering…")
        assert _progress(rows[halfway]) == ("48 of 100", "48", "Rendering…")
        assert _progress(rows[finished]) == ("13 of 13", "13", "Done")
        [download] = rows[finished].xpath(f".//a[@href='/admin/badges/jobs/{finished}.pdf']")
        assert download.text_content() == "Download PDF (13 pages)"
        assert not rows[halfway].xpath(".//a")

    chinese = parse_page(organiser_client.get("/admin/badges/jobs?lang=zh"))
    assert _progress(chinese.xpath(f"//tr[@id='job-{halfway}']")[0]) == (
        "48 / 100", "48", "正在生成…")
    [done_row] = chinese.xpath(f"//tr[@id='job-{finished}']")
    assert _progress(done_row)[2] == "已完成"
    assert done_row.xpath("td")[1].text_content().strip() == "A6，每页一张"
    assert _cell(done_row, "job-download") == "下载 PDF（13 页）"


def test_the_badge_language_starts_as_the_pages_language(organiser_client, demo):
    for lang, shown in (("en", "English"), ("zh", "中文")):
        page = parse_page(organiser_client.get(f"/admin/badges?lang={lang}"))
        [chosen] = page.xpath("//select[@name='lang']/option[@selected]")
        assert (lang, chosen.get("value"), chosen.text) == (lang, lang, shown)


def test_each_print_job_says_its_language_and_categories(app, organiser_client, demo):
    everyone = _job_row(app, demo, status="done", total=3, done=3, pages=3)
    some = _job_row(app, demo, status="done", total=3, done=3, pages=3)
    with app.app_context():
        job = db.session.get(PrintJob, some)
        job.lang, job.categories = "zh", "delegate,press"
        db.session.commit()

    page = parse_page(organiser_client.get("/admin/badges/jobs?lang=en"))
    rows = {job: page.xpath(f"//tr[@id='job-{job}']")[0] for job in (everyone, some)}
    assert (_cell(rows[everyone], "job-lang"), _cell(rows[everyone], "job-categories")) == (
        "English", "all categories")
    assert (_cell(rows[some], "job-lang"), _cell(rows[some], "job-categories")) == (
        "中文", "Delegate and Press")
    headings = [th.text_content() for th in page.xpath("//thead//th")]
    assert "Language" in headings and "Categories" in headings

    chinese = parse_page(organiser_client.get("/admin/badges/jobs?lang=zh"))
    [row] = chinese.xpath(f"//tr[@id='job-{everyone}']")
    assert _cell(row, "job-categories") == "全部类别"


def test_a_job_the_print_queue_cannot_take_fails_at_once_with_a_reason(app, organiser_client, demo):
    """Recorded, then refused by an unreachable Redis: the job must not wait for ever."""
    add_registrations(app, demo, 2, prefix="Delegate")
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    response = organiser_client.post("/admin/badges", data={
        "layout": "a7x8", "categories": ["delegate"], "statuses": ["confirmed"],
        "sort": "name", "lang": "en",
    })
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rsplit("job=", 1)[1])
    state = organiser_client.get(f"/admin/badges/jobs/{job_id}.json").get_json()
    assert state["status"] == "failed"
    assert state["error"] == "The print queue could not be reached; try again in a moment."
