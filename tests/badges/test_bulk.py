"""Badges in bulk: filters, order, the render-badges command and the parallel renderer."""

from __future__ import annotations

import zxingcpp

from conference.badges.bulk import find_conference, render_badges_to_file, select_registrations
from conference.badges.layouts import LAYOUTS
from conference.badges.tokens import verify_code
from tests.badges.bulk_data import add_registrations
from tests.badges.pdf_checks import page_sizes_mm, pdf_text, rasterise, squeezed


def names(registrations) -> list[str]:
    return [r.name for r in registrations]


def test_selection_filters_by_category_and_status_and_sorts(app, demo):
    add_registrations(app, demo, 3, prefix="Delegate")
    add_registrations(app, demo, 2, category="press", prefix="Press")
    add_registrations(app, demo, 2, status="pending", prefix="Pending")

    with app.app_context():
        conference = find_conference(demo)
        confirmed = select_registrations(conference)
        press = select_registrations(conference, ["press"])
        pending = select_registrations(conference, statuses=["pending"])
        by_organisation = select_registrations(conference, ["delegate"], sort="organisation")
        by_time = select_registrations(conference, ["delegate"], sort="registered")

        assert names(confirmed) == ["Delegate 001", "Delegate 002", "Delegate 003",
                                    "Press 001", "Press 002"]
        assert names(press) == ["Press 001", "Press 002"]
        assert names(pending) == ["Pending 001", "Pending 002"]
        # organisations and registration times run the other way round from names
        assert names(by_organisation) == ["Delegate 003", "Delegate 002", "Delegate 001"]
        assert names(by_time) == ["Delegate 003", "Delegate 002", "Delegate 001"]


def test_cli_renders_the_chosen_badges_with_progress(app, demo, runner, tmp_path):
    add_registrations(app, demo, 11, prefix="Delegate")
    add_registrations(app, demo, 4, category="press", prefix="Press")
    target = tmp_path / "out" / "badges.pdf"

    result = runner.invoke(args=[
        "render-badges", "--layout", "54x90", "--category", "press", "--category", "delegate",
        "--sort", "organisation", "--lang", "en", "-o", str(target),
    ])

    assert result.exit_code == 0, result.output
    assert "Wrote 15 badges on 2 pages" in result.stdout
    assert "15/15 badges" in result.stderr
    pdf = target.read_bytes()
    assert len(page_sizes_mm(pdf)) == 2
    text = squeezed(pdf_text(pdf))
    assert "Press" in text and "Delegate011" in text


def test_cli_explains_an_unknown_category(app, demo, runner, tmp_path):
    result = runner.invoke(args=["render-badges", "--category", "nobody",
                                 "-o", str(tmp_path / "x.pdf")])

    assert result.exit_code != 0
    assert "unknown category nobody" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_two_worker_processes_give_the_same_sheets_in_order(app, demo, tmp_path):
    public_ids = add_registrations(app, demo, 23)
    target = tmp_path / "parallel.pdf"
    seen: list[tuple[int, int]] = []

    with app.test_request_context("/"):
        registrations = select_registrations(find_conference(demo))
        pages = render_badges_to_file(registrations, "zh", LAYOUTS["40x75"], target,
                                      progress=lambda d, t: seen.append((d, t)),
                                      processes=2, chunk_badges=12, pool_from_chunks=2)

    assert pages == 2
    assert seen[0] == (0, 23) and seen[-1] == (23, 23)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    images = rasterise(target.read_bytes(), tmp_path, dpi=150)
    decoded = []
    for image in images:
        layout = LAYOUTS["40x75"]
        codes = sorted(
            zxingcpp.read_barcodes(image),
            key=lambda c: ((c.position.top_left.y / 150 * 25.4 - layout.top_margin)
                           // layout.card_height, c.position.top_left.x),
        )
        with app.app_context():
            decoded += [verify_code(c.text).public_id for c in codes]
    assert decoded == public_ids


def test_cli_refuses_a_selection_matching_nobody(app, demo, runner, tmp_path):
    add_registrations(app, demo, 2, prefix="Delegate")

    result = runner.invoke(args=["render-badges", "--category", "vip",
                                 "-o", str(tmp_path / "x.pdf")])

    assert result.exit_code != 0
    assert "no registration matches these filters" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_a_small_job_is_laid_out_without_starting_worker_processes(app, demo, tmp_path,
                                                                    monkeypatch):
    """Starting the workers costs more than they save on a few chunks (bench/pdf.py)."""
    from conference.badges import bulk

    started = []
    monkeypatch.setattr(bulk, "ProcessPoolExecutor", lambda *a, **k: started.append(k))
    add_registrations(app, demo, 23)
    with app.test_request_context("/"):
        registrations = select_registrations(find_conference(demo))
        pages = render_badges_to_file(registrations, "zh", LAYOUTS["40x75"],
                                      tmp_path / "small.pdf", processes=2, chunk_badges=12)

    assert pages == 2
    assert started == []
