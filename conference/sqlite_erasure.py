"""SQLite: what is deleted or overwritten leaves no trace in the database file.

SQLite frees the space of a deleted row, or of a row's old content, without clearing it:
an erased person's name and e-mail address would stay readable in the file's bytes until
the page is reused. ``secure_delete`` has SQLite overwrite freed content with zeros, on
every connection. (PostgreSQL keeps dead row versions until VACUUM, but never in a dump
or a backup made with ``pg_dump``.)
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _secure_delete(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()


def watch(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _secure_delete)
