"""The back of a badge for duplex printing: the attendee's sessions and the venue Wi-Fi,
behind the front when the sheet is printed long-edge duplex."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from conference.badges.bulk import find_conference, render_badges_to_file, select_registrations
from conference.badges.layouts import LAYOUTS
from conference.extensions import db
from conference.models import Registration, SeatBooking, Session
from tests.badges.bulk_data import add_registrations
from tests.badges.pdf_checks import page_sizes_mm, pdf_text, squeezed
from tests.badges.test_admin_badges import wait_for
from tests.badges.test_badge_pdf import add_registration

POINTS_PER_MM = 72 / 25.4


def text_positions(pdf: bytes, page: int) -> dict[str, tuple[float, float]]:
    """Where each piece of text starts on ``page`` (0-based): mm from the top-left corner."""
    reader = PdfReader(io.BytesIO(pdf))
    sheet = reader.pages[page]
    height = float(sheet.mediabox.height)
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        text = text.strip()
        if text and text not in found:
            x, y = cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]
            found[text] = (x / POINTS_PER_MM, (height - y) / POINTS_PER_MM)

    sheet.extract_text(visitor_text=visit)
    return found


def slot_at(layout, x: float, y: float) -> int:
    return next(slot for slot in range(layout.per_page)
                if 0 <= x - layout.card_origin(slot)[0] < layout.card_width
                and 0 <= y - layout.card_origin(slot)[1] < layout.card_height)


@pytest.mark.parametrize("code", ["a6x4", "54x90", "a7x8"])
def test_backs_follow_each_sheet_mirrored_for_long_edge_duplex(app, demo, tmp_path, code):
    layout = LAYOUTS[code]
    add_registrations(app, demo, layout.per_page + 1)  # one full sheet and one more card
    target = tmp_path / "duplex.pdf"
    with app.test_request_context("/"):
        registrations = select_registrations(find_conference(demo))
        names = [r.name for r in registrations]
        fronts_only = render_badges_to_file(registrations, "en", layout, tmp_path / "f.pdf",
                                            processes=1)
        pages = render_badges_to_file(registrations, "en", layout, target, processes=1,
                                      back=True)

    assert pages == 2 * fronts_only == 4
    pdf = target.read_bytes()
    sizes = page_sizes_mm(pdf)
    assert len(set(sizes)) == 1  # backs are on the same paper
    front, back = text_positions(pdf, 0), text_positions(pdf, 1)
    for name in names[: layout.per_page]:
        front_slot = slot_at(layout, *front[name])
        back_slot = slot_at(layout, *back[name])
        row, column = divmod(front_slot, layout.columns)
        back_row, back_column = divmod(back_slot, layout.columns)
        if layout.page_width < layout.page_height:  # turned over its left or right edge
            assert (back_row, back_column) == (row, layout.columns - 1 - column), name
        else:  # a landscape sheet turns over its top edge
            assert (back_row, back_column) == (layout.rows - 1 - row, column), name
    back_text = pdf_text(pdf).split("\f")[1]
    assert back_text.count("HSS2024-Guest") == layout.per_page
    assert back_text.count("sense-the-future") == layout.per_page


def test_the_back_lists_booked_sessions_else_the_keynotes(app, client, demo):
    token, _ = add_registration(app, demo, name="Ada Lovelace", organisation="Engines")
    other, _ = add_registration(app, demo, name="Grace Hopper", email="grace@example.org")
    with app.app_context():
        sessions = db.session.execute(db.select(Session).order_by(Session.starts_at)).scalars()
        sessions = list(sessions)
        keynotes = [s.title_en for s in sessions if s.kind == "keynote"]
        workshop = next(s for s in sessions if s.kind == "workshop")
        ada = db.session.execute(
            db.select(Registration).where(Registration.token == token)).scalar_one()
        db.session.add(SeatBooking(registration_id=ada.id, session_id=workshop.id,
                                   status="confirmed"))
        db.session.commit()
        booked_title = workshop.title_en
        booked_room = workshop.room.name_en

    manage = client.get(f"/registration/{token}?lang=en").get_data(as_text=True)
    assert f'href="/registration/{token}/badge.pdf?back=1"' in manage
    booked = client.get(f"/registration/{token}/badge.pdf?lang=en&back=1")
    plain = client.get(f"/registration/{token}/badge.pdf?lang=en")
    unbooked = client.get(f"/registration/{other}/badge.pdf?lang=en&back=1")

    assert booked.status_code == 200
    assert len(page_sizes_mm(plain.data)) == 1
    assert len(page_sizes_mm(booked.data)) == 2  # the back is the next page
    back = squeezed(pdf_text(booked.data).split("\f")[1])
    assert "Mysessions" in back and squeezed(booked_title)[:20] in back
    assert squeezed(booked_room) in back  # where to go, even when a long title is cut
    assert "Wi-FiHSS2024-Guest" in back and "sense-the-future" in back
    other_back = squeezed(pdf_text(unbooked.data).split("\f")[1])
    assert keynotes and "Keynotes" in other_back
    assert all(squeezed(title)[:15] in other_back for title in keynotes)


def test_cli_and_organiser_page_print_backs(app, demo, runner, organiser_client, tmp_path):
    add_registrations(app, demo, 5, prefix="Delegate")
    target = tmp_path / "cli.pdf"

    result = runner.invoke(args=["render-badges", "--layout", "a6x4", "--back", "--lang", "en",
                                 "-o", str(target)])
    response = organiser_client.post("/admin/badges", data={
        "layout": "a6x4", "statuses": ["confirmed"], "sort": "name", "lang": "en",
        "back": "y",
    })

    assert result.exit_code == 0, result.output
    assert "Wrote 5 badges on 4 pages" in result.stdout
    assert response.status_code == 303
    state = wait_for(organiser_client, int(response.headers["Location"].rsplit("=", 1)[1]))
    assert state["status"] == "done" and state["pages"] == 4
    assert "with backs" in organiser_client.get("/admin/badges").get_data(as_text=True)
