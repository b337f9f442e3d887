"""After "delete my data", the person's name, e-mail address, phone number and answers are
nowhere we keep things: not in any table (a full dump of the database, or the SQLite
file's bytes), not in any file under ``instance/`` (mails written to ``outbox/``, bulk
badge PDFs), not in any log line we wrote."""

from __future__ import annotations

import email
import email.policy
import logging
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from conference.badges.jobs import run_badge_job
from conference.extensions import db
from conference.models import Conference, PrintJob, Registration
from conference.registration.lookups import wait_for_link_requests
from tests.badges.pdf_checks import pdf_text
from tests.registration.conference_data import api_body

API = "/api/v1/registrations"
PERSON = {"name": "Zephyrine Quillfeather", "email": "zq.erase@example.org",
          "phone": "+86 551 9876 4321", "answers": {"access": "Needs a ramp XQ7"}}


def database_text(app) -> str:
    """Everything the database holds: ``pg_dump`` of PostgreSQL, else the SQLite file's
    bytes (with its journal, if any), as text; a bytea column shows as hex, so each
    search looks for the hex too."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return subprocess.run(["pg_dump", "--no-owner", plain], capture_output=True,
                              check=True, text=True).stdout
    path = Path(url.database)
    files = [path, *path.parent.glob(path.name + "-*")]
    return "\n".join(f.read_bytes().decode("utf-8", "replace") for f in files if f.exists())


def instance_text(folder: Path) -> str:
    """Every file under ``instance/``, as a reader would see it: PDFs as their text,
    mails decoded, anything else as bytes."""
    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".pdf":
            texts.append(pdf_text(data))
        elif path.suffix == ".eml":
            message = email.message_from_bytes(data, policy=email.policy.default)
            texts.append(str(message["To"]) + str(message["Subject"]))
            texts += [part.get_content() for part in message.walk()
                      if part.get_content_maintype() == "text"]
        texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def found(needle: str, text: str) -> bool:
    return needle in text or needle.encode().hex() in text


def test_erasing_leaves_the_details_in_no_table_no_file_and_no_log_line(
    app, client, conference_slug, caplog
):
    caplog.set_level(logging.DEBUG)
    app.config["MAIL_SEND_INLINE"] = True  # mails written to instance/outbox/ at once
    token = client.post(API, json=api_body(**PERSON)).json["token"]
    client.post("/register/resend-link", data={"email": PERSON["email"]})
    wait_for_link_requests()
    with app.test_request_context("/"):
        conference = db.session.execute(db.select(Conference)).scalar_one()
        job = PrintJob(conference_id=conference.id, layout="a6", lang="en",
                       categories="", statuses="confirmed")
        db.session.add(job)
        db.session.commit()
        run_badge_job(job.id)
        phone = db.session.execute(
            db.select(Registration.phone).where(Registration.token == token)).scalar_one()
    needles = [PERSON["name"], PERSON["email"], phone, PERSON["answers"]["access"]]
    instance = Path(app.instance_path)
    # Where they were before: so the searches below can find them.
    assert all(found(needle, database_text(app)) for needle in needles)
    before = instance_text(instance)
    assert PERSON["name"] in before and PERSON["email"] in before  # a mail, the badges
    assert list((instance / "print-jobs").glob("*.pdf"))

    assert client.post(f"/registration/{token}/erase").status_code == 303

    dump, files = database_text(app), instance_text(instance)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    left = {needle: where for needle in needles
            for where, text in (("database", dump), ("instance", files), ("log", logged))
            if found(needle, text)}
    assert left == {}
