"""Shared fixtures: an isolated data folder per test, the database backends, a Prefect server.

Every test gets its own data folder and SQLite file. Tests that take the `db` fixture run once on
SQLite and once on PostgreSQL when OVERSTAP_TEST_POSTGRES_URL is set (each session in a schema of
its own). Flow tests share one real Prefect server per session (`prefect_server`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from models.settings import reset_settings
from models.store.db import dispose_engines, get_engine
from models.store.migrate import upgrade

POSTGRES_URL = os.environ.get("OVERSTAP_TEST_POSTGRES_URL", "")
_PG_SCHEMA = f"overstap_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"


def _reset_process_state() -> None:
    dispose_engines()
    reset_settings()


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point Overstap at a fresh data folder and SQLite file; no simulation unless a test asks."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("OVERSTAP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("OVERSTAP_DATABASE_URL", f"sqlite:///{data_dir / 'overstap.db'}")
    monkeypatch.setenv("OVERSTAP_SIMULATION", "0")
    monkeypatch.setenv("OVERSTAP_PLAN_VERSION", "")
    # The clock's wakes start at once (tests of the lead set it themselves).
    monkeypatch.setenv("OVERSTAP_WAKE_LEAD_SECONDS", "0")
    _reset_process_state()
    yield data_dir
    _reset_process_state()


@pytest.fixture
def tables() -> None:
    """Our tables on the test's own SQLite file."""
    upgrade()


@pytest.fixture
def simulation(monkeypatch: pytest.MonkeyPatch, tables: None) -> None:
    """Enable the shared simulated clock (`tick --today`)."""
    monkeypatch.setenv("OVERSTAP_SIMULATION", "1")
    reset_settings()


def _postgres_url() -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{_PG_SCHEMA}"


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{_PG_SCHEMA}"'))
    yield _PG_SCHEMA
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{_PG_SCHEMA}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Our tables, created fresh on SQLite and (when configured) on PostgreSQL."""
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("OVERSTAP_TEST_POSTGRES_URL is not set")
        request.getfixturevalue("postgres_schema")
        monkeypatch.setenv("OVERSTAP_DATABASE_URL", _postgres_url())
        _reset_process_state()
        with get_engine().begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{_PG_SCHEMA}" CASCADE'))
            connection.execute(sa.text(f'CREATE SCHEMA "{_PG_SCHEMA}"'))
    upgrade()
    return str(request.param)


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[str]:
    """A real Prefect server (temporary SQLite database) for the whole test session.

    Heartbeats are switched off here only: the engine waits up to a second for its heartbeat
    thread at every exit, which would make each suspend/resume cycle 1 s slower.
    """
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    with (
        prefect_test_harness(server_startup_timeout=60),
        temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        from deployments.serve import apply_deployments

        apply_deployments()
        yield str(PREFECT_API_URL.value())
