"""Schema migrations: a database made by the first release, with live trajectories, is upgraded
on SQLite and PostgreSQL and its pupils walk on to the end; the schema the revisions make is the
schema the code declares; processes starting at once migrate once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from deployments.demo import NIET_IN_PLAN, PRO_TOEGELATEN, REGULIER, answer_source
from models.cases.view import load_views
from models.enums import StepStatus
from models.settings import reset_settings
from models.store import migrate
from models.store.db import dispose_engines, get_engine, session_scope
from models.walk.offline import walk_without_prefect
from tests.conftest import POSTGRES_URL

RELEASED = Path(__file__).resolve().parents[1] / "data" / "released-0.1"
FIXTURE_DAY = date(2027, 4, 15)  # the day make_fixture.py walked the pupils to
OVERRIDES = {"Anna": REGULIER, "Bram": PRO_TOEGELATEN, "Cato": REGULIER, "Dirk": NIET_IN_PLAN}


def _use(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("OVERSTAP_DATABASE_URL", url)
    dispose_engines()
    reset_settings()


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(params=["sqlite", "postgresql"])
def released(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> Iterator[str]:
    """A database exactly as the first release left it (its own create_all, four pupils)."""
    if request.param == "sqlite":
        isolated_env.mkdir(parents=True, exist_ok=True)
        target = isolated_env / "released.db"
        shutil.copy(RELEASED / "overstap.sqlite", target)
        _use(monkeypatch, f"sqlite:///{target}")
        yield "sqlite"
        return
    if not POSTGRES_URL:
        pytest.skip("OVERSTAP_TEST_POSTGRES_URL is not set")
    schema = f"overstap_released_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    subprocess.run(
        [
            "psql",
            _libpq(POSTGRES_URL),
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            str(RELEASED / "overstap-postgresql.sql"),
        ],
        env={**os.environ, "PGOPTIONS": f"-csearch_path={schema}"},
        check=True,
        capture_output=True,
    )
    _use(monkeypatch, f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    try:
        yield "postgresql"
    finally:
        dispose_engines()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_a_released_database_is_upgraded_and_its_trajectories_continue(released: str) -> None:
    """The first release's database is recognised, stamped with the baseline and upgraded;
    a second upgrade changes nothing; the pupils continue where their records left them and walk
    to the end of the plan with this code."""
    before = migrate.state()
    assert (before.state, before.revision) == (migrate.SchemaState.BEHIND, None)
    result = migrate.upgrade()
    assert (result.before, result.after, result.stamped_first_release) == (
        None,
        migrate.head(),
        True,
    )
    again = migrate.upgrade()
    assert (again.changed, again.stamped_first_release) == (False, False)
    assert migrate.state().state == migrate.SchemaState.CURRENT

    with session_scope() as session:
        views = {v.pupil.first_name: v for v in load_views(session)}
    where = {
        name: (v.trajectory.status, v.trajectory.current_step, v.trajectory.waiting_for)
        for name, v in views.items()
    }
    assert where == {
        "Anna": ("actief", 24, "track"),  # her admission decision is open on the toelating track
        "Bram": ("actief", 24, "track"),  # his TLV is open on the tlv track
        "Cato": ("actief", 20, "answer"),  # asked the definitive advice
        "Dirk": ("gestopt", None, "stopped"),
    }
    for name, view in views.items():
        result_of_walk = walk_without_prefect(
            view.trajectory.id,
            answers=answer_source(OVERRIDES[name]),
            until=date(2028, 1, 1),
            start=FIXTURE_DAY,
        )
        assert result_of_walk.finished, name
    with session_scope() as session:
        after = {v.pupil.first_name: v for v in load_views(session)}
    for name in ("Anna", "Bram", "Cato"):
        view = after[name]
        assert view.trajectory.status == "afgerond", name
        assert sorted(view.records) == list(range(1, 29)), name
        assert all(r.status != StepStatus.OPEN for r in view.records.values()), name
    assert after["Anna"].facts.admission == "toegelaten"
    assert after["Bram"].trajectory.route == "pro"
    assert after["Bram"].facts.value("tlv_decision", "besluit") == "toegekend"


@pytest.mark.usefixtures("db")
def test_the_revisions_make_the_schema_the_code_declares() -> None:
    """Upgrading an empty database gives exactly the tables, columns, types and indexes of the
    models: nothing a migration forgot, nothing it added."""
    assert migrate.state().state == migrate.SchemaState.CURRENT
    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


@pytest.mark.usefixtures("db")
def test_a_database_of_a_newer_overstap_is_refused() -> None:
    """A revision this code does not know means a newer Overstap wrote the database: no command
    works on it, and upgrading does not touch it."""
    with get_engine().begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999_toekomst'"))
    found = migrate.state()
    assert (found.state, found.revision) == (migrate.SchemaState.UNKNOWN, "9999_toekomst")
    with pytest.raises(migrate.SchemaError, match="9999_toekomst, die deze versie"):
        migrate.upgrade()
    with pytest.raises(migrate.SchemaError):
        migrate.ensure_current()


def test_processes_starting_at_once_migrate_once(isolated_env: Path) -> None:
    """Four `overstap db upgrade` and a `schools import` started together on a new database all
    succeed (the first release failed with 'table school already exists'); the version is set
    once."""
    overstap = str(Path(sys.executable).parent / "overstap")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERSTAP_", "PREFECT_"))}
    env.update(
        OVERSTAP_DATA_DIR=str(isolated_env),
        OVERSTAP_DATABASE_URL=f"sqlite:///{isolated_env / 'samen.db'}",
        PREFECT_HOME=str(isolated_env / "prefect"),
    )
    schools = Path(__file__).resolve().parents[2] / "deployments" / "demo_data" / "scholen.csv"
    commands = [[overstap, "db", "upgrade"]] * 4 + [[overstap, "schools", "import", str(schools)]]
    processes = [
        subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
    assert [code for code, _ in outcomes] == [0] * 5, outcomes
    outputs = [p.stdout.read() if p.stdout else "" for p in processes[:4]]
    upgraded = [o for o in outputs if "bijgewerkt" in o]
    assert len(upgraded) <= 1, outputs  # the import may have made the tables first
    engine = sa.create_engine(env["OVERSTAP_DATABASE_URL"])
    with engine.connect() as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        schools_in = connection.execute(sa.text("SELECT count(*) FROM school")).scalar_one()
    engine.dispose()
    assert versions == [(migrate.head(),)]
    assert schools_in == 6
