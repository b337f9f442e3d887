"""The test database: its schema built once per run, and each test handed it either empty
or holding the demo conference, with no row left from any other test.

SQLite: two files are built once per run, the schema alone and the schema with the demo
imported, and each test gets a copy of one of them in its own ``tmp_path``. A test may
commit, use threads or start other processes on its copy; nothing needs cleaning up.

PostgreSQL (``TEST_DATABASE_URL``): the schema is built once per run, and the demo imported
once and copied, table by table, into the schema ``demo_snapshot``. Before each test every
table is emptied, its sequence restarted as in a new database, and, when the test asks for
the demo, filled again from the snapshot with the sequences set where the import left
them. Emptying before each test rather than after it means that a test stopped half way
cannot leave rows to the next one.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

import conference.models  # noqa: F401  (the tables, in db.metadata)
from conference.extensions import db

SNAPSHOT_SCHEMA = "demo_snapshot"


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, connection_record) -> None:
    """SQLite in the tests does not wait for the disk at each commit (about 18 ms a commit
    on a busy machine otherwise): a test database need not survive a power cut."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


def is_postgres_url(url: str | None) -> bool:
    return (url or "").startswith("postgresql")


def build_schema(connection) -> None:
    """The models' tables on ``connection``, after dropping whatever an earlier run left."""
    db.metadata.drop_all(connection)
    connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    db.metadata.create_all(connection)


class SQLiteDatabases:
    """Template files, built on first use, copied into each test's ``tmp_path``."""

    def __init__(self, folder: Path, import_demo: Callable[[str], None]) -> None:
        self.folder = folder
        self.import_demo = import_demo
        self.templates: dict[bool, Path] = {}

    def _template(self, demo: bool) -> Path:
        if demo not in self.templates:
            path = self.folder / ("demo.sqlite" if demo else "empty.sqlite")
            if demo:
                shutil.copyfile(self._template(False), path)
                self.import_demo(f"sqlite:///{path}")
            else:
                engine = sa.create_engine(f"sqlite:///{path}")
                with engine.begin() as connection:
                    build_schema(connection)
                engine.dispose()
            self.templates[demo] = path
        return self.templates[demo]

    def fresh(self, path: Path, *, demo: bool) -> str:
        """A copy of the empty or demo database at ``path``; its URL."""
        shutil.copyfile(self._template(demo), path)
        return f"sqlite:///{path}"

    def close(self) -> None:
        pass


class PostgresDatabase:
    """One database, its schema built once, emptied (and given the demo) before each test."""

    def __init__(self, url: str, import_demo: Callable[[str], None]) -> None:
        self.url = url
        self.import_demo = import_demo
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        self.quote = self.engine.dialect.identifier_preparer.quote
        self.tables = [self.quote(table.name) for table in db.metadata.sorted_tables]
        self.restore_demo: str | None = None
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE"))
            build_schema(connection)
            sequences = connection.execute(sa.text(
                "SELECT quote_ident(sequencename) FROM pg_sequences"
                " WHERE schemaname = current_schema()")).scalars()
            # DELETE rather than TRUNCATE: on tables this small it is several times faster.
            self.empty = ";\n".join(
                [f"DELETE FROM {table}" for table in reversed(self.tables)]
                + [f"ALTER SEQUENCE {sequence} RESTART" for sequence in sequences])

    def _reset(self, *statements: str) -> None:
        with self.engine.begin() as connection:
            # A connection a test left in a transaction would hold the reset up for ever.
            connection.execute(sa.text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(sa.text("SET LOCAL synchronous_commit = off"))
            connection.exec_driver_sql(";\n".join(statements))

    def _snapshot_demo(self) -> str:
        """Import the demo, copy its rows aside, and return the SQL that puts them back."""
        self._reset(self.empty)
        self.import_demo(self.url)
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}"))
            for table in self.tables:
                connection.execute(sa.text(
                    f"CREATE TABLE {SNAPSHOT_SCHEMA}.{table} AS TABLE {table}"))
            sequences = connection.execute(sa.text(
                "SELECT quote_ident(sequencename), last_value FROM pg_sequences"
                " WHERE schemaname = current_schema() AND last_value IS NOT NULL")).all()
        return ";\n".join(
            [f"INSERT INTO {table} SELECT * FROM {SNAPSHOT_SCHEMA}.{table}" for table in self.tables]
            + [f"SELECT setval('{sequence}', {value})" for sequence, value in sequences])

    def fresh(self, path: Path, *, demo: bool) -> str:
        """The database emptied, then given the demo if ``demo``; its URL (``path`` unused)."""
        if demo and self.restore_demo is None:
            self.restore_demo = self._snapshot_demo()
        self._reset(self.empty, *([self.restore_demo] if demo else []))
        return self.url

    def close(self) -> None:
        """Leave the database as the run found it: no tables of ours."""
        with self.engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE"))
            db.metadata.drop_all(connection)
        self.engine.dispose()
