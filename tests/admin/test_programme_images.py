"""Speaker photos and exhibitor logos: only real images are taken, cleaned of their
metadata, served under a content-named address for a year, shown on the public pages and
in the programme PDF; anything else gets a form error, never a 500."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from conference.extensions import db
from conference.models import Speaker
from tests.programme.editing_data import by_slug

SPEAKER = "xu-mingxuan"


def png(size=(300, 200), text: str | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (320, 240), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 49.0, 12.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _speaker_form(app, **changes) -> tuple[str, dict]:
    with app.app_context():
        speaker = by_slug(Speaker, SPEAKER)
        form = {name: getattr(speaker, name) or "" for name in (
            "name_zh", "name_en", "title_zh", "title_en", "organisation_zh", "organisation_en",
            "bio_zh", "bio_en")}
        form["version"] = str(speaker.version)
        url = f"/admin/programme/speakers/{speaker.id}"
    form.update(changes)
    return url, form


def _upload(client, app, data: bytes, filename: str):
    url, form = _speaker_form(app, photo=(io.BytesIO(data), filename))
    return client.post(url, data=form, content_type="multipart/form-data")


def _photo(app) -> str | None:
    with app.app_context():
        return by_slug(Speaker, SPEAKER).photo


def test_a_photo_is_cleaned_stored_by_content_and_cached_for_a_year(organiser_client, app,
                                                                    demo):
    response = _upload(organiser_client, app, png(text="secret location"), "me.png")
    assert response.status_code == 303
    name = _photo(app)
    assert name and name.endswith(".jpg")  # no transparency: stored as a JPEG
    served = organiser_client.get(f"/uploads/{name}")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert "immutable" in served.headers["Cache-Control"]
    assert b"secret location" not in served.data
    page = organiser_client.get(f"/speakers/{SPEAKER}").get_data(as_text=True)
    assert f"/uploads/{name}" in page
    assert f"/uploads/{name}" in organiser_client.get("/speakers").get_data(as_text=True)


def test_the_metadata_of_a_phone_photo_is_dropped(organiser_client, app, demo):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the test file does carry EXIF
    assert _upload(organiser_client, app, original, "phone.jpg").status_code == 303
    stored = organiser_client.get(f"/uploads/{_photo(app)}").data
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"PhoneMaker" not in stored


def test_the_photo_is_printed_in_the_programme(organiser_client, app, demo):
    def images(pdf: bytes) -> int:
        return pdf.count(b"/Subtype /Image")

    before = images(organiser_client.get("/programme.pdf?lang=en").data)
    assert _upload(organiser_client, app, png(), "me.png").status_code == 303
    assert images(organiser_client.get("/programme.pdf?lang=en").data) == before + 1


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", "renamed.png",
     "not a PNG, JPEG or WebP"),
    (b"GIF89a" + b"\0" * 100, "old.gif", "not a PNG, JPEG or WebP"),
    (png(size=(4001, 10)), "wide.png", "4000 pixels"),
    (png() + b"\0" * 5_000_001, "huge.png", "larger than 5 MB"),
], ids=["pdf-renamed-png", "gif", "too-wide", "over-5-mb"])
def test_what_is_not_a_fitting_image_gets_a_form_error(organiser_client, app, demo, data,
                                                       filename, message):
    response = _upload(organiser_client, app, data, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _photo(app) is None


def test_a_50_mb_upload_is_refused_as_too_large_not_a_500(organiser_client, app, demo):
    response = _upload(organiser_client, app, b"\0" * 50_000_000, "big.png")
    assert response.status_code == 413
    assert _photo(app) is None


def test_names_that_are_not_stored_images_are_not_served(client, app):
    assert client.get("/uploads/../instance/secret_key").status_code == 404
    assert client.get("/uploads/" + "a" * 32 + ".png").status_code == 404


def test_removing_the_photo(organiser_client, app, demo):
    _upload(organiser_client, app, png(), "me.png")
    url, form = _speaker_form(app, remove_image="y")
    assert organiser_client.post(url, data=form).status_code == 303
    assert _photo(app) is None
    with app.app_context():
        assert db.session.execute(db.select(Speaker.photo).where(Speaker.photo.is_not(None))
                                  ).first() is None
