"""One engine and session factory for our tables (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from models.settings import get_settings
from models.store import tables  # noqa: F401  (registers every table on the metadata)

_engines: dict[str, Engine] = {}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Several processes (CLI, served flow runs, the clock) share one SQLite file.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine(url: str | None = None) -> Engine:
    """Return the engine for `url` (default: the configured database), created once."""
    settings = get_settings()
    url = url or settings.resolved_database_url
    engine = _engines.get(url)
    if engine is None:
        if url.startswith("sqlite"):
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            # hide_parameters: an error message must not carry the values of a row (answers).
            engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        _engines[url] = engine
    return engine


def forget_engines_after_fork() -> None:
    """In a forked child: drop the parent's engines without closing their connections (they
    are the parent's), so this process opens its own."""
    for engine in _engines.values():
        engine.dispose(close=False)
    _engines.clear()


def dispose_engines() -> None:
    """Close every engine (tests call this when they switch databases)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
