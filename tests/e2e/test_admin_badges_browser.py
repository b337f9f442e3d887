"""Badges in bulk in a real browser: categories ticked with a tap or the keyboard, and a
job's progress followed on the page without reloading it."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from conference.badges import jobs
from tests.badges.bulk_data import add_registrations
from tests.badges.pdf_checks import pdf_text, squeezed
from tests.browser import log_in

pytestmark = pytest.mark.browser

# Every text the progress cells show, from the first render of each page on.
RECORD_PROGRESS = """
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("print-jobs");
  if (!box) return;
  window.seenProgress = [];
  function record() {
    var cell = box.querySelector("tbody tr .job-progress");
    var text = cell ? cell.textContent.replace(/\\s+/g, " ").trim() : "";
    var seen = window.seenProgress;
    if (text && seen[seen.length - 1] !== text) seen.push(text);
  }
  record();
  new MutationObserver(record).observe(box, { childList: true, subtree: true, characterData: true });
});
"""


@pytest.fixture
def slow_job(monkeypatch):
    """Badges laid out one sheet at a time with a pause after each: a job long enough for
    the page to show it under way."""
    render = jobs.render_badges_to_file

    def one_sheet_at_a_time(*args, progress, **kwargs):
        def report(done, total):
            progress(done, total)
            time.sleep(0.6)

        return render(*args, progress=report, processes=1, chunk_badges=1, **kwargs)

    monkeypatch.setattr(jobs, "render_badges_to_file", one_sheet_at_a_time)


def open_badges_page(page, live_server, organiser):
    log_in(page, live_server, organiser, next_path="/admin/badges")
    expect(page).to_have_url(re.compile(r"/admin/badges$"))


def test_two_categories_ticked_print_exactly_those_with_progress_on_the_page(
    live_server, page, app, demo, organiser, slow_job
):
    add_registrations(app, demo, 3, prefix="Delegate")
    add_registrations(app, demo, 2, category="press", prefix="Press")
    add_registrations(app, demo, 2, category="speaker", prefix="Speaker")
    page.add_init_script(RECORD_PROGRESS)
    open_badges_page(page, live_server, organiser)

    categories = page.get_by_role("group", name="Categories")
    categories.get_by_label("Delegate").click()  # a tap on the label
    press = categories.get_by_label("Press")
    press.focus()
    page.keyboard.press("Space")  # or the keyboard
    expect(press).to_be_checked()
    expect(categories.get_by_role("checkbox", checked=True)).to_have_count(2)
    page.get_by_label("Stock").select_option("a6")
    page.locator("#lang").select_option("en")
    page.get_by_role("button", name="Print badges").click()

    row = page.locator("#print-jobs tbody tr").first
    expect(row.locator(".job-status")).to_have_text("Rendering…")
    categories.get_by_label("VIP").check()  # the organiser goes on choosing meanwhile
    expect(row.locator(".job-status")).to_have_text("Done", timeout=30_000)
    download = row.get_by_role("link", name="Download PDF")
    expect(download).to_be_visible()
    expect(page.locator("#print-jobs-news")).to_contain_text("Done")

    # The table was updated in place: the page never reloaded, the new tick is still there.
    expect(categories.get_by_label("VIP")).to_be_checked()
    seen = page.evaluate("window.seenProgress")
    assert seen[0] == "5 badges" and seen[-1] == "5 of 5", seen
    assert any(re.fullmatch(r"[1-4] of 5", text) for text in seen), seen
    assert not any(text.startswith("0 of") for text in seen), seen

    pdf = page.request.get(live_server + download.get_attribute("href"))
    assert pdf.status == 200
    text = squeezed(pdf_text(pdf.body()))
    assert all(name in text for name in ("Delegate001", "Delegate003", "Press002"))
    assert "Speaker00" not in text
