"""An attendee's own badge: /registration/<token>/badge.pdf."""

from __future__ import annotations

import pytest
import zxingcpp

from conference.badges.render import name_font_size
from conference.badges.tokens import verify_code
from conference.extensions import db
from conference.models import AttendeeCategory, Conference, Registration
from tests.badges.pdf_checks import embedded_fonts, page_sizes_mm, pdf_text, rasterise, squeezed

RASTER_DPI = 200
MM_PER_INCH = 25.4


def add_registration(app, slug: str, status: str = "confirmed", **fields) -> tuple[str, str]:
    """A registration in the ``delegate`` category; returns (manage token, badge public id)."""
    values = {
        "name": "张伟",
        "email": "zhang.wei@example.org",
        "organisation": "中国科学院合肥物质科学研究院",
        "job_title": "高级工程师",
    }
    values.update(fields)
    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == slug)
        ).scalar_one()
        category = db.session.execute(
            db.select(AttendeeCategory).where(
                AttendeeCategory.conference_id == conference.id,
                AttendeeCategory.code == "delegate",
            )
        ).scalar_one()
        registration = Registration(
            conference=conference, category=category, status=status, **values
        )
        db.session.add(registration)
        db.session.commit()
        return registration.token, registration.public_id


def test_badge_is_one_a6_page_with_name_organisation_and_a_scannable_code(
    app, client, demo, tmp_path
):
    token, public_id = add_registration(app, demo)

    response = client.get(f"/registration/{token}/badge.pdf?lang=zh")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].startswith('inline; filename="badge-')
    pdf = response.data
    [(width, height)] = page_sizes_mm(pdf)
    assert width == pytest.approx(105, abs=0.5)
    assert height == pytest.approx(148, abs=0.5)
    text = squeezed(pdf_text(pdf))
    for printed in ("张伟", "中国科学院合肥物质科学研究院", "高级工程师", "参会代表"):
        assert printed in text
    assert "\ufffd" not in text
    fonts = embedded_fonts(pdf, tmp_path)
    assert fonts and all("Noto-Sans-CJK-SC" in font for font in fonts)

    [page] = rasterise(pdf, tmp_path, dpi=RASTER_DPI)
    found = [code for code in zxingcpp.read_barcodes(page)
             if code.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(found) == 1
    with app.app_context():
        claim = verify_code(found[0].text)
    assert claim.public_id == public_id
    corners = found[0].position
    symbol_mm = (corners.top_right.x - corners.top_left.x) / RASTER_DPI * MM_PER_INCH
    assert symbol_mm >= 30  # big enough to scan from 30 cm


def test_category_band_follows_the_chosen_language(app, client, demo):
    token, _ = add_registration(app, demo, name="Ada Lovelace", organisation="Analytical Engines Ltd")

    english = squeezed(pdf_text(client.get(f"/registration/{token}/badge.pdf?lang=en").data))
    chinese = squeezed(pdf_text(client.get(f"/registration/{token}/badge.pdf?lang=zh").data))

    assert "Delegate" in english and "参会代表" not in english
    assert "参会代表" in chinese and "Delegate" not in chinese
    assert "AdaLovelace" in english and "AnalyticalEnginesLtd" in english


def test_filename_is_an_ascii_form_of_the_name(app, client, demo):
    token, _ = add_registration(app, demo, name="José María Fernández")

    response = client.get(f"/registration/{token}/badge.pdf")

    assert 'filename="badge-jose-maria-fernandez.pdf"' in response.headers["Content-Disposition"]


def test_a_long_name_is_printed_whole_in_a_smaller_size(app, client, demo):
    long_name = "Maximilian Alexander von Hohenzollern-Sigmaringen"
    token, _ = add_registration(app, demo, name=long_name, organisation=None, job_title=None)

    text = squeezed(pdf_text(client.get(f"/registration/{token}/badge.pdf").data))

    assert "MaximilianAlexandervonHohenzollern" in text and "Sigmaringen" in text
    short_size, _ = name_font_size("张伟")
    long_size, lines = name_font_size(long_name)
    assert long_size < short_size / 2
    assert lines == 2


@pytest.mark.parametrize("status", ["pending", "waitlisted", "cancelled"])
def test_no_badge_before_confirmation(app, client, demo, status):
    token, _ = add_registration(app, demo, status=status)

    response = client.get(f"/registration/{token}/badge.pdf?lang=en")

    assert response.status_code == 409
    assert response.mimetype == "text/html"
    assert "once your registration is confirmed" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_unknown_token_is_not_found(client, demo):
    response = client.get("/registration/no-such-token/badge.pdf")

    assert response.status_code == 404
