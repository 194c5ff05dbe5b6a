"""Schema migrations with Alembic: `overstap db upgrade`, and the check every other command makes.

`upgrade` brings our tables to the newest revision under a lock, so several processes starting at
once (`up`, `deploy`, `worker`s, a CLI command) migrate once and the others wait and find nothing
to do: PostgreSQL's advisory lock, or an exclusive lock on a file beside a SQLite database. An
empty database gets every table from the revisions; a database made by the first release
(`create_all`, no `alembic_version` table) is stamped with the baseline and upgraded from there.
No process calls `create_all` on a database any more.

`state` says whether the schema is current; the CLI refuses to work on a database that is behind
(or ahead: made by a newer Overstap) and says which command fixes it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from models.settings import get_settings
from models.store.db import get_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"
FIRST_RELEASE_TABLE = "trajectory"  # a table the first release made with create_all
_ADVISORY_LOCK = 0x0E5A_7AB0  # any constant; the same in every Overstap process


class SchemaState(StrEnum):
    CURRENT = "current"
    EMPTY = "empty"  # no tables at all: a new installation
    BEHIND = "behind"  # older revision, or the first release without alembic_version
    UNKNOWN = "unknown"  # a revision this code does not know: made by a newer Overstap


class SchemaError(RuntimeError):
    """Our tables are not at the revision this code needs; the message says what to do."""


@dataclass(frozen=True)
class Schema:
    state: SchemaState
    revision: str | None
    head: str

    def describe(self) -> str:
        if self.state == SchemaState.CURRENT:
            return f"het databaseschema is actueel (versie {self.revision})"
        if self.state == SchemaState.EMPTY:
            return f"de database is leeg; 'overstap db upgrade' maakt versie {self.head}"
        if self.state == SchemaState.BEHIND:
            found = self.revision or "eerste release, zonder versie"
            return (
                f"het databaseschema is niet actueel ({found}; nodig: {self.head}). "
                "Draai eerst 'overstap db upgrade' (maak eerst een backup: 'overstap backup')."
            )
        return (
            f"het databaseschema heeft versie {self.revision}, die deze versie van Overstap niet "
            f"kent (nieuwste bekende: {self.head}): gebruik de nieuwere versie van Overstap"
        )


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown revision
        return False


def _state(connection: Connection) -> Schema:
    newest = head()
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None:
        tables = set(inspect(connection).get_table_names())
        state = SchemaState.BEHIND if FIRST_RELEASE_TABLE in tables else SchemaState.EMPTY
        return Schema(state, None, newest)
    if revision == newest:
        return Schema(SchemaState.CURRENT, revision, newest)
    return Schema(SchemaState.BEHIND if _known(revision) else SchemaState.UNKNOWN, revision, newest)


def state(engine: Engine | None = None) -> Schema:
    """Where our tables stand compared with this code's newest revision."""
    with (engine or get_engine()).connect() as connection:
        return _state(connection)


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection that holds the migration lock until the block ends."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_LOCK})
            connection.commit()
            try:
                yield connection
            finally:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_LOCK})
                connection.commit()
        return
    database = engine.url.database
    lock_path = (
        Path(f"{database}.migrate.lock")
        if database and database != ":memory:"
        else get_settings().data_dir / "migrate.lock"
    )
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            with engine.connect() as connection:
                # SQLite alters a table by copying it; foreign keys would refuse dropping the old
                # one. They are checked again (foreign_key_check) before the lock is released.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
                try:
                    yield connection
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if problems:
                        raise SchemaError(f"de migratie liet verweesde rijen achter: {problems}")
                finally:
                    connection.rollback()
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Upgrade:
    before: str | None
    after: str
    stamped_first_release: bool

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _upgrade(connection: Connection) -> Upgrade:
    found = _state(connection)
    if found.state == SchemaState.UNKNOWN:
        raise SchemaError(found.describe())
    config = _config(connection)
    stamped = False
    if found.state == SchemaState.BEHIND and found.revision is None:
        command.stamp(config, BASELINE)
        stamped = True
    command.upgrade(config, "head")
    connection.commit()
    return Upgrade(found.revision, _state(connection).revision or "", stamped)


def upgrade(engine: Engine | None = None) -> Upgrade:
    """Bring our tables to the newest revision (safe when several processes do it at once)."""
    engine = engine or get_engine()
    with _locked(engine) as connection:
        return _upgrade(connection)


def ensure_current(engine: Engine | None = None) -> None:
    """Create the tables of a new (empty) database; refuse one that is behind or ahead.

    A database that looks behind may be half-way through another process's migration (SQLite
    has no transactional DDL): it is judged again holding the migration lock.
    """
    engine = engine or get_engine()
    if state(engine).state == SchemaState.CURRENT:
        return
    with _locked(engine) as connection:
        found = _state(connection)
        if found.state == SchemaState.EMPTY:
            _upgrade(connection)
        elif found.state != SchemaState.CURRENT:
            raise SchemaError(found.describe())
