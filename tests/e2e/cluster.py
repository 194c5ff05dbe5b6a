"""A production layout on this machine, for the e2e tests and `bench/faults.py`: a Prefect server on
PostgreSQL with an auth string, our tables on PostgreSQL, `overstap deploy` and N `overstap worker`
processes, all started through the CLI the runbook shows. Loopback only.
"""

from __future__ import annotations

import base64
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

OVERSTAP = str(Path(sys.executable).parent / "overstap")
ROOT = Path(__file__).resolve().parents[2]
DEMO_SCHOOLS = ROOT / "deployments" / "demo_data" / "scholen.csv"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    env: dict[str, str]
    workdir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def api(self) -> str:
        return self.env["PREFECT_API_URL"]

    def headers(self) -> dict[str, str]:
        secret = self.env["PREFECT_API_AUTH_STRING"]
        return {"Authorization": "Basic " + base64.b64encode(secret.encode()).decode()}

    def cli(self, *args: str, check: bool = True, timeout: float = 300) -> str:
        result = subprocess.run(
            [OVERSTAP, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if check and result.returncode != 0:
            raise AssertionError(f"overstap {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [OVERSTAP, *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_server(self) -> None:
        self.start("server", "server")
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.api}/health", headers=self.headers(), timeout=2).is_success:
                    return
            except httpx.HTTPError:
                pass
            if self.processes["server"].poll() is not None:
                raise AssertionError(self.log("server"))
            time.sleep(0.5)
        raise AssertionError("Prefect server did not start:\n" + self.log("server"))

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def kill_only(self, name: str) -> None:
        """kill -9 of the one process (a worker), not of the flow processes it started."""
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = httpx.post(f"{self.api}{path}", json=body, headers=self.headers(), timeout=30)
        response.raise_for_status()
        return response.json()

    def flow_runs(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        runs: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 100):
            page = ids[start : start + 100]
            found = self.post(
                "/flow_runs/filter", {"flow_runs": {"id": {"any_": page}}, "limit": len(page)}
            )
            runs.update({run["id"]: run for run in found})
        return runs

    def walks(self) -> list[dict[str, Any]]:
        """Every walk (main and tracks) of every pupil, as our records hold it."""
        engine = sa.create_engine(self.env["OVERSTAP_DATABASE_URL"])
        with engine.connect() as connection:
            found = [
                dict(r)
                for r in connection.execute(
                    sa.text(
                        "SELECT t.code, 'hoofd' AS track, t.status, t.waiting_for,"
                        " t.current_step, t.current_question, t.pause_key, t.flow_run_id"
                        " FROM trajectory t UNION ALL "
                        "SELECT t.code, r.track, r.status, r.waiting_for, r.current_step,"
                        " r.current_question, r.pause_key, r.flow_run_id"
                        " FROM trackrun r JOIN trajectory t ON t.id = r.trajectory_id"
                    )
                ).mappings()
            ]
        engine.dispose()
        return found

    def settled(self, walks: list[dict[str, Any]]) -> bool:
        """Every active walk is suspended in Prefect under the key our records hold."""
        active = [w for w in walks if w["status"] == "actief"]
        if any(w["flow_run_id"] is None for w in active):
            return False
        runs = self.flow_runs([str(w["flow_run_id"]) for w in active])
        return all(
            (run := runs.get(str(w["flow_run_id"]))) is not None
            and run["state"]["type"] == "PAUSED"
            and run["state"]["state_details"].get("pause_key") == w["pause_key"]
            for w in active
        )

    def suspend_keys(self, flow_run_id: str) -> list[str]:
        response = httpx.get(
            f"{self.api}/flow_run_states/",
            params={"flow_run_id": flow_run_id},
            headers=self.headers(),
            timeout=30,
        )
        response.raise_for_status()
        return [
            s["state_details"]["pause_key"]
            for s in response.json()
            if s["name"] == "Suspended" and s["state_details"].get("pause_key")
        ]


@contextmanager
def production(postgres_url: str, workdir: Path, **extra: str) -> Iterator[Cluster]:
    """A fresh Prefect database and a fresh schema for our tables, torn down afterwards."""
    tag = uuid.uuid4().hex[:8]
    prefect_db, schema = f"overstap_prefect_{tag}", f"overstap_prod_{tag}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{prefect_db}"'))
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.engine.make_url(postgres_url)
    prefect_url = url.set(drivername="postgresql+asyncpg", database=prefect_db)
    port = free_port()
    secret = secrets.token_urlsafe(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERSTAP_", "PREFECT_"))}
    env.update(
        OVERSTAP_DATA_DIR=str(workdir / "data"),
        OVERSTAP_DATABASE_URL=f"{postgres_url}?options=-csearch_path%3D{schema}",
        OVERSTAP_PREFECT_PORT=str(port),
        OVERSTAP_SIMULATION="1",
        PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_API_DATABASE_CONNECTION_URL=prefect_url.render_as_string(hide_password=False),
        PREFECT_SERVER_API_AUTH_STRING=secret,
        PREFECT_API_AUTH_STRING=secret,
        PREFECT_HOME=str(workdir / "prefect"),
        PREFECT_WORKER_QUERY_SECONDS="1",
        PREFECT_WORKER_PREFETCH_SECONDS="2",
    )
    env.update(extra)
    cluster = Cluster(env, workdir)
    try:
        yield cluster
    finally:
        for name in list(cluster.processes):
            cluster.stop(name)
        # Flow processes a killed worker left behind.
        subprocess.run(["pkill", "-f", f"PREFECT_API_URL=http://127.0.0.1:{port}"], check=False)
        with admin.connect() as connection:
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": prefect_db},
            )
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{prefect_db}"'))
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


SEED = """
import sys
from datetime import date
from sqlmodel import select
from deployments.demo import REGULIER, answer_source
from models.cases.enrolment import CheckedEnrollment, enroll
from models.plan.library import get_plan
from models.store.clock import pinned
from models.store.db import session_scope
from models.store.migrate import upgrade
from models.store.tables import School
from models.walk.offline import walk_without_prefect

count, until = int(sys.argv[1]), date.fromisoformat(sys.argv[2])
answered_before = date.fromisoformat(sys.argv[3])
upgrade()
for n in range(count):
    with session_scope() as session, pinned(date(2025, 9, 1)):
        school = session.exec(select(School).where(School.brin == "99PA")).one()
        checked = CheckedEnrollment(
            f"Leerling{n}", "Proef", date(2014, 1, 1 + n % 28), school, 7, 2027, 8
        )
        trajectory_id = enroll(session, checked, plan=get_plan(), actor="test").id
    answers = answer_source(REGULIER, answered_before)
    walk_without_prefect(trajectory_id, answers=answers, until=until)
print("geseed", count)
"""

ANSWER = """
import sys
from models.cases.answers import prepare_cli_answer
from models.store.db import session_scope
from tasks.prefect_api import resume_with_answer

step = int(sys.argv[1])
fields = dict(item.split("=", 1) for item in sys.argv[3:])
for code in sys.argv[2].split(","):
    with session_scope() as session:
        prepared = prepare_cli_answer(
            session, code=code, step=step, fields=fields, answered_by="T. Est, intaker"
        )
    resume_with_answer(prepared.flow_run_id, prepared.run_input)
print("beantwoord", len(sys.argv[2].split(",")))
"""


def _script(cluster: Cluster, code: str, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=cluster.env,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise AssertionError(result.stdout + result.stderr)


def seed(cluster: Cluster, count: int, until: str, answered_before: str) -> None:
    """`count` pupils of cohort 2027 walked without Prefect to `until`, every question due before
    `answered_before` answered (no flow runs yet)."""
    cluster.cli("schools", "import", str(DEMO_SCHOOLS))
    _script(cluster, SEED, str(count), until, answered_before)


def answer(cluster: Cluster, step: int, codes: list[str], **fields: str) -> None:
    """Answer a question for many pupils, as `overstap answer` does (our check, then resume)."""
    _script(cluster, ANSWER, str(step), ",".join(codes), *(f"{k}={v}" for k, v in fields.items()))
