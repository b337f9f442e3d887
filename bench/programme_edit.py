"""What a programme change costs once many people hold seats: moving, shrinking and
cancelling one session held by N people, through the editing services.

    .venv/bin/python bench/programme_edit.py [--holders 1000] [--database-url URL]

Loads the demo into a scratch SQLite file (or the given scratch database, whose tables are
recreated), gives the demo's workshop N seats and N holders (inserted directly, as the
registration path is measured elsewhere), then times each change with the e-mails only
queued (``MAIL_SEND_INLINE = False``, as in production, where ``send-mail`` sends them):
the write, the outbox rows, the audit entry and the commit. Prints one line per change.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conference import create_app
from conference.extensions import db
from conference.models import (
    AttendeeCategory,
    OutboxMessage,
    Registration,
    SeatBooking,
    Session,
)
from conference.programme import editing
from conference.programme.importer import import_programme

DEMO = Path(__file__).resolve().parent.parent / "conference" / "demo" / "hefei-smart-sensor-2024.yaml"
WORKSHOP = "workshop-mems-calibration"


def _holders(count: int) -> None:
    session = db.session.execute(db.select(Session).where(Session.slug == WORKSHOP)).scalar_one()
    session.capacity = count
    category = db.session.execute(db.select(AttendeeCategory)).scalars().first()
    for number in range(count):
        registration = Registration(conference_id=session.conference_id, category=category,
                                    name=f"Holder {number}", email=f"h{number}@example.org",
                                    status="confirmed", language="zh" if number % 2 else "en")
        db.session.add(registration)
        db.session.flush()
        db.session.add(SeatBooking(registration_id=registration.id, session_id=session.id))
    db.session.commit()


def _timed(label: str, change) -> None:
    started = time.perf_counter()
    outcome = change()
    editing.finish(outcome)
    elapsed = time.perf_counter() - started
    print(f"{label:<34} {elapsed * 1000:8.0f} ms  {len(outcome.mails):6d} e-mails queued")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holders", type=int, default=1000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(folder),
                      "MAIL_SEND_INLINE": False, "SECRET_KEY": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        import_programme(DEMO.read_text(encoding="utf-8"), str(DEMO))
        _holders(args.holders)
        print(f"{args.holders} holders of one session, {db.engine.dialect.name}")

        def session():
            return db.session.execute(
                db.select(Session).where(Session.slug == WORKSHOP)).scalar_one()

        def move():
            item = session()
            return editing.save_session(item.conference, item, {
                "starts_at": item.starts_at + timedelta(hours=4),
                "ends_at": item.ends_at + timedelta(hours=4)}, allow_clash=True)

        def shrink():
            item = session()
            return editing.save_session(item.conference, item,
                                        {"capacity": args.holders // 2})

        _timed("move (time)", move)
        _timed(f"shrink to {args.holders // 2} seats", shrink)
        _timed("cancel", lambda: editing.cancel_session(session()))
        queued = db.session.scalar(db.select(db.func.count(OutboxMessage.id)))
        print(f"outbox rows: {queued}")


if __name__ == "__main__":
    main()
