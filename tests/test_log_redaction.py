"""Our log lines never carry a manage token, a device token or a badge code."""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.request

from werkzeug.serving import make_server

from conference.auth.service import issue_device_token
from conference.badges.tokens import issue_code
from conference.extensions import db
from conference.models import Conference, Registration


def test_the_request_log_and_our_loggers_redact_tokens_and_badge_codes(app, demo, caplog):
    with app.app_context():
        conference = db.session.execute(db.select(Conference)).scalar_one()
        registration = Registration(conference=conference, category=conference.categories[0],
                                    name="Zhang Wei", email="zhang@example.org")
        db.session.add(registration)
        db.session.commit()
        token, code = registration.token, issue_code(registration)
        device = issue_device_token("Gate A")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    caplog.set_level(logging.INFO)
    try:
        for path in (f"/registration/{token}", f"/registration/{token}/badge.pdf",
                     f"/checkin?code={code}&lang=en", f"/register?again={token}"):
            try:
                urllib.request.urlopen(base + path).read()
            except urllib.error.HTTPError:
                pass
    finally:
        server.shutdown()
    with app.app_context():
        app.logger.error("Unhandled error on %s", f"/registration/{token}/details")
        logging.getLogger("conference.mail.outbox").warning("device %s said %s", device, code)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged.count("GET /registration/[redacted]") == 2, logged
    assert "/checkin?code=[redacted]&lang=en" in logged and "again=[redacted]" in logged
    assert "Unhandled error on /registration/[redacted]/details" in logged
    for secret in (token, device, device[4:], code):
        assert secret not in logged
